// The extension as a person uses it, through the browser: open router.ts with Quick Open, see
// the squiggle and the Problems entry, put the cursor on a finding, Ctrl+. then Enter (the
// preferred fix), Ctrl+S, and the file on disk is exactly what the engine computes. Takes the
// README's screenshots on the way (hover, light bulb menu, command palette).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Tools } from '../../scripts/e2e/tools';
import { installExtension, launchBrowser, readLog, startCodeServer, waitUntil, workbenchUrl, type CodeServer } from './support/code-server';
import { computeExpectations } from './support/expectations';
import { log } from './support/log';
import { createSandbox, removeSandbox } from './support/sandbox';

export interface UiSmokeOptions {
  tools: Tools;
  vsix: string;
  /** Where hover.png, lightbulb.png and command-palette.png go. */
  screenshots: string;
  keep?: boolean;
}

/** The example workspace has no node_modules, so TypeScript's own "cannot find module" errors
 * would cover the screenshots; a real project does not have them. Hovers open below the line,
 * where there is room for the whole explanation. */
const SETTINGS = {
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'editor.hover.above': false,
};

export async function runUiSmoke({ tools, vsix, screenshots, keep }: UiSmokeOptions): Promise<void> {
  const sandbox = createSandbox(SETTINGS);
  const expected = computeExpectations(sandbox.workspace);
  const target = join(sandbox.workspace, expected.file);
  const fileName = expected.file.split('/').pop()!;
  const finding = expected.diagnostics.find((d) => d.code === expected.quickFix.code)!;
  mkdirSync(screenshots, { recursive: true });
  let server: CodeServer | undefined;
  let page: Page | undefined;
  let closeBrowser = async () => {};
  try {
    log(installExtension(tools, sandbox, vsix).split('\n').pop() ?? '');
    server = await startCodeServer(tools, sandbox);
    const browser = await launchBrowser(tools, sandbox);
    page = browser.page;
    closeBrowser = () => browser.context.close();
    await page.goto(workbenchUrl(server, sandbox));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: 60_000 });
    log('workbench up');

    await quickOpen(page, fileName, expected.file.split('/').slice(0, -1).join('/'));
    await page.locator(`.tab.active[aria-label*="${fileName}"]`).first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 90_000 });
    log(`${fileName} open, squiggles shown`);

    await page.keyboard.press('Control+Shift+M');
    // Workspace diagnostics list other files' problems too: filter, as a person would.
    await page.locator('.markers-panel').waitFor();
    // Filled into the filter box itself (typing after Ctrl+F raced the box getting focus once,
    // and only the first character landed), then the box is read back before the list is awaited.
    const filter = page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
    await filter.waitFor({ timeout: 30_000 });
    const wanted = finding.message.slice(0, 40);
    await filter.fill(wanted);
    const typed = await filter.inputValue();
    if (typed !== wanted) throw new Error(`the Problems filter holds ${JSON.stringify(typed)}, not ${JSON.stringify(wanted)}`);
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: finding.message }).first();
    await problem.waitFor({ timeout: 30_000 });
    log(`Problems: ${(await problem.innerText()).replace(/\s+/g, ' ').trim()}`);

    // The panel goes away meanwhile, so the hover and the light bulb menu have the editor's height.
    await page.keyboard.press('Control+J');
    await page.locator('.markers-panel').waitFor({ state: 'hidden' });

    // Cursor on the finding: Quick Open's ":line:column".
    const line = finding.range.start.line + 1;
    const column = finding.range.start.character + 1;
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input:not([type=checkbox])').first().waitFor();
    await page.keyboard.type(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: 10_000 });

    // Hover, as the keyboard shows it (Ctrl+K Ctrl+I), with our explanation in it.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.locator('.monaco-hover', { hasText: finding.title }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(screenshots, 'hover.png') });
    await page.keyboard.press('Escape');
    log('hover shown');

    // Ctrl+. asks every code action provider; a cold TypeScript server can make the menu late.
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    const menuDeadline = Date.now() + 60_000;
    for (;;) {
      await page.keyboard.press('Control+.');
      try {
        await menu.locator('.monaco-list-row.action').first().waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (Date.now() > menuDeadline) throw error;
        await page.keyboard.press('Escape');
      }
    }
    const focused = (await menu.locator('.monaco-list-row.action.focused').first().innerText()).trim();
    if (focused !== expected.quickFix.title) {
      throw new Error(`the focused code action is "${focused}", not "${expected.quickFix.title}"`);
    }
    await page.screenshot({ path: join(screenshots, 'lightbulb.png') });
    await page.keyboard.press('Enter');
    log(`applied "${focused}"`);

    await page.locator('.monaco-editor .view-lines', { hasText: 'permissions: PermissionsService;' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Control+S');
    await waitUntil(20_000, 'the fixed file on disk', () => readFileSync(target, 'utf8') !== expected.original);
    const onDisk = readFileSync(target, 'utf8');
    if (onDisk !== expected.quickFix.text) {
      throw new Error(`the file on disk differs from the engine's quick fix result:\n${onDisk}`);
    }
    log('file on disk is exactly the quick fix result');

    await page.keyboard.press('Control+Shift+M');
    // Clear the filter typed earlier, so every remaining problem is listed again.
    await page.locator('.markers-panel').waitFor();
    await filter.fill('');
    await page.locator('.markers-panel .monaco-list-row').first().waitFor();

    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Backstage Auth');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Backstage Auth' }).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(screenshots, 'command-palette.png') });
    await page.keyboard.press('Escape');
    log(`screenshots in ${screenshots}`);
  } catch (error) {
    await page?.screenshot({ path: join(sandbox.root, 'failure.png') }).catch(() => {});
    if (server) console.error(`--- code-server log (tail):\n${readLog(server.logFile).slice(-3000)}`);
    console.error(`failure screenshot: ${join(sandbox.root, 'failure.png')} (kept)`);
    keep = true;
    throw error;
  } finally {
    await closeBrowser().catch(() => {});
    await server?.stop();
    if (keep) log(`kept ${sandbox.root}`);
    else removeSandbox(sandbox);
  }
}

/** Ctrl+P, type the name, pick the row in the expected folder. */
async function quickOpen(page: Page, fileName: string, folder: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input:not([type=checkbox])').first().waitFor();
  await page.keyboard.type(fileName);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: folder.split('/').slice(-2).join('/') }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}
