// Entry point of `backstage-auth-migrate` (bundled to dist/cli.js). Binds the CLI to the process.
import { main } from './cli/main';
import { enableCompileCache } from './compileCache';

enableCompileCache();

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

void main(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTerminal: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
