import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../support/engine.js';

describe('admission: rejects at once, with no call row', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  const rowCount = () => t.engine.store.db.prepare('SELECT count(*) FROM calls').pluck().get();

  it.each([
    ['source not an allowed carrier', { did: '+18005550100', source: { address: '198.51.100.9' } }, 403],
    ['unknown DID (from an allowed carrier)', { did: '+18005550199' }, 404],
    ['blocked caller', { did: '+18005550100', caller: '+14155550666' }, 603],
    ['anonymous caller under an anonymous: reject policy', { did: '+18005550100', caller: 'anonymous' }, 603],
  ])('%s -> %i', (_name, opts, code) => {
    const call = t.driver.placeCall(opts);
    expect(call.rejected?.sipCode).toBe(code);
    expect(call.answeredAt).toBeUndefined();
    expect(rowCount()).toBe(0);
  });

  it('an unknown source is refused 403 even for an unknown DID (no hint of what exists)', () => {
    const call = t.driver.placeCall({ did: '+18005550199', source: { address: '198.51.100.9' } });
    expect(call.rejected?.sipCode).toBe(403);
  });

  it('accepts a 10-digit DID as the E.164 number it is', async () => {
    const call = t.driver.placeCall({ did: '8005550100', dtmf: ['2'] });
    expect(call.rejected).toBeUndefined();
    const row = await t.ended(call);
    expect(row.did).toBe('+18005550100');
  });

  it('while draining, new INVITEs get 503 with Retry-After', () => {
    void t.engine.drain(1000);
    const call = t.driver.placeCall({ did: '+18005550100' });
    expect(call.rejected).toEqual({ sipCode: 503, headers: { 'Retry-After': '30' } });
  });
});
