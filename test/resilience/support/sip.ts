/**
 * A raw SIP client for resilience tests and scripts: sends exact bytes over UDP or TCP from a chosen loopback address
 * and reports what came back (status codes, the first final response's headers) or that nothing did.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export interface Outcome {
  /** Status codes received, in order (100 Trying included). */
  codes: number[];
  /** The first final (>= 200) response, raw. */
  final?: string;
  /** TCP: the engine closed the connection. */
  closed?: boolean;
}

/** `dropped` when nothing came back, else the final code (or the last provisional one). */
export function describe(o: Outcome): string {
  const last = o.codes.find((c) => c >= 200) ?? o.codes.at(-1);
  const text = last === undefined ? 'dropped' : String(last);
  return o.closed && last === undefined ? 'dropped (closed)' : text;
}

function statusCodes(text: string): number[] {
  return [...text.matchAll(/^SIP\/2\.0 (\d{3})/gm)].map((m) => Number(m[1]));
}

/** Sends one datagram; resolves on the first final response or after `quietMs` without one. */
export function sendUdp(target: { host: string; port: number }, payload: Buffer, quietMs: number, local = '127.0.0.1'): Promise<Outcome> {
  const sock = dgram.createSocket('udp4');
  const out: Outcome = { codes: [] };
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      sock.close();
      resolve(out);
    };
    sock.on('message', (buf) => {
      const text = buf.toString('latin1');
      const codes = statusCodes(text);
      out.codes.push(...codes);
      if (codes.some((c) => c >= 200)) {
        out.final ??= text;
        done();
      }
    });
    sock.bind(0, local, () => {
      sock.send(payload, target.port, target.host);
      timer = setTimeout(done, quietMs);
    });
  });
}

/** Opens a connection, writes `payload`, resolves on the first final response, on close, or after `quietMs`. */
export function sendTcp(target: { host: string; port: number }, payload: Buffer, quietMs: number, local = '127.0.0.1'): Promise<Outcome> {
  const out: Outcome = { codes: [] };
  return new Promise((resolve) => {
    const sock = net.connect({ host: target.host, port: target.port, localAddress: local });
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(out);
    };
    sock.on('connect', () => {
      sock.write(payload);
      timer = setTimeout(done, quietMs);
    });
    sock.on('data', (b) => {
      text += b.toString('latin1');
      out.codes = statusCodes(text);
      if (out.codes.some((c) => c >= 200)) {
        out.final ??= text;
        done();
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      out.closed = true;
      done();
    });
  });
}

/** A well-formed request from `local` (a carrier address in tests); INVITE carries a G.711 offer. */
export function request(method: 'OPTIONS' | 'INVITE', opts: { did: string; target: string; local?: string; userAgent?: string; transport?: 'UDP' | 'TCP' }): Buffer {
  const local = opts.local ?? '127.0.0.1';
  const sdp = method === 'INVITE'
    ? ['v=0', `o=t 1 1 IN IP4 ${local}`, 's=-', `c=IN IP4 ${local}`, 't=0 0', 'm=audio 49170 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n')
    : '';
  const tag = randomBytes(4).toString('hex');
  const lines = [
    `${method} sip:${opts.did}@${opts.target} SIP/2.0`,
    `Via: SIP/2.0/${opts.transport ?? 'UDP'} ${local}:5999;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
    'Max-Forwards: 70',
    `From: <sip:+14155550123@${local}>;tag=${tag}`,
    `To: <sip:${opts.did}@${opts.target}>`,
    `Call-ID: ${randomBytes(8).toString('hex')}@${local}`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:+14155550123@${local}:5999>`,
    ...(opts.userAgent ? [`User-Agent: ${opts.userAgent}`] : []),
    ...(sdp ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}
