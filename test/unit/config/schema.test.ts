/** The committed JSON Schema is the one generated from the zod schema, and the example points editors at it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText } from '../../../src/config/json-schema.js';

describe('config/callroute.schema.json', () => {
  it('equals the schema generated from src/config/schema (run `npm run schema` after changing it)', () => {
    expect(readFileSync('config/callroute.schema.json', 'utf8')).toBe(configJsonSchemaText());
  });

  it('rejects unknown keys and leaves defaulted keys optional, as the loader does', () => {
    const s = configJsonSchema() as { additionalProperties?: boolean; required?: string[] };
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(['version', 'carriers', 'publishers', 'buyers', 'campaigns']);
  });

  it('is referenced by the example config for yaml-language-server', () => {
    const first = readFileSync('config/example.yaml', 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./callroute.schema.json');
  });
});
