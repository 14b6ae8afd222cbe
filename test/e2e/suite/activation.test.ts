/// <reference types="mocha" />
// The extension must stay asleep until a TypeScript/JavaScript file is opened, or the folder
// has Backstage app-config YAML files: it starts a language server, which costs memory.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, loadExpectations, waitFor, workspaceUri } from './helpers';

const ACTIVATION_EVENTS = [
  'onLanguage:typescript',
  'onLanguage:typescriptreact',
  'onLanguage:javascript',
  'onLanguage:javascriptreact',
  'workspaceContains:**/app-config*.{yaml,yml}',
];

suite('Activation', () => {
  const extension = () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in this editor`);
    return found;
  };

  test('the manifest activates on TypeScript/JavaScript and app-config files, nothing broader', () => {
    assert.deepEqual(extension().packageJSON.activationEvents, ACTIVATION_EVENTS);
  });

  test('opening Markdown and JSON files does not activate it', async () => {
    // The example workspace has no app-config file, so only an opened source file may wake it.
    assert.deepEqual(await vscode.workspace.findFiles('**/app-config*.{yaml,yml}', '**/node_modules/**'), []);
    assert.equal(extension().isActive, false, 'active before any file was opened');
    const readme = await vscode.workspace.openTextDocument(workspaceUri('README.md'));
    await vscode.window.showTextDocument(readme);
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(workspaceUri('plugins/bookmarks-backend/package.json')),
    );
    // Markdown answering with symbols shows that the onLanguage:markdown activation has run.
    await waitFor(
      'Markdown document symbols of README.md',
      () => vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', readme.uri),
      (symbols) => Array.isArray(symbols) && symbols.length > 0,
    );
    assert.equal(extension().isActive, false);
  });

  test('opening a TypeScript file activates it', async () => {
    const { file } = loadExpectations();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri(file)));
    await waitFor('the extension to activate', () => extension().isActive, (active) => active);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
