import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfigText, type ConfigIssue } from '../../../src/config/load.js';
import { parseTemplate, renderTemplate } from '../../../src/webhooks/template.js';
import { retryDelayMs } from '../../../src/webhooks/backoff.js';
import { eventsAfterConversion, eventsForPatch } from '../../../src/webhooks/call-events.js';
import { VARIABLES } from '../../../src/webhooks/variables.js';
import { webhookConfig, type Hooks } from './harness.js';

const URL_ = 'http://127.0.0.1:9/hook';
const S = 'secret: webhook-secret-0123456789';

function issues(h: Hooks): { yaml: string; issues: ConfigIssue[] } {
  const yaml = webhookConfig(h);
  // Prompt files are not written here: drop those issues, keep the rest.
  const r = loadConfigText(yaml, '/nonexistent/campaigns.yaml', {});
  const all = r.ok ? [] : r.issues.filter((i) => !i.path.startsWith('prompts'));
  return { yaml, issues: all };
}

/** 1-based line of the first line containing `needle`. */
const lineOf = (yaml: string, needle: string) => yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('webhook templates are checked at config load, with their line', () => {
  it('an unknown variable in a body is a config error on the body line', () => {
    const { yaml, issues: got } = issues({
      campaign: `- id: tracker\n  url: ${URL_}\n  ${S}\n  events: [call.ended]\n  body: '{"id": "{{call.id}}", "x": "{{call.nope}}"}'`,
    });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ path: 'campaigns[0].webhooks[0].body', line: lineOf(yaml, 'call.nope') });
    expect(got[0]!.message).toMatch(/unknown variable "call\.nope"/);
  });

  it('an unknown variable in a query value points at that value', () => {
    const { yaml, issues: got } = issues({
      publisher: `- id: pb\n  url: ${URL_}\n  method: GET\n  ${S}\n  events: [payout.earned]\n  query:\n    click: "{{tag.zip}}"\n    amount: "{{payout}}"`,
    });
    expect(got).toEqual([
      expect.objectContaining({ path: 'publishers[0].webhooks[0].query.amount', line: lineOf(yaml, 'amount:'), message: expect.stringMatching(/unknown variable "payout"/) }),
    ]);
  });

  it('caller numbers, buyer money and pre-connection events are refused where the party may not have them', () => {
    const { issues: got } = issues({
      publisher: `- { id: pb, url: "${URL_}", ${S}, events: [call.ended], body: "{{call.caller}} {{call.revenue_cents}}" }`,
      buyer: `- { id: crm, url: "${URL_}", ${S}, events: [call.started, call.connected], body: "{{call.caller}} {{call.payout_cents}}" }`,
    });
    const msgs = got.map((i) => `${i.path}: ${i.message}`);
    expect(msgs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^publishers\[0\]\.webhooks\[0\]\.body: "call\.caller" is only available to publishers with can_see_caller/),
      expect.stringMatching(/^publishers\[0\]\.webhooks\[0\]\.body: variable "call\.revenue_cents" is not visible to publishers/),
      expect.stringMatching(/^buyers\[0\]\.webhooks\[0\]\.events\[0\]: buyers only receive events for calls connected to them/),
      expect.stringMatching(/^buyers\[0\]\.webhooks\[0\]\.body: variable "call\.payout_cents" is not visible to buyers/),
    ]));
    expect(got).toHaveLength(4);
  });

  it('a publisher allowed to see callers may use call.caller', () => {
    const { issues: got } = issues({
      publisherCanSeeCaller: true,
      publisher: `- { id: pb, url: "${URL_}", ${S}, events: [call.ended], body: "{{call.caller}}" }`,
    });
    expect(got).toEqual([]);
  });

  it('syntax errors, bad filters, GET with a body and duplicate ids are reported', () => {
    const { issues: got } = issues({
      campaign: [
        `- { id: a, url: "${URL_}", ${S}, events: [call.ended], body: "{{call.id" }`,
        `- { id: b, url: "${URL_}", ${S}, events: [call.ended], body: "{{call.id | upper}}" }`,
        `- { id: b, url: "${URL_}", ${S}, events: [call.ended], method: GET, body: "x" }`,
      ].join('\n'),
    });
    expect(got.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'campaigns[0].webhooks[0].body: template error at character 1: unclosed "{{" (missing "}}")',
      'campaigns[0].webhooks[1].body: template error at character 1: unknown filter "upper" (filters: json, url)',
      'campaigns[0].webhooks[2].id: duplicate webhook id "b"',
      'campaigns[0].webhooks[2].body: a GET request has no body; use query, or method POST',
    ]);
  });
});

describe('template rendering and backoff', () => {
  it('renders raw, json and url filters; missing values are empty or null', () => {
    const p = parseTemplate('{"a": {{x|json}}, "b": "{{y}}", "c": {{n | json}}, "d": "{{missing}}", "e": {{missing|json}}, "u": "{{x|url}}"}');
    if (!p.ok) throw new Error(p.error.message);
    const values: Record<string, string | number> = { x: 'he said "hi" & left', y: 'plain', n: 42 };
    const out = renderTemplate(p.segments, (k) => values[k]);
    expect(JSON.parse(out)).toEqual({ a: 'he said "hi" & left', b: 'plain', c: 42, d: '', e: null, u: 'he%20said%20%22hi%22%20%26%20left' });
  });

  it('backoff doubles per try within [50%, 100%] of the exponential delay, capped', () => {
    const o = { baseMs: 1000, maxMs: 30_000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, o, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, o, () => 0))).toEqual([500, 1000, 2000]);
    expect(retryDelayMs(20, o, () => 0.999999)).toBe(30_000);
  });
});

describe('docs/webhooks.md', () => {
  it('lists every template variable', () => {
    const doc = readFileSync(new URL('../../../docs/webhooks.md', import.meta.url), 'utf8');
    const missing = Object.keys(VARIABLES).filter((name) => !doc.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});

describe('which call changes cause which events', () => {
  it('maps row changes to events', () => {
    expect(eventsForPatch({ last_seen_at: 1 }, true)).toEqual([]);
    expect(eventsForPatch({ phase: 'routing', routing_at: 1 }, true)).toEqual([]);
    expect(eventsForPatch({ phase: 'routing', routing_at: 1 }, false)).toEqual(['call.qualified']);
    expect(eventsForPatch({ qualified: 0 }, true)).toEqual([]);
    expect(eventsForPatch({ status: 'completed', billable: 1, payable: 0 }, true)).toEqual(['call.ended', 'call.billable']);
  });

  it('a conversion that makes a call billable and payable also sends call.billable and payout.earned', () => {
    expect(eventsAfterConversion({ billable: 1, payable: 1 }, { billable: 1, payable: 1 })).toEqual(['call.converted']);
    expect(eventsAfterConversion({ billable: 0, payable: 0 }, { billable: 1, payable: 1 })).toEqual(['call.converted', 'call.billable', 'payout.earned']);
  });
});
