// Renders images/icon.svg to the 128x128 images/icon.png the marketplace shows, in Debian's
// Chromium through playwright-core. Run after changing the SVG: node --import tsx scripts/e2e/render-icon.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { toolPaths } from './tools';

const images = join(import.meta.dirname, '..', '..', 'images');
const svg = readFileSync(join(images, 'icon.svg'), 'utf8');

async function render(): Promise<void> {
  // Chromium writes under XDG_CONFIG_HOME even headless; keep that out of the home directory.
  const profile = mkdtempSync(join(tmpdir(), 'backstage-auth-icon-'));
  const browser = await chromium.launch({
    executablePath: toolPaths().chromium,
    args: ['--no-sandbox', '--disable-gpu'],
    env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile } as Record<string, string>,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.screenshot({ path: join(images, 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`wrote ${join(images, 'icon.png')}`);
}

void render();
