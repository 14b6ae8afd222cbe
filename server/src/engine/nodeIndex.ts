// Facts every rule would otherwise walk the whole tree for, computed in one walk per analysis
// and shared through `ctx.shared`: nodes by kind, identifiers by name, calls by callee name.
// A rule that does `findAll(ctx.sourceFile, ts.isCallExpression).filter(...)` walks every node
// of the file; `nodeIndex(ctx).calls('getToken')` is a map lookup after the first rule asked.
import { ts } from 'ts-morph';
import { flatRangeBelow } from './preorder';
import type { DetectContext } from './types';

export interface NodeIndex {
  /** Every node of `kind`, in source order. */
  ofKind<T extends ts.Node = ts.Node>(kind: ts.SyntaxKind): readonly T[];
  /** Identifiers with this text (declarations, references and property names alike). */
  identifiers(name: string): readonly ts.Identifier[];
  /** Calls by the name they call: `f()`, `x.f()`, `x?.f()`, `x['f']()`, `(0, x.f)()` -> 'f'. */
  calls(name: string): readonly ts.CallExpression[];
}

const KEY = 'engine:nodeIndex';
const NONE: readonly never[] = [];

export function nodeIndex(ctx: Pick<DetectContext, 'sourceFile' | 'shared'>): NodeIndex {
  return ctx.shared(KEY, () => buildNodeIndex(ctx.sourceFile));
}

export function buildNodeIndex(sourceFile: ts.SourceFile): NodeIndex {
  const byKind = new Map<ts.SyntaxKind, ts.Node[]>();
  const identifiers = new Map<string, ts.Identifier[]>();
  const calls = new Map<string, ts.CallExpression[]>();
  const add = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const index = (node: ts.Node): void => {
    add(byKind, node.kind, node);
    if (node.kind === ts.SyntaxKind.Identifier) add(identifiers, (node as ts.Identifier).text, node as ts.Identifier);
    else if (node.kind === ts.SyntaxKind.CallExpression) {
      const name = calleeName((node as ts.CallExpression).expression);
      if (name !== undefined) add(calls, name, node as ts.CallExpression);
    }
  };
  const flat = flatRangeBelow(sourceFile);
  if (flat) for (const node of flat.preorder.nodes) index(node);
  else {
    const visit = (node: ts.Node): void => {
      index(node);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(sourceFile, visit);
  }
  return {
    ofKind: <T extends ts.Node>(kind: ts.SyntaxKind) => (byKind.get(kind) ?? NONE) as readonly T[],
    identifiers: (name) => identifiers.get(name) ?? NONE,
    calls: (name) => calls.get(name) ?? NONE,
  };
}

function calleeName(expression: ts.Expression): string | undefined {
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
