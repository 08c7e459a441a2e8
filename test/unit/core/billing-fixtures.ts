/** Config objects for the billing-rule tests, built through the real schemas so defaults match production. */
import { buyer, campaign, publisher } from '../../../src/config/schema/index.js';
import type { Buyer, Campaign, Publisher } from '../../../src/config/schema/index.js';

type BuyerInput = Partial<Omit<Buyer, 'targets'>> & { targets?: Record<string, unknown>[] };

export function makeBuyer(over: BuyerInput = {}): Buyer {
  return buyer.parse({
    id: 'acme',
    name: 'Acme Law',
    price_cents: 5000,
    targets: [{ id: 'acme-main', destination: { sip: 'sip:intake@127.0.0.1:5090' } }],
    ...over,
  });
}

export function makeCampaign(over: Partial<Campaign> = {}): Campaign {
  return campaign.parse({ id: 'injury', name: 'Injury', dids: [{ number: '+18005550100', publisher: 'pub1' }], ...over });
}

export function makePublisher(over: Partial<Publisher> = {}): Publisher {
  return publisher.parse({ id: 'pub1', name: 'Pub One', payout: { type: 'fixed', amount_cents: 1500 }, ...over });
}

/** Epoch ms of an ISO instant (with its offset or Z). */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
};
