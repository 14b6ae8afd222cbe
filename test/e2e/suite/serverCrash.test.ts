/// <reference types="mocha" />
// The language server dies (SIGKILL) while it computes "fix all" for a ~2,000-line legacy router:
// the document stays exactly as it was (no half-applied edit), the client starts a new server,
// and the new server's diagnostics are those of the text as it is now, including an edit made
// while no server was running. Runs last: it ends the server the other tests talk to.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectedLocated, loadScenarios, readText, settledDiagnostics, waitFor } from './helpers';
import { cpuTicks, languageServerPids } from './processes';

const FIX_ALL_KIND = 'source.fixAll.backstageAuth';
/** CPU the server must have spent on the request before it is killed: it is busy with it. */
const BUSY_TICKS = 10;

suite('A language server killed in the middle of a request', () => {
  const { crash } = loadScenarios();
  const uri = vscode.Uri.file(crash.file);

  test('no half edit, the client restarts it, diagnostics follow the current text', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const before = expectedLocated(crash.diagnostics);
    assert.ok(before.length > 50, `only ${before.length} findings in the generated router`);
    assert.deepEqual(await settledDiagnostics(uri, before, 120_000), before);

    const [server] = await waitFor('one language server process', languageServerPids, (pids) => pids.length === 1);
    const everything = new vscode.Range(0, 0, document.lineCount, 0);
    // Offered without its edit: the edit is computed in codeAction/resolve, which this asks for.
    const idle = cpuTicks(server)!;
    const request = Promise.resolve(
      vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, everything, FIX_ALL_KIND, 1),
    ).then(
      (actions) => ({ actions }),
      (error: unknown) => ({ error: String(error) }),
    );
    await waitFor('the server to work on the fix-all', () => cpuTicks(server) ?? Infinity, (ticks) => ticks - idle >= BUSY_TICKS, 30_000);
    process.kill(server, 'SIGKILL');

    const outcome = await request;
    // Whatever the editor got back carries no edit, and nothing reached the document.
    const withEdits = 'actions' in outcome ? outcome.actions.filter((action) => action.edit !== undefined) : [];
    assert.deepEqual(withEdits.map((action) => action.title), []);
    assert.equal(document.getText(), crash.original);
    assert.equal(document.isDirty, false);
    assert.equal(readText(crash.file), crash.original);

    // A person keeps typing while no server runs.
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), crash.edit)), 'the edit was refused');
    const [restarted] = await waitFor('the client to start a new server', languageServerPids, (pids) => pids.length === 1 && pids[0] !== server);
    assert.notEqual(restarted, server);
    const after = expectedLocated(crash.editedDiagnostics);
    assert.notDeepEqual(after, before);
    assert.deepEqual(await settledDiagnostics(uri, after, 120_000), after);

    // The restarted server answers requests on the current version: fix all is offered again.
    const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, everything, FIX_ALL_KIND);
    assert.deepEqual(offered.map((action) => action.title), ['Fix all Backstage auth problems']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
