/**
 * SIP over UDP and TCP on one port each. Many carriers share the port; every message is tagged with the
 * socket-level source (not the Via) so answers go back where the packet came from (symmetric, NAT-friendly).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { SourceAddress, Transport } from '../../types.js';
import { parseMessage, MAX_MESSAGE_BYTES, type ParseResult } from './parse.js';
import { makeResponse, serialize } from './serialize.js';
import type { SipMessage } from './message.js';

interface TransportEvents {
  message: [SipMessage, SourceAddress];
}

const key = (a: { address: string; port: number }): string => `${a.address}:${a.port}`;
const TCP_IDLE_MS = 10 * 60_000;

export class SipTransport extends EventEmitter<TransportEvents> {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private readonly conns = new Map<string, net.Socket>();
  port = 0;
  /** Before parsing, by source address only (sip/guard.ts): false = drop the packet (or TCP connection) unread. */
  admit: ((from: SourceAddress) => boolean) | undefined;
  /** A packet that did not parse (sip/guard.ts charges the source): false = no 400, no log line. */
  malformed: ((from: SourceAddress) => boolean) | undefined;

  constructor(
    private readonly log: Logger,
    private readonly verbose: boolean,
  ) {
    super();
  }

  /** Bind every transport on `port` (0 = pick one free port for both). */
  async listen(host: string, port: number, transports: readonly Transport[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (transports.includes('udp')) this.port = await this.bindUdp(host, port);
        if (transports.includes('tcp')) this.port = await this.bindTcp(host, port === 0 && this.udp ? this.port : port);
        return;
      } catch (err) {
        await this.close();
        if (port !== 0 || attempt >= 5) throw new Error(`cannot listen on SIP port ${port}`, { cause: err });
      }
    }
  }

  private bindUdp(host: string, port: number): Promise<number> {
    const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
    this.udp = sock;
    sock.on('message', (buf, rinfo) => this.onData(buf, { address: rinfo.address, port: rinfo.port, transport: 'udp' }));
    sock.on('error', (err) => this.log.error({ err }, 'sip udp socket error'));
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, host, () => resolve(sock.address().port));
    });
  }

  private bindTcp(host: string, port: number): Promise<number> {
    const server = net.createServer((s) => this.adopt(s));
    this.tcp = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
    });
  }

  /** Frame a TCP byte stream into messages (Content-Length delimited, CRLF keepalives skipped). */
  private adopt(sock: net.Socket, peer?: SourceAddress): void {
    const from: SourceAddress = peer ?? { address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0, transport: 'tcp' };
    if (!peer && this.admit && !this.admit(from)) return void sock.destroy();
    this.conns.set(key(from), sock);
    sock.setNoDelay(true);
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    let pending = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      if (this.admit && !this.admit(from)) return void sock.destroy();
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length) {
        let skip = 0;
        while (pending[skip] === 0x0d || pending[skip] === 0x0a) skip++;
        pending = pending.subarray(skip);
        if (!pending.length) break;
        const r = parseMessage(pending, true);
        if (r.ok === 'incomplete') break;
        this.handle(r, pending.subarray(0, r.length), from);
        if (!r.ok) return void sock.destroy(); // framing is lost after a malformed message
        pending = pending.subarray(r.length);
      }
      if (pending.length > MAX_MESSAGE_BYTES) sock.destroy();
    });
    sock.on('error', (err) => this.log.debug({ err, peer: key(from) }, 'sip tcp connection error'));
    sock.on('close', () => {
      if (this.conns.get(key(from)) === sock) this.conns.delete(key(from));
    });
  }

  private onData(buf: Buffer, from: SourceAddress): void {
    if (buf.length <= 4 && buf.every((b) => b === 0x0d || b === 0x0a || b === 0)) return; // keepalive
    if (this.admit && !this.admit(from)) return;
    this.handle(parseMessage(buf, false), buf, from);
  }

  private handle(r: ParseResult, raw: Buffer, from: SourceAddress): void {
    if (this.verbose) this.log.debug({ peer: key(from), transport: from.transport, sip: raw.toString('latin1') }, 'sip recv');
    if (r.ok === 'incomplete') return;
    if (r.ok) {
      this.emit('message', r.message, from);
      return;
    }
    if (this.malformed && !this.malformed(from)) return;
    this.log.warn({ peer: key(from), transport: from.transport, reason: r.reason }, 'malformed sip message');
    if (r.status && r.partial) this.send(serialize(makeResponse(r.partial, r.status, { reason: undefined })), from);
  }

  /** Send to a peer; for TCP, reuse the connection the peer opened or open one. */
  send(buf: Buffer, to: SourceAddress, onError?: (err: Error) => void): void {
    if (this.verbose) this.log.debug({ peer: key(to), transport: to.transport, sip: buf.toString('latin1') }, 'sip send');
    if (to.transport === 'udp') {
      this.udp?.send(buf, to.port, to.address, (err) => {
        if (err) this.log.debug({ err, peer: key(to) }, 'sip udp send failed');
      });
      return;
    }
    let sock = this.conns.get(key(to));
    if (!sock || sock.destroyed) {
      sock = net.connect({ host: to.address, port: to.port });
      this.adopt(sock, to);
      if (onError) sock.once('error', onError);
    }
    sock.write(buf);
  }

  async close(): Promise<void> {
    for (const s of this.conns.values()) s.destroy();
    this.conns.clear();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    if (tcp) await new Promise<void>((r) => tcp.close(() => r()));
  }
}
