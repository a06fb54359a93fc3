// What every Playwright GUI script shares: named steps (the first failure stops the run and takes a
// screenshot), the server and page, the command palette, and the closing summary line.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENS, startServer, summary } from './server.mjs';

/** Runs `body` as the GUI script `name` (screenshots .vscode-test/screens/<name>-*.png) and exits with its result. */
export async function runGui(name, title, body) {
  const results = [];
  let server;
  let page;
  mkdirSync(SCREENS, { recursive: true });
  // Whoever opens these pictures should know why the text in them is noise.
  writeFileSync(
    join(SCREENS, 'README.txt'),
    'Screenshots of the GUI tests. Unless SAMBA_E2E_MODEL named another model, they show the tiny RANDOM test model\n' +
      '(test/fixtures/samba-tiny): its completions, answers and summaries are noise by design; the tests check the\n' +
      "wiring, not the text. The README's pictures come from scripts/screenshots.mjs with the embedded model.\n",
  );
  for (const f of readdirSync(SCREENS)) if (f.startsWith(`${name}-`)) rmSync(join(SCREENS, f)); // no stale screenshots
  const shot = (label) => page.screenshot({ path: join(SCREENS, `${name}-${label}.png`) });
  const step = async (stepTitle, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ title: stepTitle, ok: true });
      console.log(`  ✔ ${stepTitle} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ title: stepTitle, ok: false });
      console.log(`  ✘ ${stepTitle}\n${String(e?.stack ?? e).replace(/^/gm, '      ')}`);
      if (page) await shot('failed').then(() => console.log(`      screenshot: .vscode-test/screens/${name}-failed.png`), () => {});
      throw e;
    }
  };
  const start = async (options, viewport = { width: 1280, height: 800 }) => {
    server = await startServer({ name, ...options });
    page = await server.browser.newPage({ viewport });
    return { server, page };
  };
  console.log(`\n  ${title} (Playwright, headless Chromium):`);
  try {
    await body({ step, shot, start });
  } catch (e) {
    if (!results.some((r) => !r.ok)) {
      console.error(`${name}: harness error:`, e?.stack ?? e);
      results.push({ title: 'harness', ok: false });
    }
  } finally {
    await server?.stop({ keepLog: results.some((r) => !r.ok) });
  }
  const failed = results.filter((r) => !r.ok).length;
  summary(results.length - failed, failed);
  process.exit(failed ? 1 : 0);
}

/** Runs a command from the palette (F1) by its title; `unless` skips entries whose title also contains it. */
export async function palette(page, title, unless) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: title, ...(unless ? { hasNotText: unless } : {}) }).first();
  await entry.waitFor({ timeout: 20_000 });
  await entry.click();
}

/** The workbench with the workspace loaded and our extension up (its status bar item shows). */
export async function openWorkbench(page, server) {
  await page.goto(server.url());
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: 'Samba' }).first().waitFor({ timeout: 60_000 });
}

/** The editor's text area of the active editor. */
export const activeLines = (page) => page.locator('.editor-instance .monaco-editor .view-lines').first();

/** Opens a file from the explorer (folder rows clicked open on the way). */
export async function openFromExplorer(page, ...labels) {
  // The whole label: "stream.ts" is not the row of "async-stream.ts" above it.
  const whole = (label) => new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  for (const label of labels) await page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: whole(label) }) }).first().click();
  await page.waitForSelector(`.tabs-container .tab.active:has-text("${labels[labels.length - 1]}")`, { timeout: 20_000 });
}

/** Opens a file by Quick Open (Ctrl+P): a file the explorer's rows do not show, or one only its name finds. */
export async function quickOpen(page, file) {
  const name = file.split('/').pop();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tabs-container .tab.active:has-text("${name}")`, { timeout: 20_000 });
}

/** The extension's Output channel as code-server wrote it so far (its log files under the server's user data). */
export function sambaLog(server) {
  const logs = join(server.tmp, 'user-data', 'logs');
  let files = [];
  try {
    files = readdirSync(logs, { recursive: true }).filter((f) => /-Samba\.log$/.test(String(f)));
  } catch {
    return '';
  }
  return files.map((f) => readFileSync(join(logs, String(f)), 'utf8')).join('\n');
}
