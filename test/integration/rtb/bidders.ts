/** Real HTTP bidders on 127.0.0.1 for the auction tests and the bench: each answers as scripted. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  /** The client's port: the same value twice means the connection was reused. */
  remotePort: number | undefined;
}

export type Behaviour = (req: Received, res: ServerResponse) => void;

export interface TestBidder {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startBidder(behaviour: Behaviour): Promise<TestBidder> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort };
      received.push(r);
      behaviour(r, res);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ping`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answer after `ms`; a bidder past its deadline has its socket closed by us, which is fine. */
export const after = (ms: number, fn: Behaviour): Behaviour => (req, res) => {
  const t = setTimeout(() => fn(req, res), ms);
  res.on('close', () => clearTimeout(t));
};
