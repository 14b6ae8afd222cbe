// Palette commands (category "Backstage Auth" in package.json).
import { commands, window, type Disposable, type LogOutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const COMMANDS = {
  showOutput: 'backstageAuth.showOutput',
  restartServer: 'backstageAuth.restartServer',
} as const;

export function registerCommands(client: LanguageClient, output: LogOutputChannel): Disposable[] {
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
  ];
}
