/**
 * SIP over real UDP for the simulated phones: `UdpSipNet` gives each phone a socket at its own `host:port` and
 * sends everything to drachtio's SIP address, so the same callers and buyers work against the drachtio stand-in
 * (`serveUdp`) and against a real drachtio-server.
 */
import dgram from 'node:dgram';
import type { DrachtioFake, Peer } from './server.js';
import type { SipNet } from './ua.js';
import { SipMsg } from './sip.js';

export class UdpSipNet implements SipNet {
  private readonly sockets = new Map<Peer, dgram.Socket>();
  private readonly ready = new Map<Peer, Promise<void>>();

  constructor(readonly sipAddress: string, readonly sipPort: number) {}

  attach(peer: Peer): void {
    const [host = '127.0.0.1', port = '0'] = peer.hostport.split(':');
    const socket = dgram.createSocket('udp4');
    socket.on('message', (buf) => peer.receive(SipMsg.parse(buf.toString())));
    socket.on('error', () => {});
    this.sockets.set(peer, socket);
    this.ready.set(peer, new Promise((resolve) => socket.bind(Number(port), host, () => resolve())));
  }

  fromNetwork(peer: Peer, msg: SipMsg): void {
    const socket = this.sockets.get(peer);
    if (!socket) throw new Error(`peer ${peer.hostport} is not attached`);
    void this.ready.get(peer)!.then(() => socket.send(msg.toString(), this.sipPort, this.sipAddress));
  }

  close(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}

/**
 * Give the drachtio stand-in a real UDP SIP port: datagrams from the network reach it as from a peer at the
 * sender's address; requests the app sends to an address with no in-process peer go out over UDP.
 */
export async function serveUdp(fake: DrachtioFake, port = 0): Promise<{ port: number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  const remotes = new Map<string, Peer>();
  const remote = (hostport: string): Peer => {
    let p = remotes.get(hostport);
    if (!p) {
      const [host = '127.0.0.1', prt = '5060'] = hostport.split(':');
      p = { hostport, receive: (msg) => socket.send(msg.toString(), Number(prt), host) };
      remotes.set(hostport, p);
    }
    return p;
  };
  socket.on('message', (buf, rinfo) => fake.fromNetwork(remote(`${rinfo.address}:${rinfo.port}`), SipMsg.parse(buf.toString())));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
  fake.fallback = remote;
  fake.sipPort = socket.address().port; // what it now writes in Via/Contact
  return { port: socket.address().port, close: () => socket.close() };
}
