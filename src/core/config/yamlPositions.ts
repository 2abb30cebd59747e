import { isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair } from 'yaml';

/** A path into the parsed document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** The line and column where the value (or, with wantKey, the key) at a path was written. */
export type Locator = (p: DocPath, wantKey?: boolean) => { line: number; col: number };

/**
 * Finds the node a validation error points at. `wantKey` returns the key of the last
 * step instead of its value (an unknown key is reported where the key is written).
 */
export function locate(root: Node | null, path: DocPath, wantKey = false): Node | null {
  let node: Node | null = root;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return node;
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

export function positionOf(node: Node | null, lines: LineCounter): { line: number; col: number } {
  const offset = node?.range?.[0] ?? 0;
  return lines.linePos(offset);
}
