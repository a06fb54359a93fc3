// Model output through the webview's own renderer (src/qa/webview/markdown.js, bundled here the way
// scripts/build.mjs bundles it) in headless Chromium, and the whole panel page under its CSP.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { qaHtml } from '../src/qa/html';

// Browser globals inside page.evaluate callbacks (the project's lib has no DOM types).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

const ROOT = path.resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const ORIGIN = 'https://webview.test';
/** Where the panel page's VS Code stand-in records what the page posts. */
const POSTED = '__posted';

/** Hostile model output: each sets window.__pwned if anything of it runs. */
const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img onerror\'">',
  '[click me](javascript:window.__pwned="md link")',
  '<a href="javascript:window.__pwned=\'a href\'">a</a>',
  '<a href="JaVaScRiPt:window.__pwned=\'mixed case\'">b</a>',
  '<a href="&#106;avascript:window.__pwned=\'entity\'">c</a>',
  '[d](data:text/html,<script>parent.__pwned="data url"</script>)',
  '<svg onload="window.__pwned=\'svg\'"><circle r=1 /></svg>',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  '<div onclick="window.__pwned=\'onclick\'" onmouseover="window.__pwned=\'hover\'">hover me</div>',
  '<details open ontoggle="window.__pwned=\'ontoggle\'"><summary>s</summary></details>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'">',
  '<form action="javascript:window.__pwned=\'form\'"><button>go</button></form>',
  '<style>body { background: url(https://evil.example/css) }</style>',
  '![tracker](https://evil.example/pixel.png)',
  '<object data="javascript:window.__pwned=\'object\'"></object>',
  '<a href="https://example.com/docs" onclick="window.__pwned=\'link handler\'">docs</a>',
  'Inline `<script>alert(1)</script>` in code stays text.',
  '```html\n<script>window.__pwned="fence"</script>\n```',
];

/** What is dangerous in `selector` as rendered, then whether anything ran once everything is hovered and clicked. */
async function inspect(page: Page, selector: string): Promise<{ pwned: unknown; bad: string[] }> {
  // Checked before any click: a click on a surviving https link navigates the page away.
  const bad: string[] = await page.evaluate((sel) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll(`${sel} *`) as Iterable<{ tagName: string; getAttributeNames(): string[]; getAttribute(a: string): string | null }>) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'iframe', 'object', 'embed', 'img', 'svg', 'math', 'style', 'form', 'link', 'meta', 'base'].includes(tag)) found.push(`<${tag}>`);
      for (const a of el.getAttributeNames()) {
        const v = el.getAttribute(a) ?? '';
        if (a.startsWith('on') || a === 'style' || a === 'src' || a === 'srcdoc' || a === 'action' || a === 'formaction') found.push(`${tag}[${a}]`);
        if (a === 'href' && !/^https:\/\//i.test(v)) found.push(`${tag}[href=${v}]`);
      }
    }
    return found;
  }, selector);
  const url = page.url();
  const pwnedBefore = await page.evaluate(() => window.__pwned);
  for (const el of await page.locator(`${selector} *:not(a[href^="https:"])`).all()) {
    await el.hover({ timeout: 500, force: true }).catch(() => {});
    await el.click({ timeout: 500, force: true, noWaitAfter: true }).catch(() => {});
  }
  await page.waitForTimeout(200);
  assert.equal(page.url(), url, 'nothing navigated the page');
  return { pwned: pwnedBefore ?? (await page.evaluate(() => window.__pwned)), bad };
}

describe('qa security: model output in a real browser', function () {
  let browser: Browser | undefined;
  let page: Page;
  const external: string[] = [];
  const navigations: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      ${CHROMIUM} is missing (test/e2e/setup.sh installs it); skipped`);
      this.skip();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  });
  after(async () => browser?.close());

  /** A page on a fake https origin; every request elsewhere is refused and recorded. */
  async function open(files: Record<string, { body: string; type: string }>, init?: string): Promise<Page> {
    page = await browser!.newPage();
    if (init) await page.addInitScript(init);
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      const f = url.origin === ORIGIN ? files[url.pathname] : undefined;
      if (f) return route.fulfill({ body: f.body, contentType: f.type });
      // A click on an https link navigates (VS Code opens it outside after asking); anything else is a load.
      if (url.origin !== ORIGIN) (route.request().isNavigationRequest() ? navigations : external).push(url.href);
      return route.abort();
    });
    return page;
  }

  /**
   * The Q&A panel's page as VS Code serves it (media/qa.html through qaHtml, the built qa.js and
   * qa.css), with VS Code's webview API stand-in recording what the page posts in window.__posted.
   */
  async function openPanel(edit: (html: string) => string = (h) => h): Promise<Page> {
    const jsFile = path.join(ROOT, 'media/qa.js');
    assert.ok(existsSync(jsFile), 'media/qa.js is built by npm run build');
    const html = edit(qaHtml(readFileSync(path.join(ROOT, 'media/qa.html'), 'utf8'), { cspSource: ORIGIN, nonce: 'n0nce', scriptUri: `${ORIGIN}/media/qa.js`, styleUri: `${ORIGIN}/media/qa.css` }));
    return open(
      {
        '/index.html': { body: html, type: 'text/html' },
        '/media/qa.js': { body: readFileSync(jsFile, 'utf8'), type: 'text/javascript' },
        '/media/qa.css': { body: readFileSync(path.join(ROOT, 'media/qa.css'), 'utf8'), type: 'text/css' },
      },
      `window.${POSTED} = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.${POSTED}.push(m), getState() {}, setState() {} });`,
    );
  }

  it('renderMarkdown neutralises scripts, event handlers, javascript: and data: links, and remote content', async () => {
    const bundle = await build({ entryPoints: [path.join(ROOT, 'src/qa/webview/markdown.js')], bundle: true, write: false, format: 'iife', globalName: 'SambaMarkdown', platform: 'browser', logLevel: 'silent' });
    const p = await open({
      '/': { body: '<!DOCTYPE html><html><body><div id="out"></div></body></html>', type: 'text/html' },
      '/render.js': { body: bundle.outputFiles[0].text, type: 'text/javascript' },
    });
    await p.goto(`${ORIGIN}/`);
    await p.addScriptTag({ url: `${ORIGIN}/render.js` });
    const rendered = await p.evaluate((payloads) => {
      const md = window.SambaMarkdown;
      const html = payloads.map((s) => md.renderMarkdown(s));
      document.getElementById('out')!.innerHTML = html.join('\n');
      return html as string[];
    }, PAYLOADS);
    const text = await p.locator('#out').innerText();
    const bold = await p.evaluate(() => String(window.SambaMarkdown.renderMarkdown('**bold** and `code`')));
    const { pwned, bad } = await inspect(p, '#out');
    assert.equal(pwned, undefined, `a payload ran: ${pwned}`);
    assert.deepEqual(bad, []);
    assert.deepEqual(external, [], 'no remote request');
    assert.ok(text.includes('<script>alert(1)</script>'), 'code shows the markup as text');
    assert.ok(rendered.some((h) => h.includes('href="https://example.com/docs"') && h.includes('rel="noopener noreferrer"')), 'https links survive without handlers');
    assert.ok(bold.includes('<strong>bold</strong>') && bold.includes('<code>code</code>'), 'ordinary markdown still renders');
    await p.close();
  });

  it('the panel page: CSP blocks inline scripts; hostile answers, questions and sources render inert', async () => {
    // An injected inline script without the nonce: the CSP must stop it.
    const p = await openPanel((html) => html.replace('</body>', '<script>window.__pwned = "inline script ran"</script><div onclick="window.__pwned=\'inline handler\'" id="inline">x</div></body>'));
    const violations: string[] = [];
    p.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && violations.push(m.text()));
    await p.goto(`${ORIGIN}/index.html`);
    await p.waitForFunction((k) => window[k].some((m: { type: string }) => m.type === 'ready'), POSTED);
    await p.locator('#inline').click();
    const send = (m: unknown) => p.evaluate((msg) => window.postMessage(msg, '*'), m);
    await send({ type: 'start', question: '<img src=x onerror="window.__pwned=\'question\'">' });
    await send({ type: 'sources', sources: [{ path: '<img src=x onerror="window.__pwned=\'source\'">', startLine: 1, endLine: 2 }, { path: 'src/shipping.ts', startLine: 3, endLine: 9 }] });
    for (const payload of PAYLOADS) await send({ type: 'delta', text: `${payload}\n\n` });
    await send({ type: 'done', stopped: 'end' });
    await p.locator('.answer').first().waitFor();
    const { pwned, bad } = await inspect(p, '#conversation');
    assert.equal(pwned, undefined, `something ran: ${pwned}`);
    assert.deepEqual(bad, []);
    assert.ok(violations.length > 0, 'the browser reported the blocked inline script');
    assert.equal(await p.locator('.question').first().innerText(), '<img src=x onerror="window.__pwned=\'question\'">', 'the question is text');
    const msgs: unknown[] = await p.evaluate((k) => window[k], POSTED);
    assert.ok(msgs.some((m) => JSON.stringify(m) === JSON.stringify({ type: 'open', path: 'src/shipping.ts', line: 3 })), `a citation asks to open its file: ${JSON.stringify(msgs)}`);
    assert.deepEqual(external, [], 'no remote request');
    await p.close();
  });

  it("the answer's lead (a cited path and its line) is a citation that opens the file there; other code and text stay", async () => {
    const p = await openPanel();
    await p.goto(`${ORIGIN}/index.html`);
    const send = (m: unknown) => p.evaluate((msg) => window.postMessage(msg, '*'), m);
    const sources = [{ path: 'src/shipping.ts', startLine: 3, endLine: 9 }, { path: 'src/tax.ts', startLine: 1, endLine: 5 }];
    const answer = '`shippingCostCents` in src/shipping.ts, line 7: free over 50 (`src/tax.ts` adds tax; src/other.ts and src/tax.tsx do not; src/tax.ts, line 90 is past its passage).\n\n```\nsrc/tax.ts\n```\n';
    await send({ type: 'start', question: 'Where is free shipping decided?' });
    await send({ type: 'sources', sources });
    await send({ type: 'delta', text: answer.slice(0, 20) });
    await send({ type: 'delta', text: answer.slice(20) });
    await send({ type: 'done', stopped: 'end' });
    await p.waitForFunction(() => !document.body.classList.contains('busy'));
    const inAnswer = p.locator('.answer button.citation');
    assert.deepEqual(await inAnswer.allInnerTexts(), ['src/shipping.ts, line 7', 'src/tax.ts', 'src/tax.ts, line 90'], 'the cited paths became citations');
    assert.equal(await p.locator('.answer p').first().innerText(), answer.split('\n')[0].replace(/`/g, ''), 'the text reads the same');
    assert.deepEqual((await p.locator('.answer code').allInnerTexts()).map((t) => t.trim()), ['shippingCostCents', 'src/tax.ts'], 'a name and a code block stay code');
    const opened = async (i: number) => {
      await inAnswer.nth(i).click();
      return (await p.evaluate((k) => window[k], POSTED) as unknown[]).at(-1);
    };
    assert.deepEqual(await opened(0), { type: 'open', path: 'src/shipping.ts', line: 7 }, 'at the line the lead names');
    assert.deepEqual(await opened(1), { type: 'open', path: 'src/tax.ts', line: 1 });
    assert.deepEqual(await opened(2), { type: 'open', path: 'src/tax.ts', line: 1 }, 'a line outside what was cited opens the passage');
    // A stored turn renders the same way.
    await send({ type: 'history', turns: [{ question: 'q', answer, sources, stopped: 'end' }], busy: false });
    await p.waitForFunction(() => document.querySelectorAll('.turn').length === 1 && document.querySelector('.answer button.citation'));
    assert.equal(await p.locator('.answer button.citation').count(), 3);
    await p.close();
  });

  it("a cited path with markdown's marks in it (Python's __init__.py) stays one path and one citation; code keeps them", async () => {
    const p = await openPanel();
    await p.goto(`${ORIGIN}/index.html`);
    const send = (m: unknown) => p.evaluate((msg) => window.postMessage(msg, '*'), m);
    const sources = [{ path: 'argcomplete/__init__.py', startLine: 520, endLine: 533 }];
    // A user trial rendered this lead as "argcomplete/<strong>init</strong>.py, line 520", no citation.
    const answer = '`filter_completions` in argcomplete/__init__.py, line 520: de-duplicates them.\n\n```python\nimport argcomplete/__init__.py\n```\n';
    await send({ type: 'start', question: 'How are duplicates removed?' });
    await send({ type: 'sources', sources });
    await send({ type: 'delta', text: answer });
    await send({ type: 'done', stopped: 'end' });
    await p.waitForFunction(() => !document.body.classList.contains('busy'));
    assert.deepEqual(await p.locator('.answer button.citation').allInnerTexts(), ['argcomplete/__init__.py, line 520']);
    assert.equal(await p.locator('.answer strong').count(), 0, 'no bold "init"');
    assert.equal((await p.locator('.answer pre code').innerText()).trim(), 'import argcomplete/__init__.py', 'code as written, no backslashes');
    await p.close();
  });

  it('only markdown\'s own tags and attributes survive: no dialog, popover, id, class or background', async () => {
    const bundle = await build({ entryPoints: [path.join(ROOT, 'src/qa/webview/markdown.js')], bundle: true, write: false, format: 'iife', globalName: 'SambaMarkdown', platform: 'browser', logLevel: 'silent' });
    const p = await open({
      '/': { body: '<!DOCTYPE html><html><body><div id="out"></div></body></html>', type: 'text/html' },
      '/render.js': { body: bundle.outputFiles[0].text, type: 'text/javascript' },
    });
    await p.goto(`${ORIGIN}/`);
    await p.addScriptTag({ url: `${ORIGIN}/render.js` });
    const hostile = [
      '<dialog open>Your session expired. <a href="https://evil.example/login">Sign in again</a></dialog>',
      '<div popover id="fake">tip</div>',
      '<p class="question" id="conversation">styled as a question</p>',
      '<span class="citation">src/fake.ts:1-2</span>',
      '<table background="https://evil.example/bg.png"><tr><td>cell</td></tr></table>',
      '<details open><summary>s</summary>d</details>',
      '<p data-x="1" aria-label="x" lang="en" dir="rtl">attrs</p>',
      '| a | b |\n|:--|--:|\n| 1 | 2 |',
      '1. one\n2. two',
    ];
    const html: string[] = await p.evaluate((list) => list.map((s: string) => String(window.SambaMarkdown.renderMarkdown(s))), hostile);
    const all = html.join('\n');
    for (const bad of ['<dialog', 'popover', 'id=', 'class=', 'background', '<details', 'data-x', 'aria-label', 'dir=']) assert.ok(!all.includes(bad), `${bad} survived: ${all}`);
    assert.match(all, /<table>\s*<thead>\s*<tr>\s*<th[^>]*>a<\/th>/, 'markdown tables still render');
    assert.match(all, /<ol>\s*<li>one<\/li>/);
    assert.match(all, /Your session expired/, 'the text itself stays');
    await p.close();
  });

  it('an answer the renderer cannot parse (1,900 nested quotes) shows as raw text, ends the turn, and history goes on', async () => {
    const p = await openPanel();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${ORIGIN}/index.html`);
    const nested = '>'.repeat(1900) + ' deep';
    const send = (m: unknown) => p.evaluate((msg) => window.postMessage(msg, '*'), m);
    await send({ type: 'start', question: 'q1' });
    await send({ type: 'delta', text: nested });
    await send({ type: 'done', stopped: 'end' });
    await p.waitForFunction(() => !document.body.classList.contains('busy'));
    assert.equal(await p.locator('#stop').isDisabled(), true, 'the panel is not busy any more');
    assert.equal(await p.locator('.answer pre.raw').first().innerText(), nested, 'the raw text is shown');
    await send({ type: 'history', turns: [{ question: 'q1', answer: nested, sources: [], stopped: 'end' }, { question: 'q2', answer: '**fine**', sources: [], stopped: 'end' }], busy: false });
    await p.waitForFunction(() => document.querySelectorAll('.turn').length === 2);
    assert.equal(await p.locator('.answer strong').innerText(), 'fine', 'turns after it render');
    assert.deepEqual(errors, []);
    await p.close();
  });
});
