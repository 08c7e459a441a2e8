/** Who may see and change what: keys, roles, party scoping, masking, rejected fields, append-only audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRow } from '../../src/store/index.js';
import { KEYS, connectedCall, json, startHarness, type Harness } from './support.js';

let h: Harness;
let toFirst: CallRow;
let toSecond: CallRow;
let fromPubTwo: CallRow;
const PUBLIC = new Set(['/health', '/ready', '/metrics']);

beforeAll(async () => {
  h = await startHarness();
  toFirst = await connectedCall(h, { caller: '+14155550201' });
  toSecond = await connectedCall(h, { caller: '+14155550202', buyer: 'second' });
  fromPubTwo = await connectedCall(h, { caller: '+14155550203', did: '+18005550200', buyer: 'second' });
});
afterAll(() => h.close());

/** Every route in the OpenAPI document, with a concrete URL. */
async function allRoutes(): Promise<{ method: string; url: string }[]> {
  const doc = json(await h.req(null, { method: 'GET', url: '/docs/json' }));
  const out: { method: string; url: string }[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
    const url = path.replace('{callId}', toFirst.id).replace('{buyerId}', 'buyer_first').replace('{number}', '+14155550000').replace('{keyId}', 'k1');
    for (const method of Object.keys(ops)) out.push({ method: method.toUpperCase(), url });
  }
  return out;
}

describe('authentication', () => {
  it('answers 401 without a key, or with a wrong one, on every non-public route', async () => {
    const routes = (await allRoutes()).filter((r) => !PUBLIC.has(r.url));
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) {
      const none = await h.req(null, { method: r.method, url: r.url, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }) });
      expect([r.url, none.statusCode, json(none).error.code]).toEqual([r.url, 401, 'unauthorized']);
      const wrong = await h.req('not-a-key', { method: r.method, url: r.url });
      expect([r.url, wrong.statusCode]).toEqual([r.url, 401]);
    }
  });

  it('keeps keys hashed: the store holds sha256 and no response carries a key or hash', async () => {
    const created = json(await h.req(KEYS.operator, { method: 'POST', url: '/api-keys', payload: { role: 'operator' } }));
    const listed = (await h.req(KEYS.operator, { method: 'GET', url: '/api-keys' })).body;
    expect(listed).not.toContain(created.key);
    expect(listed).not.toMatch(/sha256:/);
    const stored = h.engine.store.db.prepare('SELECT key_hash FROM api_keys WHERE id = ?').pluck().get(created.id) as string;
    expect(stored).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stored).not.toContain(created.key);
  });
});

describe('roles', () => {
  it('refuses publisher and buyer keys on operator routes with 403', async () => {
    for (const key of [KEYS.pubOne, KEYS.buyerFirst]) {
      for (const [method, url] of [['GET', '/config'], ['GET', '/audit'], ['GET', '/api-keys'], ['GET', '/blocklist'], ['POST', '/config/reload']] as const) {
        const r = await h.req(key, { method, url, ...(method === 'POST' ? { payload: {} } : {}) });
        expect([url, r.statusCode, json(r).error.code]).toEqual([url, 403, 'forbidden']);
      }
    }
    const decide = await h.req(KEYS.buyerSecond, { method: 'POST', url: `/calls/${toSecond.id}/dispute/decision`, payload: { accepted: true } });
    expect(decide.statusCode).toBe(403);
  });

  it("answers 404 when a buyer reads another buyer's call, exactly as for a missing call", async () => {
    const other = await h.req(KEYS.buyerFirst, { method: 'GET', url: `/calls/${toSecond.id}` });
    const missing = await h.req(KEYS.buyerFirst, { method: 'GET', url: '/calls/no-such-call' });
    expect(other.statusCode).toBe(404);
    expect(json(other).error.message).toBe(`call ${toSecond.id} not found`);
    expect(missing.statusCode).toBe(404);
    expect((await h.req(KEYS.buyerFirst, { method: 'GET', url: `/calls/${toFirst.id}` })).statusCode).toBe(200);
    expect((await h.req(KEYS.buyerFirst, { method: 'POST', url: `/calls/${toSecond.id}/conversions`, payload: { eventId: 'x' } })).statusCode).toBe(404);
    expect((await h.req(KEYS.buyerFirst, { method: 'POST', url: `/calls/${toSecond.id}/dispute`, payload: { reason: 'x' } })).statusCode).toBe(404);
    expect((await h.req(KEYS.buyerFirst, { method: 'POST', url: '/buyers/buyer_second/pause', payload: { reason: 'x' } })).statusCode).toBe(404);
  });

  it('pins list, export, live and report queries to the key\'s own party', async () => {
    const ids = json(await h.req(KEYS.buyerSecond, { method: 'GET', url: '/calls' })).calls.map((c: { id: string }) => c.id);
    expect(ids).toEqual([fromPubTwo.id, toSecond.id]);
    const asked = await h.req(KEYS.buyerSecond, { method: 'GET', url: '/calls?buyer=buyer_first' });
    expect(asked.statusCode).toBe(403);
    const pub = json(await h.req(KEYS.pubTwo, { method: 'GET', url: '/calls' })).calls.map((c: { id: string }) => c.id);
    expect(pub).toEqual([fromPubTwo.id]);
    const csv = (await h.req(KEYS.pubTwo, { method: 'GET', url: '/calls/export.csv' })).body.trim().split('\r\n');
    expect(csv).toHaveLength(2);
    const pnl = json(await h.req(KEYS.buyerFirst, { method: 'GET', url: '/reports/pnl?from=2026-11-24&to=2026-11-24&groupBy=buyer' }));
    expect(pnl.rows.map((r: { key: string }) => r.key)).toEqual(['buyer_first']);
    expect(pnl.totals).toEqual({ calls: 1, connected: 1, billable: 1, conversions: 0, revenueCents: toFirst.revenue_cents, conversionRate: 1 });
    expect((await h.req(KEYS.buyerFirst, { method: 'GET', url: '/reports/pnl?from=2026-11-24&to=2026-11-24&groupBy=publisher' })).statusCode).toBe(403);
  });

  it('shows each role only its side of a call, and masks callers for publishers not allowed to see them', async () => {
    const buyer = json(await h.req(KEYS.buyerFirst, { method: 'GET', url: `/calls/${toFirst.id}` })).call;
    expect(buyer.caller).toBe('+14155550201');
    expect(buyer.revenueCents).toBe(toFirst.revenue_cents);
    for (const k of ['payoutCents', 'publisherId', 'costCents', 'marginCents', 'sipCallId']) expect(buyer).not.toHaveProperty(k);
    const masked = json(await h.req(KEYS.pubOne, { method: 'GET', url: `/calls/${toFirst.id}` }));
    expect(masked.call.caller).toBe('+1******0201');
    expect(masked.attempts).toEqual([]);
    for (const k of ['revenueCents', 'buyerId', 'costCents', 'marginCents']) expect(masked.call).not.toHaveProperty(k);
    const csv = (await h.req(KEYS.pubOne, { method: 'GET', url: '/calls/export.csv' })).body;
    expect(csv).not.toContain('+14155550201');
    expect(csv.split('\r\n')[0]).not.toContain('revenueCents');
    const allowed = json(await h.req(KEYS.pubTwo, { method: 'GET', url: `/calls/${fromPubTwo.id}` })).call;
    expect(allowed.caller).toBe('+14155550203');
    const second = json(await h.req(KEYS.buyerSecond, { method: 'GET', url: `/calls/${toSecond.id}` }));
    // The first buyer's failed attempt on this call is not the second buyer's business.
    expect(second.attempts.map((a: { buyerId: string }) => a.buyerId)).toEqual(['buyer_second']);
  });
});

describe('request bodies', () => {
  it('rejects unknown and read-only fields, naming them', async () => {
    const cases: [string, string, object, string][] = [
      ['POST', '/blocklist', { number: '+14155550300', reason: 'x', createdAt: '2020-01-01T00:00:00Z' }, 'createdAt'],
      ['POST', '/blocklist', { number: '+14155550300', reason: 'x', createdBy: 'someone-else' }, 'createdBy'],
      ['POST', '/api-keys', { role: 'operator', key_hash: `sha256:${'0'.repeat(64)}` }, 'key_hash'],
      ['POST', '/api-keys', { role: 'operator', id: 'chosen-id' }, 'id'],
      ['POST', '/buyers/buyer_first/pause', { reason: 'x', source: 'auto' }, 'source'],
      ['POST', `/calls/${toFirst.id}/dispute/decision`, { accepted: true, reversedRevenueCents: 0 }, 'reversedRevenueCents'],
      ['POST', '/config/reload', { file: '/etc/passwd' }, 'file'],
    ];
    for (const [method, url, payload, field] of cases) {
      const r = await h.req(KEYS.operator, { method: method, url, payload });
      expect([url, r.statusCode, json(r).error.code]).toEqual([url, 400, 'invalid_request']);
      expect(json(r).error.message).toContain(`"${field}"`);
    }
    expect(h.engine.store.blocklist.has('+14155550300')).toBe(false);
  });

  it('rejects a buyer key bidding as a publisher and a publisher bidding for another', async () => {
    expect((await h.req(KEYS.buyerFirst, { method: 'POST', url: '/rtb/bid', payload: { caller: '+14155550301' } })).statusCode).toBe(403);
    expect((await h.req(KEYS.pubOne, { method: 'POST', url: '/rtb/bid', payload: { caller: '+14155550301', publisherId: 'pub_two' } })).statusCode).toBe(403);
  });
});

describe('audit trail', () => {
  it('cannot be edited or deleted, through the API or in SQLite', async () => {
    await h.req(KEYS.operator, { method: 'POST', url: '/blocklist', payload: { number: '+14155550400', reason: 'spam' } });
    const routes = await allRoutes();
    expect(routes.filter((r) => r.url.startsWith('/audit')).map((r) => r.method)).toEqual(['GET']);
    expect((await h.req(KEYS.operator, { method: 'DELETE', url: '/audit' })).statusCode).toBe(404);
    const db = h.engine.store.db;
    expect(() => db.prepare("UPDATE audit_log SET actor_key_id = 'someone'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    const entries = json(await h.req(KEYS.operator, { method: 'GET', url: '/audit' })).entries;
    expect(entries[0]).toMatchObject({ actorKeyId: 'ops', actorRole: 'operator', action: 'create', resource: 'blocklist' });
  });
});
