// Every fixture case (test/fixtures/<rule>/<case>) through the built CLI: the inputs are copied
// to a temporary folder, keeping each case's layout, `fix --rule <rule>` runs over them, and
// every file must then be exactly the case's expected output. One CLI run per rule keeps the
// suite fast; each case has its own folder, so cases cannot see each other's files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadCases, type FixtureCase } from '../support/fixtures';
import { runCli, tempDir, writeTree, type CliRun } from './helpers';

// One run per rule and migration target (cases that force a target get `--target`).
const groups = new Map<string, { rule: string; target?: string; cases: FixtureCase[] }>();
for (const fixture of loadCases()) {
  const key = `${fixture.rule} ${fixture.options.target ?? ''}`.trim();
  const group = groups.get(key) ?? { rule: fixture.rule, target: fixture.options.target, cases: [] };
  group.cases.push(fixture);
  groups.set(key, group);
}

describe('cli fix over every fixture case', { concurrency: availableParallelism() }, () => {
  for (const [key, { rule, target, cases }] of groups) {
    describe(key, () => {
      const root = tempDir(`fixtures-${key.replace(/ /g, '-')}`);
      const runnable = cases.filter((c) => !c.options.choose);
      let run: CliRun;

      before(async () => {
        for (const fixture of runnable) {
          writeTree(join(root, fixture.name), Object.fromEntries(fixture.files.map((f) => [f.path, f.input])));
        }
        run = await runCli(['fix', '--rule', rule, ...(target ? ['--target', target] : [])], root);
      });

      if (runnable.length > 0) {
        it('fix runs cleanly (exit 0 or 1, nothing on stderr)', () => {
          assert.equal(run.stderr, '');
          assert.ok(run.code === 0 || run.code === 1, `exit code ${run.code}`);
        });
      }

      for (const fixture of cases) {
        if (fixture.options.choose) {
          it(`${fixture.name}`, {
            skip: `needs the fix option "${fixture.options.choose}", a choice only a person makes (fix reports such findings as needing a person)`,
          }, () => {});
          continue;
        }
        for (const file of fixture.files) {
          it(`${fixture.name}/${file.path}: exactly the expected output`, () => {
            assert.equal(readFileSync(join(root, fixture.name, file.path), 'utf8'), file.output);
          });
        }
      }
    });
  }
});
