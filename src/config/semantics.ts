/**
 * Checks the schema cannot express: references between sections, uniqueness, reachability, overlapping hours.
 * Pure: takes the parsed config, returns issues with paths (the loader adds line:column).
 */
import type { Campaign, CampaignConfig, Hours } from './schema/index.js';
import { checkIvrFlow, promptRefsOfFlow, tagsSetByFlow } from './semantics-ivr.js';
import { checkWebhookTemplates } from './webhook-templates.js';
import { formatPath, type IssuePath } from './yaml-nodes.js';

export interface SemanticIssue {
  path: IssuePath;
  message: string;
}

/** Lookups shared by the checks. */
interface Ctx {
  cfg: CampaignConfig;
  issues: SemanticIssue[];
  targets: Set<string>;
  prompts: Set<string>;
}

function uniqueIds(items: ReadonlyArray<{ id: string }>, what: string, at: (i: number) => IssuePath, issues: SemanticIssue[]): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const seen = first.get(item.id);
    if (seen === undefined) first.set(item.id, i);
    else issues.push({ path: [...at(i), 'id'], message: `duplicate ${what} id "${item.id}" (first defined at ${formatPath(at(seen))})` });
  });
}

function checkIds(ctx: Ctx): void {
  const { cfg, issues } = ctx;
  const sections = ['carriers', 'trunks', 'prompts', 'ivr_flows', 'publishers', 'buyers', 'campaigns', 'api_keys'] as const;
  for (const s of sections) uniqueIds(cfg[s], s.replace(/s$/, '').replace('_', ' '), (i) => [s, i], issues);
  // Targets are looked up by id across buyers, so their ids are unique config-wide.
  const all = cfg.buyers.flatMap((b, bi) => b.targets.map((t, ti) => ({ id: t.id, at: ['buyers', bi, 'targets', ti] as IssuePath })));
  uniqueIds(all, 'target', (i) => all[i]!.at, issues);
}

function checkDids(ctx: Ctx): void {
  const publishers = new Set(ctx.cfg.publishers.map((p) => p.id));
  const first = new Map<string, IssuePath>();
  ctx.cfg.campaigns.forEach((c, ci) => {
    c.dids.forEach((d, di) => {
      const at: IssuePath = ['campaigns', ci, 'dids', di];
      const seen = first.get(d.number);
      if (seen) ctx.issues.push({ path: [...at, 'number'], message: `DID ${d.number} is already used at ${formatPath(seen)}` });
      else first.set(d.number, at);
      if (!publishers.has(d.publisher)) ctx.issues.push({ path: [...at, 'publisher'], message: `unknown publisher "${d.publisher}"` });
    });
  });
}

function checkRouting(ctx: Ctx, c: Campaign, at: IssuePath): void {
  const { cfg, issues } = ctx;
  c.routes.forEach((r, i) => {
    if (!ctx.targets.has(r.target)) issues.push({ path: [...at, 'routes', i, 'target'], message: `unknown target "${r.target}" (targets are defined under buyers[].targets)` });
  });
  const buyers = new Map(cfg.buyers.map((b) => [b.id, b]));
  c.bidders.forEach((id, i) => {
    const b = buyers.get(id);
    if (!b) issues.push({ path: [...at, 'bidders', i], message: `unknown buyer "${id}"` });
    else if (!b.bidding) issues.push({ path: [...at, 'bidders', i], message: `buyer "${id}" has no bidding block, so it cannot bid` });
  });
  if (c.distribution === 'ping_post' && c.bidders.length === 0) {
    issues.push({ path: [...at, 'distribution'], message: 'ping_post campaign needs at least one buyer in bidders' });
  }
  if (c.distribution !== 'ping_post' && c.routes.length === 0) {
    issues.push({ path: [...at, 'routes'], message: `campaign has no routes: with distribution ${c.distribution} no call could be sent anywhere` });
  }
  if (c.closed?.action === 'route' && !ctx.targets.has(c.closed.target)) {
    issues.push({ path: [...at, 'closed', 'target'], message: `unknown target "${c.closed.target}"` });
  }
}

/**
 * A buyer whose required tags the campaign's IVR can never set would never be eligible: a silent dead route.
 * Reported on the campaign's reference to the buyer (route or bidder).
 */
function checkRequiredTags(ctx: Ctx, c: Campaign, at: IssuePath): void {
  const flow = ctx.cfg.ivr_flows.find((f) => f.id === c.ivr);
  const settable = flow ? tagsSetByFlow(flow) : new Map<string, Set<string> | null>();
  const buyerOfTarget = new Map(ctx.cfg.buyers.flatMap((b) => b.targets.map((t) => [t.id, b] as const)));
  const buyers = new Map(ctx.cfg.buyers.map((b) => [b.id, b]));
  const refs = [
    ...c.routes.map((r, i) => ({ buyer: buyerOfTarget.get(r.target), path: [...at, 'routes', i, 'target'] })),
    ...c.bidders.map((id, i) => ({ buyer: buyers.get(id), path: [...at, 'bidders', i] })),
  ];
  for (const { buyer, path } of refs) {
    for (const [tag, value] of Object.entries(buyer?.required_tags ?? {})) {
      const values = settable.get(tag);
      if (values === null || values?.has(value)) continue;
      const why = flow ? `IVR flow "${flow.id}" never sets it` : 'the campaign has no IVR to set it';
      ctx.issues.push({ path, message: `buyer "${buyer!.id}" requires tag ${tag}=${value} but ${why}, so it can never take these calls` });
    }
  }
}

function checkCampaigns(ctx: Ctx): void {
  const flows = new Set(ctx.cfg.ivr_flows.map((f) => f.id));
  ctx.cfg.campaigns.forEach((c, ci) => {
    const at: IssuePath = ['campaigns', ci];
    checkRouting(ctx, c, at);
    checkRequiredTags(ctx, c, at);
    if (c.ivr !== undefined && !flows.has(c.ivr)) ctx.issues.push({ path: [...at, 'ivr'], message: `unknown IVR flow "${c.ivr}"` });
    if (c.closed && !c.hours) ctx.issues.push({ path: [...at, 'closed'], message: 'closed is set but the campaign has no hours, so it is never closed' });
    if (c.bidders.length > 0 && c.distribution !== 'ping_post') {
      ctx.issues.push({ path: [...at, 'bidders'], message: `bidders are only pinged with distribution ping_post (this campaign uses ${c.distribution})` });
    }
    if (c.routing_timeout_s < c.ring_timeout_s) {
      ctx.issues.push({ path: [...at, 'routing_timeout_s'], message: `routing_timeout_s (${c.routing_timeout_s}) is shorter than ring_timeout_s (${c.ring_timeout_s})` });
    }
  });
}

/** Every place a prompt is named. */
function promptRefs(cfg: CampaignConfig): Array<{ id: string; path: IssuePath }> {
  const refs: Array<{ id: string; path: IssuePath }> = [];
  cfg.campaigns.forEach((c, i) => {
    if (c.no_buyer_prompt) refs.push({ id: c.no_buyer_prompt, path: ['campaigns', i, 'no_buyer_prompt'] });
    if (c.whisper_prompt) refs.push({ id: c.whisper_prompt, path: ['campaigns', i, 'whisper_prompt'] });
    if (c.closed?.action === 'message') refs.push({ id: c.closed.prompt, path: ['campaigns', i, 'closed', 'prompt'] });
  });
  cfg.ivr_flows.forEach((f, i) => refs.push(...promptRefsOfFlow(f, ['ivr_flows', i])));
  return refs;
}

function checkTargets(ctx: Ctx): void {
  const trunks = new Set(ctx.cfg.trunks.map((t) => t.id));
  ctx.cfg.buyers.forEach((b, bi) => {
    b.targets.forEach((t, ti) => {
      if ('trunk' in t.destination && !trunks.has(t.destination.trunk)) {
        ctx.issues.push({ path: ['buyers', bi, 'targets', ti, 'destination', 'trunk'], message: `unknown trunk "${t.destination.trunk}"` });
      }
    });
  });
}

function checkApiKeys(ctx: Ctx): void {
  const parties = { buyer: new Set(ctx.cfg.buyers.map((b) => b.id)), publisher: new Set(ctx.cfg.publishers.map((p) => p.id)) };
  ctx.cfg.api_keys.forEach((k, i) => {
    const at: IssuePath = ['api_keys', i];
    if (k.role === 'operator') {
      if (k.party !== undefined) ctx.issues.push({ path: [...at, 'party'], message: 'operator keys are not scoped to a party; remove party' });
      return;
    }
    if (k.party === undefined) ctx.issues.push({ path: [...at], message: `a ${k.role} key needs party: the ${k.role} id it is scoped to` });
    else if (!parties[k.role].has(k.party)) ctx.issues.push({ path: [...at, 'party'], message: `unknown ${k.role} "${k.party}"` });
  });
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Overlapping ranges on one day, and holidays that are not real dates. */
export function checkHours(h: Hours, at: IssuePath): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  for (const [day, ranges] of Object.entries(h.weekly)) {
    const spans = ranges.map((r, i) => ({ i, r, from: minutes(r), to: minutes(r.slice(6)) })).sort((a, b) => a.from - b.from);
    for (let k = 1; k < spans.length; k++) {
      const prev = spans[k - 1]!;
      const cur = spans[k]!;
      if (cur.from < prev.to) issues.push({ path: [...at, 'weekly', day, cur.i], message: `${cur.r} overlaps ${prev.r} on ${day}` });
    }
  }
  h.holidays.forEach((d, i) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== d) {
      issues.push({ path: [...at, 'holidays', i], message: `${d} is not a calendar date` });
    }
  });
  return issues;
}

function checkAllHours(ctx: Ctx): void {
  const { cfg, issues } = ctx;
  cfg.campaigns.forEach((c, i) => {
    if (c.hours) issues.push(...checkHours(c.hours, ['campaigns', i, 'hours']));
  });
  cfg.buyers.forEach((b, bi) => {
    if (b.hours) issues.push(...checkHours(b.hours, ['buyers', bi, 'hours']));
    b.targets.forEach((t, ti) => {
      if (t.hours) issues.push(...checkHours(t.hours, ['buyers', bi, 'targets', ti, 'hours']));
    });
  });
}

export function validateSemantics(cfg: CampaignConfig): SemanticIssue[] {
  const ctx: Ctx = {
    cfg,
    issues: [],
    targets: new Set(cfg.buyers.flatMap((b) => b.targets.map((t) => t.id))),
    prompts: new Set(cfg.prompts.map((p) => p.id)),
  };
  checkIds(ctx);
  checkDids(ctx);
  checkCampaigns(ctx);
  checkTargets(ctx);
  checkApiKeys(ctx);
  checkAllHours(ctx);
  for (const ref of promptRefs(cfg)) {
    if (!ctx.prompts.has(ref.id)) ctx.issues.push({ path: ref.path, message: `unknown prompt "${ref.id}"` });
  }
  cfg.ivr_flows.forEach((f, i) => ctx.issues.push(...checkIvrFlow(f, ['ivr_flows', i])));
  ctx.issues.push(...checkWebhookTemplates(cfg));
  return ctx.issues;
}
