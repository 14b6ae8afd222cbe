// Auth policies of backend plugins: the plugin's init and how it reaches the http router, the
// policies it already adds, the routes its router serves (also read from the router module
// through the host), whether a policy covers a route, and adding one.
//
// `httpRouter.addAuthPolicy({ path, allow })` matches `path` as a prefix relative to the
// plugin's mount point, segment by segment (path-to-regexp with `end: false`); `'/'` and `'*'`
// cover every route.
import { Node, type SourceFile, ts } from 'ts-morph';
import { FixRefusal } from '../../engine/types';
import {
  calleeName,
  isFunctionLike,
  methodCall,
  objectProperty,
  propertyNameText,
  propertyValue,
  skipParens,
  stringValue,
  walk,
  callsBelow,
} from './ast';
import { BACKEND_PLUGIN_API, ensureImport } from './imports';
import { insertLinesAfter, insertLinesBefore } from './lineEdits';
import { appendListItem, indentUnit, lineIndent } from './lists';
import { calledFunction, importOf, type FunctionLike, type ModuleFile, type ProjectReader } from './project';
import { findBinding, nameIsTaken } from './scope';
import { coreServiceName, wrap } from './services';

export type PolicyAllow = 'unauthenticated' | 'user-cookie';
export const POLICY_ALLOWS: readonly PolicyAllow[] = ['unauthenticated', 'user-cookie'];

export interface AuthPolicy {
  path: string;
  allow: PolicyAllow;
}

// ---------------------------------------------------------------------------------------------
// Plugin inits

type InitFunction = ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression;

export interface PluginInit {
  feature: 'plugin' | 'module';
  registerInit: ts.CallExpression;
  deps?: ts.ObjectLiteralExpression;
  init?: InitFunction;
  /** How init reads the http router (`httpRouter`, `http`, `deps.httpRouter`), when it does. */
  httpRouter?: string;
}

/** Every `env.registerInit({ deps, init })` inside `createBackendPlugin`/`createBackendModule`. */
export function pluginInits(file: ts.SourceFile): PluginInit[] {
  const found: PluginInit[] = [];
  walk(file, (node) => {
    const call = methodCall(node);
    if (!call || call.method !== 'registerInit') return;
    const feature = backendFeatureOf(call.call);
    const options = call.call.arguments[0];
    if (!feature || !options || !ts.isObjectLiteralExpression(options)) return;
    const depsProperty = objectProperty(options, 'deps');
    const depsValue = depsProperty && propertyValue(depsProperty);
    const deps = depsValue && ts.isObjectLiteralExpression(depsValue) ? depsValue : undefined;
    const init = initFunction(options);
    found.push({ feature, registerInit: call.call, deps, init, httpRouter: httpRouterLocal(deps, init) });
  });
  return found;
}

function backendFeatureOf(node: ts.Node): PluginInit['feature'] | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isCallExpression(current)) continue;
    const name = calleeName(current);
    if (name === 'createBackendPlugin') return 'plugin';
    if (name === 'createBackendModule') return 'module';
  }
  return undefined;
}

function initFunction(options: ts.ObjectLiteralExpression): InitFunction | undefined {
  const property = objectProperty(options, 'init');
  if (property && ts.isMethodDeclaration(property)) return property;
  const value = property && propertyValue(property);
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
}

/** The deps key that holds `coreServices.httpRouter`. */
function httpRouterKey(deps: ts.ObjectLiteralExpression | undefined): string | undefined {
  for (const property of deps?.properties ?? []) {
    const value = propertyValue(property);
    if (value && coreServiceName(value) === 'httpRouter' && property.name) return propertyNameText(property.name);
  }
  return undefined;
}

function httpRouterLocal(deps: ts.ObjectLiteralExpression | undefined, init: InitFunction | undefined): string | undefined {
  const key = httpRouterKey(deps);
  const param = init?.parameters[0];
  if (!key || !param) return undefined;
  if (ts.isIdentifier(param.name)) return `${param.name.text}.${key}`;
  if (!ts.isObjectBindingPattern(param.name)) return undefined;
  const element = param.name.elements.find((e) => propertyNameText(e.propertyName ?? e.name) === key);
  return element && ts.isIdentifier(element.name) ? element.name.text : undefined;
}

/** `httpRouter.use(handler)` calls in init. */
export function httpRouterUses(init: PluginInit): ts.CallExpression[] {
  const body = init.init?.body;
  if (!body || !init.httpRouter) return [];
  const uses: ts.CallExpression[] = [];
  walk(body, (node) => {
    const call = methodCall(node);
    if (call?.method === 'use' && call.call.arguments.length === 1 && skipParens(call.receiver).getText() === init.httpRouter) {
      uses.push(call.call);
    }
  });
  return uses;
}

// ---------------------------------------------------------------------------------------------
// Policies already there

export interface ExistingPolicies {
  policies: { path: string; allow?: string; call: ts.CallExpression }[];
  /** A policy whose path is not a literal: what it covers is unknown. */
  unknown: boolean;
}

export function existingPolicies(file: ts.SourceFile): ExistingPolicies {
  const result: ExistingPolicies = { policies: [], unknown: false };
  for (const node of callsBelow(file)) {
    const call = methodCall(node);
    if (call?.method !== 'addAuthPolicy') continue;
    const argument = node.arguments[0];
    const pathProperty = argument && ts.isObjectLiteralExpression(argument) ? objectProperty(argument, 'path') : undefined;
    const path = stringValue(pathProperty && propertyValue(pathProperty));
    if (path === undefined) {
      result.unknown = true;
      continue;
    }
    const allowProperty = objectProperty(argument as ts.ObjectLiteralExpression, 'allow');
    result.policies.push({ path, allow: stringValue(allowProperty && propertyValue(allowProperty)), call: node });
  }
  return result;
}

/** Does a policy for `policyPath` apply to requests to `routePath`? */
export function policyCovers(policyPath: string, routePath: string): boolean {
  if (policyPath === '/' || policyPath === '*' || policyPath === '') return true;
  const policy = segments(policyPath);
  const route = segments(routePath);
  if (policy.length > route.length) return false;
  return policy.every((segment, i) => segment.startsWith(':') || segment === route[i]);
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** The policy path that covers a route: its path up to the first wildcard segment. */
export function policyPathFor(routePath: string): string {
  const kept: string[] = [];
  for (const segment of segments(routePath)) {
    if (/[*?+()[\]]/.test(segment)) break;
    kept.push(segment);
  }
  return `/${kept.join('/')}`;
}

// ---------------------------------------------------------------------------------------------
// Routes

export type RouteKind = 'health' | 'static' | 'other';

export interface PluginRoute {
  /** `GET`, `POST`, ..., or `USE` for a mounted handler. */
  method: string;
  /** As written; `/` for a handler mounted without a path. */
  path: string;
  /** The policy path that would cover it. */
  policyPath: string;
  kind: RouteKind;
  /** Where the finding goes: the path literal, or the static handler when mounted without a path. */
  node: ts.Node;
  module: ModuleFile;
  /** Mounted without a path: a policy for it would cover the whole plugin. */
  pathless: boolean;
}

const ROUTE_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'all', 'head', 'options', 'use'];
const READ_METHODS = ['get', 'head', 'all', 'use'];
const HEALTH_SEGMENTS = new Set(['health', 'healthz', 'healthcheck', 'ready', 'readyz', 'readiness', 'live', 'livez', 'liveness']);

export type HandlerRoutes = { module: ModuleFile; routes: PluginRoute[] } | { unreadable: string };

/**
 * The routes of what `httpRouter.use(handler)` mounts: a router built in the same file, or the
 * router a factory (`createRouter`) returns, read from its module through the reader.
 */
export function routesOfHandler(handler: ts.Expression, module: ModuleFile, reader: ProjectReader): HandlerRoutes | undefined {
  const value = skipAwait(handler);
  if (ts.isCallExpression(value) && ts.isIdentifier(value.expression) && !isRouterCreation(value)) {
    const target = calledFunction(reader, module, value.expression.text);
    if (!target) return undefined;
    if ('unreadable' in target) return target;
    return { module: target.module, routes: routesOfFactory(target.module, target.fn) };
  }
  if (!ts.isIdentifier(value)) return undefined;
  const binding = findBinding(value, value.text);
  const declaration = binding?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const initializer = skipAwait(declaration.initializer);
  if (isRouterCreation(initializer)) {
    const scope = declaration.parent.parent.parent;
    return { module, routes: routesOn(module, scope, [value.text]) };
  }
  return ts.isCallExpression(initializer) ? routesOfHandler(initializer, module, reader) : undefined;
}

function skipAwait(expression: ts.Expression): ts.Expression {
  let value = skipParens(expression);
  while (ts.isAwaitExpression(value)) value = skipParens(value.expression);
  return value;
}

/** `Router()`, `express.Router()`, `PromiseRouter()` (the default import of express-promise-router). */
function isRouterCreation(expression: ts.Expression): boolean {
  if (!ts.isCallExpression(expression)) return false;
  const name = calleeName(expression);
  if (name === 'Router') return true;
  if (!ts.isIdentifier(expression.expression)) return false;
  const imported = importOf(expression.getSourceFile(), expression.expression.text);
  return imported?.specifier === 'express-promise-router' || (imported?.specifier === 'express' && imported.importedName === 'Router');
}

/** The routes of the router(s) a factory function returns. */
function routesOfFactory(module: ModuleFile, fn: FunctionLike): PluginRoute[] {
  const returned = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return; // a nested function's return is not the factory's
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipAwait(node.expression);
      if (ts.isIdentifier(value)) returned.add(value.text);
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return fn.body ? routesOn(module, fn.body, [...returned]) : [];
}

/** `router.get('/health', ...)`, `router.use('/static', express.static(dir))`, ... on the named routers. */
function routesOn(module: ModuleFile, scope: ts.Node, routers: readonly string[]): PluginRoute[] {
  const routes: PluginRoute[] = [];
  walk(scope, (node) => {
    const call = methodCall(node);
    if (!call || !ROUTE_METHODS.includes(call.method)) return;
    const receiver = skipParens(call.receiver);
    if (!ts.isIdentifier(receiver) || !routers.includes(receiver.text)) return;
    const route = routeOf(module, call.method, call.call);
    if (route) routes.push(route);
  });
  return routes;
}

function routeOf(module: ModuleFile, method: string, call: ts.CallExpression): PluginRoute | undefined {
  const [first, ...rest] = call.arguments;
  const path = stringValue(first);
  const handlers = path === undefined ? call.arguments : rest;
  const staticHandler = handlers.find((h) => isStaticHandler(h));
  if (path === undefined) {
    if (method !== 'use' || !staticHandler) return undefined;
    return { method: 'USE', path: '/', policyPath: '/', kind: 'static', node: staticHandler, module, pathless: true };
  }
  let kind: RouteKind = 'other';
  if (READ_METHODS.includes(method)) {
    if (HEALTH_SEGMENTS.has(segments(path)[0] ?? '')) kind = 'health';
    else if (staticHandler || handlers.some(servesFiles)) kind = 'static';
  }
  return { method: method.toUpperCase(), path, policyPath: policyPathFor(path), kind, node: first, module, pathless: false };
}

/** `express.static(dir)`, `serveStatic(dir)`, or a local holding one. */
function isStaticHandler(expression: ts.Expression, depth = 0): boolean {
  const value = skipParens(expression);
  if (ts.isIdentifier(value) && depth === 0) {
    const declaration = findBinding(value, value.text)?.parent;
    return !!declaration && ts.isVariableDeclaration(declaration) && !!declaration.initializer && isStaticHandler(declaration.initializer, 1);
  }
  if (!ts.isCallExpression(value)) return false;
  const callee = skipParens(value.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'static' && ts.isIdentifier(callee.expression)) {
    return callee.expression.text === 'express' || importOf(value.getSourceFile(), callee.expression.text)?.specifier === 'express';
  }
  if (ts.isIdentifier(callee)) {
    const imported = importOf(value.getSourceFile(), callee.text);
    return imported?.specifier === 'serve-static' || (imported?.specifier === 'express' && imported.importedName === 'static');
  }
  return false;
}

const FILE_METHODS = ['sendFile', 'download'];
const TYPE_METHODS = ['type', 'contentType'];
const HEADER_METHODS = ['set', 'setHeader', 'header'];

/** A handler that answers with a file, an image or an HTML page (loaded by `<img>`, `<iframe>`, links). */
function servesFiles(handler: ts.Expression): boolean {
  const fn = skipParens(handler);
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  const res = fn.parameters[1];
  if (!res || !ts.isIdentifier(res.name)) return false;
  const resName = res.name.text;
  let serves = false;
  walk(fn, (node) => {
    const call = methodCall(node);
    if (!call || serves) return;
    const receiver = skipParens(call.receiver);
    if (!ts.isIdentifier(receiver) || receiver.text !== resName) return;
    const args = call.call.arguments;
    if (FILE_METHODS.includes(call.method)) serves = true;
    else if (TYPE_METHODS.includes(call.method)) serves = isBrowserContentType(stringValue(args[0]));
    else if (HEADER_METHODS.includes(call.method) && stringValue(args[0])?.toLowerCase() === 'content-type') {
      serves = isBrowserContentType(stringValue(args[1]));
    }
  });
  return serves;
}

function isBrowserContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.toLowerCase().replace(/^\./, '');
  return type.startsWith('image/') || type.startsWith('text/html') || ['html', 'svg', 'png', 'jpg', 'jpeg', 'gif', 'webp'].includes(type);
}

/** Routes that must answer requests without a Backstage token. */
export function needsPolicy(route: PluginRoute): boolean {
  return route.kind !== 'other';
}

export function isCovered(route: PluginRoute, policies: ExistingPolicies): boolean {
  return policies.unknown || policies.policies.some((p) => policyCovers(p.path, route.path));
}

/** What a route is, for messages: ``GET /health` (health check)`. */
export function describeRoute(route: PluginRoute): string {
  if (route.pathless) return 'static files mounted at the root of the router';
  const what = route.kind === 'health' ? 'health check' : route.kind === 'static' ? 'static content' : 'route';
  return `\`${route.method === 'USE' ? '' : `${route.method} `}${route.path}\` (${what})`;
}

// ---------------------------------------------------------------------------------------------
// Adding a policy

/** Why a policy is not acceptable as given, or undefined. */
export function policyProblem(policy: { path: string; allow: string }): string | undefined {
  if (!POLICY_ALLOWS.includes(policy.allow as PolicyAllow)) {
    return `\`allow\` must be 'unauthenticated' or 'user-cookie' (got '${policy.allow}')`;
  }
  if (policy.path !== '*' && !policy.path.startsWith('/')) {
    return `the path must start with '/' and be relative to the plugin (e.g. '/health'), got '${policy.path}'`;
  }
  if (/['"`\\\n]/.test(policy.path)) return 'the path contains quotes, backslashes or line breaks';
  return undefined;
}

/** The init to add a policy to: the one whose registerInit starts at `at` (or contains it), else the only one. */
export function initFor(file: ts.SourceFile, at?: number): PluginInit | string {
  const inits = pluginInits(file).filter((i) => i.init);
  if (inits.length === 0) return 'this file has no `registerInit` of a backend plugin or module to add the policy to';
  if (at !== undefined) {
    const chosen =
      inits.find((i) => i.registerInit.getStart() === at) ??
      inits.find((i) => i.registerInit.getStart() <= at && at < i.registerInit.getEnd());
    if (chosen) return chosen;
  }
  if (inits.length > 1) return 'this file registers several plugins or modules; put the cursor inside the one that should get the policy';
  return inits[0];
}

/**
 * Adds `httpRouter.addAuthPolicy({ path, allow })` to the init of the plugin or module whose
 * registerInit starts at `registerInitStart` (or the file's only one): right after
 * `httpRouter.use(...)` and the policies that follow it, else at the end of init. Adds the
 * `httpRouter` dep and init parameter when missing. Throws FixRefusal when it cannot.
 */
export function insertAuthPolicy(sourceFile: SourceFile, policy: AuthPolicy, registerInitStart?: number): void {
  const problem = policyProblem(policy);
  if (problem) throw new FixRefusal(problem);
  const chosen = initFor(sourceFile.compilerNode, registerInitStart);
  if (typeof chosen === 'string') throw new FixRefusal(chosen);
  const start = chosen.registerInit.getStart();
  const duplicate = existingPolicies(sourceFile.compilerNode).policies.find(
    (p) => p.path === policy.path && p.allow === policy.allow && chosen.registerInit.getStart() <= p.call.getStart() && p.call.getEnd() <= chosen.registerInit.getEnd(),
  );
  if (duplicate) throw new FixRefusal(`this init already adds the policy { path: '${policy.path}', allow: '${policy.allow}' }`);

  const receiver = chosen.httpRouter ?? provideHttpRouter(sourceFile, chosen);
  // The edits above replaced the deps and the parameter list: read the init again.
  const init = refind(sourceFile, start);
  const body = init.init?.body;
  if (!body || !ts.isBlock(body)) throw new FixRefusal('init has no block body to add the policy to');
  const first = body.statements[0];
  if (first && !anchorStatement(body, init, receiver) && returnsEarly(body)) {
    // After the last statement, the policy would be skipped whenever init returns before it.
    insertLinesBefore(sourceFile, first, policyStatement(sourceFile, receiver, policy, lineIndent(sourceFile.getFullText(), first.getStart()).length));
    return;
  }
  const anchor = anchorStatement(body, init, receiver) ?? body.statements[body.statements.length - 1];
  if (anchor) {
    const indent = lineIndent(sourceFile.getFullText(), anchor.getStart());
    insertLinesAfter(sourceFile, anchor, policyStatement(sourceFile, receiver, policy, indent.length));
    return;
  }
  const block = wrap(sourceFile, body);
  if (!Node.isBlock(block)) throw new FixRefusal('unexpected init body');
  const indent = lineIndent(sourceFile.getFullText(), body.getStart()) + indentUnit(sourceFile.getFullText());
  block.addStatements(policyStatement(sourceFile, receiver, policy, indent.length));
}

/** A `return` of init itself (not of a function declared inside it). */
function returnsEarly(body: ts.Block): boolean {
  let found = false;
  walk(body, (node) => {
    if (found || isFunctionLike(node)) return false;
    if (ts.isReturnStatement(node)) found = true;
    return undefined;
  });
  return found;
}

function refind(sourceFile: SourceFile, registerInitStart: number): PluginInit {
  const init = pluginInits(sourceFile.compilerNode).find((i) => i.registerInit.getStart() === registerInitStart);
  if (!init) throw new FixRefusal('the code changed shape during the fix');
  return init;
}

/** Adds `httpRouter: coreServices.httpRouter` to deps (when missing) and to init's parameter; returns how init reads it. */
function provideHttpRouter(sourceFile: SourceFile, init: PluginInit): string {
  const start = init.registerInit.getStart();
  if (!init.deps) throw new FixRefusal('registerInit has no `deps` object to add `httpRouter: coreServices.httpRouter` to');
  if (!init.init) throw new FixRefusal('registerInit has no init function');
  let key = httpRouterKey(init.deps);
  if (!key) {
    key = 'httpRouter';
    if (objectProperty(init.deps, key)) throw new FixRefusal('deps already use the key `httpRouter` for another service');
    const deps = wrap(sourceFile, init.deps);
    appendListItem(deps, deps.getChildSyntaxListOrThrow().getChildren().filter((c) => c.getKind() !== ts.SyntaxKind.CommaToken), `${key}: coreServices.httpRouter`);
    ensureImport(sourceFile, BACKEND_PLUGIN_API, 'coreServices');
  }
  const current = refind(sourceFile, start).init!;
  const param = current.parameters[0];
  if (param && ts.isIdentifier(param.name)) return `${param.name.text}.${key}`;
  if (param && !ts.isObjectBindingPattern(param.name)) throw new FixRefusal("init's parameter has an unexpected shape");
  const existing = param && (param.name as ts.ObjectBindingPattern).elements.find((e) => propertyNameText(e.propertyName ?? e.name) === key);
  if (existing) {
    if (!ts.isIdentifier(existing.name)) throw new FixRefusal(`the \`${key}\` dependency is destructured further`);
    return existing.name.text;
  }
  if (nameIsTaken(current, key)) throw new FixRefusal(`\`${key}\` is already declared in init`);
  if (!param) {
    const fn = wrap(sourceFile, current);
    if (!Node.isMethodDeclaration(fn) && !Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) throw new FixRefusal('init has an unexpected shape');
    fn.insertParameter(0, { name: `{ ${key} }` });
    return key;
  }
  const pattern = wrap(sourceFile, param.name);
  appendListItem(pattern, pattern.getChildrenOfKind(ts.SyntaxKind.BindingElement), key);
  return key;
}

/** The statement of init's body the policy goes after: `httpRouter.use(...)`, and the policies right after it. */
function anchorStatement(body: ts.Block, init: PluginInit, receiver: string): ts.Statement | undefined {
  const uses = httpRouterUses({ ...init, httpRouter: receiver });
  const last = uses[uses.length - 1];
  if (!last) return undefined;
  let index = body.statements.findIndex((s) => s.getStart() <= last.getStart() && last.getEnd() <= s.getEnd());
  if (index === -1) return undefined;
  while (index + 1 < body.statements.length && isPolicyStatement(body.statements[index + 1], receiver)) index++;
  return body.statements[index];
}

function isPolicyStatement(statement: ts.Statement, receiver: string): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const call = methodCall(statement.expression);
  return call?.method === 'addAuthPolicy' && skipParens(call.receiver).getText() === receiver;
}

const MAX_LINE = 80;

function policyStatement(sourceFile: SourceFile, receiver: string, policy: AuthPolicy, indent: number): string {
  const text = sourceFile.getFullText();
  const q = /\bfrom\s+"|\brequire\("/.test(text) && !/\bfrom\s+'|\brequire\('/.test(text) ? '"' : "'";
  const oneLine = `${receiver}.addAuthPolicy({ path: ${q}${policy.path}${q}, allow: ${q}${policy.allow}${q} });`;
  if (indent + oneLine.length <= MAX_LINE) return oneLine;
  const unit = indentUnit(text);
  const comma = /,\s*\n\s*[}\])]/.test(text) ? ',' : '';
  return [`${receiver}.addAuthPolicy({`, `${unit}path: ${q}${policy.path}${q},`, `${unit}allow: ${q}${policy.allow}${q}${comma}`, '});'].join('\n');
}
