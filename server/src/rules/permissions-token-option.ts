import { type SourceFile, ts } from 'ts-morph';
import { FixRefusal, type FixOption, type Rule, type RuleFinding } from '../engine/types';
import { replaceVerbatim } from '../engine/morph';
import { findAll, isFunctionLike, isReference, rangeOf, typeReferenceName } from './shared/ast';
import { inAsyncFunction, planCredentials, provideCredentials } from './shared/credentials';
import { guide } from './shared/docs';
import { originOf, tokenOptions, type Origin, type TokenOption } from './shared/permissionsToken';
import { isWithin } from './shared/references';
import { findBinding } from './shared/scope';
import { planServiceAccess, provideService, wrap } from './shared/services';

/**
 * `permissions.authorize(requests, { token })`: the token option is deprecated (and gone in
 * backend-plugin-api 0.7). Tokens from a bearer header belong to `bearer-token-forwarding` and
 * `user.token` to `identity-get-identity`; this rule takes the rest.
 */
export const permissionsTokenOption: Rule = {
  id: 'permissions-token-option',
  title: 'permissions.authorize({ token }) -> { credentials }',
  severity: 'warning',
  docsUrl: guide.forwarding,
  explanation:
    'The permissions service takes the credentials of whoever is asking, not a raw token. A token issued with ' +
    '`auth.getPluginRequestToken({ onBehalfOf })` becomes those `onBehalfOf` credentials, the plugin\'s own service token ' +
    'becomes `await auth.getOwnServiceCredentials()`, and a token of unknown origin can become the request\'s ' +
    '`httpAuth.credentials(req)` once you confirm it was the caller\'s. The permissions dependency must be a `PermissionsService`.',
  example: {
    before: [
      'export async function nightlyReport({ auth, permissions, tokenManager }: ReportOptions) {',
      '  const { token } = await tokenManager.getToken();',
      '  return permissions.authorize([{ permission: costReportReadPermission }], { token });',
      '}',
      '',
    ].join('\n'),
    after: [
      'export async function nightlyReport({ auth, permissions, tokenManager }: ReportOptions) {',
      '  return permissions.authorize([{ permission: costReportReadPermission }], { credentials: await auth.getOwnServiceCredentials() });',
      '}',
      '',
    ].join('\n'),
  },
  triggers: ['authorize'],

  detect(ctx) {
    return tokenOptions(ctx.sourceFile).flatMap(({ call, property, value }): RuleFinding[] => {
      const origin = originOf(value, 0);
      if (origin.kind === 'owned') return [];
      const plan = planFix(call, origin, value);
      const finding: RuleFinding = {
        range: rangeOf(property),
        message: 'Permission checks take `{ credentials }`; the `token` option is deprecated.',
      };
      return [{ ...finding, ...('reason' in plan ? { notFixableReason: plan.reason } : { fixes: [plan.option] }) }];
    });
  },

  fix({ sourceFile }, finding, optionId) {
    const found = tokenOptions(sourceFile.compilerNode).find((t) => t.property.getStart() === finding.range.start);
    if (!found) throw new FixRefusal('the code changed; the permission check is no longer there');
    const origin = originOf(found.value, 0);
    if (origin.kind === 'owned') throw new FixRefusal('another rule rewrites this token');
    const plan = planFix(found.call, origin, found.value);
    if ('reason' in plan) throw new FixRefusal(plan.reason);
    if (plan.option.id !== optionId) throw new FixRefusal('this fix is not available here');
    applyFix(sourceFile, found, origin, plan);
  },
};

// ---------------------------------------------------------------------------------------------
// The fix

type Plan = { option: FixOption; request?: string; credentials?: string } | { reason: string };

function planFix(call: ts.CallExpression, origin: Exclude<Origin, { kind: 'owned' }>, value: ts.Expression): Plan {
  switch (origin.kind) {
    case 'issued': {
      const credentials = origin.onBehalfOf.getText();
      if (!isReadableAt(origin.onBehalfOf, call)) {
        return { reason: `the token was issued on behalf of \`${credentials}\`, which is not in scope at this permission check; pass those credentials here by hand` };
      }
      return { option: { id: 'issuing-credentials', title: `Pass the credentials the token was issued for (${credentials})`, preferred: true }, credentials };
    }
    case 'service': {
      const auth = planServiceAccess(call, 'auth');
      if (auth.kind === 'none') return { reason: auth.reason };
      if (!inAsyncFunction(call)) return { reason: 'the permission check is not inside an async function, so the service credentials cannot be awaited here' };
      return { option: { id: 'own-service-credentials', title: "Pass the plugin's own service credentials", preferred: true } };
    }
    case 'parameter':
    case 'unknown': {
      const request = requestParameter(call);
      const where = origin.kind === 'parameter' ? `comes in as the parameter \`${origin.name}\` of \`${origin.fn}\`` : `(\`${value.getText()}\`) comes from code this rule cannot follow`;
      if (!request) {
        return {
          reason:
            `the token ${where}, and there is no request here to read credentials from; ` +
            'take `credentials: BackstageCredentials` instead (from `httpAuth.credentials(req)` in the handler) and pass `{ credentials }`',
        };
      }
      const plan = planCredentials(call, { request });
      if (plan.kind === 'none') return { reason: plan.reason };
      // Not preferred: only a person can confirm the token was the caller's own.
      return {
        option: { id: 'request-credentials', title: `Pass the credentials of \`${request}\` (check that the token was the caller's)`, preferred: false },
        request,
      };
    }
  }
}

function applyFix(sourceFile: SourceFile, found: TokenOption, origin: Exclude<Origin, { kind: 'owned' }>, plan: Exclude<Plan, { reason: string }>): void {
  const property = wrap(sourceFile, found.property);
  const issuing = 'binding' in origin && origin.binding ? wrap(sourceFile, statementOfBinding(origin.binding) ?? origin.binding) : undefined;
  const bindingName = 'binding' in origin && origin.binding && ts.isIdentifier(origin.binding.name) ? origin.binding.name.text : undefined;
  let credentials: string;
  if (plan.request) {
    credentials = provideCredentials(sourceFile, property, { request: plan.request });
  } else if (origin.kind === 'service') {
    credentials = `await ${provideService(sourceFile, property, 'auth')}.getOwnServiceCredentials()`;
  } else {
    credentials = plan.credentials!;
  }
  replaceVerbatim(property, credentials === 'credentials' ? 'credentials' : `credentials: ${credentials}`);
  // The token statement goes when this was its only use (issuing a token has no other effect).
  if (issuing && bindingName && ts.isVariableStatement(issuing.compilerNode) && !isReferenced(sourceFile.compilerNode, issuing.compilerNode, bindingName)) {
    (issuing as unknown as { remove(): void }).remove();
  }
}

/** `const { token } = await ...;`, when the pattern binds nothing else. */
function statementOfBinding(binding: ts.BindingElement): ts.VariableStatement | undefined {
  const pattern = binding.parent;
  const declaration = pattern.parent;
  if (pattern.elements.length !== 1 || !ts.isVariableDeclaration(declaration)) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return undefined;
  return ts.isVariableStatement(list.parent) ? list.parent : undefined;
}

function isReferenced(root: ts.Node, statement: ts.VariableStatement, name: string): boolean {
  const declared = statement.declarationList.declarations[0].name;
  return findAll(root, ts.isIdentifier).some((id) => {
    if (id.text !== name || !isReference(id) || isWithin(id, declared)) return false;
    const binding = findBinding(id, name);
    return !!binding && isWithin(binding, declared);
  });
}

/** Every identifier in `expression` means the same thing at `at`. */
function isReadableAt(expression: ts.Expression, at: ts.Node): boolean {
  const ids = ts.isIdentifier(expression) ? [expression] : findAll(expression, ts.isIdentifier);
  return ids.every((id) => (ts.isPropertyAccessExpression(id.parent) && id.parent.name === id) || findBinding(id, id.text) === findBinding(at, id.text));
}

/** The request parameter of the nearest enclosing handler: named `req`/`request`, or typed `Request`. */
function requestParameter(at: ts.Node): string | undefined {
  for (let current = at.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    for (const parameter of current.parameters) {
      if (!ts.isIdentifier(parameter.name)) continue;
      if (['req', 'request'].includes(parameter.name.text) || typeReferenceName(parameter.type) === 'Request') return parameter.name.text;
    }
  }
  return undefined;
}
