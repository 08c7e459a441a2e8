/** The loader's own behaviour: env expansion, positions, the model it builds, immutability. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandString } from '../../../src/config/env-expand.js';
import { loadConfigFile, loadConfigText, type LoadResult } from '../../../src/config/load.js';

const example = 'config/example.yaml';

const minimal = (password: string): string => `version: 1
carriers: [{ id: c, name: C, sources: [127.0.0.1] }]
trunks:
  - id: out
    host: 127.0.0.1
    password: ${password}
publishers: [{ id: p, name: P, payout: { type: fixed, amount_cents: 1 } }]
buyers:
  - id: b
    name: B
    targets: [{ id: t, destination: { number: "+12125550100", trunk: out } }]
campaigns:
  - { id: x, name: X, dids: [{ number: "+18005550100", publisher: p }], routes: [{ target: t }] }
`;

function issuesOf(r: LoadResult): string[] {
  return r.ok ? [] : r.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
}

describe('environment expansion', () => {
  it('replaces set variables, applies defaults, keeps $${ literal', () => {
    const problems: string[] = [];
    const env = { A: 'alpha', EMPTY: '' };
    expect(expandString('${A}-${B:-beta}-${EMPTY:-gamma}-$${A}', env, problems)).toBe('alpha-beta-gamma-${A}');
    expect(problems).toEqual([]);
  });

  it('reports unset variables and malformed references', () => {
    const problems: string[] = [];
    expandString('${NOPE} ${bad name}', {}, problems);
    expect(problems).toEqual([
      'environment variable NOPE is not set',
      expect.stringContaining('malformed variable reference'),
    ]);
  });

  it('puts the secret into the loaded config and reports an unset one at its line', () => {
    const ok = loadConfigText(minimal('${TRUNK_PW}'), '/tmp/x.yaml', { TRUNK_PW: 's3cret' });
    expect(ok.ok && ok.config.trunks.get('out')?.password).toBe('s3cret');
    const bad = loadConfigText(minimal('${TRUNK_PW}'), '/tmp/x.yaml', {});
    expect(issuesOf(bad)).toEqual(['6:15 trunks[0].password: environment variable TRUNK_PW is not set']);
  });

  it('never expands a value into YAML structure', () => {
    const r = loadConfigText(minimal('${PW}'), '/tmp/x.yaml', { PW: 'x\nfoo: [1, 2]' });
    expect(r.ok && r.config.trunks.get('out')?.password).toBe('x\nfoo: [1, 2]');
  });
});

describe('loaded example', () => {
  const r = loadConfigFile(example, {});

  it('builds lookup tables', () => {
    expect(issuesOf(r)).toEqual([]);
    if (!r.ok) return;
    const c = r.config;
    expect(c.dids.get('+18005550102')).toMatchObject({ campaign: { id: 'medicare' }, publisher: { id: 'seniors-media' } });
    expect(c.targets.get('justice-overflow')?.buyer.id).toBe('justice-partners');
    expect(c.prompts.get('ask-age')?.file).toMatch(/\/config\/prompts\/ask-age\.wav$/);
    expect(c.trunks.get('outbound')?.password).toBe('');
    expect(c.campaigns.get('medicare')).toMatchObject({ distribution: 'ping_post', bidders: ['bluecare', 'medi-select'] });
    expect(c.sourcePath).toMatch(/^\/.*config\/example\.yaml$/);
  });

  it('digests the file bytes and freezes the config', async () => {
    if (!r.ok) throw new Error('example did not load');
    const { createHash } = await import('node:crypto');
    expect(r.config.digest).toBe(createHash('sha256').update(readFileSync(example)).digest('hex'));
    expect(Object.isFrozen(r.config.raw.campaigns[0]!.routes)).toBe(true);
    expect(() => (r.config.raw.buyers[0] as { price_cents: number }).price_cents = 1).toThrow(TypeError);
  });

  it('takes secrets from the environment when set', () => {
    const withEnv = loadConfigFile(example, { CALLROUTE_TRUNK_PASSWORD: 'pw', CALLROUTE_BLUECARE_SECRET: 'bluecare-0123456789' });
    expect(withEnv.ok && withEnv.config.trunks.get('outbound')?.password).toBe('pw');
    expect(withEnv.ok && withEnv.config.buyers.get('bluecare')?.bidding?.secret).toBe('bluecare-0123456789');
  });
});

describe('issue positions', () => {
  it('reports a missing file as one issue', () => {
    const r = loadConfigFile('/nonexistent/callroute.yaml', {});
    expect(issuesOf(r)).toEqual(['1:1 : cannot read config: file not found']);
  });

  it('sorts issues by line and reports schema errors all at once', () => {
    const text = minimal('pw').replace('name: B', 'name: ""').replace('version: 1', 'version: 1\nextra: true');
    const lines = issuesOf(loadConfigText(text, '/tmp/x.yaml', {}));
    expect(lines).toEqual(['2:1 extra: unknown key "extra"', '11:11 buyers[0].name: must be at least 1 character long']);
  });

  it('reports an unquoted DID where it is, alongside other errors of the example', () => {
    const text = readFileSync(example, 'utf8')
      .replace('ring_timeout_s: 20', 'ring_timout_s: 20')
      .replace('{ number: "+18005550104", publisher: tv-spots }', '{ number: +18005550104, publisher: tv-spots }');
    const lineOf = (needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
    expect(issuesOf(loadConfigFile(example, {}))).toEqual([]);
    const r = loadConfigText(text, example, {});
    expect(issuesOf(r)).toEqual([
      `${lineOf('ring_timout_s')}:5 campaigns[0].ring_timout_s: unknown key "ring_timout_s"`,
      `${lineOf('+18005550104,')}:19 campaigns[2].dids[0].number: expected string, got number (put the value in quotes)`,
    ]);
  });

  it('resolves YAML aliases when validating', () => {
    const text = minimal('&pw hunter2-long-enough\n    username: *pw');
    const r = loadConfigText(text, '/tmp/x.yaml', {});
    expect(r.ok && r.config.trunks.get('out')?.username).toBe('hunter2-long-enough');
  });

  it('reports an alias without its anchor at the alias', () => {
    const text = minimal('*pw');
    expect(issuesOf(loadConfigText(text, '/tmp/x.yaml', {}))).toEqual(['6:15 trunks[0].password: alias *pw has no anchor &pw before it']);
  });
});
