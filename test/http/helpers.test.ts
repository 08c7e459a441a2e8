/** The pure pieces of the HTTP edge: report days in a time zone, CSV cells, caller masking, key matching. */
import { describe, expect, it } from 'vitest';
import { hashKey, matchKey } from '../../src/http/auth.js';
import { csvCell, csvLine } from '../../src/http/csv.js';
import { dayRanges } from '../../src/http/routes/reports.js';
import { maskNumber } from '../../src/http/views.js';

const H = 3_600_000;

describe('dayRanges', () => {
  it('makes local days that are 23 and 25 hours long across DST changes', () => {
    const spring = dayRanges('2026-03-07', '2026-03-09', 'America/New_York');
    expect(spring.map((d) => [d.day, (d.to - d.from) / H])).toEqual([['2026-03-07', 24], ['2026-03-08', 23], ['2026-03-09', 24]]);
    expect(new Date(spring[0]!.from).toISOString()).toBe('2026-03-07T05:00:00.000Z');
    const autumn = dayRanges('2026-11-01', '2026-11-01', 'America/New_York');
    expect((autumn[0]!.to - autumn[0]!.from) / H).toBe(25);
  });

  it('leaves no gap or overlap between days', () => {
    const days = dayRanges('2026-01-01', '2026-12-31', 'Europe/London');
    expect(days).toHaveLength(365);
    for (let i = 1; i < days.length; i++) expect(days[i]!.from).toBe(days[i - 1]!.to);
  });
});

describe('csv', () => {
  it('quotes separators and neutralises formulas, but keeps phone numbers and negatives as they are', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+cmd|calc')).toBe("'+cmd|calc");
    expect(csvCell('+14155550100')).toBe('+14155550100');
    expect(csvCell(-250)).toBe('-250');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvLine(['x', 1, null])).toBe('x,1,\r\n');
  });
});

describe('maskNumber', () => {
  it('keeps the country code and the last four digits', () => {
    expect(maskNumber('+14155550123')).toBe('+1******0123');
    expect(maskNumber('+442071234567')).toBe('+4*******4567');
    expect(maskNumber('anonymous')).toBe('anonymous');
  });
});

describe('matchKey', () => {
  const keys = ['alpha', 'beta', 'gamma'].map((k, i) => ({ id: `k${i}`, role: 'operator' as const, party: null, keyHash: hashKey(k) }));
  it('finds the key whose hash matches, wherever it sits, and nothing for a wrong key', () => {
    expect(matchKey('gamma', keys)?.id).toBe('k2');
    expect(matchKey('alpha', [...keys].reverse())?.id).toBe('k0');
    expect(matchKey('alphA', keys)).toBeUndefined();
    expect(matchKey('', keys)).toBeUndefined();
  });
});
