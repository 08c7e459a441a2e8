/**
 * The webhook template language: text with `{{ name }}` placeholders, each optionally piped through one filter:
 * `{{ name | json }}` (a JSON literal: quoted string, number, true/false or null) or `{{ name | url }}`
 * (percent-encoded). Nothing else: no logic, no loops, so a template can be checked completely at config load.
 * Pure: parsing and rendering only; which names exist is decided by the caller (see variables.ts).
 */

export const FILTERS = ['json', 'url'] as const;
export type Filter = (typeof FILTERS)[number];

export type Segment = { text: string } | { name: string; filter: Filter | null };

export interface TemplateError {
  /** Character offset in the template where the problem starts. */
  offset: number;
  message: string;
}

export type ParseResult = { ok: true; segments: Segment[] } | { ok: false; error: TemplateError };

const NAME = /^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/** Parses one placeholder's inside, e.g. ` call.id | json `. */
function parsePlaceholder(inner: string, offset: number): Segment | TemplateError {
  const [rawName, rawFilter, ...rest] = inner.split('|').map((p) => p.trim());
  if (rest.length > 0) return { offset, message: 'only one filter is allowed per placeholder' };
  const name = rawName ?? '';
  if (!NAME.test(name)) return { offset, message: `"${name}" is not a variable name (lower-case, dot-separated)` };
  if (rawFilter === undefined) return { name, filter: null };
  if (!(FILTERS as readonly string[]).includes(rawFilter)) {
    return { offset, message: `unknown filter "${rawFilter}" (filters: ${FILTERS.join(', ')})` };
  }
  return { name, filter: rawFilter as Filter };
}

export function parseTemplate(template: string): ParseResult {
  const segments: Segment[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{{', pos);
    if (open === -1) break;
    if (open > pos) segments.push({ text: template.slice(pos, open) });
    const close = template.indexOf('}}', open + 2);
    if (close === -1) return { ok: false, error: { offset: open, message: 'unclosed "{{" (missing "}}")' } };
    const seg = parsePlaceholder(template.slice(open + 2, close), open);
    if ('message' in seg) return { ok: false, error: seg };
    segments.push(seg);
    pos = close + 2;
  }
  if (pos < template.length) segments.push({ text: template.slice(pos) });
  return { ok: true, segments };
}

/** Placeholder names used by a parsed template, in order of first use. */
export function namesOf(segments: readonly Segment[]): string[] {
  const names = new Set<string>();
  for (const s of segments) if ('name' in s) names.add(s.name);
  return [...names];
}

export type TemplateValue = string | number | boolean | null;

function format(value: TemplateValue | undefined, filter: Filter | null): string {
  const v = value === undefined ? null : value;
  if (filter === 'json') return JSON.stringify(v);
  const text = v === null ? '' : String(v);
  return filter === 'url' ? encodeURIComponent(text) : text;
}

/** Renders parsed segments; a name without a value renders as empty text (or `null` with `| json`). */
export function renderTemplate(segments: readonly Segment[], values: (name: string) => TemplateValue | undefined): string {
  return segments.map((s) => ('text' in s ? s.text : format(values(s.name), s.filter))).join('');
}
