/**
 * RFC 4733 telephone-events over RTP: how a caller's DTMF reaches FreeSWITCH. The sender is used by tests against
 * the stand-in and a real FreeSWITCH alike; the receiver lets the FreeSWITCH stand-in hear it as FreeSWITCH does.
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';

const EVENTS = '0123456789*#ABCD';
const PT = 101;

function packet(seq: number, ts: number, ssrc: number, event: number, end: boolean, duration: number, marker: boolean): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | PT;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  b[12] = event;
  b[13] = (end ? 0x80 : 0) | 10; // volume -10 dBm0
  b.writeUInt16BE(duration, 14);
  return b;
}

/** Send `digits` one after another from `socket` to `to` (3 progress packets + 3 end packets each, 20 ms apart). */
export async function sendDtmf(socket: dgram.Socket, to: { host: string; port: number }, digits: string): Promise<void> {
  const ssrc = randomInt(1, 0x7fffffff);
  let seq = randomInt(0, 1000);
  let ts = randomInt(0, 100000);
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
  for (const d of digits) {
    const event = EVENTS.indexOf(d.toUpperCase());
    if (event < 0) throw new Error(`not a DTMF digit: ${d}`);
    for (let i = 1; i <= 3; i++) {
      socket.send(packet(seq++, ts, ssrc, event, false, 160 * i, i === 1), to.port, to.host);
      await tick();
    }
    for (let i = 0; i < 3; i++) socket.send(packet(seq++, ts, ssrc, event, true, 800, false), to.port, to.host);
    ts += 1600;
    await tick();
  }
}

/** Report each telephone-event once (on its first end packet). */
export function onDtmfPacket(onDigit: (digit: string) => void): (buf: Buffer) => void {
  const seen = new Set<string>();
  return (buf) => {
    if (buf.length < 16 || (buf[1]! & 0x7f) !== PT || !(buf[13]! & 0x80)) return;
    const key = `${buf.readUInt32BE(8)}:${buf.readUInt32BE(4)}`;
    if (seen.has(key)) return;
    seen.add(key);
    const digit = EVENTS[buf[12]!];
    if (digit) onDigit(digit);
  };
}

/** The remote media address in an SDP (c= and m=audio). */
export function mediaAddress(sdp: string): { host: string; port: number } {
  return { host: /c=IN IP4 (\S+)/.exec(sdp)?.[1] ?? '127.0.0.1', port: Number(/m=audio (\d+)/.exec(sdp)?.[1] ?? 0) };
}
