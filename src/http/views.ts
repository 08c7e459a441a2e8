/**
 * What each role may see of a call. Operators see everything; a buyer sees the calls it received without the
 * publisher's side (payout, our cost, margin); a publisher sees the calls it sent without the buyer's side,
 * and the caller masked unless its config allows raw numbers.
 */
import type { LoadedConfig } from '../config/model.js';
import type { CallRow } from '../store/index.js';
import type { Principal } from './auth.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** `+15551230100` -> `+1*******0100`: enough to tell calls apart, not enough to call back. */
export function maskNumber(n: string): string {
  if (!/^\+?[0-9]{5,}$/.test(n)) return n;
  return `${n.slice(0, 2)}${'*'.repeat(n.length - 6)}${n.slice(-4)}`;
}

export function canSeeCall(p: Principal, row: Pick<CallRow, 'buyer_id' | 'publisher_id'>): boolean {
  if (p.role === 'operator') return true;
  if (p.role === 'buyer') return row.buyer_id === p.party;
  return row.publisher_id === p.party;
}

export function callerFor(p: Principal, caller: string, config: LoadedConfig): string {
  if (p.role !== 'publisher') return caller;
  const pub = p.party === null ? undefined : config.publishers.get(p.party);
  return pub?.can_see_caller ? caller : maskNumber(caller);
}

function common(row: CallRow) {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    did: row.did,
    status: row.status,
    phase: row.phase,
    outcome: row.outcome,
    inviteAt: new Date(row.invite_at).toISOString(),
    answerAt: iso(row.answer_at),
    ivrEndAt: iso(row.ivr_end_at),
    routingAt: iso(row.routing_at),
    bridgeStartAt: iso(row.bridge_start_at),
    buyerAnswerAt: iso(row.buyer_answer_at),
    endAt: iso(row.end_at),
    hangupSide: row.hangup_side,
    hangupCause: row.hangup_cause,
    qualified: row.qualified === null ? null : row.qualified === 1,
    duplicate: row.duplicate === 1,
    talkMs: row.talk_ms,
    billable: row.billable === 1,
    billableReason: row.billable_reason,
  };
}

const buyerSide = (row: CallRow) => ({
  buyerId: row.buyer_id,
  targetId: row.target_id,
  revenueCents: row.revenue_cents,
  bidCents: row.bid_cents,
});

const publisherSide = (row: CallRow) => ({
  publisherId: row.publisher_id,
  payable: row.payable === 1,
  payoutReason: row.payout_reason,
  payoutCents: row.payout_cents,
});

/** The call as `p` may see it. Fields a role must not see are absent (and the response schema strips strays). */
export function callView(p: Principal, row: CallRow, config: LoadedConfig): Record<string, unknown> {
  const base = { ...common(row), caller: callerFor(p, row.caller, config) };
  if (p.role === 'buyer') return { ...base, ...buyerSide(row) };
  if (p.role === 'publisher') return { ...base, ...publisherSide(row) };
  return {
    ...base,
    ...buyerSide(row),
    ...publisherSide(row),
    costCents: row.cost_cents,
    marginCents: row.revenue_cents - row.payout_cents - row.cost_cents,
    auctionId: row.auction_id,
    sipCallId: row.sip_call_id,
    driver: row.driver,
    carrierId: row.carrier_id,
    configDigest: row.config_digest,
  };
}
