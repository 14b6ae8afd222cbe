// A syntax tree flattened once into source (pre-)order, so the many whole-file searches of one
// analysis scan an array instead of each recursing through `ts.forEachChild` again.
// Only trees the engine parsed for detection are flattened (`flattenForDetection`): they are never
// edited, so the flat copy cannot go stale. Fix code works on ts-morph trees it changes, and its
// walks recurse as before.
//
// The flat copy, and every cache of facts about the tree (`detectionCache`), hang off the source
// file itself, never in a WeakMap keyed by its nodes: V8's young-generation collector keeps a
// WeakMap's young keys alive, so a tree in one would survive collections long after its analysis
// (in bench:file that cost more time than the rules themselves).
import { ts } from 'ts-morph';

export interface Preorder {
  /** Every node below the source file, parents before children, siblings in source order. */
  readonly nodes: readonly ts.Node[];
  /** `subtreeEnd[i]`: the index just past the last descendant of `nodes[i]`. */
  readonly subtreeEnd: readonly number[];
  /** Indexes into `nodes` by syntax kind (the array index), ascending. */
  readonly byKind: readonly (number[] | undefined)[];
  /** Indexes of identifiers by their text, ascending; built on first use. */
  identifiersByName?: Map<string, number[]>;
  /** Indexes of calls by the name they call (`f()`, `x.f()`, `x['f']()`), ascending; built on first use. */
  callsByName?: Map<string, number[]>;
  /** Facts rules keep about this tree, by name (see `detectionFacts`). */
  readonly facts: Map<string, unknown>;
}

const PREORDER = Symbol('backstage-auth:preorder');
type FlattenedFile = ts.SourceFile & { [PREORDER]?: Preorder };

export function flattenForDetection(sourceFile: ts.SourceFile): Preorder {
  const file = sourceFile as FlattenedFile;
  return (file[PREORDER] ??= flatten(sourceFile));
}

function preorderOf(file: ts.Node | undefined): Preorder | undefined {
  return (file as FlattenedFile | undefined)?.[PREORDER];
}

/** True when `node` belongs to a tree parsed for detection (so facts about it may be cached). */
export function isDetectionTree(node: ts.Node): boolean {
  return preorderOf(sourceFileOf(node)) !== undefined;
}

/**
 * The fact `name` about `node`'s tree, computed once by `compute`, when the tree was parsed for
 * detection (it lives and dies with the tree); undefined for any other tree.
 */
export function detectionFacts<T>(node: ts.Node, name: string, compute: () => T): T | undefined {
  const preorder = preorderOf(sourceFileOf(node));
  if (!preorder) return undefined;
  if (!preorder.facts.has(name)) preorder.facts.set(name, compute());
  return preorder.facts.get(name) as T;
}

function sourceFileOf(node: ts.Node): ts.Node | undefined {
  let file: ts.Node | undefined = node;
  while (file && file.kind !== ts.SyntaxKind.SourceFile) file = file.parent;
  return file;
}

/**
 * The flat nodes strictly below `root` as a `[from, to)` range of `preorder.nodes`, when `root`
 * belongs to a tree flattened for detection.
 */
export function flatRangeBelow(root: ts.Node): { preorder: Preorder; from: number; to: number } | undefined {
  const file = sourceFileOf(root);
  const preorder = preorderOf(file);
  if (!preorder) return undefined;
  if (root === file) return { preorder, from: 0, to: preorder.nodes.length };
  const index = indexOf(preorder.nodes, root);
  if (index === undefined) return undefined;
  return { preorder, from: index + 1, to: preorder.subtreeEnd[index] };
}

/**
 * The nodes of `kind` strictly below `root`, in source order, when `root` belongs to a tree
 * flattened for detection; undefined otherwise (the caller walks instead).
 */
export function nodesOfKindBelow<T extends ts.Node>(root: ts.Node, kind: ts.SyntaxKind): T[] | undefined {
  const flat = flatRangeBelow(root);
  if (!flat) return undefined;
  const { preorder, from, to } = flat;
  return slice<T>(preorder, preorder.byKind[kind], from, to);
}

/** The nodes of any of `kinds` strictly below `root`, in source (pre-)order, like `nodesOfKindBelow`. */
export function nodesOfKindsBelow<T extends ts.Node>(root: ts.Node, kinds: readonly ts.SyntaxKind[]): T[] | undefined {
  const flat = flatRangeBelow(root);
  if (!flat) return undefined;
  const { preorder, from, to } = flat;
  const indexes: number[] = [];
  for (const kind of kinds) {
    const bucket = preorder.byKind[kind] ?? [];
    for (let i = firstAtLeast(bucket, from); i < bucket.length && bucket[i] < to; i++) indexes.push(bucket[i]);
  }
  if (kinds.length > 1) indexes.sort((a, b) => a - b);
  return indexes.map((index) => preorder.nodes[index] as T);
}

/** The identifiers spelled `name` strictly below `root`, like `nodesOfKindBelow`. */
export function identifiersNamedBelow(root: ts.Node, name: string): ts.Identifier[] | undefined {
  const flat = flatRangeBelow(root);
  if (!flat) return undefined;
  const { preorder, from, to } = flat;
  preorder.identifiersByName ??= groupByName(preorder, ts.SyntaxKind.Identifier, (node) => (node as ts.Identifier).text);
  return slice<ts.Identifier>(preorder, preorder.identifiersByName.get(name), from, to);
}

/** The calls strictly below `root` whose callee is named `name` (`f(...)`, `x.f(...)`), in source order. */
export function callsNamedBelow(root: ts.Node, name: string): ts.CallExpression[] | undefined {
  const flat = flatRangeBelow(root);
  if (!flat) return undefined;
  const { preorder, from, to } = flat;
  preorder.callsByName ??= groupByName(preorder, ts.SyntaxKind.CallExpression, (node) => calledName((node as ts.CallExpression).expression));
  return slice<ts.CallExpression>(preorder, preorder.callsByName.get(name), from, to);
}

/** The indexes of the nodes of one kind, grouped by a name (ascending in each group). */
function groupByName(preorder: Preorder, kind: ts.SyntaxKind, nameOf: (node: ts.Node) => string | undefined): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  for (const index of preorder.byKind[kind] ?? []) {
    const name = nameOf(preorder.nodes[index]);
    if (name === undefined) continue;
    const group = byName.get(name);
    if (group) group.push(index);
    else byName.set(name, [index]);
  }
  return byName;
}

/** The name a callee is called by, seen through parentheses, `!`, `as` and `(0, f)`. */
function calledName(expression: ts.Expression): string | undefined {
  let callee = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee) || ts.isAsExpression(callee)) callee = callee.expression;
    else if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = callee.right;
    else break;
  }
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

function slice<T extends ts.Node>(preorder: Preorder, bucket: readonly number[] | undefined, from: number, to: number): T[] {
  const result: T[] = [];
  if (!bucket) return result;
  for (let i = firstAtLeast(bucket, from); i < bucket.length && bucket[i] < to; i++) result.push(preorder.nodes[bucket[i]] as T);
  return result;
}

function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Pre-order keeps `pos` non-decreasing, so a binary search finds the run of nodes at `node.pos`. */
function indexOf(nodes: readonly ts.Node[], node: ts.Node): number | undefined {
  let low = 0;
  let high = nodes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (nodes[middle].pos < node.pos) low = middle + 1;
    else high = middle;
  }
  for (let i = low; i < nodes.length && nodes[i].pos === node.pos; i++) if (nodes[i] === node) return i;
  return undefined;
}

function flatten(sourceFile: ts.SourceFile): Preorder {
  const nodes: ts.Node[] = [];
  const subtreeEnd: number[] = [];
  const byKind: (number[] | undefined)[] = new Array<number[] | undefined>(ts.SyntaxKind.Count).fill(undefined);
  const visit = (node: ts.Node): void => {
    const index = nodes.length;
    nodes.push(node);
    subtreeEnd.push(0);
    const bucket = byKind[node.kind];
    if (bucket) bucket.push(index);
    else byKind[node.kind] = [index];
    ts.forEachChild(node, visit);
    subtreeEnd[index] = nodes.length;
  };
  ts.forEachChild(sourceFile, visit);
  return { nodes, subtreeEnd, byKind, facts: new Map() };
}
