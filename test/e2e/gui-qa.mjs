// Playwright GUI test of the Q&A panel: open it from the command palette, ask, see the streamed
// answer and its citations, click one and land in the file at the line.
// Screenshots: .vscode-test/screens/gui-qa-*.png. Ends with "N passed, N failed".
// Usage: node test/e2e/gui-qa.mjs        (npm run build first; env as for run.mjs)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, log } from './server.mjs';
import { openWorkbench, palette, runGui } from './gui-session.mjs';

await runGui('gui-qa', 'GUI, Q&A panel', async ({ step, shot, start }) => {
  const { server, page } = await start({ installExtension: true }, { width: 1400, height: 900 });
  // The webview: an iframe (class "webview") holding the page in its #active-frame.
  const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  await step('the workbench opens the workspace', () => openWorkbench(page, server));

  await step('"Samba: Ask About the Workspace" opens the panel', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row').first().click();
    // "Ask a Question About the Workspace…" matches too: skip it.
    await palette(page, 'Samba: Ask About the Workspace', 'Question');
    await page.locator('.tabs-container .tab', { hasText: 'Samba: Ask' }).waitFor({ timeout: 30_000 });
    await webview().locator('#question').waitFor({ timeout: 30_000 });
    // The panel's script has attached its listeners (a question sent before that goes nowhere).
    await webview().locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
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
    // The answer ends with the code its lead names, rendered as a code block: a line of the workspace's.
    const code = (await webview().locator('.turn .answer pre code').last().innerText()).trim();
    const sources = ['geometry.ts', 'index.ts', 'strings.ts'].map((f) => readFileSync(join(ROOT, 'test/e2e/workspace/src', f), 'utf8'));
    if (!code || !sources.some((s) => s.includes(code.split('\n')[0]))) throw new Error(`the answer's code block: ${JSON.stringify(code.slice(0, 120))}`);
    await shot('answer');
  });

  await step('clicking a citation opens the file at its line', async () => {
    await webview().locator('.turn .citation', { hasText: 'src/geometry.ts:' }).first().click();
    await page.waitForSelector('.tabs-container .tab.active:has-text("geometry.ts")', { timeout: 20_000 });
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'export function distance' }).waitFor({ timeout: 20_000 });
    await shot('citation');
  });
});
