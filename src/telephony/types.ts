/**
 * The telephony interface: what the call flow needs from a SIP/media stack, and nothing more.
 *
 * Designed from what both drivers can do:
 * - `embedded`: SIP (RFC 3261) + RTP in this process.
 * - `freeswitch`: drachtio-srf (SIP) + drachtio-fsmrf endpoints on FreeSWITCH (media).
 * The call flow never knows which one it is talking to. Every timestamp is a `Date` taken by the driver
 * at the moment the protocol event happened (not when the flow got round to it), so call rows are accurate.
 */
import type { EventEmitter } from 'node:events';

export type Transport = 'udp' | 'tcp';

/** Where a SIP request came from, as seen on the socket (not as claimed in Via). */
export interface SourceAddress {
  address: string;
  port: number;
  transport: Transport;
}

/** A prompt the driver can play: a WAV file (8 kHz mono for the embedded driver) or a tone stream. */
export interface PromptRef {
  /** The prompt's id in the campaign config (for logs and metrics). */
  id: string;
  /** Absolute path of the audio file, as the media server sees it. */
  file: string;
}

export interface PlayCollectOptions {
  prompt?: PromptRef;
  /** Fewest digits that count as an answer. Default 1. */
  minDigits: number;
  /** Collection stops as soon as this many digits arrived. */
  maxDigits: number;
  /** Milliseconds to wait for the first digit after the prompt ends. */
  firstDigitTimeoutMs: number;
  /** Milliseconds allowed between two digits. */
  interDigitTimeoutMs: number;
  /** Digits that end collection early (not included in the result), e.g. `#`. */
  terminators: string;
}

export type CollectEndReason = 'max_digits' | 'terminator' | 'timeout' | 'hangup';

export interface CollectResult {
  /** Digits collected, terminator excluded. May be shorter than `minDigits` (the flow decides what to do). */
  digits: string;
  reason: CollectEndReason;
}

export interface PlayResult {
  /** True when the prompt played to its end; false when the caller hung up during it. */
  completed: boolean;
}

/** A buyer leg to dial. The call flow resolves E.164 numbers + trunks into this before calling `bridge`. */
export interface BridgeTarget {
  /** Request-URI to send the INVITE to, e.g. `sip:intake@203.0.113.7:5060` or `sip:+15551234567@trunk.example`. */
  uri: string;
  /** Transport for the outbound leg. Default udp. */
  transport?: Transport;
  /** Next hop when it differs from the URI host (an outbound proxy / trunk). `host:port`. */
  proxy?: string;
  /** Digest credentials for the trunk, if it challenges. */
  auth?: { username: string; password: string };
  /** Caller id (user part) to present to the buyer. */
  callerId: string;
  /** Extra headers on the outbound INVITE (e.g. X-Call-Id for the buyer's CRM). */
  headers?: Record<string, string>;
  /** Played to the buyer only, after it answers and before the legs are joined. */
  whisper?: PromptRef;
}

export interface BridgeOptions {
  /** Give up on the buyer (CANCEL) when it has not answered within this many ms. */
  ringTimeoutMs: number;
  /** Called when the buyer leg sends 180/183; the driver plays ringback to the caller itself. */
  onRinging?: (at: Date) => void;
}

export type BridgeOutcome =
  /** The buyer answered; media now flows caller <-> buyer until either side hangs up. */
  | { result: 'answered'; sipCode: number; invitedAt: Date; answeredAt: Date }
  | { result: 'busy' | 'no_answer' | 'failed'; sipCode: number | null; reason: string; invitedAt: Date; endedAt: Date }
  /** The caller hung up while the buyer was ringing; the driver has already cancelled the buyer leg. */
  | { result: 'caller_hangup'; sipCode: number | null; invitedAt: Date; endedAt: Date };

export type HangupSide = 'caller' | 'buyer' | 'system';

export interface HangupInfo {
  side: HangupSide;
  at: Date;
  /** Short machine-readable cause: `bye`, `cancel`, `media_timeout`, `transport_error`, `drain`… */
  cause: string;
  /** SIP status involved, when there was one (e.g. the final response to a CANCELled INVITE). */
  sipCode?: number;
}

export interface InboundCallEvents {
  /** The call is over: both legs are gone. Emitted exactly once. */
  ended: [HangupInfo];
  /** A DTMF digit from the caller (RFC 4733 event or in-band), outside of `playCollect` too. */
  dtmf: [{ digit: string; at: Date }];
}

/**
 * One inbound call as the driver presents it. All methods are safe to call after the call ended:
 * they resolve (with `completed: false`, `reason: 'hangup'`, `caller_hangup`…) rather than throw,
 * because a caller may hang up at any moment and that is not an error.
 */
export interface InboundCall extends EventEmitter<InboundCallEvents> {
  /** Driver-scoped unique id (the SIP Call-ID of the inbound leg). */
  readonly id: string;
  /** Caller number: user part of P-Asserted-Identity, else From. `anonymous` when withheld. */
  readonly caller: string;
  /** The dialled number: user part of the Request-URI (or To when the carrier rewrites R-URI). */
  readonly did: string;
  readonly source: SourceAddress;
  /** Request headers, lower-cased names, first value of each. */
  readonly headers: Readonly<Record<string, string>>;
  readonly receivedAt: Date;
  /** Undefined until the call ends. */
  readonly endInfo: HangupInfo | undefined;

  /** Final non-2xx answer to the INVITE (no media). */
  reject(sipCode: number, opts?: { reason?: string; headers?: Record<string, string> }): Promise<void>;
  /** 200 OK with SDP; resolves with the time the caller's ACK arrived (media may flow). */
  answer(): Promise<Date>;
  /** Play a prompt to the caller. DTMF during the prompt is reported through `dtmf` events. */
  play(prompt: PromptRef): Promise<PlayResult>;
  /** Play an optional prompt (barge-in on first digit) then collect digits. */
  playCollect(opts: PlayCollectOptions): Promise<CollectResult>;
  /** Dial a buyer and, when it answers, join the two legs. At most one bridge at a time. */
  bridge(target: BridgeTarget, opts: BridgeOptions): Promise<BridgeOutcome>;
  /** End the call (both legs), with a cause recorded as `system`. Idempotent. */
  hangup(cause: string): Promise<void>;
}

export interface DriverEvents {
  /** A new INVITE passed the SIP layer (it has been answered 100 Trying). The engine must reject or answer it. */
  call: [InboundCall];
  /** Readiness changed (freeswitch driver: connections to drachtio / FreeSWITCH). */
  ready: [boolean];
}

export interface TelephonyDriver extends EventEmitter<DriverEvents> {
  readonly name: 'embedded' | 'freeswitch' | 'memory';
  /** Open sockets / connections. Resolves once the driver is listening (embedded) or connecting (freeswitch). */
  start(): Promise<void>;
  /** Close everything. Calls still up are ended with cause `shutdown`. */
  stop(): Promise<void>;
  /** True while the driver can take and place calls. */
  isReady(): boolean;
  /** Calls currently up (for drain and metrics). */
  activeCalls(): number;
  /**
   * Optional: which source addresses are carriers. A driver that implements it screens requests before the call flow
   * (403 to non-carriers, rate limits with a ban); without it, admission's carrier check is the only one.
   */
  setSourcePolicy?(isCarrier: (address: string) => boolean): void;
}
