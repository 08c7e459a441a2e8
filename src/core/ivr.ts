/** Pure IVR decisions: what a caller's digits mean for a step. The runner in src/calls plays and collects. */
import type { IvrFlow, IvrStep } from '../config/schema/ivr.js';

type MenuStep = Extract<IvrStep, { type: 'menu' }>;
type GatherStep = Extract<IvrStep, { type: 'gather' }>;
type BranchStep = Extract<IvrStep, { type: 'branch' }>;

export type Tags = Record<string, string>;

/** Where a step leads: another step, or a terminal (`route` = qualified, `reject` = not qualified). */
export type NextStep = { kind: 'step'; name: string } | { kind: 'route' } | { kind: 'reject' };

export function resolveNext(name: string): NextStep {
  if (name === 'route') return { kind: 'route' };
  if (name === 'reject') return { kind: 'reject' };
  return { kind: 'step', name };
}

/** The option a menu digit selects, or undefined for an invalid key. */
export function menuChoice(step: MenuStep, digits: string): { tags: Tags; next: string } | undefined {
  if (digits.length !== 1) return undefined;
  return step.options[digits];
}

/** Whether gathered digits are an acceptable answer (length and the optional anchored pattern). */
export function gatherAccepts(step: GatherStep, digits: string): boolean {
  if (digits.length < step.min_digits || digits.length > step.max_digits) return false;
  if (!/^[0-9]*$/.test(digits)) return false;
  return step.pattern === undefined || new RegExp(`^(?:${step.pattern})$`).test(digits);
}

/** The first case whose tags all match, else the default. */
export function branchNext(step: BranchStep, tags: Readonly<Tags>): string {
  const hit = step.cases.find((c) => Object.entries(c.when).every(([k, v]) => tags[k] === v));
  return hit ? hit.next : step.default;
}

export function stepOf(flow: IvrFlow, name: string): IvrStep {
  const step = flow.steps[name];
  if (!step) throw new Error(`IVR flow ${flow.id} has no step ${name} (config validation should have caught this)`);
  return step;
}

/** Guards against a cycle of steps that never collects input (say -> say -> …). */
export const MAX_IVR_HOPS = 64;
