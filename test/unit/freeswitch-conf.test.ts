/**
 * freeswitch/ holds XML that only a real FreeSWITCH / drachtio-server reads, and neither runs in CI. This suite parses
 * every file with a strict XML 1.0 parser (saxes: a `--` inside a comment, an unclosed tag or a second root element
 * fails, with file:line:column) and checks the facts the `freeswitch` driver depends on (docs: shared FREESWITCH.md),
 * plus the environment names docker-compose.yml hands to FreeSWITCH and the engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SETTING_ENV_NAMES } from '../../src/config/settings.js';

const repo = resolve(import.meta.dirname, '../..');
const fsDir = join(repo, 'freeswitch');

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
}

/** Parse strictly: every well-formedness error as `file:line:col: reason`, and the element tree when there are none. */
function parseXml(text: string, fileName: string): { errors: string[]; root?: El } {
  const errors: string[] = [];
  const stack: El[] = [];
  let root: El | undefined;
  const parser = new SaxesParser({ fileName });
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (t) => {
    const el: El = { name: t.name, attrs: t.attributes as Record<string, string>, children: [] };
    if (stack.length === 0) root = el;
    else stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => stack.pop());
  parser.write(text).close();
  return errors.length > 0 ? { errors } : { errors, root };
}

/** All descendants named `name` (depth first, document order). */
function all(el: El, name: string): El[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);
}

function load(rel: string): El {
  const { errors, root } = parseXml(readFileSync(join(fsDir, rel), 'utf8'), `freeswitch/${rel}`);
  if (!root) throw new Error(`not well-formed:\n${errors.join('\n')}`);
  return root;
}

/** `<param name=… value=…>` values of a settings block, by name. */
function params(el: El): Map<string, string> {
  return new Map(all(el, 'param').map((p) => [p.attrs.name ?? '', p.attrs.value ?? '']));
}

const xmlFiles = (readdirSync(fsDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.xml')).sort();

describe('freeswitch/ XML is well-formed', () => {
  it('finds the configuration files', () => {
    expect(xmlFiles).toEqual(expect.arrayContaining([
      'conf/freeswitch.xml', 'conf/vars.xml', 'conf/autoload_configs/sofia.conf.xml',
      'conf/autoload_configs/switch.conf.xml', 'conf/autoload_configs/event_socket.conf.xml',
      'conf/dialplan/drachtio_mrf.xml', 'drachtio/drachtio.conf.xml',
    ]));
  });

  it.each(xmlFiles)('%s', (rel) => {
    expect(parseXml(readFileSync(join(fsDir, rel), 'utf8'), `freeswitch/${rel}`).errors).toEqual([]);
  });

  it('the check itself rejects `--` in a comment and an unclosed tag, naming line and column', () => {
    expect(parseXml('<a>\n  <!-- see --help -->\n</a>', 'x.xml').errors).toEqual(['x.xml:2:14: malformed comment.']);
    expect(parseXml('<a>\n  <b>\n</a>', 'y.xml').errors[0]).toBe('y.xml:3:4: unexpected close tag.');
  });
});

describe('freeswitch/ facts the driver depends on', () => {
  it('a sofia profile drachtio_mrf with enable-3pcc true, routed to the drachtio_mrf dialplan context', () => {
    const profiles = all(load('conf/autoload_configs/sofia.conf.xml'), 'profile');
    const mrf = profiles.find((p) => p.attrs.name === 'drachtio_mrf');
    expect(mrf, 'profile drachtio_mrf').toBeDefined();
    const p = params(mrf!);
    expect(p.get('enable-3pcc')).toBe('true');
    expect(p.get('context')).toBe('drachtio_mrf');
    const contexts = all(load('conf/dialplan/drachtio_mrf.xml'), 'context').map((c) => c.attrs.name);
    expect(contexts).toContain('drachtio_mrf');
  });

  it('the dialplan hands ${sip_h_X-esl-outbound} to the outbound socket "$1 async full"', () => {
    const dialplan = load('conf/dialplan/drachtio_mrf.xml');
    const cond = all(dialplan, 'condition').find((c) => c.attrs.field === '${sip_h_X-esl-outbound}');
    expect(cond, 'condition on ${sip_h_X-esl-outbound}').toBeDefined();
    expect(cond!.attrs.expression).toBe('^(.+)$');
    const socket = all(cond!, 'action').find((a) => a.attrs.application === 'socket');
    expect(socket?.attrs.data).toBe('$1 async full');
  });

  it('max-sessions and sessions-per-second are raised above the stock 1000 and 30', () => {
    const p = params(load('conf/autoload_configs/switch.conf.xml'));
    expect(Number(p.get('max-sessions'))).toBeGreaterThan(1000);
    expect(Number(p.get('sessions-per-second'))).toBeGreaterThan(30);
  });

  it('the event socket password is $${esl_password}, set from FREESWITCH_ESL_PASSWORD', () => {
    expect(params(load('conf/autoload_configs/event_socket.conf.xml')).get('password')).toBe('$${esl_password}');
    const pre = all(load('conf/vars.xml'), 'X-PRE-PROCESS').map((x) => x.attrs.data ?? '');
    expect(pre).toContain('esl_password=printenv FREESWITCH_ESL_PASSWORD');
  });
});

describe('docker-compose.yml matches the settings and vars.xml', () => {
  const compose = parseYaml(readFileSync(join(repo, 'docker-compose.yml'), 'utf8'));
  const env = (service: string): Record<string, unknown> => compose.services[service].environment;

  it('FreeSWITCH gets exactly the variables vars.xml reads', () => {
    const varsText = readFileSync(join(fsDir, 'conf/vars.xml'), 'utf8');
    const read = new Set([...varsText.matchAll(/(?:printenv |\$\{)(FREESWITCH_[A-Z_]+)/g)].map((m) => m[1]));
    expect(new Set(Object.keys(env('freeswitch')))).toEqual(read);
  });

  it('every engine variable is a setting, and the ports agree with the event socket and drachtio admin', () => {
    const known = new Set(Object.values(SETTING_ENV_NAMES));
    const engine = env('engine');
    expect(Object.keys(engine).filter((k) => !known.has(k))).toEqual([]);
    const esl = params(load('conf/autoload_configs/event_socket.conf.xml')).get('listen-port');
    expect(String(engine.CALLROUTE_FREESWITCH_SERVERS).split(':')[1]).toBe(esl);
    const admin = all(load('drachtio/drachtio.conf.xml'), 'admin')[0];
    expect(engine.CALLROUTE_DRACHTIO_PORT).toBe(admin?.attrs.port);
  });

  it('FreeSWITCH mounts the prompts where the engine says they are', () => {
    const dir = String(env('engine').CALLROUTE_FREESWITCH_PROMPTS_DIR);
    expect(compose.services.freeswitch.volumes).toContain(`./config/prompts:${dir}:ro`);
  });
});
