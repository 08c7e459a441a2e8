// INVITE flood from non-carrier loopback addresses: node --import tsx flooder.ts <host> <port> <rate/s> <seconds> <sources>
// Sends well-formed INVITEs (a fresh Call-ID and branch each) from 127.0.0.2 .. 127.0.0.(1+sources); prints the count.
import dgram from 'node:dgram';

const [host = '127.0.0.1', ...nums] = process.argv.slice(2);
const [port = 5060, rate = 1000, seconds = 10, sources = 1] = nums.map(Number);
const socks = await Promise.all(Array.from({ length: sources }, (_, i) => new Promise<dgram.Socket>((resolve) => {
  const s = dgram.createSocket('udp4');
  s.on('message', () => undefined);
  s.bind(0, `127.0.0.${2 + i}`, () => resolve(s));
})));
let sent = 0;
const invite = (n: number, local: string): Buffer => Buffer.from([
  `INVITE sip:+18005550100@${host}:${port} SIP/2.0`, `Via: SIP/2.0/UDP ${local}:5060;branch=z9hG4bKflood${n}`,
  'Max-Forwards: 70', `From: <sip:100@${local}>;tag=f${n}`, `To: <sip:+18005550100@${host}>`, `Call-ID: flood-${n}@${local}`,
  'CSeq: 1 INVITE', `Contact: <sip:100@${local}:5060>`, 'Content-Length: 0', '', '',
].join('\r\n'));
const end = Date.now() + seconds * 1000;
const perTick = Math.max(1, Math.round(rate / 100));
const timer = setInterval(() => {
  if (Date.now() >= end) {
    clearInterval(timer);
    for (const s of socks) s.close();
    process.stdout.write(`${sent}\n`);
    return;
  }
  for (let i = 0; i < perTick; i++) {
    const s = socks[sent % socks.length]!;
    s.send(invite(sent, s.address().address), port, host);
    sent++;
  }
}, 10);
