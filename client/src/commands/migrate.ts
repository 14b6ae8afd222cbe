// "Migrate This File" and "Migrate Workspace…": the server applies the engine's fix-all and
// returns one edit (annotated per rule) and what is left for a person; the client applies or
// previews it, and reports. The output lists every remaining finding with its reason.
import { ProgressLocation, Uri, window, workspace, type LogOutputChannel } from 'vscode';
import { ExecuteCommandRequest, LSPErrorCodes, ResponseError, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type MigrationResult } from '../../../server/src/lsp/commands/protocol';
import { applyServerEdit, isEmptyEdit, serverCommand } from './server';

/** `{ uri }` migrates that file instead of the active editor's. */
export interface MigrateFileArgs {
  uri?: string;
}

/** `{ mode: 'apply' | 'preview', folders? }` skips the question (folders: URIs; default all). */
export interface MigrateWorkspaceArgs {
  mode?: 'apply' | 'preview';
  folders?: string[];
}

export type MigrateOutcome = { applied: boolean; result: MigrationResult } | { applied: false; reason: string };

export async function migrateFileCommand(client: LanguageClient, output: LogOutputChannel, given: MigrateFileArgs = {}): Promise<MigrateOutcome> {
  const uri = given.uri ?? window.activeTextEditor?.document.uri.toString();
  if (!uri) {
    void window.showWarningMessage('Backstage Auth: open the file to migrate first.');
    return { applied: false, reason: 'no file' };
  }
  const result = await serverCommand<MigrationResult>(client, SERVER_COMMANDS.migrateFile, { uri });
  const applied = !isEmptyEdit(result.edit) && (await applyServerEdit(client, result.edit));
  report(output, result, applied, workspace.asRelativePath(Uri.parse(uri)));
  return { applied, result };
}

const APPLY = 'Apply';
const PREVIEW = 'Preview';

export async function migrateWorkspaceCommand(client: LanguageClient, output: LogOutputChannel, given: MigrateWorkspaceArgs = {}): Promise<MigrateOutcome> {
  const folders = given.folders ?? (workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
  if (folders.length === 0) {
    void window.showWarningMessage('Backstage Auth: open a folder to migrate first.');
    return { applied: false, reason: 'no folder' };
  }
  let result: MigrationResult;
  try {
    result = await computeWithProgress(client, folders);
  } catch (error) {
    if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) {
      void window.showInformationMessage('Backstage Auth: the migration was cancelled; nothing was changed.');
      return { applied: false, reason: 'cancelled' };
    }
    throw error;
  }
  if (isEmptyEdit(result.edit)) {
    report(output, result, false, 'the workspace');
    return { applied: false, result };
  }
  let mode = given.mode;
  if (!mode) {
    const fixes = result.applied.reduce((sum, a) => sum + a.count, 0);
    const answer = await window.showInformationMessage(
      `Backstage Auth: ${plural(fixes, 'fix', 'fixes')} in ${plural(result.filesChanged, 'file')} are ready.`,
      {
        modal: true,
        detail: [
          ...result.applied.map((a) => `${a.title}: ${a.count}`),
          ...(result.remaining.length > 0 ? [`${plural(result.remaining.length, 'finding')} need a person (listed in the output afterwards).`] : []),
          'Preview shows every change, grouped by rule, before anything is written.',
        ].join('\n'),
      },
      APPLY,
      PREVIEW,
    );
    if (!answer) return { applied: false, reason: 'not confirmed' };
    mode = answer === PREVIEW ? 'preview' : 'apply';
  }
  const applied = await applyServerEdit(client, result.edit, mode === 'preview');
  report(output, result, applied, 'the workspace');
  return { applied, result };
}

/** The server's work-done progress shown as a cancellable notification. */
function computeWithProgress(client: LanguageClient, folders: string[]): Promise<MigrationResult> {
  return Promise.resolve(
    window.withProgress(
      { location: ProgressLocation.Notification, title: 'Backstage Auth: migrating', cancellable: true },
      async (progress, token) => {
        const workDoneToken = `backstageAuth/migrateWorkspace/${Date.now()}`;
        let reported = 0;
        const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'end') return;
          const percentage = value.percentage ?? reported;
          progress.report({ increment: Math.max(0, percentage - reported), message: value.message });
          reported = percentage;
        });
        try {
          const params = { command: SERVER_COMMANDS.migrateWorkspace, arguments: [{ folders }], workDoneToken };
          return (await client.sendRequest(ExecuteCommandRequest.type, params, token)) as MigrationResult;
        } finally {
          listening.dispose();
        }
      },
    ),
  );
}

function report(output: LogOutputChannel, result: MigrationResult, applied: boolean, where: string): void {
  const fixes = result.applied.reduce((sum, a) => sum + a.count, 0);
  output.info(`migration of ${where}: ${result.filesChecked} files checked, ${fixes} fixes in ${result.filesChanged} files${applied ? '' : ' (not applied)'}`);
  for (const rule of result.applied) output.info(`  fixed ${rule.count}× ${rule.title} [${rule.ruleId}]`);
  for (const finding of result.remaining) {
    const { line, character } = finding.range.start;
    output.warn(`  needs a person: ${finding.path}:${line + 1}:${character + 1} [${finding.ruleId}] ${finding.message} (${finding.reason})`);
  }
  for (const skipped of result.skipped) output.info(`  skipped ${skipped.path}: ${skipped.reason}`);

  if (result.filesChecked === 0 && result.skipped.length === 1) {
    void window.showWarningMessage(`Backstage Auth: ${where} was not migrated: ${result.skipped[0].reason}.`);
    return;
  }
  const left = result.remaining.length;
  const leftText = left > 0 ? ` ${plural(left, 'finding')} need a person (see the output).` : '';
  if (fixes === 0) {
    void window.showInformationMessage(`Backstage Auth: nothing to fix automatically in ${where}.${leftText}`, ...(left > 0 ? ['Show Output'] : []))
      .then((choice) => choice && output.show(true));
  } else if (applied) {
    void window.showInformationMessage(`Backstage Auth: applied ${plural(fixes, 'fix', 'fixes')} in ${plural(result.filesChanged, 'file')}.${leftText}`, ...(left > 0 ? ['Show Output'] : []))
      .then((choice) => choice && output.show(true));
  } else {
    void window.showWarningMessage(`Backstage Auth: the fixes for ${where} were not applied.`);
  }
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
