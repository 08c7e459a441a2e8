/** Metrics fed by the call flow's observer hooks: counts and money when a call ends, latencies as they happen. */
import type { CallObserver } from '../calls/observer.js';
import { idLabel, sipClass, type Metrics } from './metrics.js';

export function metricsObserver(m: Metrics): CallObserver {
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
    routed(_callId, info) {
      m.routingDecision.observe({ campaign: idLabel(info.campaignId) }, info.decisionMs / 1000);
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
