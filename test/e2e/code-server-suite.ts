// Runs the mocha suite (suite/index.js) inside code-server's Node extension host, opened in
// headless Chromium. `vsix` installs the packaged extension with --install-extension first;
// `dev` loads the repo as the extension development path, as F5 in VS Code does.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Tools } from '../../scripts/e2e/tools';
import { EXPECTATIONS_ENV, RESULT_ENV } from './suite/env';
import type { SuiteResult } from './suite/index';
import { installExtension, launchBrowser, readLog, startCodeServer, waitUntil, workbenchUrl, type CodeServer } from './support/code-server';
import { computeExpectations } from './support/expectations';
import { log } from './support/log';
import { ROOT, SUITE_INDEX, SUITE_OUT } from './support/paths';
import { createSandbox, removeSandbox } from './support/sandbox';

export type Mode = 'vsix' | 'dev';

export interface SuiteRunOptions {
  tools: Tools;
  mode: Mode;
  vsix?: string;
  keep?: boolean;
}

const SUITE_TIMEOUT_MS = 6 * 60_000;

export async function runSuiteInCodeServer({ tools, mode, vsix, keep }: SuiteRunOptions): Promise<SuiteResult> {
  const sandbox = createSandbox();
  const expectationsFile = join(sandbox.root, 'expectations.json');
  const resultFile = join(sandbox.root, 'result.json');
  writeFileSync(expectationsFile, JSON.stringify(computeExpectations(sandbox.workspace), null, 2));
  let server: CodeServer | undefined;
  let closeBrowser = async () => {};
  let result: SuiteResult | undefined;
  try {
    if (mode === 'vsix') {
      if (!vsix) throw new Error('mode vsix needs a .vsix');
      log(installExtension(tools, sandbox, vsix).split('\n').pop() ?? '');
    }
    server = await startCodeServer(tools, sandbox, {
      testDriver: true,
      env: { [EXPECTATIONS_ENV]: expectationsFile, [RESULT_ENV]: resultFile },
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
    log(`suite (${mode}) started in the workbench`);
    await waitUntil(SUITE_TIMEOUT_MS, 'the suite to finish', () => exitCode !== undefined);
    if (existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
    if (!result) throw new Error(`the suite ended with exit code ${exitCode} but wrote no result`);
    if ((exitCode === 0) !== (result.failures === 0)) {
      throw new Error(`exit code ${exitCode} disagrees with ${result.failures} failures`);
    }
    return result;
  } catch (error) {
    if (server) console.error(`--- code-server log (tail):\n${readLog(server.logFile).slice(-4000)}`);
    throw error;
  } finally {
    await closeBrowser().catch(() => {});
    await server?.stop();
    if (keep) log(`kept ${sandbox.root}`);
    else removeSandbox(sandbox);
  }
}
