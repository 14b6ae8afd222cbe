import { ts } from 'ts-morph';
import type { Rule, RuleFinding } from '../engine/types';
import { calleeName, callsBelow, nodesOfKinds, objectProperty, propertyValue, rangeOf } from './shared/ast';
import { guide } from './shared/docs';
import { coreServiceName } from './shared/services';

type Kind = 'identity' | 'tokenManager';

/** The old service interfaces a custom implementation names in `implements`. */
const INTERFACES: Record<string, Kind> = {
  IdentityApi: 'identity',
  IdentityService: 'identity',
  TokenManager: 'tokenManager',
  TokenManagerService: 'tokenManager',
};

/** Information only: the example is the code the rule points at (there is no rewrite). */
const EXAMPLE = [
  "import type { TokenManager } from '@backstage/backend-common';",
  "import { AuthenticationError } from '@backstage/errors';",
  '',
  'export class SharedSecretTokenManager implements TokenManager {',
  '  constructor(private readonly secret: string) {}',
  '  async getToken() {',
  '    return { token: this.secret };',
  '  }',
  '  async authenticate(token: string) {',
  "    if (token !== this.secret) throw new AuthenticationError('Invalid service token');",
  '  }',
  '}',
  '',
].join('\n');

const SERVICE_NAMES: Record<Kind, string> = { identity: 'identity', tokenManager: 'token manager' };

/**
 * A custom identity or token manager implementation: plugins that move to `auth`/`httpAuth` stop
 * calling it, so whatever it decides (who is trusted, which tokens count) would silently stop
 * applying. `createLegacyAuthAdapters` builds the new services on top of it instead.
 */
export const customLegacyService: Rule = {
  id: 'custom-legacy-service',
  title: 'Custom identity or token manager implementation',
  severity: 'information',
  docsUrl: guide.backend,
  explanation:
    'Plugins migrated to the new auth services call `auth` and `httpAuth`, never `identity` or `tokenManager`, so a ' +
    'custom implementation of those would stop being used. `createLegacyAuthAdapters` from `@backstage/backend-common` ' +
    'builds `auth` and `httpAuth` from the identity and token manager you pass it (`createLegacyAuthAdapters({ identity, ' +
    'tokenManager, discovery })`), which keeps your implementation in charge.',
  example: {
    fileName: 'src/tokenManager.ts',
    before: EXAMPLE,
    after: EXAMPLE,
  },
  // A class implementing one of these names them; a factory for these services names the ref.
  triggers: ['IdentityApi', 'IdentityService', 'TokenManager', 'coreServices.identity', 'coreServices.tokenManager'],

  detect(ctx) {
    const findings: RuleFinding[] = [];
    for (const cls of nodesOfKinds<ts.ClassLikeDeclaration>(ctx.sourceFile, [ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression])) {
      const kind = implementedService(cls);
      if (!kind) continue;
      const name = cls.name ? `\`${cls.name.text}\`` : 'This class';
      findings.push({
        range: rangeOf(cls.name ?? cls),
        message:
          `${name} is a custom ${SERVICE_NAMES[kind]} service. Plugins on the new auth services no longer call it; ` +
          'adapt it with `createLegacyAuthAdapters` (from @backstage/backend-common) so `auth`/`httpAuth` keep using it.',
        notFixableReason: 'where the adapted services are wired in depends on how your backend provides this implementation',
      });
    }
    for (const call of callsBelow(ctx.sourceFile)) {
      const service = overriddenService(call);
      if (!service) continue;
      findings.push({
        range: rangeOf(service.node),
        message:
          `This service factory replaces the ${SERVICE_NAMES[service.kind]} service. Plugins on the new auth services no longer call it; ` +
          'adapt your implementation with `createLegacyAuthAdapters` (from @backstage/backend-common) so `auth`/`httpAuth` keep using it.',
        notFixableReason: 'the adapted `auth`/`httpAuth` factories have to be written around your implementation',
      });
    }
    return findings;
  },
};

function implementedService(cls: ts.ClassLikeDeclaration): Kind | undefined {
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
    for (const type of clause.types) {
      const expression = type.expression;
      const name = ts.isIdentifier(expression)
        ? expression.text
        : ts.isPropertyAccessExpression(expression)
          ? expression.name.text
          : undefined;
      if (name && INTERFACES[name]) return INTERFACES[name];
    }
  }
  return undefined;
}

/** `createServiceFactory({ service: coreServices.identity, ... })` (also the options-function form). */
function overriddenService(call: ts.CallExpression): { kind: Kind; node: ts.Expression } | undefined {
  if (calleeName(call) !== 'createServiceFactory') return undefined;
  const argument = call.arguments[0];
  const config = argument && factoryConfig(argument);
  const property = config && objectProperty(config, 'service');
  const value = property && propertyValue(property);
  const name = value && coreServiceName(value);
  if (name !== 'identity' && name !== 'tokenManager') return undefined;
  return { kind: name, node: value! };
}

function factoryConfig(argument: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(argument)) return argument;
  if (!ts.isArrowFunction(argument) && !ts.isFunctionExpression(argument)) return undefined;
  const body = argument.body;
  if (ts.isParenthesizedExpression(body) && ts.isObjectLiteralExpression(body.expression)) return body.expression;
  if (ts.isBlock(body)) {
    const returned = body.statements.find(ts.isReturnStatement)?.expression;
    if (returned && ts.isObjectLiteralExpression(returned)) return returned;
  }
  return undefined;
}
