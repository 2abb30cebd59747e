import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair, YAMLMap } from 'yaml';

/** A path into the parsed document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** The line and column where the value (or, with wantKey, the key) at a path was written. */
export type Locator = (p: DocPath, wantKey?: boolean) => { line: number; col: number };

/**
 * Finds the node a validation error points at. `wantKey` returns the key of the last
 * step instead of its value (an unknown key is reported where the key is written). A value a
 * merge key (`<<: *shop`) copied is reported at that alias: the copy is where it is changed.
 */
export function locate(doc: Document, path: DocPath, wantKey = false): Node | null {
  let node = doc.contents as Node | null;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = ownPair(node, step);
      if (!pair) {
        const source = mergeSourceOf(doc, node, step, new Set());
        if (!source) return node;
        if (isAlias(source)) return source;
        // An inline map after `<<:` is written here: look in it for the same step.
        node = source;
        i--;
        continue;
      }
      if (last && wantKey) return pair.key as Node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node)) {
      const item = node.items[Number(step)];
      if (!item || isPair(item)) return node;
      node = item as Node;
    } else {
      return node;
    }
  }
  return node;
}

function ownPair(map: YAMLMap, key: string | number): Pair | undefined {
  return map.items.find((p: Pair) => isScalar(p.key) && typeof p.key.value !== 'symbol' && String(p.key.value) === String(key));
}

/**
 * The alias (or inline map) after a `<<:` of `map` that gives it `key`, the first one as the
 * merge takes them. `seen` stops an anchor that merges itself.
 */
function mergeSourceOf(doc: Document, map: YAMLMap, key: string | number, seen: Set<YAMLMap>): Node | undefined {
  if (seen.has(map)) return undefined;
  seen.add(map);
  for (const pair of map.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'symbol') continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const written = isAlias(source) ? source.resolve(doc) : source;
      if (isMap(written) && (ownPair(written, key) || mergeSourceOf(doc, written, key, seen))) return source as Node;
    }
  }
  return undefined;
}

export function positionOf(node: Node | null, lines: LineCounter): { line: number; col: number } {
  const offset = node?.range?.[0] ?? 0;
  return lines.linePos(offset);
}
