// The mocha entry point an extension host loads as `extensionTestsPath`: the same compiled file
// runs in code-server (test/e2e/run.ts) and in desktop VS Code (test/e2e/electron.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { RESULT_ENV, SUITE_ENV } from './env';

/**
 * Test files in the order they run. `main`: activation must be observed before anything opens a
 * TypeScript file; the crash test kills the language server, so it comes last. `restricted` runs
 * in a folder that is not trusted (Restricted Mode), in an editor of its own.
 */
export const SUITES = {
  main: ['activation.test.js', 'router.test.js', 'commands.test.js', 'snippets.test.js', 'serverCrash.test.js'],
  restricted: ['restricted.test.js'],
} as const;

export type SuiteName = keyof typeof SUITES;

export interface SuiteResult {
  passes: number;
  failures: number;
  failed: { title: string; error: string }[];
  vscode: string;
  node: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  const name = process.env[SUITE_ENV] ?? 'main';
  if (!(name in SUITES)) return Promise.reject(new Error(`${SUITE_ENV}=${name}: not one of ${Object.keys(SUITES).join(', ')}`));
  for (const file of SUITES[name as SuiteName]) mocha.addFile(join(__dirname, file));
  const failed: SuiteResult['failed'] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passes = runner.stats?.passes ?? 0;
      const result: SuiteResult = { passes, failures, failed, vscode: vscode.version, node: process.versions.node };
      const resultFile = process.env[RESULT_ENV];
      if (resultFile) writeFileSync(resultFile, JSON.stringify(result, null, 2));
      const summary = `${passes} passed, ${failures} failed`;
      console.log(summary);
      if (failures > 0) reject(new Error(summary));
      else resolve();
    });
    runner.on('fail', (test, error: Error) => failed.push({ title: test.fullTitle(), error: String(error?.stack ?? error) }));
  });
}
