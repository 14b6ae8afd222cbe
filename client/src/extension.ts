// The VS Code extension: starts the language server (analysis is read-only, so it also runs in
// untrusted workspaces) and registers the palette commands.
import { window, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { createLanguageClient, DISPLAY_NAME } from './languageClient';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel(DISPLAY_NAME, { log: true });
  client = createLanguageClient(context, output);
  context.subscriptions.push(output, ...registerCommands(client, output));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
