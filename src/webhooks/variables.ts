/**
 * The variables a webhook template may use, who may see each, and the standard JSON document.
 * Pure: the facts of one event in, values out. docs/webhooks.md lists the same table for operators.
 */
import type { WebhookEvent } from '../config/schema/index.js';
import type { CallRow } from '../store/index.js';
import type { TemplateValue } from './template.js';

/** Who owns a subscription. */
export type Party = 'campaign' | 'buyer' | 'publisher';

export interface ConversionFacts {
  /** The buyer's own id for the conversion report. */
  eventId: string;
  revenueCents: number | null;
}

export interface DisputeFacts {
  status: 'opened' | 'accepted' | 'rejected';
  reason: string | null;
}

/** Everything known about one event when it is enqueued. */
export interface EventFacts {
  event: WebhookEvent;
  eventId: string;
  /** Epoch ms, from the engine clock. */
  occurredAt: number;
  /** The call row as written by the change that caused the event. */
  call: Readonly<CallRow>;
  /** Keyed hash of the caller number (stable per caller, not reversible). */
  callerHash: string;
  conversion?: ConversionFacts;
  dispute?: DisputeFacts;
}

interface Variable {
  doc: string;
  /** Parties that may use it; absent = all. */
  audience?: readonly Party[];
  /** The raw caller number: only for parties allowed to see callers (see callerVisible). */
  caller?: true;
  get(f: EventFacts): TemplateValue;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const secs = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));
const flag = (n: number | null): boolean | null => (n === null ? null : n === 1);
const MONEY_BUYER: readonly Party[] = ['campaign', 'buyer'];
const MONEY_PUBLISHER: readonly Party[] = ['campaign', 'publisher'];

function areaCode(caller: string): string | null {
  const m = /^\+1([2-9][0-9]{2})[0-9]{7}$/.exec(caller);
  return m ? m[1]! : null;
}

export const VARIABLES: Readonly<Record<string, Variable>> = {
  event: { doc: 'event name, e.g. call.connected', get: (f) => f.event },
  event_id: { doc: 'unique id of the event (same on every retry and re-send)', get: (f) => f.eventId },
  event_time: { doc: 'when the event happened, ISO 8601 UTC', get: (f) => iso(f.occurredAt) },
  'call.id': { doc: 'our call id', get: (f) => f.call.id },
  'call.campaign_id': { doc: 'campaign id', get: (f) => f.call.campaign_id },
  'call.publisher_id': { doc: 'publisher id', get: (f) => f.call.publisher_id },
  'call.buyer_id': { doc: 'buyer the call was connected to (empty before)', get: (f) => f.call.buyer_id },
  'call.target_id': { doc: 'buyer target the call was connected to', get: (f) => f.call.target_id },
  'call.did': { doc: 'tracking number dialled', get: (f) => f.call.did },
  'call.caller': { doc: 'caller number, E.164 (restricted: see caller visibility)', caller: true, get: (f) => f.call.caller },
  'call.caller_hash': { doc: 'HMAC-SHA256 of the caller number (stable per caller)', get: (f) => f.callerHash },
  'call.caller_area_code': { doc: 'NANP area code of the caller', get: (f) => areaCode(f.call.caller) },
  'call.status': { doc: 'in_progress, completed or interrupted', get: (f) => f.call.status },
  'call.outcome': { doc: 'connected, not_qualified, no_buyer, abandoned_ivr… (set at the end)', get: (f) => f.call.outcome },
  'call.qualified': { doc: 'true/false once screening ended', get: (f) => flag(f.call.qualified) },
  'call.started_at': { doc: 'INVITE time, ISO 8601', get: (f) => iso(f.call.invite_at) },
  'call.answered_at': { doc: 'when we answered the caller', get: (f) => iso(f.call.answer_at) },
  'call.connected_at': { doc: 'when the buyer answered', get: (f) => iso(f.call.buyer_answer_at) },
  'call.ended_at': { doc: 'hangup time', get: (f) => iso(f.call.end_at) },
  'call.duration_s': { doc: 'seconds from INVITE to hangup', get: (f) => (f.call.end_at === null ? null : secs(f.call.end_at - f.call.invite_at)) },
  'call.talk_s': { doc: 'seconds of talk time after the buyer answered', get: (f) => secs(f.call.talk_ms) },
  'call.hangup_side': { doc: 'caller, buyer or system', get: (f) => f.call.hangup_side },
  'call.hangup_cause': { doc: 'why the call ended: bye, cancel, no_buyer, engine_restart…', get: (f) => f.call.hangup_cause },
  'call.billable': { doc: 'true when the call is billable to the buyer', get: (f) => f.call.billable === 1 },
  'call.duplicate': { doc: 'true when the caller is a duplicate', get: (f) => f.call.duplicate === 1 },
  'call.revenue_cents': { doc: 'what the buyer pays, cents', audience: MONEY_BUYER, get: (f) => f.call.revenue_cents },
  'call.bid_cents': { doc: 'winning bid, cents (ping-post)', audience: MONEY_BUYER, get: (f) => f.call.bid_cents },
  'call.payout_cents': { doc: 'what the publisher earns, cents', audience: MONEY_PUBLISHER, get: (f) => f.call.payout_cents },
  'call.payable': { doc: 'true when the publisher is paid for the call', audience: MONEY_PUBLISHER, get: (f) => f.call.payable === 1 },
  'call.tags': { doc: 'all IVR tags as a JSON object text', get: (f) => f.call.tags },
  'conversion.event_id': { doc: 'the buyer\'s id for the conversion report (call.converted)', get: (f) => f.conversion?.eventId ?? null },
  'conversion.revenue_cents': { doc: 'reported sale value, cents (call.converted)', audience: MONEY_BUYER, get: (f) => f.conversion?.revenueCents ?? null },
  'dispute.status': { doc: 'opened, accepted or rejected (call.disputed)', get: (f) => f.dispute?.status ?? null },
  'dispute.reason': { doc: 'the buyer\'s reason (call.disputed)', get: (f) => f.dispute?.reason ?? null },
};

/** `tag.<name>`: one IVR tag, e.g. `tag.zip`. */
const TAG_PREFIX = 'tag.';

function tagsOf(call: Readonly<CallRow>): Record<string, string> {
  try {
    const t: unknown = JSON.parse(call.tags);
    return t && typeof t === 'object' ? (t as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export type VariableCheck = { ok: true } | { ok: false; reason: 'unknown' | 'audience' | 'caller' };

/** Whether `name` exists and `party` may use it. `callerVisible`: see `callerVisible()`. */
export function checkVariable(name: string, party: Party, callerVisible: boolean): VariableCheck {
  if (name.startsWith(TAG_PREFIX) && /^[a-z0-9_]+$/.test(name.slice(TAG_PREFIX.length))) return { ok: true };
  const v = VARIABLES[name];
  if (!v) return { ok: false, reason: 'unknown' };
  if (v.audience && !v.audience.includes(party)) return { ok: false, reason: 'audience' };
  if (v.caller && !callerVisible) return { ok: false, reason: 'caller' };
  return { ok: true };
}

/** Looks a variable up for rendering. Names were checked at config load; unknown ones render empty. */
export function valueOf(facts: EventFacts, name: string): TemplateValue {
  if (name.startsWith(TAG_PREFIX)) return tagsOf(facts.call)[name.slice(TAG_PREFIX.length)] ?? null;
  return VARIABLES[name]?.get(facts) ?? null;
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = doc;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

/** The standard JSON body: every variable the party may see, nested by its dotted name; tags as an object. */
export function standardDocument(facts: EventFacts, party: Party, callerVisible: boolean): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(VARIABLES)) {
    if (!checkVariable(name, party, callerVisible).ok) continue;
    if (name.startsWith('conversion.') && !facts.conversion) continue;
    if (name.startsWith('dispute.') && !facts.dispute) continue;
    setPath(doc, name, name === 'call.tags' ? tagsOf(facts.call) : v.get(facts));
  }
  return doc;
}
