/** Real SQLite files in a temp dir, and call rows written through the lead's CallRepository as the flow does. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src/store/index.js';
import { billingRepos, type BillingRepos } from '../../../src/store/billing-repos.js';

export interface TestDb {
  file: string;
  store: Store;
  repos: BillingRepos;
}

export function tempDir(prefix: string): { path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openTestDb(file: string): TestDb {
  const store = openStore(file);
  return { file, store, repos: billingRepos(store.db) };
}

export interface CallSpec {
  id: string;
  caller: string;
  campaign?: string;
  publisher?: string;
  buyer?: string;
  target?: string;
  inviteAt: number;
  /** ms after invite the buyer answered (undefined = nobody answered). */
  buyerAnswerAfter?: number;
  /** ms after invite the call ended. */
  endAfter: number;
  qualified?: boolean;
}

/** Inserts a finished call row (no money yet: billing writes that). */
export function insertCall(store: Store, c: CallSpec): void {
  store.calls.insert({
    id: c.id, sip_call_id: `sip-${c.id}`, driver: 'test', did: '+18005550100', caller: c.caller, carrier_id: 'carrier1',
    source_address: '127.0.0.1', campaign_id: c.campaign ?? 'injury', publisher_id: c.publisher ?? 'pub1', config_digest: null, invite_at: c.inviteAt,
  });
  store.calls.update(c.id, {
    status: 'completed', phase: 'ended', answer_at: c.inviteAt + 1000, qualified: c.qualified === false ? 0 : 1,
    buyer_id: c.buyer ?? 'acme', target_id: c.target ?? 'acme-main',
    buyer_answer_at: c.buyerAnswerAfter === undefined ? null : c.inviteAt + c.buyerAnswerAfter, end_at: c.inviteAt + c.endAfter,
  }, c.inviteAt + c.endAfter);
}
