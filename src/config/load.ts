/**
 * Loading the campaign config: YAML -> env expansion -> schema -> semantic checks -> prompt files -> model.
 * Every problem is collected and returned at once, each with its path and line:column; nothing throws for bad input.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isCollection, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { expandEnv } from './env-expand.js';
import { buildModel, type LoadedConfig } from './model.js';
import { checkPrompts } from './prompts.js';
import { salvage, trustworthy } from './salvage.js';
import { campaignConfig, type CampaignConfig } from './schema/index.js';
import { validateSemantics, type SemanticIssue } from './semantics.js';
import { fromZodIssues, type PathIssue } from './zod-issues.js';
import { formatPath, lookupPath, mapKeyNode, pathAtOffset, positionOf, type IssuePath } from './yaml-nodes.js';

export interface ConfigIssue {
  /** YAML path such as `campaigns[1].dids[0].number`; empty for the document itself. */
  path: string;
  line: number;
  column: number;
  message: string;
}

export type LoadResult = { ok: true; config: LoadedConfig } | { ok: false; issues: ConfigIssue[] };

/** `FILE:LINE:COL path: message`, the format editors and CI logs understand. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  return `${file}:${issue.line}:${issue.column} ${issue.path || '(root)'}: ${issue.message}`;
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    return { ok: false, issues: [{ path: '', line: 1, column: 1, message: `cannot read config: ${reason}` }] };
  }
  return loadConfigText(bytes.toString('utf8'), file, env, digestOf(bytes));
}

export function loadConfigText(
  text: string,
  sourcePath: string,
  env: NodeJS.ProcessEnv = process.env,
  digest: string = digestOf(Buffer.from(text, 'utf8')),
): LoadResult {
  const absPath = resolve(sourcePath);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, issues: syntaxIssues(doc, lc) };
  if (doc.contents === null) {
    return { ok: false, issues: [{ path: '', line: 1, column: 1, message: 'the file has no content: expected a mapping with version, carriers, publishers, buyers and campaigns' }] };
  }
  const at = (path: IssuePath, message: string, kind: PathIssue['kind'] = 'other'): ConfigIssue =>
    locate(doc, lc, { path, message, kind });

  const issues: ConfigIssue[] = expandEnv(doc, env).map((p) => {
    const { line, column } = positionOf(p.node, lc);
    return { path: pathOfNode(doc, p.node), line, column, message: p.message };
  });
  const js = toPlain(doc, lc);
  if (!js.ok) return fail([...issues, ...js.issues]);
  const parsed = campaignConfig.safeParse(js.value);
  if (!parsed.success) {
    const schemaIssues = fromZodIssues(parsed.error.issues);
    issues.push(...schemaIssues.map((i) => locate(doc, lc, i)));
    // Still run the semantic checks where the rest of the file allows, so one run lists every error.
    const partial = salvage(js.value, schemaIssues);
    if (partial) issues.push(...trustworthy(deeperChecks(partial.config, absPath), partial.tainted).map((i) => at(i.path, i.message)));
    return fail(issues);
  }
  issues.push(...deeperChecks(parsed.data, absPath).map((i) => at(i.path, i.message)));
  if (issues.length > 0) return fail(issues);
  return { ok: true, config: buildModel(parsed.data, absPath, digest) };
}

function syntaxIssues(doc: Document, lc: LineCounter): ConfigIssue[] {
  return doc.errors.map((e) => {
    const { line, col } = lc.linePos(e.pos[0]);
    // The tree around other syntax errors is unreliable, so only a duplicate key gets a path.
    const path = e.code === 'DUPLICATE_KEY' ? formatPath(pathAtOffset(doc, e.pos[0])) : '';
    return { path, line, column: col, message: `YAML syntax: ${e.message.split('\n')[0] ?? e.message}` };
  });
}

/** The document as plain data; aliases that point nowhere (or expand without bound) are issues, not exceptions. */
function toPlain(doc: Document, lc: LineCounter): { ok: true; value: unknown } | { ok: false; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined) {
        issues.push({ path: pathOfNode(doc, node), ...positionOf(node, lc), message: `alias *${node.source} has no anchor &${node.source} before it` });
      }
    },
  });
  if (issues.length > 0) return { ok: false, issues };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (err) {
    return { ok: false, issues: [{ path: '', line: 1, column: 1, message: `YAML: ${(err as Error).message}` }] };
  }
}

/** Checks beyond the schema: cross-references, reachability, prompt files. */
function deeperChecks(cfg: CampaignConfig, absPath: string): SemanticIssue[] {
  return [...validateSemantics(cfg), ...checkPrompts(cfg.prompts, dirname(absPath))];
}

function digestOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function fail(issues: ConfigIssue[]): LoadResult {
  issues.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
  return { ok: false, issues };
}

/** Point at the right node: unknown keys at the key, missing keys at the map that lacks them. */
function locate(doc: Document, lc: LineCounter, issue: PathIssue): ConfigIssue {
  const path = formatPath(issue.path);
  if (issue.kind === 'unknown_key') {
    const parent = lookupPath(doc, issue.path.slice(0, -1));
    const key = mapKeyNode(parent.node, String(issue.path.at(-1)));
    return { path, ...positionOf(key ?? parent.node, lc), message: issue.message };
  }
  const found = lookupPath(doc, issue.path);
  if (!found.found && issue.path.length > 0) {
    const parentFound = lookupPath(doc, issue.path.slice(0, -1)).found;
    const name = String(issue.path.at(-1));
    const message = parentFound && issue.kind === 'type' ? `missing required key "${name}"` : issue.message;
    return { path, ...positionOf(found.node, lc), message };
  }
  // A whole map or list is best shown at its key (`steps:`, `ask-zip:`), not at its first entry.
  const at = isCollection(found.node) && found.key ? found.key : found.node;
  return { path, ...positionOf(at, lc), message: issue.message };
}

/** The path of a scalar node, found by walking the tree (used for env problems, found before validation). */
function pathOfNode(doc: Document, target: unknown): string {
  const walk = (node: unknown, path: PropertyKey[]): PropertyKey[] | null => {
    if (node === target) return path;
    const n = node as { items?: unknown[] } | null;
    if (!n || !Array.isArray(n.items)) return null;
    for (let i = 0; i < n.items.length; i++) {
      const item = n.items[i] as { key?: { value?: unknown }; value?: unknown } | undefined;
      const isPair = item !== null && typeof item === 'object' && 'key' in item && 'value' in item;
      const hit = isPair ? walk(item.value, [...path, String(item.key?.value)]) : walk(item, [...path, i]);
      if (hit) return hit;
    }
    return null;
  };
  return formatPath(walk(doc.contents, []) ?? []);
}
