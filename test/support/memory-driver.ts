/**
 * In-memory telephony driver for call-flow tests. Never a runtime default.
 * Each call is scripted: the digits the caller presses at each collect, and how each buyer URI behaves.
 * It keeps the interface's promises: methods resolve (never throw) after the call ended, `ended` fires once.
 */
import { EventEmitter } from 'node:events';
import type {
  BridgeOptions, BridgeOutcome, BridgeTarget, CollectResult, DriverEvents, HangupInfo, InboundCall,
  InboundCallEvents, PlayCollectOptions, PlayResult, PromptRef, SourceAddress, TelephonyDriver,
} from '../../src/telephony/types.js';

export type BuyerBehaviour =
  | { kind: 'answer'; ringMs?: number }
  | { kind: 'busy' }
  | { kind: 'no_answer' }
  | { kind: 'fail'; sipCode: number }
  /** Rings until the caller hangs up (to test abandonment during routing). */
  | { kind: 'ring_forever' }
  | { kind: 'throw' };

export interface PlaceCallOptions {
  caller?: string;
  did: string;
  source?: Partial<SourceAddress>;
  /** One entry per playCollect: digits pressed, or `hangup` to hang up at that prompt. Empty queue = timeout. */
  dtmf?: string[];
}

type Now = () => Date;

export class MemoryCall extends EventEmitter<InboundCallEvents> implements InboundCall {
  readonly id: string;
  readonly caller: string;
  readonly did: string;
  readonly source: SourceAddress;
  readonly headers: Record<string, string> = {};
  readonly receivedAt: Date;
  endInfo: HangupInfo | undefined;
  rejected: { sipCode: number; headers?: Record<string, string> } | undefined;
  answeredAt: Date | undefined;
  readonly played: string[] = [];
  readonly dialled: { uri: string; result: string }[] = [];
  /** Resolves when a buyer answers (the call is bridged). */
  readonly bridged: Promise<void>;
  #markBridged!: () => void;
  readonly #dtmf: string[];
  readonly #driver: MemoryDriver;

  constructor(driver: MemoryDriver, id: string, opts: PlaceCallOptions) {
    super();
    this.#driver = driver;
    this.id = id;
    this.caller = opts.caller ?? '+14155550123';
    this.did = opts.did;
    this.source = { address: '127.0.0.1', port: 5060, transport: 'udp', ...opts.source };
    this.receivedAt = driver.now();
    this.#dtmf = [...(opts.dtmf ?? [])];
    this.bridged = new Promise((r) => (this.#markBridged = r));
  }

  #end(side: HangupInfo['side'], cause: string): void {
    if (this.endInfo) return;
    this.endInfo = { side, cause, at: this.#driver.now() };
    this.#driver.live.delete(this.id);
    this.emit('ended', this.endInfo);
  }

  /** The caller hangs up (BYE, or CANCEL before answer). */
  callerHangup(): void {
    this.#end('caller', this.answeredAt ? 'bye' : 'cancel');
  }

  buyerHangup(): void {
    this.#end('buyer', 'bye');
  }

  reject(sipCode: number, opts?: { reason?: string; headers?: Record<string, string> }): Promise<void> {
    this.rejected = { sipCode, ...(opts?.headers ? { headers: opts.headers } : {}) };
    this.#end('system', `rejected_${sipCode}`);
    return Promise.resolve();
  }

  answer(): Promise<Date> {
    this.answeredAt = this.#driver.now();
    return Promise.resolve(this.answeredAt);
  }

  play(prompt: PromptRef): Promise<PlayResult> {
    if (this.endInfo) return Promise.resolve({ completed: false });
    this.played.push(prompt.id);
    return Promise.resolve({ completed: true });
  }

  playCollect(opts: PlayCollectOptions): Promise<CollectResult> {
    if (this.endInfo) return Promise.resolve({ digits: '', reason: 'hangup' });
    if (opts.prompt) this.played.push(opts.prompt.id);
    const next = this.#dtmf.shift();
    if (next === 'hangup') {
      this.callerHangup();
      return Promise.resolve({ digits: '', reason: 'hangup' });
    }
    if (next === undefined) return Promise.resolve({ digits: '', reason: 'timeout' });
    const digits = next.slice(0, opts.maxDigits);
    return Promise.resolve({ digits, reason: digits.length >= opts.maxDigits ? 'max_digits' : 'terminator' });
  }

  async bridge(target: BridgeTarget, opts: BridgeOptions): Promise<BridgeOutcome> {
    const invitedAt = this.#driver.now();
    if (this.endInfo) return { result: 'caller_hangup', sipCode: null, invitedAt, endedAt: invitedAt };
    const behaviour = this.#driver.buyers.get(target.uri) ?? { kind: 'fail', sipCode: 404 };
    const done = (o: BridgeOutcome): BridgeOutcome => {
      this.dialled.push({ uri: target.uri, result: o.result });
      return o;
    };
    switch (behaviour.kind) {
      case 'throw':
        throw new Error('driver failure (scripted)');
      case 'busy':
        return done({ result: 'busy', sipCode: 486, reason: 'Busy Here', invitedAt, endedAt: this.#driver.now() });
      case 'fail':
        return done({ result: 'failed', sipCode: behaviour.sipCode, reason: 'scripted', invitedAt, endedAt: this.#driver.now() });
      case 'no_answer':
        this.#driver.advance(opts.ringTimeoutMs);
        return done({ result: 'no_answer', sipCode: 487, reason: 'ring timeout', invitedAt, endedAt: this.#driver.now() });
      case 'ring_forever': {
        opts.onRinging?.(this.#driver.now());
        const [info] = (await EventEmitter.once(this, 'ended')) as [HangupInfo];
        return done({ result: 'caller_hangup', sipCode: 487, invitedAt, endedAt: info.at });
      }
      case 'answer': {
        opts.onRinging?.(this.#driver.now());
        this.#driver.advance(behaviour.ringMs ?? 0);
        const answeredAt = this.#driver.now();
        queueMicrotask(() => this.#markBridged());
        return done({ result: 'answered', sipCode: 200, invitedAt, answeredAt });
      }
    }
  }

  hangup(cause: string): Promise<void> {
    this.#end('system', cause);
    return Promise.resolve();
  }
}

export class MemoryDriver extends EventEmitter<DriverEvents> implements TelephonyDriver {
  readonly name = 'memory' as const;
  readonly buyers = new Map<string, BuyerBehaviour>();
  readonly live = new Map<string, MemoryCall>();
  readonly now: Now;
  readonly advance: (ms: number) => void;
  #seq = 0;

  constructor(clock: { now: Now; advance: (ms: number) => void }) {
    super();
    this.now = clock.now;
    this.advance = (ms) => clock.advance(ms);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    for (const c of [...this.live.values()]) void c.hangup('shutdown');
    return Promise.resolve();
  }

  isReady(): boolean {
    return true;
  }

  activeCalls(): number {
    return this.live.size;
  }

  /** A carrier sends an INVITE. */
  placeCall(opts: PlaceCallOptions): MemoryCall {
    const call = new MemoryCall(this, `mem-${++this.#seq}@test`, opts);
    this.live.set(call.id, call);
    this.emit('call', call);
    return call;
  }
}
