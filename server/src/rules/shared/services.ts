// Where do the old services come from, and how does a fix reach the new ones?
//
// Detection asks `legacyServiceOf(expr)`: does this expression hold the token manager, the
// identity service or a permission evaluator (through aliases, destructured options, renamed
// deps, typed parameters)? Fixes ask `provideService(node, 'auth')`: give me an expression for
// the auth service here, adding whatever wiring is missing (router options + the
// `createLegacyAuthAdapters` bridge, or plugin deps), or refuse with the reason.
import { Node, type SourceFile, ts } from 'ts-morph';
import {
  enclosingFunctions,
  methodCall,
  objectProperty,
  propertyNameText,
  propertyValue,
  skipParens,
  typeReferenceName,
  walk,
  callsBelow,
  callsNamed,
} from './ast';
import { BACKEND_COMMON, BACKEND_PLUGIN_API, ensureImport, isJavaScript } from './imports';
import { settleLegacyOptions } from './legacyOptionsSettle';
import { appendListItem } from './lists';
import { findBinding, nameIsTaken } from './scope';
import { FixRefusal } from '../../engine/types';
import { wrapNode } from '../../engine/morph';
import { afterFix } from '../../engine/fixHooks';
import { fixTargetOf } from '../../engine/targets';

export type LegacyService = 'tokenManager' | 'identity' | 'permissions';
export type NewService = 'auth' | 'httpAuth' | 'userInfo';

export const NEW_SERVICE_TYPES: Record<NewService, string> = {
  auth: 'AuthService',
  httpAuth: 'HttpAuthService',
  userInfo: 'UserInfoService',
};

const LEGACY_TYPES: Record<string, LegacyService> = {
  TokenManager: 'tokenManager',
  TokenManagerService: 'tokenManager',
  ServerTokenManager: 'tokenManager',
  IdentityApi: 'identity',
  IdentityService: 'identity',
  IdentityClient: 'identity',
  DefaultIdentityClient: 'identity',
  PermissionEvaluator: 'permissions',
  PermissionsService: 'permissions',
  PermissionAuthorizer: 'permissions',
  ServerPermissionClient: 'permissions',
};

const LEGACY_NAMES: Record<string, LegacyService> = {
  tokenManager: 'tokenManager',
  identity: 'identity',
  identityApi: 'identity',
  identityClient: 'identity',
  permissions: 'permissions',
  permissionEvaluator: 'permissions',
  permissionApi: 'permissions',
};

/** Which old service an expression holds, following aliases within the file. */
export function legacyServiceOf(expression: ts.Expression, depth = 0): LegacyService | undefined {
  if (depth > 8) return undefined;
  const expr = skipParens(expression);
  if (ts.isBinaryExpression(expr) && isDefaulting(expr.operatorToken.kind)) {
    return legacyServiceOf(expr.left, depth + 1) ?? legacyServiceOf(expr.right, depth + 1);
  }
  if (ts.isPropertyAccessExpression(expr)) {
    // `coreServices.tokenManager`, `options.tokenManager`, `this.tokenManager`
    const byName = LEGACY_NAMES[expr.name.text];
    if (byName) return byName;
    if (expr.expression.kind === ts.SyntaxKind.ThisKeyword) return classMemberService(expr, expr.name.text);
    return undefined;
  }
  if (ts.isCallExpression(expr)) return constructedService(expr);
  if (ts.isNewExpression(expr) && ts.isIdentifier(expr.expression)) return LEGACY_TYPES[expr.expression.text];
  if (!ts.isIdentifier(expr)) return undefined;

  const binding = findBinding(expr, expr.text);
  if (!binding) return LEGACY_NAMES[expr.text];
  return serviceOfBinding(binding, depth) ?? LEGACY_NAMES[expr.text];
}

function isDefaulting(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

/** `ServerTokenManager.noop()`, `DefaultIdentityClient.create(...)`, `ServerPermissionClient.fromConfig(...)`. */
function constructedService(call: ts.CallExpression): LegacyService | undefined {
  const callee = skipParens(call.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    return LEGACY_TYPES[callee.expression.text];
  }
  return undefined;
}

function serviceOfBinding(binding: ts.Identifier, depth: number): LegacyService | undefined {
  const declaration = binding.parent;
  if (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) {
    const typed = LEGACY_TYPES[typeReferenceName(declaration.type) ?? ''];
    if (typed) return typed;
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    return legacyServiceOf(declaration.initializer, depth + 1);
  }
  if (ts.isBindingElement(declaration)) {
    const key = declaration.propertyName
      ? propertyNameText(declaration.propertyName)
      : binding.text;
    const fromDeps = depsServiceForInitParam(declaration, key);
    if (fromDeps !== undefined) return fromDeps ?? undefined;
    if (declaration.initializer) {
      const fromDefault = legacyServiceOf(declaration.initializer, depth + 1);
      if (fromDefault) return fromDefault;
    }
    return LEGACY_NAMES[key ?? ''];
  }
  return undefined;
}

/**
 * For a destructured `init({ ... })` parameter: the service the matching `deps` key names
 * (`null` when the key maps to something else, `undefined` when this is not an init param).
 */
function depsServiceForInitParam(element: ts.BindingElement, key: string | undefined): LegacyService | null | undefined {
  const pattern = element.parent;
  if (!ts.isObjectBindingPattern(pattern) || !ts.isParameter(pattern.parent)) return undefined;
  const deps = depsOfInit(pattern.parent.parent);
  if (!deps || !key) return undefined;
  const property = objectProperty(deps, key);
  const value = property && propertyValue(property);
  if (!value) return null;
  const service = coreServiceName(value);
  return service && service in LEGACY_NAMES && LEGACY_NAMES[service] === service
    ? (service as LegacyService)
    : null;
}

/** `coreServices.x` -> 'x'. */
export function coreServiceName(expr: ts.Expression): string | undefined {
  const value = skipParens(expr);
  if (ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'coreServices') {
    return value.name.text;
  }
  return undefined;
}

/** The `deps` object literal next to an `init` function in `registerInit({ deps, init })`. */
export function depsOfInit(fn: ts.Node): ts.ObjectLiteralExpression | undefined {
  const owner = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(fn.parent) ? fn.parent : undefined;
  if (!owner || !owner.name || propertyNameText(owner.name) !== 'init') return undefined;
  const object = owner.parent;
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const deps = objectProperty(object, 'deps');
  const value = deps && propertyValue(deps);
  return value && ts.isObjectLiteralExpression(value) ? value : undefined;
}

function classMemberService(access: ts.PropertyAccessExpression, name: string): LegacyService | undefined {
  let cls: ts.Node | undefined = access.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name && propertyNameText(member.name) === name) {
      return LEGACY_TYPES[typeReferenceName(member.type) ?? ''];
    }
    if (ts.isConstructorDeclaration(member)) {
      const param = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (param) return LEGACY_TYPES[typeReferenceName(param.type) ?? ''];
    }
  }
  return undefined;
}

/** Calls `<service>.<method>(...)` where the receiver holds the given old service. */
export function legacyCalls(
  root: ts.Node,
  service: LegacyService,
  methods: readonly string[],
): { call: ts.CallExpression; receiver: ts.Expression; method: string }[] {
  const result: { call: ts.CallExpression; receiver: ts.Expression; method: string }[] = [];
  for (const node of callsNamed(root, methods)) {
    const call = methodCall(node);
    if (call && methods.includes(call.method) && legacyServiceOf(call.receiver) === service) result.push(call);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reaching the new services

export type AccessPlan =
  | { kind: 'bound'; expression: string }
  | { kind: 'router'; fn: ts.SignatureDeclaration; optionsType?: OptionsType }
  | { kind: 'init'; fn: ts.SignatureDeclaration; deps: ts.ObjectLiteralExpression }
  | { kind: 'none'; reason: string };

/** The declaration of a router's options type in this file. */
export type OptionsType = ts.InterfaceDeclaration | ts.TypeLiteralNode;

export function planServiceAccess(at: ts.Node, service: NewService): AccessPlan {
  const existing = findBinding(at, service);
  if (existing) {
    return isServiceBinding(existing, service)
      ? { kind: 'bound', expression: service }
      : { kind: 'none', reason: `the name \`${service}\` is already used for something else here` };
  }
  for (const fn of enclosingFunctions(at)) {
    const deps = depsOfInit(fn);
    if (deps) return { kind: 'init', fn, deps };
    const router = routerPlan(fn, service);
    if (router) return router;
  }
  return {
    kind: 'none',
    reason: `no \`${service}\` service is reachable here: this code is neither inside a function that receives router options nor inside a plugin's init; pass \`${service}\` in and run the fix again`,
  };
}

/** True when an existing binding named like the service really is that service. */
function isServiceBinding(binding: ts.Identifier, service: NewService): boolean {
  const declaration = binding.parent;
  if (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) {
    if (typeReferenceName(declaration.type) === NEW_SERVICE_TYPES[service]) return true;
  }
  if (!ts.isBindingElement(declaration)) return false;
  const key = declaration.propertyName ? propertyNameText(declaration.propertyName) : binding.text;
  if (key !== service) return false;
  const pattern = declaration.parent;
  if (!ts.isObjectBindingPattern(pattern)) return false;
  const owner = pattern.parent;
  if (ts.isParameter(owner)) return true; // init({ auth }) or ({ auth }: RouterOptions)
  if (ts.isVariableDeclaration(owner) && owner.initializer) {
    const init = skipParens(owner.initializer);
    return ts.isIdentifier(init) || ts.isCallExpression(init); // options, createLegacyAuthAdapters(...)
  }
  return false;
}

const OPTION_HINTS = ['discovery', 'identity', 'tokenManager', 'auth', 'httpAuth', 'permissions', 'logger', 'config'];

function routerPlan(fn: ts.SignatureDeclaration, service: NewService): AccessPlan | undefined {
  const param = fn.parameters[0];
  if (!param) return undefined;
  if (ts.isIdentifier(param.name) && hasAdaptersCall(fn, param.name.text)) {
    return { kind: 'router', fn, optionsType: optionsTypeOf(param) };
  }
  const typeName = typeReferenceName(param.type);
  const optionsType = optionsTypeOf(param);
  if (param.type && !optionsType) {
    if (typeName && /Options$/.test(typeName)) {
      return {
        kind: 'none',
        reason: `\`${typeName}\` is not declared in this file; add \`${service}?: ${NEW_SERVICE_TYPES[service]}\` to it, then run the fix again`,
      };
    }
    return undefined;
  }
  const members = optionsType ? memberNames(optionsType) : patternKeys(param.name);
  if (!members.some((m) => OPTION_HINTS.includes(m))) {
    if (!(ts.isIdentifier(param.name) && /options$/i.test(param.name.text))) return undefined;
  }
  return { kind: 'router', fn, optionsType };
}

function hasAdaptersCall(fn: ts.Node, optionsName: string): boolean {
  return callsBelow(fn).some(
    (c) => ts.isIdentifier(c.expression) && c.expression.text === 'createLegacyAuthAdapters' && c.getText().includes(optionsName),
  );
}

function optionsTypeOf(param: ts.ParameterDeclaration): OptionsType | undefined {
  if (param.type && ts.isTypeLiteralNode(param.type)) return param.type;
  const name = typeReferenceName(param.type);
  if (!name) return undefined;
  const file = param.getSourceFile();
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) return statement;
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name && ts.isTypeLiteralNode(statement.type)) {
      return statement.type;
    }
  }
  return undefined;
}

function memberNames(type: OptionsType): string[] {
  return type.members.flatMap((m) => (m.name ? [propertyNameText(m.name) ?? ''] : []));
}

function patternKeys(name: ts.BindingName): string[] {
  if (!ts.isObjectBindingPattern(name)) return [];
  return name.elements.map((e) => propertyNameText(e.propertyName ?? e.name) ?? '');
}

/** Cheap check for `detect`: is the service reachable at this node, and if not, why? */
export function serviceReachability(at: ts.Node, service: NewService): string | undefined {
  const plan = planServiceAccess(at, service);
  return plan.kind === 'none' ? plan.reason : undefined;
}

/**
 * Makes `service` available at `at` (a node of the fix's ts-morph file) and returns the
 * expression that reads it. Throws FixRefusal when that cannot be done safely.
 * Only structured ts-morph edits are used, so wrappers the caller holds stay valid.
 */
export function provideService(sourceFile: SourceFile, at: Node, service: NewService): string {
  const plan = planServiceAccess(at.compilerNode, service);
  switch (plan.kind) {
    case 'bound': {
      const router = enclosingRouter(at.compilerNode);
      if (router) settleAfterFix(sourceFile, wrap(sourceFile, router));
      return plan.expression;
    }
    case 'none':
      throw new FixRefusal(plan.reason);
    case 'init':
      return provideFromDeps(sourceFile, wrap(sourceFile, plan.fn), wrap(sourceFile, plan.deps), service);
    case 'router': {
      const fn = wrap(sourceFile, plan.fn);
      settleAfterFix(sourceFile, fn);
      return provideFromRouterOptions(sourceFile, fn, plan.optionsType && wrap(sourceFile, plan.optionsType), service);
    }
  }
}

/**
 * Once the calling rule has replaced its old call, the router may no longer need its old
 * options: make them optional, or drop them (new-backend-only). Only then can that be told.
 */
function settleAfterFix(sourceFile: SourceFile, router: Node): void {
  afterFix(sourceFile, `legacy-options@${router.getStart()}`, () => settleLegacyOptions(sourceFile, router, fixTargetOf(sourceFile)));
}

/** The router function (not a plugin's init) around `at`, if any. */
function enclosingRouter(at: ts.Node): ts.SignatureDeclaration | undefined {
  for (const fn of enclosingFunctions(at)) {
    if (depsOfInit(fn)) return undefined;
    if (routerPlan(fn, 'auth')?.kind === 'router') return fn;
  }
  return undefined;
}

function provideFromDeps(sourceFile: SourceFile, fn: Node, deps: Node, service: NewService): string {
  const depsNode = deps.compilerNode as ts.ObjectLiteralExpression;
  let key = depsNode.properties
    .map((p) => ({ name: p.name && propertyNameText(p.name), value: propertyValue(p) }))
    .find((p) => p.value && coreServiceName(p.value) === service)?.name;
  if (!key) {
    key = service;
    if (objectProperty(depsNode, key)) {
      throw new FixRefusal(`the plugin's deps already use the key \`${key}\` for another service`);
    }
    appendListItem(deps, deps.getChildSyntaxListOrThrow().getChildren().filter((c) => c.getKind() !== ts.SyntaxKind.CommaToken), `${key}: coreServices.${service}`);
    ensureImport(sourceFile, BACKEND_PLUGIN_API, 'coreServices');
  }
  const param = (fn.compilerNode as ts.SignatureDeclaration).parameters[0];
  if (!param) {
    if (!Node.isFunctionLikeDeclaration(fn)) throw new FixRefusal('init has an unexpected shape');
    fn.insertParameter(0, { name: `{ ${key} }` });
    return key;
  }
  if (ts.isIdentifier(param.name)) return `${param.name.text}.${key}`;
  if (!ts.isObjectBindingPattern(param.name)) throw new FixRefusal('the init parameter has an unexpected shape');
  const element = param.name.elements.find((e) => propertyNameText(e.propertyName ?? e.name) === key);
  if (element) return ts.isIdentifier(element.name) ? element.name.text : key;
  if (nameIsTaken(fn.compilerNode, key)) throw new FixRefusal(`\`${key}\` is already declared inside init`);
  const pattern = wrap(sourceFile, param.name);
  appendListItem(pattern, pattern.getChildrenOfKind(ts.SyntaxKind.BindingElement), key);
  return key;
}

function provideFromRouterOptions(
  sourceFile: SourceFile,
  fn: Node,
  optionsType: Node | undefined,
  service: NewService,
): string {
  const fnNode = () => fn.compilerNode as ts.FunctionLikeDeclaration;
  if (!ts.isIdentifier(fnNode().parameters[0].name)) splitDestructuredOptions(sourceFile, fn);
  const optionsName = (fnNode().parameters[0].name as ts.Identifier).text;

  if (fixTargetOf(sourceFile) === 'new-backend-only') return provideFromOptionsDirectly(sourceFile, fn, optionsType, service, optionsName);
  if (optionsType && !isJavaScript(sourceFile)) declareOption(sourceFile, optionsType, service);

  const body = fnNode().body;
  if (!body || !ts.isBlock(body)) throw new FixRefusal('the router function has no block body to add the adapters to');
  const adapters = adaptersDeclaration(body);
  if (adapters) {
    const pattern = adapters.name;
    if (!ts.isObjectBindingPattern(pattern)) throw new FixRefusal('the createLegacyAuthAdapters result is not destructured');
    if (!pattern.elements.some((e) => propertyNameText(e.propertyName ?? e.name) === service)) {
      const wrapped = wrap(sourceFile, pattern);
      appendListItem(wrapped, wrapped.getChildrenOfKind(ts.SyntaxKind.BindingElement), service);
    }
  } else {
    if (nameIsTaken(body, service)) throw new FixRefusal(`\`${service}\` is already declared in the router function`);
    const { index, argument } = adaptersPlacement(body, optionsName);
    const block = wrap(sourceFile, body);
    if (!Node.isBlock(block)) throw new FixRefusal('unexpected router body');
    // ts-morph counts comment lines as statements too: insert right after the last leading statement.
    const at = index === 0 ? 0 : wrap(sourceFile, body.statements[index - 1]).getChildIndex() + 1;
    block.insertStatements(at, `const { ${service} } = createLegacyAuthAdapters(${argument});`);
  }
  ensureImport(sourceFile, BACKEND_COMMON, 'createLegacyAuthAdapters');
  return service;
}

/** `({ logger, tokenManager }: RouterOptions)` -> `(options: RouterOptions)` + `const { ... } = options;`. */
function splitDestructuredOptions(sourceFile: SourceFile, fn: Node): void {
  const fnNode = fn.compilerNode as ts.FunctionLikeDeclaration;
  const body = fnNode.body;
  if (!body || !ts.isBlock(body)) throw new FixRefusal('the router function has no block body');
  const name = nameIsTaken(fnNode, 'options') ? 'routerOptions' : 'options';
  const patternText = fnNode.parameters[0].name.getText();
  const block = wrap(sourceFile, body);
  const paramName = wrap(sourceFile, fnNode.parameters[0].name);
  if (!Node.isBlock(block)) throw new FixRefusal('unexpected router body');
  block.insertStatements(0, `const ${patternText} = ${name};`);
  paramName.replaceWithText(name);
}

/**
 * Adds `service?: Type` to the options type and requires discovery. The old members are left to
 * `settleLegacyOptions`: they become optional only once the router's calls no longer need them.
 */
function declareOption(sourceFile: SourceFile, optionsType: Node, service: NewService): void {
  if (!(Node.isInterfaceDeclaration(optionsType) || Node.isTypeLiteral(optionsType))) {
    throw new FixRefusal('the router options type has an unexpected shape');
  }
  const type = NEW_SERVICE_TYPES[service];
  if (!optionsType.getProperty(service)) {
    optionsType.addProperty({ name: service, hasQuestionToken: true, type });
    ensureImport(sourceFile, BACKEND_PLUGIN_API, type, { typeOnly: true });
  }
  if (!optionsType.getProperty('discovery')) {
    optionsType.addProperty({ name: 'discovery', type: 'DiscoveryService' });
    ensureImport(sourceFile, BACKEND_PLUGIN_API, 'DiscoveryService', { typeOnly: true });
  }
}

/**
 * new-backend-only: the router takes `service: Type` as a required option and reads it from the
 * options (`const { service } = options;`), with no bridge: backend-plugin-api 1.x has no old
 * services to build it from. A router that still bridges (migrated earlier) keeps its adapters
 * until router-auth-adapters replaces them.
 */
function provideFromOptionsDirectly(
  sourceFile: SourceFile,
  fn: Node,
  optionsType: Node | undefined,
  service: NewService,
  optionsName: string,
): string {
  if (optionsType && !isJavaScript(sourceFile)) requireOption(sourceFile, optionsType, service);
  const body = (fn.compilerNode as ts.FunctionLikeDeclaration).body;
  if (!body || !ts.isBlock(body)) throw new FixRefusal('the router function has no block body to read the options in');
  const adapters = adaptersDeclaration(body);
  const reading = adapters ?? optionsDestructuring(body, optionsName);
  if (reading && ts.isObjectBindingPattern(reading.name)) {
    const element = reading.name.elements.find((e) => propertyNameText(e.propertyName ?? e.name) === service);
    if (element) return ts.isIdentifier(element.name) ? element.name.text : service;
    if (nameIsTaken(body, service)) throw new FixRefusal(`\`${service}\` is already declared in the router function`);
    const pattern = wrap(sourceFile, reading.name);
    appendListItem(pattern, pattern.getChildrenOfKind(ts.SyntaxKind.BindingElement), service);
    return service;
  }
  if (nameIsTaken(body, service)) throw new FixRefusal(`\`${service}\` is already declared in the router function`);
  const block = wrap(sourceFile, body);
  if (!Node.isBlock(block)) throw new FixRefusal('unexpected router body');
  block.insertStatements(0, `const { ${service} } = ${optionsName};`);
  return service;
}

/** `service: Type` in the options type: added, or made required when it was optional. */
export function requireOption(sourceFile: SourceFile, optionsType: Node, service: NewService): void {
  if (!(Node.isInterfaceDeclaration(optionsType) || Node.isTypeLiteral(optionsType))) {
    throw new FixRefusal('the router options type has an unexpected shape');
  }
  const type = NEW_SERVICE_TYPES[service];
  const member = optionsType.getProperty(service);
  if (member) {
    if (member.hasQuestionToken()) member.setHasQuestionToken(false);
    return;
  }
  optionsType.addProperty({ name: service, type });
  ensureImport(sourceFile, BACKEND_PLUGIN_API, type, { typeOnly: true });
}

/** The first `const { ... } = options;` among the router's top-level statements. */
function optionsDestructuring(body: ts.Block, optionsName: string): ts.VariableDeclaration | undefined {
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipParens(declaration.initializer);
      if (ts.isObjectBindingPattern(declaration.name) && init && ts.isIdentifier(init) && init.text === optionsName) return declaration;
    }
  }
  return undefined;
}

export function adaptersDeclaration(body: ts.Block): ts.VariableDeclaration | undefined {
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipParens(declaration.initializer);
      if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'createLegacyAuthAdapters') {
        return declaration;
      }
    }
  }
  return undefined;
}

/**
 * Where the adapters line goes (after the leading statements that read the options) and what
 * it is passed: the options, plus any default identity/token manager the router falls back to,
 * so behaviour stays the same when those are not given.
 */
export function adaptersPlacement(body: ts.Block, optionsName: string): { index: number; argument: string } {
  let index = 0;
  const defaults: string[] = [];
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement) || !readsOptions(statement, optionsName)) break;
    index++;
    for (const declaration of statement.declarationList.declarations) {
      for (const legacy of ['identity', 'tokenManager'] as const) {
        const local = localWithDefault(declaration, optionsName, legacy);
        if (local) defaults.push(local === legacy ? legacy : `${legacy}: ${local}`);
      }
    }
  }
  const argument = defaults.length ? `{ ...${optionsName}, ${defaults.join(', ')} }` : optionsName;
  return { index, argument };
}

function readsOptions(statement: ts.VariableStatement, optionsName: string): boolean {
  let reads = false;
  walk(statement, (node) => {
    if (ts.isIdentifier(node) && node.text === optionsName) reads = true;
  });
  return reads;
}

/** The local name holding `options.<legacy> ?? default` (or a destructuring default), if any. */
function localWithDefault(declaration: ts.VariableDeclaration, optionsName: string, legacy: string): string | undefined {
  const init = declaration.initializer && skipParens(declaration.initializer);
  if (ts.isIdentifier(declaration.name) && init && ts.isBinaryExpression(init) && isDefaulting(init.operatorToken.kind)) {
    const left = skipParens(init.left);
    if (ts.isPropertyAccessExpression(left) && left.name.text === legacy && ts.isIdentifier(left.expression) && left.expression.text === optionsName) {
      return declaration.name.text;
    }
  }
  if (ts.isObjectBindingPattern(declaration.name) && init && ts.isIdentifier(init) && init.text === optionsName) {
    for (const element of declaration.name.elements) {
      const key = propertyNameText(element.propertyName ?? element.name);
      if (key === legacy && element.initializer && ts.isIdentifier(element.name)) return element.name.text;
    }
  }
  return undefined;
}

/** The ts-morph wrapper of a compiler node; a refusal (not a crash) if the tree moved on. */
export function wrap(sourceFile: SourceFile, node: ts.Node): Node {
  try {
    return wrapNode(sourceFile, node);
  } catch {
    throw new FixRefusal('the code changed shape during the fix');
  }
}
