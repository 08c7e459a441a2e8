/** A real HTTP webhook receiver on 127.0.0.1 for the tests: records every request, answers as scripted. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  event: string;
  eventId: string;
}

/** Status to answer, `hold` to never answer (a hung receiver), or `park` to answer 200 on `releaseParked()`. */
export type Script = (hit: Hit, index: number) => number | { status: number; headers: Record<string, string> } | 'hold' | 'park';

export interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:PORT/hook`. */
  url: string;
  port: number;
  hits: Hit[];
  script: Script;
  /** Requests being answered right now (parked or held), and the most there ever were at once. */
  open: number;
  maxOpen: number;
  /** Answers every parked request with 200. */
  releaseParked(): void;
  /** Resolves once `pred` holds for the hits received so far (checked after every request). */
  until(pred: (hits: Hit[]) => boolean): Promise<Hit[]>;
  close(): Promise<void>;
}

export async function startReceiver(script: Script = () => 200, path = '/hook'): Promise<Receiver> {
  const hits: Hit[] = [];
  const waiters: { pred: (h: Hit[]) => boolean; resolve: (h: Hit[]) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pred(hits)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hits);
      }
    }
  };
  const parked: ServerResponse[] = [];
  const r: Receiver = {
    url: '',
    port: 0,
    hits,
    script,
    open: 0,
    maxOpen: 0,
    releaseParked: () => {
      for (const res of parked.splice(0)) res.writeHead(200).end('ok');
    },
    until: (pred) => (pred(hits) ? Promise.resolve(hits) : new Promise((resolve) => waiters.push({ pred, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    r.maxOpen = Math.max(r.maxOpen, ++r.open);
    res.on('close', () => r.open--);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit: Hit = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        event: String(req.headers['x-callroute-event'] ?? ''),
        eventId: String(req.headers['x-callroute-event-id'] ?? ''),
      };
      hits.push(hit);
      const answer = r.script(hit, hits.length - 1);
      if (answer === 'park') parked.push(res);
      else if (typeof answer === 'number') res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      else if (answer !== 'hold') res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end('ok');
      check();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}${path}`;
  return r;
}

/** A port nothing listens on (bound then released), for a receiver that is down. */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
