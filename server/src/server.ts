// The language server entry point (`node dist/server.js --stdio`, or node IPC from the VS Code
// client): the transport comes from the command line, everything else lives in ./lsp.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { enableCompileCache } from './compileCache';
import { startServer } from './lsp/session';

enableCompileCache();

startServer(createConnection(ProposedFeatures.all));
