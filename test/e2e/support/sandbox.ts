// A throwaway directory per editor run: a copy of examples/ as the workspace, the editor's user
// data and extensions, its TMPDIR and XDG dirs, and the browser profile. Nothing outside it is
// written, and removing it removes every trace of the run.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES } from './paths';

export interface Sandbox {
  root: string;
  workspace: string;
  userData: string;
  extensions: string;
  /** TMPDIR and XDG_* of the editor: its sockets and caches land here. */
  tmp: string;
  xdg: string;
  browserProfile: string;
}

/** Quiet defaults: no welcome page, tips, telemetry, updates, trust prompt or auto save. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off',
  'git.enabled': false,
  'editor.lightbulb.enabled': 'on',
  // The chat side bar opens by default in recent versions and takes a third of the window.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function createSandbox(settings: Record<string, unknown> = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'backstage-auth-e2e-'));
  const sandbox: Sandbox = {
    root,
    workspace: join(root, 'workspace'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    tmp: join(root, 'tmp'),
    xdg: join(root, 'xdg'),
    browserProfile: join(root, 'browser-profile'),
  };
  cpSync(EXAMPLES, sandbox.workspace, { recursive: true });
  for (const dir of [join(sandbox.userData, 'User'), sandbox.extensions, sandbox.tmp, sandbox.xdg]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(
    join(sandbox.userData, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2),
  );
  return sandbox;
}

export function removeSandbox(sandbox: Sandbox): void {
  rmSync(sandbox.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

/**
 * The environment of every process started for the sandbox. Without the npm_* variables that
 * `npm run` sets for its scripts (this repo's prefix and config): the editor gets the environment
 * a person's editor has, plus `extra`.
 */
export function sandboxEnv(sandbox: Sandbox, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return {
    ...inherited,
    TMPDIR: sandbox.tmp,
    XDG_CONFIG_HOME: join(sandbox.xdg, 'config'),
    XDG_DATA_HOME: join(sandbox.xdg, 'data'),
    XDG_CACHE_HOME: join(sandbox.xdg, 'cache'),
    XDG_STATE_HOME: join(sandbox.xdg, 'state'),
    ...extra,
  };
}
