// The bundled example (examples/) run through the CLI's `fix` the way a user would: on a copy of
// the tree, `fix` again until a run changes nothing, then every finding a `check` would still
// report. Shared by the golden test (test/unit/examples.test.ts, which only compares) and by
// `npm run golden:examples` (test/golden/update-examples.ts, which writes them).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { main } from '../../server/src/cli/main';
import { analyze } from '../../server/src/engine/engine';
import { isConfigFile } from '../../server/src/engine/config';
import { diskHost } from '../../server/src/engine/host';
import { isSourceFile } from '../../server/src/engine/source';
import { allRules } from '../../server/src/rules';

export const EXAMPLES = join(__dirname, '..', '..', 'examples');
/** The fixed files (source and app-config), at their paths inside examples/. */
export const GOLDEN_TREE = join(__dirname, 'examples');
/** How many `fix` runs it took, what each changed, and what is left. */
export const GOLDEN_SUMMARY = join(__dirname, 'examples.json');

const MAX_RUNS = 5;

export interface RemainingFinding {
  path: string;
  /** 1-based `line:column` of the start. */
  at: string;
  rule: string;
  message: string;
  /** Why the fix was not applied: the rule's reason, or that a person has to choose. */
  why: string;
}

export interface ExamplesSummary {
  /** Per `fix` run, the files it changed (the last run changes nothing and is not listed). */
  runs: string[][];
  remaining: RemainingFinding[];
}

export interface FixedExamples {
  /** Every file the CLI reads, after the last run, by path relative to examples/. */
  files: Map<string, string>;
  summary: ExamplesSummary;
}

export async function fixExamples(): Promise<FixedExamples> {
  const dir = mkdtempSync(join(tmpdir(), 'examples-'));
  try {
    cpSync(EXAMPLES, dir, { recursive: true });
    const runs: string[][] = [];
    let files = sourceFiles(dir);
    for (let run = 0; ; run++) {
      if (run === MAX_RUNS) throw new Error(`fix did not settle within ${MAX_RUNS} runs`);
      await cli(['fix', '.'], dir);
      const after = sourceFiles(dir);
      const changed = [...after.keys()].filter((path) => after.get(path) !== files.get(path));
      files = after;
      if (changed.length === 0) break;
      runs.push(changed);
    }
    return { files, summary: { runs, remaining: remainingFindings(dir, files) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the CLI in-process in `cwd`; a crash or a refused write is an error, findings are not. */
async function cli(argv: string[], cwd: string): Promise<void> {
  let err = '';
  const code = await main(argv, { cwd, out: () => undefined, err: (text) => (err += text) });
  if (code === 2) throw new Error(`backstage-auth-migrate ${argv.join(' ')} failed:\n${err}`);
}

/** What `check` reports on the fixed tree, with the reason each finding was left. */
function remainingFindings(dir: string, files: Map<string, string>): RemainingFinding[] {
  const options = { rules: allRules, host: diskHost() };
  return [...files].flatMap(([path, text]) =>
    analyze(join(dir, path), text, options).findings.map((finding) => {
      const before = text.slice(0, finding.range.start).split('\n');
      return {
        path,
        at: `${before.length}:${before[before.length - 1].length + 1}`,
        rule: finding.ruleId,
        message: finding.message,
        why:
          finding.notFixableReason ??
          (finding.fixes.length > 0 ? `a person chooses: ${finding.fixes.map((o) => o.id).join(', ')}` : 'no fix'),
      };
    }),
  );
}

/** The files the CLI reads (source and app-config files) below `root`, by forward-slash path, sorted. */
export function sourceFiles(root: string): Map<string, string> {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && (isSourceFile(path) || isConfigFile(path))) found.push(path);
    }
  };
  visit(root);
  return new Map(found.sort().map((path) => [relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')]));
}
