// Syntax-only scope lookup: which declaration does a name refer to at a given node?
import { ts } from 'ts-morph';
import { detectionFacts } from '../../engine/preorder';
import { boundIdentifiers, identifiersBelow, isFunctionLike } from './ast';

/** The identifier that declares `name` visibly at `at`, or undefined. */
export function findBinding(at: ts.Node, name: string): ts.Identifier | undefined {
  // A tree parsed for detection never changes: its scopes' tables, and the answer for a name
  // read at an identifier (what most callers ask, rule after rule), may be kept with the tree.
  const tables = scopeTables(at);
  const bindings = tables && ts.isIdentifier(at) && at.text === name ? tables.bindings : undefined;
  const known = bindings?.get(at);
  if (known !== undefined) return known ?? undefined;
  let found: ts.Identifier | undefined;
  for (let scope: ts.Node | undefined = at; scope && !found; scope = scope.parent) found = bindingIn(scope, name, at, tables);
  bindings?.set(at, found ?? null);
  return found;
}

interface ScopeTables {
  /** Identifier -> the identifier that declares it (null: none in this file). */
  bindings: Map<ts.Node, ts.Identifier | null>;
  /** Block-like scope -> its statements' declarations by name. */
  declarations: Map<ts.Node, Map<string, StatementDeclaration[]>>;
  /** Function -> its parameters by name. */
  parameters: Map<ts.Node, Map<string, ts.Identifier>>;
}

function scopeTables(node: ts.Node): ScopeTables | undefined {
  return detectionFacts<ScopeTables>(node, 'scope', () => ({ bindings: new Map(), declarations: new Map(), parameters: new Map() }));
}

function bindingIn(scope: ts.Node, name: string, at: ts.Node, tables: ScopeTables | undefined): ts.Identifier | undefined {
  if (isFunctionLike(scope)) {
    const id = tables ? parameterTable(scope, tables.parameters).get(name) : parameterNamed(scope, name);
    if (id) return id;
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
    for (const { id, hoisted } of declarationsIn(scope, name, tables)) {
      // `const`/`let` only count once declared; functions and imports are hoisted. (Comparing
      // `pos` is comparing starts: no token can sit in another node's leading trivia.)
      if (hoisted || id.pos < at.pos) return id;
    }
  }
  return undefined;
}

interface StatementDeclaration {
  id: ts.Identifier;
  hoisted: boolean;
}

type StatementList = ts.Node & { statements: ts.NodeArray<ts.Statement> };

/** The declarations of `name` by the statements of `scope`, in statement order. */
function declarationsIn(scope: StatementList, name: string, tables: ScopeTables | undefined): StatementDeclaration[] {
  if (!tables) return declarationsOf(scope.statements, name);
  const declarationTables = tables.declarations;
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

/** A function's parameters by name (the first binding wins, as in the walk it replaces). */
function parameterTable(fn: ts.SignatureDeclaration, parameterTables: Map<ts.Node, Map<string, ts.Identifier>>): Map<string, ts.Identifier> {
  let table = parameterTables.get(fn);
  if (!table) {
    table = new Map();
    for (const parameter of fn.parameters) {
      for (const id of boundIdentifiers(parameter.name)) if (!table.has(id.text)) table.set(id.text, id);
    }
    parameterTables.set(fn, table);
  }
  return table;
}

function parameterNamed(fn: ts.SignatureDeclaration, name: string): ts.Identifier | undefined {
  for (const parameter of fn.parameters) {
    const id = boundIdentifiers(parameter.name).find((i) => i.text === name);
    if (id) return id;
  }
  return undefined;
}

/** Every name a statement declares: its variables (destructured too), function, class, enum or imports. */
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
  return namesDeclaredBy(statement).find((id) => id.text === name);
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
