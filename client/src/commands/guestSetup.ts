// "Set Up Guest Provider for Local Development": the server plans it (install command, file
// edits, notes), the user confirms the listed steps, the package manager runs (progress,
// cancellable, output in the Backstage Auth channel), then the file edits are applied.
import { ProgressLocation, Uri, window, workspace, type LogOutputChannel, type WorkspaceFolder } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type GuestSetupResult, type InstallStep } from '../../../server/src/lsp/commands/protocol';
import type { ProcessRunner, ProgramOutcome } from './processRunner';
import { applyServerEdit, serverCommand } from './server';

/** Arguments that skip the prompts: `{ folder, confirmed: true, preview? }`. */
export interface GuestSetupArgs {
  /** Workspace folder URI (the repo root). */
  folder?: string;
  /** Skip the confirmation (the steps are still written to the output). */
  confirmed?: boolean;
  /** Open the refactor preview for the file edits. */
  preview?: boolean;
}

export type GuestSetupOutcome =
  | { done: true; installed: boolean; changedFiles: string[]; notes: string[] }
  | { done: false; reason: string };

const SET_UP = 'Set Up';
const SET_UP_WITH_PREVIEW = 'Set Up and Preview File Changes';

export async function guestSetupCommand(
  client: LanguageClient,
  output: LogOutputChannel,
  runner: ProcessRunner,
  given: GuestSetupArgs = {},
): Promise<GuestSetupOutcome> {
  if (!workspace.isTrusted) {
    const reason = 'it installs a package and changes files, which Restricted Mode does not allow; trust the workspace first';
    void window.showErrorMessage(`Backstage Auth: guest provider setup is not available: ${reason}.`);
    return { done: false, reason };
  }
  const folder = given.folder ?? (await chooseFolder())?.uri.toString();
  if (!folder) return { done: false, reason: 'no workspace folder chosen' };

  const plan = await serverCommand<GuestSetupResult>(client, SERVER_COMMANDS.guestSetupPlan, { folder });
  if (!plan.ok) {
    void window.showErrorMessage(`Backstage Auth: cannot set up the guest provider: ${plan.reason}.`);
    return { done: false, reason: plan.reason };
  }
  const steps = [
    ...(plan.install ? [`Run ${plan.install.display}  (${plan.install.packageManager}: ${plan.install.evidence})`] : []),
    ...plan.changes.map((change) => `${change.path}: ${change.summary}`),
  ];
  output.info(`guest provider setup for ${Uri.parse(folder).fsPath}:`);
  for (const line of [...steps.map((s, i) => `${i + 1}. ${s}`), ...plan.notes]) output.info(`  ${line}`);
  if (steps.length === 0) {
    void window.showInformationMessage(`Backstage Auth: the guest provider is already set up. ${plan.notes.join(' ')}`);
    return { done: true, installed: false, changedFiles: [], notes: plan.notes };
  }

  let preview = given.preview === true;
  if (!given.confirmed) {
    const answer = await window.showWarningMessage(
      'Set up guest sign-in for local development?',
      { modal: true, detail: [...steps.map((s, i) => `${i + 1}. ${s}`), ...plan.notes].join('\n') },
      SET_UP,
      SET_UP_WITH_PREVIEW,
    );
    if (!answer) return { done: false, reason: 'not confirmed' };
    preview = answer === SET_UP_WITH_PREVIEW;
  }

  if (plan.install) {
    const outcome = await install(plan.install, output, runner);
    if (outcome.kind !== 'exited' || outcome.code !== 0) {
      const what = describeFailure(outcome);
      output.error(`${plan.install.display}: ${what}; no file was changed`);
      void window.showErrorMessage(
        `Backstage Auth: ${plan.install.display} ${what}. No file was changed; run it yourself and then run this command again.`,
        'Show Output',
      ).then((choice) => choice && output.show(true));
      return { done: false, reason: what };
    }
  }

  if (plan.changes.length > 0 && !(await applyServerEdit(client, plan.edit, preview))) {
    const reason = 'the file changes were not applied';
    void window.showWarningMessage(`Backstage Auth: the package was installed, but ${reason}.`);
    return { done: false, reason };
  }
  const notes = plan.notes.length > 0 ? ` ${plan.notes.join(' ')}` : '';
  void window.showInformationMessage(`Backstage Auth: guest sign-in is set up for local development.${notes}`);
  return { done: true, installed: plan.install !== undefined, changedFiles: plan.changes.map((c) => c.path), notes: plan.notes };
}

async function chooseFolder(): Promise<WorkspaceFolder | undefined> {
  const folders = workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return window.showWorkspaceFolderPick({ placeHolder: 'The Backstage repo to set up guest sign-in in' });
}

function install(step: InstallStep, output: LogOutputChannel, runner: ProcessRunner): Promise<ProgramOutcome> {
  output.info(`running ${step.display} in ${step.cwd}`);
  return Promise.resolve(
    window.withProgress(
      { location: ProgressLocation.Notification, title: `Backstage Auth: ${step.display}`, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return runner.run({ program: step.program, args: step.args, cwd: step.cwd }, (text) => {
          output.append(text);
          const last = text.trim().split('\n').at(-1);
          if (last) progress.report({ message: last.slice(0, 120) });
        }, controller.signal);
      },
    ),
  );
}

function describeFailure(outcome: ProgramOutcome): string {
  switch (outcome.kind) {
    case 'exited':
      return `failed (exit code ${outcome.code})`;
    case 'killed':
      return `was stopped (${outcome.signal})`;
    case 'cancelled':
      return 'was cancelled';
    case 'not-started':
      return `could not be started (${outcome.error})`;
  }
}
