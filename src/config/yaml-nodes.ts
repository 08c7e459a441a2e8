/**
 * Finding the YAML node behind a validation path, so every issue can say where it is (line:column).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type IssuePath = readonly PropertyKey[];

export interface Position {
  line: number;
  column: number;
}

/** What a path resolves to in the document: the deepest node that exists, and whether the whole path did. */
export interface NodeLookup {
  /** The node at the path, or (when `found` is false) the deepest existing ancestor. */
  node: Node | null;
  /** The key node of the last map entry walked into (for pointing at `key:` when its value is empty). */
  key: Node | null;
  found: boolean;
}

function deref(doc: Document, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? null;
  return (node as Node | null) ?? null;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  // Keys are scalars in our files; a complex key can never match a schema key name.
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

/** The key node of `name` in `map` (for unknown keys, which are reported at the key itself). */
export function mapKeyNode(map: Node | null, name: string): Node | null {
  if (!isMap(map)) return null;
  const pair = map.items.find((p) => keyText(p.key) === name);
  return (pair?.key as Node | undefined) ?? null;
}

export function lookupPath(doc: Document, path: IssuePath): NodeLookup {
  let node = deref(doc, doc.contents);
  let key: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) return { node, key, found: false };
      key = (pair.key as Node | null) ?? null;
      const value = deref(doc, pair.value);
      // `key:` with nothing after it: the key is the best place to point at.
      if (!value) return { node: key, key, found: true };
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = deref(doc, node.items[seg]);
      if (!item) return { node, key, found: false };
      node = item;
      key = null;
    } else {
      return { node, key, found: false };
    }
  }
  return { node, key, found: true };
}

export function positionOf(node: Node | null | undefined, lc: LineCounter): Position {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

/** `campaigns[1].dids[0].number`; record keys that are not plain words are quoted: `options["#"]`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** The path of the deepest node whose source range holds `offset` (for YAML errors, which only carry offsets). */
export function pathAtOffset(doc: Document, offset: number): IssuePath {
  const path: PropertyKey[] = [];
  const holds = (n: unknown): boolean => {
    const r = (n as Node | null)?.range;
    return !!r && r[0] <= offset && offset < Math.max(r[2], r[1]);
  };
  let node: unknown = doc.contents;
  while (isMap(node) || isSeq(node)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => holds(p.key) || holds(p.value));
      if (!pair) break;
      path.push(keyText(pair.key) ?? '?');
      if (!holds(pair.value)) break;
      node = pair.value;
    } else {
      const i = node.items.findIndex(holds);
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    }
  }
  return path;
}
