// Every fixture case of every rule, through the language server instead of the engine API:
// open the input, fix it the way an editor would, compare with the expected output exactly.
// Only the case's rule is on (the others are 'off' through workspace/configuration), and the
// case's files are on disk so rules that read sibling files see them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { allRules } from '../../server/src/rules';
import { loadCases } from '../support/fixtures';
import { applyTextEdits, editsFor, fileUri, isCodeAction, LspClient } from '../support/lsp';

const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  yaml: 'yaml',
  yml: 'yaml',
};
const WHOLE_FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function onlyRule(ruleId: string, target = 'auto') {
  const severity = Object.fromEntries(allRules.filter((r) => r.id !== ruleId).map((r) => [r.id, 'off']));
  return { debounceMs: 0, severity, migrationTarget: target };
}

/** `source.fixAll.backstageAuth`, as `editor.codeActionsOnSave` would run it. */
async function fixAllThroughServer(client: LspClient, uri: string, text: string): Promise<string> {
  const actions = (await client.codeActions(uri, WHOLE_FILE_START, [], ['source.fixAll.backstageAuth'])).filter(isCodeAction);
  if (actions.length === 0) return text;
  assert.equal(actions.length, 1);
  const edit = await client.editOf(actions[0]);
  assert.deepEqual(edit.documentChanges?.map((c) => ('textDocument' in c ? c.textDocument : c)), [{ uri, version: 1 }]);
  return applyTextEdits(text, editsFor(edit, uri));
}

/** Applies the quick fix with option `optionId` to the first finding offering it, until none does. */
async function chooseThroughServer(client: LspClient, uri: string, text: string, rule: string, optionId: string): Promise<string> {
  let current = text;
  let version = 1;
  for (let pass = 0; pass < 50; pass++) {
    const diagnostics = (await client.diagnostics(uri, version)).filter((d) => d.code === rule);
    const fix = await firstQuickFix(client, uri, diagnostics, optionId);
    if (!fix) return current;
    current = applyTextEdits(current, editsFor(fix.edit!, uri));
    version++;
    await client.change(uri, version, current);
  }
  throw new Error('the quick fixes did not converge');
}

async function firstQuickFix(client: LspClient, uri: string, diagnostics: Diagnostic[], optionId: string): Promise<CodeAction | undefined> {
  for (const diagnostic of diagnostics) {
    const actions = (await client.codeActions(uri, diagnostic.range, [diagnostic], ['quickfix'])).filter(isCodeAction);
    const fix = actions.find(
      (a) =>
        (a.data as { optionId?: string } | undefined)?.optionId === optionId &&
        JSON.stringify(a.diagnostics?.[0]?.data) === JSON.stringify(diagnostic.data),
    );
    if (fix) return fix;
  }
  return undefined;
}

describe('fixtures through the language server', () => {
  const cases = loadCases();
  let client: LspClient;
  let root: string;
  let configuredFor: string | undefined;

  before(async () => {
    client = await LspClient.start({ settings: { debounceMs: 0 } });
    root = mkdtempSync(join(tmpdir(), 'backstage-auth-lsp-'));
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  for (const fixture of cases) {
    it(`${fixture.rule}/${fixture.name}`, async () => {
      const configuration = `${fixture.rule} ${fixture.options.target ?? 'auto'}`;
      if (configuredFor !== configuration) {
        await client.configure(onlyRule(fixture.rule, fixture.options.target));
        configuredFor = configuration;
      }
      const dir = join(root, fixture.rule, fixture.name);
      for (const file of fixture.files) {
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        writeFileSync(join(dir, file.path), file.input);
      }
      // One file open at a time: its siblings are read from disk, as inputs (like the engine test).
      for (const file of fixture.files) {
        const uri = fileUri(join(dir, file.path));
        const extension = file.path.slice(file.path.lastIndexOf('.') + 1);
        await client.open(uri, file.input, 1, LANGUAGES[extension] ?? 'plaintext');
        await client.diagnostics(uri, 1);
        const fixed = fixture.options.choose
          ? await chooseThroughServer(client, uri, file.input, fixture.rule, fixture.options.choose)
          : await fixAllThroughServer(client, uri, file.input);
        await client.close(uri);
        assert.equal(fixed, file.output, `${file.path} after fixing through the server`);
      }
    });
  }
});
