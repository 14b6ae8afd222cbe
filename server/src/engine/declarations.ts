// Names declared twice in one scope. The parser accepts `const a = 1; const a = 2;` (the binder
// reports it), but the module then fails to load. A fix that adds an import or a binding a
// file already has (e.g. an ESM import beside the same name from `require`) must be refused.
import { ts } from 'ts-morph';

/** `scope position:name` for every value name declared more than once in the same scope. */
export function duplicateDeclarations(sourceFile: ts.SourceFile): Set<string> {
  const duplicates = new Set<string>();
  const visitScope = (statements: readonly ts.Statement[], scope: ts.Node) => {
    const seen = new Set<string>();
    for (const name of statements.flatMap(declaredNames)) {
      if (seen.has(name)) duplicates.add(`${ts.SyntaxKind[scope.kind]}:${name}`);
      seen.add(name);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node)) visitScope(node.statements, node);
    if (ts.isCaseBlock(node)) visitScope(node.clauses.flatMap((c) => [...c.statements]), node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return duplicates;
}

/**
 * Duplicates `after` has that `before` did not (compared by scope kind and name, which is
 * enough to tell "this rewrite added one" without matching scopes across the two texts).
 */
export function newDuplicateDeclarations(before: () => ts.SourceFile, after: ts.SourceFile): string[] {
  const now = duplicateDeclarations(after);
  // Almost always none: then `before` is never parsed.
  if (now.size === 0) return [];
  const old = duplicateDeclarations(before());
  return [...now].filter((d) => !old.has(d)).map((d) => d.slice(d.indexOf(':') + 1));
}

/** Value names a statement declares in its own scope (types, namespaces and overloads merge). */
function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  }
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return [];
    const names = clause.name ? [clause.name.text] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
    return names;
  }
  if (ts.isImportEqualsDeclaration(statement)) return [statement.name.text];
  if (ts.isClassDeclaration(statement) && statement.name) return [statement.name.text];
  if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) return [statement.name.text];
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) =>
    ts.isOmittedExpression(element) ? [] : bindingNames(element.name),
  );
}
