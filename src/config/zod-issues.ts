/**
 * Turning zod issues into plain-language issues with full paths. Positions are added by the loader.
 */
import type { z } from 'zod';
import type { IssuePath } from './yaml-nodes.js';

export interface PathIssue {
  path: IssuePath;
  message: string;
  /** `unknown_key` issues are reported at the key, `type` issues at a missing key's parent map. */
  kind: 'unknown_key' | 'type' | 'other';
}

type ZodIssue = z.core.$ZodIssue;

/** How wrong a union branch is: a branch that rejects keys at its root is the wrong shape, not a near miss. */
function badness(issues: readonly ZodIssue[]): number {
  return issues.reduce((n, i) => n + (i.code === 'unrecognized_keys' && i.path.length === 0 ? 10 * i.keys.length : 1), 0);
}

function describeSize(issue: ZodIssue & { code: 'too_small' | 'too_big' }): string {
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const least = issue.code === 'too_small';
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'array':
      return `must have ${least ? 'at least' : 'at most'} ${String(bound)} item${bound === 1 ? '' : 's'}`;
    case 'string':
      return `must be ${least ? 'at least' : 'at most'} ${String(bound)} character${bound === 1 ? '' : 's'} long`;
    default:
      return `must be ${least ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<'} ${String(bound)}`;
  }
}

function plain(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const text = issue.message.replace(/^Invalid input: /, '').replace('received', 'got');
      // YAML reads +18005550100, 0123 or 09:00 as numbers; quoting is the fix.
      return issue.expected === 'string' && /got number$/.test(text) ? `${text} (put the value in quotes)` : text;
    }
    case 'too_small':
    case 'too_big':
      return describeSize(issue);
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
      }
      return issue.message;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** Flatten zod issues (unions included: the closest branch speaks) into path issues. */
export function fromZodIssues(issues: readonly ZodIssue[], prefix: IssuePath = []): PathIssue[] {
  const out: PathIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown key "${key}"`, kind: 'unknown_key' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => badness(a) - badness(b))[0] ?? [];
      out.push(...fromZodIssues(best, path));
    } else {
      out.push({ path, message: plain(issue), kind: issue.code === 'invalid_type' ? 'type' : 'other' });
    }
  }
  return out;
}
