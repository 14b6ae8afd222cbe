// code-server on 127.0.0.1 in a sandbox, opened in Debian's Chromium through playwright-core.
// code-server runs in its own process group and is ended through that group only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Tools } from '../../../scripts/e2e/tools';
import { log } from './log';
import { sandboxEnv, type Sandbox } from './sandbox';

export interface CodeServer {
  url: string;
  logFile: string;
  /** A path on this machine as the workbench addresses it (for the test payload). */
  remoteUri(path: string): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for code-server and so for the extension host it starts. */
  env?: Record<string, string>;
  /** Lets the workbench honour `?payload=` (extension development path, tests path). */
  testDriver?: boolean;
  /** Keep workspace trust on (code-server's --disable-workspace-trust is passed otherwise). */
  workspaceTrust?: boolean;
  port?: number;
}

function baseArgs(tools: Tools, sandbox: Sandbox, workspaceTrust = false): string[] {
  return [
    tools.codeServerEntry,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--config', join(sandbox.root, 'code-server.yaml'),
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
  ];
}

/** `code-server --install-extension`: the path a person takes with a downloaded .vsix. */
export function installExtension(tools: Tools, sandbox: Sandbox, vsix: string): string {
  const result = spawnSync(tools.node, [...baseArgs(tools, sandbox), '--install-extension', vsix], {
    encoding: 'utf8',
    env: sandboxEnv(sandbox),
    timeout: 120_000,
  });
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.status !== 0) throw new Error(`--install-extension failed:\n${output}`);
  return output;
}

export async function startCodeServer(tools: Tools, sandbox: Sandbox, options: StartOptions = {}): Promise<CodeServer> {
  const port = options.port ?? (await freePort());
  const logFile = join(sandbox.root, 'code-server.log');
  const out = openSync(logFile, 'a');
  const args = [...baseArgs(tools, sandbox, options.workspaceTrust), '--bind-addr', `127.0.0.1:${port}`];
  if (options.testDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(tools.node, [...args, sandbox.workspace], {
    detached: true,
    stdio: ['ignore', out, out],
    env: sandboxEnv(sandbox, options.env),
  });
  closeSync(out);
  const url = `http://127.0.0.1:${port}/`;
  const server: CodeServer = {
    url,
    logFile,
    remoteUri: (path) => `vscode-remote://127.0.0.1:${port}${path}`,
    stop: () => stopGroup(child),
  };
  try {
    await waitUntil(60_000, 'code-server to listen', () => {
      if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${readLog(logFile)}`);
      return readLog(logFile).includes('HTTP server listening');
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  log(`code-server pid ${child.pid} at ${url}`);
  return server;
}

/** The workbench URL for the sandbox's folder, with an optional test payload. */
export function workbenchUrl(server: CodeServer, sandbox: Sandbox, payload: [string, string][] = []): string {
  const url = new URL(server.url);
  url.searchParams.set('folder', sandbox.workspace);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(tools: Tools, sandbox: Sandbox): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(sandbox.browserProfile, {
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
    // Chromium writes crash reports under XDG_CONFIG_HOME; keep them in the sandbox.
    env: sandboxEnv(sandbox) as Record<string, string>,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
}

export async function waitUntil(timeoutMs: number, what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // the group is already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone in the meantime
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
