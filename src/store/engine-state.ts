/** Engine-wide persisted values. */
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

/**
 * The key for caller-number hashes: the configured one, else one generated once and kept in the database,
 * so hashes stay stable across restarts (bidders may recognise repeat callers) without a default secret in code.
 */
export function callerHashKey(db: Db, configured: string | undefined): string {
  if (configured) return configured;
  const get = db.prepare("SELECT value FROM engine_state WHERE key = 'caller_hash_key'").pluck();
  const existing = get.get() as string | undefined;
  if (existing) return existing;
  db.prepare("INSERT OR IGNORE INTO engine_state (key, value) VALUES ('caller_hash_key', ?)").run(randomBytes(32).toString('hex'));
  return get.get() as string;
}
