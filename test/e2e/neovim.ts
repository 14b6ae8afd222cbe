// Drives neovim/quickfix.lua on a copy of the example workspace and compares the files it
// writes with the engine's results (preferred quick fix, then fix all), byte for byte.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tools } from '../../scripts/e2e/tools';
import { computeExpectations } from './support/expectations';
import { log } from './support/log';
import { ROOT } from './support/paths';
import { createSandbox, removeSandbox, sandboxEnv } from './support/sandbox';

export function runNeovim(tools: Tools, { keep = false } = {}): void {
  const sandbox = createSandbox();
  try {
    const expected = computeExpectations(sandbox.workspace);
    const target = join(sandbox.workspace, expected.file);
    const fixAllCopy = join(sandbox.root, 'fix-all-result.ts');
    const result = spawnSync(
      tools.nvim,
      ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '--cmd', 'set noswapfile', '-c', `luafile ${join(ROOT, 'test', 'e2e', 'neovim', 'quickfix.lua')}`],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: sandboxEnv(sandbox, {
          LSP_SERVER: join(ROOT, 'dist', 'server.js'),
          NODE: process.execPath,
          TARGET: target,
          RULE_ID: expected.quickFix.code,
          FIX_ALL_COPY: fixAllCopy,
        }),
      },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    for (const line of output.split('\n')) if (line.trim()) log(line);
    if (result.status !== 0) throw new Error(`nvim exited with ${result.status ?? result.signal}`);
    const written = readFileSync(target, 'utf8');
    if (written !== expected.quickFix.text) {
      throw new Error(`the file Neovim wrote differs from the engine's quick fix result:\n${written}`);
    }
    const fixedAll = readFileSync(fixAllCopy, 'utf8');
    if (fixedAll !== expected.fixAll) {
      throw new Error(`Neovim's fix-all result differs from the engine's fixAll:\n${fixedAll}`);
    }
    log('the files Neovim wrote are exactly the quick fix and fix-all results');
  } finally {
    if (keep) log(`kept ${sandbox.root}`);
    else removeSandbox(sandbox);
  }
}
