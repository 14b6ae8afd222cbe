// The token-manager-authenticate rewrites, one per form (see `authenticateCall.ts`). The old
// extraction (`const token = ...`, `if (!token) throw ...`) and an alias only the check used go
// with the check.
import { type Node, type SourceFile, ts } from 'ts-morph';
import { nodeAtStart, replaceVerbatim } from '../../engine/morph';
import { FixRefusal, type Finding } from '../../engine/types';
import { enclosingFunctions, findAll, methodCall, callsBelow } from './ast';
import { analyzeCall, awaitedStatement, guardedName } from './authenticateCall';
import type { RequestToken } from './bearer';
import { ERRORS, ensureImport, removeImportIfUnused } from './imports';
import { aliasStatement, type AliasMark, markAlias, removeMarkedAlias } from './legacyAlias';
import { referencesOf } from './references';
import { nameIsTaken } from './scope';
import { ensureServiceInScope } from './serviceInScope';
import { provideService, wrap } from './services';
import { editStatements, statementContainer, type StatementEdit } from './statementEdits';

export function fixRequest(sourceFile: SourceFile, compilerCall: ts.CallExpression, source: RequestToken): void {
  const call = wrap(sourceFile, compilerCall);
  const aliasWrapper = wrapAlias(sourceFile, compilerCall);
  const declarations = source.declarations.map((d) => wrap(sourceFile, d));
  const request = source.request.text;
  const httpAuth = provideService(sourceFile, call, 'httpAuth');
  ensureServiceInScope(call.compilerNode, httpAuth, 'httpAuth', 'check');
  const q = sourceFile.getProject().manipulationSettings.getQuoteKind() as string;
  replaceVerbatim(call, `${httpAuth}.credentials(${request}, { allow: [${q}service${q}] })`);
  const alias = markWrappedAlias(aliasWrapper);
  removeUnusedExtraction(sourceFile, declarations.filter((d) => !d.wasForgotten()).map((d) => d.getStart()));
  removeMarkedAlias(sourceFile, alias);
  removeUnusedImports(sourceFile);
}

/** The wrapper of the `const tm = tokenManager` alias the call goes through, if any. */
function wrapAlias(sourceFile: SourceFile, call: ts.CallExpression): Node | undefined {
  const alias = aliasStatement(call, 'tokenManager');
  return alias && wrap(sourceFile, alias);
}

function markWrappedAlias(alias: Node | undefined): AliasMark | undefined {
  if (!alias || alias.wasForgotten()) return undefined;
  return markAlias(alias.compilerNode as ts.VariableStatement, 'tokenManager', alias.getStart());
}

export function fixMixed(sourceFile: SourceFile, finding: Finding): void {
  const first = nodeAtStart(sourceFile, finding.range.start, ts.SyntaxKind.VariableStatement);
  const firstNode = first?.compilerNode as ts.VariableStatement | undefined;
  const container = firstNode && statementContainer(firstNode);
  const last = container?.statements[container.statements.indexOf(firstNode!) + 1];
  const call = last && callsBelow(last).find((c) => methodCall(c)?.method === 'authenticate');
  const analysis = call && analyzeCall(call);
  if (!first || !analysis?.mixed || analysis.mixed.last.getEnd() !== finding.range.end) {
    throw new FixRefusal('the code changed shape; run the check again');
  }
  const httpAuth = provideService(sourceFile, first, 'httpAuth');
  ensureServiceInScope(first.compilerNode, httpAuth, 'httpAuth', 'check');
  const statement = first.compilerNode as ts.VariableStatement;
  const check = statementContainer(statement)!.statements[statementContainer(statement)!.statements.indexOf(statement) + 1];
  const q = sourceFile.getProject().manipulationSettings.getQuoteKind() as string;
  const text = `await ${httpAuth}.credentials(${analysis.mixed.request}, { allow: [${q}user${q}, ${q}service${q}] });`;
  editStatements(sourceFile, [{ first: statement, last: check, text }]);
  removeUnusedImports(sourceFile);
}

export function fixToken(sourceFile: SourceFile, compilerCall: ts.CallExpression): void {
  const call = wrap(sourceFile, compilerCall);
  const aliasWrapper = wrapAlias(sourceFile, compilerCall);
  const auth = provideService(sourceFile, call, 'auth');
  ensureServiceInScope(call.compilerNode, auth, 'auth', 'check');
  const current = call.compilerNode as ts.CallExpression;
  const statement = awaitedStatement(current);
  const fn = enclosingFunctions(current)[0];
  if (!statement || !fn) throw new FixRefusal('the code changed shape; run the check again');
  const name = ['credentials', 'serviceCredentials'].find((n) => !nameIsTaken(fn, n));
  if (!name) throw new FixRefusal('the names `credentials` and `serviceCredentials` are both taken in this function');
  const settings = sourceFile.getProject().manipulationSettings;
  const q = settings.getQuoteKind() as string;
  const unit = settings.getIndentationText() as string;
  const token = current.arguments.map((a) => a.getText()).join(', ');
  const text = [
    `const ${name} = await ${auth}.authenticate(${token});`,
    `if (!${auth}.isPrincipal(${name}, ${q}service${q})) {`,
    `${unit}throw new NotAllowedError(${q}Only backend services may call this${q});`,
    '}',
  ].join('\n');
  const alias = markWrappedAlias(aliasWrapper);
  editStatements(sourceFile, [{ first: statement, text }]);
  removeMarkedAlias(sourceFile, alias);
  ensureImport(sourceFile, ERRORS, 'NotAllowedError');
}

/**
 * Drops the token extraction the old check needed (`const token = ...`, `const header = ...`)
 * and its `if (!token) throw new AuthenticationError(...)` guards, once nothing else reads the
 * token. Declarations are found again by start offset; one block is rewritten at a time, the
 * innermost first, so a guard never outlives the variable it reads.
 */
function removeUnusedExtraction(sourceFile: SourceFile, declarationStarts: number[]): void {
  for (let pass = 0; pass < 10; pass++) {
    const edits = extractionEdits(sourceFile.compilerNode, declarationStarts);
    if (edits.length === 0) break;
    const depth = (e: StatementEdit) => depthOf(e.first);
    const deepest = Math.max(...edits.map(depth));
    const first = edits.find((e) => depth(e) === deepest)!;
    editStatements(sourceFile, edits.filter((e) => e.first.parent === first.first.parent));
  }
}

function extractionEdits(file: ts.SourceFile, declarationStarts: number[]): StatementEdit[] {
  const removed = new Set<ts.Statement>();
  const declarations = findAll(file, ts.isVariableDeclaration).filter((d) => declarationStarts.includes(d.getStart()));
  let changed = true;
  while (changed) {
    changed = false;
    for (const declaration of declarations) {
      const statement = declaration.parent.parent;
      if (removed.has(statement as ts.Statement) || !ts.isVariableStatement(statement)) continue;
      if (statement.declarationList.declarations.length !== 1 || !statementContainer(statement)) continue;
      const names = ts.isIdentifier(declaration.name)
        ? [declaration.name]
        : ts.isObjectBindingPattern(declaration.name) && declaration.name.elements.length === 1 && ts.isIdentifier(declaration.name.elements[0].name)
          ? [declaration.name.elements[0].name]
          : [];
      if (names.length === 0) continue;
      const uses = referencesOf(names[0]).filter((use) => !insideAny(use, removed));
      const guards = uses.map((use) => guardOf(use));
      if (guards.some((g) => !g || !statementContainer(g))) continue;
      for (const guard of guards) removed.add(guard!);
      removed.add(statement);
      changed = true;
    }
  }
  return [...removed].map((statement) => ({ first: statement, text: '' }));
}

/** The `if (!x) throw new AuthenticationError()` statement `use` is the test of, if any. */
function guardOf(use: ts.Identifier): ts.IfStatement | undefined {
  let node: ts.Node = use.parent;
  while (ts.isParenthesizedExpression(node)) node = node.parent;
  if (!ts.isPrefixUnaryExpression(node)) return undefined;
  let statement: ts.Node = node.parent;
  while (ts.isParenthesizedExpression(statement)) statement = statement.parent;
  return ts.isIfStatement(statement) && guardedName(statement) === use.text ? statement : undefined;
}

function insideAny(node: ts.Node, statements: Set<ts.Statement>): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (statements.has(current as ts.Statement)) return true;
  }
  return false;
}

function depthOf(node: ts.Node): number {
  let depth = 0;
  for (let current = node.parent; current; current = current.parent) depth++;
  return depth;
}

function removeUnusedImports(sourceFile: SourceFile): void {
  removeImportIfUnused(sourceFile, 'getBearerTokenFromAuthorizationHeader');
  removeImportIfUnused(sourceFile, 'AuthenticationError');
}
