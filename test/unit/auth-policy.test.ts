// The pure edits the guided commands call: addAuthPolicyEdit, listPluginRoutes and
// addGuestProviderModuleEdit. Exact outputs, and the reasons given when an edit is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addAuthPolicyEdit, addGuestProviderModuleEdit, listPluginRoutes } from '../../server/src/engine/authPolicy';
import { policyCovers, policyPathFor } from '../../server/src/rules/shared/authPolicies';
import { memoryHost, VIRTUAL_ROOT } from '../support/engine';

const lines = (...text: string[]) => text.join('\n');

const PLUGIN = lines(
  "import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';",
  "import { createRouter } from './service/router';",
  '',
  'export const wikiPlugin = createBackendPlugin({',
  "  pluginId: 'wiki',",
  '  register(env) {',
  '    env.registerInit({',
  '      deps: { logger: coreServices.logger, httpRouter: coreServices.httpRouter },',
  '      async init({ logger, httpRouter }) {',
  '        httpRouter.use(await createRouter({ logger }));',
  "        logger.info('wiki ready');",
  '      },',
  '    });',
  '  },',
  '});',
  '',
);

const ROUTER = lines(
  "import { LoggerService } from '@backstage/backend-plugin-api';",
  "import express from 'express';",
  "import Router from 'express-promise-router';",
  '',
  'export async function createRouter(options: { logger: LoggerService }): Promise<express.Router> {',
  '  const router = Router();',
  "  router.get('/livez', (_req, res) => res.send('ok'));",
  "  router.use('/attachments', express.static('attachments'));",
  "  router.get('/pages/:id/export.pdf', (req, res) => res.sendFile(`/exports/${req.params.id}.pdf`));",
  "  router.post('/pages', (_req, res) => res.status(201).end());",
  '  router.use(express.static(\'public\'));',
  "  options.logger.info('routes ready');",
  '  return router;',
  '}',
  '',
);

describe('addAuthPolicyEdit', () => {
  it('adds the policy right after httpRouter.use', () => {
    const result = addAuthPolicyEdit(PLUGIN, '/p/src/plugin.ts', { path: '/livez', allow: 'unauthenticated' });
    assert.deepEqual(result, {
      ok: true,
      text: PLUGIN.replace(
        '        httpRouter.use(await createRouter({ logger }));\n',
        "        httpRouter.use(await createRouter({ logger }));\n        httpRouter.addAuthPolicy({ path: '/livez', allow: 'unauthenticated' });\n",
      ),
    });
  });

  it('puts a second policy after the first, keeping their order', () => {
    const first = addAuthPolicyEdit(PLUGIN, '/p/src/plugin.ts', { path: '/livez', allow: 'unauthenticated' });
    assert.ok(first.ok);
    const second = addAuthPolicyEdit(first.text, '/p/src/plugin.ts', { path: '/files', allow: 'user-cookie' });
    assert.ok(second.ok);
    assert.equal(
      second.text,
      PLUGIN.replace(
        '        httpRouter.use(await createRouter({ logger }));\n',
        [
          '        httpRouter.use(await createRouter({ logger }));',
          "        httpRouter.addAuthPolicy({ path: '/livez', allow: 'unauthenticated' });",
          "        httpRouter.addAuthPolicy({ path: '/files', allow: 'user-cookie' });",
          '',
        ].join('\n'),
      ),
    );
  });

  it('adds the httpRouter dep and init parameter to a module that has none, at the end of init', () => {
    const module = lines(
      "import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';",
      '',
      '/** Lets the load balancer probe the catalog without a token. */',
      'export const catalogModuleHealthPolicy = createBackendModule({',
      "  pluginId: 'catalog',",
      "  moduleId: 'health-policy',",
      '  register(env) {',
      '    env.registerInit({',
      '      deps: { logger: coreServices.logger },',
      '      async init({ logger }) {',
      "        logger.info('opening /health');",
      '      },',
      '    });',
      '  },',
      '});',
      '',
    );
    const result = addAuthPolicyEdit(module, '/p/src/module.ts', { path: '/health', allow: 'unauthenticated' });
    assert.deepEqual(result, {
      ok: true,
      text: module
        .replace('deps: { logger: coreServices.logger }', 'deps: { logger: coreServices.logger, httpRouter: coreServices.httpRouter }')
        .replace('async init({ logger })', 'async init({ logger, httpRouter })')
        .replace(
          "        logger.info('opening /health');\n",
          "        logger.info('opening /health');\n        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });\n",
        ),
    });
  });

  it('breaks a policy that would pass 80 columns over lines, in the file\'s quote style', () => {
    const text = PLUGIN.replace(/'/g, '"');
    const result = addAuthPolicyEdit(text, '/p/src/plugin.ts', { path: '/pages/:id/export.pdf', allow: 'user-cookie' });
    assert.ok(result.ok);
    assert.equal(
      result.text,
      text.replace(
        '        httpRouter.use(await createRouter({ logger }));\n',
        [
          '        httpRouter.use(await createRouter({ logger }));',
          '        httpRouter.addAuthPolicy({',
          '          path: "/pages/:id/export.pdf",',
          '          allow: "user-cookie",',
          '        });',
          '',
        ].join('\n'),
      ),
    );
  });

  it('keeps CRLF line breaks', () => {
    const crlf = PLUGIN.replace(/\n/g, '\r\n');
    const result = addAuthPolicyEdit(crlf, '/p/src/plugin.ts', { path: '/livez', allow: 'unauthenticated' });
    assert.ok(result.ok);
    assert.equal(result.text, crlf.replace(
      '        httpRouter.use(await createRouter({ logger }));\r\n',
      "        httpRouter.use(await createRouter({ logger }));\r\n        httpRouter.addAuthPolicy({ path: '/livez', allow: 'unauthenticated' });\r\n",
    ));
  });

  it('picks the init the offset is in when a file registers several', () => {
    const twice = PLUGIN + PLUGIN.slice(PLUGIN.indexOf('export const')).replace('wikiPlugin', 'wikiAdminPlugin').replace("'wiki'", "'wiki-admin'");
    const second = twice.lastIndexOf('httpRouter.use');
    const result = addAuthPolicyEdit(twice, '/p/src/plugin.ts', { path: '/livez', allow: 'unauthenticated' }, { at: second });
    assert.ok(result.ok);
    assert.equal(result.text.indexOf('addAuthPolicy') > second, true);
    assert.equal(result.text.split('addAuthPolicy').length, 2);
    assert.deepEqual(addAuthPolicyEdit(twice, '/p/src/plugin.ts', { path: '/livez', allow: 'unauthenticated' }), {
      ok: false,
      reason: 'this file registers several plugins or modules; put the cursor inside the one that should get the policy',
    });
  });

  it('refuses what httpRouter.addAuthPolicy does not accept, and duplicates', () => {
    const refusal = (path: string, allow: string, text = PLUGIN) => addAuthPolicyEdit(text, '/p/src/plugin.ts', { path, allow });
    assert.deepEqual(refusal('/livez', 'user'), { ok: false, reason: "`allow` must be 'unauthenticated' or 'user-cookie' (got 'user')" });
    assert.deepEqual(refusal('livez', 'unauthenticated'), {
      ok: false,
      reason: "the path must start with '/' and be relative to the plugin (e.g. '/health'), got 'livez'",
    });
    const once = refusal('/livez', 'unauthenticated');
    assert.ok(once.ok);
    assert.deepEqual(refusal('/livez', 'unauthenticated', once.text), {
      ok: false,
      reason: "this init already adds the policy { path: '/livez', allow: 'unauthenticated' }",
    });
    assert.deepEqual(refusal('/livez', 'unauthenticated', ROUTER), {
      ok: false,
      reason: 'this file has no `registerInit` of a backend plugin or module to add the policy to',
    });
    assert.deepEqual(refusal('/livez', 'unauthenticated', 'export const x = ;'), {
      ok: false,
      reason: 'the file has syntax errors (1:18 Expression expected.); fix them first',
    });
  });
});

describe('listPluginRoutes', () => {
  it('lists the routes of the router module, suggesting probes and static content without a policy', () => {
    const host = memoryHost({ 'src/plugin.ts': PLUGIN, 'src/service/router.ts': ROUTER });
    const routes = listPluginRoutes(PLUGIN, `${VIRTUAL_ROOT}/src/plugin.ts`, host);
    const routerFile = `${VIRTUAL_ROOT}/src/service/router.ts`;
    assert.deepEqual(routes, [
      { method: 'GET', path: '/livez', policyPath: '/livez', kind: 'health', fileName: routerFile, line: 6, covered: false, suggested: true },
      { method: 'USE', path: '/attachments', policyPath: '/attachments', kind: 'static', fileName: routerFile, line: 7, covered: false, suggested: true },
      {
        method: 'GET',
        path: '/pages/:id/export.pdf',
        policyPath: '/pages/:id/export.pdf',
        kind: 'static',
        fileName: routerFile,
        line: 8,
        covered: false,
        suggested: true,
      },
      { method: 'POST', path: '/pages', policyPath: '/pages', kind: 'other', fileName: routerFile, line: 9, covered: false, suggested: false },
      // Mounted at the router's root: a policy would open the whole plugin, so it is never suggested.
      { method: 'USE', path: '/', policyPath: '/', kind: 'static', fileName: routerFile, line: 10, covered: false, suggested: false },
    ]);
  });

  it('marks the routes a policy of the plugin already covers', () => {
    const withPolicy = addAuthPolicyEdit(PLUGIN, `${VIRTUAL_ROOT}/src/plugin.ts`, { path: '/pages', allow: 'user-cookie' });
    assert.ok(withPolicy.ok);
    const host = memoryHost({ 'src/service/router.ts': ROUTER });
    const covered = listPluginRoutes(withPolicy.text, `${VIRTUAL_ROOT}/src/plugin.ts`, host).map((r) => [r.path, r.covered]);
    assert.deepEqual(covered, [
      ['/livez', false],
      ['/attachments', false],
      ['/pages/:id/export.pdf', true],
      ['/pages', true],
      ['/', false],
    ]);
  });

  it('lists nothing when the router module cannot be read', () => {
    assert.deepEqual(listPluginRoutes(PLUGIN, `${VIRTUAL_ROOT}/src/plugin.ts`, memoryHost({})), []);
  });
});

describe('auth policy paths', () => {
  it('match as prefixes, segment by segment, with parameters', () => {
    assert.equal(policyCovers('/health', '/health'), true);
    assert.equal(policyCovers('/health', '/health/db'), true);
    assert.equal(policyCovers('/health', '/healthz'), false);
    assert.equal(policyCovers('/', '/anything/at/all'), true);
    assert.equal(policyCovers('*', '/anything'), true);
    assert.equal(policyCovers('/badges/:kind', '/badges/component/x'), true);
    assert.equal(policyCovers('/badges/:kind/x', '/badges/component'), false);
  });

  it('are suggested up to the first wildcard segment', () => {
    assert.equal(policyPathFor('/docs/*'), '/docs');
    assert.equal(policyPathFor('/static/:file(*)'), '/static');
    assert.equal(policyPathFor('/:entity/badge'), '/:entity/badge');
    assert.equal(policyPathFor('*'), '/');
  });
});

describe('addGuestProviderModuleEdit', () => {
  const BACKEND = lines(
    "import { createBackend } from '@backstage/backend-defaults';",
    '',
    'const backend = createBackend();',
    "backend.add(import('@backstage/plugin-auth-backend')); // sign-in",
    "backend.add(import('@backstage/plugin-catalog-backend/alpha'));",
    'backend.start();',
    '',
  );

  it('adds the module on the line after the auth plugin, past its comment', () => {
    assert.deepEqual(addGuestProviderModuleEdit(BACKEND, '/r/packages/backend/src/index.ts'), {
      ok: true,
      text: BACKEND.replace(
        '// sign-in\n',
        "// sign-in\nbackend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));\n",
      ),
    });
  });

  it('follows an imported auth plugin, its receiver and quotes', () => {
    const text = lines(
      'import { createBackend } from "@backstage/backend-defaults";',
      'import authPlugin from "@backstage/plugin-auth-backend";',
      '',
      'const app = createBackend();',
      'app.add(authPlugin);',
      'app.start();',
      '',
    );
    const result = addGuestProviderModuleEdit(text, '/r/packages/backend/src/index.ts');
    assert.deepEqual(result, {
      ok: true,
      text: text.replace('app.add(authPlugin);\n', 'app.add(authPlugin);\napp.add(import("@backstage/plugin-auth-backend-module-guest-provider"));\n'),
    });
  });

  it('refuses when the module is there, or there is no auth plugin to put it after', () => {
    const added = addGuestProviderModuleEdit(BACKEND, '/r/index.ts');
    assert.ok(added.ok);
    assert.deepEqual(addGuestProviderModuleEdit(added.text, '/r/index.ts'), { ok: false, reason: 'the guest provider module is already added' });
    assert.deepEqual(addGuestProviderModuleEdit(BACKEND.replace("backend.add(import('@backstage/plugin-auth-backend')); // sign-in\n", ''), '/r/index.ts'), {
      ok: false,
      reason: 'this file does not add @backstage/plugin-auth-backend',
    });
    const inLoop = lines(
      "import { createBackend } from '@backstage/backend-defaults';",
      'const backend = createBackend();',
      "[import('@backstage/plugin-auth-backend')].forEach((f) => backend.add(f));",
      "const features = [backend.add(import('@backstage/plugin-auth-backend'))];",
      '',
    );
    assert.deepEqual(addGuestProviderModuleEdit(inLoop, '/r/index.ts'), {
      ok: false,
      reason:
        "the auth plugin is not added by a statement of its own, so there is no line to put the guest provider module after; add `backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'))` yourself",
    });
  });
});
