// The packaged extension as a new user gets it: package the linux-x64 VSIX, install it into a fresh
// VS Code (code-server) with no settings of ours, open a workspace, type, and get ghost text from the
// embedded default model; Tab accepts it. Ends with "N passed, N failed".
// Usage: node test/e2e/gui-vsix.mjs   (npm run build first)
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SCREENS, log, startServer, summary } from './server.mjs';

const results = [];
let server;
let page;
mkdirSync(SCREENS, { recursive: true });
const shot = (name) => page.screenshot({ path: join(SCREENS, `vsix-${name}.png`) });

async function step(title, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ title, ok: true });
    console.log(`  ✔ ${title} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ title, ok: false });
    console.log(`  ✘ ${title}\n${String(e?.stack ?? e).replace(/^/gm, '      ')}`);
    await shot('failed').catch(() => {});
    throw e;
  }
}

try {
  console.log('\n  The VSIX, installed (Playwright, headless Chromium):');
  let vsix;
  await step('npm run package builds the linux-x64 VSIX', async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/package.mjs'), 'linux-x64'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    vsix = join(ROOT, 'vsix/samba-code-linux-x64.vsix');
    log(`VSIX: ${(statSync(vsix).size / 1024 / 1024).toFixed(1)} MiB`);
  });
  // No samba.model.path: the embedded default model, as a user who just installed it has.
  server = await startServer({ name: 'vsix', vsix, settings: { 'samba.model.path': '' } });
  page = await server.browser.newPage({ viewport: { width: 1280, height: 800 } });

  await step('opening a workspace and typing gives ghost text from the embedded model; Tab accepts it', async () => {
    await page.goto(server.url());
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Samba' }).first().waitFor({ timeout: 60_000 });
    const row = (label) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: label }).first();
    await row('src').click();
    await row('geometry.ts').click();
    const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await lines.locator('text=centroid').first().waitFor({ timeout: 20_000 });
    await lines.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nexport function midpoint(a: Point, b: Point): Point {\n  return ', { delay: 20 });
    const ghost = page.locator('.monaco-editor [class*="ghost-text"]').first();
    await ghost.waitFor({ timeout: 120_000 });
    const shown = (await ghost.innerText()).replace(/\s+/g, ' ').trim();
    log(`ghost text from the default model: ${JSON.stringify(shown)}`);
    await shot('ghost-text');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => !document.querySelector('.monaco-editor [class*="ghost-text"]'), null, { timeout: 10_000 });
    const text = (await lines.innerText()).replace(/\s+/g, ' ');
    if (!text.includes(shown.slice(0, Math.min(6, shown.length)))) throw new Error(`the accepted text is not in the editor: ${JSON.stringify(shown)}`);
    await shot('accepted');
  });

  await step('the installed extension runs the model on the GPU (its Dawn binary shipped in the VSIX)', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Samba: Show Engine Info');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Samba: Show Engine Info' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /blocks x/ }).first();
    await toast.waitFor({ timeout: 60_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    log(`engine: ${text}`);
    if (!/on the GPU/.test(text) || !/\(default\)/.test(text)) throw new Error(`not the embedded model on the GPU: ${text}`);
  });
} catch (e) {
  if (!results.some((r) => !r.ok)) {
    console.error('gui-vsix: harness error:', e?.stack ?? e);
    results.push({ title: 'harness', ok: false });
  }
} finally {
  await server?.stop({ keepLog: results.some((r) => !r.ok) });
}
const failed = results.filter((r) => !r.ok).length;
summary(results.length - failed, failed);
process.exit(failed ? 1 : 0);
