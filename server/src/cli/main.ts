// The CLI's dispatcher: argv -> command -> exit code. Usage problems and unexpected failures
// end here as a message on stderr and exit code 2. The commands (and with them the engine and
// TypeScript) are loaded only when one runs, so --version and usage errors answer at once.
import { version } from '../../../package.json';
import { parseCommand, UsageError } from './args';
import { EXIT, type CliIO } from './io';

const NAME = 'backstage-auth-migrate';

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.kind) {
      case 'help':
        io.out((await import('./help')).helpText(command.topic));
        return EXIT.clean;
      case 'version':
        io.out(`${version}\n`);
        return EXIT.clean;
      case 'rules':
        return (await import('./commands/rules')).runRules(command.format, io);
      case 'check':
        return await (await import('./commands/check')).runCheck({ ...command, cwd: io.cwd }, io, version);
      case 'fix':
        return await (await import('./commands/fix')).runFix({ ...command, cwd: io.cwd }, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${NAME}: ${error.message}\nRun '${NAME} --help' for usage.\n`);
    } else {
      io.err(`${NAME}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return EXIT.error;
  }
}
