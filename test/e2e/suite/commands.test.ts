/// <reference types="mocha" />
// The palette commands in a real editor, their prompts answered through the arguments each
// command takes. Each test works on files no earlier test changed (see support/scenarios.ts) and
// compares every file it touches, byte for byte, with what the engine (or the literal fixture)
// says; what the command leaves untouched is compared too.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FileTexts } from '../support/scenarios';
import { GUEST_MODULE, GUEST_MODULE_VERSION, GUEST_REPO, GUEST_REPO_AFTER, guestLockfileAfter } from './guestRepo';
import { loadScenarios, readText, readTree, sameJson, settled, settledFile, waitFor, workspaceUri } from './helpers';

const COMMANDS = {
  addAuthPolicy: 'backstageAuth.addAuthPolicy',
  setUpGuestProvider: 'backstageAuth.setUpGuestProvider',
  disableDefaultAuthPolicy: 'backstageAuth.disableDefaultAuthPolicy',
  migrateWorkspace: 'backstageAuth.migrateWorkspace',
};

/** The part of a Migrate Workspace outcome (client/src/commands/migrate.ts) the tests compare. */
interface MigrateOutcome {
  applied: boolean;
  result?: { filesChanged: number };
}

suite('The palette commands', () => {
  const scenarios = loadScenarios();

  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('Add Auth Policy: into the plugin init, and with the httpRouter dependency where the init has none', async () => {
    for (const policy of scenarios.addAuthPolicy) {
      const uri = workspaceUri(policy.file);
      assert.equal(readText(uri.fsPath), policy.before, `${policy.file} changed before the test`);
      const outcome = await vscode.commands.executeCommand(COMMANDS.addAuthPolicy, { uri: uri.toString(), path: policy.path, allow: policy.allow });
      assert.deepEqual(outcome, { added: true, summary: `Added an auth policy { path: '${policy.path}', allow: '${policy.allow}' }` });
      await assertEditedThenSaved(uri, policy.after);
    }
    // Literal anchors, independent of the engine run in the driver.
    const [plugin, module] = scenarios.addAuthPolicy;
    assert.ok(plugin.after.includes("\n        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });\n"));
    assert.ok(module.after.includes('\n        httpRouter: coreServices.httpRouter,\n'));
  });

  test('Set Up Guest Provider: the real npm installs the module from the local registry, then the entry and both configs change', async () => {
    const { folder, tarballUrl, integrity } = scenarios.guestSetup;
    assert.deepEqual(readTree(folder), GUEST_REPO, 'the guest repo changed before the test');
    const outcome = await vscode.commands.executeCommand(COMMANDS.setUpGuestProvider, { folder: vscode.Uri.file(folder).toString(), confirmed: true });
    assert.deepEqual(outcome, {
      done: true,
      installed: true,
      changedFiles: ['packages/backend/src/index.ts', 'app-config.yaml', 'app-config.production.yaml'],
      notes: [],
    });
    const want: FileTexts = { ...GUEST_REPO, ...GUEST_REPO_AFTER, 'package-lock.json': guestLockfileAfter(tarballUrl, integrity) };
    for (const [path, text] of Object.entries(want)) {
      assert.equal(await settledFile(join(folder, path), text), text, path);
    }
    // npm put the package where Node resolves it from the backend.
    const installed = join(folder, 'node_modules', ...GUEST_MODULE.split('/'), 'package.json');
    assert.ok(existsSync(installed), `${installed} is missing`);
    assert.deepEqual(
      (({ name, version }) => ({ name, version }))(JSON.parse(readFileSync(installed, 'utf8')) as { name: string; version: string }),
      { name: GUEST_MODULE, version: GUEST_MODULE_VERSION },
    );
  });

  test('Disable Default Auth Policy: the key lands in the chosen config, confirmed by the caller', async () => {
    const { file, before, after } = scenarios.disableDefaultAuthPolicy;
    const uri = workspaceUri(file);
    assert.equal(readText(uri.fsPath), before, `${file} changed before the test`);
    const outcome = await vscode.commands.executeCommand(COMMANDS.disableDefaultAuthPolicy, { uri: uri.toString(), confirmed: true });
    assert.deepEqual(outcome, { changed: true });
    await assertEditedThenSaved(uri, after);
    // Literal anchor: under `backend:`, which had no `auth:` yet.
    assert.ok(after.includes('\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n'));
  });

  suite('Migrate Workspace…', () => {
    const { migrate } = scenarios;
    const run = (mode: 'apply' | 'preview', folder: string) =>
      Promise.resolve(
        vscode.commands.executeCommand<MigrateOutcome>(COMMANDS.migrateWorkspace, { mode, folders: [vscode.Uri.file(folder).toString()] }),
      );
    const changed = Object.keys(migrate.migrated).filter((path) => migrate.migrated[path] !== migrate.original[path]);

    test('preview: the edit goes to the refactor preview; dismissing it writes nothing', async () => {
      assert.deepEqual(readTree(migrate.previewFolder), migrate.original, 'the folder changed before the test');
      const outcome = await dismissingPreview(run('preview', migrate.previewFolder));
      // A non-empty edit that was not applied: the preview held it until it was discarded.
      assert.deepEqual(
        { applied: outcome.applied, filesChanged: outcome.result?.filesChanged },
        { applied: false, filesChanged: changed.length },
      );
      assert.deepEqual(readTree(migrate.previewFolder), migrate.original);
      const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.fsPath.startsWith(migrate.previewFolder));
      assert.deepEqual(dirty.map((d) => d.uri.fsPath), []);
    });

    test("apply: every file becomes the engine's result (test/golden/examples); a second run changes nothing", async () => {
      assert.deepEqual(readTree(migrate.applyFolder), migrate.original, 'the folder changed before the test');
      assert.ok(changed.length > 1, 'the golden example changes fewer than two files');
      const first = await run('apply', migrate.applyFolder);
      assert.deepEqual({ applied: first.applied, filesChanged: first.result?.filesChanged }, { applied: true, filesChanged: changed.length });
      // Several files: VS Code saves them after the refactoring (files.refactoring.autoSave).
      assert.deepEqual(await settledTree(migrate.applyFolder, migrate.migrated), migrate.migrated);

      const second = await run('apply', migrate.applyFolder);
      assert.deepEqual({ applied: second.applied, filesChanged: second.result?.filesChanged }, { applied: false, filesChanged: 0 });
      assert.deepEqual(readTree(migrate.applyFolder), migrate.migrated);
    });
  });
});

/**
 * The command's outcome, dismissing the refactor preview (a person pressing Discard) until the
 * command settles. The preview opens in a panel, not as an editor tab, so the extension API cannot
 * see it; discarding before it is open does nothing.
 */
async function dismissingPreview(running: Promise<MigrateOutcome>): Promise<MigrateOutcome> {
  let outcome: MigrateOutcome | undefined;
  let failure: unknown;
  running.then((value) => (outcome = value), (error: unknown) => (failure = error ?? new Error('the command failed')));
  await waitFor('the command to settle once its refactor preview is discarded', async () => {
    if (outcome || failure) return true;
    await vscode.commands.executeCommand('refactorPreview.discard').then(undefined, () => undefined);
    return false;
  }, (done) => done, 60_000);
  if (failure) throw failure;
  return outcome!;
}

/**
 * A command's edit of one file: the editor's document is exactly `text`, and saved. VS Code
 * saves a refactoring by itself only when it spans several files; the client saves a one-file
 * edit the same way (files.refactoring.autoSave), so the disk is exactly `text` too.
 */
async function assertEditedThenSaved(uri: vscode.Uri, text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  assert.equal(document.getText(), text);
  assert.equal(document.isDirty, false, `${uri.fsPath} was left unsaved`);
  assert.equal(readText(uri.fsPath), text);
}

function settledTree(folder: string, want: FileTexts): Promise<FileTexts> {
  return settled(() => readTree(folder), (tree) => sameJson(tree, want), 30_000);
}
