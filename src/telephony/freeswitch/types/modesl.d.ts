/**
 * The parts of modesl 1.2.x and drachtio-modesl 1.3.x this driver uses (neither ships types).
 * Both expose the same Connection/Event API (lib/esl/Connection.js, lib/esl/Event.js).
 */
declare module 'modesl' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  export class Event {
    constructor(headers: Record<string, string>, body?: string);
    getHeader(name: string): string | undefined;
    getBody(): string;
    getType(): string;
  }

  /** An inbound event-socket connection: `new Connection(host, port, password, onReady)`. */
  export class Connection extends EventEmitter {
    constructor(host: string, port: number, password: string, onReady?: () => void);
    socket: Socket | null;
    connected(): boolean;
    api(command: string, cb: (evt: Event) => void): void;
    api(command: string, args: string | string[], cb: (evt: Event) => void): void;
    subscribe(events: string | string[], cb?: (evt: Event) => void): void;
    disconnect(): void;
  }
}

declare module 'drachtio-modesl' {
  export { Connection, Event } from 'modesl';
  export type EslConnection = import('modesl').Connection;
  export type EslEvent = import('modesl').Event;
}
