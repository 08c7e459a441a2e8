/**
 * One FreeSWITCH channel of the stand-in: created by an INVITE from drachtio, controlled over an outbound event
 * socket (the `socket <host:port> async full` dialplan action). Executes the dialplan apps drachtio-fsmrf uses
 * (playback, play_and_get_digits, set/export, answer, hangup) with CHANNEL_EXECUTE / CHANNEL_EXECUTE_COMPLETE
 * events matched by Application-UUID, DTMF events, hangup events and the disconnect notice.
 */
import net from 'node:net';
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { CommandReader, DISCONNECT_NOTICE, apiResponse, channelDisconnectNotice, commandReply, eventBase, jsonEvent } from './protocol.js';
import { parsePgd, playbackMs } from './apps.js';
import { onDtmfPacket } from './rtp-dtmf.js';

interface Running {
  app: string;
  arg: string;
  eventUuid: string;
  /** Stop the app early (uuid_break, hangup, bridge). */
  stop: () => void;
  /** A DTMF digit arrived while it runs. */
  digit?: (d: string) => void;
}

export interface ChannelHost {
  api(command: string, args: string): string;
  sendBye(ch: Channel): void;
  ended(ch: Channel): void;
}

export class Channel extends EventEmitter {
  readonly uuid = randomUUID();
  readonly vars: Record<string, string> = {};
  /** Every app executed, in order, with its argument. */
  readonly executed: { app: string; arg: string; at: Date }[] = [];
  bridgedWith: Channel | undefined;
  hungUp = false;
  private socket: net.Socket | undefined;
  private subscribed = new Set<string>();
  private filters: [string, string][] = [];
  private queue: { app: string; arg: string; eventUuid: string }[] = [];
  private running: Running | undefined;
  private typeahead: string[] = [];
  private rtp: dgram.Socket | undefined;

  constructor(
    private readonly host: ChannelHost,
    readonly sipCallId: string,
    public remoteSdp: string,
    public localSdp: string,
    readonly userAgent: string,
  ) {
    super();
  }

  /** Listen for RTP on an ephemeral port (DTMF as RFC 4733 events becomes DTMF, as FreeSWITCH does); returns it. */
  async listenRtp(): Promise<number> {
    const rtp = dgram.createSocket('udp4');
    this.rtp = rtp;
    rtp.on('message', onDtmfPacket((d) => this.dtmf(d)));
    rtp.on('error', () => {});
    await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', () => resolve()));
    return rtp.address().port;
  }

  /** The caller's RTP port as offered in the SDP this channel was created with (0 for a 3pcc endpoint). */
  get remoteMediaPort(): number {
    return Number(/m=audio (\d+)/.exec(this.remoteSdp)?.[1] ?? 0);
  }

  /** Dial the engine's outbound event-socket listener and serve the session. */
  connectOutbound(hostport: string): void {
    const i = hostport.lastIndexOf(':');
    const socket = net.connect(Number(hostport.slice(i + 1)), hostport.slice(0, i));
    this.socket = socket;
    const reader = new CommandReader();
    socket.on('data', (chunk) => {
      for (const c of reader.push(chunk)) this.onCommand(c.line, c.headers);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!this.hungUp) this.hangup('NORMAL_CLEARING', 'socket'); // socket app ends: FS hangs the channel up
    });
  }

  private write(s: string): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(s);
  }

  private channelHeaders(): Record<string, string> {
    const vars = Object.fromEntries(Object.entries(this.vars).map(([k, v]) => [`variable_${k}`, v]));
    return {
      'Channel-State': this.hungUp ? 'CS_HANGUP' : 'CS_EXECUTE',
      'Channel-Call-State': this.hungUp ? 'HANGUP' : 'ACTIVE',
      'Answer-State': this.hungUp ? 'hangup' : 'answered',
      'Call-Direction': 'inbound',
      'Unique-ID': this.uuid,
      'Channel-Unique-ID': this.uuid,
      'Channel-Name': `sofia/drachtio_mrf/drachtio@127.0.0.1`,
      variable_uuid: this.uuid,
      variable_sip_call_id: this.sipCallId,
      variable_sip_user_agent: this.userAgent,
      variable_rtp_local_sdp_str: this.localSdp,
      variable_switch_r_sdp: this.remoteSdp,
      variable_local_media_ip: '127.0.0.1',
      variable_local_media_port: /m=audio (\d+)/.exec(this.localSdp)?.[1] ?? '0',
      variable_remote_media_ip: '127.0.0.1',
      variable_remote_media_port: String(this.remoteMediaPort),
      variable_dtmf_type: 'rfc2833',
      ...vars,
    };
  }

  /** Send an event if the session subscribed to it and it passes the session's filters. */
  emitEvent(name: string, extra: Record<string, string> = {}): void {
    if (!this.subscribed.has(name) && !this.subscribed.has('all') && !this.subscribed.has('ALL')) return;
    const headers = { ...eventBase(name), ...this.channelHeaders(), ...extra };
    if (this.filters.length && !this.filters.some(([k, v]) => headers[k] === v)) return;
    this.write(jsonEvent(headers));
  }

  private onCommand(line: string, headers: Record<string, string>): void {
    const [verb = '', ...rest] = line.split(' ');
    const args = rest.join(' ');
    switch (verb) {
      case 'connect':
        return this.write(commandReply('+OK', { 'Event-Name': 'CHANNEL_DATA', ...eventBase('CHANNEL_DATA'), ...this.channelHeaders(), 'Socket-Mode': 'async', 'Control': 'full' }));
      case 'event':
        for (const e of rest.slice(1)) this.subscribed.add(e);
        return this.write(commandReply(`+OK event listener enabled ${rest[0] ?? 'plain'}`));
      case 'filter':
        this.filters.push([rest[0] ?? '', rest.slice(1).join(' ')]);
        return this.write(commandReply(`+OK filter added. [${rest[0]}]=[${rest.slice(1).join(' ')}]`));
      case 'myevents':
      case 'linger':
      case 'noevents':
        return this.write(commandReply('+OK'));
      case 'api':
        return this.write(apiResponse(this.host.api(rest[0] ?? '', rest.slice(1).join(' '))));
      case 'sendmsg':
        return this.sendmsg(headers);
      case 'exit':
        this.write(commandReply('+OK bye'));
        this.write(DISCONNECT_NOTICE);
        return void this.socket?.end();
      default:
        return this.write(commandReply(`-ERR command not found`));
    }
    void args;
  }

  private sendmsg(h: Record<string, string>): void {
    const cmd = h['call-command'];
    this.write(commandReply('+OK'));
    if (cmd === 'hangup') return this.hangup(h['hangup-cause'] ?? 'NORMAL_CLEARING', 'app');
    if (cmd !== 'execute') return;
    const app = h['execute-app-name'] ?? '';
    const arg = h['execute-app-arg'] ?? '';
    this.queue.push({ app, arg, eventUuid: h['Event-UUID'] ?? randomUUID() });
    this.runNext();
  }

  private runNext(): void {
    if (this.running || this.hungUp) return;
    const next = this.queue.shift();
    if (!next) return;
    this.executed.push({ app: next.app, arg: next.arg, at: new Date() });
    this.emitEvent('CHANNEL_EXECUTE', { Application: next.app, 'Application-Data': next.arg, 'Application-UUID': next.eventUuid });
    this.emit('execute', next.app, next.arg);
    const done = (response: string, extra: Record<string, string> = {}): void => {
      if (this.running?.eventUuid !== next.eventUuid) return;
      this.running = undefined;
      this.emitEvent('CHANNEL_EXECUTE_COMPLETE', { Application: next.app, 'Application-Data': next.arg, 'Application-Response': response, 'Application-UUID': next.eventUuid, ...extra });
      this.emit('complete', next.app, response);
      this.runNext();
    };
    this.running = { ...next, stop: () => done('_none_') };
    this.runApp(next.app, next.arg, done);
  }

  private runApp(app: string, arg: string, done: (response: string, extra?: Record<string, string>) => void): void {
    if (app === 'set' || app === 'export') {
      const i = arg.indexOf('=');
      if (i > 0) this.vars[arg.slice(0, i)] = arg.slice(i + 1);
      return done('_none_');
    }
    if (app === 'answer') return done('_none_');
    if (app === 'hangup') {
      done('_none_');
      return this.hangup(arg || 'NORMAL_CLEARING', 'app');
    }
    if (app === 'playback') return this.playback(arg, done);
    if (app === 'play_and_get_digits') return this.playAndGetDigits(arg, done);
    done('-ERR no such application');
  }

  private playback(file: string, done: (r: string, extra?: Record<string, string>) => void): void {
    const ms = playbackMs(file);
    if (ms === undefined) return done('FILE NOT FOUND');
    this.emit('playback', file);
    if (ms === Infinity) return; // until uuid_break / hangup / bridge
    const t = setTimeout(() => done('FILE PLAYED', { variable_playback_ms: String(ms) }), ms);
    const running = this.running!;
    running.stop = () => {
      clearTimeout(t);
      done('PLAYBACK_INTERRUPTED');
    };
  }

  private playAndGetDigits(arg: string, done: (r: string, extra?: Record<string, string>) => void): void {
    const a = parsePgd(arg);
    const running = this.running!;
    // switch_ivr_read clears its result variables and the DTMF queue before prompting
    for (const v of [a.varName, `${a.varName}_invalid`, 'read_terminator_used']) delete this.vars[v];
    this.typeahead = [];
    let digits = '';
    let terminator = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      const valid = digits.length >= a.min && a.regexp.test(digits);
      const extra: Record<string, string> = valid ? { [`variable_${a.varName}`]: digits } : { [`variable_${a.varName}_invalid`]: digits };
      if (terminator) extra.variable_read_terminator_used = terminator;
      if (valid) this.vars[a.varName] = digits;
      done(valid ? digits : '', extra);
    };
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(finish, ms);
    };
    const onDigit = (d: string): void => {
      if (a.terminators.includes(d)) {
        terminator = d;
        return finish();
      }
      digits += d;
      if (digits.length >= a.max) return finish();
      arm(a.digitTimeout);
    };
    const promptMs = playbackMs(a.file) ?? 0;
    const promptTimer = setTimeout(() => arm(a.timeout), promptMs === Infinity ? 0 : promptMs);
    running.digit = (d) => {
      clearTimeout(promptTimer); // barge-in
      onDigit(d);
    };
    running.stop = () => {
      clearTimeout(promptTimer);
      clearTimeout(timer);
      done('_none_');
    };
    this.emit('collect', a);
  }

  /** A DTMF digit from the caller's RTP (RFC 2833). */
  dtmf(digit: string): void {
    this.emitEvent('DTMF', { 'DTMF-Digit': digit, 'DTMF-Duration': '1600', 'DTMF-Source': 'RTP' });
    if (this.running?.digit) this.running.digit(digit);
    else this.typeahead.push(digit);
  }

  /** Stop the current app (uuid_break). */
  breakApp(): void {
    this.queue = [];
    this.running?.stop();
  }

  bridge(other: Channel): void {
    this.breakApp();
    other.breakApp();
    this.bridgedWith = other;
    other.bridgedWith = this;
    this.emitEvent('CHANNEL_BRIDGE', { 'Bridge-A-Unique-ID': this.uuid, 'Bridge-B-Unique-ID': other.uuid });
    other.emitEvent('CHANNEL_BRIDGE', { 'Bridge-A-Unique-ID': this.uuid, 'Bridge-B-Unique-ID': other.uuid });
  }

  /** Hang the channel up: BYE toward drachtio unless the BYE came from there, events, disconnect notice, close. */
  hangup(cause: string, origin: 'app' | 'sip' | 'socket' | 'test'): void {
    if (this.hungUp) return;
    this.queue = [];
    this.running?.stop();
    this.hungUp = true;
    if (origin !== 'sip') this.host.sendBye(this);
    if (this.bridgedWith) {
      this.emitEvent('CHANNEL_UNBRIDGE', { 'Bridge-A-Unique-ID': this.uuid, 'Bridge-B-Unique-ID': this.bridgedWith.uuid });
      this.bridgedWith.bridgedWith = undefined;
    }
    this.emitEvent('CHANNEL_CALLSTATE', { 'Original-Channel-Call-State': 'ACTIVE', 'Hangup-Cause': cause });
    this.emitEvent('CHANNEL_HANGUP', { 'Hangup-Cause': cause });
    this.emitEvent('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': cause });
    this.write(channelDisconnectNotice(this.uuid));
    this.socket?.end();
    this.rtp?.close();
    this.host.ended(this);
    this.emit('hangup', cause);
  }

  /** Drop the event socket without hanging up (FreeSWITCH process dying). */
  kill(): void {
    this.hungUp = true;
    this.rtp?.close();
    this.socket?.destroy();
  }
}
