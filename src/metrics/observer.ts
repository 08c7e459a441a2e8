/** Metrics fed by the call flow's observer hooks: counts and money when a call ends, latencies as they happen. */
import type { CallObserver } from '../calls/observer.js';
import { idLabel, sipClass, type Metrics } from './metrics.js';

/** A finished auction as the metrics need it. */
export interface AuctionFacts {
  campaignId: string;
  durationMs: number;
  bids: readonly { valid: boolean }[];
}

/**
 * `auctionsFor` reads the auctions stored for a call; it is asked once per call, when routing is decided
 * (the auction is part of that decision), so auction metrics need no hook inside the distribution code.
 */
export function metricsObserver(m: Metrics, auctionsFor: () => ((callId: string) => AuctionFacts[]) | undefined = () => undefined): CallObserver {
  return {
    rejected(info) {
      m.rejected.inc({ reason: idLabel(info.reason), sip_code: String(info.sipCode) });
    },
    started(call) {
      m.callsStarted.inc({ campaign: idLabel(call.campaign_id) });
    },
    ivrFinished(_callId, campaignId, result) {
      m.ivrOutcomes.inc({ campaign: idLabel(campaignId), result });
    },
    routed(callId, info) {
      m.routingDecision.observe({ campaign: idLabel(info.campaignId) }, info.decisionMs / 1000);
      for (const a of auctionsFor()?.(callId) ?? []) {
        const campaign = idLabel(a.campaignId);
        m.auctionDuration.observe({ campaign }, a.durationMs / 1000);
        for (const b of a.bids) m.auctionBids.inc({ campaign, valid: b.valid ? 'true' : 'false' });
      }
    },
    attempt(_callId, info) {
      m.bridgeAttempts.inc({ buyer: idLabel(info.buyerId), result: idLabel(info.result), sip_class: sipClass(info.sipCode) });
    },
    ended(call) {
      const campaign = idLabel(call.campaign_id);
      m.calls.inc({ campaign, outcome: idLabel(call.outcome) });
      if (call.billable === 1) m.billable.inc({ campaign, buyer: idLabel(call.buyer_id) });
      if (call.revenue_cents > 0) m.revenue.inc({ campaign, buyer: idLabel(call.buyer_id) }, call.revenue_cents);
      if (call.payout_cents > 0) m.payout.inc({ campaign, publisher: idLabel(call.publisher_id) }, call.payout_cents);
      if (call.cost_cents > 0) m.cost.inc({ campaign }, call.cost_cents);
    },
  };
}
