// `npm run test:e2e:electron`: the conventional desktop run. @vscode/test-electron downloads
// VS Code (needs internet: on the offline build machine it fails at the download, which is
// expected there) and runs the same suite/index.js in its extension host, with the repo as the
// extension development path. On a Linux machine without a display: xvfb-run -a npm run test:e2e:electron
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { CACHE_ROOT } from '../../scripts/e2e/tools';
import { npmEnv } from './code-server-suite';
import { EXPECTATIONS_ENV, RESULT_ENV, SCENARIOS_ENV } from './suite/env';
import { GUEST_MODULE, GUEST_MODULE_VERSION } from './suite/guestRepo';
import type { SuiteResult } from './suite/index';
import { buildDist, buildSuite } from './support/build';
import { computeExpectations } from './support/expectations';
import { log } from './support/log';
import { ROOT, SUITE_INDEX } from './support/paths';
import { startRegistry } from './support/registry';
import { createSandbox, removeSandbox } from './support/sandbox';
import { prepareScenarios } from './support/scenarios';

async function main(): Promise<number> {
  buildDist();
  await buildSuite();
  const sandbox = createSandbox();
  const expectationsFile = join(sandbox.root, 'expectations.json');
  const scenariosFile = join(sandbox.root, 'scenarios.json');
  const resultFile = join(sandbox.root, 'result.json');
  writeFileSync(expectationsFile, JSON.stringify(computeExpectations(sandbox.workspace), null, 2));
  const registry = await startRegistry({ name: GUEST_MODULE, version: GUEST_MODULE_VERSION }, join(sandbox.root, 'registry'));
  writeFileSync(scenariosFile, JSON.stringify(prepareScenarios(sandbox, registry), null, 2));
  if (process.platform === 'linux' && !process.env.DISPLAY) log('no DISPLAY: run this under xvfb-run -a');
  try {
    const exitCode = await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      cachePath: join(CACHE_ROOT, 'vscode-test'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE_INDEX,
      extensionTestsEnv: {
        [EXPECTATIONS_ENV]: expectationsFile,
        [SCENARIOS_ENV]: scenariosFile,
        [RESULT_ENV]: resultFile,
        ...npmEnv(sandbox, registry),
      },
      launchArgs: [
        sandbox.workspace,
        // Built-in extensions (TypeScript, Markdown) stay on; anything else installed is off.
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', sandbox.userData,
        '--extensions-dir', sandbox.extensions,
      ],
    });
    const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult) : undefined;
    console.log(`${result?.passes ?? 0} passed, ${result?.failures ?? 1} failed`);
    return exitCode === 0 && result !== undefined && result.failures === 0 && result.passes > 0 ? 0 : 1;
  } finally {
    await registry.close();
    removeSandbox(sandbox);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test-electron run failed: ${error instanceof Error ? error.message : String(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
