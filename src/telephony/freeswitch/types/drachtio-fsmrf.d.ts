/**
 * The parts of drachtio-fsmrf 4.1.x this driver uses (the package ships no types).
 * Shapes read from node_modules/drachtio-fsmrf/lib/{mrf,mediaserver,endpoint}.js.
 */
declare module 'drachtio-fsmrf/lib/mediaserver.js' {
  import type { EventEmitter } from 'node:events';
  import type Srf from 'drachtio-srf';
  import type { EslConnection, EslEvent } from 'drachtio-modesl';

  export interface PlayCollectArgs {
    file: string;
    min?: number;
    max?: number;
    tries?: number;
    /** ms to wait for the first digit after the prompt. */
    timeout?: number;
    terminators?: string;
    invalidFile?: string;
    varName?: string;
    regexp?: string;
    /** ms allowed between digits. */
    digitTimeout?: number;
  }

  export interface PlayCollectResult {
    digits?: string;
    invalidDigits?: string;
    terminatorUsed?: string;
  }

  export class Endpoint extends EventEmitter {
    readonly uuid: string;
    readonly local: { sdp: string; mediaIp?: string; mediaPort?: string };
    readonly remote: { sdp: string };
    readonly dialog: Srf.Dialog;
    readonly connected: boolean;
    play(file: string | string[]): Promise<{ playbackSeconds?: string }>;
    playCollect(opts: PlayCollectArgs): Promise<PlayCollectResult>;
    bridge(other: Endpoint | string): Promise<void>;
    modify(sdp: string): Promise<unknown>;
    api(command: string, args?: string | string[]): Promise<EslEvent>;
    execute(app: string, arg?: string): Promise<EslEvent>;
    /** `uuid_dump` as name -> value (`variable_*`, …); with `includeMedia`, `uuid_set_media_stats` runs first. */
    getChannelVariables(includeMedia?: boolean): Promise<Record<string, string>>;
    executeAsync(app: string, arg?: string, cb?: (evt: EslEvent) => void): string;
    destroy(): Promise<void>;
    on(event: 'destroy', listener: (info?: { reason?: string }) => void): this;
    on(event: 'dtmf', listener: (evt: { dtmf: string; duration?: string; source?: string }) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export interface CreateEndpointOptions {
    remoteSdp?: string;
    codecs?: string | string[];
    headers?: Record<string, string>;
  }

  /** Constructed by Mrf#connect; built directly here so the driver owns the ESL connection's retries. */
  export default class MediaServer extends EventEmitter {
    constructor(
      conn: EslConnection,
      mrf: { srf: Srf; customEvents?: string[] },
      listenAddress: string,
      listenPort: number,
      advertisedAddress?: string,
      advertisedPort?: number,
      profile?: string,
    );
    readonly address: string;
    readonly conn: EslConnection;
    maxSessions: number;
    currentSessions: number;
    cps: number;
    cpuIdle?: number;
    connected(): boolean;
    disconnect(): void;
    createEndpoint(opts?: CreateEndpointOptions): Promise<Endpoint>;
    connectCaller(
      req: Srf.SrfRequest,
      res: Srf.SrfResponse,
      opts?: CreateEndpointOptions & { headers?: Record<string, string> },
    ): Promise<{ endpoint: Endpoint; dialog: Srf.Dialog }>;
    api(command: string): Promise<string>;
    on(event: 'ready' | 'end' | 'connect', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
