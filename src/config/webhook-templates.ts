/**
 * Semantic checks for webhook subscriptions: templates parse, name only known variables the owner may see,
 * events fit the owner, ids are unique per owner. Pure; issues carry their YAML path (the loader adds the line).
 */
import { allowedEvents, callerVisible } from '../webhooks/parties.js';
import { namesOf, parseTemplate } from '../webhooks/template.js';
import { checkVariable, type Party } from '../webhooks/variables.js';
import type { CampaignConfig, Webhook } from './schema/index.js';
import type { SemanticIssue } from './semantics.js';
import type { IssuePath } from './yaml-nodes.js';

const PARTY_WORD: Record<Party, string> = { campaign: 'campaign', buyer: 'buyers', publisher: 'publishers' };

function checkTemplate(text: string, party: Party, sees: boolean, at: IssuePath): SemanticIssue[] {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return [{ path: at, message: `template error at character ${parsed.error.offset + 1}: ${parsed.error.message}` }];
  const issues: SemanticIssue[] = [];
  for (const name of namesOf(parsed.segments)) {
    const r = checkVariable(name, party, sees);
    if (r.ok) continue;
    const message =
      r.reason === 'unknown'
        ? `unknown variable "${name}" (see docs/webhooks.md for the list)`
        : r.reason === 'caller'
          ? `"${name}" is only available to publishers with can_see_caller: true (use call.caller_hash)`
          : `variable "${name}" is not visible to ${PARTY_WORD[party]}`;
    issues.push({ path: at, message });
  }
  return issues;
}

function checkWebhook(w: Webhook, party: Party, sees: boolean, at: IssuePath): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const allowed = allowedEvents(party);
  w.events.forEach((e, i) => {
    if (!allowed.includes(e)) {
      issues.push({ path: [...at, 'events', i], message: `buyers only receive events for calls connected to them (${allowed.join(', ')}), not ${e}` });
    }
  });
  if (w.body !== undefined) {
    if (w.method === 'GET') issues.push({ path: [...at, 'body'], message: 'a GET request has no body; use query, or method POST' });
    issues.push(...checkTemplate(w.body, party, sees, [...at, 'body']));
  }
  for (const [key, tpl] of Object.entries(w.query)) issues.push(...checkTemplate(tpl, party, sees, [...at, 'query', key]));
  return issues;
}

function checkOwner(owner: { webhooks: readonly Webhook[] }, party: Party, sees: boolean, at: IssuePath): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const seen = new Set<string>();
  owner.webhooks.forEach((w, i) => {
    const wAt: IssuePath = [...at, 'webhooks', i];
    if (seen.has(w.id)) issues.push({ path: [...wAt, 'id'], message: `duplicate webhook id "${w.id}"` });
    seen.add(w.id);
    issues.push(...checkWebhook(w, party, sees, wAt));
  });
  return issues;
}

export function checkWebhookTemplates(cfg: CampaignConfig): SemanticIssue[] {
  return [
    ...cfg.campaigns.flatMap((c, i) => checkOwner(c, 'campaign', true, ['campaigns', i])),
    ...cfg.publishers.flatMap((p, i) => checkOwner(p, 'publisher', callerVisible('publisher', p.can_see_caller), ['publishers', i])),
    ...cfg.buyers.flatMap((b, i) => checkOwner(b, 'buyer', true, ['buyers', i])),
  ];
}
