/// <reference types="mocha" />
// The extension starts a language server, which costs memory, so it wakes only for TypeScript
// and JavaScript files and for folders with Backstage app-config YAML files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './helpers';

const ACTIVATION_EVENTS = [
  'onLanguage:typescript',
  'onLanguage:typescriptreact',
  'onLanguage:javascript',
  'onLanguage:javascriptreact',
  'workspaceContains:**/app-config*.{yaml,yml}',
];

const SOURCE_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

suite('Activation', () => {
  const extension = () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in this editor`);
    return found;
  };

  test('the manifest activates on TypeScript/JavaScript and app-config files, nothing broader', () => {
    assert.deepEqual(extension().packageJSON.activationEvents, ACTIVATION_EVENTS);
  });

  test('a folder with app-config files activates it before any file is opened', async () => {
    const configs = await vscode.workspace.findFiles('**/app-config*.{yaml,yml}', '**/node_modules/**');
    assert.deepEqual(
      configs.map((uri) => vscode.workspace.asRelativePath(uri)).sort(),
      ['app-config.production.yaml', 'app-config.yaml'],
    );
    // Nothing has opened a source file, so only workspaceContains can be what wakes it.
    assert.deepEqual(vscode.window.visibleTextEditors.map((e) => e.document.fileName), []);
    const sources = vscode.workspace.textDocuments.filter((d) => SOURCE_LANGUAGES.includes(d.languageId));
    assert.deepEqual(sources.map((d) => d.fileName), []);
    await waitFor('the extension to activate', () => extension().isActive, (active) => active);
  });
});
