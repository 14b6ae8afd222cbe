// The whole test suite: every node:test file in one run, then the real-editor tests.
// Usage: node scripts/test.mjs [group...]   groups: unit cli lsp typecheck e2e (default: all)
// The last line counts both parts: `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const NODE_TEST_GROUPS = ['unit', 'cli', 'lsp', 'typecheck'];
const groups = process.argv.slice(2);
const selected = groups.length ? groups : [...NODE_TEST_GROUPS, 'e2e'];
for (const group of selected) {
  if (!NODE_TEST_GROUPS.includes(group) && group !== 'e2e') {
    console.error(`unknown test group ${group}; use ${[...NODE_TEST_GROUPS, 'e2e'].join(', ')}`);
    process.exit(2);
  }
}

/** Runs a command with its output shown, keeping the lines that carry counts. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let partial = '';
    const counted = [];
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      counted.push(...lines.filter((line) => /^ℹ (pass|fail) \d+$|^\d+ passed, \d+ failed$/.test(line)));
    });
    child.on('close', (code) => resolve({ code: code ?? 1, tail: [...counted, partial].join('\n') }));
  });
}

function count(tail, pattern) {
  const matches = [...tail.matchAll(pattern)];
  return matches.length ? Number(matches[matches.length - 1][1]) : 0;
}

let passed = 0;
let failed = 0;
let status = 0;

// Unit and typecheck tests run from source; the other groups drive the bundled server and CLI.
if (selected.some((g) => g === 'cli' || g === 'lsp')) {
  if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const files = selected
  .filter((g) => NODE_TEST_GROUPS.includes(g))
  .flatMap((group) => {
    const dir = join(root, 'test', group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => join('test', group, f));
  });
if (files.length > 0) {
  const result = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  passed += count(result.tail, /^ℹ pass (\d+)$/gm);
  failed += count(result.tail, /^ℹ fail (\d+)$/gm);
  if (result.code !== 0) status = 1;
}

if (selected.includes('e2e')) {
  const result = await run(process.execPath, ['--import', 'tsx', join('test', 'e2e', 'run.ts')]);
  passed += count(result.tail, /^(\d+) passed, \d+ failed$/gm);
  failed += count(result.tail, /^\d+ passed, (\d+) failed$/gm);
  if (result.code !== 0) {
    status = 1;
    if (count(result.tail, /^\d+ passed, (\d+) failed$/gm) === 0) failed += 1; // it died before counting
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status || (failed > 0 ? 1 : 0));
