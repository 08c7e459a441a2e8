/** The whole campaign config: one file, validated at once, immutable once loaded. */
import { z } from 'zod';
import { campaign } from './campaign.js';
import { ivrFlow } from './ivr.js';
import { buyer, carrier, publisher, trunk } from './parties.js';
import { e164, id } from './common.js';

export const prompt = z.strictObject({
  id,
  /** 8 kHz mono WAV, relative to the config file's directory. */
  file: z.string().min(1),
  /** What the prompt says (used by scripts/make-prompts to synthesise it). */
  text: z.string().optional(),
});

export const blocklist = z.strictObject({
  numbers: z.array(e164).default([]),
  /** Calls with a withheld caller id. */
  anonymous: z.enum(['allow', 'reject']).default('allow'),
});

export const apiKey = z.strictObject({
  id,
  role: z.enum(['operator', 'buyer', 'publisher']),
  /** The buyer or publisher id this key is scoped to (required for those roles). */
  party: id.optional(),
  /** `sha256:<hex>` of the key; the key itself never sits in the file. */
  key_hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits>'),
});

export const campaignConfig = z.strictObject({
  version: z.literal(1),
  carriers: z.array(carrier).min(1),
  trunks: z.array(trunk).default([]),
  prompts: z.array(prompt).default([]),
  ivr_flows: z.array(ivrFlow).default([]),
  publishers: z.array(publisher).min(1),
  buyers: z.array(buyer).min(1),
  campaigns: z.array(campaign).min(1),
  blocklist: blocklist.default({ numbers: [], anonymous: 'allow' }),
  api_keys: z.array(apiKey).default([]),
});

export type CampaignConfig = z.infer<typeof campaignConfig>;
export type Prompt = z.infer<typeof prompt>;
export type ApiKey = z.infer<typeof apiKey>;
export * from './common.js';
export * from './parties.js';
export * from './campaign.js';
export * from './ivr.js';
export * from './webhook.js';
