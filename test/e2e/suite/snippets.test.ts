/// <reference types="mocha" />
// The snippets the extension contributes are offered where they belong: the TypeScript ones in a
// TypeScript file, the YAML ones in an app-config file, each with its prefix, name and body from
// snippets/*.json of the extension that is installed in this editor.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceUri } from './helpers';

interface SnippetFile {
  [name: string]: { prefix: string; body: string[]; description?: string };
}

interface Offered {
  prefix: string;
  name: string | undefined;
  body: string;
}

/** Every snippet prefix of ours starts like this (no other snippet source uses it). */
const OUR_PREFIX = 'bs-';

function contributed(language: 'typescript' | 'yaml'): Offered[] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this editor`);
  const contributions = extension.packageJSON.contributes.snippets as { language: string; path: string }[];
  const file = contributions.find((c) => c.language === language);
  assert.ok(file, `no ${language} snippets in the manifest`);
  const snippets = JSON.parse(readFileSync(join(extension.extensionPath, file.path), 'utf8')) as SnippetFile;
  return Object.entries(snippets)
    .map(([name, snippet]) => ({ prefix: snippet.prefix, name, body: snippet.body.join('\n') }))
    .sort(byPrefix);
}

/** Snippet completions at the end of the file whose prefix is one of ours. */
async function offered(uri: vscode.Uri): Promise<Offered[]> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const end = document.lineAt(document.lineCount - 1);
  assert.equal(end.text, '', `${uri.fsPath} does not end with an empty line`);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, end.range.start);
  return list.items
    .filter((item) => item.kind === vscode.CompletionItemKind.Snippet)
    .map((item) => {
      const label = typeof item.label === 'string' ? { label: item.label, description: undefined } : item.label;
      const body = item.insertText instanceof vscode.SnippetString ? item.insertText.value : String(item.insertText);
      return { prefix: label.label, name: label.description, body };
    })
    .filter((item) => item.prefix.startsWith(OUR_PREFIX))
    .sort(byPrefix);
}

function byPrefix(a: Offered, b: Offered): number {
  return a.prefix.localeCompare(b.prefix);
}

suite('Snippets', () => {
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('a TypeScript file offers exactly our TypeScript snippets', async () => {
    const want = contributed('typescript');
    assert.deepEqual(want.map((s) => s.prefix), [
      'bs-auth-policy',
      'bs-backend-plugin',
      'bs-credentials-optional-user',
      'bs-credentials-user',
      'bs-plugin-token',
      'bs-plugin-token-request',
      'bs-router-options',
    ]);
    assert.deepEqual(await offered(workspaceUri('plugins/bookmarks-backend/src/permissions.ts')), want);
  });

  test('an app-config YAML file offers exactly our YAML snippets', async () => {
    const want = contributed('yaml');
    assert.deepEqual(want.map((s) => s.prefix), ['bs-guest-provider', 'bs-guest-provider-off']);
    assert.deepEqual(await offered(workspaceUri('app-config.production.yaml')), want);
  });
});
