/** The billing repositories over one database handle, built together because they share transactions. */
import { BillingRepository } from './billing.js';
import { CapRepository } from './caps.js';
import { ConversionRepository } from './conversions.js';
import type { Db } from './db.js';
import { DisputeRepository } from './disputes.js';

export interface BillingRepos {
  caps: CapRepository;
  billing: BillingRepository;
  conversions: ConversionRepository;
  disputes: DisputeRepository;
}

export function billingRepos(db: Db): BillingRepos {
  const caps = new CapRepository(db);
  const billing = new BillingRepository(db, caps);
  return { caps, billing, conversions: new ConversionRepository(db, billing, caps), disputes: new DisputeRepository(db, billing, caps) };
}
