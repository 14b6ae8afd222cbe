/// <reference types="mocha" />
// The example folder opened without trusting it (Restricted Mode): analysis is read-only, so the
// diagnostics still come; the commands that run a package manager or weaken auth refuse, and
// nothing changes on disk.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { GUEST_REPO } from './guestRepo';
import { expectedLocated, loadExpectations, loadScenarios, readText, readTree, settledDiagnostics, workspaceUri } from './helpers';

suite('Restricted Mode (the folder is not trusted)', () => {
  const expected = loadExpectations();
  const scenarios = loadScenarios();

  test('the editor does not trust the folder', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('diagnostics still appear', async () => {
    const uri = workspaceUri(expected.file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const want = expectedLocated(expected.diagnostics);
    assert.ok(want.length > 0);
    assert.deepEqual(await settledDiagnostics(uri, want), want);
  });

  test('Set Up Guest Provider refuses: no install, no file changed', async () => {
    const { folder } = scenarios.guestSetup;
    const outcome = await vscode.commands.executeCommand('backstageAuth.setUpGuestProvider', { folder: vscode.Uri.file(folder).toString(), confirmed: true });
    assert.deepEqual(outcome, {
      done: false,
      reason: 'it installs a package and changes files, which Restricted Mode does not allow; trust the workspace first',
    });
    assert.deepEqual(readTree(folder), GUEST_REPO);
    assert.equal(existsSync(join(folder, 'node_modules')), false);
  });

  test('Disable Default Auth Policy refuses: the config stays as it was', async () => {
    const { file, before } = scenarios.disableDefaultAuthPolicy;
    const uri = workspaceUri(file);
    const outcome = await vscode.commands.executeCommand('backstageAuth.disableDefaultAuthPolicy', { uri: uri.toString(), confirmed: true });
    assert.deepEqual(outcome, {
      changed: false,
      reason: "it weakens the backend's auth, which Restricted Mode does not allow; trust the workspace first",
    });
    assert.equal(readText(uri.fsPath), before);
  });
});
