/** Turns one event for one subscription into the HTTP request to store: URL with query, body, content type. */
import type { Webhook } from '../config/schema/index.js';
import type { NewDelivery } from '../store/webhooks.js';
import type { Subscription } from './parties.js';
import { parseTemplate, renderTemplate, type Segment } from './template.js';
import { standardDocument, valueOf, type EventFacts } from './variables.js';

/** Parsed templates by source text; configs are immutable, so entries never go stale. */
const parsed = new Map<string, Segment[]>();

function segmentsOf(template: string): Segment[] {
  let s = parsed.get(template);
  if (!s) {
    const r = parseTemplate(template);
    // Templates were validated at config load; a parse failure here is a bug, surfaced loudly.
    if (!r.ok) throw new Error(`webhook template does not parse: ${r.error.message}`);
    s = r.segments;
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(template, s);
  }
  return s;
}

function render(template: string, facts: EventFacts): string {
  return renderTemplate(segmentsOf(template), (name) => valueOf(facts, name));
}

function bodyOf(w: Webhook, facts: EventFacts, sub: Subscription): { body: string | null; contentType: string | null } {
  if (w.method === 'GET') return { body: null, contentType: null };
  if (w.body !== undefined) return { body: render(w.body, facts), contentType: w.content_type };
  return { body: JSON.stringify(standardDocument(facts, sub.party, sub.callerVisible)), contentType: 'application/json' };
}

export function renderDelivery(sub: Subscription, facts: EventFacts): NewDelivery {
  const w = sub.webhook;
  const url = new URL(w.url);
  for (const [name, template] of Object.entries(w.query)) url.searchParams.append(name, render(template, facts));
  const { body, contentType } = bodyOf(w, facts, sub);
  return {
    party: sub.party,
    owner_id: sub.ownerId,
    webhook_id: w.id,
    method: w.method,
    url: url.toString(),
    host: url.host,
    content_type: contentType,
    body,
    max_attempts: w.max_attempts,
  };
}
