/** Every failure answers `{error:{code,message,requestId}}`: 4xx with a reason a person can act on, 5xx generic. */
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRow } from '../../src/store/index.js';
import { KEYS, connectedCall, json, screenedOutCall, startHarness, type Harness } from './support.js';

let h: Harness;
let connected: CallRow;
let screened: CallRow;
const op = KEYS.operator;

beforeAll(async () => {
  h = await startHarness();
  connected = await connectedCall(h);
  screened = await screenedOutCall(h);
});
afterAll(() => h.close());

async function expectError(key: string | null, opts: Parameters<Harness['req']>[1], status: number, code: string, message?: RegExp) {
  const r = await h.req(key, opts);
  const body = json(r);
  expect([opts.url, r.statusCode]).toEqual([opts.url, status]);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code, requestId: r.headers['x-request-id'] });
  expect(typeof body.error.message).toBe('string');
  if (message) expect(body.error.message).toMatch(message);
  return body.error as { code: string; message: string; details?: unknown };
}

describe('request validation', () => {
  it('names the bad query parameter', async () => {
    await expectError(op, { method: 'GET', url: '/calls?limit=0' }, 400, 'invalid_request', /limit/);
    await expectError(op, { method: 'GET', url: '/calls?billable=maybe' }, 400, 'invalid_request', /billable/);
    await expectError(op, { method: 'GET', url: '/calls?campagin=medicare' }, 400, 'invalid_request', /"campagin"/);
    await expectError(op, { method: 'GET', url: '/calls?from=yesterday' }, 400, 'invalid_request', /from/);
    await expectError(op, { method: 'GET', url: '/calls?from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z' }, 400, 'invalid_request', /before/);
    await expectError(op, { method: 'GET', url: '/calls?cursor=garbage' }, 400, 'invalid_request', /cursor/);
  });

  it('explains bad report ranges', async () => {
    await expectError(op, { method: 'GET', url: '/reports/pnl?from=2026-11-24&to=2026-11-24&tz=Mars/Olympus' }, 400, 'invalid_request', /tz/);
    await expectError(op, { method: 'GET', url: '/reports/pnl?from=2026-11-24&to=2026-11-01' }, 400, 'invalid_request', /"to" must not be before/);
    await expectError(op, { method: 'GET', url: '/reports/pnl?from=2024-01-01&to=2026-01-01' }, 400, 'invalid_request', /at most 366 days/);
    await expectError(op, { method: 'GET', url: '/reports/pnl?from=2026-11-24' }, 400, 'invalid_request', /to/);
  });

  it('rejects malformed JSON and wrong types in bodies', async () => {
    await expectError(op, { method: 'POST', url: '/blocklist', headers: { 'content-type': 'application/json' }, payload: '{"number":' }, 400, 'invalid_request');
    await expectError(op, { method: 'POST', url: '/blocklist', payload: { number: '4155550100', reason: 'x' } }, 400, 'invalid_request', /E\.164/);
    await expectError(op, { method: 'POST', url: '/api-keys', payload: { role: 'buyer' } }, 400, 'invalid_request', /party/);
    await expectError(op, { method: 'POST', url: '/api-keys', payload: { role: 'buyer', party: 'nobody' } }, 400, 'invalid_request', /no buyer "nobody"/);
    await expectError(op, { method: 'POST', url: `/calls/${connected.id}/conversions`, payload: { eventId: 'e', revenueCents: 1.5 } }, 400, 'invalid_request', /revenueCents/);
  });
});

describe('not found and conflicts', () => {
  it('answers 404 for unknown routes and resources', async () => {
    await expectError(op, { method: 'GET', url: '/nope' }, 404, 'not_found', /no route GET \/nope/);
    await expectError(op, { method: 'GET', url: '/calls/does-not-exist' }, 404, 'not_found');
    await expectError(op, { method: 'DELETE', url: '/blocklist/+14155550111' }, 404, 'not_found');
    await expectError(op, { method: 'POST', url: '/buyers/nobody/pause', payload: { reason: 'x' } }, 404, 'not_found');
    await expectError(op, { method: 'POST', url: `/calls/${connected.id}/dispute/decision`, payload: { accepted: true } }, 404, 'not_found');
    await expectError(op, { method: 'DELETE', url: '/api-keys/key_missing' }, 404, 'not_found');
  });

  it('answers 409 with the reason when the state does not allow the change', async () => {
    await h.req(op, { method: 'POST', url: '/blocklist', payload: { number: '+14155550112', reason: 'x' } });
    await expectError(op, { method: 'POST', url: '/blocklist', payload: { number: '+14155550112', reason: 'again' } }, 409, 'conflict', /already blocked/);
    await expectError(op, { method: 'POST', url: `/calls/${screened.id}/conversions`, payload: { eventId: 'e1' } }, 409, 'conflict', /never reached a buyer/);
    await expectError(op, { method: 'POST', url: `/calls/${screened.id}/dispute`, payload: { reason: 'x' } }, 409, 'conflict', /not billed/);
    await expectError(op, { method: 'DELETE', url: '/api-keys/ops' }, 409, 'conflict', /config file/);
    await expectError(op, { method: 'POST', url: '/buyers/buyer_first/pause', payload: { reason: 'x', until: '2020-01-01T00:00:00Z' } }, 400, 'invalid_request', /future/);
  });

  it('keeps the running config when a reload finds problems, and lists them', async () => {
    const digest = h.engine.config().digest;
    writeFileSync(h.configFile, 'version: 1\ncarriers: []\n');
    const err = await expectError(op, { method: 'POST', url: '/config/reload', payload: {} }, 422, 'config_invalid', /running config was kept/);
    expect(Array.isArray(err.details) && err.details.length > 0).toBe(true);
    expect(h.engine.config().digest).toBe(digest);
    const audit = json(await h.req(op, { method: 'GET', url: '/audit?resource=config' }));
    expect(audit.entries).toEqual([]);
  });
});

describe('server errors', () => {
  it('answers 500 with a generic message and no internals', async () => {
    const other = await startHarness();
    other.engine.store.db.close();
    const r = await other.req(op, { method: 'GET', url: '/calls' });
    expect(r.statusCode).toBe(500);
    expect(json(r)).toEqual({ error: { code: 'internal', message: 'internal error', requestId: r.headers['x-request-id'] } });
    await other.close().catch(() => rmSync(other.dir, { recursive: true, force: true }));
  });
});
