// Playwright GUI test: drives the real VS Code workbench (code-server in headless Chromium) the way a
// user would, with our extension installed (a link to the repository root). Opens a file
// from the explorer, runs "Samba: Show Engine Info" from the command palette and checks the
// notification. Screenshots go to .vscode-test/screens/. Ends with "N passed, N failed".
// Usage: node test/e2e/gui.mjs        (npm run build first; env as for run.mjs)
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENS, log, startServer, summary } from './server.mjs';

const results = [];
let server;
let page;
mkdirSync(SCREENS, { recursive: true });
for (const f of readdirSync(SCREENS)) if (f.startsWith('gui-')) rmSync(join(SCREENS, f)); // no stale screenshots
const shot = (name) => page.screenshot({ path: join(SCREENS, `${name}.png`) });

/** One named check; the first failure stops the run (later steps depend on earlier ones). */
async function step(title, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ title, ok: true });
    console.log(`  ✔ ${title} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ title, ok: false });
    console.log(`  ✘ ${title}\n${String(e?.stack ?? e).replace(/^/gm, '      ')}`);
    await shot(`gui-failed`).catch(() => {});
    console.log('      screenshot: .vscode-test/screens/gui-failed.png');
    throw e;
  }
}

try {
  // Not in development mode: the workbench honours the URL payload's extensionDevelopmentPath only with
  // the smoke-test driver on, and that driver suppresses notification toasts. So the extension is
  // installed the way a user has it (a link in the extensions folder).
  server = await startServer({ name: 'gui', installExtension: true });
  page = await server.browser.newPage({ viewport: { width: 1280, height: 800 } });
  console.log('\n  GUI (Playwright, headless Chromium):');

  await step('the workbench opens the workspace with our extension installed', async () => {
    await page.goto(server.url());
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  });

  await step('a file opens from the explorer', async () => {
    const row = (label) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: label }).first();
    await row('src').click();
    await row('index.ts').click();
    await page.waitForSelector('.tabs-container .tab.active:has-text("index.ts")', { timeout: 20_000 });
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'describeRoute' }).waitFor({ timeout: 20_000 });
    await shot('gui-file-open');
  });

  await step('"Samba: Show Engine Info" runs from the command palette and reports the engine', async () => {
    await page.locator('.editor-instance .monaco-editor .view-lines').click(); // focus in the workbench
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Samba: Show Engine Info');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Samba: Show Engine Info' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /samba/i }).first();
    await toast.waitFor({ timeout: 120_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ').trim();
    log(`notification: ${JSON.stringify(text)}`);
    await shot('gui-engine-info');
    if (!/Samba: samba: \d+ blocks/.test(text)) throw new Error(`unexpected notification text: ${text}`);
    if (!/on the GPU/.test(text)) throw new Error(`the engine did not run on the GPU: ${text}`);
  });
} catch (e) {
  if (!results.some((r) => !r.ok)) {
    console.error('gui: harness error:', e?.stack ?? e);
    results.push({ title: 'harness', ok: false });
  }
} finally {
  await server?.stop({ keepLog: results.some((r) => !r.ok) });
}
const failed = results.filter((r) => !r.ok).length;
summary(results.length - failed, failed);
process.exit(failed ? 1 : 0);
