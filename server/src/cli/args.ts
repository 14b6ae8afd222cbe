// Command-line parsing: argv in, a command out, or a UsageError that says what is wrong.
// Nothing here touches the disk or loads the engine (so --help, --version and usage errors
// answer without loading TypeScript); rule ids are checked by the commands.
import { parseArgs } from 'node:util';

export type CheckFormat = 'text' | 'json' | 'sarif';
export type RulesFormat = 'text' | 'json';
/** Kept here (not imported from the engine) so parsing never loads it; a test checks they match. */
export const TARGETS = ['auto', 'legacy-compatible', 'new-backend-only'] as const;
export type Target = (typeof TARGETS)[number];

export type Command =
  | { kind: 'help'; topic?: 'check' | 'fix' | 'rules' }
  | { kind: 'version' }
  | {
      kind: 'check';
      paths: string[];
      format: CheckFormat;
      rules: string[];
      maxFileSize?: number;
      jobs?: number;
      target?: Target;
      /** false: --no-cache; a string: --cache-location (relative to the current folder). */
      cache?: false | string;
    }
  | { kind: 'fix'; paths: string[]; dryRun: boolean; rules: string[]; maxFileSize?: number; jobs?: number; force?: boolean; target?: Target }
  | { kind: 'rules'; format: RulesFormat };

/** Bad command line: exit code 2 with the message on stderr. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;
const RULE = { rule: { type: 'string', multiple: true } } as const;
const MAX_SIZE = { 'max-file-size': { type: 'string' } } as const;
const JOBS = { jobs: { type: 'string', short: 'j' } } as const;
const TARGET = { target: { type: 'string' } } as const;

const OPTIONS = {
  check: {
    ...HELP,
    ...RULE,
    ...MAX_SIZE,
    ...JOBS,
    ...TARGET,
    format: { type: 'string', short: 'f' },
    'no-cache': { type: 'boolean' },
    'cache-location': { type: 'string' },
  },
  fix: { ...HELP, ...RULE, ...MAX_SIZE, ...JOBS, ...TARGET, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } },
  rules: { ...HELP, format: { type: 'string', short: 'f' } },
} as const;

export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command (check, fix or rules)');
  if (first === '--help' || first === '-h' || first === 'help') return { kind: 'help' };
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first !== 'check' && first !== 'fix' && first !== 'rules') {
    throw new UsageError(
      first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}' (expected check, fix or rules)`,
    );
  }

  const { values, positionals } = parseOrExplain(first, rest);
  if (values.help) return { kind: 'help', topic: first };

  if (first === 'rules') {
    if (positionals.length > 0) throw new UsageError(`'rules' takes no paths (got '${positionals[0]}')`);
    return { kind: 'rules', format: oneOf('--format', values.format ?? 'text', ['text', 'json'] as const) };
  }

  const common = {
    paths: positionals.length > 0 ? positionals : ['.'],
    rules: [...new Set(values.rule ?? [])],
    maxFileSize: parseSize(values['max-file-size']),
    ...(values.jobs === undefined ? {} : { jobs: parseJobs(values.jobs) }),
    ...(values.target === undefined ? {} : { target: oneOf('--target', values.target, TARGETS) }),
  };
  if (first === 'check') {
    const format = oneOf('--format', values.format ?? 'text', ['text', 'json', 'sarif'] as const);
    if (values['no-cache'] && values['cache-location'] !== undefined) {
      throw new UsageError('--no-cache and --cache-location exclude each other');
    }
    if (values['cache-location'] === '') throw new UsageError('--cache-location needs a folder');
    const cache = values['no-cache'] ? false : values['cache-location'];
    return { kind: 'check', format, ...common, ...(cache === undefined ? {} : { cache }) };
  }
  // Only present when given, so commands compare equal with or without the default.
  return { kind: 'fix', dryRun: values['dry-run'] ?? false, ...common, ...(values.force ? { force: true } : {}) };
}

interface ParsedValues {
  help?: boolean;
  rule?: string[];
  format?: string;
  'max-file-size'?: string;
  'dry-run'?: boolean;
  force?: boolean;
  jobs?: string;
  target?: string;
  'no-cache'?: boolean;
  'cache-location'?: string;
}

function parseOrExplain(command: keyof typeof OPTIONS, args: string[]) {
  try {
    const parsed = parseArgs({ args, options: OPTIONS[command], strict: true, allowPositionals: true });
    return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
  } catch (error) {
    // parseArgs' own messages name the option but are worded for developers; keep the gist.
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    // Name the long form when parseArgs quotes both ('-f, --format <value>').
    const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-\w)/.exec(message)?.[1] ?? '?';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`unknown option '${option}' for '${command}'`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const takesNone = message.includes('does not take');
      throw new UsageError(`option '${option}' ${takesNone ? 'takes no value' : 'needs a value'}`);
    }
    throw new UsageError((error as Error).message);
  }
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) {
    throw new UsageError(`--max-file-size must be a positive number of bytes (got '${value}')`);
  }
  return Number(value);
}

function parseJobs(value: string): number {
  if (!/^[1-9][0-9]{0,3}$/.test(value)) throw new UsageError(`--jobs must be a whole number from 1 to 9999 (got '${value}')`);
  return Number(value);
}
