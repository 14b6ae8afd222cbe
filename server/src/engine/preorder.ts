// A syntax tree flattened once into source (pre-)order, so the many whole-file searches of one
// analysis scan an array instead of each recursing through `ts.forEachChild` again.
// Only trees the engine parsed for detection are flattened (`flattenForDetection`): they are never
// edited, so the flat copy cannot go stale. Fix code works on ts-morph trees it changes, and its
// walks recurse as before.
//
// The flat copy, and every cache of facts about the tree (`detectionFacts`), hang off the source
// file itself, never in a WeakMap keyed by its nodes: V8's young-generation collector keeps a
// WeakMap's young keys alive, so a tree in one would survive collections long after its analysis
// (in bench:file that cost more time than the rules themselves).
import { ts } from 'ts-morph';
import { parseSourceWithoutParents } from './source';
import type { ProjectHost } from './types';

export interface Preorder {
  /** Every node below the source file, parents before children, siblings in source order. */
  readonly nodes: readonly ts.Node[];
  /** `subtreeEnd[i]`: the index just past the last descendant of `nodes[i]`. */
  readonly subtreeEnd: readonly number[];
  /** Indexes into `nodes` by syntax kind (the array index), ascending. */
  readonly byKind: readonly (number[] | undefined)[];
  /** Indexes of one kind's nodes grouped by a name function, ascending; built on first use. */
  readonly byName: Map<NameOf<never>, Map<string, number[]>>;
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

/** A parse of `text` for detection: the host's shared one (see `runHost`), or a new one. */
export function parseForDetection(fileName: string, text: string, host?: ProjectHost): ts.SourceFile {
  const shared = host?.parse?.(fileName, text);
  if (shared) return shared;
  const sourceFile = parseSourceWithoutParents(fileName, text);
  flattenForDetection(sourceFile);
  return sourceFile;
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

/** A node's name for grouping (an identifier's text, the name a call calls), or undefined. */
export type NameOf<T extends ts.Node> = (node: T) => string | undefined;

/**
 * The nodes of any of `kinds` strictly below `root`, in source (pre-)order, when `root` belongs
 * to a tree flattened for detection; undefined otherwise (the caller walks instead).
 */
export function nodesOfKindsBelow<T extends ts.Node>(root: ts.Node, kinds: readonly ts.SyntaxKind[]): T[] | undefined {
  const flat = flatRangeBelow(root);
  if (!flat) return undefined;
  return nodesAt<T>(flat, kinds.map((kind) => flat.preorder.byKind[kind]));
}

/**
 * The nodes of `kind` strictly below `root` whose `nameOf` is one of `names`, in source order,
 * like `nodesOfKindsBelow`. The grouping is built once per tree, kind and `nameOf` (a function
 * defined once, not a new closure per call).
 */
export function namedNodesBelow<T extends ts.Node>(
  root: ts.Node,
  kind: T['kind'],
  nameOf: NameOf<T>,
  names: readonly string[],
): T[] | undefined {
  const flat = flatRangeBelow(root);
  if (!flat) return undefined;
  const { preorder } = flat;
  let groups = preorder.byName.get(nameOf);
  if (!groups) preorder.byName.set(nameOf, (groups = groupByName<T>(preorder, kind, nameOf)));
  return nodesAt<T>(flat, names.map((name) => groups.get(name)));
}

/** The indexes of the nodes of one kind, grouped by a name (ascending in each group). */
function groupByName<T extends ts.Node>(preorder: Preorder, kind: ts.SyntaxKind, nameOf: NameOf<T>): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  for (const index of preorder.byKind[kind] ?? []) {
    const name = nameOf(preorder.nodes[index] as T);
    if (name === undefined) continue;
    const group = byName.get(name);
    if (group) group.push(index);
    else byName.set(name, [index]);
  }
  return byName;
}

/** The nodes of the given index lists that lie in `[from, to)`, in pre-order. */
function nodesAt<T extends ts.Node>(
  { preorder, from, to }: { preorder: Preorder; from: number; to: number },
  lists: readonly (readonly number[] | undefined)[],
): T[] {
  const indexes: number[] = [];
  for (const list of lists) {
    if (!list) continue;
    for (let i = firstAtLeast(list, from); i < list.length && list[i] < to; i++) indexes.push(list[i]);
  }
  if (lists.length > 1) indexes.sort((x, y) => x - y);
  return indexes.map((index) => preorder.nodes[index] as T);
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

type Mutable = { parent: ts.Node };
type WithJSDoc = ts.Node & { jsDoc?: ts.Node[] };

/**
 * Also sets every node's `parent`, as TypeScript's own pass after a parse would (JSDoc included):
 * this walk visits every node anyway, and that pass allocated a work queue per tree (a fifth of
 * all a first `check` allocates).
 */
function flatten(sourceFile: ts.SourceFile): Preorder {
  const nodes: ts.Node[] = [];
  const subtreeEnd: number[] = [];
  const byKind: (number[] | undefined)[] = new Array<number[] | undefined>(ts.SyntaxKind.Count).fill(undefined);
  let parent: ts.Node = sourceFile;
  const visit = (node: ts.Node): void => {
    (node as Mutable).parent = parent;
    const index = nodes.length;
    nodes.push(node);
    subtreeEnd.push(0);
    const bucket = byKind[node.kind];
    if (bucket) bucket.push(index);
    else byKind[node.kind] = [index];
    const jsDoc = (node as WithJSDoc).jsDoc;
    if (jsDoc) for (const doc of jsDoc) setParents(doc, node);
    parent = node;
    ts.forEachChild(node, visit);
    parent = (node as Mutable).parent;
    subtreeEnd[index] = nodes.length;
  };
  ts.forEachChild(sourceFile, visit);
  return { nodes, subtreeEnd, byKind, byName: new Map(), facts: new Map() };
}

/** Parents inside a JSDoc comment, which detection does not flatten. */
function setParents(node: ts.Node, parent: ts.Node): void {
  (node as Mutable).parent = parent;
  ts.forEachChild(node, (child) => setParents(child, node));
}
