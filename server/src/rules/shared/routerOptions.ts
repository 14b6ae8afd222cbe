// What a `createRouter`-style function takes and needs. Three rules ask the same questions from
// different files (the plugin that calls it, the router itself, the old-system callers), and
// must get the same answers before and after the router is migrated, so that fixing a workspace
// gives the same result in any order:
// - which new services the router uses or will use: those its options type declares (or its
//   `createLegacyAuthAdapters` call destructures) plus those its remaining legacy calls imply;
// - whether it needs `discovery` (it bridges, or will bridge, through the adapters).
import { ts } from 'ts-morph';
import { detectionFacts } from '../../engine/preorder';
import { calleeName, callsNamed, identifiersBelow, propertyNameText, skipParens, typeReferenceName, walk } from './ast';
import {
  declaredObjectType,
  importOf,
  namedType,
  type FunctionLike,
  type ModuleFile,
  type ObjectType,
  type ProjectReader,
} from './project';
import { LEGACY_OPTIONS, legacyOptionsInUse, type LegacyOption } from './legacyOptionUse';
import { adaptersPlacement, legacyCalls, type NewService } from './services';
import type { MigrationTarget } from '../../engine/targets';

export { LEGACY_OPTIONS, type LegacyOption } from './legacyOptionUse';
const NEW_SERVICES: readonly NewService[] = ['auth', 'httpAuth', 'userInfo'];

/** What the guide passes when nothing tells which of the two a router needs. */
export const DEFAULT_SERVICES: readonly NewService[] = ['auth', 'httpAuth'];

export type OptionsDeclaration =
  /** An interface, type alias or inline type literal in the router's own file. */
  | { kind: 'local'; type: ObjectType }
  /** A named type that is not an object type of this file (`from`: the module it is imported from). */
  | { kind: 'elsewhere'; typeName: string; from?: string }
  /** No annotation (JavaScript, or an untyped parameter): members are read off their use. */
  | { kind: 'untyped' };

export interface RouterFacts {
  fn: FunctionLike;
  /** The options parameter's name, when it is a plain identifier. */
  optionsName?: string;
  declaration: OptionsDeclaration;
  /** Option names; the value says whether the member is optional (undefined: not declared, only used). */
  members: Map<string, boolean | undefined>;
  legacyOptions: LegacyOption[];
  /** Old options the router still reads as values (calls them, hands them on): they must stay required. */
  legacyInUse: LegacyOption[];
  hasAdapters: boolean;
  /** New services the router uses or will use, in the order auth, httpAuth, userInfo. */
  services: NewService[];
  /** Callers must pass `discovery`: the router bridges (or will) through createLegacyAuthAdapters, or requires it. */
  needsDiscovery: boolean;
}

/** What a caller passes when it cannot read the router: the guide's default. */
export const UNREAD_ROUTER: Pick<RouterFacts, 'services' | 'needsDiscovery'> = {
  services: [...DEFAULT_SERVICES],
  needsDiscovery: true,
};

/** The same for a target: without the adapters (new-backend-only), an unread router needs no discovery. */
export function unreadRouter(target: MigrationTarget): Pick<RouterFacts, 'services' | 'needsDiscovery'> {
  return target === 'new-backend-only' ? { services: [...DEFAULT_SERVICES], needsDiscovery: false } : UNREAD_ROUTER;
}

/**
 * `target` decides whether the router bridges: under new-backend-only it takes the new services
 * directly, so it needs `discovery` only when its options require it.
 */
export function routerFacts(
  module: ModuleFile,
  fn: FunctionLike,
  reader?: ProjectReader,
  target: MigrationTarget = 'legacy-compatible',
): RouterFacts {
  const param = fn.parameters[0];
  const optionsName = param && ts.isIdentifier(param.name) ? param.name.text : undefined;
  const declaration = optionsDeclaration(module, param);
  const members = new Map<string, boolean | undefined>();
  const declared = declaredTypeOf(module, param, reader);
  if (declared) {
    for (const member of declared.members) {
      const name = member.name && propertyNameText(member.name);
      if (name) members.set(name, !!member.questionToken);
    }
  } else if (param) {
    for (const name of usedOptionNames(fn, param)) members.set(name, undefined);
  }

  const legacyOptions = LEGACY_OPTIONS.filter((name) => members.has(name));
  const adapters = adaptersBindings(fn);
  const hasAdapters = adapters !== undefined;
  const wanted = new Set<NewService>([
    ...NEW_SERVICES.filter((s) => members.has(s)),
    ...NEW_SERVICES.filter((s) => adapters?.includes(s)),
    ...servicesImpliedByLegacyUse(module.sourceFile),
  ]);
  const migrates = hasAdapters || legacyOptions.length > 0;
  if (migrates && !wanted.has('auth') && !wanted.has('httpAuth')) DEFAULT_SERVICES.forEach((s) => wanted.add(s));
  const bridges = target === 'legacy-compatible' && migrates;
  return {
    fn,
    optionsName,
    declaration,
    members,
    legacyOptions,
    legacyInUse: legacyOptionsInUse(fn).filter((o) => members.has(o)),
    hasAdapters,
    services: NEW_SERVICES.filter((s) => wanted.has(s)),
    needsDiscovery: bridges || members.get('discovery') === false,
  };
}

function optionsDeclaration(module: ModuleFile, param: ts.ParameterDeclaration | undefined): OptionsDeclaration {
  if (!param?.type) return { kind: 'untyped' };
  if (ts.isTypeLiteralNode(param.type)) return { kind: 'local', type: param.type };
  const typeName = typeReferenceName(param.type) ?? param.type.getText();
  const local = declaredObjectType(module.sourceFile, typeName);
  if (local) return { kind: 'local', type: local };
  return { kind: 'elsewhere', typeName, from: importOf(module.sourceFile, typeName)?.specifier };
}

/** The object type the options are declared with, here or (through the reader) in another file. */
function declaredTypeOf(
  module: ModuleFile,
  param: ts.ParameterDeclaration | undefined,
  reader?: ProjectReader,
): ObjectType | undefined {
  if (!param?.type) return undefined;
  if (ts.isTypeLiteralNode(param.type)) return param.type;
  const name = typeReferenceName(param.type);
  if (!name) return undefined;
  return declaredObjectType(module.sourceFile, name) ?? (reader && namedType(reader, module, name)?.type);
}

/** Option names an untyped router reads: destructured in the parameter or the body, or `options.x`. */
function usedOptionNames(fn: FunctionLike, param: ts.ParameterDeclaration): string[] {
  if (ts.isObjectBindingPattern(param.name)) return patternKeys(param.name);
  if (!ts.isIdentifier(param.name)) return [];
  const optionsName = param.name.text;
  const names: string[] = [];
  walk(fn, (node) => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === optionsName) {
      names.push(node.name.text);
    }
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const init = skipParens(node.initializer);
      if (ts.isIdentifier(init) && init.text === optionsName) names.push(...patternKeys(node.name));
    }
  });
  return names;
}

function patternKeys(pattern: ts.ObjectBindingPattern): string[] {
  return pattern.elements.flatMap((e) => {
    const key = propertyNameText(e.propertyName ?? e.name);
    return key ? [key] : [];
  });
}

/** The names destructured from `createLegacyAuthAdapters(...)` in the router, or undefined without a call. */
function adaptersBindings(fn: FunctionLike): string[] | undefined {
  let names: string[] | undefined;
  walk(fn, (node) => {
    if (!ts.isCallExpression(node) || calleeName(node) !== 'createLegacyAuthAdapters') return;
    names ??= [];
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) names.push(...patternKeys(parent.name));
  });
  return names;
}

/**
 * New services the file's remaining legacy auth code will need once migrated:
 * `getToken` -> auth; `getIdentity`, `authenticate`, reading a bearer token -> httpAuth (plus
 * auth when that token is forwarded to another client); `ownershipEntityRefs` -> userInfo.
 */
export function servicesImpliedByLegacyUse(file: ts.SourceFile): Set<NewService> {
  // Several rules ask this of the same file in one analysis; a tree parsed for it never changes.
  const needs = detectionFacts(file, 'router-options:implied-services', () => computeServicesImpliedByLegacyUse(file));
  return new Set(needs ?? computeServicesImpliedByLegacyUse(file));
}

function computeServicesImpliedByLegacyUse(file: ts.SourceFile): Set<NewService> {
  const needs = new Set<NewService>();
  if (legacyCalls(file, 'tokenManager', ['getToken']).length > 0) needs.add('auth');
  if (
    legacyCalls(file, 'tokenManager', ['authenticate']).length > 0 ||
    legacyCalls(file, 'identity', ['getIdentity', 'authenticate']).length > 0
  ) {
    needs.add('httpAuth');
  }
  for (const call of callsNamed(file, ['getBearerTokenFromAuthorizationHeader'])) {
    needs.add('httpAuth');
    if (tokenIsForwarded(call)) needs.add('auth');
  }
  if (identifiersBelow(file, 'ownershipEntityRefs').some((id) => ts.isPropertyAccessExpression(id.parent) && id.parent.name === id)) {
    needs.add('userInfo');
  }
  return needs;
}

/** Calls a bearer token may go to without being forwarded: permission checks and verification. */
const NON_FORWARDING_METHODS = ['authorize', 'authorizeConditional', 'authenticate'];

/** True when the token read from a request goes on to another client (needs a new token then). */
function tokenIsForwarded(read: ts.CallExpression): boolean {
  let outer: ts.Node = read;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isAwaitExpression(outer.parent)) outer = outer.parent;
  const declaration = outer.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return !isNonForwardingUse(outer);
  const name = declaration.name.text;
  const scope = enclosingScope(declaration);
  return identifiersBelow(scope, name)
    .filter((id) => id !== declaration.name && !isPropertyName(id))
    .some((id) => !isNonForwardingUse(id));
}

function enclosingScope(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isBlock(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}

function isPropertyName(id: ts.Identifier): boolean {
  const parent = id.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === id) || (ts.isPropertyAssignment(parent) && parent.name === id);
}

/** A truthiness/comparison check, or an argument (possibly inside `{ token }`) of a permission or verify call. */
function isNonForwardingUse(use: ts.Node): boolean {
  let node = use;
  const parent = node.parent;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
  if ((ts.isIfStatement(parent) || ts.isConditionalExpression(parent)) && isConditionOf(parent, node)) return true;
  if (ts.isBinaryExpression(parent) && isComparison(parent.operatorToken.kind)) return true;
  while (
    ts.isShorthandPropertyAssignment(node.parent) ||
    ts.isPropertyAssignment(node.parent) ||
    ts.isObjectLiteralExpression(node.parent)
  ) {
    node = node.parent;
  }
  const call = node.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return false;
  const method = calleeName(call);
  return method !== undefined && NON_FORWARDING_METHODS.includes(method);
}

function isConditionOf(statement: ts.IfStatement | ts.ConditionalExpression, node: ts.Node): boolean {
  return ts.isIfStatement(statement) ? statement.expression === node : statement.condition === node;
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

// ---------------------------------------------------------------------------------------------
// Router functions of a file, and the defaults they give the old services

/** Top-level functions named like a router factory (`createRouter`, `createNotesRouter`), with their name. */
export function routerFunctions(file: ts.SourceFile): { name: ts.Identifier; fn: FunctionLike }[] {
  const found: { name: ts.Identifier; fn: FunctionLike }[] = [];
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body && isRouterName(statement.name.text)) {
      found.push({ name: statement.name, fn: statement });
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipParens(declaration.initializer);
        if (!ts.isIdentifier(declaration.name) || !isRouterName(declaration.name.text) || !init) continue;
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) found.push({ name: declaration.name, fn: init });
      }
    }
    // CommonJS: `exports.createRouter = async function (options) { ... }`
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const { left, operatorToken, right } = statement.expression;
      const fn = skipParens(right);
      if (
        operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(left) &&
        isRouterName(left.name.text) &&
        (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))
      ) {
        found.push({ name: left.name as ts.Identifier, fn });
      }
    }
  }
  return found;
}

function isRouterName(name: string): boolean {
  return name.endsWith('Router') && name.length > 'Router'.length;
}

/**
 * Defaults the router gives `identity`/`tokenManager` that the adapters line would NOT pass on
 * (it only sees the leading statements that read the options). Passing them on keeps the
 * router's behaviour; losing one would change who is trusted, so such a router is not fixed.
 */
export function defaultsNotPassedOn(facts: RouterFacts): { option: LegacyOption; node: ts.Node }[] {
  const body = facts.fn.body;
  if (!body || !ts.isBlock(body)) return [];
  const param = facts.fn.parameters[0];
  const optionsName = facts.optionsName;
  // A destructured parameter becomes the one leading statement (`const { ... } = options;`),
  // so only its own defaults are passed on.
  const captured = optionsName ? adaptersPlacement(body, optionsName).index : 0;
  const legacyLocals = new Map<string, LegacyOption>();
  const result: { option: LegacyOption; node: ts.Node }[] = [];
  const visitPattern = (pattern: ts.ObjectBindingPattern, passedOn: boolean) => {
    for (const element of pattern.elements) {
      const key = propertyNameText(element.propertyName ?? element.name);
      const option = LEGACY_OPTIONS.find((o) => o === key);
      if (!option) continue;
      if (ts.isIdentifier(element.name)) legacyLocals.set(element.name.text, option);
      if (element.initializer && !passedOn) result.push({ option, node: element.initializer });
    }
  };
  if (param && ts.isObjectBindingPattern(param.name)) visitPattern(param.name, true);
  body.statements.forEach((statement, index) => {
    const leading = index < captured;
    walk(statement, (node) => {
      if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
        const init = skipParens(node.initializer);
        if (optionsName && ts.isIdentifier(init) && init.text === optionsName) visitPattern(node.name, leading && node.parent.parent === statement);
      }
    });
  });
  body.statements.forEach((statement, index) => {
    const leading = index < captured;
    walk(statement, (node) => {
      if (!ts.isBinaryExpression(node) || !isDefaulting(node.operatorToken.kind)) return;
      const left = skipParens(node.left);
      const fromOptions =
        ts.isPropertyAccessExpression(left) &&
        ts.isIdentifier(left.expression) &&
        optionsName !== undefined &&
        left.expression.text === optionsName
          ? LEGACY_OPTIONS.find((o) => o === left.name.text)
          : undefined;
      const fromLocal = ts.isIdentifier(left) ? legacyLocals.get(left.text) : undefined;
      const option = fromOptions ?? fromLocal;
      if (!option) return;
      const declaration = node.parent;
      const passedOn =
        fromOptions &&
        leading &&
        ts.isVariableDeclaration(declaration) &&
        ts.isIdentifier(declaration.name) &&
        declaration.parent.parent === statement;
      if (!passedOn) result.push({ option, node });
    });
  });
  return result;
}

function isDefaulting(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}
