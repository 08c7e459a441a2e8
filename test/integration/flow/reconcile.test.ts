import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { startTestEngine } from '../../support/engine.js';

describe('crash reconciliation at start-up', () => {
  it('closes rows left in_progress as interrupted, with the last known timestamps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callroute-'));
    const store = openStore(join(dir, 'calls.sqlite'));
    const base = { sip_call_id: 'x', driver: 'memory', did: '+18005550100', caller: '+14155550123', carrier_id: 'carrier_a',
      source_address: '127.0.0.1', campaign_id: 'medicare', publisher_id: 'pub_one', config_digest: 'd' };
    store.calls.insert({ ...base, id: 'in-ivr', invite_at: 1000 });
    store.calls.update('in-ivr', { phase: 'ivr', answer_at: 1500 }, 1500);
    store.calls.insert({ ...base, id: 'bridged', invite_at: 2000 });
    store.calls.update('bridged', { phase: 'bridged', buyer_answer_at: 9000, last_seen_at: 14_000 }, 14_000);
    const attemptId = store.calls.insertAttempt({ call_id: 'bridged', seq: 1, buyer_id: 'b', target_id: 't', destination: 'sip:x', invite_at: 8000 });
    store.calls.update('bridged', {}, 14_000);
    store.calls.insert({ ...base, id: 'done', invite_at: 3000 });
    store.calls.update('done', { status: 'completed', phase: 'ended', outcome: 'connected', end_at: 5000 }, 5000);
    store.close();
    expect(attemptId).toBeGreaterThan(0);

    const t = await startTestEngine(undefined, { dir });
    const get = (id: string) => t.engine.store.calls.get(id)!;
    expect(get('in-ivr')).toMatchObject({ status: 'interrupted', phase: 'ended', outcome: 'interrupted', end_at: 1500, hangup_cause: 'engine_restart' });
    expect(get('bridged')).toMatchObject({ status: 'interrupted', end_at: 14_000 });
    expect(t.engine.store.calls.attempts('bridged')[0]).toMatchObject({ end_at: 14_000, result: 'interrupted' });
    expect(get('done')).toMatchObject({ status: 'completed', end_at: 5000 });
    await t.close();
  });
});
