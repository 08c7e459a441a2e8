/** RFC 4475 torture messages (byte-exact files) through the parser and the UAS checks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/telephony/embedded/sip/parse.js';
import { checkRequest } from '../../../src/telephony/embedded/sip/uas-checks.js';
import { txKey } from '../../../src/telephony/embedded/sip/transactions.js';

const DIR = '/work/shared/sip-torture';
const load = (name: string): Buffer => readFileSync(join(DIR, name));
const parse = (name: string) => parseMessage(load(name), false);

describe('RFC 4475 valid messages (3.1.1) parse', () => {
  const valid = ['wsinv', 'intmeth', 'esc01', 'escnull', 'esc02', 'lwsdisp', 'longreq', 'dblreq', 'semiuri', 'transports', 'mpart01', 'unreason', 'noreason'];
  it.each(valid)('%s', (name) => {
    const r = parse(`${name}.dat`);
    expect(r.ok, JSON.stringify(r.ok === false ? r.reason : '')).toBe(true);
  });

  it('wsinv: folding, compact forms, odd spacing and case', () => {
    const r = parse('wsinv.dat');
    if (r.ok !== true) throw new Error('not parsed');
    const m = r.message;
    expect(m.method).toBe('INVITE');
    expect(m.callId).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(m.to.params.get('tag')).toBe('1918181833n');
    expect(m.from.params.get('tag')).toBe('98asjd8');
    expect(m.from.display).toBe('J Rosenberg \\"');
    expect(m.all('via')).toHaveLength(3);
    expect(m.via.transport).toBe('UDP');
    expect(m.via.host).toBe('192.0.2.2');
    expect(m.get('max-forwards')).toBe('0068');
    expect(m.get('subject')).toBe('');
    expect(m.body.length).toBe(150);
    expect(m.get('contact')).toContain('secondparam');
  });

  it('intmeth keeps raw bytes in the display name and an unusual method token', () => {
    const r = parse('intmeth.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.method).toBe('!interesting-Method0123456789_*+`.%indeed\'~');
    expect(checkRequest(r.message)?.status).toBeUndefined();
  });

  it('dblreq: only the first request of the datagram is taken', () => {
    const r = parse('dblreq.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.method).toBe('REGISTER');
    expect(r.message.body.length).toBe(0);
    expect(r.length).toBeLessThan(load('dblreq.dat').length);
  });

  it('semiuri: the ; belongs to the user part', () => {
    const r = parse('semiuri.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.uri).toBe('sip:user;par=u%40example.net@example.com');
  });

  it('esc02: RE%47IST%45R is not REGISTER', () => {
    const r = parse('esc02.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.method).toBe('RE%47IST%45R');
  });

  it('mpart01 keeps the binary body byte for byte', () => {
    const r = parse('mpart01.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.body.length).toBe(553);
    expect(r.message.body.includes(0)).toBe(true);
  });

  it('noreason: empty reason phrase', () => {
    const r = parse('noreason.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.status).toBe(100);
    expect(r.message.reason).toBe('');
  });
});

describe('RFC 4475 invalid messages (3.1.2) are refused', () => {
  const answerable400 = ['badinv01', 'clerr', 'ncl', 'scalar02', 'quotbal', 'ltgtruri', 'lwsruri', 'lwsstart', 'trws', 'escruri', 'regbadct', 'badaspec', 'mismatch01', 'mismatch02'];
  it.each(answerable400)('%s -> 400', (name) => {
    const r = parse(`${name}.dat`);
    expect(r.ok).toBe(false);
    if (r.ok === false) expect(r.status).toBe(400);
  });

  it('baddn (comma in an unquoted display name, no end of headers) is refused', () => {
    expect(parse('baddn.dat').ok).toBe(false);
  });

  it('badvers -> 505', () => {
    const r = parse('badvers.dat');
    expect(r.ok === false && r.status).toBe(505);
  });

  it.each(['scalarlg', 'bigcode'])('%s (a response) is dropped, never answered', (name) => {
    const r = parse(`${name}.dat`);
    expect(r.ok).toBe(false);
    if (r.ok === false) expect(r.status).toBeUndefined();
  });

  it('baddate: the Date header is ignored, the request is accepted', () => {
    expect(parse('baddate.dat').ok).toBe(true);
  });
});

describe('RFC 4475 application-layer cases (3.3)', () => {
  it.each([['insuf', 400], ['multi01', 400], ['mcl01', 400]])('%s -> %i from the parser', (name, status) => {
    const r = parse(`${name}.dat`);
    expect(r.ok).toBe(false);
    if (r.ok === false) expect(r.status).toBe(status);
  });

  it.each([['unkscm', 416], ['novelsc', 416], ['bext01', 420], ['invut', 415], ['sdp01', 406]])('%s -> %i from the UAS checks', (name, status) => {
    const r = parse(`${name}.dat`);
    if (r.ok !== true) throw new Error(`not parsed: ${r.ok === false ? r.reason : ''}`);
    expect(checkRequest(r.message)?.status).toBe(status);
  });

  it.each(['unksm2', 'regaut01', 'bcast', 'zeromf', 'cparam01', 'cparam02', 'regescrt'])('%s parses', (name) => {
    expect(parse(`${name}.dat`).ok).toBe(true);
  });

  it('cparam01: the trailing parameter of an addr-spec Contact is a header parameter', () => {
    const r = parse('cparam01.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.get('contact')).toMatch(/unknownparam$/);
  });
});

describe('transaction and backward-compat cases', () => {
  it('badbranch: a bare magic cookie falls back to RFC 2543 matching', () => {
    const r = parse('badbranch.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(txKey(r.message)).toMatch(/^2543\|/);
  });

  it('inv2543: no Content-Length over UDP, body is the rest of the datagram', () => {
    const r = parse('inv2543.dat');
    if (r.ok !== true) throw new Error('not parsed');
    expect(r.message.body.length).toBeGreaterThan(0);
    expect(txKey(r.message)).toMatch(/^2543\|/);
  });

  it('every file parses or fails without throwing', () => {
    for (const name of ['test.dat', 'wsinv.dat', 'bigcode.dat']) expect(() => parse(name)).not.toThrow();
  });
});

describe('stream framing and limits', () => {
  const invite = load('wsinv.dat');

  it('waits for more bytes on TCP, and takes exactly one message', () => {
    expect(parseMessage(invite.subarray(0, 300), true).ok).toBe('incomplete');
    expect(parseMessage(invite.subarray(0, invite.length - 10), true).ok).toBe('incomplete');
    const two = Buffer.concat([invite, invite]);
    const r = parseMessage(two, true);
    expect(r.ok === true && r.length).toBe(invite.length);
  });

  it('refuses oversized messages', () => {
    const big = Buffer.concat([Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nX: '), Buffer.alloc(70_000, 0x61), Buffer.from('\r\n\r\n')]);
    expect(parseMessage(big, false).ok).toBe(false);
  });

  it('refuses garbage without throwing', () => {
    for (const junk of ['', '\r\n\r\n', 'hello\r\n\r\n', 'INVITE\r\n\r\n', '\u0000\u0001\r\n\r\n']) {
      expect(parseMessage(Buffer.from(junk), false).ok).toBe(false);
    }
  });
});
