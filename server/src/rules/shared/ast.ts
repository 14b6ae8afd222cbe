// Small, syntax-only helpers over the TypeScript compiler AST (no type checker: hot path).
import { ts } from 'ts-morph';
import { flatRangeBelow, namedNodesBelow, nodesOfKindsBelow } from '../../engine/preorder';

/** Depth-first walk; return `false` from the visitor to skip a node's children. */
export function walk(node: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const flat = flatRangeBelow(node);
  if (flat) {
    // Same order and skipping as the recursion below, over the tree's flattened copy.
    const { nodes, subtreeEnd } = flat.preorder;
    for (let i = flat.from; i < flat.to; ) i = visit(nodes[i]) === false ? subtreeEnd[i] : i + 1;
    return;
  }
  const recurse = (child: ts.Node): void => {
    if (visit(child) === false) return;
    ts.forEachChild(child, recurse);
  };
  ts.forEachChild(node, recurse);
}

export function findAll<T extends ts.Node>(
  root: ts.Node,
  guard: (node: ts.Node) => node is T,
): T[] {
  const found: T[] = [];
  walk(root, (node) => {
    if (guard(node)) found.push(node);
  });
  return found;
}

/** The calls below `root`, in source order (a lookup, not a walk, on a tree parsed for detection). */
export function callsBelow(root: ts.Node): ts.CallExpression[] {
  return nodesOfKind<ts.CallExpression>(root, ts.SyntaxKind.CallExpression);
}

/**
 * The calls below `root` that call one of `names` (`f()`, `x.f()`, `x?.f()`, `x['f']()`, the
 * names `calleeName` gives), in source order (outer calls before the calls inside them).
 */
export function callsNamed(root: ts.Node, names: readonly string[]): ts.CallExpression[] {
  return (
    namedNodesBelow<ts.CallExpression>(root, ts.SyntaxKind.CallExpression, calleeName, names) ??
    callsBelow(root).filter((call) => names.includes(calleeName(call) ?? ''))
  );
}

/** The identifiers below `root` spelled `name`, in source order. */
export function identifiersBelow(root: ts.Node, name: string): ts.Identifier[] {
  return (
    namedNodesBelow<ts.Identifier>(root, ts.SyntaxKind.Identifier, identifierText, [name]) ??
    findAll(root, (node): node is ts.Identifier => ts.isIdentifier(node) && node.text === name)
  );
}

function identifierText(id: ts.Identifier): string {
  return id.text;
}

/** The nodes of any of these syntax kinds below `root`, in source order (parents first). */
export function nodesOfKinds<T extends ts.Node>(root: ts.Node, kinds: readonly T['kind'][]): T[] {
  return nodesOfKindsBelow<T>(root, kinds) ?? findAll(root, (node): node is T => kinds.includes(node.kind));
}

/** The nodes of one syntax kind below `root`, in source order. */
export function nodesOfKind<T extends ts.Node>(root: ts.Node, kind: T['kind']): T[] {
  return nodesOfKinds<T>(root, [kind]);
}

export function rangeOf(node: ts.Node): { start: number; end: number } {
  return { start: node.getStart(), end: node.getEnd() };
}

/** `a.b` -> 'b'; `a['b']` -> 'b'; otherwise undefined. */
export function accessedName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    return node.argumentExpression.text;
  }
  return undefined;
}

/** `x.method(...)` -> { receiver: x, method } (also `x?.method(...)`, `x['method'](...)`). */
export function methodCall(
  node: ts.Node,
): { call: ts.CallExpression; receiver: ts.Expression; method: string } | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipParens(node.expression);
  const method = accessedName(callee);
  if (!method) return undefined;
  return {
    call: node,
    receiver: (callee as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression,
    method,
  };
}

export function skipParens(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** The name a callee is called by: `f(...)` -> 'f', `ns.f(...)` -> 'f', `(0, ns.f)(...)` -> 'f'. */
export function calleeName(call: ts.CallExpression): string | undefined {
  let callee = skipParens(call.expression);
  // Compiled CommonJS calls imports as `(0, mod.fn)(...)`.
  if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) {
    callee = skipParens(callee.right);
  }
  if (ts.isIdentifier(callee)) return callee.text;
  return accessedName(callee);
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** The property `name` of an object literal (`name: x`, `name`, `name() {}`). */
export function objectProperty(
  object: ts.ObjectLiteralExpression,
  name: string,
): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name && propertyNameText(p.name) === name);
}

/** The value of a property: the initializer, or the identifier itself for shorthand. */
export function propertyValue(property: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}

export function isFunctionLike(node: ts.Node): node is ts.SignatureDeclaration & { body?: ts.Node } {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

export function enclosingFunctions(node: ts.Node): ts.SignatureDeclaration[] {
  const result: ts.SignatureDeclaration[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) result.push(current);
  }
  return result;
}

export function isAwaited(node: ts.Node): boolean {
  return ts.isAwaitExpression(skipParensUp(node).parent);
}

/** Climbs out of parentheses around `node`. */
export function skipParensUp(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}

/** The string value of a literal (or a template without substitutions). */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** Names bound by a binding pattern or identifier, with the identifiers that bind them. */
export function boundIdentifiers(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const result: ts.Identifier[] = [];
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    result.push(...boundIdentifiers(element.name));
  }
  return result;
}

/** The name of a type reference annotation (`Foo`, `ns.Foo`, `Foo<T>` -> 'Foo'). */
export function typeReferenceName(type: ts.TypeNode | undefined): string | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  return ts.isIdentifier(name) ? name.text : name.right.text;
}

/** Every identifier reference to `name` inside `root` (skips property names and declarations). */
export function referencesTo(root: ts.Node, name: string): ts.Identifier[] {
  return identifiersBelow(root, name).filter((id) => isReference(id));
}

/** True when an identifier is read as a value/type, not used as a property or declaration name. */
export function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (ts.isQualifiedName(parent) && parent.right === id) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent)) && parent.name === id) {
    return false;
  }
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === id) return false;
  if (isDeclarationName(id)) return false;
  return true;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const parent = id.parent;
  return (
    ((ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isInterfaceDeclaration(parent) ||
      ts.isTypeAliasDeclaration(parent) ||
      ts.isImportSpecifier(parent) ||
      ts.isImportClause(parent) ||
      ts.isNamespaceImport(parent)) &&
      (parent as ts.NamedDeclaration).name === id)
  );
}
