/**
 * Money is integer cents everywhere. Rates (percent, cents per minute) may be fractional in config, so they are
 * turned into integer millionths first and every product is rounded once, half away from zero, to a whole cent.
 */

const MICRO = 1_000_000;

/** A non-negative rate (e.g. 12.5 percent or 0.9 cents/min) as integer millionths, exact for up to 6 decimals. */
export function toMicro(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`rate must be a finite non-negative number: ${rate}`);
  return Math.round(rate * MICRO);
}

/** `numerator / denominator` for integers, rounded half up (callers only pass non-negative values). */
export function divRound(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`divRound needs safe integers and a positive denominator: ${numerator}/${denominator}`);
  }
  const q = Math.floor(numerator / denominator);
  const r = numerator - q * denominator;
  return 2 * r >= denominator ? q + 1 : q;
}

/** `percent`% of `cents`, rounded to the cent (50% of 1 cent is 1 cent: half up). */
export function percentOf(cents: number, percent: number): number {
  assertCents(cents);
  return divRound(cents * toMicro(percent), 100 * MICRO);
}

/**
 * Per-second telephony cost: `seconds` at `centsPerMinute`, rounded to the cent. Seconds are whole seconds
 * (callers round a leg's milliseconds up: a started second is a billed second, as carriers bill).
 */
export function perMinuteCost(seconds: number, centsPerMinute: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError(`seconds must be a whole number >= 0: ${seconds}`);
  return divRound(seconds * toMicro(centsPerMinute), 60 * MICRO);
}

/** Whole seconds a leg is billed for: milliseconds rounded up, never negative. */
export function billedSeconds(ms: number): number {
  return ms <= 0 ? 0 : Math.ceil(ms / 1000);
}

export function assertCents(cents: number): void {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`money must be integer cents: ${cents}`);
}

/** `$1,234.56` style, for reports. Negative amounts keep their sign. */
export function formatCents(cents: number): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}
