// The whole test suite: build, then every test file in one node:test run.
// Usage: node scripts/test.mjs [group...]   groups: unit cli lsp typecheck (default: all)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const groups = process.argv.slice(2);
const selected = groups.length ? groups : ['unit', 'cli', 'lsp', 'typecheck'];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Unit tests run from source; the other groups drive the bundled server and CLI.
if (selected.some((g) => g !== 'unit' && g !== 'typecheck')) run(process.execPath, ['esbuild.mjs']);

const files = selected.flatMap((group) => {
  const dir = join(root, 'test', group);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', group, f));
});
if (files.length === 0) {
  console.error(`no test files in: ${selected.join(', ')}`);
  process.exit(2);
}
run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
