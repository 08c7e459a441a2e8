/** The repositories the admin API reads and writes, over the engine's open database. */
import type { Db } from './db.js';
import { ApiKeyRepository } from './api-keys.js';
import { AuditRepository } from './audit.js';
import { AuctionRepository, ReservationRepository } from './auctions.js';
import { BlocklistRepository } from './blocklist.js';
import { billingRepos, type BillingRepos } from './billing-repos.js';
import { DisputeQueryRepository } from './dispute-query.js';
import { CallQueryRepository } from './call-query.js';
import { PauseRepository } from './distribution.js';
import { PnlRepository } from './pnl.js';

export interface AdminRepos {
  readonly audit: AuditRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly blocklist: BlocklistRepository;
  readonly callQuery: CallQueryRepository;
  readonly pnl: PnlRepository;
  readonly pauses: PauseRepository;
  readonly auctions: AuctionRepository;
  readonly reservations: ReservationRepository;
  readonly billing: BillingRepos;
  readonly disputeQuery: DisputeQueryRepository;
}

export function adminRepos(db: Db): AdminRepos {
  return {
    audit: new AuditRepository(db),
    apiKeys: new ApiKeyRepository(db),
    blocklist: new BlocklistRepository(db),
    callQuery: new CallQueryRepository(db),
    pnl: new PnlRepository(db),
    pauses: new PauseRepository(db),
    auctions: new AuctionRepository(db),
    reservations: new ReservationRepository(db),
    billing: billingRepos(db),
    disputeQuery: new DisputeQueryRepository(db),
  };
}
