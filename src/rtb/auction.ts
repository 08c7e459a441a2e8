/**
 * Runs one outbound ping-post auction: pings every bidder in parallel, judges the answers with the pure
 * rules in core/distribution/auction, ranks the valid bids. Ends when the last bidder answered or its
 * timeout passed, whichever is first for each: never later than the longest per-bidder timeout.
 */
import { performance } from 'node:perf_hooks';
import {
  effectiveTimeoutMs,
  judgeBid,
  rankBids,
  type Bid,
  type BidderInfo,
  type BidVerdict,
} from '../core/distribution/auction.js';
import type { AuctionRecord, BidRecord } from '../store/auctions.js';
import type { BidderClient, PingResponse } from './client.js';
import { pingBodies, type PingInput } from './ping.js';
import { sign, TIMESTAMP_HEADER, SIGNATURE_HEADER } from './sign.js';

export interface AuctionBidder extends BidderInfo {
  url: string;
  secret: string;
  /** Configured per-buyer timeout; default 2000 ms, floor 50 ms. */
  timeoutMs?: number;
  canSeeCaller: boolean;
}

export interface AuctionRequest extends PingInput {
  callId: string | null;
  bidders: readonly AuctionBidder[];
  /** Optional ceiling on every bidder's timeout (e.g. what the caller can be kept waiting). */
  maxTimeoutMs?: number;
}

export interface AuctionOutcome {
  /** Valid bids, best first: the winner, then the fallbacks. */
  ranked: Bid[];
  winner: Bid | null;
  /** What to store (auctions + auction_bids). */
  record: AuctionRecord;
  /** The slowest answer that arrived in time, ms (for the overhead figure in the bench). */
  slowestInTimeMs: number;
}

interface Judged {
  bidder: AuctionBidder;
  response: PingResponse;
  verdict: BidVerdict;
}

export async function runAuction(client: BidderClient, req: AuctionRequest): Promise<AuctionOutcome> {
  const startedAt = client.clock();
  const t0 = performance.now();
  const bodies = pingBodies(req, new Date(startedAt));
  const judged = await Promise.all(
    req.bidders.map(async (bidder): Promise<Judged> => {
      const timeoutMs = effectiveTimeoutMs(bidder.timeoutMs, req.maxTimeoutMs);
      const body = bidder.canSeeCaller ? bodies.withNumber : bodies.hashedOnly;
      const ts = client.clock();
      const response = await client.ping({
        url: bidder.url,
        body,
        timeoutMs,
        headers: { [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: sign(bidder.secret, ts, body), 'x-callroute-ping-id': req.pingId },
      });
      return { bidder, response, verdict: judgeBid(bidder, response.result, ts + timeoutMs) };
    }),
  );
  const durationMs = performance.now() - t0;
  const ranked = rankBids(judged.flatMap((j) => (j.verdict.valid ? [j.verdict.bid] : [])));
  const winner = ranked[0] ?? null;
  const record: AuctionRecord = {
    id: req.pingId,
    callId: req.callId,
    campaignId: req.campaignId,
    startedAt,
    endedAt: client.clock(),
    durationMs,
    winnerBuyerId: winner?.buyerId ?? null,
    winnerCents: winner?.amountCents ?? null,
    bids: judged.map((j) => bidRecord(j, ranked)),
  };
  const inTime = judged.filter((j) => j.response.result.kind !== 'late').map((j) => j.response.latencyMs);
  return { ranked, winner, record, slowestInTimeMs: inTime.length ? Math.max(...inTime) : 0 };
}

function bidRecord({ bidder, response, verdict }: Judged, ranked: readonly Bid[]): BidRecord {
  const base = { buyerId: bidder.buyerId, latencyMs: response.latencyMs, httpStatus: response.httpStatus };
  if (!verdict.valid) {
    return {
      ...base,
      amountCents: verdict.amountCents,
      valid: false,
      reason: verdict.reason,
      detail: verdict.detail,
      expiresAt: null,
      destination: null,
      minDurationS: null,
      rank: null,
    };
  }
  const b = verdict.bid;
  return {
    ...base,
    amountCents: b.amountCents,
    valid: true,
    reason: null,
    detail: verdict.bidderReason,
    expiresAt: b.expiresAtMs,
    destination: b.destination,
    minDurationS: b.minDurationS,
    rank: ranked.indexOf(b) + 1,
  };
}
