/** The admin API doing its job: every endpoint through app.inject, on calls driven through the call flow. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRow } from '../../src/store/index.js';
import { ADMIN_CONFIG, KEYS, connectedCall, json, screenedOutCall, startHarness, type Harness } from './support.js';

let h: Harness;
let first: CallRow;
let second: CallRow;
let screened: CallRow;
let fromPubTwo: CallRow;
const op = KEYS.operator;

beforeAll(async () => {
  h = await startHarness();
  first = await connectedCall(h, { caller: '+14155550101' });
  h.clock.advance(60_000);
  second = await connectedCall(h, { caller: '+14155550102', buyer: 'second' });
  h.clock.advance(60_000);
  screened = await screenedOutCall(h, '+14155550103');
  h.clock.advance(60_000);
  fromPubTwo = await connectedCall(h, { caller: '+14155550104', did: '+18005550200' });
});
afterAll(() => h.close());

describe('health and docs', () => {
  it('answers health and readiness without a key', async () => {
    expect(json(await h.req(null, { method: 'GET', url: '/health' }))).toEqual({ status: 'ok' });
    expect(json(await h.req(null, { method: 'GET', url: '/ready' }))).toEqual({ ready: true, driver: 'memory', draining: false });
  });

  it('serves an OpenAPI document generated from the zod schemas, and the UI', async () => {
    const doc = json(await h.req(null, { method: 'GET', url: '/docs/json' }));
    expect(doc.openapi).toMatch(/^3\./);
    const list = doc.paths['/calls'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'campaign', 'publisher', 'buyer', 'outcome', 'billable', 'limit', 'cursor']),
    );
    expect(doc.paths['/blocklist'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/reports/pnl', '/calls/{callId}/conversions', '/calls/{callId}/dispute', '/rtb/bid']));
    const ui = await h.req(null, { method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('calls', () => {
  it('lists calls newest first with every filter', async () => {
    const ids = async (qs: string) => (json(await h.req(op, { method: 'GET', url: `/calls${qs}` })).calls as { id: string }[]).map((c) => c.id);
    expect(await ids('')).toEqual([fromPubTwo.id, screened.id, second.id, first.id]);
    expect(await ids('?buyer=buyer_second')).toEqual([second.id]);
    expect(await ids('?publisher=pub_two')).toEqual([fromPubTwo.id]);
    expect(await ids('?outcome=not_qualified')).toEqual([screened.id]);
    expect(await ids('?billable=false')).toEqual([screened.id]);
    expect(await ids('?campaign=medicare&billable=true')).toEqual([fromPubTwo.id, second.id, first.id]);
    const at = (r: CallRow) => new Date(r.invite_at).toISOString();
    expect(await ids(`?from=${at(second)}&to=${at(fromPubTwo)}`)).toEqual([screened.id, second.id]);
  });

  it('pages with a cursor until the last page', async () => {
    const seen: string[] = [];
    let url = '/calls?limit=3';
    for (;;) {
      const body = json(await h.req(op, { method: 'GET', url }));
      seen.push(...(body.calls as { id: string }[]).map((c) => c.id));
      if (!body.nextCursor) break;
      url = `/calls?limit=3&cursor=${body.nextCursor as string}`;
    }
    expect(seen).toEqual([fromPubTwo.id, screened.id, second.id, first.id]);
  });

  it('shows one call with its attempts, IVR answers, tags and skips', async () => {
    const d = json(await h.req(op, { method: 'GET', url: `/calls/${second.id}` }));
    expect(d.call).toMatchObject({ id: second.id, buyerId: 'buyer_second', outcome: 'connected', billable: true, caller: '+14155550102' });
    expect(d.attempts.map((a: { buyerId: string; result: string; sipCode: number }) => [a.buyerId, a.result, a.sipCode])).toEqual([
      ['buyer_first', 'busy', 486],
      ['buyer_second', 'answered', 200],
    ]);
    expect(d.ivrAnswers.map((a: { step: string; digits: string }) => [a.step, a.digits])).toEqual([['age', '1'], ['zip', '94110']]);
    expect(d.tags).toEqual({ age_65_plus: 'yes', zip: '94110' });
    expect(d.skips).toEqual([]);
    expect(d.auctions).toEqual([]);
  });

  it('streams a CSV export with the same filters', async () => {
    const r = await h.req(op, { method: 'GET', url: '/calls/export.csv?billable=true' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const lines = r.body.trim().split('\r\n');
    const header = lines[0]!.split(',');
    expect(lines).toHaveLength(4);
    const idCol = header.indexOf('id');
    // Oldest first in exports.
    expect(lines.slice(1).map((l) => l.split(',')[idCol])).toEqual([first.id, second.id, fromPubTwo.id]);
    expect(lines[1]!.split(',')[header.indexOf('revenueCents')]).toBe(String(first.revenue_cents));
  });

  it('lists live calls while one rings', async () => {
    h.driver.buyers.set('sip:intake@127.0.0.1:5071', { kind: 'ring_forever' });
    const call = h.driver.placeCall({ did: '+18005550100', caller: '+14155550105', dtmf: ['1', '94110'] });
    await new Promise<void>((resolve) => {
      const poll = () => (h.engine.calls.liveCalls().some((c) => c.phase === 'ringing') ? resolve() : setImmediate(poll));
      poll();
    });
    const live = json(await h.req(op, { method: 'GET', url: '/calls/live' }));
    expect(live.count).toBe(1);
    expect(live.calls[0]).toMatchObject({ campaignId: 'medicare', publisherId: 'pub_one', phase: 'ringing' });
    call.callerHangup();
    await h.ended(call);
    expect(json(await h.req(op, { method: 'GET', url: '/calls/live' })).count).toBe(0);
  });
});

describe('config', () => {
  it('describes, validates and reloads the config, auditing the reload', async () => {
    const cfg = json(await h.req(op, { method: 'GET', url: '/config' }));
    expect(cfg).toMatchObject({ campaigns: 1, publishers: 2, buyers: 2, dids: 2 });
    const ok = json(await h.req(op, { method: 'POST', url: '/config/validate', payload: { yaml: ADMIN_CONFIG } }));
    expect(ok).toMatchObject({ valid: true, issues: [] });
    const bad = json(await h.req(op, { method: 'POST', url: '/config/validate', payload: { yaml: ADMIN_CONFIG.replace('price_cents: 4000', 'price_cents: -1') } }));
    expect(bad.valid).toBe(false);
    expect(bad.issues[0]).toMatchObject({ path: 'buyers[0].price_cents' });
    expect(bad.issues[0].line).toBeGreaterThan(1);
    const r = await h.req(op, { method: 'POST', url: '/config/reload', payload: {} });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ digest: cfg.digest, previousDigest: cfg.digest });
    const audit = json(await h.req(op, { method: 'GET', url: '/audit?resource=config' }));
    expect(audit.entries[0]).toMatchObject({ actorKeyId: 'ops', action: 'reload', requestId: r.headers['x-request-id'] });
  });
});

describe('blocklist', () => {
  it('blocks a caller at admission until unblocked, with an audit row for each change', async () => {
    const created = await h.req(op, { method: 'POST', url: '/blocklist', payload: { number: '+14155550999', reason: 'abusive caller' } });
    expect(created.statusCode).toBe(201);
    expect(json(await h.req(op, { method: 'GET', url: '/blocklist' })).numbers.map((n: { number: string }) => n.number)).toEqual(['+14155550999']);
    const blocked = h.driver.placeCall({ did: '+18005550100', caller: '+14155550999' });
    expect(blocked.rejected).toEqual({ sipCode: 603 });
    expect((await h.req(op, { method: 'DELETE', url: '/blocklist/+14155550999' })).statusCode).toBe(200);
    h.driver.buyers.set('sip:intake@127.0.0.1:5071', { kind: 'answer' });
    const allowed = h.driver.placeCall({ did: '+18005550100', caller: '+14155550999', dtmf: ['2'] });
    expect(allowed.rejected).toBeUndefined();
    await h.ended(allowed);
    const audit = json(await h.req(op, { method: 'GET', url: '/audit?resource=blocklist' }));
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(['delete', 'create']);
    expect(audit.entries[0].before).toMatchObject({ number: '+14155550999', reason: 'abusive caller' });
  });
});

describe('buyers', () => {
  it('pauses and resumes a buyer', async () => {
    const paused = json(await h.req(op, { method: 'POST', url: '/buyers/buyer_second/pause', payload: { reason: 'invoice overdue' } }));
    expect(paused).toMatchObject({ buyerId: 'buyer_second', paused: true, pause: { source: 'operator', reason: 'invoice overdue', until: null } });
    const resumed = json(await h.req(op, { method: 'POST', url: '/buyers/buyer_second/resume', payload: {} }));
    expect(resumed).toMatchObject({ paused: false, pause: null });
    const hist = json(await h.req(op, { method: 'GET', url: '/buyers/buyer_second/pauses' }));
    expect(hist.history).toHaveLength(1);
    expect(hist.history[0]).toMatchObject({ resumedBy: 'ops' });
    const audit = json(await h.req(op, { method: 'GET', url: '/audit?resource=buyer' }));
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(['resume', 'pause']);
  });

  it('routes around a buyer paused through the API', async () => {
    await h.req(op, { method: 'POST', url: '/buyers/buyer_first/pause', payload: { reason: 'quality review' } });
    const routed = await connectedCall(h, { caller: '+14155550106' });
    expect(routed.buyer_id).toBe('buyer_second');
    const d = json(await h.req(op, { method: 'GET', url: `/calls/${routed.id}` }));
    expect(d.skips).toEqual([{ buyerId: 'buyer_first', targetId: 'first_main', reason: 'buyer_paused:operator' }]);
    await h.req(op, { method: 'POST', url: '/buyers/buyer_first/resume', payload: {} });
  });
});

describe('billing', () => {
  it('records a conversion idempotently', async () => {
    const url = `/calls/${first.id}/conversions`;
    const a = json(await h.req(KEYS.buyerFirst, { method: 'POST', url, payload: { eventId: 'sale-1', revenueCents: 9000 } }));
    expect(a).toMatchObject({ status: 'applied', first: true });
    const again = json(await h.req(KEYS.buyerFirst, { method: 'POST', url, payload: { eventId: 'sale-1', revenueCents: 9000 } }));
    expect(again).toEqual({ status: 'already_applied' });
    const list = json(await h.req(op, { method: 'GET', url }));
    expect(list.conversions.map((c: { eventId: string; revenueCents: number }) => [c.eventId, c.revenueCents])).toEqual([['sale-1', 9000]]);
  });

  it('opens a dispute as the buyer and reverses the revenue when the operator accepts it', async () => {
    const opened = await h.req(KEYS.buyerSecond, { method: 'POST', url: `/calls/${second.id}/dispute`, payload: { reason: 'caller hung up on hold' } });
    expect(opened.statusCode).toBe(201);
    expect(json(opened)).toMatchObject({ state: 'open', buyerId: 'buyer_second' });
    expect(json(await h.req(op, { method: 'GET', url: '/disputes?state=open' })).disputes.map((d: { callId: string }) => d.callId)).toEqual([second.id]);
    const decided = json(await h.req(op, { method: 'POST', url: `/calls/${second.id}/dispute/decision`, payload: { accepted: true } }));
    expect(decided).toMatchObject({ state: 'accepted', reversedRevenueCents: second.revenue_cents, clawedPayoutCents: second.payout_cents });
    const call = json(await h.req(op, { method: 'GET', url: `/calls/${second.id}` })).call;
    expect(call).toMatchObject({ revenueCents: 0, payoutCents: 0, billable: false, billableReason: 'disputed' });
  });
});

describe('inbound bidding', () => {
  it('bids to a publisher and reserves the best-paying target', async () => {
    const r = json(await h.req(KEYS.pubOne, { method: 'POST', url: '/rtb/bid', payload: { caller: '+14155550777' } }));
    expect(r).toMatchObject({ bid: true, bidCents: 1500, did: '+18005550100', expiresInS: 60 });
    expect(typeof r.reservationId).toBe('string');
  });
});

describe('api keys', () => {
  it('issues a key shown once, which works until revoked', async () => {
    const created = await h.req(op, { method: 'POST', url: '/api-keys', payload: { role: 'buyer', party: 'buyer_first', label: 'crm sync' } });
    expect(created.statusCode).toBe(201);
    const { id, key } = json(created) as { id: string; key: string };
    const mine = json(await h.req(key, { method: 'GET', url: '/calls' }));
    expect(mine.calls.map((c: { id: string }) => c.id)).toEqual([fromPubTwo.id, first.id]);
    const listed = json(await h.req(op, { method: 'GET', url: '/api-keys' })).keys as Record<string, unknown>[];
    expect(listed.find((k) => k.id === id)).toMatchObject({ role: 'buyer', party: 'buyer_first', source: 'api', revokedAt: null });
    expect((await h.req(op, { method: 'DELETE', url: `/api-keys/${id}` })).statusCode).toBe(200);
    expect((await h.req(key, { method: 'GET', url: '/calls' })).statusCode).toBe(401);
  });
});
