import { Node, type SourceFile, ts } from 'ts-morph';
import { newLineOf, replaceVerbatim } from '../engine/morph';
import { FixRefusal, type Rule, type RuleFinding } from '../engine/types';
import { calleeName, methodCall, objectProperty, propertyNameText, propertyValue, referencesTo, walk } from './shared/ast';
import { guide } from './shared/docs';
import { appendListItem, lineIndent, removeListItem } from './shared/lists';
import { calledFunction, ProjectReader, projectReader } from './shared/project';
import { routerFacts, unreadRouter } from './shared/routerOptions';
import type { MigrationTarget } from '../engine/targets';
import { nameIsTaken } from './shared/scope';
import { coreServiceName, wrap } from './shared/services';

type LegacyDep = 'identity' | 'tokenManager';
/** What replaces the old services in deps, init and the createRouter call, in this order. */
type Provided = 'discovery' | 'auth' | 'httpAuth' | 'userInfo';
const PROVIDED_ORDER: readonly Provided[] = ['discovery', 'auth', 'httpAuth', 'userInfo'];

/**
 * `deps: { identity: coreServices.identity, tokenManager: coreServices.tokenManager }` in a
 * plugin or module -> `auth`/`httpAuth` (those the router needs), handed to createRouter instead.
 */
export const pluginDepsLegacyServices: Rule = {
  id: 'plugin-deps-legacy-services',
  title: 'Plugin deps: identity/tokenManager -> auth/httpAuth',
  severity: 'warning',
  docsUrl: guide.dependencies,
  explanation:
    'In the new backend system a plugin should depend on `coreServices.auth` and `coreServices.httpAuth` rather than the ' +
    'old `identity` and `tokenManager` services, and hand those to its router. The fix reads the router module to pass ' +
    'only what it uses (both, when it cannot be read), and adds `coreServices.discovery` when the router needs it for ' +
    '`createLegacyAuthAdapters`.',
  example: {
    fileName: 'plugin.ts',
    before: [
      "import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';",
      "import { createRouter } from './service/router';",
      '',
      'export const notesPlugin = createBackendPlugin({',
      "  pluginId: 'notes',",
      '  register(env) {',
      '    env.registerInit({',
      '      deps: { http: coreServices.httpRouter, identity: coreServices.identity },',
      '      async init({ http, identity }) {',
      '        http.use(await createRouter({ identity }));',
      '      },',
      '    });',
      '  },',
      '});',
      '',
    ].join('\n'),
    after: [
      "import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';",
      "import { createRouter } from './service/router';",
      '',
      'export const notesPlugin = createBackendPlugin({',
      "  pluginId: 'notes',",
      '  register(env) {',
      '    env.registerInit({',
      '      deps: { http: coreServices.httpRouter, discovery: coreServices.discovery, auth: coreServices.auth, httpAuth: coreServices.httpAuth },',
      '      async init({ http, discovery, auth, httpAuth }) {',
      '        http.use(await createRouter({ discovery, auth, httpAuth }));',
      '      },',
      '    });',
      '  },',
      '});',
      '',
    ].join('\n'),
  },
  triggers: ['coreServices.identity', 'coreServices.tokenManager'],

  detect(ctx) {
    const findings: RuleFinding[] = [];
    const module = { fileName: ctx.fileName, sourceFile: ctx.sourceFile };
    for (const registration of registrations(ctx.sourceFile)) {
      const first = registration.legacy[0].property;
      const last = registration.legacy[registration.legacy.length - 1].property;
      const plan = planMigration(registration, projectReader(ctx), module, ctx.target);
      const old = registration.legacy.map((l) => `\`${l.service}\``).join(' and ');
      const services = plan.ok ? plan.provided.filter((s) => s !== 'discovery') : [];
      const advice = !plan.ok
        ? 'move to the new auth services'
        : services.length
          ? `depend on ${services.map((s) => `\`${s}\``).join(' and ')} instead`
          : 'nothing here hands it on, so it can go';
      findings.push({
        range: { start: first.getStart(), end: last.getEnd() },
        message: `${old} ${registration.legacy.length > 1 ? 'are' : 'is'} the old auth system; ${advice}.`,
        ...(plan.ok
          ? { fixes: [{ id: 'use-new-auth-services', title: 'Depend on the new auth services', preferred: true }] }
          : { notFixableReason: plan.reason }),
      });
    }
    return findings;
  },

  fix({ sourceFile, fileName, host, target }, finding) {
    const registration = registrations(sourceFile.compilerNode).find((r) => r.legacy[0].property.getStart() === finding.range.start);
    if (!registration) throw new FixRefusal('the code changed; the deps are no longer there');
    const plan = planMigration(registration, new ProjectReader(host), { fileName, sourceFile: sourceFile.compilerNode }, target);
    if (!plan.ok) throw new FixRefusal(plan.reason);
    applyPlan(sourceFile, plan);
  },
};

// ---------------------------------------------------------------------------------------------
// Finding the registrations

interface Registration {
  deps: ts.ObjectLiteralExpression;
  init: ts.FunctionLikeDeclaration | undefined;
  legacy: { property: ts.ObjectLiteralElementLike; key: string; service: LegacyDep }[];
}

/** `env.registerInit({ deps, init })` inside createBackendPlugin/createBackendModule, with old services in deps. */
function registrations(file: ts.SourceFile): Registration[] {
  const found: Registration[] = [];
  walk(file, (node) => {
    const call = methodCall(node);
    if (!call || call.method !== 'registerInit' || !insideBackendFeature(call.call)) return;
    const options = call.call.arguments[0];
    if (!options || !ts.isObjectLiteralExpression(options)) return;
    const depsProperty = objectProperty(options, 'deps');
    const deps = depsProperty && propertyValue(depsProperty);
    if (!deps || !ts.isObjectLiteralExpression(deps)) return;
    const legacy = deps.properties.flatMap((property) => {
      const value = propertyValue(property);
      const service = value && coreServiceName(value);
      const key = property.name && propertyNameText(property.name);
      return key && (service === 'identity' || service === 'tokenManager') ? [{ property, key, service: service as LegacyDep }] : [];
    });
    if (legacy.length > 0) found.push({ deps, init: initFunction(options), legacy });
  });
  return found;
}

function insideBackendFeature(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isCallExpression(current)) {
      const name = calleeName(current);
      if (name === 'createBackendPlugin' || name === 'createBackendModule') return true;
    }
  }
  return false;
}

function initFunction(options: ts.ObjectLiteralExpression): ts.FunctionLikeDeclaration | undefined {
  const property = objectProperty(options, 'init');
  if (property && ts.isMethodDeclaration(property)) return property;
  const value = property && propertyValue(property);
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Planning: what goes, what comes, and whether it is safe

/** Edits to one comma-separated list: items (by key) to drop, and item texts to put in their place. */
interface ListEdit {
  container: ts.ObjectLiteralExpression | ts.ObjectBindingPattern;
  removeKeys: string[];
  insert: string[];
}

type Plan = { ok: true; provided: Provided[]; edits: ListEdit[] } | { ok: false; reason: string };

function planMigration(
  registration: Registration,
  reader: ProjectReader,
  module: { fileName: string; sourceFile: ts.SourceFile },
  target: MigrationTarget,
): Plan {
  const { deps, init, legacy } = registration;
  const legacyKeys = legacy.map((l) => l.key);
  const param = init?.parameters[0];
  if (param && !ts.isObjectBindingPattern(param.name)) {
    return { ok: false, reason: 'init takes its dependencies as one object; destructure them (`init({ logger, identity })`) and run the fix again.' };
  }
  const pattern = param?.name as ts.ObjectBindingPattern | undefined;
  if (pattern?.elements.some((e) => e.dotDotDotToken)) {
    return { ok: false, reason: 'init collects its dependencies with `...rest`, so it is unclear where the old services go; list them explicitly.' };
  }
  const elementKey = (e: ts.BindingElement) => propertyNameText(e.propertyName ?? e.name);
  const legacyElements = pattern?.elements.filter((e) => legacyKeys.includes(elementKey(e) ?? '')) ?? [];
  const legacyLocals: string[] = [];
  for (const element of legacyElements) {
    if (!ts.isIdentifier(element.name)) return { ok: false, reason: `the \`${elementKey(element)}\` dependency is destructured further; name it and run the fix again.` };
    legacyLocals.push(element.name.text);
  }

  // Every use of an old service in init must be handing it to the router.
  const routerArguments = new Set<ts.ObjectLiteralExpression>();
  const body = init?.body;
  for (const local of legacyLocals) {
    for (const use of body ? referencesTo(body, local) : []) {
      const argument = routerArgumentOf(use);
      if (!argument) {
        const called = ts.isPropertyAccessExpression(use.parent) && use.parent.expression === use && ts.isCallExpression(use.parent.parent);
        return {
          ok: false,
          reason: called
            ? `init still calls \`${snippetOf(use)}\` itself; migrate that call first (its own finding does), then run this fix again.`
            : `init hands \`${local}\` to more than the router (\`${snippetOf(use)}\`); move that code to the new auth services first, then run this fix again.`,
        };
      }
      routerArguments.add(argument);
    }
  }

  // What the routers need, read from their modules (the guide's default when unreadable).
  const needs = new Set<Provided>();
  for (const argument of routerArguments) {
    const callee = calleeName(argument.parent as ts.CallExpression) ?? '';
    const called = calledFunction(reader, module, callee);
    const read = called && 'fn' in called ? routerFacts(called.module, called.fn, reader, target) : undefined;
    const facts = read ?? unreadRouter(target);
    // Leaving out an option the router still requires would not compile.
    const required = read?.legacyOptions.find((o) => read.members.get(o) === false);
    if (required) {
      return {
        ok: false,
        reason:
          `\`${callee}\` still requires \`${required}\` in its options; migrate the router first (its router-auth-adapters ` +
          'finding and the calls that still use the old service), then run this fix again.',
      };
    }
    facts.services.forEach((s) => needs.add(s));
    if (facts.needsDiscovery && !objectProperty(argument, 'discovery')) needs.add('discovery');
  }
  const provided = PROVIDED_ORDER.filter((s) => needs.has(s));

  // Where each provided service comes from: an existing dep, or a new one under its own name.
  const locals = new Map<Provided, string>();
  const depsInsert: string[] = [];
  const patternInsert: string[] = [];
  for (const service of provided) {
    const existing = deps.properties.find((p) => {
      const value = propertyValue(p);
      return value && coreServiceName(value) === service;
    });
    const key = existing?.name ? propertyNameText(existing.name) : service;
    if (!key) return { ok: false, reason: `the \`${service}\` dependency has a computed key; give it a plain name.` };
    if (!existing) {
      if (objectProperty(deps, key)) return { ok: false, reason: `deps already use the key \`${key}\` for something else, so \`${service}\` cannot be added under that name.` };
      depsInsert.push(`${key}: coreServices.${service}`);
    }
    const element = pattern?.elements.find((e) => elementKey(e) === key);
    if (element) {
      if (!ts.isIdentifier(element.name)) return { ok: false, reason: `the \`${key}\` dependency is destructured further; name it and run the fix again.` };
      locals.set(service, element.name.text);
      continue;
    }
    if (init && nameIsTaken(init, key)) return { ok: false, reason: `\`${key}\` is already declared in init; rename it and run the fix again.` };
    if (!pattern && routerArguments.size > 0) return { ok: false, reason: 'init has no destructured parameter to add the new services to.' };
    patternInsert.push(key);
    locals.set(service, key);
  }

  const edits: ListEdit[] = [];
  for (const argument of routerArguments) {
    const removeKeys = argument.properties.flatMap((p) => {
      const value = propertyValue(p);
      const key = p.name && propertyNameText(p.name);
      return key && value && ts.isIdentifier(value) && legacyLocals.includes(value.text) ? [key] : [];
    });
    const insert = provided
      .filter((s) => !objectProperty(argument, s))
      .map((s) => (locals.get(s) === s ? s : `${s}: ${locals.get(s)}`));
    edits.push({ container: argument, removeKeys, insert });
  }
  // Only what the router is handed is needed in init; unused old deps are simply dropped.
  const inInit = routerArguments.size > 0;
  if (pattern) {
    edits.push({ container: pattern, removeKeys: legacyElements.map((e) => elementKey(e) ?? ''), insert: inInit ? patternInsert : [] });
  }
  edits.push({ container: deps, removeKeys: legacyKeys, insert: inInit ? depsInsert : [] });
  return { ok: true, provided: inInit ? provided : [], edits };
}

/** The object literal `{ ..., identity }` handed to a router factory call, when `use` is one of its values. */
function routerArgumentOf(use: ts.Identifier): ts.ObjectLiteralExpression | undefined {
  const property = use.parent;
  const isValue =
    (ts.isShorthandPropertyAssignment(property) && property.name === use) ||
    (ts.isPropertyAssignment(property) && property.initializer === use);
  if (!isValue) return undefined;
  const object = property.parent;
  if (!ts.isObjectLiteralExpression(object) || !ts.isCallExpression(object.parent)) return undefined;
  const call = object.parent;
  const name = calleeName(call);
  if (!ts.isIdentifier(call.expression) || !name?.endsWith('Router') || call.arguments[0] !== object) return undefined;
  return object;
}

/** The expression around a use, short: `tm.getToken()`, `new DigestJob({ tokenManager })`. */
function snippetOf(use: ts.Identifier): string {
  let node: ts.Node = use;
  for (;;) {
    const parent = node.parent;
    const callee = (ts.isPropertyAccessExpression(parent) || ts.isCallExpression(parent)) && parent.expression === node;
    const inObject = ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent) || ts.isObjectLiteralExpression(parent);
    if (callee || inObject) {
      node = parent;
      continue;
    }
    // An argument: show the call it goes to, and stop there.
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) node = parent;
    break;
  }
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Applying

function applyPlan(sourceFile: SourceFile, plan: { edits: ListEdit[] }): void {
  // Wrap every container before editing: each edit replaces only its own container, which
  // keeps the wrappers of the other (disjoint) containers valid.
  const targets = plan.edits.map((edit) => ({ edit, node: wrap(sourceFile, edit.container) }));
  for (const { edit, node } of targets) editList(sourceFile, node, edit);
}

function editList(sourceFile: SourceFile, container: Node, edit: ListEdit): void {
  let current = container;
  const keyOf = (item: Node) => {
    const compiler = item.compilerNode as ts.ObjectLiteralElementLike | ts.BindingElement;
    const name = ts.isBindingElement(compiler) ? compiler.propertyName ?? compiler.name : compiler.name;
    return name ? propertyNameText(name) : undefined;
  };
  const remaining = [...edit.removeKeys];
  if (edit.insert.length > 0) {
    const items = itemsOf(current);
    const index = remaining.length ? items.findIndex((i) => keyOf(i) === remaining[0]) : -1;
    if (index >= 0) {
      current = replaceItem(sourceFile, current, items, index, edit.insert);
      remaining.shift();
    } else {
      for (const text of edit.insert) current = appendListItem(current, itemsOf(current), text);
    }
  }
  for (const key of remaining) {
    const items = itemsOf(current);
    const index = items.findIndex((i) => keyOf(i) === key);
    if (index >= 0) current = removeListItem(current, items, index);
  }
}

function itemsOf(container: Node): Node[] {
  if (Node.isObjectLiteralExpression(container)) return container.getProperties();
  if (Node.isObjectBindingPattern(container)) return container.getElements();
  throw new FixRefusal('unexpected list shape');
}

/** Puts several items where item `index` was, separated the way the list separates its items. */
function replaceItem(sourceFile: SourceFile, container: Node, items: Node[], index: number, texts: string[]): Node {
  const full = sourceFile.getFullText();
  const item = items[index];
  const lineStart = full.lastIndexOf('\n', item.getStart() - 1) + 1;
  const ownLine = /^[ \t]*$/.test(full.slice(lineStart, item.getStart()));
  const separator = ownLine ? `,${newLineOf(sourceFile)}${lineIndent(full, item.getStart())}` : ', ';
  const base = container.getStart();
  const text = container.getText();
  return replaceVerbatim(
    container,
    text.slice(0, item.getStart() - base) + texts.join(separator) + text.slice(item.getEnd() - base),
  );
}
