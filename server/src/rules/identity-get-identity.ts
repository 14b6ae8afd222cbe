import { type Node, type SourceFile, SyntaxKind, ts } from 'ts-morph';
import type { MigrationTarget } from '../engine/targets';
import { FixRefusal, type FixOption, type Rule, type RuleFinding } from '../engine/types';
import { replaceVerbatim } from '../engine/morph';
import { calleeName, findAll, objectProperty, propertyValue, rangeOf, referencesTo } from './shared/ast';
import { guide } from './shared/docs';
import { analyzeGetIdentity, defaultIdentityLocal, enclosingFunction, type IdentityPlan, type UserEdit } from './shared/identity';
import { findBinding } from './shared/scope';
import { BACKEND_COMMON, ensureImport, removeImportIfUnused } from './shared/imports';
import { legacyCalls, planServiceAccess, provideService, serviceReachability, wrap, type NewService } from './shared/services';
import { spliceStatements, statementContainer } from './shared/statementEdits';

/**
 * `identity.getIdentity({ request })` -> `httpAuth.credentials(req, { allow })`, with every read
 * of the old identity object moved to the credentials (or to userInfo / a plugin request token).
 */
export const identityGetIdentity: Rule = {
  id: 'identity-get-identity',
  title: 'identity.getIdentity -> httpAuth.credentials',
  severity: 'warning',
  docsUrl: guide.userIdentity,
  explanation:
    'The identity service is replaced by `httpAuth.credentials(req, { allow })`. ' +
    "With `allow: ['user']` the call itself rejects requests without a signed-in user (401 through the error handler), so the " +
    '`if (!user)` check goes away. Code that also serves anonymous callers asks for `[\'user\', \'service\', \'none\']` and ' +
    'checks the principal type. Ownership refs now come from the `userInfo` service, and a forwarded user token becomes a ' +
    'token issued on behalf of the credentials for the target plugin.',
  example: {
    before: [
      'export function addRoutes(router: Router, { identity, httpAuth }: RouterOptions) {',
      "  router.get('/me', async (req, res) => {",
      '    const user = await identity.getIdentity({ request: req });',
      '    if (!user) throw new AuthenticationError();',
      '    res.json({ ref: user.identity.userEntityRef });',
      '  });',
      '}',
      '',
    ].join('\n'),
    after: [
      'export function addRoutes(router: Router, { identity, httpAuth }: RouterOptions) {',
      "  router.get('/me', async (req, res) => {",
      "    const credentials = await httpAuth.credentials(req, { allow: ['user'] });",
      '    res.json({ ref: credentials.principal.userEntityRef });',
      '  });',
      '}',
      '',
    ].join('\n'),
  },
  triggers: ['getIdentity'],

  detect(ctx) {
    return legacyCalls(ctx.sourceFile, 'identity', ['getIdentity']).map(({ call, receiver }) => findingFor(call, receiver, ctx.target));
  },

  fix({ sourceFile, target }, finding, optionId) {
    const call = findAll(sourceFile.compilerNode, ts.isCallExpression).find(
      (c) => c.getStart() === finding.range.start && c.getEnd() === finding.range.end,
    );
    if (!call || !ts.isPropertyAccessExpression(call.expression)) throw new FixRefusal('the getIdentity call moved');
    const analysis = analyzeGetIdentity(call);
    if (!analysis.ok) throw new FixRefusal(analysis.reason);
    const bridge = identityBridge(call.expression.expression, analysis.plan.statement, target);
    if (bridge.reason) throw new FixRefusal(bridge.reason);
    const chosen = optionId.startsWith('target:') ? optionId.slice('target:'.length) : undefined;
    rewrite(sourceFile, analysis.plan, bridge, chosen);
  },
};

function findingFor(call: ts.CallExpression, receiver: ts.Expression, target: MigrationTarget): RuleFinding {
  const range = rangeOf(call);
  const analysis = analyzeGetIdentity(call);
  if (!analysis.ok) {
    return { range, message: '`getIdentity` is replaced by `httpAuth.credentials(req)` in the new auth services.', notFixableReason: analysis.reason };
  }
  const message = analysis.plan.mode === 'optional'
    ? "`getIdentity` is replaced by `httpAuth.credentials(req, { allow: ['user', 'service', 'none'] })` and a principal type check."
    : "`getIdentity` is replaced by `httpAuth.credentials(req, { allow: ['user'] })`.";
  const { plan } = analysis;
  const outside = outsideHandler(plan.statement);
  if (outside) return { range, message, notFixableReason: outside };
  for (const service of plan.services) {
    const unreachable = serviceReachability(plan.statement, service);
    if (unreachable) return { range, message, notFixableReason: unreachable };
  }
  const bridge = identityBridge(receiver, plan.statement, target);
  if (bridge.reason) return { range, message, notFixableReason: bridge.reason };
  return { range, message, fixes: fixOptions(plan) };
}

/** Why a call in a helper (no router options, no plugin init around it) cannot be rewritten here. */
function outsideHandler(at: ts.Node): string | undefined {
  if (planServiceAccess(at, 'httpAuth').kind !== 'none' || findBinding(at, 'httpAuth')) return undefined;
  const fn = enclosingFunction(at);
  const owner = fn && ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent) && fn.parent.name ? `${fn.parent.name.text}.` : '';
  const name = fn && 'name' in fn && fn.name && ts.isIdentifier(fn.name) ? ` in \`${owner}${fn.name.text}\`` : '';
  return `\`getIdentity\` is called${name}, outside the router or plugin that could provide \`httpAuth\`; ` +
    'have the caller pass in the credentials (`httpAuth.credentials(req)`) or the `httpAuth` service, then run the fix again';
}

function fixOptions(plan: IdentityPlan): FixOption[] {
  if (plan.tokenCandidates.length === 0) {
    return [{ id: 'use-credentials', title: 'Use httpAuth.credentials', preferred: true }];
  }
  // The forwarded token needs a target plugin and the code does not say which: the user picks.
  return plan.tokenCandidates.map((target) => ({
    id: `target:${target}`,
    title: `Use httpAuth.credentials (issue the forwarded token for plugin '${target}')`,
    preferred: false,
  }));
}

interface Bridge {
  /** `const identity = DefaultIdentityClient.create(...)` at the top of the router. */
  local?: ts.VariableStatement;
  optionsName?: string;
  /** new-backend-only: the router's own client, removed once the rewrite leaves it unread. */
  retired?: ts.VariableStatement;
  reason?: string;
}

/**
 * A router that builds its own `DefaultIdentityClient` (say, with an `issuer`) must hand it to
 * `createLegacyAuthAdapters`; otherwise the old backend system would fall back to a default
 * client without those settings. The new backend system verifies tokens itself (there is no
 * old system to bridge to under new-backend-only), so there the client only goes away.
 */
function identityBridge(receiver: ts.Expression, at: ts.Node, target: MigrationTarget): Bridge {
  const local = defaultIdentityLocal(receiver);
  if (!local) return {};
  if (target === 'new-backend-only') return { retired: local };
  const plan = planServiceAccess(at, 'httpAuth');
  if (plan.kind !== 'router') return {};
  const localName = local.declarationList.declarations[0].name.getText();
  const body = (plan.fn as ts.FunctionLikeDeclaration).body;
  const adapters = body && findAll(body, ts.isCallExpression).find((c) => calleeName(c) === 'createLegacyAuthAdapters');
  const reason = `the router builds its own identity client \`${localName}\`, which must be passed to \`createLegacyAuthAdapters({ ...options, identity: ${localName} })\` so the old backend system keeps using it; add that call, then run the fix again`;
  if (adapters) return passesIdentity(adapters, localName) ? {} : { reason };
  const param = plan.fn.parameters[0];
  if (!body || local.parent !== body || !param || !ts.isIdentifier(param.name)) return { reason };
  return { local, optionsName: param.name.text };
}

function passesIdentity(adapters: ts.CallExpression, localName: string): boolean {
  const [arg] = adapters.arguments;
  const property = arg && ts.isObjectLiteralExpression(arg) ? objectProperty(arg, 'identity') : undefined;
  const value = property && propertyValue(property);
  return !!value && ts.isIdentifier(value) && value.text === localName;
}

function rewrite(sourceFile: SourceFile, plan: IdentityPlan, bridge: Bridge, chosenTarget: string | undefined): void {
  const quote = sourceFile.getProject().manipulationSettings.getQuoteKind().toString();
  const str = (text: string) => `${quote}${text}${quote}`;
  const cred = plan.credentialsName;
  const requestText = plan.request.getText();
  const deniedWith = plan.guard && thrownClass(plan.guard);
  // Hold wrappers: providing services edits the tree elsewhere, and these must survive it.
  const statement = wrap(sourceFile, plan.statement);
  const declaration = wrap(sourceFile, plan.declaration).asKindOrThrow(SyntaxKind.VariableDeclaration);
  const guard = plan.guard && wrap(sourceFile, plan.guard).asKindOrThrow(SyntaxKind.IfStatement);
  const edits = plan.edits.map((edit) => ({ edit, node: wrap(sourceFile, edit.node) })).reverse();
  const hoist = plan.ownershipHoist && { anchor: wrap(sourceFile, plan.ownershipHoist.anchor), at: plan.ownershipHoist.at };
  const retired = bridge.retired && wrap(sourceFile, bridge.retired);

  if (bridge.local && bridge.optionsName) addAdaptersWithIdentity(sourceFile, wrap(sourceFile, bridge.local), bridge.optionsName);
  const services: Partial<Record<NewService, string>> = {};
  for (const service of plan.services) services[service] = provideService(sourceFile, statement, service);

  const textOf = (edit: UserEdit): string => {
    switch (edit.kind) {
      case 'entityRef':
        return `${cred}.principal.userEntityRef`;
      case 'entityRefOrElse': {
        const text = `${cred}.principal.type === ${str('user')} ? ${cred}.principal.userEntityRef : ${edit.fallback ?? 'undefined'}`;
        return edit.parens ? `(${text})` : text;
      }
      case 'ownership':
        return edit.hoisted ? 'ownershipEntityRefs' : `(await ${services.userInfo}.getUserInfo(${cred})).ownershipEntityRefs`;
      case 'token': {
        const target = edit.target ?? chosenTarget;
        if (!target) throw new FixRefusal('choose the plugin the forwarded token is for');
        return `(await ${services.auth}.getPluginRequestToken({ onBehalfOf: ${cred}, targetPluginId: ${str(target)} })).token`;
      }
      case 'permissionsOption':
        return cred === 'credentials' ? cred : `credentials: ${cred}`;
      case 'presence':
        if (edit.viaAuth) return `${edit.present ? '' : '!'}${services.auth}.isPrincipal(${cred}, ${str('user')})`;
        return `${cred}.principal.type ${edit.present ? '===' : '!=='} ${str('user')}`;
    }
  };
  for (const { edit, node } of edits) replaceVerbatim(node, textOf(edit));

  guard?.remove();
  if (hoist) {
    const text = `const { ownershipEntityRefs } = await ${services.userInfo}.getUserInfo(${cred});`;
    insertStatement(hoist.anchor, hoist.at, text);
  }

  if (plan.reusesExisting) {
    spliceStatements(sourceFile, statement.compilerNode as ts.Statement, '');
  } else {
    declaration.getNameNode().replaceWithText(cred);
    if (declaration.getTypeNode()) declaration.removeType();
    const allow = plan.mode === 'user' ? [str('user')] : [str('user'), str('service'), str('none')];
    declaration.getInitializerOrThrow().replaceWithText(`await ${services.httpAuth}.credentials(${requestText}, { allow: [${allow.join(', ')}] })`);
  }

  // Last: removing a statement rebuilds its block, which invalidates the wrappers inside it.
  if (retired) removeUnreadClient(sourceFile, retired.compilerNode as ts.VariableStatement);
  if (deniedWith) removeImportIfUnused(sourceFile, deniedWith);
  removeImportIfUnused(sourceFile, 'BackstageIdentityResponse');
  removeImportIfUnused(sourceFile, 'IdentityApi');
  if (retired) for (const name of CLIENT_IMPORTS) removeImportIfUnused(sourceFile, name);
}

/** What a router's own identity client (`const identity: IdentityService = DefaultIdentityClient.create(...)`) imports. */
const CLIENT_IMPORTS = ['IdentityService', 'DefaultIdentityClient'];

/** The identity client's statement, when nothing reads the client any more (other handlers may still). */
function removeUnreadClient(sourceFile: SourceFile, local: ts.VariableStatement): void {
  const name = local.declarationList.declarations[0].name;
  const container = statementContainer(local);
  if (!container || !ts.isIdentifier(name) || referencesTo(container, name.text).length > 0) return;
  spliceStatements(sourceFile, local, '');
}

/** `throw new AuthenticationError()` -> 'AuthenticationError'. */
function thrownClass(guard: ts.IfStatement): string | undefined {
  const thrown = findAll(guard, ts.isThrowStatement)[0]?.expression;
  return thrown && ts.isNewExpression(thrown) && ts.isIdentifier(thrown.expression) ? thrown.expression.text : undefined;
}

function insertStatement(anchor: Node, at: 'after' | 'start', text: string): void {
  if (at === 'start') {
    anchor.asKindOrThrow(SyntaxKind.Block).insertStatements(0, text);
    return;
  }
  const block = anchor.getParentOrThrow();
  if (!block.isKind(SyntaxKind.Block)) throw new FixRefusal('unexpected place for the ownership refs');
  block.insertStatements(anchor.getChildIndex() + 1, text);
}

/**
 * `createLegacyAuthAdapters({ ...options, identity })` right after the local client. The pattern
 * starts empty: `provideService` then adds each service to it and declares it in the options type.
 */
function addAdaptersWithIdentity(sourceFile: SourceFile, local: Node, optionsName: string): void {
  const name = local.asKindOrThrow(SyntaxKind.VariableStatement).getDeclarations()[0].getName();
  const identity = name === 'identity' ? 'identity' : `identity: ${name}`;
  const block = local.getParentOrThrow().asKindOrThrow(SyntaxKind.Block);
  block.insertStatements(local.getChildIndex() + 1, `const {} = createLegacyAuthAdapters({ ...${optionsName}, ${identity} });`);
  ensureImport(sourceFile, BACKEND_COMMON, 'createLegacyAuthAdapters');
}
