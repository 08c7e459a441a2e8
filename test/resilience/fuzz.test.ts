/** A short, seeded fuzz run of the SIP parser and SDP handling (scripts/fuzz.ts runs longer ones). */
import { describe, expect, it } from 'vitest';
import { parseRemote } from '../../src/telephony/embedded/media/sdp.js';
import { exercise, fuzz, seedMessages } from './support/fuzz.js';
import { tortureFiles } from './support/torture.js';

describe('fuzzing the SIP parser and SDP handling', () => {
  it('a malformed rtpmap (found by the fuzzer) is not a usable offer instead of a TypeError', () => {
    const sdp = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 49170 RTP/AVP 0 101', 'a=rtpmap: 5  telephone-event/8000', ''].join('\r\n');
    expect(parseRemote(sdp)?.codecs).toEqual([{ codec: 'PCMU', pt: 0 }]);
  });

  it('the seeds parse and survive the packet path', () => {
    const seeds = seedMessages(tortureFiles().filter((f) => f.expectation === 'valid' && !f.response && !f.name.startsWith('rfc5118/')).map((f) => f.bytes));
    for (const s of seeds) expect(exercise(s)).toEqual({ ok: true });
  });

  it('nothing throws and accepted messages round-trip, for a few seconds of mutants', () => {
    const seed = Number(process.env.FUZZ_SEED ?? 4475);
    const valid = tortureFiles().filter((f) => f.expectation === 'valid' && !f.name.startsWith('rfc5118/')).map((f) => f.bytes);
    const report = fuzz(seedMessages(valid), 4000, seed);
    const first = report.findings[0];
    expect(first ? `${first.kind}: ${first.error}\n${first.input.toString('latin1')}` : '').toBe('');
    expect(report.runs).toBeGreaterThan(1000);
    expect(report.parsedOk).toBeGreaterThan(report.runs / 10);
  }, 30_000);
});
