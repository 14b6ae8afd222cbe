// Input nobody planned for: half-typed code, huge, generated, binary or badly decoded files,
// mixed line endings, JSX, and JavaScript that mixes `require` with `import`. Every case says
// exactly what the engine answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixAll, fixFinding, type EngineOptions } from '../../server/src/engine/engine';
import { dominantLineBreak, matchLineBreaks } from '../../server/src/engine/lineBreaks';
import { replaceVerbatim } from '../../server/src/engine/morph';
import type { ConfigRule, Rule } from '../../server/src/engine/types';
import { allRules } from '../../server/src/rules';
import { permissionEvaluatorType } from '../../server/src/rules/permission-evaluator-type';
import { tokenManagerGetToken } from '../../server/src/rules/token-manager-get-token';

const ALL: EngineOptions = { rules: allRules };
const PE_MESSAGE = '`PermissionEvaluator` cannot take credentials; use `PermissionsService`.';

const lines = (...all: string[]) => all.join('\n');

/** A rule that records whether it was ever asked to look at a file. */
function spyRule(trigger: string): Rule & { calls: number } {
  const rule = {
    ...permissionEvaluatorType,
    id: 'spy',
    triggers: [trigger],
    calls: 0,
    detect() {
      rule.calls++;
      return [];
    },
  };
  return rule;
}

const EVALUATOR_ROUTER = lines(
  "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
  '',
  'export interface RouterOptions {',
  '  permissions: PermissionEvaluator;',
  '}',
  '',
);

describe('a file being typed (syntax errors)', () => {
  const typing = lines(
    "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
    'export interface RouterOptions {',
    '  permissions: PermissionEvaluator;',
    '  logger: ',
    '}',
    'export function make(p: PermissionEvaluator) {',
    '  return p.authorize(',
    '',
  );

  it('still reports what the tree shows, offers no fix, and says why', () => {
    assert.deepEqual(analyze('/p/router.ts', typing, ALL), {
      findings: [123, 181].map((start) => ({
        range: { start, end: start + 'PermissionEvaluator'.length },
        message: PE_MESSAGE,
        fixes: [],
        ruleId: 'permission-evaluator-type',
        severity: 'warning',
        notFixableReason: 'the file has syntax errors; fix them first',
      })),
      failures: [],
      syntaxError: '5:1 Type expected.',
    });
  });

  it('refuses a fix asked for anyway (a stale editor request), and fix-all changes nothing', () => {
    const ref = { ruleId: 'permission-evaluator-type', start: 123, optionId: 'use-permissions-service' };
    assert.deepEqual(fixFinding('/p/router.ts', typing, ref, ALL), {
      ok: false,
      reason: 'the file has syntax errors; fix them first',
    });
    const result = fixAll('/p/router.ts', typing, ALL);
    assert.equal(result.text, typing);
    assert.deepEqual(result.applied, []);
    assert.equal(result.remaining.length, 2);
  });
});

describe('files that are never parsed', () => {
  it('a file over maxFileSize is skipped with a message, before any rule sees it', () => {
    const spy = spyRule('PermissionEvaluator');
    const text = EVALUATOR_ROUTER + '// padding\n'.repeat(100);
    const options = { rules: [spy], maxFileSize: 1000 };
    assert.deepEqual(analyze('/p/router.ts', text, options), {
      findings: [],
      failures: [],
      skipped: 'skipped: the file is larger than 1000 characters (raise backstageAuth.maxFileSize to analyze it)',
    });
    assert.equal(spy.calls, 0);
    const ref = { ruleId: 'permission-evaluator-type', start: 123, optionId: 'use-permissions-service' };
    assert.deepEqual(fixFinding('/p/router.ts', text, ref, { ...ALL, maxFileSize: 1000 }), {
      ok: false,
      reason: 'skipped: the file is larger than 1000 characters (raise backstageAuth.maxFileSize to analyze it)',
    });
  });

  it('a minified or generated file is skipped the same way for TypeScript, JavaScript and config files', () => {
    const minified =
      'var a=require("@backstage/backend-common");' +
      'function f(o){var t=o.tokenManager;return t.getToken().then(function(r){return r.token})}'.repeat(40) +
      '\n//# sourceMappingURL=router.js.map\n';
    const config = `auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true, x: "${'y'.repeat(3000)}" } } }\n`;
    const spy = spyRule('getToken');
    const guestSpy = { ...spyRule('guest'), language: 'yaml' as const } as unknown as ConfigRule;
    const skipped = 'skipped: the file looks generated or minified (very long lines)';
    for (const [fileName, text] of [
      ['/p/dist/router.js', minified],
      ['/p/src/router.ts', minified],
      ['/p/src/router.cjs', minified],
      ['/p/app-config.yaml', config],
    ]) {
      assert.deepEqual(analyze(fileName, text, { rules: [spy, guestSpy] }), { findings: [], failures: [], skipped }, fileName);
      assert.deepEqual(analyze(fileName, text, ALL), { findings: [], failures: [], skipped }, fileName);
    }
    assert.equal(spy.calls, 0);
  });

  it('long lines alone are not "generated": an ordinary file with one long string is analyzed', () => {
    const text = EVALUATOR_ROUTER + `export const banner = '${'='.repeat(2500)}';\n` + '// a comment line\n'.repeat(20);
    assert.equal(analyze('/p/router.ts', text, ALL).findings.length, 1);
  });

  it('binary content with a source extension is skipped, NUL bytes or not', () => {
    const png = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' + EVALUATOR_ROUTER;
    assert.deepEqual(analyze('/p/logo.ts', png, ALL), {
      findings: [],
      failures: [],
      skipped: 'skipped: the file looks binary (it contains NUL bytes)',
    });
    // What a lenient UTF-8 decoder makes of binary bytes: mostly replacement characters.
    const decoded = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 128) % 256).filter((b) => b !== 0)).toString('utf8');
    assert.deepEqual(analyze('/p/blob.js', decoded + EVALUATOR_ROUTER, ALL), {
      findings: [],
      failures: [],
      skipped: 'skipped: the file looks binary or is not UTF-8 (many characters could not be decoded)',
    });
  });

  it('one undecodable character in a source file: skipped with where it is (TypeScript reads the file as binary)', () => {
    const latin1 = EVALUATOR_ROUTER.replace('export interface', '// Gr\uFFFD\uFFFDe an die Kollegen\nexport interface');
    assert.deepEqual(analyze('/p/router.ts', latin1, ALL), {
      findings: [],
      failures: [],
      skipped: 'skipped: the file contains U+FFFD at 3:6 (bytes that were not UTF-8); TypeScript cannot parse it',
    });
  });

  it('a few undecodable characters in a config file: analyzed, and the fix keeps them as they are', () => {
    const config = lines(
      '# F\uFFFDr die Produktion',
      'auth:',
      '  providers:',
      '    guest:',
      '      dangerouslyAllowOutsideDevelopment: true',
      '',
    );
    assert.equal(
      fixAll('/p/app-config.production.yaml', config, ALL).text,
      lines('# F\uFFFDr die Produktion', 'auth:', '  providers:', '    guest: null', ''),
    );
  });
});

/** A rule that rewrites `let marker = 0;` with text built with '\n' (what the safety net is for). */
const insertsLf: Rule = {
  ...permissionEvaluatorType,
  id: 'inserts-lf',
  triggers: ['marker'],
  detect(ctx) {
    const start = ctx.text.indexOf('let marker = 0;');
    if (start < 0) return [];
    return [{ range: { start, end: start + 'let marker = 0;'.length }, message: 'marker', fixes: [{ id: 'x', title: 'x', preferred: true }] }];
  },
  fix({ sourceFile }) {
    const statement = sourceFile.getVariableStatementOrThrow((s) => s.getText() === 'let marker = 0;');
    replaceVerbatim(statement, 'let marker = 1;\nconst help = `line one\nline two`;\nconst done = true;');
  },
};

describe('line breaks of inserted text', () => {
  it('follow a CRLF file, except inside the template literal the rule wrote', () => {
    const before = 'const a = 1;\r\nlet marker = 0;\r\nconst b = `kept\nas is`;\r\n';
    const { text } = fixAll('/p/x.ts', before, { rules: [insertsLf] });
    assert.equal(
      text,
      'const a = 1;\r\nlet marker = 1;\r\nconst help = `line one\nline two`;\r\nconst done = true;\r\nconst b = `kept\nas is`;\r\n',
    );
  });

  it('follow the dominant style of a mixed file', () => {
    assert.equal(dominantLineBreak('a\r\nb\r\nc\n'), '\r\n');
    assert.equal(dominantLineBreak('a\r\nb\nc\n'), '\n');
    assert.equal(dominantLineBreak('a\r\nb\n'), '\n');
    assert.equal(dominantLineBreak('one line'), '\n');
    // Mostly LF with one CRLF line: ts-morph writes CRLF for such a file; the engine takes LF.
    assert.equal(matchLineBreaks('a\nb\r\nc\n', 'a\nx\r\ny\r\nb\r\nc\n'), 'a\nx\ny\nb\r\nc\n');
  });

  it('never split a CRLF pair the edit ends next to', () => {
    assert.equal(matchLineBreaks('a:\r\n  b: 1\r\nc: 2\r\n', 'a: null\nc: 2\r\n'), 'a: null\r\nc: 2\r\n');
  });
});

describe('JSX and TSX', () => {
  it('a .tsx component with an old type is fixed like any TypeScript file, JSX intact', () => {
    const tsx = lines(
      "import React from 'react';",
      "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
      'export function Page(props: { permissions: PermissionEvaluator }) {',
      '  return <div title="x">{String(props.permissions)}</div>;',
      '}',
      '',
    );
    assert.equal(
      fixAll('/p/page.tsx', tsx, ALL).text,
      lines(
        "import React from 'react';",
        "import type { PermissionsService } from '@backstage/backend-plugin-api';",
        '',
        'export function Page(props: { permissions: PermissionsService }) {',
        '  return <div title="x">{String(props.permissions)}</div>;',
        '}',
        '',
      ),
    );
  });

  it('a .jsx file is parsed as JSX (the JSX is no syntax error) and reports its findings', () => {
    const jsx = lines(
      'export async function Token({ tokenManager }) {',
      '  const { token } = await tokenManager.getToken();',
      '  return <pre>{token}</pre>;',
      '}',
      '',
    );
    const analysis = analyze('/p/token.jsx', jsx, { rules: [tokenManagerGetToken] });
    assert.equal(analysis.syntaxError, undefined);
    assert.deepEqual(analysis.findings.map((f) => [f.ruleId, jsx.slice(f.range.start, f.range.end)]), [
      ['token-manager-get-token', 'tokenManager.getToken()'],
    ]);
  });
});

/** Adds `import { createLegacyAuthAdapters } ...` whatever the file already has. */
const addsImport: Rule = {
  ...insertsLf,
  id: 'adds-import',
  fix({ sourceFile }) {
    sourceFile.insertImportDeclaration(0, { moduleSpecifier: '@backstage/backend-common', namedImports: ['createLegacyAuthAdapters'] });
    sourceFile.getVariableStatementOrThrow((s) => s.getText() === 'let marker = 0;').replaceWithText('let marker = 1;');
  },
};

describe('JavaScript that mixes require and import', () => {
  const mixed = lines(
    "import express from 'express';",
    "const { createLegacyAuthAdapters } = require('@backstage/backend-common');",
    'let marker = 0;',
    '',
  );

  it('a fix that would declare a name the file already has is refused (the module would not load)', () => {
    assert.deepEqual(fixFinding('/p/router.js', mixed, { ruleId: 'adds-import', start: mixed.indexOf('let'), optionId: 'x' }, { rules: [addsImport] }), {
      ok: false,
      reason: 'the rewrite would declare `createLegacyAuthAdapters` twice in one scope, so it is not offered',
    });
  });

  it('the same import in a file without the name is fine', () => {
    const fresh = mixed.replace('{ createLegacyAuthAdapters }', '{ HostDiscovery }');
    const result = fixFinding('/p/router.js', fresh, { ruleId: 'adds-import', start: fresh.indexOf('let'), optionId: 'x' }, { rules: [addsImport] });
    assert.equal(result.ok, true);
  });

  it('with every rule: the existing require binding is reused, not imported again', () => {
    const router = lines(
      "import express from 'express';",
      "const { createLegacyAuthAdapters } = require('@backstage/backend-common');",
      'async function createRouter(options) {',
      '  const { tokenManager } = options;',
      '  const router = express.Router();',
      "  router.get('/token', async (_req, res) => {",
      '    const { token } = await tokenManager.getToken();',
      '    res.json({ token });',
      '  });',
      '  return router;',
      '}',
      'module.exports = { createRouter };',
      '',
    );
    const result = fixAll('/p/router.js', router, ALL);
    assert.deepEqual(result.applied.map((a) => a.ruleId), ['router-auth-adapters']);
    assert.equal(
      result.text,
      router.replace('  const router = express.Router();', '  const { auth } = createLegacyAuthAdapters(options);\n  const router = express.Router();'),
    );
    // The token's target is unknown: the user picks it.
    assert.deepEqual(
      result.remaining.map((f) => [f.ruleId, f.fixes.map((o) => o.id)]),
      [['token-manager-get-token', ['target:catalog']]],
    );
  });
});
