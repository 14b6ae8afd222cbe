// Syntax-only scope lookup: which declaration does a name refer to at a given node?
import { ts } from 'ts-morph';
import { boundIdentifiers, isFunctionLike } from './ast';

/** The identifier that declares `name` visibly at `at`, or undefined. */
export function findBinding(at: ts.Node, name: string): ts.Identifier | undefined {
  for (let scope: ts.Node | undefined = at; scope; scope = scope.parent) {
    const found = bindingIn(scope, name, at);
    if (found) return found;
  }
  return undefined;
}

function bindingIn(scope: ts.Node, name: string, at: ts.Node): ts.Identifier | undefined {
  if (isFunctionLike(scope)) {
    for (const parameter of scope.parameters) {
      const id = boundIdentifiers(parameter.name).find((i) => i.text === name);
      if (id) return id;
    }
    if ((ts.isFunctionExpression(scope)) && scope.name?.text === name) return scope.name;
    return undefined;
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration) {
    return boundIdentifiers(scope.variableDeclaration.name).find((i) => i.text === name);
  }
  if (
    (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) &&
    scope.initializer &&
    ts.isVariableDeclarationList(scope.initializer)
  ) {
    for (const declaration of scope.initializer.declarations) {
      const id = boundIdentifiers(declaration.name).find((i) => i.text === name);
      if (id) return id;
    }
  }
  if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
    for (const statement of scope.statements) {
      const id = declaredBy(statement, name);
      // `const`/`let` only count once declared; functions and imports are hoisted.
      if (id && (id.getStart() < at.getStart() || !ts.isVariableStatement(statement))) return id;
    }
  }
  return undefined;
}

/** The identifier a statement declares under `name`. */
export function declaredBy(statement: ts.Statement, name: string): ts.Identifier | undefined {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      const id = boundIdentifiers(declaration.name).find((i) => i.text === name);
      if (id) return id;
    }
  } else if (
    (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
    statement.name?.text === name
  ) {
    return statement.name;
  } else if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    if (clause.name?.text === name) return clause.name;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return bindings.name;
    if (bindings && ts.isNamedImports(bindings)) {
      return bindings.elements.find((e) => e.name.text === name)?.name;
    }
  }
  return undefined;
}

/** True when `name` is declared anywhere in `fn` or visible from it (so a new binding would clash). */
export function nameIsTaken(fn: ts.Node, name: string): boolean {
  if (findBinding(fn, name)) return true;
  let taken = false;
  const visit = (node: ts.Node): void => {
    if (taken) return;
    if (ts.isIdentifier(node) && node.text === name) {
      const parent = node.parent;
      if (
        (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent)) &&
        parent.name === node
      ) {
        taken = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return taken;
}
