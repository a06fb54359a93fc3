// Playwright GUI test of the Q&A panel: open it from the command palette, ask, see the streamed
// answer and its citations, click one and land in the file at the line. Needs the panel wired into
// src/extension.ts. Screenshots go to .vscode-test/screens/gui-qa-*.png. Ends with "N passed, N failed".
// Usage: node test/e2e/gui-qa.mjs        (npm run build first; env as for run.mjs)
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENS, log, startServer, summary } from './server.mjs';

const results = [];
let server;
let page;
mkdirSync(SCREENS, { recursive: true });
for (const f of readdirSync(SCREENS)) if (f.startsWith('gui-qa-')) rmSync(join(SCREENS, f));
const shot = (name) => page.screenshot({ path: join(SCREENS, `gui-qa-${name}.png`) });

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
    console.log('      screenshot: .vscode-test/screens/gui-qa-failed.png');
    throw e;
  }
}

try {
  server = await startServer({ name: 'gui-qa', installExtension: true });
  page = await server.browser.newPage({ viewport: { width: 1400, height: 900 } });
  console.log('\n  GUI, Q&A panel (Playwright, headless Chromium):');
  // The webview: an iframe (class "webview") holding the page in its #active-frame.
  const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  await step('the workbench opens the workspace', async () => {
    await page.goto(server.url());
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    // The palette lists commands as it opens: wait until our extension is up (its status bar item shows).
    await page.locator('.statusbar-item', { hasText: 'Samba' }).first().waitFor({ timeout: 60_000 });
  });

  await step('"Samba: Ask About the Workspace" opens the panel', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row').first().click();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Samba: Ask About the Workspace');
    // "Ask a Question About the Workspace…" matches too: click the exact entry.
    const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Samba: Ask About the Workspace', hasNotText: 'Question' }).first();
    await entry.waitFor({ timeout: 20_000 });
    await entry.click();
    await page.locator('.tabs-container .tab', { hasText: 'Samba: Ask' }).waitFor({ timeout: 30_000 });
    await webview().locator('#question').waitFor({ timeout: 30_000 });
    await shot('open');
  });

  await step('asking streams an answer with citations', async () => {
    await webview().locator('#question').fill('How is the distance between two points computed?');
    await webview().locator('#send').click();
    await webview().locator('.turn .question', { hasText: 'distance between two points' }).waitFor({ timeout: 30_000 });
    await webview().locator('.turn .citation').first().waitFor({ timeout: 120_000 });
    // Done when Stop is disabled again; the answer (random text from the tiny model) or a note is shown.
    await webview().locator('#stop:disabled').waitFor({ timeout: 180_000 });
    const answer = (await webview().locator('.turn .answer').last().innerText()).trim();
    const citations = await webview().locator('.turn .citation').allInnerTexts();
    log(`answer: ${JSON.stringify(answer.slice(0, 120))}; citations: ${citations.join(', ')}`);
    if (!answer) throw new Error('empty answer');
    if (!citations.some((c) => c.startsWith('src/geometry.ts:'))) throw new Error(`no citation of src/geometry.ts: ${citations}`);
    await shot('answer');
  });

  await step('clicking a citation opens the file at its line', async () => {
    await webview().locator('.turn .citation', { hasText: 'src/geometry.ts:' }).first().click();
    await page.waitForSelector('.tabs-container .tab.active:has-text("geometry.ts")', { timeout: 20_000 });
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'export function distance' }).waitFor({ timeout: 20_000 });
    await shot('citation');
  });
} catch (e) {
  if (!results.some((r) => !r.ok)) {
    console.error('gui-qa: harness error:', e?.stack ?? e);
    results.push({ title: 'harness', ok: false });
  }
} finally {
  await server?.stop({ keepLog: results.some((r) => !r.ok) });
}
const failed = results.filter((r) => !r.ok).length;
summary(results.length - failed, failed);
process.exit(failed ? 1 : 0);
