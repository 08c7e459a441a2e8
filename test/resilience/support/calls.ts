/** Live sipp calls through an engine child, and read-only looks at its database while it runs. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { freePort, sipp, type SippProcess } from '../../e2e/support/sipp.js';
import { CALLER } from './engine.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** test/resilience/sipp/<name> with its UPPER_CASE placeholders filled in. */
export function resilienceScenario(name: string, vars: Record<string, string | number>): string {
  let text = readFileSync(join(HERE, '..', 'sipp', name), 'latin1');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(k, String(v));
  const file = join(mkdtempSync(join(tmpdir(), 'sipp-res-')), name);
  writeFileSync(file, text, 'latin1');
  return file;
}

/** `calls` calls of `holdMs` each at `rate`/s, all allowed up at once, from 127.0.0.1 (the carrier). */
export async function longCalls(target: string, did: string, opts: { calls: number; rate: number; holdMs: number; timeoutS: number }): Promise<SippProcess> {
  const sf = resilienceScenario('caller-long.xml', { HOLD_MS: opts.holdMs });
  return sipp([
    target, '-sf', sf, '-s', did, '-key', 'caller', CALLER, '-i', '127.0.0.1', '-p', String(await freePort()), '-mp', String(await freePort()),
    '-m', String(opts.calls), '-l', String(opts.calls + 10), '-r', String(opts.rate), '-rp', '1000',
  ], opts.timeoutS);
}

/** Polls `query` on a read-only connection until `done(value)`; polling is the only signal a child's database gives. */
export async function until<T>(db: string, query: (d: Database.Database) => T, done: (v: T) => boolean, what: string, giveUpMs = 120_000): Promise<T> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    let value: T | undefined;
    try {
      const d = new Database(db, { readonly: true, fileMustExist: true });
      try {
        value = query(d);
      } finally {
        d.close();
      }
    } catch {
      value = undefined; // not created yet, or busy
    }
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A copy of the database files as the crash left them (the WAL included). */
export function snapshot(db: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'crash-snap-'));
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      copyFileSync(db + suffix, join(dir, `calls.sqlite${suffix}`));
    } catch {
      // no WAL file: fine
    }
  }
  return join(dir, 'calls.sqlite');
}
