/**
 * drachtio's admin wire protocol framing, as drachtio-srf's lib/wire-protocol.js reads and writes it:
 * `<byte length>#<msgId>|<type>|...` where the first line holds `|`-separated tokens and, for SIP, a CRLF and
 * the SIP message follow.
 */
import { randomUUID } from 'node:crypto';

export function frame(body: string, msgId: string = randomUUID()): string {
  const s = `${msgId}|${body}`;
  return `${Buffer.byteLength(s, 'utf8')}#${s}`;
}

/** Incremental decoder: feed socket chunks, get whole messages. */
export class Deframer {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: string[] = [];
    for (;;) {
      const hash = this.buf.indexOf('#');
      if (hash <= 0) break;
      const len = Number(this.buf.toString('utf8', 0, hash));
      if (!Number.isInteger(len) || len <= 0) throw new Error(`bad frame length: ${this.buf.toString('utf8', 0, hash)}`);
      if (this.buf.length < hash + 1 + len) break;
      out.push(this.buf.toString('utf8', hash + 1, hash + 1 + len));
      this.buf = this.buf.subarray(hash + 1 + len);
    }
    return out;
  }
}

/** Split an app message into its msgId, first-line tokens and the SIP text after the first CRLF. */
export function splitMessage(msg: string): { msgId: string; tokens: string[]; sip: string } {
  const crlf = msg.indexOf('\r\n');
  const leader = crlf === -1 ? msg : msg.slice(0, crlf);
  const [msgId = '', ...tokens] = leader.split('|');
  return { msgId, tokens, sip: crlf === -1 ? '' : msg.slice(crlf + 2) };
}

/** drachtio stamps messages with the time it saw them, `HH:MM:SS.micro`. */
export function stackTime(d = new Date()): string {
  return `${d.toISOString().slice(11, 23)}000`;
}
