// Syntax-only scope lookup: which declaration does a name refer to at a given node?
import { ts } from 'ts-morph';
import { isDetectionTree } from '../../engine/preorder';
import { boundIdentifiers, identifiersBelow, isFunctionLike } from './ast';

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
    for (const { id, hoisted } of declarationsIn(scope, name)) {
      // `const`/`let` only count once declared; functions and imports are hoisted.
      if (hoisted || id.getStart() < at.getStart()) return id;
    }
  }
  return undefined;
}

interface StatementDeclaration {
  id: ts.Identifier;
  hoisted: boolean;
}

type StatementList = ts.Node & { statements: ts.NodeArray<ts.Statement> };

/** Per scope of a tree parsed for detection (never edited): its declarations by name. */
const declarationTables = new WeakMap<ts.Node, Map<string, StatementDeclaration[]>>();

/** The declarations of `name` by the statements of `scope`, in statement order. */
function declarationsIn(scope: StatementList, name: string): StatementDeclaration[] {
  if (!isDetectionTree(scope)) return declarationsOf(scope.statements, name);
  let table = declarationTables.get(scope);
  if (!table) {
    table = new Map();
    for (const statement of scope.statements) {
      for (const id of namesDeclaredBy(statement)) {
        const entry = { id, hoisted: !ts.isVariableStatement(statement) };
        const list = table.get(id.text);
        if (list) list.push(entry);
        else table.set(id.text, [entry]);
      }
    }
    declarationTables.set(scope, table);
  }
  return table.get(name) ?? [];
}

function declarationsOf(statements: readonly ts.Statement[], name: string): StatementDeclaration[] {
  const result: StatementDeclaration[] = [];
  for (const statement of statements) {
    const id = declaredBy(statement, name);
    if (id) result.push({ id, hoisted: !ts.isVariableStatement(statement) });
  }
  return result;
}

/** Every name a statement declares (the same cases as `declaredBy`). */
function namesDeclaredBy(statement: ts.Statement): ts.Identifier[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => boundIdentifiers(d.name));
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
    return statement.name ? [statement.name] : [];
  }
  if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    const names = clause.name ? [clause.name] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name);
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name));
    return names;
  }
  return [];
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
  return identifiersBelow(fn, name).some((node) => {
    const parent = node.parent;
    return (
      (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent)) &&
      parent.name === node
    );
  });
}
