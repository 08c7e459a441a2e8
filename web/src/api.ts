/**
 * The admin API as the dashboard sees it: one fetch wrapper that sends the session's key and turns the API's
 * error shape `{error:{code,message,requestId}}` into an ApiFailure, plus the response types it reads.
 */
import { clearSession, sessionKey } from './session.js';

/** The admin API is mounted at the root of the engine's HTTP port. */
export const API = '';

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Called when the key stops working (revoked, or a new engine): the app goes back to the login form. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

async function failure(res: Response): Promise<ApiFailure> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiFailure(res.status, body.error?.code ?? 'error', body.error?.message ?? res.statusText);
  } catch {
    return new ApiFailure(res.status, 'error', res.statusText || `HTTP ${res.status}`);
  }
}

export async function request(path: string, init: RequestInit = {}, key = sessionKey()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(`${API}${path}`, { ...init, headers });
  if (res.ok) return res;
  const err = await failure(res);
  if (res.status === 401 && key === sessionKey()) {
    clearSession();
    onUnauthorized();
  }
  throw err;
}

export async function getJson<T>(path: string, key?: string): Promise<T> {
  const res = await request(path, {}, key);
  return (await res.json()) as T;
}

export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await request(path, { method: 'POST', body: JSON.stringify(body) });
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** `?a=1&b=2` from the defined entries only. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export type Role = 'operator' | 'buyer' | 'publisher';

export interface Me {
  role: Role;
  party: string | null;
  partyName: string | null;
  keyId: string;
  /** Buyers: days after a call in which it may be disputed. */
  disputeWindowDays?: number;
  /** Publishers: whether raw caller numbers are shown. */
  canSeeCaller?: boolean;
}

export interface CallView {
  id: string;
  campaignId: string | null;
  did: string;
  caller: string;
  status: string;
  phase: string;
  outcome: string | null;
  inviteAt: string;
  answerAt: string | null;
  ivrEndAt: string | null;
  routingAt: string | null;
  bridgeStartAt: string | null;
  buyerAnswerAt: string | null;
  endAt: string | null;
  hangupSide: string | null;
  hangupCause: string | null;
  qualified: boolean | null;
  duplicate: boolean;
  talkMs: number | null;
  billable: boolean;
  billableReason: string | null;
  buyerId?: string | null;
  targetId?: string | null;
  revenueCents?: number;
  bidCents?: number | null;
  publisherId?: string | null;
  payable?: boolean;
  payoutReason?: string | null;
  payoutCents?: number;
  costCents?: number;
  marginCents?: number;
  auctionId?: string | null;
}

export interface CallList {
  calls: CallView[];
  nextCursor: string | null;
}

export interface Attempt {
  seq: number;
  buyerId: string;
  targetId: string;
  inviteAt: string;
  ringAt: string | null;
  answerAt: string | null;
  endAt: string | null;
  result: string | null;
  sipCode: number | null;
  reason: string | null;
}

export interface Bid {
  buyerId: string;
  amountCents: number | null;
  valid: boolean;
  reason: string | null;
  latencyMs: number | null;
  rank: number | null;
}

export interface Auction {
  id: string;
  startedAt: string;
  durationMs: number;
  bidders: number;
  validBids: number;
  winnerBuyerId: string | null;
  winnerCents: number | null;
  bids: Bid[];
}

export interface CallDetail {
  call: CallView;
  ivrAnswers: { step: string; digits: string; at: string }[];
  tags: Record<string, string>;
  attempts: Attempt[];
  skips: { buyerId: string; targetId: string; reason: string }[];
  auctions: Auction[];
}

export interface LiveCall {
  id: string;
  campaignId: string;
  publisherId?: string;
  buyerId?: string | null;
  phase: string;
  phaseSince: string;
  startedAt: string;
}

export interface PnlFigures {
  calls: number;
  connected: number;
  billable: number;
  revenueCents?: number;
  payoutCents?: number;
  costCents?: number;
  marginCents?: number;
  conversionRate: number;
}

export type GroupBy = 'campaign' | 'publisher' | 'buyer' | 'day';

export interface PnlReport {
  from: string;
  to: string;
  tz: string;
  groupBy: GroupBy;
  rows: (PnlFigures & { key: string | null })[];
  totals: PnlFigures;
}
