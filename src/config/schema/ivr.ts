/**
 * IVR flows: a small graph of steps keyed by name. A step's `next` names another step, or one of the
 * two terminals: `route` (the caller qualified; pick a buyer) and `reject` (not qualified; hang up).
 */
import { z } from 'zod';
import { id } from './common.js';

const stepName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, _ or -');
/** A step name or a terminal. */
const next = stepName;
const tags = z.record(z.string(), z.string());

const timing = {
  /** Seconds to wait for the first digit after the prompt. */
  timeout_s: z.number().min(1).max(60).default(5),
  /** Seconds allowed between digits. */
  inter_digit_timeout_s: z.number().min(1).max(30).default(3),
  /** Times to replay the prompt after no/invalid input before `on_fail`. */
  retries: z.number().int().min(0).max(5).default(2),
};

export const sayStep = z.strictObject({ type: z.literal('say'), prompt: id, next });

export const menuStep = z.strictObject({
  type: z.literal('menu'),
  prompt: id,
  /** Digit -> what it means: tags to set and where to go. */
  options: z.record(
    z.string().regex(/^[0-9*#]$/, 'menu keys must be a single digit, * or #'),
    z.strictObject({ tags: tags.default({}), next }),
  ),
  /** Where to go after the retries are used up (no input or invalid input). */
  on_fail: next.default('reject'),
  ...timing,
});

export const gatherStep = z.strictObject({
  type: z.literal('gather'),
  prompt: id,
  min_digits: z.number().int().min(1).max(32),
  max_digits: z.number().int().min(1).max(32),
  terminators: z.string().regex(/^[*#]*$/, 'terminators may only be * and #').default('#'),
  /** The tag that receives the digits, e.g. `zip`. */
  tag: z.string().regex(/^[a-z0-9_]+$/),
  /** Optional pattern the digits must match (anchored), e.g. `[0-9]{5}`. */
  pattern: z.string().optional(),
  next,
  on_fail: next.default('reject'),
  ...timing,
});

/** Go to the first case whose tags all match the call's tags; `default` otherwise. */
export const branchStep = z.strictObject({
  type: z.literal('branch'),
  cases: z.array(z.strictObject({ when: tags, next })).min(1),
  default: next,
});

/** End the call, after an optional message. */
export const hangupStep = z.strictObject({ type: z.literal('hangup'), prompt: id.optional() });

export const ivrStep = z.discriminatedUnion('type', [sayStep, menuStep, gatherStep, branchStep, hangupStep]);

export const ivrFlow = z.strictObject({
  id,
  start: stepName,
  steps: z.record(stepName, ivrStep),
  /** Played when the caller fails qualification (`reject` terminal), before hanging up. */
  reject_prompt: id.optional(),
});

export const IVR_TERMINALS = ['route', 'reject'] as const;

export type IvrFlow = z.infer<typeof ivrFlow>;
export type IvrStep = z.infer<typeof ivrStep>;
