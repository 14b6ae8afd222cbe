// The language server through a real JSON-RPC connection: diagnostics, hover, quick fixes,
// fix-all, versioning, settings, and documents that must not take the server down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { fixAll } from '../../server/src/engine/engine';
import { allRules } from '../../server/src/rules';
import { permissionEvaluatorType as rule } from '../../server/src/rules/permission-evaluator-type';
import { applyTextEdits, editsFor, isCodeAction, LspClient } from '../support/lsp';
import { generateLegacyRouter } from '../../bench/file/generate';
import { LEGACY_ROUTER } from './legacyPlugin';

const RULE = rule.id;
const URI = 'file:///workspace/plugins/bookmarks-backend/src/service/router.ts';
const DEBOUNCE_MS = 30;

const ruleDiagnostic = (line: number, from: number, to: number) => ({
  range: { start: { line, character: from }, end: { line, character: to } },
  severity: 2,
  source: 'backstage-auth',
  code: RULE,
  codeDescription: { href: 'https://backstage.io/docs/tutorials/auth-service-migration#example-2-forwarding-credentials-from-an-incoming-request' },
  message: '`PermissionEvaluator` cannot take credentials; use `PermissionsService`.',
});

/** What fix-all must produce: the engine's answer for the same text (computed once). */
let engineFixAll: string | undefined;
const expectedFixAll = () =>
  (engineFixAll ??= fixAll('/workspace/plugins/bookmarks-backend/src/service/router.ts', LEGACY_ROUTER, { rules: allRules }).text);

const withoutData = ({ data: _data, ...rest }: Diagnostic) => rest;
const ofRule = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === RULE);

async function actionsAt(client: LspClient, uri: string, diagnostic: Diagnostic, only?: string[]): Promise<CodeAction[]> {
  const items = await client.codeActions(uri, diagnostic.range, [diagnostic], only);
  return items.filter(isCodeAction);
}

describe('language server', () => {
  let client: LspClient;
  let version = 0;
  let diagnostics: Diagnostic[];

  before(async () => {
    client = await LspClient.start({ settings: { debounceMs: DEBOUNCE_MS } });
    version = 1;
    await client.open(URI, LEGACY_ROUTER, version);
    diagnostics = await client.diagnostics(URI, version);
  });

  after(() => client.stop());

  it('announces hover, code actions with resolve, and incremental sync', () => {
    assert.deepEqual(client.capabilities.codeActionProvider, {
      codeActionKinds: ['quickfix', 'source.fixAll.backstageAuth'],
      resolveProvider: true,
    });
    assert.equal(client.capabilities.hoverProvider, true);
    assert.deepEqual(client.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
  });

  it('publishes exactly the permission-evaluator-type diagnostics, with data for code actions', () => {
    assert.deepEqual(ofRule(diagnostics).map(withoutData), [ruleDiagnostic(27, 15, 34), ruleDiagnostic(64, 36, 55)]);
    const offset = (line: number, character: number) =>
      LEGACY_ROUTER.split('\n').slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
    assert.deepEqual(ofRule(diagnostics).map((d) => d.data), [
      { ruleId: RULE, start: offset(27, 15), version: 1 },
      { ruleId: RULE, start: offset(64, 36), version: 1 },
    ]);
  });

  it('publishes every finding with source, code, docs link and the version it belongs to', () => {
    const rules = new Map(allRules.map((r) => [r.id, r]));
    for (const d of diagnostics) {
      assert.equal(d.source, 'backstage-auth');
      const owner = rules.get(String(d.code));
      assert.ok(owner, `unknown rule ${d.code}`);
      assert.deepEqual(d.codeDescription, { href: owner.docsUrl });
      assert.equal((d.data as { version: number }).version, 1);
    }
  });

  it('explains a finding on hover: title, explanation, example, fix status and docs link', async () => {
    const hover = await client.hover(URI, { line: 27, character: 20 });
    const ours = hover && typeof hover.contents === 'object' && 'kind' in hover.contents ? hover.contents : undefined;
    assert.equal(ours?.kind, 'markdown');
    assert.deepEqual(hover?.range, ruleDiagnostic(27, 15, 34).range);
    assert.equal(
      ours?.value,
      [
        '**PermissionEvaluator -\\> PermissionsService** (`permission-evaluator-type`)',
        '`PermissionEvaluator` cannot take credentials; use `PermissionsService`.',
        rule.explanation,
        'Before:\n\n```ts\n' + rule.example.before.trimEnd() + '\n```',
        'After:\n\n```ts\n' + rule.example.after.trimEnd() + '\n```',
        'Quick fix available: *Use PermissionsService* (preferred).',
        `[Migration guide](${rule.docsUrl})`,
        '---',
        // Which shape the fixes aim for, and why (this test file has no package.json).
        "*Target legacy-compatible: no package.json was found for this file, so the migration guide's shape is used.*",
      ].join('\n\n'),
    );
  });

  it('has no hover away from findings', async () => {
    assert.equal(await client.hover(URI, { line: 17, character: 3 }), null);
  });

  it('offers the quick fix, the fix for the rule, the opt-out and the fix for the file, in that order', async () => {
    const [first] = ofRule(diagnostics);
    const actions = await actionsAt(client, URI, first);
    const aboutRule = actions.filter((a) => a.diagnostics?.[0]?.code === RULE || a.title.includes(RULE) || a.kind === 'source.fixAll.backstageAuth');
    assert.deepEqual(
      aboutRule.map((a) => [a.title, a.kind, a.isPreferred]),
      [
        ['Use PermissionsService', 'quickfix', true],
        [`Fix all '${RULE}' problems in this file`, 'quickfix', undefined],
        [`Ignore '${RULE}' on this line`, 'quickfix', false],
        ['Fix all Backstage auth problems', 'source.fixAll.backstageAuth', undefined],
      ],
    );
    assert.deepEqual(aboutRule[0].data, { ruleId: RULE, optionId: 'use-permissions-service' });
    assert.deepEqual(aboutRule[0].diagnostics, [first]);
    assert.deepEqual(aboutRule[2].diagnostics, [first]);
  });

  it('the opt-out inserts an ignore comment above the line, which hides that finding only', async () => {
    const [first, second] = ofRule(diagnostics);
    const ignore = (await actionsAt(client, URI, first)).find((a) => a.title === `Ignore '${RULE}' on this line`)!;
    const ignored = applyTextEdits(LEGACY_ROUTER, editsFor(ignore.edit!, URI));
    assert.equal(
      ignored,
      LEGACY_ROUTER.replace(
        '  permissions: PermissionEvaluator;',
        `  // backstage-auth-ignore-next-line ${RULE}\n  permissions: PermissionEvaluator;`,
      ),
    );
    const uri = URI.replace('router.ts', 'ignored.ts');
    await client.open(uri, ignored, 1);
    const remaining = ofRule(await client.diagnostics(uri, 1));
    assert.deepEqual(remaining.map((d) => d.range), [
      { start: { line: second.range.start.line + 1, character: 36 }, end: { line: second.range.end.line + 1, character: 55 } },
    ]);
    await client.close(uri);
  });

  it('applying the quick fix gives exactly the expected text', async () => {
    const [first] = ofRule(diagnostics);
    const fix = (await actionsAt(client, URI, first)).find((a) => a.title === 'Use PermissionsService')!;
    const change = fix.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change);
    assert.deepEqual(change.textDocument, { uri: URI, version: 1 });
    const expected = LEGACY_ROUTER.replace(
      "import { LoggerService } from '@backstage/backend-plugin-api';",
      "import { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';",
    ).replace('  permissions: PermissionEvaluator;', '  permissions: PermissionsService;');
    assert.equal(applyTextEdits(LEGACY_ROUTER, editsFor(fix.edit!, URI)), expected);
  });

  it("fixes all of one rule's problems", async () => {
    const [first] = ofRule(diagnostics);
    const action = (await actionsAt(client, URI, first)).find((a) => a.title === `Fix all '${RULE}' problems in this file`)!;
    assert.equal(action.edit, undefined, 'the edit is computed on resolve');
    const fixed = applyTextEdits(LEGACY_ROUTER, editsFor(await client.editOf(action), URI));
    const expected = LEGACY_ROUTER.replace(
      "import { LoggerService } from '@backstage/backend-plugin-api';",
      "import { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';",
    )
      .replace('  PermissionEvaluator,\n', '')
      .replace('  permissions: PermissionEvaluator;', '  permissions: PermissionsService;')
      .replace('(evaluator: PermissionEvaluator,', '(evaluator: PermissionsService,');
    assert.equal(fixed, expected);
  });

  it('answers source.fixAll (for codeActionsOnSave) with the same result as the engine', async () => {
    for (const only of [['source.fixAll.backstageAuth'], ['source.fixAll'], ['source']]) {
      const actions = (await client.codeActions(URI, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], only)).filter(isCodeAction);
      assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all Backstage auth problems', 'source.fixAll.backstageAuth']]);
      const fixed = applyTextEdits(LEGACY_ROUTER, editsFor(await client.editOf(actions[0]), URI));
      assert.equal(fixed, expectedFixAll());
      assert.notEqual(fixed, LEGACY_ROUTER);
    }
  });

  it('gives no quick fixes for quickfix-only requests outside findings', async () => {
    const actions = await client.codeActions(URI, { start: { line: 17, character: 0 }, end: { line: 17, character: 5 } }, [], ['quickfix']);
    assert.deepEqual(actions, []);
  });

  it('settles a burst of edits on the last version, never publishing a stale one', async () => {
    const from = client.published.length;
    const first = version + 1;
    for (let i = 0; i < 8; i++) {
      version++;
      await client.change(URI, version, `${LEGACY_ROUTER}// edit ${i}\n`);
    }
    await client.diagnostics(URI, version);
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS * 4));
    const versions = client.published.slice(from).filter((p) => p.uri === URI).map((p) => p.version);
    assert.deepEqual(versions, [version]);
    assert.ok(first < version);
  });

  it('refuses quick fixes computed for a version that is gone, but still fixes all of the current one', async () => {
    const current = await client.diagnostics(URI, version);
    const [old] = ofRule(current);
    const offered = await actionsAt(client, URI, old);
    const fixFile = offered.find((a) => a.kind === 'source.fixAll.backstageAuth')!;
    version++;
    await client.change(URI, version, `${LEGACY_ROUTER}// moved on\n`);
    // A save right after typing sends the previous version's diagnostics: the whole-file fix
    // (what editor.codeActionsOnSave asks for) is still offered, for the current version only.
    const afterEdit = await actionsAt(client, URI, old);
    assert.deepEqual(
      afterEdit.map((a) => [a.title, a.kind, (a.data as { version?: number } | undefined)?.version]),
      [['Fix all Backstage auth problems', 'source.fixAll.backstageAuth', version]],
    );
    const resolvedNow = await client.resolve(afterEdit[0]);
    const change = resolvedNow.edit?.documentChanges?.[0] as { textDocument: { version: number } } | undefined;
    assert.equal(change?.textDocument.version, version);
    const resolved = await client.resolve(fixFile);
    assert.equal(resolved.edit, undefined, 'a fix-all offered for the old version resolves to nothing');
  });

  it('applies severity settings and re-publishes open documents', async () => {
    await client.configure({ debounceMs: DEBOUNCE_MS, severity: { [RULE]: 'error' } });
    const waitFor = async (check: (d: Diagnostic[]) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const last = client.published.filter((p) => p.uri === URI).at(-1);
        if (last && last.version === version && check(last.diagnostics)) return last.diagnostics;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('settings were not applied');
    };
    const asErrors = await waitFor((d) => ofRule(d).length === 2 && ofRule(d).every((x) => x.severity === 1));
    assert.deepEqual(ofRule(asErrors).map((d) => d.severity), [1, 1]);
    await client.configure({ debounceMs: DEBOUNCE_MS, severity: { [RULE]: 'off' } });
    await waitFor((d) => ofRule(d).length === 0);
    await client.configure({ debounceMs: DEBOUNCE_MS });
    await waitFor((d) => ofRule(d).length === 2 && ofRule(d).every((x) => x.severity === 2));
  });

  it('reports findings in a file with a syntax error, without fixes, and stays up', async () => {
    const uri = 'file:///workspace/plugins/bookmarks-backend/src/broken.ts';
    const text = 'export interface Options {\n  permissions: PermissionEvaluator;\n}\nexport function broken( {\n';
    await client.open(uri, text, 1);
    const found = ofRule(await client.diagnostics(uri, 1));
    assert.deepEqual(found.map(withoutData), [
      {
        ...ruleDiagnostic(1, 15, 34),
        message:
          '`PermissionEvaluator` cannot take credentials; use `PermissionsService`. (not fixable automatically: the file has syntax errors; fix them first)',
      },
    ]);
    // No fix in a file that does not parse; only the opt-out.
    assert.deepEqual((await actionsAt(client, uri, found[0])).map((a) => a.title), [`Ignore '${RULE}' on this line`]);
    assert.ok(client.alive);
    await client.close(uri);
  });

  it('skips a binary-looking file with one message in the output, and stays up', async () => {
    const uri = 'file:///workspace/plugins/bookmarks-backend/src/blob.ts';
    const text = `const permissions: PermissionEvaluator = load();\u0000\u0001\u0002`;
    await client.open(uri, text, 1);
    assert.deepEqual(await client.diagnostics(uri, 1), []);
    await client.change(uri, 2, text + '\u0000');
    assert.deepEqual(await client.diagnostics(uri, 2), []);
    const skipped = client.logs.filter((l) => l.message.includes('blob.ts'));
    assert.deepEqual(skipped, [
      { type: 3, message: '/workspace/plugins/bookmarks-backend/src/blob.ts: skipped: the file looks binary (it contains NUL bytes)' },
    ]);
    assert.deepEqual(await client.hover(uri, { line: 0, character: 22 }), null);
    assert.ok(client.alive);
    await client.close(uri);
  });

  it('analyzes open documents again after a save (they may read the saved file)', async () => {
    const from = client.published.length;
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: URI } });
    await client.diagnostics(URI, version);
    for (let i = 0; i < 200 && !client.published.slice(from).some((p) => p.uri === URI); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const again = client.published.slice(from).filter((p) => p.uri === URI);
    assert.deepEqual(again.map((p) => p.version), [version]);
  });

  it('clears the diagnostics of a closed document', async () => {
    const uri = 'file:///workspace/plugins/bookmarks-backend/src/closing.ts';
    await client.open(uri, 'let p: PermissionEvaluator;\n', 1);
    assert.equal(ofRule(await client.diagnostics(uri, 1)).length, 1);
    const from = client.published.length;
    await client.close(uri);
    const cleared = () => client.published.slice(from).filter((p) => p.uri === uri);
    for (let i = 0; i < 200 && cleared().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(cleared(), [{ uri, diagnostics: [] }]);
  });
});

describe('language server for clients without resolve or versioned edits', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ settings: { debounceMs: 0, maxFileSize: 4000 }, resolveEdit: false, documentChanges: false });
  });
  after(() => client.stop());

  it('puts the fix-all edit into the code action itself', async () => {
    await client.open(URI, LEGACY_ROUTER, 1);
    await client.diagnostics(URI, 1);
    const [action, ...rest] = (await client.codeActions(URI, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll'])).filter(isCodeAction);
    assert.deepEqual(rest, []);
    assert.ok(action.edit?.changes, 'plain `changes` for a client without documentChanges');
    assert.equal(applyTextEdits(LEGACY_ROUTER, editsFor(action.edit, URI)), expectedFixAll());
  });

  it('skips a file over maxFileSize with a message in the output', async () => {
    const uri = 'file:///workspace/plugins/bookmarks-backend/src/huge.ts';
    const text = `let p: PermissionEvaluator;\n${'// filler\n'.repeat(500)}`;
    await client.open(uri, text, 1);
    assert.deepEqual(await client.diagnostics(uri, 1), []);
    assert.deepEqual(client.logs.map((l) => l.message).filter((m) => m.includes('huge.ts')), [
      '/workspace/plugins/bookmarks-backend/src/huge.ts: skipped: the file is larger than 4000 characters (raise backstageAuth.maxFileSize to analyze it)',
    ]);
  });
});

describe('language server while an analysis is running', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ settings: { debounceMs: 0 } });
  });
  after(() => client.stop());

  it('drops the result of a version that an edit replaced during its analysis', async () => {
    // Big enough that the analysis of version 1 is still running when version 2 arrives.
    const text = generateLegacyRouter(4000);
    const uri = 'file:///workspace/plugins/library-backend/src/service/router.ts';
    await client.open(uri, text, 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // An incremental edit, as editors send while typing (a small message, read in one piece).
    const end = { line: text.split('\n').length - 1, character: 0 };
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: end, end }, text: '// edited\n' }],
    });
    await client.diagnostics(uri, 2);
    assert.deepEqual(client.published.filter((p) => p.uri === uri).map((p) => p.version), [2]);
  });
});
