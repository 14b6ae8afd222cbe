// Edits on app-config text, located with the `yaml` Document API's source ranges. Only the
// lines of the rewritten key change; comments, order and formatting elsewhere stay as they are.
import { isMap, isPair, isScalar, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

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

export type YamlEdit = { ok: true; text: string } | { ok: false; reason: string };

const DEFAULT_INDENT_UNIT = 2;

/**
 * Sets the value at `path` to `valueText` (a flow value: `{}`, `null`, `true`). Keys that are
 * missing are added as a block under the deepest map that exists: after its last entry,
 * indented like its entries. An existing value is replaced in place; text that already holds
 * the value is returned unchanged. Refused (with the reason) where a block cannot go: under a
 * scalar, a sequence or a non-empty flow map, or in a file that does not parse.
 */
export function setPathValue(text: string, document: Document.Parsed, path: readonly string[], valueText: string): YamlEdit {
  if (document.errors.length > 0) return { ok: false, reason: 'the file does not parse as YAML; fix it first' };
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const existing = findPair(document, path);
  if (existing) return replaceValue(text, document, existing, path, valueText);

  const unit = ' '.repeat(indentUnitOf(text, document));
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const parent = depth === 0 ? undefined : findPair(document, path.slice(0, depth));
    if (depth > 0 && !parent) continue;
    const container: unknown = parent ? parent.pair.value : document.contents;
    const block = (indent: string) =>
      path.slice(depth).map((key, i, keys) => `${indent}${unit.repeat(i)}${key}:${i === keys.length - 1 ? ` ${valueText}` : ''}`);

    if (isMap(container) && !container.flow && container.items.length > 0) {
      const first = container.items[0].key as Node;
      const indent = keyIndent(text, first.range![0]);
      const last = container.items[container.items.length - 1] as Pair<Node, Node | null>;
      if (indent === undefined) return notABlock(path, depth);
      return { ok: true, text: insertLines(text, pairEnd(text, { pair: last, parent: container }), block(indent), nl) };
    }
    if (!parent && (container === null || container === undefined)) {
      return { ok: true, text: insertLines(text, text.length, block(''), nl) };
    }
    if (parent && isEmptyValue(container)) {
      const key = parent.pair.key as Node;
      const indent = keyIndent(text, key.range![0]);
      if (indent === undefined) return notABlock(path, depth);
      // `providers: {} # note` -> `providers: # note` + the new block on the lines below.
      const colon = text.indexOf(':', key.range![1]);
      const valueEnd = (container as Node).range![1];
      const cut = text.slice(0, colon + 1) + text.slice(valueEnd);
      return { ok: true, text: insertLines(cut, lineEnd(cut, colon), block(indent + unit), nl) };
    }
    return notABlock(path, depth);
  }
  return notABlock(path, 0);
}

function replaceValue(text: string, document: Document.Parsed, located: Located, path: readonly string[], valueText: string): YamlEdit {
  const value = located.pair.value;
  const wanted: unknown = parseDocument(valueText).toJSON();
  if (value && isScalar(value) && value.range && value.range[0] === value.range[1]) {
    // `guest:` with nothing after the colon: the value goes right after it.
    const colon = text.indexOf(':', (located.pair.key as Node).range![1]);
    return { ok: true, text: `${text.slice(0, colon + 1)} ${valueText}${text.slice(colon + 1)}` };
  }
  const current: unknown = value === null ? null : value.toJSON();
  if (JSON.stringify(current) === JSON.stringify(wanted)) return { ok: true, text };
  return { ok: true, text: setScalarValue(text, document, path, valueText) };
}

function notABlock(path: readonly string[], depth: number): YamlEdit {
  const where = depth === 0 ? 'the file' : `\`${path.slice(0, depth).join('.')}\``;
  return {
    ok: false,
    reason: `${where} does not hold a block map, so \`${path.slice(depth).join('.')}\` cannot be added under it; add \`${path.join('.')}\` yourself`,
  };
}

/** Nothing, `null`, `~` or `{}`: a value a block map can take the place of. */
function isEmptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (isScalar(node)) return node.value === null;
  return isMap(node) && node.flow === true && node.items.length === 0;
}

/** The indentation before a key, when the key is the first thing on its line. */
function keyIndent(text: string, keyStart: number): string | undefined {
  const before = text.slice(lineStart(text, keyStart), keyStart);
  return /^[ ]*$/.test(before) ? before : undefined;
}

/** Inserts whole lines at `at` (a line start, or the end of a text that may lack its last line break). */
function insertLines(text: string, at: number, lines: readonly string[], nl: string): string {
  const needsBreak = at > 0 && text[at - 1] !== '\n';
  return `${text.slice(0, at)}${needsBreak ? nl : ''}${lines.join(nl)}${nl}${text.slice(at)}`;
}

/** How far the file indents a nested block map under its key (2 when it has none). */
function indentUnitOf(text: string, document: Document.Parsed): number {
  let unit: number | undefined;
  const visit = (node: unknown) => {
    if (unit !== undefined || !isMap(node) || node.flow) return;
    for (const item of node.items) {
      const child = item.value;
      if (isMap(child) && !child.flow && child.items.length > 0) {
        const parentIndent = keyIndent(text, (item.key as Node).range![0]);
        const childIndent = keyIndent(text, (child.items[0].key as Node).range![0]);
        if (parentIndent !== undefined && childIndent !== undefined && childIndent.length > parentIndent.length) {
          unit = childIndent.length - parentIndent.length;
          return;
        }
      }
      visit(child);
    }
  };
  visit(document.contents);
  return unit ?? DEFAULT_INDENT_UNIT;
}
