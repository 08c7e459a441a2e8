/**
 * The embedded driver: SIP (UDP+TCP, one port each) and RTP in this process. Routes requests to dialogs,
 * turns new INVITEs into `InboundCall`s, answers OPTIONS keepalives, and refuses what it does not do.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { advertisedAddress, type Settings } from '../../config/settings.js';
import type { DriverEvents, TelephonyDriver } from '../types.js';
import type { DriverContext } from './context.js';
import { SipStack } from './sip/stack.js';
import { guardStack, SipGuard } from './sip/guard.js';
import type { ServerTx } from './sip/transactions.js';
import { ALLOW } from './sip/serialize.js';
import { checkRequest } from './sip/uas-checks.js';
import { sdpOf } from './sip/body.js';
import { MediaClock } from './media/clock.js';
import { MediaLeg } from './media/media-leg.js';
import { PortPool, RtpSession } from './media/rtp.js';
import { answerFor, offerFor, parseRemote } from './media/sdp.js';
import { InboundLeg } from './inbound-call.js';

const NO_G711 = { Warning: '304 callroute "G.711 audio offer required"' };
const KNOWN_OUT_OF_DIALOG = new Set(['REGISTER', 'SUBSCRIBE', 'NOTIFY', 'MESSAGE', 'PUBLISH', 'REFER', 'INFO', 'UPDATE', 'PRACK']);

export class EmbeddedDriver extends EventEmitter<DriverEvents> implements TelephonyDriver {
  readonly name = 'embedded' as const;
  private readonly stack: SipStack;
  private readonly clock = new MediaClock();
  private readonly ports: PortPool;
  private readonly dialogs = new Map<string, (tx: ServerTx) => void>();
  private readonly calls = new Set<InboundLeg>();
  /** Relay counters of recently ended calls, for diagnostics and tests (bounded). */
  private readonly endedStats = new Map<string, { toBuyer: number; toCaller: number }>();
  private readonly ctx: DriverContext;
  /** Scanner / non-carrier / rate-limit screen in front of the stack (sip/guard.ts). */
  readonly guard: SipGuard;
  private ready = false;

  constructor(private readonly settings: Settings, private readonly log: Logger) {
    super();
    this.stack = new SipStack(log, settings.verboseSip);
    this.guard = guardStack(this.stack, SipGuard.forSettings(settings, log));
    this.ports = new PortPool(settings.rtpPortMin, settings.rtpPortMax);
    this.ctx = {
      stack: this.stack, log, settings, clock: this.clock, address: advertisedAddress(settings), port: 0,
      newMedia: () => this.newMedia(),
      register: (key, handler) => this.dialogs.set(key, handler),
      unregister: (key) => this.dialogs.delete(key),
    };
    this.stack.on('request', (tx) => this.onRequest(tx));
  }

  /** Which source addresses are carriers (the engine passes its config's matcher); others get 403 and rate limits. */
  setSourcePolicy(isCarrier: (address: string) => boolean): void {
    this.guard.isCarrier = isCarrier;
  }

  /** The SIP port actually bound (useful with `sipPort: 0`). */
  get sipPort(): number {
    return this.stack.transport.port;
  }

  /** RTP packets relayed caller->buyer and buyer->caller for a live bridged call (diagnostics, tests). */
  relayStats(callId: string): { toBuyer: number; toCaller: number } | undefined {
    const call = [...this.calls].find((c) => c.id === callId);
    if (!call) return this.endedStats.get(callId);
    return call.buyer ? { toBuyer: call.media.relayed, toCaller: call.buyer.media.relayed } : undefined;
  }

  private onCallEnded(call: InboundLeg): void {
    this.calls.delete(call);
    if (call.buyer) this.endedStats.set(call.id, { toBuyer: call.media.relayed, toCaller: call.buyer.media.relayed });
    if (this.endedStats.size > 4096) this.endedStats.delete(this.endedStats.keys().next().value!);
  }

  async start(): Promise<void> {
    const s = this.settings;
    await this.stack.transport.listen(s.sipHost, s.sipPort, s.sipTransports);
    this.ctx.port = this.stack.transport.port;
    this.ready = true;
    this.log.info({ port: this.ctx.port, transports: s.sipTransports, address: this.ctx.address }, 'embedded sip listening');
    this.emit('ready', true);
  }

  async stop(): Promise<void> {
    this.ready = false;
    for (const call of [...this.calls]) call.finish('system', 'shutdown', true);
    // Let the BYEs leave before the sockets close.
    await new Promise((r) => setTimeout(r, 50));
    this.clock.stop();
    await this.stack.close();
    this.emit('ready', false);
  }

  isReady(): boolean {
    return this.ready;
  }

  activeCalls(): number {
    return this.calls.size;
  }

  private async newMedia(): Promise<MediaLeg> {
    const sock = await this.ports.bind(this.settings.sipHost);
    return new MediaLeg(new RtpSession(sock), this.clock, this.settings.mediaTimeoutS * 1000);
  }

  private onRequest(tx: ServerTx): void {
    const req = tx.req;
    const toTag = req.to.params.get('tag');
    if (toTag) {
      const handler = this.dialogs.get(`${req.callId}|${toTag}`);
      if (handler) return handler(tx);
      if (req.method !== 'ACK') tx.reply(481);
      return;
    }
    if (req.method === 'ACK') return;
    const rejection = checkRequest(req);
    if (rejection) return void tx.reply(rejection.status, { headers: rejection.headers });
    if (req.method === 'INVITE') return void this.onInvite(tx).catch((err) => this.failInvite(tx, err));
    if (req.method === 'OPTIONS') {
      return void tx.reply(200, { headers: { Allow: ALLOW, Accept: 'application/sdp', 'Accept-Language': 'en' } });
    }
    if (req.method === 'BYE') return void tx.reply(481);
    tx.reply(KNOWN_OUT_OF_DIALOG.has(req.method) ? 405 : 501, { headers: { Allow: ALLOW } });
  }

  private async onInvite(tx: ServerTx): Promise<void> {
    if (!this.ready) return void tx.reply(503, { headers: { 'Retry-After': String(this.settings.retryAfterS) } });
    // No body = late offer (RFC 3261 13.2.1): our offer goes in the 200 and the caller answers in its ACK.
    const body = sdpOf(tx.req);
    const offer = body.trim() ? parseRemote(body) : undefined;
    if (body.trim() && !offer?.codecs.length) return void tx.reply(488, { headers: NO_G711 });
    let cancelled = false;
    tx.onCancel = () => {
      cancelled = true;
      tx.reply(487);
    };
    const media = await this.newMedia();
    const base = { address: this.ctx.address, port: media.rtp.port, sessionId: Date.now(), version: 1 };
    const local = offer ? answerFor(offer, base) : offerFor(base);
    if (cancelled || !local) {
      media.close();
      if (!cancelled) tx.reply(488, { headers: NO_G711 });
      return;
    }
    const call = new InboundLeg(this.ctx, tx, media, offer, local, (c) => this.onCallEnded(c));
    this.calls.add(call);
    if (this.listenerCount('call') === 0) return void call.reject(503);
    call.log.debug({ source: `${tx.source.address}:${tx.source.port}`, transport: tx.source.transport, setupMs: Date.now() - call.receivedAt.getTime() }, 'inbound call offered');
    this.emit('call', call);
  }

  private failInvite(tx: ServerTx, err: unknown): void {
    this.log.error({ err, callId: tx.req.callId }, 'inbound call setup failed');
    tx.reply(503, { headers: { 'Retry-After': String(this.settings.retryAfterS) } });
  }
}
