/**
 * Semantic checks on a config that failed the schema, so one run lists every error.
 *
 * The offending keys are dropped (an unknown key simply goes; a bad value falls back to its default or absence)
 * and the result re-validated. When that yields a valid config, the semantic checks run on it. Issues under an
 * object whose value was dropped are discarded: they would judge a default the author never wrote.
 * When a required field is broken the salvage gives up, and only the schema issues are reported.
 */
import { campaignConfig, type CampaignConfig } from './schema/index.js';
import type { SemanticIssue } from './semantics.js';
import type { IssuePath } from './yaml-nodes.js';
import { fromZodIssues, type PathIssue } from './zod-issues.js';

const MAX_ROUNDS = 5;

/** Delete the value at `path` (a whole array when the path ends in an index, so other indices stay put). */
function drop(data: unknown, path: IssuePath): boolean {
  const keyPath = typeof path.at(-1) === 'number' ? path.slice(0, -1) : path;
  if (keyPath.length === 0) return false;
  let node: unknown = data;
  for (const seg of keyPath.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  const last = keyPath.at(-1)!;
  if (node === null || typeof node !== 'object' || Array.isArray(node) || !(last in node)) return false;
  delete (node as Record<PropertyKey, unknown>)[last];
  return true;
}

const isUnder = (path: IssuePath, prefix: IssuePath): boolean => prefix.every((seg, i) => path[i] === seg);

export interface Salvage {
  config: CampaignConfig;
  /** Parents of values that were replaced by defaults: semantic issues below them are not trustworthy. */
  tainted: IssuePath[];
}

export function salvage(data: unknown, issues: readonly PathIssue[]): Salvage | null {
  const copy: unknown = structuredClone(data);
  const tainted: IssuePath[] = [];
  let pending = issues;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (const issue of pending) {
      if (!drop(copy, issue.path)) continue;
      changed = true;
      if (issue.kind !== 'unknown_key') tainted.push(issue.path.slice(0, typeof issue.path.at(-1) === 'number' ? -2 : -1));
    }
    if (!changed) return null;
    const parsed = campaignConfig.safeParse(copy);
    if (parsed.success) return { config: parsed.data, tainted };
    pending = fromZodIssues(parsed.error.issues);
  }
  return null;
}

/** Semantic issues that do not sit under a tainted object. */
export function trustworthy(issues: readonly SemanticIssue[], tainted: readonly IssuePath[]): SemanticIssue[] {
  return issues.filter((i) => !tainted.some((t) => isUnder(i.path, t)));
}
