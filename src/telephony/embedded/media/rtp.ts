/**
 * One RTP endpoint: a UDP socket from the configured port range, symmetric RTP (we latch onto the address
 * packets really come from, for callers behind NAT), and one outgoing stream (our SSRC, sequence, timestamp)
 * that stays continuous whether the audio comes from a prompt or is relayed from the other leg.
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';

export interface RtpPacket {
  pt: number;
  marker: boolean;
  seq: number;
  ts: number;
  ssrc: number;
  payload: Buffer;
}

export function parseRtp(buf: Buffer): RtpPacket | undefined {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return undefined;
  const cc = buf[0]! & 0x0f;
  let off = 12 + cc * 4;
  if (buf[0]! & 0x10) {
    if (buf.length < off + 4) return undefined;
    off += 4 + buf.readUInt16BE(off + 2) * 4;
  }
  let end = buf.length;
  if (buf[0]! & 0x20) end -= buf[buf.length - 1]!;
  if (off > end) return undefined;
  const pt = buf[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return undefined; // RTCP on the RTP port (rtcp-mux peers)
  return { pt, marker: (buf[1]! & 0x80) !== 0, seq: buf.readUInt16BE(2), ts: buf.readUInt32BE(4), ssrc: buf.readUInt32BE(8), payload: buf.subarray(off, end) };
}

export function buildRtp(p: RtpPacket): Buffer {
  const b = Buffer.allocUnsafe(12 + p.payload.length);
  b[0] = 0x80;
  b[1] = (p.marker ? 0x80 : 0) | p.pt;
  b.writeUInt16BE(p.seq & 0xffff, 2);
  b.writeUInt32BE(p.ts >>> 0, 4);
  b.writeUInt32BE(p.ssrc >>> 0, 8);
  p.payload.copy(b, 12);
  return b;
}

/** Hands out even ports from the configured range, round robin, skipping ports in use. */
export class PortPool {
  private next: number;
  constructor(private readonly min: number, private readonly max: number) {
    this.next = min + (min % 2);
  }

  async bind(host: string): Promise<dgram.Socket> {
    const span = Math.max(1, Math.floor((this.max - this.min) / 2) + 1);
    for (let i = 0; i < span; i++) {
      const port = this.next;
      this.next = this.next + 2 > this.max ? this.min + (this.min % 2) : this.next + 2;
      const sock = dgram.createSocket('udp4');
      const ok = await new Promise<boolean>((resolve) => {
        sock.once('error', () => resolve(false));
        sock.bind(port, host, () => resolve(true));
      });
      if (ok) return sock;
      sock.close();
    }
    throw new Error(`no free RTP port in ${this.min}-${this.max}`);
  }
}

interface RtpEvents {
  packet: [RtpPacket];
}

const RELATCH_MS = 1000;

export class RtpSession extends EventEmitter<RtpEvents> {
  readonly port: number;
  remote: { address: string; port: number } | undefined;
  /** performance.now() of the last packet received (0 = never). */
  lastRxAt = 0;
  rxPackets = 0;
  txPackets = 0;
  private readonly ssrc = randomInt(2 ** 32);
  private seq = randomInt(65536);
  private ts = randomInt(2 ** 31);
  private lastTxAt = 0;
  private closed = false;
  /** Source stream currently relayed, and the offsets that map it onto our stream. */
  private relayFrom: { ssrc: number; seqDelta: number; tsDelta: number } | undefined;

  constructor(private readonly sock: dgram.Socket) {
    super();
    this.port = sock.address().port;
    sock.on('message', (buf, rinfo) => this.onMessage(buf, rinfo));
    sock.on('error', () => undefined);
  }

  private onMessage(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    const p = parseRtp(buf);
    if (!p) return;
    const now = performance.now();
    const r = this.remote;
    if (!r || r.address !== rinfo.address || r.port !== rinfo.port) {
      // Latch on first packet, re-latch when the old source went quiet (NAT rebinding, re-INVITE).
      if (this.rxPackets > 0 && now - this.lastRxAt < RELATCH_MS) return;
      this.remote = { address: rinfo.address, port: rinfo.port };
    }
    this.lastRxAt = now;
    this.rxPackets++;
    try {
      this.emit('packet', p);
    } catch {
      // a bad packet or a leg torn down mid-relay must not reach the socket's error path
    }
  }

  /** Send audio we generate (prompt, tone): `samples` advances the timestamp. */
  sendFrame(pt: number, payload: Buffer, samples: number, marker = false): void {
    this.relayFrom = undefined;
    this.transmit({ pt, marker, seq: this.seq, ts: this.ts, ssrc: this.ssrc, payload });
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + samples) >>> 0;
  }

  /** Relay a packet from the other leg, rewritten into our stream (gaps and event timestamps preserved). */
  relay(p: RtpPacket, pt: number, payload: Buffer, samples: number): void {
    let map = this.relayFrom;
    if (!map || map.ssrc !== p.ssrc) {
      const gap = this.lastTxAt ? Math.max(160, Math.round((performance.now() - this.lastTxAt) * 8)) : 160;
      map = { ssrc: p.ssrc, seqDelta: this.seq - p.seq, tsDelta: this.ts + gap - 160 - p.ts };
      this.relayFrom = map;
    }
    const seq = (p.seq + map.seqDelta) & 0xffff;
    const ts = (p.ts + map.tsDelta) >>> 0;
    this.transmit({ pt, marker: p.marker, seq, ts, ssrc: this.ssrc, payload });
    if (((seq - this.seq) & 0xffff) < 0x8000) this.seq = (seq + 1) & 0xffff;
    this.ts = (ts + samples) >>> 0;
  }

  private transmit(p: RtpPacket): void {
    const r = this.remote;
    if (!r || r.port === 0 || this.closed) return;
    this.lastTxAt = performance.now();
    this.txPackets++;
    try {
      this.sock.send(buildRtp(p), r.port, r.address);
    } catch {
      // socket gone under us (call ending): drop the packet, never the process
    }
  }

  close(): void {
    this.closed = true;
    this.removeAllListeners();
    try {
      this.sock.close();
    } catch {
      // already closed
    }
  }
}
