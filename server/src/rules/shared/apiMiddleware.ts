// Backend-wide express middlewares that authenticate every API request with the old services
// (the contrib `authenticate-api-requests` recipe), and what removing one takes.
import { ts } from 'ts-morph';
import {
  calleeName,
  findAll,
  isFunctionLike,
  methodCall,
  propertyNameText,
  referencesTo,
  skipParens,
  stringValue,
  walk,
  callsBelow,
  nodesOfKinds,
} from './ast';
import { createsNewBackend } from './backendEntry';
import { statementLinesRange, tidyRemoval, type TextCut } from './lineEdits';
import { importOf, type FunctionLike } from './project';
import { findBinding } from './scope';
import { legacyServiceOf } from './services';

export interface Registration {
  /** The `x.use(...)` call. */
  use: ts.CallExpression;
  /** The argument that is (or builds) the middleware. */
  argument: ts.Expression;
}

export interface ApiMiddleware {
  fn: FunctionLike;
  /** The name it is declared under (or of the factory that returns it). */
  name?: string;
  /** Where the finding goes: the declared name, or the `use` call of an inline middleware. */
  anchor: ts.Node;
  /** The statement that declares it, for a named middleware. */
  declaration?: ts.Statement;
  /** Set when a factory function returns the middleware. */
  factory?: FunctionLike;
  registrations: Registration[];
  /** References that are neither the declaration nor a registration. */
  otherUses: ts.Node[];
}

/** Middlewares `(req, res, next)` that verify tokens with the old services and sit in front of the API. */
export function apiMiddlewares(file: ts.SourceFile): ApiMiddleware[] {
  const found: ApiMiddleware[] = [];
  const seen = new Set<ts.Node>();
  const functions = nodesOfKinds(file, [ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.FunctionDeclaration]);
  for (const node of functions) {
    if (!isMiddlewareFunction(node) || seen.has(node)) continue;
    seen.add(node);
    const middleware = describe(file, node);
    if (middleware && middleware.registrations.some((r) => isApiRegistration(r.use))) found.push(middleware);
  }
  return found;
}

function isMiddlewareFunction(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node) && !ts.isFunctionDeclaration(node)) return false;
  if (node.parameters.length !== 3 || !node.body) return false;
  const next = node.parameters[2].name;
  if (!ts.isIdentifier(next)) return false;
  const callsNext = callsBelow(node.body).some((c) => ts.isIdentifier(c.expression) && c.expression.text === next.text);
  return callsNext && authCalls(node).length > 0;
}

/** `identity.getIdentity(...)`, `identity.authenticate(...)`, `tokenManager.authenticate(...)`. */
export function authCalls(fn: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  walk(fn, (node) => {
    if (ts.isCallExpression(node) && isAuthCall(node)) calls.push(node);
  });
  return calls;
}

function isAuthCall(node: ts.CallExpression): boolean {
  const call = methodCall(node);
  if (call?.method === 'getIdentity') return true;
  if (call?.method !== 'authenticate') return false;
  const service = legacyServiceOf(call.receiver);
  return service === 'identity' || service === 'tokenManager';
}

function describe(file: ts.SourceFile, fn: ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration): ApiMiddleware | undefined {
  const inline = ts.isFunctionDeclaration(fn) ? undefined : registrationOf(fn);
  if (inline) return { fn, anchor: inline.use.expression, registrations: [inline], otherUses: [] };
  const named = declaredName(fn);
  if (named) {
    return { fn, name: named.name, anchor: named.nameNode, declaration: named.declaration, ...usesOf(file, named.name, named.nameNode) };
  }
  // Built by a factory: `function createAuthMiddleware(...) { return async (req, res, next) => ... }`.
  const factory = enclosingFactory(fn);
  const factoryName = factory && declaredName(factory);
  if (!factory || !factoryName) return undefined;
  const registrations: Registration[] = [];
  const otherUses: ts.Node[] = [];
  for (const reference of references(file, factoryName.name, factoryName.nameNode)) {
    const call = reference.parent;
    if (!ts.isCallExpression(call) || call.expression !== reference) {
      otherUses.push(reference);
      continue;
    }
    const built = builtValue(call);
    const direct = registrationOf(built);
    if (direct) {
      registrations.push(direct);
      continue;
    }
    const holder = built.parent;
    if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
      const uses = usesOf(file, holder.name.text, holder.name);
      registrations.push(...uses.registrations);
      otherUses.push(...uses.otherUses);
    } else {
      otherUses.push(call);
    }
  }
  return { fn, name: factoryName.name, anchor: factoryName.nameNode, declaration: factoryName.declaration, factory, registrations, otherUses };
}

/** `f(...)` or `await f(...)`, climbed to the outermost of the two. */
function builtValue(call: ts.CallExpression): ts.Expression {
  let value: ts.Expression = call;
  while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
  return value;
}

function declaredName(fn: ts.Node): { name: string; nameNode: ts.Identifier; declaration: ts.Statement } | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return { name: fn.name.text, nameNode: fn.name, declaration: fn };
  const declaration = fn.parent;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer === fn && ts.isIdentifier(declaration.name)) {
    const statement = declaration.parent.parent;
    if (ts.isVariableStatement(statement)) return { name: declaration.name.text, nameNode: declaration.name, declaration: statement };
  }
  return undefined;
}

/** The function whose return value is `fn` (directly, or through a local it returns). */
function enclosingFactory(fn: ts.Node): FunctionLike | undefined {
  let returned: ts.Node = fn;
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) returned = holder.name;
  for (let current = fn.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    if (!ts.isFunctionDeclaration(current) && !ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) return undefined;
    const name = ts.isIdentifier(returned) ? returned.text : undefined;
    const returns =
      current.body === fn ||
      findAll(current, ts.isReturnStatement).some((r) => {
        const value = r.expression && skipParens(r.expression);
        return value === fn || (!!name && !!value && ts.isIdentifier(value) && value.text === name);
      });
    return returns ? current : undefined;
  }
  return undefined;
}

function references(file: ts.SourceFile, name: string, declared: ts.Identifier): ts.Identifier[] {
  return referencesTo(file, name).filter((id) => id !== declared && findBinding(id, name) === declared);
}

function usesOf(file: ts.SourceFile, name: string, declared: ts.Identifier): { registrations: Registration[]; otherUses: ts.Node[] } {
  const registrations: Registration[] = [];
  const otherUses: ts.Node[] = [];
  for (const reference of references(file, name, declared)) {
    const registration = registrationOf(reference);
    if (registration) registrations.push(registration);
    else otherUses.push(reference);
  }
  return { registrations, otherUses };
}

/** `x.use(..., expression, ...)` with `expression` as one of the handlers. */
function registrationOf(expression: ts.Expression): Registration | undefined {
  const use = expression.parent;
  if (!ts.isCallExpression(use) || !use.arguments.includes(expression)) return undefined;
  const call = methodCall(use);
  return call?.method === 'use' ? { use, argument: expression } : undefined;
}

/** In front of the API: `apiRouter.use(...)`, `app.use('/api', ...)`, or the root router's `configure`. */
function isApiRegistration(use: ts.CallExpression): boolean {
  const receiver = skipParens(methodCall(use)!.receiver);
  if (ts.isIdentifier(receiver) && /^api/i.test(receiver.text)) return true;
  if (stringValue(use.arguments[0])?.startsWith('/api')) return true;
  return insideRootRouterConfigure(use);
}

function insideRootRouterConfigure(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const owner = ts.isMethodDeclaration(current) ? current : current.parent;
    const key = (ts.isMethodDeclaration(owner) || ts.isPropertyAssignment(owner)) && owner.name ? propertyNameText(owner.name) : undefined;
    if (key !== 'configure') continue;
    const call = owner.parent.parent;
    if (ts.isCallExpression(call) && calleeName(call) === 'rootHttpRouterServiceFactory') return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Removing one

export type RemovalPlan =
  /** `requiredNames`: CommonJS requires that may have become unused (removed after the cuts). */
  | { ok: true; cuts: TextCut[]; requiredNames: string[] }
  | { ok: false; reason: string };

const OLD_SYSTEM_REASON =
  'this backend does not run the new backend system (no `createBackend()`, not in `rootHttpRouterServiceFactory`), so no ' +
  'default auth policy would replace the middleware and the API would be left open; migrate the backend first';

/**
 * Removes the middleware, its registrations and the old-service clients only it used. Safe
 * only in a new-system backend, when the middleware does nothing but authenticate and nothing
 * else refers to it.
 */
export function removalPlan(file: ts.SourceFile, middleware: ApiMiddleware): RemovalPlan {
  const newSystem = createsNewBackend(file) || middleware.registrations.every((r) => insideRootRouterConfigure(r.use));
  if (!newSystem) return { ok: false, reason: OLD_SYSTEM_REASON };
  if (middleware.factory) {
    return { ok: false, reason: `the middleware is built by \`${middleware.name}(...)\`; remove the factory and the code that calls it by hand` };
  }
  if (middleware.otherUses.length > 0) {
    return { ok: false, reason: `\`${middleware.name}\` is also used outside its registration (\`${snippet(useContext(middleware.otherUses[0]))}\`)` };
  }
  const declaration = middleware.declaration;
  if (declaration && isExported(declaration)) {
    return { ok: false, reason: `\`${middleware.name}\` is exported, so other files may use it` };
  }
  if (declaration && ts.isVariableStatement(declaration) && declaration.declarationList.declarations.length > 1) {
    return { ok: false, reason: `\`${middleware.name}\` is declared together with other variables; split the declaration first` };
  }
  const extra = extraWork(middleware.fn);
  if (extra) {
    return { ok: false, reason: `the middleware does more than authenticate (\`${snippet(extra)}\`); move that elsewhere first` };
  }

  const removed: ts.Node[] = [];
  const cuts: TextCut[] = [];
  if (declaration) {
    cuts.push(statementLinesRange(file, declaration));
    removed.push(declaration);
  }
  for (const registration of middleware.registrations) {
    const cut = registrationCut(file, registration);
    if (typeof cut === 'string') return { ok: false, reason: cut };
    cuts.push(cut.cut);
    removed.push(cut.node);
  }
  for (const local of unusedClients(file, removed)) {
    cuts.push(statementLinesRange(file, local));
    removed.push(local);
  }
  const usedNames = new Set<string>();
  for (const node of removed) {
    walk(node, (child) => {
      if (ts.isIdentifier(child) && importOf(file, child.text)) usedNames.add(child.text);
    });
  }
  const isGone = (node: ts.Node) => removed.some((g) => g.getStart(file) <= node.getStart(file) && node.getEnd() <= g.getEnd());
  const unused = [...usedNames].filter((name) => referencesTo(file, name).every(isGone));
  const imports = importCuts(file, unused);
  return { ok: true, cuts: mergeCuts(file.getFullText(), [...cuts, ...imports.cuts]), requiredNames: unused.filter((n) => !imports.removed.includes(n)) };
}

/** Removes ES import specifiers of `names` (whole declarations when nothing else stays). */
function importCuts(file: ts.SourceFile, names: readonly string[]): { cuts: TextCut[]; removed: string[] } {
  const cuts: TextCut[] = [];
  const removed: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    const bindings = clause.namedBindings;
    const elements: readonly ts.ImportSpecifier[] = bindings && ts.isNamedImports(bindings) ? bindings.elements : [];
    const going = elements.filter((e) => names.includes(e.name.text));
    const defaultGoes = !!clause.name && names.includes(clause.name.text);
    const namespaceStays = !!bindings && ts.isNamespaceImport(bindings);
    if (going.length === 0 && !defaultGoes) continue;
    const everything = going.length === elements.length && (!clause.name || defaultGoes) && !namespaceStays;
    if (everything) {
      cuts.push(statementLinesRange(file, statement));
    } else if (!defaultGoes) {
      // Runs of neighbouring specifiers go with the commas between them.
      for (let i = 0; i < elements.length; i++) {
        if (!going.includes(elements[i])) continue;
        let j = i;
        while (j + 1 < elements.length && going.includes(elements[j + 1])) j++;
        const next = elements[j + 1];
        cuts.push(next ? { start: elements[i].getStart(file), end: next.getStart(file) } : { start: elements[i - 1].getEnd(), end: elements[j].getEnd() });
        i = j;
      }
    } else {
      continue;
    }
    removed.push(...going.map((e) => e.name.text), ...(defaultGoes ? [clause.name!.text] : []));
  }
  return { cuts, removed };
}

function isExported(statement: ts.Statement): boolean {
  return !!ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The whole `app.use(...)` statement; it may hold nothing else but a path. */
function registrationCut(file: ts.SourceFile, { use, argument }: Registration): { cut: TextCut; node: ts.Node } | string {
  const other = use.arguments.find((a) => a !== argument && stringValue(a) === undefined);
  if (other) return `\`${snippet(use)}\` also mounts \`${snippet(other)}\`; take the middleware out of it by hand`;
  const statement = use.parent;
  if (!ts.isExpressionStatement(statement) || statement.expression !== use) {
    return `the registration \`${snippet(use)}\` is part of a larger expression; remove it by hand`;
  }
  return { cut: statementLinesRange(file, statement), node: statement };
}

/** Old-service clients (and the discovery they were built with) that only the removed code used. */
function unusedClients(file: ts.SourceFile, removed: readonly ts.Node[]): ts.VariableStatement[] {
  const gone = [...removed];
  const result: ts.VariableStatement[] = [];
  const isGone = (node: ts.Node) => gone.some((g) => g.getStart(file) <= node.getStart(file) && node.getEnd() <= g.getEnd());
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of [...gone]) {
      walk(node, (child) => {
        if (!ts.isIdentifier(child)) return;
        const binding = findBinding(child, child.text);
        const declaration = binding?.parent;
        if (!binding || !declaration || !ts.isVariableDeclaration(declaration) || declaration.name !== binding) return;
        const statement = declaration.parent.parent;
        if (!ts.isVariableStatement(statement) || result.includes(statement) || isGone(statement)) return;
        if (statement.declarationList.declarations.length !== 1 || isExported(statement)) return;
        if (!declaration.initializer || !isClientConstruction(declaration.initializer)) return;
        const scope = statement.parent;
        const stillUsed = referencesTo(scope, child.text).some((id) => id !== binding && findBinding(id, child.text) === binding && !isGone(id));
        if (stillUsed) return;
        result.push(statement);
        gone.push(statement);
        changed = true;
      });
    }
  }
  return result;
}

const CLIENT_CLASSES = ['DefaultIdentityClient', 'IdentityClient', 'ServerTokenManager', 'HostDiscovery'];

/** `DefaultIdentityClient.create(...)`, `ServerTokenManager.fromConfig(...)`, `HostDiscovery.fromConfig(...)`, `new ...`. */
function isClientConstruction(expression: ts.Expression): boolean {
  let value = skipParens(expression);
  if (ts.isAwaitExpression(value)) value = skipParens(value.expression);
  if (ts.isNewExpression(value)) return ts.isIdentifier(value.expression) && CLIENT_CLASSES.includes(value.expression.text);
  if (!ts.isCallExpression(value)) return false;
  const callee = skipParens(value.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    CLIENT_CLASSES.includes(callee.expression.text) &&
    ['create', 'fromConfig', 'noop'].includes(callee.name.text)
  );
}

/** Overlapping or touching removals become one, tidied again as a whole. */
function mergeCuts(text: string, cuts: TextCut[]): TextCut[] {
  const sorted = [...cuts].sort((a, b) => a.start - b.start);
  const merged: TextCut[] = [];
  for (const cut of sorted) {
    const last = merged[merged.length - 1];
    if (last && cut.start <= last.end && !last.text && !cut.text) last.end = Math.max(last.end, cut.end);
    else merged.push({ ...cut });
  }
  return merged.map((cut) => (isWholeLines(text, cut) ? tidyRemoval(text, cut) : cut));
}

function isWholeLines(text: string, cut: TextCut): boolean {
  return (cut.start === 0 || text[cut.start - 1] === '\n') && (cut.end === text.length || text[cut.end - 1] === '\n');
}

// ---------------------------------------------------------------------------------------------
// "Nothing else in it"

const RESPONSE_METHODS = ['status', 'json', 'send', 'end', 'sendStatus'];

/**
 * The first thing the middleware does besides reading the token, verifying it, rejecting the
 * request and calling `next`, or undefined when that is all it does.
 */
export function extraWork(fn: FunctionLike): ts.Node | undefined {
  const [req, res, next] = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  const names = { req, res, next };
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return extraInExpression(fn.body, names);
  return extraInStatements(fn.body.statements, names);
}

interface Names {
  req: string;
  res: string;
  next: string;
}

function extraInStatements(statements: readonly ts.Statement[], names: Names): ts.Node | undefined {
  for (const statement of statements) {
    const extra = extraInStatement(statement, names);
    if (extra) return extra;
  }
  return undefined;
}

function extraInStatement(statement: ts.Statement, names: Names): ts.Node | undefined {
  if (ts.isBlock(statement)) return extraInStatements(statement.statements, names);
  if (ts.isIfStatement(statement)) {
    return (
      extraInExpression(statement.expression, names) ??
      extraInStatement(statement.thenStatement, names) ??
      (statement.elseStatement && extraInStatement(statement.elseStatement, names))
    );
  }
  if (ts.isTryStatement(statement)) {
    return (
      extraInStatements(statement.tryBlock.statements, names) ??
      (statement.catchClause && extraInStatements(statement.catchClause.block.statements, names)) ??
      (statement.finallyBlock && extraInStatements(statement.finallyBlock.statements, names))
    );
  }
  if (ts.isReturnStatement(statement)) return statement.expression && extraInExpression(statement.expression, names);
  if (ts.isThrowStatement(statement)) return extraInExpression(statement.expression, names);
  if (ts.isExpressionStatement(statement)) return extraInExpression(statement.expression, names);
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) return declaration;
      const extra = declaration.initializer && extraInExpression(declaration.initializer, names);
      if (extra) return extra;
    }
    return undefined;
  }
  if (ts.isEmptyStatement(statement)) return undefined;
  return statement;
}

/** Reads, comparisons, literals and the allowed calls only; no assignments, no other calls. */
function extraInExpression(expression: ts.Expression, names: Names): ts.Node | undefined {
  let extra: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (extra) return;
    if (isFunctionLike(node)) {
      extra = node;
      return;
    }
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      extra = node;
      return;
    }
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && isIncrement(node.operator)) {
      extra = node;
      return;
    }
    if (ts.isDeleteExpression(node)) {
      extra = node;
      return;
    }
    if (ts.isCallExpression(node) && !isAllowedCall(node, names)) {
      extra = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return extra;
}

function isAllowedCall(call: ts.CallExpression, names: Names): boolean {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) return callee.text === names.next || callee.text === 'getBearerTokenFromAuthorizationHeader';
  const method = methodCall(call);
  if (!method) return false;
  if (isAuthCall(call)) return true;
  const root = rootOf(method.receiver);
  if (root === names.req) return true; // reading the request: req.header('authorization'), ...split(' ')
  if (root === names.res) return RESPONSE_METHODS.includes(method.method) && responseChain(method.receiver, names.res);
  return false;
}

/** `res`, `res.status(401)`: only response methods along the way. */
function responseChain(expression: ts.Expression, res: string): boolean {
  const value = skipParens(expression);
  if (ts.isIdentifier(value)) return value.text === res;
  const call = methodCall(value);
  return !!call && RESPONSE_METHODS.includes(call.method) && responseChain(call.receiver, res);
}

/** The identifier a property/call chain starts from (`req` in `req.headers.authorization?.split(' ')`). */
function rootOf(expression: ts.Expression): string | undefined {
  let value: ts.Expression = skipParens(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) value = skipParens(value.expression);
    else if (ts.isCallExpression(value)) value = skipParens(value.expression);
    else break;
  }
  return ts.isIdentifier(value) ? value.text : undefined;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isIncrement(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken;
}

/** The call a reference is an argument of (or the reference itself), to show where it is used. */
function useContext(node: ts.Node): ts.Node {
  const parent = node.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== node ? parent : node;
}

function snippet(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
