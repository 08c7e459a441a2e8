/**
 * One table of calls with the columns the role has: operators see both sides and the margin, a buyer its spend and
 * why a call was or was not billable, a publisher its payout, duplicates and why a call was not paid.
 */
import type { ComponentChildren } from 'preact';
import type { CallView, Role } from '../api.js';
import { dateTime, duration, money, words } from '../format.js';
import { Badge, Scroll, outcomeTone } from './ui.js';

interface Column {
  head: string;
  cell: (c: CallView) => ComponentChildren;
  num?: boolean;
  hideSm?: boolean;
}

function billableCell(c: CallView) {
  if (c.status === 'in_progress') return <Badge tone="info">live</Badge>;
  return c.billable ? <Badge tone="good">billable</Badge> : <span class="why">{words(c.billableReason) || 'not billable'}</span>;
}

function payoutCell(c: CallView) {
  if (c.status === 'in_progress') return <Badge tone="info">live</Badge>;
  return c.payable ? <Badge tone="good">paid</Badge> : <span class="why">{words(c.payoutReason) || 'not paid'}</span>;
}

const COMMON_START: Column[] = [
  { head: 'Time', cell: (c) => <a href={`#/calls/${c.id}`}>{dateTime(c.inviteAt)}</a> },
  { head: 'Campaign', cell: (c) => c.campaignId ?? '—', hideSm: true },
  { head: 'Caller', cell: (c) => <span class="mono">{c.caller}</span> },
  { head: 'Outcome', cell: (c) => <Badge tone={outcomeTone(c.outcome)}>{words(c.outcome ?? c.phase)}</Badge> },
  { head: 'Talk', cell: (c) => duration(c.talkMs), num: true },
];

const BY_ROLE: Record<Role, Column[]> = {
  operator: [
    { head: 'Publisher', cell: (c) => c.publisherId ?? '—', hideSm: true },
    { head: 'Buyer', cell: (c) => c.buyerId ?? '—' },
    { head: 'Billable', cell: billableCell },
    { head: 'Revenue', cell: (c) => money(c.revenueCents), num: true },
    { head: 'Payout', cell: (c) => money(c.payoutCents), num: true, hideSm: true },
    { head: 'Margin', cell: (c) => money(c.marginCents), num: true },
  ],
  buyer: [
    { head: 'Billable', cell: billableCell },
    { head: 'Spend', cell: (c) => money(c.revenueCents), num: true },
  ],
  publisher: [
    { head: 'Duplicate', cell: (c) => (c.duplicate ? <Badge tone="warn">duplicate</Badge> : 'no') },
    { head: 'Paid', cell: payoutCell },
    { head: 'Payout', cell: (c) => money(c.payoutCents), num: true },
  ],
};

export function CallsTable({ role, calls, extra }: { role: Role; calls: CallView[]; extra?: Column[] }) {
  const cols = [...COMMON_START, ...BY_ROLE[role], ...(extra ?? [])];
  const cls = (col: Column) => [col.num ? 'num' : '', col.hideSm ? 'hide-sm' : ''].join(' ').trim() || undefined;
  return (
    <Scroll>
      <table data-testid="calls-table">
        <thead>
          <tr>{cols.map((col) => <th key={col.head} class={cls(col)}>{col.head}</th>)}</tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id} data-testid="call-row" data-call={c.id}>
              {cols.map((col) => <td key={col.head} class={cls(col)}>{col.cell(c)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export type { Column };
