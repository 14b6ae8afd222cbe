// `const tm = tokenManager;`: a plain alias of an old service. A fix that rewrites the last call
// through the alias removes it too, with any old type import only it used.
import { type SourceFile, ts } from 'ts-morph';
import { findAll, skipParens, typeReferenceName } from './ast';
import { removeImportIfUnused } from './imports';
import { findBinding } from './scope';
import { legacyServiceOf, type LegacyService, wrap } from './services';
import { spliceStatements, statementContainer } from './statementEdits';
import { referencesOf } from './references';

const LEGACY_TYPE_NAMES = ['TokenManager', 'TokenManagerService', 'ServerTokenManager', 'IdentityApi', 'IdentityService'];

/** The alias statement `call`'s receiver is declared by, if the receiver is such an alias. */
export function aliasStatement(call: ts.CallExpression, service: LegacyService): ts.VariableStatement | undefined {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return undefined;
  const receiver = skipParens(callee.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  const declaration = findBinding(receiver, receiver.text)?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) {
    return undefined;
  }
  const init = skipParens(declaration.initializer);
  const plain = ts.isIdentifier(init) || (ts.isPropertyAccessExpression(init) && !ts.isCallExpression(init.expression));
  const statement = declaration.parent.parent;
  if (!plain || !ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  return legacyServiceOf(init) === service ? statement : undefined;
}

export function removeUnusedAlias(sourceFile: SourceFile, statement: ts.VariableStatement): void {
  const name = statement.declarationList.declarations[0].name as ts.Identifier;
  if (referencesOf(name).length > 0) return;
  const typeNames = findAll(statement, ts.isTypeReferenceNode)
    .map((type) => typeReferenceName(type) ?? '')
    .filter((type) => LEGACY_TYPE_NAMES.includes(type));
  if (statementContainer(statement)) spliceStatements(sourceFile, statement, '');
  else wrap(sourceFile, statement).asKindOrThrow(ts.SyntaxKind.VariableStatement).remove();
  for (const typeName of typeNames) removeImportIfUnused(sourceFile, typeName);
}

/** Where an alias statement was, to find it again after other edits moved the text. */
export interface AliasMark {
  start: number;
  name: string;
  service: LegacyService;
}

export function markAlias(statement: ts.VariableStatement | undefined, service: LegacyService, startNow?: number): AliasMark | undefined {
  if (!statement) return undefined;
  const name = statement.declarationList.declarations[0].name as ts.Identifier;
  return { start: startNow ?? statement.getStart(), name: name.text, service };
}

/** Removes the marked alias if it is still there, still the same alias, and now unused. */
export function removeMarkedAlias(sourceFile: SourceFile, mark: AliasMark | undefined): void {
  if (!mark) return;
  const statement = findStatementAt(sourceFile.compilerNode, mark.start);
  if (!statement) return;
  const declaration = statement.declarationList.declarations[0];
  if (!ts.isIdentifier(declaration.name) || declaration.name.text !== mark.name) return;
  if (aliasService(declaration) !== mark.service) return;
  removeUnusedAlias(sourceFile, statement);
}

function findStatementAt(file: ts.SourceFile, start: number): ts.VariableStatement | undefined {
  return findAll(file, ts.isVariableStatement).find((s) => s.getStart() === start && s.declarationList.declarations.length === 1);
}

function aliasService(declaration: ts.VariableDeclaration): LegacyService | undefined {
  return declaration.initializer ? legacyServiceOf(skipParens(declaration.initializer)) : undefined;
}
