/** API keys issued at runtime (the config file holds the others). Only hashes are stored. */
import type { Db } from './db.js';

export type ApiRole = 'operator' | 'buyer' | 'publisher';

export interface ApiKeyRow {
  id: string;
  role: ApiRole;
  party: string | null;
  key_hash: string;
  label: string | null;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
}

export class ApiKeyRepository {
  readonly #db: Db;
  readonly #active;

  constructor(db: Db) {
    this.#db = db;
    this.#active = db.prepare('SELECT * FROM api_keys WHERE revoked_at IS NULL');
  }

  /** Every key in force (the auth layer compares against all of them in constant time per key). */
  active(): ApiKeyRow[] {
    return this.#active.all() as ApiKeyRow[];
  }

  list(): ApiKeyRow[] {
    return this.#db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as ApiKeyRow[];
  }

  get(id: string): ApiKeyRow | undefined {
    return this.#db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRow | undefined;
  }

  insert(row: Omit<ApiKeyRow, 'revoked_at'>): void {
    this.#db
      .prepare(
        `INSERT INTO api_keys (id, role, party, key_hash, label, created_at, created_by)
         VALUES (@id, @role, @party, @key_hash, @label, @created_at, @created_by)`,
      )
      .run(row);
  }

  /** Returns false when the key does not exist or was already revoked. */
  revoke(id: string, now: number): boolean {
    return this.#db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }
}
