/** `callroute check-config` and `callroute schema` through the real bin script, as an operator runs them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'callroute-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function callroute(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.CALLROUTE_TRUNK_PASSWORD;
  const r = spawnSync(process.execPath, [join(repo, 'bin/callroute.js'), ...args], { cwd: repo, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** 1-based line of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in text: ${needle}`);
  return text.slice(0, at).split('\n').length;
}

describe('callroute check-config', () => {
  it('passes the example config with a one-line summary', () => {
    const r = callroute('check-config', 'config/example.yaml');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^config\/example\.yaml: OK: 3 campaigns, 5 DIDs, 3 publishers, 7 buyers, .*\n$/);
    expect(r.code).toBe(0);
  });

  it('lists every error of a broken copy with its line, and exits 1', () => {
    const edits: Array<[from: string, to: string]> = [
      ['password: ${CALLROUTE_TRUNK_PASSWORD:-}', 'password: ${CALLROUTE_TRUNK_PASSWORD}'],
      ['"1": { tags: { age_65_plus: "yes" }, next: ask-zip }', '"1": { tags: { age_65_plus: "yes" }, next: ask-zipp }'],
      ['price_cents: 6000', 'price_cents: 60.5'],
      ['{ number: "+18005550101", publisher: tv-spots }', '{ number: "+18005550100", publisher: tv-spots }'],
      ['{ target: justice-intake, priority: 2 }', '{ target: justice-intak, priority: 2 }'],
      ['ring_timeout_s: 20', 'ring_timout_s: 20'],
    ];
    let text = readFileSync(join(repo, 'config/example.yaml'), 'utf8').replaceAll('file: prompts/', `file: ${repo}/config/prompts/`);
    for (const [from, to] of edits) {
      expect(text).toContain(from);
      text = text.replace(from, to);
    }
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, text);
    const expected = [
      `${file}:${lineOf(text, '${CALLROUTE_TRUNK_PASSWORD}')}:15 trunks[0].password: environment variable CALLROUTE_TRUNK_PASSWORD is not set`,
      `${file}:${lineOf(text, 'next: ask-zipp')}:54 ivr_flows[0].steps.ask-age.options["1"].next: unknown step "ask-zipp"`,
      `${file}:${lineOf(text, '      ask-zip:')}:7 ivr_flows[0].steps.ask-zip: step "ask-zip" cannot be reached from start`,
      `${file}:${lineOf(text, '      qualified:')}:7 ivr_flows[0].steps.qualified: step "qualified" cannot be reached from start`,
      `${file}:${lineOf(text, 'price_cents: 60.5')}:18 buyers[0].price_cents: must be whole cents`,
      `${file}:${lineOf(text, '{ number: "+18005550100", publisher: tv-spots }')}:19 campaigns[0].dids[1].number: DID +18005550100 is already used at campaigns[0].dids[0]`,
      `${file}:${lineOf(text, 'justice-intak,')}:19 campaigns[0].routes[1].target: unknown target "justice-intak"`,
      `${file}:${lineOf(text, 'ring_timout_s')}:5 campaigns[0].ring_timout_s: unknown key "ring_timout_s"`,
    ];
    const r = callroute('check-config', file);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`${file}: ${expected.length} issues`);
    expect(lines.slice(0, -1).map((l, i) => l.startsWith(expected[i]!) || `${l} !~ ${expected[i]}`)).toEqual(expected.map(() => true));
  });

  it('exits 2 with usage on a missing argument', () => {
    const r = callroute('check-config');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage:');
  });
});

describe('callroute schema', () => {
  it('prints the committed JSON Schema', () => {
    const r = callroute('schema');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(repo, 'config/callroute.schema.json'), 'utf8'));
  });
});
