// The CLI's dispatcher: argv -> command -> exit code. Usage problems and unexpected failures
// end here as a message on stderr and exit code 2.
import { version } from '../../../package.json';
import { allRules } from '../rules';
import { parseCommand, UsageError } from './args';
import { runCheck } from './commands/check';
import { runFix } from './commands/fix';
import { runRules } from './commands/rules';
import { helpText } from './help';
import { EXIT, type CliIO } from './io';

const NAME = 'backstage-auth-migrate';

export function main(argv: readonly string[], io: CliIO): number {
  try {
    const command = parseCommand(
      argv,
      allRules.map((rule) => rule.id),
    );
    switch (command.kind) {
      case 'help':
        io.out(helpText(command.topic));
        return EXIT.clean;
      case 'version':
        io.out(`${version}\n`);
        return EXIT.clean;
      case 'rules':
        return runRules(command.format, io);
      case 'check':
        return runCheck({ ...command, cwd: io.cwd }, io, version);
      case 'fix':
        return runFix({ ...command, cwd: io.cwd }, io);
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
