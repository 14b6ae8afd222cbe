// `npm run demo:editor`: the packaged extension in code-server on a copy of examples/, for a
// person to try in a browser. Prints the URL and runs until Ctrl+C, then removes everything.
// Options: --port <n> (default: a free port). code-server listens on 127.0.0.1 only; from
// another machine use an SSH tunnel (ssh -L <port>:127.0.0.1:<port> host).
import { ensureTools } from '../../scripts/e2e/tools';
import { installExtension, startCodeServer, workbenchUrl } from './support/code-server';
import { packageVsix } from './support/build';
import { log } from './support/log';
import { createSandbox, removeSandbox } from './support/sandbox';

async function main(): Promise<void> {
  const portArg = process.argv.indexOf('--port');
  const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : undefined;
  if (port !== undefined && !Number.isInteger(port)) throw new Error('--port needs a number');
  const tools = ensureTools(log);
  const vsix = packageVsix();
  const sandbox = createSandbox();
  log(installExtension(tools, sandbox, vsix.path).split('\n').pop() ?? '');
  const server = await startCodeServer(tools, sandbox, { port });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping code-server');
    await server.stop();
    removeSandbox(sandbox);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log(`\nOpen ${workbenchUrl(server, sandbox)}`);
  console.log(`Workspace (a copy of examples/): ${sandbox.workspace}`);
  console.log('Then open plugins/bookmarks-backend/src/service/router.ts (Ctrl+P router.ts) to see the findings. Ctrl+C stops.\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
