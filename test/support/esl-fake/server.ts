/**
 * FreeSWITCH stand-in: the inbound event socket (auth, event subscriptions, `api` incl. `sofia status`,
 * HEARTBEAT events) and the `drachtio_mrf` SIP profile, attached as a peer to the drachtio stand-in's network.
 * INVITEs carrying X-esl-outbound are answered (3pcc: with an offer, else with an answer) and then handed to the
 * engine over an outbound event socket, as the dialplan in freeswitch/ does.
 */
import net from 'node:net';
import { EventEmitter } from 'node:events';
import type { DrachtioFake, Peer } from '../drachtio-fake/server.js';
import { responseTo } from '../drachtio-fake/server.js';
import { SipMsg, audioSdp, newBranch, newTag, tagOf, uriOf } from '../drachtio-fake/sip.js';
import { Channel, type ChannelHost } from './channel.js';
import { CommandReader, DISCONNECT_NOTICE, apiResponse, commandReply, eventBase, jsonEvent } from './protocol.js';

export interface EslFakeOptions {
  password?: string;
  /** SIP address of the drachtio_mrf profile on the simulated network. */
  sipHostport: string;
  maxSessions?: number;
  idleCpu?: number;
}

interface Inbound {
  socket: net.Socket;
  authed: boolean;
  events: Set<string>;
}

interface SipSide {
  invite: SipMsg;
  toTag: string;
  cseq: number;
}

export class EslFake extends EventEmitter implements Peer, ChannelHost {
  readonly hostport: string;
  readonly channels: Channel[] = [];
  private readonly sip = new Map<Channel, SipSide>();
  private server: net.Server | undefined;
  private readonly inbound = new Set<Inbound>();
  port = 0;
  idleCpu: number;
  sessionsPerSecond = 0;
  readonly maxSessions: number;
  /** Every inbound API command received (for assertions). */
  readonly apiCommands: string[] = [];

  constructor(private readonly net: DrachtioFake, private readonly opts: EslFakeOptions) {
    super();
    this.hostport = opts.sipHostport;
    this.maxSessions = opts.maxSessions ?? 5000;
    this.idleCpu = opts.idleCpu ?? 97.5;
  }

  get password(): string {
    return this.opts.password ?? 'ClueCon';
  }

  liveChannels(): Channel[] {
    return this.channels.filter((c) => !c.hungUp);
  }

  /** Listen on `port` (0: ephemeral; pass the old port to come back after `stop`) and join the SIP network. */
  async start(port = this.port): Promise<number> {
    const server = net.createServer((s) => this.onInbound(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    this.net.attach(this);
    return this.port;
  }

  /** FreeSWITCH going away: event sockets closed, channels gone, SIP profile unreachable. */
  async stop(): Promise<void> {
    this.net.detach(this.hostport);
    for (const c of this.liveChannels()) c.kill();
    for (const i of this.inbound) i.socket.destroy();
    this.inbound.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Send a HEARTBEAT (as switch_core does every 20 s) to every session subscribed to it. */
  heartbeat(): void {
    const live = this.liveChannels().length;
    const headers = {
      ...eventBase('HEARTBEAT'), 'Event-Calling-File': 'switch_core.c', 'Event-Calling-Function': 'send_heartbeat',
      'Event-Info': 'System Ready', 'Up-Time': '0 years, 0 days, 0 hours, 1 minute, 0 seconds, 0 milliseconds, 0 microseconds',
      'FreeSWITCH-Version': '1.10.11-release', 'Uptime-msec': '60000', 'Session-Count': String(live),
      'Max-Sessions': String(this.maxSessions), 'Session-Per-Sec': String(this.sessionsPerSecond),
      'Session-Per-Sec-Last': String(this.sessionsPerSecond), 'Session-Per-Sec-Max': '2', 'Session-Per-Sec-FiveMin': '1',
      'Session-Since-Startup': String(this.channels.length), 'Session-Peak-Max': String(this.channels.length),
      'Session-Peak-FiveMin': String(live), 'Idle-CPU': this.idleCpu.toFixed(6),
    };
    for (const i of this.inbound) if (i.authed && (i.events.has('HEARTBEAT') || i.events.has('all'))) i.socket.write(jsonEvent(headers));
  }

  /** Resolves with the next channel created (or one already matching). */
  waitChannel(match: (c: Channel) => boolean = () => true): Promise<Channel> {
    const found = this.channels.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (c: Channel): void => {
        if (!match(c)) return;
        this.off('channel', on);
        resolve(c);
      };
      this.on('channel', on);
    });
  }

  // ---- inbound event socket

  private onInbound(socket: net.Socket): void {
    const session: Inbound = { socket, authed: false, events: new Set() };
    this.inbound.add(session);
    socket.on('error', () => {});
    socket.on('close', () => this.inbound.delete(session));
    socket.write('Content-Type: auth/request\n\n');
    const reader = new CommandReader();
    socket.on('data', (chunk) => {
      for (const c of reader.push(chunk)) this.onInboundCommand(session, c.line);
    });
  }

  private onInboundCommand(s: Inbound, line: string): void {
    const [verb = '', ...rest] = line.split(' ');
    if (!s.authed) {
      if (verb === 'auth' && rest.join(' ') === this.password) {
        s.authed = true;
        return void s.socket.write(commandReply('+OK accepted'));
      }
      s.socket.write(commandReply('-ERR invalid'));
      s.socket.write(DISCONNECT_NOTICE);
      return void s.socket.end();
    }
    if (verb === 'event') {
      for (const e of rest.slice(1)) s.events.add(e);
      return void s.socket.write(commandReply(`+OK event listener enabled ${rest[0] ?? 'plain'}`));
    }
    if (verb === 'api') {
      this.apiCommands.push(rest.join(' '));
      return void s.socket.write(apiResponse(this.api(rest[0] ?? '', rest.slice(1).join(' '))));
    }
    if (verb === 'exit') {
      s.socket.write(commandReply('+OK bye'));
      s.socket.write(DISCONNECT_NOTICE);
      return void s.socket.end();
    }
    s.socket.write(commandReply('-ERR command not found'));
  }

  /** The API commands drachtio-fsmrf and the driver send, answered as FreeSWITCH does. */
  api(command: string, args: string): string {
    const [a = '', b = ''] = args.split(' ');
    const byUuid = (u: string): Channel | undefined => this.channels.find((c) => c.uuid === u && !c.hungUp);
    switch (command) {
      case 'sofia':
        return sofiaStatus(this.hostport);
      case 'status':
        return `UP 0 years, 0 days, 0 hours, 1 minute\nFreeSWITCH (Version 1.10.11-release) is ready\n${this.liveChannels().length} session(s) - peak 2\n${this.maxSessions} session(s) max\n`;
      case 'uuid_bridge': {
        const x = byUuid(a);
        const y = byUuid(b);
        if (!x || !y) return `-ERR Invalid uuid ${x ? b : a}\n`;
        x.bridge(y);
        return `+OK ${y.uuid}\n`;
      }
      case 'uuid_break': {
        const x = byUuid(a);
        if (!x) return '-ERR no such channel!\n';
        x.breakApp();
        return '+OK\n';
      }
      case 'uuid_dump': {
        const x = byUuid(a);
        if (!x) return '-ERR No such channel!\n';
        return `variable_rtp_local_sdp_str: ${encodeURIComponent(x.localSdp)}\nvariable_switch_r_sdp: ${encodeURIComponent(x.remoteSdp)}\nvariable_local_media_ip: 127.0.0.1\n`;
      }
      case 'uuid_kill': {
        byUuid(a)?.hangup(b || 'NORMAL_CLEARING', 'app');
        return '+OK\n';
      }
      default:
        return `-ERR ${command} Command not found!\n`;
    }
  }

  // ---- SIP side (the drachtio_mrf profile)

  receive(msg: SipMsg): void {
    if (!msg.isRequest) return;
    if (msg.method === 'INVITE' && !tagOf(msg.get('to'))) return this.onInvite(msg);
    const entry = [...this.sip.entries()].find(([, s]) => s.invite.callId === msg.callId);
    const reply = (status: number, sdp?: string): void => {
      const r = responseTo(msg, status, entry?.[1].toTag);
      if (sdp) r.set('Contact', `<sip:mod_sofia@${this.hostport}>`).set('Content-Type', 'application/sdp').body = sdp;
      this.net.fromNetwork(this, r);
    };
    if (!entry) return msg.method === 'ACK' ? undefined : reply(481);
    const [ch] = entry;
    if (msg.method === 'ACK') {
      if (msg.body) ch.remoteSdp = msg.body; // 3pcc: the answer arrives in the ACK
      return;
    }
    if (msg.method === 'INVITE') {
      if (msg.body) ch.remoteSdp = msg.body;
      return reply(200, ch.localSdp);
    }
    if (msg.method === 'BYE') {
      reply(200);
      return ch.hangup('NORMAL_CLEARING', 'sip');
    }
    reply(200);
  }

  private onInvite(invite: SipMsg): void {
    const outbound = invite.get('x-esl-outbound');
    const toTag = newTag();
    this.net.fromNetwork(this, responseTo(invite, 100));
    if (!outbound) return this.net.fromNetwork(this, responseTo(invite, 404, toTag));
    const ch = new Channel(this, invite.callId, invite.body, '', invite.get('user-agent') ?? '');
    this.channels.push(ch);
    this.sip.set(ch, { invite, toTag, cseq: 1 });
    void ch.listenRtp().then((port) => {
      ch.localSdp = audioSdp('127.0.0.1', port);
      this.answer(ch, invite, toTag, outbound);
    });
  }

  private answer(ch: Channel, invite: SipMsg, toTag: string, outbound: string): void {
    // dialplan: answer (200 OK with SDP), then socket <X-esl-outbound> async full
    const ok = responseTo(invite, 200, toTag);
    ok.set('Contact', `<sip:mod_sofia@${this.hostport}>`).set('Content-Type', 'application/sdp').body = ch.localSdp;
    this.net.fromNetwork(this, ok);
    ch.connectOutbound(outbound);
    this.emit('channel', ch);
  }

  sendBye(ch: Channel): void {
    const s = this.sip.get(ch);
    if (!s) return;
    const target = uriOf(s.invite.get('contact')) || `sip:${this.net.sipAddress}:${this.net.sipPort}`;
    const bye = SipMsg.request('BYE', target);
    bye.set('Via', `SIP/2.0/UDP ${this.hostport};branch=${newBranch()}`).set('Max-Forwards', '70');
    bye.set('From', `${s.invite.get('to') ?? ''};tag=${s.toTag}`).set('To', s.invite.get('from') ?? '');
    bye.set('Call-ID', s.invite.callId).set('CSeq', `${++s.cseq} BYE`);
    this.net.fromNetwork(this, bye);
  }

  ended(ch: Channel): void {
    this.emit('hangup', ch);
  }
}

/** `sofia status` as FreeSWITCH prints it; drachtio-fsmrf finds the profile's SIP address in it by regexp. */
function sofiaStatus(hostport: string): string {
  const rule = '='.repeat(97);
  return [
    '                     Name\t   Type\t                                      Data\tState',
    rule,
    `             drachtio_mrf\tprofile\t         sip:mod_sofia@${hostport}\tRUNNING (0)`,
    rule,
    '1 profile 0 aliases',
    '',
  ].join('\n');
}
