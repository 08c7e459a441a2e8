/**
 * Digits the caller typed while no collection was running. FreeSWITCH reports them as DTMF events but its
 * play_and_get_digits does not see them (checked against FreeSWITCH 1.11: a digit sent before the collect starts is
 * lost), so the driver keeps them and a collection starts from them, as the embedded driver does.
 */
import type { CollectResult, PlayCollectOptions } from '../types.js';

/** At most this many digits wait for a collection. */
export const TYPEAHEAD_MAX = 32;

/** What the typed-ahead digits already decide: a finished result, or the digits so far and the collection left to do. */
export type TypeaheadStart =
  | { done: true; result: CollectResult }
  | { done: false; digits: string };

/** Feed typed-ahead digits to a collection, like digits arriving during it: terminators end it, max digits end it. */
export function startFromTypeahead(ahead: string, opts: Pick<PlayCollectOptions, 'maxDigits' | 'terminators'>): TypeaheadStart {
  let digits = '';
  for (const d of ahead) {
    if (opts.terminators.includes(d)) return { done: true, result: { digits, reason: 'terminator' } };
    digits += d;
    if (digits.length >= opts.maxDigits) return { done: true, result: { digits, reason: 'max_digits' } };
  }
  return { done: false, digits };
}
