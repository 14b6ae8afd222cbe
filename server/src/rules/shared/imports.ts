// Adding and removing imports during a fix, for ES modules and CommonJS `require`.
import { Node, type SourceFile, SyntaxKind, ts } from 'ts-morph';
import { referencesTo } from './ast';
import { declaredBy } from './scope';
import { appendListItem, insertListItem, removeListItem } from './lists';

export const BACKEND_PLUGIN_API = '@backstage/backend-plugin-api';
export const BACKEND_COMMON = '@backstage/backend-common';
export const AUTH_NODE = '@backstage/plugin-auth-node';
export const PERMISSION_COMMON = '@backstage/plugin-permission-common';
export const ERRORS = '@backstage/errors';

export function isJavaScript(sourceFile: SourceFile): boolean {
  return /\.(c|m)?jsx?$/i.test(sourceFile.getFilePath());
}

function usesEsm(sourceFile: SourceFile): boolean {
  return sourceFile.getImportDeclarations().length > 0 || /\.mjs$/i.test(sourceFile.getFilePath());
}

/** Ensures `name` is imported from `moduleName`. Type imports are skipped in JavaScript. */
export function ensureImport(
  sourceFile: SourceFile,
  moduleName: string,
  name: string,
  options: { typeOnly?: boolean } = {},
): void {
  const js = isJavaScript(sourceFile);
  if (options.typeOnly && js) return;
  // Already bound at the top (an import, or a `require` in JavaScript that mixes both styles).
  if (sourceFile.compilerNode.statements.some((statement) => declaredBy(statement, name))) return;
  if (js && !usesEsm(sourceFile)) {
    ensureRequire(sourceFile, moduleName, name);
    return;
  }
  const declarations = sourceFile
    .getImportDeclarations()
    .filter((d) => d.getModuleSpecifierValue() === moduleName && !d.getNamespaceImport());
  const already = declarations.some((d) => d.getNamedImports().some((n) => n.getName() === name));
  if (already) return;
  const preferred =
    (options.typeOnly ? declarations.find((d) => d.isTypeOnly()) : undefined) ??
    declarations.find((d) => !d.isTypeOnly()) ??
    (options.typeOnly ? declarations[0] : undefined);
  if (preferred) {
    insertSorted(preferred, name);
    return;
  }
  const imports = sourceFile.getImportDeclarations();
  const structure = { moduleSpecifier: moduleName, namedImports: [name], isTypeOnly: !!options.typeOnly };
  if (imports.length === 0) sourceFile.insertImportDeclaration(0, structure);
  else sourceFile.insertImportDeclaration(imports[imports.length - 1].getChildIndex() + 1, structure);
}

/** Adds a named import keeping an alphabetical list alphabetical (case-insensitive). */
function insertSorted(declaration: import('ts-morph').ImportDeclaration, name: string): void {
  const names = declaration.getNamedImports().map((n) => n.getName());
  const sorted = names.every((n, i) => i === 0 || names[i - 1].localeCompare(n, 'en', { sensitivity: 'base' }) <= 0);
  if (!sorted) {
    const named = declaration.getImportClauseOrThrow().getNamedBindingsOrThrow();
    appendListItem(named, declaration.getNamedImports(), name);
    return;
  }
  const index = names.findIndex((n) => n.localeCompare(name, 'en', { sensitivity: 'base' }) > 0);
  const named = declaration.getImportClauseOrThrow().getNamedBindingsOrThrow();
  insertListItem(named, declaration.getNamedImports(), index === -1 ? names.length : index, name);
}

function ensureRequire(sourceFile: SourceFile, moduleName: string, name: string): void {
  for (const statement of sourceFile.getVariableStatements()) {
    for (const declaration of statement.getDeclarations()) {
      const init = declaration.getInitializer();
      const nameNode = declaration.getNameNode();
      if (!init || !isRequireOf(init.compilerNode, moduleName) || !Node.isObjectBindingPattern(nameNode)) continue;
      if (nameNode.getElements().some((e) => e.getName() === name)) return;
      const text = nameNode.getText();
      const inner = text.slice(1, -1).trim().replace(/,$/, '');
      nameNode.replaceWithText(`{ ${inner ? `${inner}, ` : ''}${name} }`);
      return;
    }
  }
  const quote = sourceFile.getText().includes("require('") || !sourceFile.getText().includes('require("') ? "'" : '"';
  const requires = sourceFile
    .getStatements()
    .filter((s) => Node.isVariableStatement(s) && s.getText().includes('require('));
  const index = requires.length ? requires[requires.length - 1].getChildIndex() + 1 : directivesEnd(sourceFile);
  sourceFile.insertStatements(index, `const { ${name} } = require(${quote}${moduleName}${quote});`);
}

function directivesEnd(sourceFile: SourceFile): number {
  const statements = sourceFile.getStatements();
  let index = 0;
  while (
    index < statements.length &&
    Node.isExpressionStatement(statements[index]) &&
    Node.isStringLiteral(statements[index].getChildAtIndex(0))
  ) {
    index++;
  }
  return index;
}

export function isRequireOf(node: ts.Node, moduleName: string): boolean {
  return (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteralLike(node.arguments[0]) &&
    node.arguments[0].text === moduleName
  );
}

/**
 * Removes the import (or destructured require) of `name` when nothing in the file refers to it
 * any more. Drops the whole declaration when it becomes empty.
 */
export function removeImportIfUnused(sourceFile: SourceFile, name: string): void {
  if (referencesTo(sourceFile.compilerNode, name).length > 0) return;
  for (const declaration of sourceFile.getImportDeclarations()) {
    const specifier = declaration.getNamedImports().find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name);
    if (!specifier) continue;
    const onlyOne = declaration.getNamedImports().length === 1 && !declaration.getDefaultImport();
    if (onlyOne) {
      removeWithOwnLines(sourceFile, declaration);
    } else {
      const named = declaration.getNamedImports();
      removeListItem(specifier.getParentOrThrow(), named, named.indexOf(specifier));
    }
    return;
  }
  for (const element of sourceFile.getDescendantsOfKind(SyntaxKind.BindingElement)) {
    if (element.getName() !== name) continue;
    const pattern = element.getParentIfKind(SyntaxKind.ObjectBindingPattern);
    const declaration = pattern?.getParentIfKind(SyntaxKind.VariableDeclaration);
    const init = declaration?.getInitializer();
    if (!pattern || !declaration || !init || !ts.isCallExpression(init.compilerNode)) continue;
    if (!ts.isIdentifier(init.compilerNode.expression) || init.compilerNode.expression.text !== 'require') continue;
    if (pattern.getElements().length === 1) removeWithOwnLines(sourceFile, declaration.getVariableStatementOrThrow());
    else removeListItem(pattern, pattern.getElements(), pattern.getElements().indexOf(element));
    return;
  }
}

/** The file text without the statement's own lines (and a blank line the removal would double). */
function withoutLines(full: string, start: number, end: number): string {
  const lineStart = full.lastIndexOf('\n', start - 1) + 1;
  const rest = /^[ \t]*(\r?\n|$)/.exec(full.slice(end));
  if (!/^[ \t]*$/.test(full.slice(lineStart, start)) || !rest) return full.slice(0, start) + full.slice(end);
  let cut = end + rest[0].length;
  const before = full.slice(0, lineStart);
  const blankAfter = /^[ \t]*\r?\n/.exec(full.slice(cut));
  if ((before === '' || /\n[ \t]*\r?\n$/.test(before)) && blankAfter) cut += blankAfter[0].length;
  return before + full.slice(cut);
}

/**
 * ts-morph's `remove()` also takes a neighbouring blank line (e.g. the one after 'use strict');
 * the result must differ from the input by the statement's own lines only.
 */
function removeWithOwnLines(sourceFile: SourceFile, statement: Node): void {
  const expected = withoutLines(sourceFile.getFullText(), statement.getStart(), statement.getEnd());
  // `remove()` rather than a text edit: ts-morph refuses text removals of a file's first statement.
  (statement as unknown as { remove(): void }).remove();
  if (sourceFile.getFullText() !== expected) sourceFile.replaceWithText(expected);
}
