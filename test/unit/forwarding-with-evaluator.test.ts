// Bearer forwarding in a router whose permissions are still typed `PermissionEvaluator`: the
// bearer rule alone leaves `{ credentials }` on a type that only takes `{ token }` (a compile
// error), so "fix all" must also retype the dependency. Both outputs are compiled against the
// pinned packages to prove it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { fixAll } from '../../server/src/engine/engine';
import { engineOptions } from '../support/engine';

const BEFORE = [
  `import { DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';`,
  `import { CatalogApi } from '@backstage/catalog-client';`,
  `import { NotAllowedError } from '@backstage/errors';`,
  `import { getBearerTokenFromAuthorizationHeader } from '@backstage/plugin-auth-node';`,
  'import {',
  '  AuthorizeResult,',
  '  createPermission,',
  '  PermissionEvaluator,',
  `} from '@backstage/plugin-permission-common';`,
  `import express from 'express';`,
  `import Router from 'express-promise-router';`,
  '',
  'const wikiPageReadPermission = createPermission({',
  `  name: 'team-wiki.page.read',`,
  `  attributes: { action: 'read' },`,
  `  resourceType: 'team-wiki-page',`,
  '});',
  '',
  'export interface RouterOptions {',
  '  logger: LoggerService;',
  '  discovery: DiscoveryService;',
  '  catalogClient: CatalogApi;',
  '  permissions: PermissionEvaluator;',
  '}',
  '',
  'export async function createRouter(options: RouterOptions): Promise<express.Router> {',
  '  const { logger, catalogClient, permissions } = options;',
  '  const router = Router();',
  '',
  `  router.get('/pages/:id', async (req, res) => {`,
  `    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));`,
  '    const [decision] = await permissions.authorize(',
  '      [{ permission: wikiPageReadPermission, resourceRef: `team-wiki-page:${req.params.id}` }],',
  '      { token },',
  '    );',
  '    if (decision.result !== AuthorizeResult.ALLOW) {',
  '      throw new NotAllowedError();',
  '    }',
  `    const owner = await catalogClient.getEntityByRef('group:default/docs', { token });`,
  '    logger.info(`page ${req.params.id} read`);',
  '    res.json({ id: req.params.id, owner: owner?.metadata.name });',
  '  });',
  '',
  '  return router;',
  '}',
  '',
].join('\n');

const AFTER = [
  `import { AuthService, DiscoveryService, HttpAuthService, LoggerService, PermissionsService } from '@backstage/backend-plugin-api';`,
  `import { CatalogApi } from '@backstage/catalog-client';`,
  `import { NotAllowedError } from '@backstage/errors';`,
  'import {',
  '  AuthorizeResult,',
  '  createPermission,',
  `} from '@backstage/plugin-permission-common';`,
  `import express from 'express';`,
  `import Router from 'express-promise-router';`,
  `import { createLegacyAuthAdapters } from '@backstage/backend-common';`,
  '',
  'const wikiPageReadPermission = createPermission({',
  `  name: 'team-wiki.page.read',`,
  `  attributes: { action: 'read' },`,
  `  resourceType: 'team-wiki-page',`,
  '});',
  '',
  'export interface RouterOptions {',
  '  logger: LoggerService;',
  '  discovery: DiscoveryService;',
  '  catalogClient: CatalogApi;',
  '  permissions: PermissionsService;',
  '  auth?: AuthService;',
  '  httpAuth?: HttpAuthService;',
  '}',
  '',
  'export async function createRouter(options: RouterOptions): Promise<express.Router> {',
  '  const { logger, catalogClient, permissions } = options;',
  '  const { auth, httpAuth } = createLegacyAuthAdapters(options);',
  '  const router = Router();',
  '',
  `  router.get('/pages/:id', async (req, res) => {`,
  '    const credentials = await httpAuth.credentials(req);',
  '    const [decision] = await permissions.authorize(',
  '      [{ permission: wikiPageReadPermission, resourceRef: `team-wiki-page:${req.params.id}` }],',
  '      { credentials },',
  '    );',
  '    if (decision.result !== AuthorizeResult.ALLOW) {',
  '      throw new NotAllowedError();',
  '    }',
  '    const { token } = await auth.getPluginRequestToken({',
  '      onBehalfOf: credentials,',
  `      targetPluginId: 'catalog',`,
  '    });',
  `    const owner = await catalogClient.getEntityByRef('group:default/docs', { token });`,
  '    logger.info(`page ${req.params.id} read`);',
  '    res.json({ id: req.params.id, owner: owner?.metadata.name });',
  '  });',
  '',
  '  return router;',
  '}',
  '',
].join('\n');

const FILE = '/virtual/team-wiki/src/service/router.ts';

const libraryFiles = new Map<string, ts.SourceFile | undefined>();

/** Type errors of `text` compiled as a file of this repository (so the pinned packages resolve). */
function typeErrors(text: string): string[] {
  const fileName = join(__dirname, '__virtual__', 'router.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    if (name === fileName) return ts.createSourceFile(name, text, language);
    // Declaration files parse once for all compiles of this test.
    if (!libraryFiles.has(name)) libraryFiles.set(name, getSourceFile(name, language, ...rest));
    return libraryFiles.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === fileName)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('bearer forwarding with a PermissionEvaluator-typed router', () => {
  it('fix all (every rule) rewrites the handler and the permissions type', () => {
    const result = fixAll(FILE, BEFORE, engineOptions());
    assert.equal(result.text, AFTER);
    assert.deepEqual(
      result.applied.map((a) => a.ruleId).sort(),
      ['bearer-token-forwarding', 'permission-evaluator-type'],
    );
    assert.deepEqual(result.remaining, []);
  });

  it('the fixed router compiles against the pinned packages', () => {
    assert.deepEqual(typeErrors(AFTER), []);
  });

  it('the bearer fix alone does not compile while the type is PermissionEvaluator', () => {
    const alone = fixAll(FILE, BEFORE, engineOptions(), ['bearer-token-forwarding']).text;
    const errors = typeErrors(alone);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /'credentials' does not exist in type 'EvaluatorRequestOptions'/);
  });
});
