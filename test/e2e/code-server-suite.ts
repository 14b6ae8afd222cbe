// Runs the mocha suite (suite/index.js) inside code-server's Node extension host, opened in
// headless Chromium. `vsix` installs the packaged extension with --install-extension first;
// `dev` loads the repo as the extension development path, as F5 in VS Code does. The `restricted`
// suite opens the folder with workspace trust on and the folder not trusted.
//
// Next to the workspace the sandbox holds the command and crash tests' own folders
// (support/scenarios.ts), and a local npm registry serves the guest provider module: the editor's
// environment points npm there (npm_config_registry, a sandbox npmrc and cache), so "Set Up Guest
// Provider" runs the real npm without the internet and without touching ~/.npm.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Tools } from '../../scripts/e2e/tools';
import { EXPECTATIONS_ENV, RESULT_ENV, SCENARIOS_ENV, SUITE_ENV } from './suite/env';
import { GUEST_MODULE, GUEST_MODULE_VERSION } from './suite/guestRepo';
import type { SuiteName, SuiteResult } from './suite/index';
import { installExtension, launchBrowser, readLog, startCodeServer, waitUntil, workbenchUrl, type CodeServer } from './support/code-server';
import { computeExpectations } from './support/expectations';
import { log } from './support/log';
import { ROOT, SUITE_INDEX, SUITE_OUT } from './support/paths';
import { startRegistry, type LocalRegistry } from './support/registry';
import { createSandbox, removeSandbox, type Sandbox } from './support/sandbox';
import { prepareScenarios } from './support/scenarios';

export type Mode = 'vsix' | 'dev';

export interface SuiteRunOptions {
  tools: Tools;
  mode: Mode;
  vsix?: string;
  keep?: boolean;
  /** Which test files (suite/index.ts); `main` by default. */
  suite?: SuiteName;
}

const SUITE_TIMEOUT_MS = 8 * 60_000;

/** Workspace trust on, and no prompt: the folder opens in Restricted Mode. */
const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

export async function runSuiteInCodeServer({ tools, mode, vsix, keep, suite = 'main' }: SuiteRunOptions): Promise<SuiteResult> {
  const restricted = suite === 'restricted';
  const sandbox = createSandbox(restricted ? RESTRICTED_SETTINGS : {});
  const expectationsFile = join(sandbox.root, 'expectations.json');
  const scenariosFile = join(sandbox.root, 'scenarios.json');
  const resultFile = join(sandbox.root, 'result.json');
  writeFileSync(expectationsFile, JSON.stringify(computeExpectations(sandbox.workspace), null, 2));
  let registry: LocalRegistry | undefined;
  let server: CodeServer | undefined;
  let closeBrowser = async () => {};
  let result: SuiteResult | undefined;
  try {
    registry = await startRegistry({ name: GUEST_MODULE, version: GUEST_MODULE_VERSION }, join(sandbox.root, 'registry'));
    writeFileSync(scenariosFile, JSON.stringify(prepareScenarios(sandbox, registry), null, 2));
    if (mode === 'vsix') {
      if (!vsix) throw new Error('mode vsix needs a .vsix');
      log(installExtension(tools, sandbox, vsix).split('\n').pop() ?? '');
    }
    server = await startCodeServer(tools, sandbox, {
      testDriver: true,
      workspaceTrust: restricted,
      env: {
        [EXPECTATIONS_ENV]: expectationsFile,
        [SCENARIOS_ENV]: scenariosFile,
        [RESULT_ENV]: resultFile,
        [SUITE_ENV]: suite,
        ...npmEnv(sandbox, registry),
      },
    });
    const { context, page } = await launchBrowser(tools, sandbox);
    closeBrowser = () => context.close();

    let exitCode: number | undefined;
    // The workbench reports the end of the tests here, and forwards the extension host's console.
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exitCode = code;
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...(args ?? []));
      if (line.trim()) console.log(`  [extension host] ${line}`);
    });
    // Extension tests run only in a development host; in `vsix` mode the development path is a
    // folder without a manifest (the compiled suite), so the installed copy is what runs.
    const developmentPath = mode === 'dev' ? ROOT : SUITE_OUT;
    await page.goto(
      workbenchUrl(server, sandbox, [
        ['extensionDevelopmentPath', server.remoteUri(developmentPath)],
        ['extensionTestsPath', server.remoteUri(SUITE_INDEX)],
        ['skipWelcome', 'true'],
      ]),
    );
    log(`suite ${suite} (${mode}) started in the workbench`);
    await waitUntil(SUITE_TIMEOUT_MS, 'the suite to finish', () => exitCode !== undefined);
    if (existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
    if (!result) throw new Error(`the suite ended with exit code ${exitCode} but wrote no result`);
    if ((exitCode === 0) !== (result.failures === 0)) {
      throw new Error(`exit code ${exitCode} disagrees with ${result.failures} failures`);
    }
    // Restricted Mode must not have run a package manager at all.
    if (restricted && registry.requests.length > 0) {
      result.failures += 1;
      result.failed.push({ title: 'Restricted Mode: no package manager ran', error: `the registry was asked for ${registry.requests.join(', ')}` });
    }
    return result;
  } catch (error) {
    if (server) console.error(`--- code-server log (tail):\n${readLog(server.logFile).slice(-4000)}`);
    throw error;
  } finally {
    await closeBrowser().catch(() => {});
    await server?.stop();
    await registry?.close();
    if (keep) log(`kept ${sandbox.root}`);
    else removeSandbox(sandbox);
  }
}

/** npm as the extension host runs it: the local registry, and config and cache in the sandbox. */
export function npmEnv(sandbox: Sandbox, registry: LocalRegistry): Record<string, string> {
  const npmrc = join(sandbox.root, 'npmrc');
  writeFileSync(npmrc, [`registry=${registry.url}`, 'audit=false', 'fund=false', 'update-notifier=false', ''].join('\n'));
  return {
    npm_config_registry: registry.url,
    npm_config_userconfig: npmrc,
    npm_config_cache: join(sandbox.root, 'npm-cache'),
  };
}
