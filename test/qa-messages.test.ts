import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { contentSecurityPolicy, makeNonce, qaHtml } from '../src/qa/html';
import { citationPath, parseWebviewMessage } from '../src/qa/messages';

const ROOT = path.resolve(__dirname, '../..');

describe('qa webview messages', () => {
  it('accepts exactly the known messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'ask', question: 'why?' }), { type: 'ask', question: 'why?' });
    assert.deepEqual(parseWebviewMessage({ type: 'stop' }), { type: 'stop' });
    assert.deepEqual(parseWebviewMessage({ type: 'new' }), { type: 'new' });
    assert.deepEqual(parseWebviewMessage({ type: 'open', path: './src//a.ts', line: 3 }), { type: 'open', path: 'src/a.ts', line: 3 });
  });

  it('drops malformed and unknown messages', () => {
    const bad: unknown[] = [
      undefined, null, 42, 'ask', [], [{ type: 'ask' }],
      {}, { type: 'nope' }, { type: 'toString' }, { type: '__proto__' }, { type: 1 },
      { type: 'ask' }, { type: 'ask', question: '' }, { type: 'ask', question: '   ' }, { type: 'ask', question: 7 },
      { type: 'ask', question: 'x'.repeat(4001) }, { type: 'ask', question: 'ok', extra: 1 },
      { type: 'stop', now: true }, { type: 'open', path: 'a.ts' }, { type: 'open', path: 'a.ts', line: 0 },
      { type: 'open', path: 'a.ts', line: 1.5 }, { type: 'open', path: 'a.ts', line: '3' }, { type: 'open', path: 5, line: 1 },
      Object.create({ type: 'stop' }), new (class { type = 'stop'; })(), JSON.parse('{"type":"stop","__proto__":{"x":1}}'),
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m) ?? String(m));
  });

  it('citation paths stay inside the workspace', () => {
    const refused = ['', '/etc/passwd', '../secret', 'src/../../x', 'a/..', '..', 'src\\..\\x', 'C:/Windows/win.ini', 'c:\\x',
      'file:///etc/passwd', 'vscode://x', 'command:workbench.action.terminal.new', 'http://evil/x', 'a\0b', 'x'.repeat(1025)];
    for (const p of refused) {
      assert.equal(citationPath(p), undefined, p);
      assert.equal(parseWebviewMessage({ type: 'open', path: p, line: 1 }), undefined, p);
    }
    assert.equal(citationPath('src/qa/panel.ts'), 'src/qa/panel.ts');
    assert.equal(citationPath('./a/./b.ts'), 'a/b.ts');
    assert.equal(citationPath('..hidden/x'), '..hidden/x', 'a name that starts with dots is not a parent reference');
  });
});

describe('qa webview CSP', () => {
  const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
  it('is strict: nothing by default, scripts only by nonce, styles only from the webview', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
    assert.notEqual(nonce, makeNonce());
    const csp = contentSecurityPolicy(cspSource, nonce);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(directives.get('style-src'), [cspSource]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    for (const k of ['connect-src', 'img-src', 'frame-src', 'child-src', 'object-src', 'media-src', 'worker-src']) assert.ok(!directives.has(k), `${k} falls back to 'none'`);
    assert.ok(!/unsafe-|\*|data:|blob:|http:/.test(csp), csp);
  });

  it('the page carries the CSP, loads one nonced script and no remote content', () => {
    const template = readFileSync(path.join(ROOT, 'media/qa.html'), 'utf8');
    const html = qaHtml(template, { cspSource, nonce: 'abc123', scriptUri: `${cspSource}/media/qa.js`, styleUri: `${cspSource}/media/qa.css` });
    assert.ok(!html.includes('{{'));
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(meta, 'CSP meta tag');
    assert.equal(meta[1], contentSecurityPolicy(cspSource, 'abc123'));
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'the policy comes before anything it governs');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="abc123" src="${cspSource}/media/qa.js">`]);
    assert.ok(!/\son\w+=/i.test(html), 'no inline handlers');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    for (const u of urls) assert.ok(u.startsWith(cspSource), u);
  });
});
