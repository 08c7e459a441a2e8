/**
 * `${VAR}` and `${VAR:-default}` inside string values, so secrets stay out of the file.
 * Expansion happens on the YAML tree (not the text) so a missing variable is reported at its own line,
 * and a value can never inject YAML structure. `$${` is a literal `${`.
 */
import { visit, type Document, type Node } from 'yaml';

export interface EnvProblem {
  node: Node;
  message: string;
}

const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}?/g;

/** Expand one string; unset variables without a default are collected in `missing`. */
export function expandString(value: string, env: NodeJS.ProcessEnv, problems: string[]): string {
  return value.replace(REF, (match, name: string | undefined, fallback: string | undefined, bad: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      problems.push(`malformed variable reference "\${${bad ?? ''}" (use \${NAME} or \${NAME:-default})`);
      return match;
    }
    const v = env[name];
    if (fallback !== undefined) return v === undefined || v === '' ? fallback : v;
    if (v === undefined) {
      problems.push(`environment variable ${name} is not set`);
      return match;
    }
    return v;
  });
}

/** Expand every string value (never keys) in place; returns the references that could not be expanded. */
export function expandEnv(doc: Document, env: NodeJS.ProcessEnv): EnvProblem[] {
  const out: EnvProblem[] = [];
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const problems: string[] = [];
      node.value = expandString(node.value, env, problems);
      for (const message of problems) out.push({ node, message });
    },
  });
  return out;
}
