// The language server under load and abuse, through a real JSON-RPC connection to dist/server.js:
// a thousand edits in one burst, fifty files opened at once, and requests no editor should send.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp';

const DEBOUNCE_MS = 20;
const RULE = 'permission-evaluator-type';

/** A router whose number of `PermissionEvaluator` fields (so of findings) is `fields`. */
function router(fields: number, note = ''): string {
  const members = Array.from({ length: fields }, (_, i) => `  evaluator${i}: PermissionEvaluator;`);
  return [
    "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
    '',
    'export interface RouterOptions {',
    '  logger: unknown;',
    ...members,
    '}',
    `// ${note}`,
    '',
  ].join('\n');
}

/** Findings of this rule in a published diagnostics list. */
const ofRule = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === RULE);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('language server under load', () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start({ settings: { debounceMs: DEBOUNCE_MS } });
  });

  after(() => client.stop());

  it('1,000 edits in a burst: settles on the last version, never publishes a stale one, answers hovers meanwhile', async () => {
    const uri = 'file:///workspace/plugins/burst/src/router.ts';
    const fieldsOf = (version: number) => version % 4; // 0..3 findings, so every version's content is recognisable
    const from = client.published.length;
    await client.open(uri, router(fieldsOf(1), 'v1'), 1);
    const LAST = 1001;
    let hoverDuringBurst: Promise<unknown> | undefined;
    for (let version = 2; version <= LAST; version++) {
      // Not awaited one by one: the notifications go out back to back, as fast as the pipe takes them.
      void client.change(uri, version, router(fieldsOf(version), `v${version}`));
      if (version === 500) hoverDuringBurst = client.hover(uri, { line: 4, character: 16 });
    }
    const last = await client.diagnostics(uri, LAST, 60_000);
    const hover = await hoverDuringBurst;
    assert.ok(hover === null || typeof hover === 'object', 'the hover sent mid-burst is answered');
    await settle(DEBOUNCE_MS * 10);

    const published: PublishDiagnosticsParams[] = client.published.slice(from).filter((p) => p.uri === uri);
    assert.equal(ofRule(last).length, fieldsOf(LAST));
    assert.equal(published.at(-1)!.version, LAST, 'nothing is published after the last version');
    const versions = published.map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'versions are published in order');
    // Whatever was published in between belongs to its own version (count and data agree).
    for (const p of published) {
      assert.equal(ofRule(p.diagnostics).length, fieldsOf(p.version!), `version ${p.version}`);
      for (const d of p.diagnostics) assert.equal((d.data as { version: number }).version, p.version);
    }
    assert.ok(published.length < 100, `a burst is debounced (${published.length} publishes for 1,000 edits)`);

    const after = await client.hover(uri, { line: 4, character: 16 });
    assert.ok(after && JSON.stringify(after.contents).includes(RULE), 'a hover after the burst explains the finding');
    await client.close(uri);
  });

  it('50 files opened at once: every one gets its own diagnostics', async () => {
    const uris = Array.from({ length: 50 }, (_, i) => `file:///workspace/plugins/many/src/router${i}.ts`);
    await Promise.all(uris.map((uri, i) => client.open(uri, router(1 + (i % 3), uri), 1)));
    const all = await Promise.all(uris.map((uri) => client.diagnostics(uri, 1, 60_000)));
    assert.deepEqual(
      all.map((d) => ofRule(d).length),
      uris.map((_, i) => 1 + (i % 3)),
    );
    await Promise.all(uris.map((uri) => client.close(uri)));
  });
});

describe('language server: requests no editor should send', () => {
  let client: LspClient;
  const uri = 'file:///workspace/plugins/odd/src/router.ts';

  before(async () => {
    client = await LspClient.start({ settings: { debounceMs: DEBOUNCE_MS } });
    await client.open(uri, router(2), 1);
    await client.diagnostics(uri, 1);
  });

  after(() => client.stop());

  /** The request's answer, or the JSON-RPC error code it was refused with. */
  async function answer(method: string, params: unknown): Promise<unknown> {
    try {
      return await client.connection.sendRequest(method, params);
    } catch (error) {
      return { errorCode: (error as { code?: number }).code };
    }
  }

  it('a hover or code action for a document that is not open: empty answers', async () => {
    const unknown = 'file:///nowhere/never-opened.ts';
    assert.equal(await client.hover(unknown, { line: 0, character: 0 }), null);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
    assert.deepEqual(await client.codeActions(unknown, range, []), []);
  });

  it('positions far outside the document: clamped, no crash', async () => {
    assert.equal(await client.hover(uri, { line: 10_000, character: 10_000 }), null);
    assert.equal(await client.hover(uri, { line: -1, character: -1 }), null);
    // No finding there, so no quick fix; the file-wide fix is offered wherever the cursor is.
    const huge = { start: { line: 99_999, character: 0 }, end: { line: 100_000, character: 3 } };
    const titles = (await client.codeActions(uri, huge, [])).map((a) => a.title);
    assert.deepEqual(titles, ['Fix all Backstage auth problems']);
  });

  it('a code action for a document closed in the meantime: nothing offered, resolve gives no edit', async () => {
    const closing = 'file:///workspace/plugins/odd/src/closing.ts';
    await client.open(closing, router(1), 1);
    const [diagnostic] = ofRule(await client.diagnostics(closing, 1));
    const actions = await client.codeActions(closing, diagnostic.range, [diagnostic]);
    assert.ok(actions.length > 0);
    await client.close(closing);
    assert.deepEqual(await client.codeActions(closing, diagnostic.range, [diagnostic]), []);
    // Quick fixes carry their edit, versioned: a client applies it only to version 1, which is gone.
    // The fix for the whole file is computed on resolve, and there is nothing to compute it on.
    for (const action of actions as CodeAction[]) {
      if (action.edit) {
        assert.deepEqual(action.edit.documentChanges?.map((c) => (c as TextDocumentEdit).textDocument), [{ uri: closing, version: 1 }]);
      } else {
        assert.equal((await client.resolve(action)).edit, undefined, action.title);
      }
    }
  });

  it('malformed params and unknown methods: an error or an empty answer, never a crash', async () => {
    // What counts: no answer, no quick fix for garbage (the file-wide fix is always there), or a
    // JSON-RPC error; and the server still there after it.
    const emptyOrError = (value: unknown) =>
      value === null ||
      (Array.isArray(value) && value.every((a: CodeAction) => a.kind === 'source.fixAll.backstageAuth')) ||
      typeof (value as { errorCode?: unknown }).errorCode === 'number';
    const malformed: [string, unknown][] = [
      ['textDocument/hover', {}],
      ['textDocument/hover', null],
      ['textDocument/hover', { textDocument: { uri: 42 }, position: 'start' }],
      ['textDocument/codeAction', { textDocument: { uri }, range: null, context: null }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 'a' }, end: {} }, context: { diagnostics: [{}] } }],
    ];
    for (const [method, params] of malformed) {
      const value = await answer(method, params);
      assert.ok(emptyOrError(value), `${method} ${JSON.stringify(params)} -> ${JSON.stringify(value)}`);
    }
    const forged = await answer('codeAction/resolve', { title: 'forged', data: { uri, ruleId: RULE, start: -5, version: 99 } });
    assert.equal((forged as { edit?: unknown }).edit, undefined);
    assert.deepEqual(await answer('backstageAuth/noSuchRequest', {}), { errorCode: -32601 });
    // Notifications the server cannot apply: unknown document, a change range past the end.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: 'file:///nowhere/x.ts', version: 2 },
      contentChanges: [{ text: 'x' }],
    });
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 500, character: 0 }, end: { line: 900, character: 4 } }, text: '// appended\n' }],
    });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///nowhere/y.ts' } });
    // Still up, and still right: version 2 got the edit at the end of the file.
    const diagnostics = await client.diagnostics(uri, 2);
    assert.equal(ofRule(diagnostics).length, 2);
    assert.ok(client.alive);
    const hover = await client.hover(uri, { line: 4, character: 16 });
    assert.ok(hover && JSON.stringify(hover.contents).includes(RULE));
  });
});
