// Removing an import that a fix made unused must take that import's own line and nothing else:
// the blank line after `'use strict'` and the blank line between the imports and the code belong
// to the file's layout. These tests state the exact text `removeImportIfUnused` must leave (and
// what a rule that relies on it leaves in a CommonJS router).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixAll } from '../../server/src/engine/engine';
import { createFixSourceFile } from '../../server/src/engine/morph';
import { removeImportIfUnused } from '../../server/src/rules/shared/imports';
import { engineOptions } from '../support/engine';

const HELPER = 'getBearerTokenFromAuthorizationHeader';

function removed(fileName: string, text: string, name: string): string {
  const sourceFile = createFixSourceFile(fileName, text);
  removeImportIfUnused(sourceFile, name);
  return sourceFile.getFullText();
}

describe('removeImportIfUnused keeps the blank lines around the removed import', () => {
  it("CommonJS: the require right after 'use strict' goes, the blank line after the directive stays", () => {
    const before = [
      "'use strict';",
      '',
      `const { ${HELPER} } = require('@backstage/plugin-auth-node');`,
      "const Router = require('express-promise-router');",
      '',
      'module.exports = { Router };',
      '',
    ].join('\n');
    const after = [
      "'use strict';",
      '',
      "const Router = require('express-promise-router');",
      '',
      'module.exports = { Router };',
      '',
    ].join('\n');
    assert.equal(removed('/virtual/plugin/src/router.js', before, HELPER), after);
  });

  it('CommonJS: the last require goes, the blank line before the code stays', () => {
    const before = [
      "'use strict';",
      '',
      "const Router = require('express-promise-router');",
      `const { ${HELPER} } = require('@backstage/plugin-auth-node');`,
      '',
      'module.exports = { Router };',
      '',
    ].join('\n');
    const after = [
      "'use strict';",
      '',
      "const Router = require('express-promise-router');",
      '',
      'module.exports = { Router };',
      '',
    ].join('\n');
    assert.equal(removed('/virtual/plugin/src/router.js', before, HELPER), after);
  });

  it('ES modules: the last import goes, the blank line before the code stays', () => {
    const before = [
      "import Router from 'express-promise-router';",
      `import { ${HELPER} } from '@backstage/plugin-auth-node';`,
      '',
      'export const router = Router();',
      '',
    ].join('\n');
    const after = [
      "import Router from 'express-promise-router';",
      '',
      'export const router = Router();',
      '',
    ].join('\n');
    assert.equal(removed('/virtual/plugin/src/router.ts', before, HELPER), after);
  });

  it('an import still in use stays untouched', () => {
    const text = [
      "'use strict';",
      '',
      `const { ${HELPER} } = require('@backstage/plugin-auth-node');`,
      '',
      `module.exports = { ${HELPER} };`,
      '',
    ].join('\n');
    assert.equal(removed('/virtual/plugin/src/router.js', text, HELPER), text);
  });
});

describe('a rule that drops the bearer helper from a CommonJS router', () => {
  const before = [
    "'use strict';",
    '',
    `const { ${HELPER} } = require('@backstage/plugin-auth-node');`,
    "const Router = require('express-promise-router');",
    '',
    '/** Team wiki routes (plain JavaScript, old backend system). */',
    'function createRouter({ auth, httpAuth, catalog }) {',
    '  const router = Router();',
    "  router.get('/pages/:id/owner', async (req, res) => {",
    `    const token = ${HELPER}(req.header('authorization'));`,
    '    const owner = await catalog.getEntityByRef(`group:default/${req.params.id}`, { token });',
    '    res.json({ owner: owner?.metadata.name });',
    '  });',
    '  return router;',
    '}',
    '',
    'module.exports = { createRouter };',
    '',
  ].join('\n');
  const after = [
    "'use strict';",
    '',
    "const Router = require('express-promise-router');",
    '',
    '/** Team wiki routes (plain JavaScript, old backend system). */',
    'function createRouter({ auth, httpAuth, catalog }) {',
    '  const router = Router();',
    "  router.get('/pages/:id/owner', async (req, res) => {",
    '    const credentials = await httpAuth.credentials(req);',
    '    const { token } = await auth.getPluginRequestToken({',
    '      onBehalfOf: credentials,',
    "      targetPluginId: 'catalog'",
    '    });',
    '    const owner = await catalog.getEntityByRef(`group:default/${req.params.id}`, { token });',
    '    res.json({ owner: owner?.metadata.name });',
    '  });',
    '  return router;',
    '}',
    '',
    'module.exports = { createRouter };',
    '',
  ].join('\n');

  it("bearer-token-forwarding keeps the blank line after 'use strict'", () => {
    assert.equal(fixAll('/virtual/plugin/src/router.js', before, engineOptions(), ['bearer-token-forwarding']).text, after);
  });
});
