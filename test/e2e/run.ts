// `npm run test:e2e`: the extension in real editors. Installs what is missing (cached outside
// the repo), builds dist/, the suite and the .vsix, then:
//   1. Neovim 0.7 as a second LSP client: preferred quick fix, then fix all (via codeAction/resolve),
//      both files checked byte for byte;
//   2. the mocha suite in code-server's extension host with the .vsix installed;
//   3. the same suite with the repo as extension development path;
//   4. the Restricted Mode suite: the folder not trusted (development path);
//   5. a UI smoke test through Chromium, as a person works (and the README's screenshots).
// Options: --only neovim|vsix|dev|restricted|ui (repeatable), --keep (keep sandboxes),
//          --screenshots <dir> (default .test-tmp/e2e/screenshots; docs/images updates the README's).
// The last line is `N passed, N failed`; the exit status is non-zero on any failure.
import { join } from 'node:path';
import { ensureTools } from '../../scripts/e2e/tools';
import { runSuiteInCodeServer } from './code-server-suite';
import { runNeovim } from './neovim';
import type { SuiteName } from './suite/index';
import { buildDist, buildSuite, packageVsix } from './support/build';
import { log, seconds } from './support/log';
import { E2E_OUT, ROOT } from './support/paths';
import { runUiSmoke } from './ui-smoke';

const STEPS = ['neovim', 'vsix', 'dev', 'restricted', 'ui'] as const;
type Step = (typeof STEPS)[number];

function parseArgs(argv: string[]): { only: Set<Step>; keep: boolean; screenshots: string } {
  const only = new Set<Step>();
  let keep = false;
  let screenshots = join(E2E_OUT, 'screenshots');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') keep = true;
    else if (arg === '--only' && STEPS.includes(argv[i + 1] as Step)) only.add(argv[++i] as Step);
    else if (arg === '--screenshots' && argv[i + 1]) screenshots = join(ROOT, argv[++i]);
    else throw new Error(`unknown argument ${arg}; use --only ${STEPS.join('|')}, --keep, --screenshots <dir>`);
  }
  return { only: only.size > 0 ? only : new Set(STEPS), keep, screenshots };
}

async function main(): Promise<number> {
  const started = Date.now();
  const { only, keep, screenshots } = parseArgs(process.argv.slice(2));
  let passed = 0;
  let failed = 0;
  const outcome: string[] = [];

  const tools = ensureTools(log);
  log(`tools ready (${seconds(started)})`);
  await buildSuite();
  // `npm run package` builds dist/ itself.
  const needsVsix = only.has('vsix') || only.has('ui');
  const vsix = needsVsix ? packageVsix() : undefined;
  if (vsix) log(`packaged ${vsix.path} (${(vsix.bytes / 1024 / 1024).toFixed(2)} MiB)`);
  else buildDist();
  log(`built (${seconds(started)})`);

  const step = async (name: string, body: () => Promise<{ passes: number; failures: number }>) => {
    const stepStarted = Date.now();
    log(`--- ${name}`);
    let line: string;
    try {
      const { passes, failures } = await body();
      passed += passes;
      failed += failures;
      line = `${name}: ${passes} passed, ${failures} failed (${seconds(stepStarted)})`;
    } catch (error) {
      failed += 1;
      console.error(error);
      line = `${name}: FAILED (${seconds(stepStarted)})`;
    }
    log(line);
    outcome.push(line);
  };
  const single = (body: () => void | Promise<void>) => async () => {
    await body();
    return { passes: 1, failures: 0 };
  };
  const suiteResult = async (mode: 'vsix' | 'dev', suite: SuiteName = 'main') => {
    const result = await runSuiteInCodeServer({ tools, mode, vsix: vsix?.path, keep, suite });
    for (const failure of result.failed) console.error(`FAILED ${failure.title}\n${failure.error}`);
    return result;
  };

  if (only.has('neovim')) await step('Neovim 0.7 LSP client: preferred quick fix, then fix all', single(() => runNeovim(tools, { keep })));
  if (only.has('vsix')) await step('code-server, installed .vsix: mocha suite', () => suiteResult('vsix'));
  if (only.has('dev')) await step('code-server, extension development path: mocha suite', () => suiteResult('dev'));
  if (only.has('restricted')) {
    await step('code-server, folder not trusted: Restricted Mode suite', () => suiteResult('dev', 'restricted'));
  }
  if (only.has('ui')) {
    await step('code-server UI: Quick Open, squiggle, Problems, Ctrl+. Enter, Ctrl+S', single(() =>
      runUiSmoke({ tools, vsix: vsix!.path, screenshots, keep })));
  }

  console.log(`\n${outcome.join('\n')}\ntotal ${seconds(started)}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
