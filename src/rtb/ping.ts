/** The JSON a bidder receives. Built once per auction, in two variants: with and without the raw number. */
import { callerHash } from './sign.js';

export interface CallerInfo {
  /** E.164 caller number (never sent to a bidder not allowed to see it). */
  number: string;
  areaCode: string | null;
  state: string | null;
  zip: string | null;
}

export interface PingInput {
  pingId: string;
  campaignId: string;
  caller: CallerInfo;
  /** IVR answers as tags, e.g. `{age_65_plus: "yes"}`. */
  tags: Readonly<Record<string, string>>;
  /** HMAC key for the caller hash (settings `hashSecret`). */
  hashKey: string;
}

export interface PingBodies {
  /** For bidders with `can_see_caller`. */
  withNumber: string;
  hashedOnly: string;
}

export function pingBodies(input: PingInput, sentAt: Date): PingBodies {
  const caller = {
    area_code: input.caller.areaCode,
    state: input.caller.state,
    zip: input.caller.zip,
    number_hash: callerHash(input.hashKey, input.caller.number),
  };
  const base = { ping_id: input.pingId, campaign: input.campaignId, sent_at: sentAt.toISOString(), tags: input.tags };
  return {
    withNumber: JSON.stringify({ ...base, caller: { ...caller, number: input.caller.number } }),
    hashedOnly: JSON.stringify({ ...base, caller }),
  };
}

