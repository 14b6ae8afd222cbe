// Lookups in one file the token target tracing needs: the function or class around a node,
// the local function a call invokes, and the calls of a local function.
import { ts } from 'ts-morph';
import { findAll, isFunctionLike, propertyNameText, skipParens } from './ast';
import { findBinding } from './scope';

/** How far values are followed (through variables, calls, returns) before giving up. */
export const MAX_TRACE_DEPTH = 12;

/** The innermost function around `node`. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/** A function of this file that `call` invokes: `helper(...)` or `this.helper(...)`. */
export function localCallee(call: ts.CallExpression): ts.SignatureDeclaration | undefined {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) {
    const binding = findBinding(call, callee.text);
    const declaration = binding?.parent;
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipParens(declaration.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(call);
    const method = cls?.members.find(
      (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.name && propertyNameText(m.name) === callee.name.text,
    );
    return method;
  }
  return undefined;
}

/** Calls of `fn` in the file (by its name, or `this.name()` for methods). */
export function callsOf(fn: ts.SignatureDeclaration): ts.CallExpression[] {
  const file = fn.getSourceFile();
  return findAll(file, ts.isCallExpression).filter((call) => localCallee(call) === fn);
}

/** The innermost class around `node`. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
  }
  return undefined;
}
