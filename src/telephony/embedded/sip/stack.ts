/**
 * The SIP stack: transport + transaction tables. Retransmissions, CANCEL matching and ACKs of non-2xx
 * answers are handled here; everything else goes up as a `request` (with its server transaction).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { SourceAddress } from '../../types.js';
import type { SipMessage } from './message.js';
import { SipTransport } from './transport.js';
import { ClientTx, ServerTx, txKey, type ResponseHandler } from './transactions.js';
import { makeResponse, serialize } from './serialize.js';

interface StackEvents {
  request: [ServerTx];
}

export class SipStack extends EventEmitter<StackEvents> {
  readonly transport: SipTransport;
  private readonly servers = new Map<string, ServerTx>();
  private readonly clients = new Map<string, ClientTx>();
  /** Access control (sip/guard.ts) run on each request before any transaction: false = dropped or already answered. */
  screen: ((req: SipMessage, src: SourceAddress) => boolean) | undefined;

  constructor(private readonly log: Logger, verbose: boolean) {
    super();
    this.transport = new SipTransport(log, verbose);
    this.transport.on('message', (msg, src) => {
      try {
        if (msg.isRequest) this.onRequest(msg, src);
        else this.onResponse(msg);
      } catch (err) {
        this.log.error({ err, callId: msg.callId }, 'sip message handling failed');
      }
    });
  }

  private readonly send = (buf: Buffer, to: SourceAddress, onError?: (err: Error) => void): void =>
    this.transport.send(buf, to, onError);

  private onRequest(req: SipMessage, src: SourceAddress): void {
    if (this.screen && !this.screen(req, src)) return;
    const key = txKey(req);
    const existing = this.servers.get(key);
    if (req.method === 'ACK') {
      if (existing && existing.final && (existing.last?.status ?? 0) >= 300) return existing.acked();
      return void this.emit('request', new ServerTx(req, src, () => undefined, () => undefined));
    }
    if (req.method === 'CANCEL') return this.onCancel(req, src);
    if (existing) return existing.absorb();
    const tx = new ServerTx(req, src, this.send, () => this.servers.delete(key));
    this.servers.set(key, tx);
    if (req.method === 'INVITE') tx.reply(100);
    this.emit('request', tx);
  }

  private onCancel(req: SipMessage, src: SourceAddress): void {
    const invite = this.servers.get(txKey(req, 'INVITE'));
    const cancelKey = txKey(req);
    const tx = this.servers.get(cancelKey) ?? new ServerTx(req, src, this.send, () => this.servers.delete(cancelKey));
    this.servers.set(cancelKey, tx);
    if (tx.final) return tx.absorb();
    if (!invite) return void tx.reply(481);
    tx.reply(200, { toTag: invite.last?.to.params.get('tag') ?? undefined });
    if (!invite.final) invite.onCancel?.();
  }

  private onResponse(res: SipMessage): void {
    const tx = this.clients.get(txKey(res));
    if (tx) tx.onResponse(res);
    else this.log.debug({ callId: res.callId, status: res.status }, 'stray sip response');
  }

  /** Start a client transaction. */
  request(req: SipMessage, dest: SourceAddress, onResponse: ResponseHandler): ClientTx {
    const key = txKey(req);
    const tx = new ClientTx(req, dest, this.send, onResponse, () => this.clients.delete(key));
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** Send outside any transaction (ACK for 2xx, stateless answers). */
  sendRaw(msg: SipMessage, dest: SourceAddress): void {
    this.transport.send(serialize(msg), dest);
  }

  replyStateless(req: SipMessage, src: SourceAddress, status: number): void {
    this.sendRaw(makeResponse(req, status), src);
  }

  async close(): Promise<void> {
    for (const tx of [...this.servers.values()]) tx.terminate();
    for (const tx of [...this.clients.values()]) tx.terminate();
    await this.transport.close();
  }
}
