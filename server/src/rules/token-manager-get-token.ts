import { type Node, type SourceFile, ts } from 'ts-morph';
import { newLineOf, nodeAtStart, replaceVerbatim } from '../engine/morph';
import { FixRefusal, type FixOption, type Rule, type RuleFinding } from '../engine/types';
import { isFunctionLike, rangeOf, skipParens, typeReferenceName } from './shared/ast';
import { inAsyncFunction } from './shared/credentials';
import { guide } from './shared/docs';
import { lineIndent } from './shared/lists';
import { aliasStatement, removeUnusedAlias } from './shared/legacyAlias';
import { ensureServiceInScope } from './shared/serviceInScope';
import { legacyCalls, provideService, serviceReachability, wrap } from './shared/services';
import { originOf } from './shared/permissionsToken';
import { discoveredPluginIds, tokenTargets } from './shared/tokenTarget';

const OPTION_PREFIX = 'target:';

/**
 * `tokenManager.getToken()` issued one token that every plugin accepted. Its replacement,
 * `auth.getPluginRequestToken`, issues a token for one named target plugin, which is read off
 * how the token is used (see `shared/tokenTarget.ts`).
 */
export const tokenManagerGetToken: Rule = {
  id: 'token-manager-get-token',
  title: 'tokenManager.getToken() -> auth.getPluginRequestToken()',
  severity: 'warning',
  docsUrl: guide.serviceToService,
  explanation:
    'The token manager hands out one service token that every plugin accepts. The `auth` service instead issues a token ' +
    'for a single target plugin, on behalf of given credentials: `getOwnServiceCredentials()` for calls the plugin makes ' +
    'on its own (scheduled jobs, startup). The target is inferred from where the token goes: a catalog client means ' +
    "`'catalog'`, a request to `discovery.getBaseUrl('<id>')` means `'<id>'`. A token sent to several plugins needs one " +
    'token per plugin.',
  example: {
    before: [
      'async function loadGroups({ auth, catalog, tokenManager }: SyncDeps) {',
      '  const { token } = await tokenManager.getToken();',
      "  return catalog.getEntities({ filter: { kind: 'Group' } }, { token });",
      '}',
      '',
    ].join('\n'),
    after: [
      'async function loadGroups({ auth, catalog, tokenManager }: SyncDeps) {',
      '  const { token } = await auth.getPluginRequestToken({',
      '    onBehalfOf: await auth.getOwnServiceCredentials(),',
      "    targetPluginId: 'catalog'",
      '  });',
      "  return catalog.getEntities({ filter: { kind: 'Group' } }, { token });",
      '}',
      '',
    ].join('\n'),
  },
  triggers: ['getToken'],

  detect(ctx) {
    return legacyCalls(ctx.sourceFile, 'tokenManager', ['getToken']).flatMap(({ call, receiver }) =>
      describeCall(ctx.sourceFile, call, receiver),
    );
  },

  fix({ sourceFile }, finding, optionId) {
    if (!optionId.startsWith(OPTION_PREFIX)) throw new FixRefusal(`unknown option ${optionId}`);
    const target = optionId.slice(OPTION_PREFIX.length);
    const call = nodeAtStart(sourceFile, finding.range.start, ts.SyntaxKind.CallExpression, finding.range.end);
    if (!call) throw new FixRefusal('the code changed; the call is no longer there');
    const alias = aliasStatement(call.compilerNode as ts.CallExpression, 'tokenManager');
    const aliasWrapper = alias && wrap(sourceFile, alias);

    const member = classAuthMember(call.compilerNode);
    const auth = member ? `this.${member}` : provideService(sourceFile, call, 'auth');
    ensureServiceInScope(call.compilerNode, auth, 'auth', 'call');
    replaceVerbatim(call, requestTokenText(sourceFile, call, auth, target));

    if (aliasWrapper && !aliasWrapper.wasForgotten()) removeUnusedAlias(sourceFile, aliasWrapper.compilerNode as ts.VariableStatement);
  },
};

function describeCall(file: ts.SourceFile, call: ts.CallExpression, receiver: ts.Expression): RuleFinding[] {
  const { targets, unknown, permissionChecks } = tokenTargets(call);
  if (onlyForPermissions(targets, unknown, permissionChecks)) return [];
  return [findingFor(file, call, receiver, targets, unknown)];
}

/**
 * A token only handed to `permissions.authorize(..., { token })` is not sent to any plugin: the
 * permissions-token-option rule replaces it with the plugin's own service credentials (and drops
 * the `getToken()` call), so no target must be guessed here.
 */
function onlyForPermissions(targets: string[], unknown: boolean, permissionChecks: ts.Expression[]): boolean {
  return targets.length === 0 && !unknown && permissionChecks.every((value) => originOf(value).kind === 'service');
}

function findingFor(file: ts.SourceFile, call: ts.CallExpression, receiver: ts.Expression, targets: string[], unknown: boolean): RuleFinding {
  const name = `${receiver.getText()}.getToken()`;
  const range = rangeOf(call);
  const message = `\`${name}\` issues a token every plugin accepts; issue one for the target plugin with \`auth.getPluginRequestToken\`.`;
  const unreachable = classAuthMember(call)
    ? undefined
    : (classMemberReason(call, receiver, targets, unknown) ?? serviceReachability(call, 'auth'));
  if (unreachable) return { range, message, notFixableReason: unreachable };

  if (targets.length > 1) {
    return {
      range,
      message,
      notFixableReason:
        `this token is sent to several plugins (${targets.map(quoted).join(', ')}), and a token from ` +
        '`auth.getPluginRequestToken` is only valid for one: issue a separate token for each target plugin where it is used',
    };
  }
  if (targets.length === 1 && !unknown) {
    return { range, message, fixes: [option(targets[0], true)] };
  }
  const candidates = [...new Set([...targets, ...discoveredPluginIds(file), 'catalog'])];
  return {
    range,
    message: `${message} Which plugin the token is for could not be told from its use; pick the target.`,
    fixes: candidates.map((id) => option(id, false)),
  };
}

/**
 * Inside a class, `auth` is only reachable as a member the class already has (a property or
 * constructor parameter typed `AuthService`): its name, or undefined.
 */
function classAuthMember(call: ts.Node): string | undefined {
  let cls: ts.Node | undefined = call.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls) || !inMethodOf(call, cls)) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && typeReferenceName(member.type) === 'AuthService' && ts.isIdentifier(member.name)) {
      return member.name.text;
    }
    if (ts.isConstructorDeclaration(member)) {
      const param = member.parameters.find(
        (p) => ts.getCombinedModifierFlags(p) & ts.ModifierFlags.ParameterPropertyModifier && typeReferenceName(p.type) === 'AuthService',
      );
      if (param && ts.isIdentifier(param.name)) return param.name.text;
    }
  }
  return undefined;
}

/** True when `node` sits in a method/accessor/constructor of `cls` itself, where `this` is the instance. */
function inMethodOf(node: ts.Node, cls: ts.ClassLikeDeclaration): boolean {
  for (let current = node.parent; current && current !== cls; current = current.parent) {
    if (isFunctionLike(current) && !ts.isArrowFunction(current)) return current.parent === cls;
  }
  return false;
}

/** Why a `this.x.getToken()` call in a class without an `AuthService` member cannot be fixed. */
function classMemberReason(call: ts.CallExpression, receiver: ts.Expression, targets: string[], unknown: boolean): string | undefined {
  const access = skipParens(receiver);
  if (!ts.isPropertyAccessExpression(access) || access.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let cls: ts.Node | undefined = call.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  const className = cls && ts.isClassLike(cls) && cls.name ? `\`${cls.name.text}\`` : 'the class';
  const target = targets.length === 1 && !unknown ? quoted(targets[0]) : "'<plugin-id>'";
  return (
    `${className} has no \`AuthService\` member to issue the token with: add one (e.g. a constructor parameter ` +
    `\`private readonly auth: AuthService\`, passed in where the class is created), then run the fix again; it will use ` +
    `\`this.auth.getPluginRequestToken({ onBehalfOf: await this.auth.getOwnServiceCredentials(), targetPluginId: ${target} })\``
  );
}

function option(pluginId: string, preferred: boolean): FixOption {
  return { id: `${OPTION_PREFIX}${pluginId}`, title: `Issue a token for the ${quoted(pluginId)} plugin`, preferred };
}

function quoted(pluginId: string): string {
  return `'${pluginId}'`;
}

/** The replacement of the call: same `Promise<{ token: string }>`, scoped to one plugin. */
function requestTokenText(sourceFile: SourceFile, call: Node, auth: string, target: string): string {
  const settings = sourceFile.getProject().manipulationSettings;
  const q = settings.getQuoteKind() as string;
  const comma = settings.getUseTrailingCommas() ? ',' : '';
  const nl = newLineOf(sourceFile);
  const full = sourceFile.getFullText();
  const indent = lineIndent(full, call.getStart());
  const unit = settings.getIndentationText() as string;
  const targetId = `${q}${target}${q}`;
  if (inAsyncFunction(call.compilerNode)) {
    return [
      `${auth}.getPluginRequestToken({`,
      `${indent}${unit}onBehalfOf: await ${auth}.getOwnServiceCredentials(),`,
      `${indent}${unit}targetPluginId: ${targetId}${comma}`,
      `${indent}})`,
    ].join(nl);
  }
  // No `await` here: chain instead, which keeps the function's (promise) result the same.
  return [
    `${auth}.getOwnServiceCredentials().then((onBehalfOf) =>`,
    `${indent}${unit}${auth}.getPluginRequestToken({ onBehalfOf, targetPluginId: ${targetId} })${comma}`,
    `${indent})`,
  ].join(nl);
}
