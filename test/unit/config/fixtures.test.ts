/**
 * Every fixture under test/fixtures/config: good ones load, bad ones report exactly their expected issues
 * (path, line, message substring), in order.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';

const root = fileURLToPath(new URL('../../fixtures/config/', import.meta.url));
const yamlIn = (dir: string): string[] => readdirSync(join(root, dir)).filter((f) => f.endsWith('.yaml')).sort();

interface Expected {
  path: string;
  line: number;
  message: string;
}

describe('good config fixtures', () => {
  it('has some', () => expect(yamlIn('good').length).toBeGreaterThanOrEqual(3));
  for (const name of yamlIn('good')) {
    it(`${name} loads`, () => {
      const r = loadConfigFile(join(root, 'good', name), {});
      expect(r.ok ? [] : r.issues).toEqual([]);
    });
  }
});

describe('bad config fixtures', () => {
  it('has some', () => expect(yamlIn('bad').length).toBeGreaterThanOrEqual(10));
  for (const name of yamlIn('bad')) {
    it(`${name} reports its expected issues`, () => {
      const expectedFile = join(root, 'bad', name.replace(/\.yaml$/, '.expected.json'));
      expect(existsSync(expectedFile), `${expectedFile} missing`).toBe(true);
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected[];
      const r = loadConfigFile(join(root, 'bad', name), {});
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const got = r.issues.map((i) => ({ path: i.path, line: i.line, message: i.message }));
      expect(got.length, JSON.stringify(got, null, 1)).toBe(expected.length);
      expected.forEach((e, k) => {
        const g = got[k]!;
        expect({ path: g.path, line: g.line }).toEqual({ path: e.path, line: e.line });
        expect(g.message).toContain(e.message);
      });
      for (const i of r.issues) expect(i.column).toBeGreaterThanOrEqual(1);
    });
  }
});
