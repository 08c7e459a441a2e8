/** Callers refused at admission, managed through the admin API (the config's blocklist.numbers adds to these). */
import type { Db } from './db.js';

export interface BlockedNumberRow {
  number: string;
  reason: string;
  created_at: number;
  created_by: string;
}

export class BlocklistRepository {
  readonly #db: Db;
  readonly #has;

  constructor(db: Db) {
    this.#db = db;
    this.#has = db.prepare('SELECT 1 FROM blocked_numbers WHERE number = ?').pluck();
  }

  /** On the admission path: one indexed lookup, no cache to go stale across processes. */
  has(number: string): boolean {
    return this.#has.get(number) !== undefined;
  }

  get(number: string): BlockedNumberRow | undefined {
    return this.#db.prepare('SELECT * FROM blocked_numbers WHERE number = ?').get(number) as BlockedNumberRow | undefined;
  }

  list(opts: { limit: number; after?: string }): BlockedNumberRow[] {
    return this.#db
      .prepare('SELECT * FROM blocked_numbers WHERE (@after IS NULL OR number > @after) ORDER BY number LIMIT @limit')
      .all({ limit: opts.limit, after: opts.after ?? null }) as BlockedNumberRow[];
  }

  /** Returns false when the number was already blocked (the existing row is kept). */
  add(row: BlockedNumberRow): boolean {
    return (
      this.#db
        .prepare(
          `INSERT INTO blocked_numbers (number, reason, created_at, created_by) VALUES (@number, @reason, @created_at, @created_by)
           ON CONFLICT (number) DO NOTHING`,
        )
        .run(row).changes === 1
    );
  }

  remove(number: string): boolean {
    return this.#db.prepare('DELETE FROM blocked_numbers WHERE number = ?').run(number).changes === 1;
  }
}
