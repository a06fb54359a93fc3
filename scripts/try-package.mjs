// Tries the extension as a user would on a real package (code-server + Playwright, the embedded
// model): opens a file, types a new line, waits for ghost text and accepts it with Tab, then asks the
// Q&A panel a question, then waits for the first read to end. Screenshots and what was suggested
// go to .vscode-test/try/.
// usage: npm run build && node scripts/try-package.mjs FOLDER FILE 'TYPED TEXT' 'QUESTION'
//   e.g. node scripts/try-package.mjs .device-data/eval-repos/npm_semver functions/gt.js \
//          '\nconst gtLoose = (a, b) => ' 'Where is a prerelease version incremented?'
// TRY_LINE=N types at the end of line N (1-based) instead of the file's end, so the file's next line
// follows the cursor; TRY_SETTINGS='{"samba.completions.candidates": 4}' adds settings; TRY_GHOST_MS
// (default 180000) is how long to wait for ghost text, TRY_QA_MS (300000) for an answer; TRY_SUMMARY=1 then runs Summarize File on
// FILE (TRY_SUMMARY=workspace: Summarize Workspace, once the first read ends); TRY_REST_MS=N rests the cursor N ms at the place before typing (a user reading the code
// there first); TRY_AFTER_READ=1 waits for the first read of the folder to end before going to the
// place. TRY_EDIT_FILE=PATH TRY_EDIT_TEXT='...' first types TEXT at the end of another file and saves
// it (a user adding a function there), so the suggestion can show whether the edit reached the model.
// SAMBA_E2E_KEEP=1 keeps code-server's folder (its logs hold the extension's output channel).
// TRY_VISIT=PATH, after the suggestion: opens PATH at its middle line for TRY_VISIT_MS (5000), comes
// back to FILE and presses Enter at once; report.visit says how long the ghost text took there.
// TRY_WRITE=LINES_FILE writes those lines after TRY_LINE's end instead of TYPED, as a user writes
// code: Enter, the line's indentation, then, up to TRY_LINE_GHOST_MS (3000), the ghost text; taken
// with Tab where it is exactly the lines that follow, else the line is typed (the editor's automatic
// indentation and closing brackets off, so the document is the file's). report.writing says, per
// line, what was shown and how long it took.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, log, startServer } from '../test/e2e/server.mjs';
import { activeLines, openFromExplorer, openWorkbench, palette, quickOpen } from '../test/e2e/gui-session.mjs';

const [folder, file, typedArg, question] = process.argv.slice(2);
if (!folder || !file || (!typedArg && !process.env.TRY_WRITE)) {
  console.error("usage: node scripts/try-package.mjs FOLDER FILE 'TYPED TEXT' ['QUESTION']");
  process.exit(2);
}
const typed = (typedArg ?? '').replace(/\\n/g, '\n');
const OUT = join(ROOT, '.vscode-test/try');
mkdirSync(OUT, { recursive: true });
const report = { folder, file, typed, question };
const extra = process.env.TRY_SETTINGS ? JSON.parse(process.env.TRY_SETTINGS) : {};
const atLine = Number(process.env.TRY_LINE ?? 0);
Object.assign(report, { settings: extra, line: atLine || 'end' });
const writeLines = process.env.TRY_WRITE ? readFileSync(process.env.TRY_WRITE, 'utf8').replace(/\n$/, '').split('\n') : undefined;
// While lines are written, the document holds only what was typed or taken: no indentation, bracket
// or quote the editor adds on its own (its closers below the cursor would differ from the file's).
const writing = writeLines ? { 'editor.autoIndent': 'none', 'editor.autoClosingBrackets': 'never', 'editor.autoClosingQuotes': 'never', 'editor.autoSurround': 'never', 'editor.formatOnType': false, 'editor.acceptSuggestionOnEnter': 'off' } : {};
const server = await startServer({ name: 'try', installExtension: true, settings: { 'samba.model.path': '', 'samba.engine.backend': 'auto', ...writing, ...extra }, workspaceFrom: resolve(folder) });
try {
  const page = await server.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const shot = (name) => page.screenshot({ path: join(OUT, `${name}.png`) }).then(() => log(`.vscode-test/try/${name}.png`));
  await openWorkbench(page, server);
  if (process.env.TRY_EDIT_FILE) {
    await quickOpen(page, process.env.TRY_EDIT_FILE);
    await page.waitForTimeout(1000);
    await activeLines(page).click();
    await page.keyboard.press('Control+End');
    // Typed line by line as a user types: the indentation is the editor's (auto-indent), not the text's.
    for (const line of (process.env.TRY_EDIT_TEXT ?? '').replace(/\\n/g, '\n').split('\n')) {
      await page.keyboard.press('Enter');
      await page.keyboard.type(line.trimStart(), { delay: 5 });
    }
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(1000);
    report.edit = { file: process.env.TRY_EDIT_FILE, text: process.env.TRY_EDIT_TEXT };
    await shot('edited');
  }
  // The explorer shows the rows that fit: a file further down a long folder opens by Quick Open.
  await (process.env.TRY_EDIT_FILE ? quickOpen(page, file) : openFromExplorer(page, ...file.split('/')).catch(() => quickOpen(page, file)));
  await page.waitForTimeout(2000);
  const status = page.locator('.statusbar-item', { hasText: 'Samba' }).first();
  // Read when the status bar shows the context's size ("Samba CPU 8.1K"), not a percentage: before
  // the model loads it says just "Samba", which is not the end of a read.
  const readDone = async () => {
    for (let i = 0; i < 150 && !/Samba(?: CPU)? [\d.]+[KM]?(?!\S*%)/.test(await status.innerText()); i++) await page.waitForTimeout(2000);
  };
  if (process.env.TRY_AFTER_READ === '1') {
    const t = Date.now();
    await readDone();
    report.firstReadMs = Date.now() - t;
  }
  await activeLines(page).click();
  if (atLine > 0) {
    // Go to Line (Ctrl+G), then the line's end.
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(atLine));
    await page.keyboard.press('Enter');
    // The quick input closes asynchronously: a key pressed before it has closed goes to it, not the editor.
    await page.waitForTimeout(1000);
    await page.keyboard.press('End');
  } else await page.keyboard.press('Control+End');
  const rest = Number(process.env.TRY_REST_MS ?? 0);
  if (rest > 0) await page.waitForTimeout(rest);
  Object.assign(report, { restMs: rest });
  const t0 = Date.now();
  if (writeLines) {
    report.writing = await writeAsUser(page, writeLines, Number(process.env.TRY_LINE_GHOST_MS ?? 3000));
    await shot('written');
  }
  if (!writeLines) await page.keyboard.type(typed, { delay: 30 });
  // No suggestion is a result too: it is recorded (with a screenshot) and the trial goes on.
  // Checked every frame: a locator's waitFor polls every 500 ms after its first 270 ms, which
  // would put up to half a second of the harness into the time to a suggestion.
  const shown = !writeLines && await page.waitForFunction(() => !!document.querySelector('.monaco-editor [class*="ghost-text"]'), null, { polling: 'raf', timeout: Number(process.env.TRY_GHOST_MS ?? 180_000) }).then(() => true, () => false);
  if (!writeLines) {
    report.ghostMs = shown ? Date.now() - t0 : null;
    report.ghost = shown ? await ghostLines(page) : null;
    await shot(shown ? 'ghost-text' : 'no-ghost-text');
  }
  if (shown) {
    await page.keyboard.press('Tab');
    await page.waitForTimeout(500);
    report.afterAccept = (await activeLines(page).innerText()).split('\n').slice(-6);
    await shot('accepted');
  }
  if (process.env.TRY_VISIT) {
    // A look at another file (its middle), then back: Enter at once on the line the cursor was on.
    await quickOpen(page, process.env.TRY_VISIT);
    await page.waitForTimeout(1000);
    await activeLines(page).click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(Math.max(1, Math.floor((await activeLines(page).innerText()).split('\n').length / 2))));
    await page.keyboard.press('Enter');
    await page.waitForTimeout(Number(process.env.TRY_VISIT_MS ?? 5000));
    // Back by its tab (the cursor where it was), as a user clicks it.
    await page.locator('.tabs-container .tab', { hasText: file.split('/').pop() }).first().click();
    await page.waitForTimeout(700);
    await page.keyboard.press('End');
    const t = Date.now();
    await page.keyboard.press('Enter');
    const back = await page.waitForFunction(() => !!document.querySelector('.monaco-editor [class*="ghost-text"]'), null, { polling: 'raf', timeout: Number(process.env.TRY_GHOST_MS ?? 180_000) }).then(() => true, () => false);
    report.visit = { file: process.env.TRY_VISIT, restMs: Number(process.env.TRY_VISIT_MS ?? 5000), backGhostMs: back ? Date.now() - t : null, ghost: back ? await ghostLines(page) : null };
    await shot(back ? 'back-ghost-text' : 'back-no-ghost-text');
  }
  if (question) {
    await palette(page, 'Samba: Ask About the Workspace', 'Question');
    const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview().locator('#question').waitFor({ timeout: 30_000 });
    // Its script, not only its HTML: a question typed before the listeners are attached goes nowhere.
    report.panelReady = await webview().locator('body[data-ready="true"]').waitFor({ timeout: 30_000 }).then(() => true, () => false);
    await webview().locator('#question').fill(question);
    // The reading-progress notification may cover the button: send the click to the button itself.
    await webview().locator('#send').dispatchEvent('click');
    // A question that never answers is a result too: its screenshot, then the trial goes on.
    const qaMs = Number(process.env.TRY_QA_MS ?? 300_000);
    const t = Date.now();
    const answered = await webview().locator('.turn .citation').first().waitFor({ timeout: qaMs })
      .then(() => webview().locator('#stop:disabled').waitFor({ timeout: qaMs })).then(() => true, () => false);
    report.answerMs = answered ? Date.now() - t : null;
    report.answer = answered ? (await webview().locator('.turn .answer').last().innerText()).trim() : null;
    report.citations = await webview().locator('.turn .citation').allInnerTexts();
    report.panelText = answered ? undefined : await webview().locator('body').innerText().catch((e) => String(e));
    await shot(answered ? 'qa' : 'qa-unanswered');
  }
  if (process.env.TRY_SUMMARY === '1' || process.env.TRY_SUMMARY === 'workspace') {
    // Summarize File on the file (or, with TRY_SUMMARY=workspace, once the first read ends, Summarize
    // Workspace), then wait for its progress notification to go.
    const workspace = process.env.TRY_SUMMARY === 'workspace';
    if (workspace) await readDone();
    await page.locator('.tabs-container .tab', { hasText: file.split('/').pop() }).first().click();
    const t = Date.now();
    await palette(page, workspace ? 'Samba: Summarize Workspace' : 'Samba: Summarize File');
    await page.waitForSelector('.tabs-container .tab.active:has-text("Untitled")', { timeout: 120_000 });
    // The summary opens beside the file without focus: read that group until it stops growing for 20 s.
    const summary = page.locator('.editor-group-container').nth(1).locator('.view-lines');
    let last = '';
    for (let still = 0, i = 0; still < 20 && i < 300; i++) {
      await page.waitForTimeout(1000);
      const now = await summary.innerText();
      // A title, a heading and one line is a summary too (an overview alone): it only has to stop growing.
      still = now === last && now.split('\n').length >= 3 ? still + 1 : 0;
      last = now;
    }
    report.summaryMs = Date.now() - t - 20_000;
    report.summary = last.split('\n');
    await shot('summary');
  }
  // How long until the first read ends (the status bar item stops showing a percentage).
  await readDone();
  report.status = await status.innerText();
  report.readDoneMs = Date.now() - t0;
  await shot('read');
} finally {
  writeFileSync(join(OUT, 'report.json'), JSON.stringify(report, null, 2));
  log(JSON.stringify(report, null, 2));
  await server.stop();
}

/**
 * Writes `lines` from the cursor as a user does: per line, Enter with its indentation, then the ghost
 * text within `ghostMs`, taken with Tab where it is exactly the lines that follow; otherwise the line
 * is typed (30 ms a key). Returns each line's record and the totals.
 */
async function writeAsUser(page, lines, ghostMs) {
  const records = [];
  let typedChars = 0;
  let takenChars = 0;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    const indent = line.match(/^\s*/)[0];
    // The line break and its indentation as one edit, as Enter makes them with the editor's
    // auto-indent (text, not keys: the Tab key would take a suggestion).
    await page.keyboard.insertText(`\n${indent}`);
    const t = Date.now();
    const shown = await page.waitForFunction(() => !!document.querySelector('.monaco-editor [class*="ghost-text"]'), null, { polling: 'raf', timeout: ghostMs }).then(() => true, () => false);
    const ms = shown ? Date.now() - t : null;
    const shownLines = shown ? await ghostLines(page) : [];
    let taken = 0;
    if (shown && shownLines.length && shownLines.every((l, k) => i + k < lines.length && l.trim() === lines[i + k].trim()) && shownLines[0].trim() !== '') {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(200);
      taken = shownLines.length;
      for (let k = 0; k < taken; k++) takenChars += lines[i + k].trim().length;
    } else {
      for (const [k, part] of line.slice(indent.length).split('\t').entries()) {
        if (k > 0) await page.keyboard.insertText('\t');
        await page.keyboard.type(part, { delay: 30 });
      }
      typedChars += line.trim().length;
    }
    records.push({ line: i, text: line.trim(), shownMs: ms, shown: shownLines, right: shownLines.length > 0 && shownLines[0].trim() === line.trim(), taken });
    i += Math.max(taken, 1);
  }
  const shownRecords = records.filter((r) => r.shownMs !== null);
  const ms = shownRecords.map((r) => r.shownMs).sort((a, b) => a - b);
  return {
    lines: lines.length,
    starts: records.length,
    shown: shownRecords.length,
    firstLineRight: records.filter((r) => r.right).length,
    linesTaken: records.reduce((n, r) => n + r.taken, 0),
    charsTaken: takenChars,
    charsTyped: typedChars,
    shownMsP50: ms.length ? ms[Math.floor((ms.length - 1) / 2)] : null,
    shownMsMax: ms.length ? ms[ms.length - 1] : null,
    records,
  };
}

/**
 * The ghost text's lines as the editor shows them: one span per token, inside the cursor's line for
 * the first and inside the rows of a zone below it for the rest.
 */
function ghostLines(page) {
  return page.evaluate(() => {
    const rows = new Map();
    for (const e of document.querySelectorAll('.editor-instance .monaco-editor [class*="ghost-text"]')) {
      if (e.parentElement?.closest('[class*="ghost-text"]')) continue;
      const row = e.closest('.view-line') ?? e;
      rows.set(row, (rows.get(row) ?? '') + (e.textContent ?? ''));
    }
    // The cursor's line is a row of the text itself; the zone's rows follow in the page's order.
    const all = [...rows.entries()];
    const own = all.filter(([row]) => row.parentElement?.classList.contains('view-lines'));
    const below = all.filter(([row]) => !row.parentElement?.classList.contains('view-lines'));
    return [...own, ...below].map(([, text]) => text.replace(/\u00a0/g, ' '));
  });
}
