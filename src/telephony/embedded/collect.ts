/** Digit collection for `playCollect`: barge-in on the first digit, first/inter-digit timeouts, terminators, typeahead. */
import type { CollectEndReason, CollectResult, PlayCollectOptions } from '../types.js';
import type { InboundLeg } from './inbound-call.js';

export interface Collector {
  onDigit(digit: string): void;
  onHangup(): void;
}

export function collectDigits(call: InboundLeg, opts: PlayCollectOptions): Promise<CollectResult> {
  return new Promise((resolve) => {
    let digits = '';
    let timer: NodeJS.Timeout | undefined;
    let prompting = false;
    let done = false;
    const finish = (reason: CollectEndReason): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      call.collector = undefined;
      if (prompting) call.media.stopPlayback();
      resolve({ digits, reason });
    };
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish('timeout'), ms);
    };
    const collector: Collector = {
      onDigit: (d) => {
        if (prompting) {
          prompting = false;
          call.media.stopPlayback(); // barge-in
        }
        if (opts.terminators.includes(d)) return finish('terminator');
        digits += d;
        if (digits.length >= opts.maxDigits) return finish('max_digits');
        arm(opts.interDigitTimeoutMs);
      },
      onHangup: () => finish('hangup'),
    };
    call.collector = collector;
    for (const d of call.typeahead.splice(0)) if (!done) collector.onDigit(d);
    if (done || digits.length > 0) return;
    if (!opts.prompt) return arm(opts.firstDigitTimeoutMs);
    prompting = true;
    void call.playFile(opts.prompt).then(() => {
      if (!prompting || done) return;
      prompting = false;
      arm(opts.firstDigitTimeoutMs);
    });
  });
}
