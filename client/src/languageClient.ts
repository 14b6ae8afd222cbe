// The LanguageClient: which documents go to the server, and how the server is started.
import * as path from 'node:path';
import type { ExtensionContext, LogOutputChannel } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SERVER_NODE_OPTIONS } from '../../server/src/lsp/heap';

/** Also the prefix of `backstageAuth.trace.server`, which the LanguageClient reads itself. */
export const CLIENT_ID = 'backstageAuth';
export const DISPLAY_NAME = 'Backstage Auth';

/**
 * Source files on disk (rules read sibling files by path, so other schemes are left out), and
 * Backstage config files for the app-config rules.
 */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'typescriptreact' },
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'javascriptreact' },
  { scheme: 'file', language: 'yaml', pattern: '**/app-config*.{yaml,yml}' },
];

export function createLanguageClient(context: ExtensionContext, output: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    // The server pulls `backstageAuth` with workspace/configuration and registers for changes.
  };
  return new LanguageClient(CLIENT_ID, DISPLAY_NAME, serverOptions, clientOptions);
}
