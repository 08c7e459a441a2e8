/**
 * Grammar-aware mutation fuzzing of the embedded driver's SIP parser and SDP handling, seeded and time-budgeted.
 * Seeds are valid messages (ours, and the valid RFC 4475 requests); mutations work on lines (drop, duplicate, swap,
 * fold, extreme values for numeric headers, Content-Length lies), on tokens (separators, quotes, escapes, brackets) and
 * on bytes. Every input goes through what a received packet goes through: the parser (datagram and stream modes), the
 * accessors and UAS checks the driver uses on a parsed request, a 400 built from a partial one, and the SDP offer ->
 * answer path. Properties: nothing throws; a parsed message re-serialised parses again.
 */
import { parseMessage } from '../../../src/telephony/embedded/sip/parse.js';
import { makeResponse, serialize } from '../../../src/telephony/embedded/sip/serialize.js';
import { txKey } from '../../../src/telephony/embedded/sip/transactions.js';
import { checkRequest, userOf } from '../../../src/telephony/embedded/sip/uas-checks.js';
import { uriOf, withoutTag } from '../../../src/telephony/embedded/sip/dialog.js';
import { answerFor, parseRemote, writeSdp } from '../../../src/telephony/embedded/media/sdp.js';
import { seededRng } from '../../../src/core/distribution/rng.js';

export interface Finding {
  kind: 'throw' | 'roundtrip';
  input: Buffer;
  error: string;
}

export interface FuzzReport {
  runs: number;
  parsedOk: number;
  findings: Finding[];
}

const SDP = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=sendrecv', ''].join('\r\n');

export function seedMessages(extra: Buffer[] = []): Buffer[] {
  const invite = [
    'INVITE sip:+18005550100@192.0.2.9:5060;user=phone SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport',
    'Max-Forwards: 70', 'From: "Alice \\"A\\"" <sip:+14155550123@192.0.2.1>;tag=1928301774', 'To: <sip:+18005550100@192.0.2.9>',
    'Call-ID: a84b4c76e66710@192.0.2.1', 'CSeq: 314159 INVITE', 'Contact: <sip:alice@192.0.2.1:5060;transport=udp>',
    'P-Asserted-Identity: <tel:+14155550123>', 'Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
    'Content-Type: application/sdp', `Content-Length: ${SDP.length}`, '', SDP,
  ].join('\r\n');
  const ok = ['SIP/2.0 200 OK', 'Via: SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bKnashds8;received=192.0.2.3',
    'From: <sip:bob@example.com>;tag=a6c85cf', 'To: <sip:alice@example.com>;tag=1928301774', 'Call-ID: x@y', 'CSeq: 2 BYE',
    'Content-Length: 0', '', ''].join('\r\n');
  return [Buffer.from(invite, 'latin1'), Buffer.from(ok, 'latin1'), ...extra];
}

const TOKENS = ['"', '<', '>', ';', ',', ':', '=', '%', '%0', '%00', '\\', '[', ']', '@', ' ', '\t', '\r\n', '\r\n ', '\0', '\u00ff', 'sip:', 'tag=', 'branch='];
const NUMBERS = ['0', '-1', '4294967296', '99999999999999999999', '1e9', '0x10', '', ' 5 ', '65535', '65536', 'NaN'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** One mutation of `input`; line-level ones keep the message recognisable so deep code paths are reached. */
export function mutate(r: () => number, input: Buffer): Buffer {
  const text = input.toString('latin1');
  const lines = text.split('\r\n');
  const i = Math.floor(r() * lines.length);
  const j = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 10)) {
    case 0: lines.splice(i, 1); break;
    case 1: lines.splice(i, 0, lines[j]!); break;
    case 2: [lines[i], lines[j]] = [lines[j]!, lines[i]!]; break;
    case 3: lines[i] = lines[i]!.replace(/(\d+)/, () => pick(r, NUMBERS)); break;
    case 4: lines[i] = lines[i]!.replace(/^(Content-Length|l|CSeq|Max-Forwards|Expires):.*/i, (_m, h: string) => `${h}: ${pick(r, NUMBERS)}`); break;
    case 5: {
      const line = lines[i]!;
      const at = Math.floor(r() * (line.length + 1));
      lines[i] = line.slice(0, at) + pick(r, TOKENS) + line.slice(at);
      break;
    }
    case 6: lines[i] = `${lines[i]!}${pick(r, TOKENS).repeat(1 + Math.floor(r() * 300))}`; break;
    default: return byteMutation(r, input);
  }
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

function byteMutation(r: () => number, input: Buffer): Buffer {
  const b = Buffer.from(input);
  if (b.length === 0) return Buffer.from([Math.floor(r() * 256)]);
  const at = Math.floor(r() * b.length);
  const kind = Math.floor(r() * 3);
  if (kind === 0) b[at] = Math.floor(r() * 256);
  if (kind === 1) return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(r() * 32))]);
  if (kind === 2) return Buffer.concat([b.subarray(0, at), b.subarray(at, at + 64), b.subarray(at)]);
  return b;
}

const LOCAL = { address: '127.0.0.1', port: 20000, sessionId: 1, version: 1 };

function exerciseSdp(body: string): void {
  const offer = parseRemote(body);
  if (!offer) return;
  const answer = answerFor(offer, LOCAL);
  if (answer) writeSdp(answer);
}

/** What the driver does with one received packet; throws on a property violation. */
export function exercise(buf: Buffer): { ok: boolean; roundtrip?: string } {
  let parsed = false;
  let roundtrip: string | undefined;
  for (const stream of [false, true]) {
    const r = parseMessage(buf, stream);
    if (r.ok === false && r.status && r.partial) serialize(makeResponse(r.partial, r.status));
    if (r.ok !== true) continue;
    parsed = true;
    const m = r.message;
    txKey(m);
    withoutTag(m.get('from') ?? '');
    void m.from.params.get('tag');
    void m.to.params.get('tag');
    void m.via.host;
    if (m.isRequest) {
      checkRequest(m);
      userOf(m.uri);
      uriOf(m.get('contact') ?? m.get('from') ?? '');
      serialize(makeResponse(m, 200, { toTag: 'x' }));
    }
    exerciseSdp(m.body.toString('utf8'));
    const again = parseMessage(serialize(m), stream);
    if (again.ok !== true) roundtrip ??= again.ok === false ? again.reason : 'incomplete';
  }
  return { ok: parsed, ...(roundtrip ? { roundtrip } : {}) };
}

/** Mutates seeds (and earlier mutants) until `budgetMs` ran out; SDP bodies are also fuzzed on their own. */
export function fuzz(seeds: Buffer[], budgetMs: number, seed: number): FuzzReport {
  const r = seededRng(seed);
  const pool: Buffer[] = [...seeds];
  const sdpPool: Buffer[] = [Buffer.from(SDP, 'latin1')];
  const report: FuzzReport = { runs: 0, parsedOk: 0, findings: [] };
  const end = Date.now() + budgetMs;
  while (Date.now() < end) {
    for (let k = 0; k < 100; k++) {
      let input = pick(r, pool);
      for (let n = 1 + Math.floor(r() * 4); n > 0; n--) input = mutate(r, input);
      const sdp = mutate(r, pick(r, sdpPool));
      report.runs++;
      try {
        const out = exercise(input);
        exerciseSdp(sdp.toString('latin1'));
        if (out.ok) {
          report.parsedOk++;
          if (pool.length < 2000) pool.push(input); // parsed mutants are good parents for deeper paths
        }
        if (out.roundtrip) report.findings.push({ kind: 'roundtrip', input, error: out.roundtrip });
        if (sdpPool.length < 500 && parseRemote(sdp.toString('latin1'))) sdpPool.push(sdp);
      } catch (err) {
        report.findings.push({ kind: 'throw', input: Buffer.concat([input, Buffer.from('\n--- sdp ---\n'), sdp]), error: err instanceof Error ? err.stack ?? err.message : String(err) });
      }
    }
  }
  return report;
}
