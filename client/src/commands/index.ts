// Palette commands (category "Backstage Auth" in package.json). Each one asks the user, asks the
// server for the edits (workspace/executeCommand), then shows or applies them; the arguments
// each takes skip its prompts (for keybindings and tests) and each returns what it did.
import { commands, Uri, window, type Disposable, type LogOutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { addAuthPolicyCommand, type AddAuthPolicyArgs } from './addAuthPolicy';
import { disableDefaultPolicyCommand, type DisableDefaultPolicyArgs } from './disableDefaultPolicy';
import { guestSetupCommand, type GuestSetupArgs } from './guestSetup';
import { migrateFileCommand, migrateWorkspaceCommand, type MigrateFileArgs, type MigrateWorkspaceArgs } from './migrate';
import { spawnRunner, type ProcessRunner } from './processRunner';

export const COMMANDS = {
  showOutput: 'backstageAuth.showOutput',
  restartServer: 'backstageAuth.restartServer',
  addAuthPolicy: 'backstageAuth.addAuthPolicy',
  setUpGuestProvider: 'backstageAuth.setUpGuestProvider',
  disableDefaultAuthPolicy: 'backstageAuth.disableDefaultAuthPolicy',
  migrateFile: 'backstageAuth.migrateFile',
  migrateWorkspace: 'backstageAuth.migrateWorkspace',
} as const;

export function registerCommands(client: LanguageClient, output: LogOutputChannel, runner: ProcessRunner = spawnRunner()): Disposable[] {
  /** A command that fails shows one message and logs the details, instead of failing silently. */
  const guarded = <A, R>(title: string, run: (args: A | undefined) => Promise<R>) =>
    async (args?: A | Uri): Promise<R | undefined> => {
      try {
        // From a menu on a file, VS Code passes its Uri.
        return await run(args instanceof Uri ? ({ uri: args.toString() } as A) : args);
      } catch (error) {
        output.error(`${title} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        void window.showErrorMessage(`Backstage Auth: ${title} failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    };
  return [
    commands.registerCommand(COMMANDS.showOutput, () => output.show(true)),
    commands.registerCommand(COMMANDS.restartServer, async () => {
      output.info('restarting the language server');
      try {
        await client.restart();
      } catch (error) {
        output.error(`the language server did not restart: ${String(error)}`);
        void window.showErrorMessage('Backstage Auth: the language server did not restart. See the output for details.');
      }
    }),
    commands.registerCommand(COMMANDS.addAuthPolicy, guarded('Add Auth Policy', (args: AddAuthPolicyArgs | undefined) => addAuthPolicyCommand(client, args))),
    commands.registerCommand(
      COMMANDS.setUpGuestProvider,
      guarded('Set Up Guest Provider', (args: GuestSetupArgs | undefined) => guestSetupCommand(client, output, runner, args)),
    ),
    commands.registerCommand(
      COMMANDS.disableDefaultAuthPolicy,
      guarded('Disable Default Auth Policy', (args: DisableDefaultPolicyArgs | undefined) => disableDefaultPolicyCommand(client, args)),
    ),
    commands.registerCommand(COMMANDS.migrateFile, guarded('Migrate This File', (args: MigrateFileArgs | undefined) => migrateFileCommand(client, output, args))),
    commands.registerCommand(
      COMMANDS.migrateWorkspace,
      guarded('Migrate Workspace', (args: MigrateWorkspaceArgs | undefined) => migrateWorkspaceCommand(client, output, args)),
    ),
  ];
}
