/**
 * One call: money and status, the timeline of its phases, every bridge attempt with its SIP code, the IVR answers,
 * the auction's bids, routing skips, and the recording when there is one. Each role gets only what the API gives it.
 */
import type { Attempt, Auction, CallDetail, CallView, Me } from '../api.js';
import { dateTime, duration, money, time, words } from '../format.js';
import { useApi } from '../use-api.js';
import { Badge, Card, Empty, Notice, Scroll, outcomeTone } from '../components/ui.js';
import { Recording } from '../components/Recording.js';
import { BuyerActions } from '../components/BuyerActions.js';

const STEPS: [keyof CallView, string][] = [
  ['inviteAt', 'INVITE received'],
  ['answerAt', 'Answered (IVR)'],
  ['ivrEndAt', 'IVR finished'],
  ['routingAt', 'Routing'],
  ['bridgeStartAt', 'Dialling buyer'],
  ['buyerAnswerAt', 'Buyer answered'],
  ['endAt', 'Ended'],
];

function Timeline({ call }: { call: CallView }) {
  const start = Date.parse(call.inviteAt);
  const steps = STEPS.flatMap(([k, label]) => {
    const v = call[k];
    return typeof v === 'string' ? [{ label, at: v }] : [];
  });
  return (
    <ol class="timeline" data-testid="timeline">
      {steps.map((s) => (
        <li key={s.label}>
          <span class="t-dot" />
          <span class="t-label">{s.label}</span>
          <span class="t-time">{time(s.at)}</span>
          <span class="t-rel">+{duration(Date.parse(s.at) - start)}</span>
        </li>
      ))}
      {call.endAt ? null : <li class="pending"><span class="t-dot" /><span class="t-label">In progress: {words(call.phase)}</span></li>}
    </ol>
  );
}

const RESULT_TONE: Record<string, 'good' | 'warn' | 'bad'> = { answered: 'good', busy: 'warn', no_answer: 'warn', failed: 'bad' };

function Attempts({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <Empty>No buyer was dialled.</Empty>;
  return (
    <Scroll>
      <table data-testid="attempts">
        <thead><tr><th>#</th><th>Buyer</th><th>Result</th><th class="num">SIP</th><th>Reason</th><th>Target</th><th>Dialled</th><th class="num">Ring</th></tr></thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.seq}>
              <td>{a.seq}</td>
              <td>{a.buyerId}</td>
              <td><Badge tone={RESULT_TONE[a.result ?? ''] ?? 'muted'}>{words(a.result)}</Badge></td>
              <td class="num mono">{a.sipCode ?? '—'}</td>
              <td>{a.reason ?? '—'}</td>
              <td>{a.targetId}</td>
              <td>{time(a.inviteAt)}</td>
              <td class="num">{duration((a.answerAt ? Date.parse(a.answerAt) : a.endAt ? Date.parse(a.endAt) : Date.parse(a.inviteAt)) - Date.parse(a.inviteAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function Auctions({ auctions }: { auctions: Auction[] }) {
  return (
    <>
      {auctions.map((a) => (
        <div key={a.id} class="auction" data-testid="auction">
          <p class="muted">{a.bidders} pinged, {a.validBids} valid bids in {Math.round(a.durationMs)} ms; winner {a.winnerBuyerId ?? '—'} at {money(a.winnerCents)}</p>
          <Scroll>
            <table>
              <thead><tr><th>Buyer</th><th class="num">Bid</th><th>Valid</th><th>Reason</th><th class="num">Latency</th><th class="num">Rank</th></tr></thead>
              <tbody>
                {a.bids.map((b) => (
                  <tr key={b.buyerId}>
                    <td>{b.buyerId}</td>
                    <td class="num">{money(b.amountCents)}</td>
                    <td>{b.valid ? <Badge tone="good">valid</Badge> : <Badge tone="muted">ignored</Badge>}</td>
                    <td>{words(b.reason)}</td>
                    <td class="num">{b.latencyMs === null ? '—' : `${Math.round(b.latencyMs)} ms`}</td>
                    <td class="num">{b.rank ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </div>
      ))}
    </>
  );
}

function Summary({ call, role }: { call: CallView; role: Me['role'] }) {
  const rows: [string, string | preact.JSX.Element][] = [
    ['Outcome', <Badge tone={outcomeTone(call.outcome)}>{words(call.outcome ?? call.phase)}</Badge>],
    ['Caller', call.caller],
    ['DID', call.did],
    ['Campaign', call.campaignId ?? '—'],
    ['Received', dateTime(call.inviteAt)],
    ['Talk time', duration(call.talkMs)],
    ['Hung up by', call.hangupSide ? `${call.hangupSide} (${words(call.hangupCause)})` : '—'],
    ['Billable', call.billable ? 'yes' : `no — ${words(call.billableReason)}`],
  ];
  if (call.duplicate) rows.push(['Duplicate', 'yes']);
  if (role !== 'publisher') rows.push(['Buyer', call.buyerId ?? '—'], [role === 'buyer' ? 'Spend' : 'Revenue', money(call.revenueCents)]);
  if (role !== 'buyer') rows.push(['Publisher', call.publisherId ?? '—'], ['Payout', call.payable ? money(call.payoutCents) : `none — ${words(call.payoutReason)}`]);
  if (role === 'operator') rows.push(['Cost', money(call.costCents)], ['Margin', money(call.marginCents)]);
  return (
    <dl class="facts" data-testid="call-summary">
      {rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  );
}

export function CallDetailView({ me, id }: { me: Me; id: string }) {
  const live = (d?: CallDetail) => d?.call.status === 'in_progress';
  const res = useApi<CallDetail>(`/calls/${encodeURIComponent(id)}`);
  const polled = useApi<CallDetail>(live(res.data) ? `/calls/${encodeURIComponent(id)}` : null, 2000);
  const d = polled.data ?? res.data;
  if (res.error) return <Card title="Call"><Notice>{res.error}</Notice><a href="#/calls">Back to calls</a></Card>;
  if (!d) return <Card title="Call"><Empty>Loading…</Empty></Card>;
  const tags = Object.entries(d.tags);
  return (
    <>
      <Card title={`Call ${d.call.id.slice(0, 8)}`} actions={<a href="#/calls">All calls</a>} testId="call-detail">
        <div class="split">
          <Summary call={d.call} role={me.role} />
          <Timeline call={d.call} />
        </div>
      </Card>
      {me.role !== 'publisher' && d.call.buyerAnswerAt ? <BuyerActions me={me} call={d.call} onChange={res.reload} /> : null}
      {me.role !== 'publisher' ? <Card title="Bridge attempts"><Attempts attempts={d.attempts} /></Card> : null}
      <Card title="IVR answers" testId="ivr">
        {d.ivrAnswers.length === 0 ? <Empty>No answers collected.</Empty> : (
          <ul class="answers">{d.ivrAnswers.map((a) => <li key={`${a.step}${a.at}`}><b>{a.step}</b>: <span class="mono">{a.digits || '(none)'}</span> <span class="muted">at {time(a.at)}</span></li>)}</ul>
        )}
        {tags.length ? <p class="tags">{tags.map(([k, v]) => <span key={k} class="tag">{k}={v}</span>)}</p> : null}
      </Card>
      {d.auctions.length ? <Card title="Auction"><Auctions auctions={d.auctions} /></Card> : null}
      {d.skips.length ? (
        <Card title="Buyers not tried">
          <ul class="answers">{d.skips.map((s) => <li key={s.targetId}><b>{s.buyerId}</b> / {s.targetId}: {words(s.reason)}</li>)}</ul>
        </Card>
      ) : null}
      {me.role !== 'publisher' && d.call.buyerAnswerAt ? <Recording callId={d.call.id} /> : null}
    </>
  );
}
