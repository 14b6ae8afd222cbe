import { ts } from 'ts-morph';
import type { Rule } from '../engine/types';
import { atLeast } from '../engine/semver';
import { AUTH_SERVICES_SINCE, describeVersion } from '../engine/targets';
import { rangeOf, walk } from './shared/ast';
import { guide } from './shared/docs';
import { BACKEND_PLUGIN_API } from './shared/imports';

/** Names that mark auth code the other rules would migrate. */
const LEGACY_NAMES = new Set([
  'identity',
  'tokenManager',
  'getIdentity',
  'getBearerTokenFromAuthorizationHeader',
  'IdentityApi',
  'IdentityService',
  'DefaultIdentityClient',
  'TokenManager',
  'TokenManagerService',
  'ServerTokenManager',
  'PermissionEvaluator',
]);

/** The rule's example: with backend-plugin-api 0.6.10 in the lockfile, reported and left as is. */
const UNCHANGED_EXAMPLE = [
  "import { TokenManager } from '@backstage/backend-common';",
  '',
  'export async function createRouter(options: { tokenManager: TokenManager }) {',
  '  // With backend-plugin-api 0.6.10 in the lockfile this is reported, and no fix is offered.',
  '  return options.tokenManager.getToken();',
  '}',
  '',
].join('\n');

/**
 * The auth services arrived in @backstage/backend-plugin-api 0.6.14 (Backstage 1.24). With an
 * older version no rewrite to them can compile, so the engine offers none, and this says why.
 */
export const authServicesUnavailable: Rule = {
  id: 'auth-services-unavailable',
  title: 'backend-plugin-api predates the auth services',
  severity: 'warning',
  docsUrl: guide.root,
  explanation:
    'The `auth`, `httpAuth` and `userInfo` services and `httpRouter.addAuthPolicy` first shipped in ' +
    '`@backstage/backend-plugin-api` 0.6.14 (Backstage 1.24, with backend-common 0.21.4 and plugin-auth-node 0.4.9). ' +
    'When the package.json and lockfile of this file resolve an older version, none of the migration fixes would compile, ' +
    'so they are not offered: upgrade the Backstage packages first, then migrate. The version and where it was read from are in the message.',
  example: {
    fileName: 'src/service/router.ts',
    // Reported, nothing rewritten: before and after are the same code.
    before: UNCHANGED_EXAMPLE,
    after: UNCHANGED_EXAMPLE,
  },
  triggers: ['identity', 'Identity', 'tokenManager', 'TokenManager', 'getBearerTokenFromAuthorizationHeader', 'PermissionEvaluator'],

  detect(ctx) {
    const api = ctx.versions.packages[BACKEND_PLUGIN_API];
    if (!api || atLeast(api.version, AUTH_SERVICES_SINCE)) return [];
    const legacy = firstLegacyName(ctx.sourceFile);
    if (!legacy) return [];
    const anchor = importOfBackendPluginApi(ctx.sourceFile) ?? legacy;
    return [
      {
        range: rangeOf(anchor),
        message:
          `${describeVersion(BACKEND_PLUGIN_API, api)} predates the auth services (added in ${AUTH_SERVICES_SINCE}, Backstage 1.24), ` +
          'so the auth code in this file cannot be migrated yet.',
        notFixableReason:
          `upgrade @backstage/backend-plugin-api to ${AUTH_SERVICES_SINCE} or later (Backstage 1.24 or newer) and reinstall; ` +
          'the migration fixes are offered once the lockfile resolves that version.',
      },
    ];
  },
};

function importOfBackendPluginApi(file: ts.SourceFile): ts.Node | undefined {
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === BACKEND_PLUGIN_API) {
      return statement.moduleSpecifier;
    }
  }
  return undefined;
}

function firstLegacyName(file: ts.SourceFile): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  walk(file, (node) => {
    if (found) return false;
    if (ts.isIdentifier(node) && LEGACY_NAMES.has(node.text)) found = node;
    return undefined;
  });
  return found;
}
