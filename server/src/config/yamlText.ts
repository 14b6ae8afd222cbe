// Edits on app-config text, located with the `yaml` Document API's source ranges. Only the
// lines of the rewritten key change; comments, order and formatting elsewhere stay as they are.
import { isMap, isPair, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export interface Located {
  pair: Pair<Node, Node | null>;
  /** The map that holds the pair. */
  parent: YAMLMap;
}

/** The pair at `path` (e.g. ['auth', 'providers', 'guest']), with its parent map. */
export function findPair(document: Document.Parsed, path: readonly string[]): Located | undefined {
  let map: unknown = document.contents;
  for (let i = 0; i < path.length; i++) {
    if (!isMap(map)) return undefined;
    const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === path[i]);
    if (!pair) return undefined;
    if (i === path.length - 1) return { pair: pair as Pair<Node, Node | null>, parent: map };
    map = pair.value;
  }
  return undefined;
}

export function keyRange(located: Located): { start: number; end: number } {
  const key = located.pair.key as Node;
  return { start: key.range![0], end: key.range![1] };
}

/** Start of the line that holds `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset after the line break that ends the line holding `offset` (or the text end). */
function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

/** End of a pair's own text: its value (with a trailing comment), or its key when it has none. */
function pairEnd(text: string, located: Located): number {
  const value = located.pair.value;
  const end = value?.range ? value.range[2] : (located.pair.key as Node).range![2];
  // A block value's range already ends after its last line break.
  return text[end - 1] === '\n' ? end : lineEnd(text, end);
}

/**
 * Removes the pair at `path`. Parents left empty are removed too (an empty `auth:` would
 * become `null`, which the config schema rejects). Comment lines above the key stay.
 */
export function removePair(text: string, document: Document.Parsed, path: readonly string[]): string {
  for (let depth = path.length; depth > 0; depth--) {
    const located = findPair(document, path.slice(0, depth));
    if (!located) return text;
    const onlyChild = depth > 1 && located.parent.items.length === 1;
    if (onlyChild) continue;
    const start = lineStart(text, keyRange(located).start);
    return text.slice(0, start) + text.slice(pairEnd(text, located));
  }
  return text;
}

/** Replaces the value at `path` with `valueText` (a plain scalar such as `null`). */
export function setScalarValue(text: string, document: Document.Parsed, path: readonly string[], valueText: string): string {
  const located = findPair(document, path);
  if (!located) return text;
  const key = located.pair.key as Node;
  const colon = text.indexOf(':', key.range![1]);
  const value = located.pair.value;
  const inline = value?.range && (isScalar(value) || (value as { flow?: boolean }).flow === true);
  if (inline) return text.slice(0, value.range![0]) + valueText + text.slice(value.range![1]);
  // A block map/sequence (or nothing) after the colon: replace everything up to the pair's end.
  const end = pairEnd(text, located);
  return `${text.slice(0, colon + 1)} ${valueText}${text.slice(end - (text[end - 1] === '\n' ? 1 : 0))}`;
}
