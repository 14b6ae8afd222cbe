// Reads test/fixtures/<rule>/<case>/: `input.<ext>` + `output.<ext>` (one file), or `input/` +
// `output/` folders (several files that see each other), and an optional `case.json`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TargetSetting } from '../../server/src/engine/targets';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export interface CaseOptions {
  /** Apply this fix option instead of the preferred one (for findings that need a choice). */
  choose?: string;
  /** Why this case is not part of the typecheck test (e.g. an unfixable input). */
  noTypecheck?: string;
  /** The rewrite deliberately removes comments inside the rewritten code. */
  dropsComments?: boolean;
  /** Path the single file is analyzed as (default: the file name). */
  fileName?: string;
  /**
   * The migration target the case is fixed for (default: 'auto', from the case's package.json
   * and lockfile if it has them). new-backend-only outputs are compiled against the bs-1x set.
   */
  target?: TargetSetting;
}

export interface FixtureFile {
  /** Relative path inside the case (e.g. `src/router.ts`). */
  path: string;
  input: string;
  output: string;
}

export interface FixtureCase {
  rule: string;
  name: string;
  dir: string;
  options: CaseOptions;
  files: FixtureFile[];
  /** True for `input/` + `output/` folders, false for `input.<ext>` + `output.<ext>`. */
  folder: boolean;
  /** Expected findings (exact), from `findings.json` when present. */
  expectedFindings?: unknown;
}

export function loadCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  // FIXTURES=<prefix> limits a run to the rules whose id starts with it (handy while writing one).
  const only = process.env.FIXTURES;
  for (const rule of readdirSync(FIXTURES).sort()) {
    if (only && !rule.startsWith(only)) continue;
    const ruleDir = join(FIXTURES, rule);
    if (!statSync(ruleDir).isDirectory()) continue;
    for (const name of readdirSync(ruleDir).sort()) {
      const dir = join(ruleDir, name);
      if (!statSync(dir).isDirectory()) continue;
      cases.push(loadCase(rule, name, dir));
    }
  }
  return cases;
}

function loadCase(rule: string, name: string, dir: string): FixtureCase {
  const options: CaseOptions = existsSync(join(dir, 'case.json'))
    ? JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'))
    : {};
  const expectedFindings = existsSync(join(dir, 'findings.json'))
    ? JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8'))
    : undefined;
  const files: FixtureFile[] = [];
  const folder = existsSync(join(dir, 'input')) && statSync(join(dir, 'input')).isDirectory();
  if (folder) {
    for (const path of walkFiles(join(dir, 'input'))) {
      const rel = relative(join(dir, 'input'), path);
      files.push({ path: rel, input: readFileSync(path, 'utf8'), output: readFileSync(join(dir, 'output', rel), 'utf8') });
    }
  } else {
    const input = readdirSync(dir).find((f) => f.startsWith('input.'));
    if (!input) throw new Error(`fixture ${rule}/${name} has no input`);
    const ext = input.slice('input'.length);
    files.push({
      path: options.fileName ?? `router${ext}`,
      input: readFileSync(join(dir, input), 'utf8'),
      output: readFileSync(join(dir, `output${ext}`), 'utf8'),
    });
  }
  return { rule, name, dir, options, files, folder, expectedFindings };
}

function walkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walkFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}
