/**
 * IVR flow checks: every name a step uses exists, every step can be reached, the flow can qualify a caller,
 * gathers are satisfiable and branches test tags the flow can actually set.
 */
import { IVR_TERMINALS, type IvrFlow, type IvrStep } from './schema/index.js';
import type { SemanticIssue } from './semantics.js';
import type { IssuePath } from './yaml-nodes.js';

/** A `next`-like reference inside a step, with the path of the field that holds it. */
interface Edge {
  to: string;
  path: IssuePath;
}

function edgesOf(step: IvrStep, at: IssuePath): Edge[] {
  switch (step.type) {
    case 'say':
      return [{ to: step.next, path: [...at, 'next'] }];
    case 'menu':
      return [
        ...Object.entries(step.options).map(([k, o]) => ({ to: o.next, path: [...at, 'options', k, 'next'] })),
        { to: step.on_fail, path: [...at, 'on_fail'] },
      ];
    case 'gather':
      return [{ to: step.next, path: [...at, 'next'] }, { to: step.on_fail, path: [...at, 'on_fail'] }];
    case 'branch':
      return [
        ...step.cases.map((c, i) => ({ to: c.next, path: [...at, 'cases', i, 'next'] })),
        { to: step.default, path: [...at, 'default'] },
      ];
    case 'hangup':
      return [];
  }
}

/** Prompt ids named by a flow, with their paths (checked against `prompts` by the caller). */
export function promptRefsOfFlow(flow: IvrFlow, at: IssuePath): Array<{ id: string; path: IssuePath }> {
  const refs: Array<{ id: string; path: IssuePath }> = [];
  if (flow.reject_prompt) refs.push({ id: flow.reject_prompt, path: [...at, 'reject_prompt'] });
  for (const [name, step] of Object.entries(flow.steps)) {
    if ('prompt' in step && step.prompt) refs.push({ id: step.prompt, path: [...at, 'steps', name, 'prompt'] });
  }
  return refs;
}

/** Tag name -> values the flow can set (`null` = any value, from a gather). */
export function tagsSetByFlow(flow: IvrFlow): Map<string, Set<string> | null> {
  const tags = new Map<string, Set<string> | null>();
  for (const step of Object.values(flow.steps)) {
    if (step.type === 'gather') tags.set(step.tag, null);
    if (step.type !== 'menu') continue;
    for (const option of Object.values(step.options)) {
      for (const [tag, value] of Object.entries(option.tags)) {
        const known = tags.get(tag);
        if (known === null) continue;
        tags.set(tag, (known ?? new Set<string>()).add(value));
      }
    }
  }
  return tags;
}

function reachable(flow: IvrFlow): Set<string> {
  const seen = new Set<string>();
  const queue = [flow.start];
  while (queue.length > 0) {
    const name = queue.pop()!;
    const step = flow.steps[name];
    if (seen.has(name) || !step) continue;
    seen.add(name);
    for (const e of edgesOf(step, [])) queue.push(e.to);
  }
  return seen;
}

function checkGather(step: IvrStep, at: IssuePath, issues: SemanticIssue[]): void {
  if (step.type !== 'gather') return;
  if (step.min_digits > step.max_digits) {
    issues.push({ path: [...at, 'min_digits'], message: `min_digits (${step.min_digits}) is greater than max_digits (${step.max_digits})` });
  }
  if (step.pattern === undefined) return;
  try {
    new RegExp(`^(?:${step.pattern})$`);
  } catch (err) {
    issues.push({ path: [...at, 'pattern'], message: `invalid pattern: ${(err as Error).message}` });
  }
}

function checkBranch(step: IvrStep, at: IssuePath, settable: Map<string, Set<string> | null>, issues: SemanticIssue[]): void {
  if (step.type !== 'branch') return;
  step.cases.forEach((c, i) => {
    for (const [tag, value] of Object.entries(c.when)) {
      const values = settable.get(tag);
      const path = [...at, 'cases', i, 'when', tag];
      if (values === undefined) issues.push({ path, message: `tag "${tag}" is never set by this flow` });
      else if (values !== null && !values.has(value)) {
        issues.push({ path, message: `tag "${tag}" is never set to "${value}" (this flow sets ${[...values].map((v) => `"${v}"`).join(', ')})` });
      }
    }
  });
}

export function checkIvrFlow(flow: IvrFlow, at: IssuePath): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const exists = (name: string): boolean => name in flow.steps || (IVR_TERMINALS as readonly string[]).includes(name);
  const steps = Object.entries(flow.steps);
  if (!(flow.start in flow.steps)) issues.push({ path: [...at, 'start'], message: `start step "${flow.start}" is not defined in steps` });
  for (const name of Object.keys(flow.steps)) {
    if ((IVR_TERMINALS as readonly string[]).includes(name)) {
      issues.push({ path: [...at, 'steps', name], message: `"${name}" is a terminal and cannot be a step name` });
    }
  }
  const settable = tagsSetByFlow(flow);
  let routes = false;
  for (const [name, step] of steps) {
    const stepPath = [...at, 'steps', name];
    for (const e of edgesOf(step, stepPath)) {
      if (!exists(e.to)) issues.push({ path: e.path, message: `unknown step "${e.to}" (use a step name, "route" or "reject")` });
      if (e.to === 'route') routes = true;
    }
    checkGather(step, stepPath, issues);
    checkBranch(step, stepPath, settable, issues);
  }
  if (flow.start in flow.steps) {
    const seen = reachable(flow);
    for (const [name] of steps) {
      if (!seen.has(name)) issues.push({ path: [...at, 'steps', name], message: `step "${name}" cannot be reached from start "${flow.start}"` });
    }
  }
  if (!routes && flow.start !== 'route') issues.push({ path: [...at, 'steps'], message: 'no step leads to "route": no caller could ever qualify' });
  return issues;
}
