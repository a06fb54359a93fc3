// Takes the documentation's screenshots from the real editor (code-server + Playwright), with the
// embedded default model: ghost text, the context view, the status bar menu, the Q&A panel, a summary.
// usage: npm run build && node scripts/screenshots.mjs   -> docs/images/*.png
// Then, before committing (tracked files are capped at 36 MiB): pngquant --quality 80-95 --speed 1
// --force --ext .png docs/images/*.png (Debian's pngquant; about 60% smaller, the same to the eye).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, log, startServer } from '../test/e2e/server.mjs';
import { activeLines, openFromExplorer, openWorkbench, palette } from '../test/e2e/gui-session.mjs';

const OUT = join(ROOT, 'docs/images');
mkdirSync(OUT, { recursive: true });
const server = await startServer({ name: 'screens', installExtension: true, settings: { 'samba.model.path': '' } });
try {
  const page = await server.browser.newPage({ viewport: { width: 1280, height: 760 } });
  const shot = (name) => page.screenshot({ path: join(OUT, `${name}.png`) }).then(() => log(`docs/images/${name}.png`));
  const lines = () => activeLines(page);
  await openWorkbench(page, server);
  await openFromExplorer(page, 'src', 'geometry.ts');
  await lines().locator('text=centroid').first().waitFor({ timeout: 20_000 });

  // Ghost text.
  await lines().click();
  await page.keyboard.press('Control+End');
  // The body's first line, after Enter's indentation (as gui-vsix.mjs): what typing shows at the
  // default confidence; mid-line after "return " the model is unsure and typing holds it back.
  await page.keyboard.type('\nexport function midpoint(a: Point, b: Point): Point {\n', { delay: 20 });
  await page.locator('.monaco-editor [class*="ghost-text"]').first().waitFor({ timeout: 120_000 });
  await shot('ghost-text');
  await page.keyboard.press('Escape');

  // The status bar menu.
  await page.locator('.statusbar-item', { hasText: 'Samba' }).first().click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show workspace context' }).waitFor({ timeout: 20_000 });
  await shot('status-menu');
  await page.keyboard.press('Escape');

  // The context view (after the workspace has been read).
  await page.waitForTimeout(5000);
  await palette(page, 'Samba: Show Workspace Context');
  await page.waitForSelector('.tabs-container .tab.active:has-text("Samba Context")', { timeout: 20_000 });
  await shot('context');

  // A file summary.
  await page.locator('.tabs-container .tab', { hasText: 'geometry.ts' }).first().click();
  await palette(page, 'Samba: Summarize File');
  await page.waitForSelector('.tabs-container .tab.active:has-text("Untitled")', { timeout: 60_000 });
  await page.waitForTimeout(15_000);
  await shot('summary');

  // The Q&A panel.
  await palette(page, 'Samba: Ask About the Workspace', 'Question');
  const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await webview().locator('#question').waitFor({ timeout: 30_000 });
  await webview().locator('#question').fill('How is the distance between two points computed?');
  await webview().locator('#send').click();
  await webview().locator('.turn .citation').first().waitFor({ timeout: 120_000 });
  await webview().locator('#stop:disabled').waitFor({ timeout: 180_000 });
  await shot('qa');
} finally {
  await server.stop();
}
