/**
 * drachtio-server stand-in: a TCP server speaking drachtio's admin wire protocol to drachtio-srf (authenticate,
 * route, ping, `sip|txn|dialog` requests and responses, `response|…` echoes of what it sent, `sip|network|…`
 * deliveries), and a simulated SIP network of in-process peers behind it. Like the real server it completes
 * headers the app leaves out (Via, Call-ID, tags, CSeq, Contact), answers CANCEL itself (200 + 487),
 * ACKs non-2xx finals, and keeps dialogs by id `<Call-ID>;from-tag=<tag>`.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { Deframer, frame, splitMessage, stackTime } from './wire.js';
import { SipMsg, REASONS, hostportOf, newBranch, newCallId, newTag, tagOf, uriOf, withTag } from './sip.js';

/** A SIP endpoint on the simulated network. */
export interface Peer {
  /** `host:port` it is reached at (R-URI or proxy of requests sent to it). */
  hostport: string;
  receive(msg: SipMsg): void;
}

interface App {
  socket: net.Socket;
  authenticated: boolean;
  routes: Set<string>;
}
interface ServerTxn { txnId: string; req: SipMsg; peer: Peer; app: App; toTag: string; final: boolean; dialogId: string }
interface ClientTxn { txnId: string; req: SipMsg; peer: Peer | undefined; app: App; dialogId: string; final: boolean }
interface Dialog { id: string; callId: string; local: string; remote: string; target: string; peer: Peer; app: App; cseq: number; inviteSeq: number }

export interface DrachtioFakeOptions {
  secret?: string;
  /** What the server says it listens on for SIP (hostport in the authenticate reply, Via and Contact). */
  sipAddress?: string;
  sipPort?: number;
}

const FILLED = new Set(['via', 'call-id', 'cseq', 'max-forwards', 'from', 'to', 'content-length']);

export class DrachtioFake {
  readonly secret: string;
  readonly sipAddress: string;
  sipPort: number;
  private readonly server = net.createServer((s) => this.onConnection(s));
  private readonly apps = new Set<App>();
  private readonly peers = new Map<string, Peer>();
  private readonly serverTxns = new Map<string, ServerTxn>();
  private readonly clientTxns = new Map<string, ClientTxn>();
  private readonly byBranch = new Map<string, string>();
  private readonly dialogs = new Map<string, Dialog>();
  private readonly authWaiters: (() => void)[] = [];
  /** Reaches addresses with no in-process peer (set by serveUdp: real UDP). */
  fallback: ((hostport: string) => Peer) | undefined;
  /** Every wire message the app sent, first line only (for assertions on the protocol). */
  readonly fromApp: string[] = [];
  port = 0;

  constructor(opts: DrachtioFakeOptions = {}) {
    this.secret = opts.secret ?? 'cymru';
    this.sipAddress = opts.sipAddress ?? '127.0.0.1';
    this.sipPort = opts.sipPort ?? 5060;
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Close the admin port and drop every app connection (drachtio going away). */
  async close(): Promise<void> {
    for (const a of this.apps) a.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  appsConnected(): number {
    return [...this.apps].filter((a) => a.authenticated).length;
  }

  /** Resolves once an app has authenticated and routed INVITEs to itself. */
  whenAppReady(): Promise<void> {
    if (this.inviteApp()) return Promise.resolve();
    return new Promise((resolve) => this.authWaiters.push(resolve));
  }

  attach(peer: Peer): void {
    this.peers.set(peer.hostport, peer);
  }

  detach(hostport: string): void {
    this.peers.delete(hostport);
  }

  /** A peer sends a SIP message to drachtio. */
  fromNetwork(peer: Peer, msg: SipMsg): void {
    setImmediate(() => (msg.isRequest ? this.networkRequest(peer, msg) : this.networkResponse(msg)));
  }

  private toPeer(peer: Peer | undefined, msg: SipMsg): void {
    if (peer) setImmediate(() => peer.receive(msg));
  }

  private inviteApp(): App | undefined {
    return [...this.apps].find((a) => a.authenticated && a.routes.has('invite'));
  }

  private onConnection(socket: net.Socket): void {
    const app: App = { socket, authenticated: false, routes: new Set() };
    this.apps.add(app);
    const deframer = new Deframer();
    socket.on('data', (chunk) => {
      for (const m of deframer.push(chunk)) this.onAppMessage(app, m);
    });
    socket.on('error', () => {});
    socket.on('close', () => this.apps.delete(app));
  }

  private send(app: App, body: string): void {
    if (!app.socket.destroyed) app.socket.write(frame(body));
  }

  private reply(app: App, rid: string, payload: string, sip?: SipMsg): void {
    this.send(app, `response|${rid}|${payload}${sip ? `\r\n${sip.toString()}` : ''}`);
  }

  private onAppMessage(app: App, raw: string): void {
    const { msgId, tokens, sip } = splitMessage(raw);
    this.fromApp.push(tokens.join('|'));
    const [type, a1 = '', a2 = '', a3 = ''] = tokens;
    if (type === 'authenticate') return this.authenticate(app, msgId, a1);
    if (!app.authenticated) return void app.socket.destroy();
    if (type === 'route') {
      app.routes.add(a1);
      this.reply(app, msgId, 'OK');
      if (a1 === 'invite') this.authWaiters.splice(0).forEach((w) => w());
      return;
    }
    if (type === 'ping') return this.reply(app, msgId, 'OK');
    if (type === 'sip') {
      const msg = SipMsg.parse(sip);
      return msg.isRequest ? this.appRequest(app, msgId, msg, a1, a2, a3) : this.appResponse(app, msgId, msg, a1);
    }
    this.reply(app, msgId, `NOK|unsupported message type ${type}`);
  }

  private authenticate(app: App, rid: string, secret: string): void {
    if (secret !== this.secret) {
      this.reply(app, rid, 'NOK|incorrect secret');
      return;
    }
    app.authenticated = true;
    const hp = `${this.sipAddress}:${this.sipPort}`;
    this.reply(app, rid, `OK|udp/${hp},tcp/${hp}|v0.9.10|${hp}`);
  }

  private meta(txnId: string, dialogId: string, msg: SipMsg): string {
    return `${Buffer.byteLength(msg.toString())}|udp|${this.sipAddress}|${this.sipPort}|${stackTime()}|${txnId}|${dialogId}`;
  }

  /** Deliver a network message to the app, as `sip|network|len|transport|addr|port|time|txn|dialog|recvAddr|recvPort`. */
  private deliver(app: App, msg: SipMsg, txnId: string, dialogId: string, from = { address: '127.0.0.1', port: 5060 }): void {
    const len = Buffer.byteLength(msg.toString());
    this.send(app, `sip|network|${len}|udp|${from.address}|${from.port}|${stackTime()}|${txnId}|${dialogId}|${this.sipAddress}|${this.sipPort}\r\n${msg.toString()}`);
  }

  // ---- network -> app

  private networkRequest(peer: Peer, req: SipMsg): void {
    const src = sourceOf(peer);
    if (req.method === 'ACK') return this.networkAck(req, src);
    if (req.method === 'CANCEL') return this.networkCancel(peer, req, src);
    const toTag = tagOf(req.get('to'));
    if (toTag) return this.networkInDialog(peer, req, toTag, src);
    const app = this.inviteApp();
    if (!app || req.method !== 'INVITE') return this.toPeer(peer, responseTo(req, app ? 405 : 503, newTag()));
    const txnId = randomUUID();
    this.serverTxns.set(txnId, { txnId, req, peer, app, toTag: newTag(), final: false, dialogId: '' });
    this.toPeer(peer, responseTo(req, 100));
    this.deliver(app, req, txnId, '', src);
  }

  private networkAck(req: SipMsg, src: { address: string; port: number }): void {
    const d = this.findDialog(req.callId, tagOf(req.get('to')));
    if (d && req.cseq.seq === d.inviteSeq) this.deliver(d.app, req, randomUUID(), d.id, src);
    // ACKs of non-2xx finals end at the transaction layer, as in sofia-sip
  }

  private networkCancel(peer: Peer, req: SipMsg, src: { address: string; port: number }): void {
    const st = [...this.serverTxns.values()].find((t) => t.req.callId === req.callId && t.req.branch === req.branch && !t.final);
    if (!st) return this.toPeer(peer, responseTo(req, 481, newTag()));
    this.toPeer(peer, responseTo(req, 200, st.toTag));
    st.final = true;
    this.toPeer(peer, responseTo(st.req, 487, st.toTag));
    this.deliver(st.app, req, randomUUID(), '', src);
  }

  private networkInDialog(peer: Peer, req: SipMsg, toTag: string, src: { address: string; port: number }): void {
    const d = this.findDialog(req.callId, toTag);
    if (!d) return this.toPeer(peer, responseTo(req, 481));
    const txnId = randomUUID();
    this.serverTxns.set(txnId, { txnId, req, peer, app: d.app, toTag, final: false, dialogId: d.id });
    if (req.method === 'BYE') this.dialogs.delete(d.id);
    this.deliver(d.app, req, txnId, d.id, src);
  }

  private networkResponse(res: SipMsg): void {
    const txnId = this.byBranch.get(`${res.branch}|${res.cseq.method}`);
    const ct = txnId ? this.clientTxns.get(txnId) : undefined;
    if (!ct || ct.final) return;
    const status = res.status ?? 0;
    let dialogId = ct.dialogId;
    if (status >= 200) ct.final = true;
    if (ct.req.method === 'INVITE' && status >= 200 && status < 300 && !dialogId) {
      dialogId = this.uacDialog(ct, res);
    } else if (ct.req.method === 'INVITE' && status >= 300) {
      this.toPeer(ct.peer, ackFor(ct.req, res)); // non-2xx ACK is the transaction layer's job
    }
    this.deliver(ct.app, res, ct.txnId, dialogId);
  }

  private uacDialog(ct: ClientTxn, res: SipMsg): string {
    const local = ct.req.get('from') ?? '';
    const id = `${ct.req.callId};from-tag=${tagOf(local)}`;
    const target = res.get('contact') ? uriOf(res.get('contact')) : ct.req.uri ?? '';
    this.dialogs.set(id, { id, callId: ct.req.callId, local, remote: res.get('to') ?? '', target, peer: ct.peer!, app: ct.app, cseq: ct.req.cseq.seq, inviteSeq: ct.req.cseq.seq });
    return id;
  }

  private findDialog(callId: string, localTag: string | undefined): Dialog | undefined {
    return [...this.dialogs.values()].find((d) => d.callId === callId && tagOf(d.local) === localTag);
  }

  // ---- app -> network

  private appResponse(app: App, rid: string, res: SipMsg, txnId: string): void {
    const st = this.serverTxns.get(txnId);
    if (!st || st.final) return this.reply(app, rid, 'NOK|transaction not found');
    const out = responseTo(st.req, res.status ?? 500, res.status === 100 ? undefined : st.toTag, res.reason);
    for (const [k, v] of res.headers) if (!FILLED.has(k.toLowerCase())) out.set(k, v);
    out.body = res.body;
    if (st.req.method === 'INVITE' && (res.status ?? 0) > 100 && !out.get('contact')) out.set('Contact', `<sip:${this.sipAddress}:${this.sipPort}>`);
    let dialogId = st.dialogId;
    if (st.req.method === 'INVITE' && (res.status ?? 0) >= 200 && (res.status ?? 0) < 300 && !dialogId) {
      dialogId = `${st.req.callId};from-tag=${tagOf(st.req.get('from'))}`;
      const target = uriOf(st.req.get('contact'));
      this.dialogs.set(dialogId, { id: dialogId, callId: st.req.callId, local: out.get('to') ?? '', remote: st.req.get('from') ?? '', target, peer: st.peer, app, cseq: 0, inviteSeq: st.req.cseq.seq });
    }
    if ((res.status ?? 0) >= 200) st.final = true;
    this.reply(app, rid, `OK|application|${this.meta(txnId, dialogId, out)}`, out);
    this.toPeer(st.peer, out);
  }

  private appRequest(app: App, rid: string, msg: SipMsg, stackTxnId: string, stackDialogId: string, proxy: string): void {
    if (msg.method === 'CANCEL') return this.appCancel(app, rid, stackTxnId);
    // srf "ACKs" non-2xx finals too (without a dialog); sofia already did at the transaction layer
    if (msg.method === 'ACK' && !stackDialogId) return this.reply(app, rid, `OK|application|${this.meta(randomUUID(), '', msg)}`, msg);
    if (stackDialogId) return this.appInDialog(app, rid, msg, stackDialogId);
    const out = msg.clone();
    const fromHdr = (msg.get('from') ?? `<sip:${this.sipAddress}:${this.sipPort}>`).replace('@localhost', `@${this.sipAddress}`);
    out.set('Via', `SIP/2.0/UDP ${this.sipAddress}:${this.sipPort};rport;branch=${newBranch()}`);
    out.set('Max-Forwards', '70');
    out.set('From', withTag(fromHdr.includes('<') || !fromHdr.startsWith('sip') ? fromHdr : `<${fromHdr}>`, newTag()));
    out.set('To', msg.get('to') ?? `<${msg.uri}>`);
    out.set('Call-ID', msg.get('call-id') ?? newCallId());
    out.set('CSeq', msg.get('cseq') ?? `1 ${msg.method}`);
    // like drachtio: a Contact the app leaves out, or gives as `localhost`, gets the server's SIP address
    const contact = out.get('contact');
    if (!contact) out.set('Contact', `<sip:${this.sipAddress}:${this.sipPort}>`);
    else out.set('Contact', contact.replace('@localhost', `@${this.sipAddress}:${this.sipPort}`));
    if (proxy) out.add('X-Fake-Next-Hop', proxy); // visible to the test peer: which hop the request went to
    const hop = hostportOf(proxy || msg.uri || '');
    const peer = this.peers.get(hop) ?? this.fallback?.(hop);
    this.sendClient(app, rid, out, peer, '');
    if (!peer) setImmediate(() => this.networkResponse(responseTo(out, 503, newTag())));
  }

  private sendClient(app: App, rid: string, out: SipMsg, peer: Peer | undefined, dialogId: string): void {
    const txnId = randomUUID();
    this.clientTxns.set(txnId, { txnId, req: out, peer, app, dialogId, final: false });
    this.byBranch.set(`${out.branch}|${out.method}`, txnId);
    this.reply(app, rid, `OK|application|${this.meta(txnId, dialogId, out)}`, out);
    this.toPeer(peer, out);
  }

  private appCancel(app: App, rid: string, stackTxnId: string): void {
    const ct = this.clientTxns.get(stackTxnId);
    if (!ct) return this.reply(app, rid, 'NOK|transaction not found');
    const cancel = SipMsg.request('CANCEL', ct.req.uri ?? '');
    for (const h of ['Via', 'From', 'To', 'Call-ID']) cancel.set(h, ct.req.get(h) ?? '');
    cancel.set('CSeq', `${ct.req.cseq.seq} CANCEL`).set('Max-Forwards', '70');
    this.reply(app, rid, `OK|application|${this.meta(randomUUID(), '', cancel)}`, cancel);
    if (!ct.final) this.toPeer(ct.peer, cancel);
  }

  private appInDialog(app: App, rid: string, msg: SipMsg, dialogId: string): void {
    const d = this.dialogs.get(dialogId);
    if (!d) return this.reply(app, rid, 'NOK|unable to find dialog');
    const out = SipMsg.request(msg.method ?? 'BYE', d.target);
    out.set('Via', `SIP/2.0/UDP ${this.sipAddress}:${this.sipPort};rport;branch=${newBranch()}`);
    out.set('Max-Forwards', '70').set('From', d.local).set('To', d.remote).set('Call-ID', d.callId);
    if (msg.method === 'ACK') out.set('CSeq', `${d.inviteSeq} ACK`);
    else out.set('CSeq', `${++d.cseq} ${msg.method}`);
    out.set('Contact', `<sip:${this.sipAddress}:${this.sipPort}>`);
    for (const [k, v] of msg.headers) if (!FILLED.has(k.toLowerCase()) && k.toLowerCase() !== 'contact') out.set(k, v);
    out.body = msg.body;
    if (msg.method === 'ACK') {
      this.reply(app, rid, `OK|application|${this.meta(randomUUID(), dialogId, out)}`, out);
      return this.toPeer(d.peer, out);
    }
    if (msg.method === 'INVITE') d.inviteSeq = d.cseq;
    if (msg.method === 'BYE') this.dialogs.delete(dialogId);
    this.sendClient(app, rid, out, d.peer, dialogId);
  }
}

function sourceOf(peer: Peer): { address: string; port: number } {
  const [address = '127.0.0.1', port = '5060'] = peer.hostport.split(':');
  return { address, port: Number(port) };
}

/** A response to `req` carrying its Via/From/To/Call-ID/CSeq (To tagged when `toTag` is given). */
export function responseTo(req: SipMsg, status: number, toTag?: string, reason?: string): SipMsg {
  const res = SipMsg.response(status, reason || REASONS[status] || 'Unknown');
  for (const v of req.getAll('via')) res.add('Via', v);
  res.set('From', req.get('from') ?? '');
  const to = req.get('to') ?? '';
  res.set('To', toTag ? withTag(to, toTag) : to);
  res.set('Call-ID', req.callId);
  res.set('CSeq', req.get('cseq') ?? '');
  return res;
}

function ackFor(invite: SipMsg, res: SipMsg): SipMsg {
  const ack = SipMsg.request('ACK', invite.uri ?? '');
  ack.set('Via', invite.get('via') ?? '').set('Max-Forwards', '70').set('From', invite.get('from') ?? '');
  ack.set('To', res.get('to') ?? '').set('Call-ID', invite.callId).set('CSeq', `${invite.cseq.seq} ACK`);
  return ack;
}
