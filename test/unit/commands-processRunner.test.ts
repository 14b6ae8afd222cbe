// The process runner behind "Set Up Guest Provider": real processes, no shell.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnRunner, type ProgramRequest, type SpawnFunction } from '../../client/src/commands/processRunner';
import { addDependencyCommand } from '../../server/src/engine/setup/packageManager';

const scratch = mkdtempSync(join(tmpdir(), 'runner-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = join(scratch, name);
  writeFileSync(file, body);
  return file;
}

/** Spawns for real and remembers every call. */
function recordingSpawn() {
  const calls: { program: string; args: readonly string[]; options: Parameters<SpawnFunction>[2]; pid?: number }[] = [];
  const spawnProcess: SpawnFunction = (program, args, options) => {
    const child = spawn(program, args, options);
    calls.push({ program, args, options, pid: child.pid });
    return child;
  };
  return { calls, spawnProcess };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the process runner', () => {
  it('spawns the program with an argument array and shell: false; arguments reach it verbatim', async () => {
    const echo = script('echo-args.js', "process.stdout.write(JSON.stringify(process.argv.slice(2)));\nprocess.stderr.write('to stderr');\nprocess.exit(3);\n");
    const { calls, spawnProcess } = recordingSpawn();
    const args = [echo, 'two words', '$HOME; echo pwned', '`id`', '*.ts'];
    const request: ProgramRequest = { program: process.execPath, args, cwd: scratch };
    let output = '';
    const outcome = await spawnRunner(spawnProcess).run(request, (text) => (output += text), new AbortController().signal);
    assert.deepEqual(outcome, { kind: 'exited', code: 3 });
    assert.equal(calls.length, 1);
    assert.equal(calls[0].program, process.execPath);
    assert.ok(Array.isArray(calls[0].args));
    assert.deepEqual(calls[0].args, args);
    assert.equal(calls[0].options.shell, false);
    assert.equal(calls[0].options.cwd, scratch);
    assert.equal(output.replace('to stderr', ''), JSON.stringify(args.slice(1)));
    assert.ok(output.includes('to stderr'));
  });

  it('cancelling kills the process and the processes it started', async () => {
    const child = script('sleeper-child.js', 'setInterval(() => {}, 1000);\n');
    const parent = script(
      'sleeper.js',
      `const { spawn } = require('node:child_process');\nconst c = spawn(process.execPath, [${JSON.stringify(child)}], { stdio: 'ignore' });\nprocess.stdout.write('grandchild ' + c.pid + '\\n');\nsetInterval(() => {}, 1000);\n`,
    );
    const { calls, spawnProcess } = recordingSpawn();
    const controller = new AbortController();
    let output = '';
    const running = spawnRunner(spawnProcess).run({ program: process.execPath, args: [parent], cwd: scratch }, (text) => {
      output += text;
      if (output.includes('\n')) controller.abort();
    }, controller.signal);
    assert.deepEqual(await running, { kind: 'cancelled' });
    const grandchild = Number(/grandchild (\d+)/.exec(output)![1]);
    await waitUntil(() => !isAlive(calls[0].pid!) && !isAlive(grandchild));
  });

  it('reports a program that does not exist instead of throwing', async () => {
    const outcome = await spawnRunner().run({ program: join(scratch, 'no-such-program'), args: [], cwd: scratch }, () => {}, new AbortController().signal);
    assert.equal(outcome.kind, 'not-started');
    assert.match((outcome as { error: string }).error, /ENOENT/);
  });

  it('runs npm for real: the npm add command installs a local package into packages/backend, offline', async () => {
    const repo = join(scratch, 'repo');
    const write = (path: string, text: string) => {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    };
    write('package.json', JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }, null, 2));
    write('packages/backend/package.json', JSON.stringify({ name: 'backend', version: '0.0.0', private: true }, null, 2));
    write('vendor/guest-provider/package.json', JSON.stringify({ name: '@backstage/plugin-auth-backend-module-guest-provider', version: '0.1.0' }, null, 2));
    const command = addDependencyCommand('npm', { dir: 'packages/backend', name: 'backend' }, join(repo, 'vendor/guest-provider'));
    const request = {
      program: process.platform === 'win32' ? 'npm.cmd' : 'npm',
      args: [...command.args, '--offline', '--no-audit', '--no-fund', '--cache', join(scratch, 'npm-cache')],
      cwd: repo,
    };
    let output = '';
    const outcome = await spawnRunner().run(request, (text) => (output += text), new AbortController().signal);
    assert.deepEqual(outcome, { kind: 'exited', code: 0 }, output);
    const manifest = JSON.parse(readFileSync(join(repo, 'packages/backend/package.json'), 'utf8'));
    assert.deepEqual(manifest.dependencies, { '@backstage/plugin-auth-backend-module-guest-provider': 'file:../../vendor/guest-provider' });
  });
});
