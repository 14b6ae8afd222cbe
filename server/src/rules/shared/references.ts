// Where a local variable is read: the syntax-only answer the token rules share (which uses a
// token has, whether an alias or a guard is still needed).
import { ts } from 'ts-morph';
import { identifiersBelow, isFunctionLike, isReference } from './ast';
import { findBinding } from './scope';

/** Every reading reference to the variable declared by `declaration`. */
export function referencesOf(declaration: ts.Identifier): ts.Identifier[] {
  const scope = declarationScope(declaration);
  return identifiersBelow(scope, declaration.text).filter(
    (id) => id !== declaration && (isReference(id) || isShorthandValue(id)) && findBinding(id, id.text) === declaration,
  );
}

/** `x = ...`, `x += ...`: the reference is written, not read. */
export function isAssignedTo(id: ts.Identifier): boolean {
  const parent = id.parent;
  return (
    ts.isBinaryExpression(parent) &&
    parent.left === id &&
    parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/** The outermost of `(value)`, `value!`, `value as T` around a value: where the value itself goes. */
export function outerValue(value: ts.Node): ts.Node {
  let outer = value;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isAsExpression(outer.parent)) {
    outer = outer.parent;
  }
  return outer;
}

export function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

function isShorthandValue(id: ts.Identifier): boolean {
  return ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id;
}

function declarationScope(declaration: ts.Identifier): ts.Node {
  for (let current: ts.Node = declaration.parent; current.parent; current = current.parent) {
    if (isFunctionLike(current) || ts.isBlock(current) || ts.isSourceFile(current)) return current;
  }
  return declaration.getSourceFile();
}
