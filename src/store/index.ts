/** The store: SQLite opened, migrated, with its repositories. The only place in the code base with SQL. */
import { openDatabase, type Db } from './db.js';
import { migrate } from './migrate.js';
import { CallRepository } from './calls.js';
import { BlocklistRepository } from './blocklist.js';

export interface Store {
  readonly db: Db;
  readonly calls: CallRepository;
  /** Callers blocked through the admin API (admission checks it beside the config's list). */
  readonly blocklist: BlocklistRepository;
  close(): void;
}

export function openStore(file: string): Store {
  const db = openDatabase(file);
  migrate(db);
  return {
    db,
    calls: new CallRepository(db),
    blocklist: new BlocklistRepository(db),
    close: () => db.close(),
  };
}

export type { CallRow, AttemptRow, CallPatch, NewCall, CallStatus } from './calls.js';
