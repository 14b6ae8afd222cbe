// router-auth-adapters under the new-backend-only target: backend-plugin-api 1.x has no identity or
// token manager, and backend-common (with createLegacyAuthAdapters) is deprecated, so a router
// takes `auth`/`httpAuth` (/`userInfo`) as required options and reads them directly:
// - a router that still takes the old services gets the new ones as options;
// - a router that bridges with createLegacyAuthAdapters (migrated for the guide's shape) reads
//   the same services from its options instead;
// - old options nothing reads any more are dropped, with their imports.
import { Node, type SourceFile, ts } from 'ts-morph';
import { FixRefusal, type FixOption, type RuleFinding } from '../../engine/types';
import { calleeName, propertyNameText, rangeOf, referencesTo, skipParens } from './ast';
import { removeImportIfUnused } from './imports';
import { droppableOptions, dropLegacyOptions, LEGACY_IMPORTS } from './legacyOptionsSettle';
import type { FunctionLike } from './project';
import type { RouterFacts } from './routerOptions';
import { nameIsTaken } from './scope';
import { adaptersDeclaration, NEW_SERVICE_TYPES, planServiceAccess, provideService, requireOption, wrap, type NewService } from './services';

export const TAKE_SERVICES = 'take-new-services';
export const READ_FROM_OPTIONS = 'read-services-from-options';
export const DROP_OLD_OPTIONS = 'drop-old-options';

const GONE = '@backstage/backend-plugin-api 1.x has no identity or tokenManager service';

export function newBackendFindings(name: ts.Identifier, facts: RouterFacts): RuleFinding[] {
  const data = { router: name.text };
  const elsewhere = facts.declaration.kind === 'elsewhere' ? facts.declaration : undefined;
  const where = elsewhere && `\`${elsewhere.typeName}\` is declared ${elsewhere.from ? `in \`${elsewhere.from}\`` : 'outside this file'}, and this fix only edits the router's own file`;

  if (facts.hasAdapters) {
    const message = `\`${name.text}\` bridges through \`createLegacyAuthAdapters\`, which is deprecated; ${GONE} to bridge, so take the new services as options.`;
    const blocker = where ? `${where}; make its new services required there and read them from the options by hand.` : adaptersBlocker(facts.fn);
    return [finding(name, message, blocker, { id: READ_FROM_OPTIONS, title: 'Read auth/httpAuth from the router options', preferred: true }, data)];
  }

  const unwired = facts.services.filter((s) => !isWired(facts, s));
  if (facts.legacyOptions.length > 0 && unwired.length > 0) {
    const message = `\`${name.text}\` takes ${listOf(facts.legacyOptions)}, but ${GONE}; take ${listOf(unwired)} as options instead.`;
    const members = unwired.map((s) => `\`${s}: ${NEW_SERVICE_TYPES[s]}\``);
    const blocker = where ? `${where}; add ${members.join(' and ')} to it by hand.` : wiringBlocker(facts.fn, unwired);
    return [finding(name, message, blocker, { id: TAKE_SERVICES, title: `Take ${unwired.join(', ')} as router options`, preferred: true }, data)];
  }

  const droppable = droppableOptions(facts.fn);
  if (droppable.length === 0) return [];
  const message = `\`${name.text}\` no longer uses ${listOf(droppable)}, and ${GONE}; drop ${droppable.length > 1 ? 'them' : 'it'} from the options.`;
  const blocker = where ? `${where}; remove ${listOf(droppable)} there.` : undefined;
  return [finding(name, message, blocker, { id: DROP_OLD_OPTIONS, title: `Drop ${droppable.join(', ')} from the router options`, preferred: true }, data)];
}

function finding(name: ts.Identifier, message: string, blocker: string | undefined, fix: FixOption, data: Record<string, string>): RuleFinding {
  return { range: rangeOf(name), message, data, ...(blocker ? { notFixableReason: blocker } : { fixes: [fix] }) };
}

/** Declared as a required option (when typed) and readable in the router body. */
function isWired(facts: RouterFacts, service: NewService): boolean {
  if (facts.declaration.kind !== 'untyped' && facts.members.get(service) !== false) return false;
  const body = facts.fn.body;
  if (!body || !ts.isBlock(body)) return false;
  const last = body.statements[body.statements.length - 1] ?? body;
  return planServiceAccess(last, service).kind === 'bound';
}

function wiringBlocker(fn: FunctionLike, services: NewService[]): string | undefined {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return 'the router has no block body to read the new services in; give it one and run the fix again.';
  const taken = services.find((s) => nameIsTaken(body, s) && planServiceAccess(body.statements[body.statements.length - 1] ?? body, s).kind !== 'bound');
  if (taken) return `\`${taken}\` is already declared inside the router; rename it, then run the fix again.`;
  for (const service of services) {
    const plan = planServiceAccess(body, service);
    if (plan.kind === 'none') return plan.reason;
  }
  return undefined;
}

function adaptersBlocker(fn: FunctionLike): string | undefined {
  const param = fn.parameters[0];
  if (!param || !ts.isIdentifier(param.name)) return 'the router destructures its options in the parameter; name them (`options`) and run the fix again.';
  const body = fn.body;
  const adapters = body && ts.isBlock(body) ? adaptersDeclaration(body) : undefined;
  if (!adapters || !ts.isObjectBindingPattern(adapters.name)) {
    return 'the `createLegacyAuthAdapters` result is not destructured at the top of the router (`const { auth } = createLegacyAuthAdapters(options)`); rewrite it by hand.';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

export function takeServices(sourceFile: SourceFile, routerBody: () => Node, facts: RouterFacts): void {
  for (const service of facts.services.filter((s) => !isWired(facts, s))) provideService(sourceFile, routerBody(), service);
}

/** `const { auth, httpAuth } = createLegacyAuthAdapters(...)` -> `= options`, members required, old options dropped. */
export function readFromOptions(sourceFile: SourceFile, fn: Node, optionsType: Node | undefined): void {
  const fnNode = fn.compilerNode as FunctionLike;
  const param = fnNode.parameters[0];
  const body = fnNode.body;
  const adapters = body && ts.isBlock(body) ? adaptersDeclaration(body) : undefined;
  if (!param || !ts.isIdentifier(param.name) || !adapters || !ts.isObjectBindingPattern(adapters.name) || !adapters.initializer) {
    throw new FixRefusal('the router no longer has the expected createLegacyAuthAdapters call');
  }
  const call = skipParens(adapters.initializer);
  if (!ts.isCallExpression(call) || calleeName(call) !== 'createLegacyAuthAdapters') throw new FixRefusal('unexpected adapters call');
  const services = adapters.name.elements
    .map((e) => propertyNameText(e.propertyName ?? e.name))
    .filter((s): s is NewService => s === 'auth' || s === 'httpAuth' || s === 'userInfo');
  const optionsName = param.name.text;
  const handedOver = handedToAdapters(call);
  wrap(sourceFile, call).replaceWithText(optionsName);
  if (optionsType && !optionsType.wasForgotten()) for (const service of services) requireOption(sourceFile, optionsType, service);
  removeImportIfUnused(sourceFile, 'createLegacyAuthAdapters');
  // A default client built only for the bridge (`{ ...options, identity }`) is dead code now.
  for (const local of handedOver) removeDeadLocal(sourceFile, fn, local);
  dropLegacyOptions(sourceFile, fn);
  for (const name of LEGACY_IMPORTS) removeImportIfUnused(sourceFile, name);
}

/** Locals the adapters call was handed besides the options: `{ ...options, identity: client }` -> ['client']. */
function handedToAdapters(call: ts.CallExpression): string[] {
  const [argument] = call.arguments;
  if (!argument || !ts.isObjectLiteralExpression(argument)) return [];
  return argument.properties.flatMap((p) => {
    const value = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? skipParens(p.initializer) : undefined;
    return value && ts.isIdentifier(value) ? [value.text] : [];
  });
}

/** Removes `const <name> = ...;` at the top level of the router when nothing reads `name`. */
function removeDeadLocal(sourceFile: SourceFile, fn: Node, name: string): void {
  const body = (fn.compilerNode as FunctionLike).body;
  if (!body || !ts.isBlock(body) || referencesTo(body, name).length > 0) return;
  const statement = body.statements.find(
    (st): st is ts.VariableStatement =>
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.length === 1 &&
      ts.isIdentifier(st.declarationList.declarations[0].name) &&
      st.declarationList.declarations[0].name.text === name,
  );
  if (statement) wrap(sourceFile, statement).asKindOrThrow(ts.SyntaxKind.VariableStatement).remove();
}

function listOf(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
