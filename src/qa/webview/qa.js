// The Q&A panel's webview: sends questions, shows the streamed answer as sanitised markdown and
// the sources as buttons that ask the extension to open the file at the line; in the answer, a code
// span that is exactly a cited path (the answer's lead names the best source so) is such a button
// too. Everything from the extension is data; only renderMarkdown turns text into HTML.
import { renderMarkdown } from './markdown.js';

// eslint-disable-next-line no-undef
const vscode = acquireVsCodeApi();
const $ = (id) => document.getElementById(id);
const conversation = $('conversation');
const form = $('ask');
const input = $('question');
const stopButton = $('stop');
const newButton = $('new');
const status = $('status');

let current; // { answer: element, sources: element, text: string, cited: Source[] }
let pending = false;

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function addTurn(question, answer = '', sources = [], stopped) {
  const turn = el('section', 'turn');
  turn.append(el('div', 'question', question));
  const answerEl = el('div', 'answer markdown');
  const sourcesEl = el('div', 'sources');
  turn.append(answerEl, sourcesEl);
  conversation.append(turn);
  const t = { answer: answerEl, sources: sourcesEl, text: answer, cited: [] };
  showSources(t, sources);
  render(t);
  if (stopped) markDone(t, stopped);
  return t;
}

/** The answer as markdown; if rendering fails (hostile nesting), the raw text, so the turn still ends. */
function render(t) {
  try {
    t.answer.innerHTML = renderMarkdown(protectPaths(t.text, t.cited));
    linkCitations(t);
  } catch {
    t.answer.replaceChildren(el('pre', 'raw', t.text));
  }
}

/**
 * The cited paths in the answer's text with markdown's emphasis marks escaped, so that
 * `argcomplete/__init__.py` is not "argcomplete/<b>init</b>.py" (a user trial) and stays one path to
 * link. Code, fenced or in backticks, is left as it is.
 */
function protectPaths(text, cited) {
  const paths = [...new Set(cited.map((c) => c.path))].filter((p) => /[_*~]/.test(p));
  if (!paths.length) return text;
  const re = new RegExp(paths.sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      const fence = /^\s*(```|~~~)/.test(line);
      if (fence) fenced = !fenced;
      if (fence || fenced) return line;
      // Odd parts are code spans.
      return line.split(/(`+[^`]*`+)/).map((part, i) => (i % 2 ? part : part.replace(re, (p) => p.replace(/[_*~]/g, '\\$&')))).join('');
    })
    .join('\n');
}

/** A button that asks the extension to open `path` at `line`. */
function citation(path, line, label) {
  const b = el('button', 'citation', label);
  b.type = 'button';
  b.title = `Open ${path} at line ${line}`;
  b.addEventListener('click', () => vscode.postMessage({ type: 'open', path, line }));
  return b;
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * In the rendered answer, a cited path becomes a citation: inline code that is exactly the path,
 * and the path in text ("in src/retry.ts, line 42", the answer's lead says so), with the line that
 * follows it when a cited passage of that file holds it (else the passage's first line). Code
 * blocks stay as they are; paths that were not cited stay text.
 */
function linkCitations(t) {
  if (!t.cited.length) return;
  const first = (path) => t.cited.find((c) => c.path === path);
  for (const code of t.answer.querySelectorAll('code')) {
    const s = !code.closest('pre') && first(code.textContent);
    if (s) code.replaceWith(citation(s.path, s.startLine, s.path));
  }
  const paths = [...new Set(t.cited.map((c) => c.path))].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const re = new RegExp(`(?<=^|[\\s(])(${paths.join('|')})(?:, lines? (\\d+)(?:-\\d+)?)?(?=$|[\\s,.:;)])`, 'g');
  const walker = document.createTreeWalker(t.answer, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) if (!walker.currentNode.parentElement.closest('pre, code, button')) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.textContent;
    const parts = [];
    let at = 0;
    for (const m of text.matchAll(re)) {
      const line = Number(m[2]);
      const inside = t.cited.some((c) => c.path === m[1] && c.startLine <= line && line <= c.endLine);
      parts.push(text.slice(at, m.index), citation(m[1], inside ? line : first(m[1]).startLine, m[0]));
      at = m.index + m[0].length;
    }
    if (parts.length) node.replaceWith(...parts, text.slice(at));
  }
}

function showSources(t, sources) {
  t.cited = sources.filter((s) => s && typeof s.path === 'string' && Number.isSafeInteger(s.startLine));
  t.sources.replaceChildren();
  if (!sources.length) return;
  t.sources.append(el('span', 'label', 'Sources:'));
  for (const s of sources) t.sources.append(citation(s.path, s.startLine, `${s.path}:${s.startLine}-${s.endLine}`));
}

function markDone(t, stopped) {
  if (stopped === 'aborted') t.answer.append(el('p', 'note', '(stopped)'));
  if (stopped === 'error') t.answer.append(el('p', 'note', '(failed)'));
  if (stopped === 'end' && !t.text.trim()) t.answer.append(el('p', 'note', '(no answer)'));
}

function setBusy(busy) {
  stopButton.disabled = !busy;
  form.querySelector('button[type=submit]').disabled = busy;
  document.body.classList.toggle('busy', busy);
}

function scheduleRender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    if (current) render(current);
    conversation.scrollTop = conversation.scrollHeight;
  });
}

window.addEventListener('message', (event) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'history':
      conversation.replaceChildren();
      current = undefined;
      for (const t of Array.isArray(m.turns) ? m.turns : []) addTurn(String(t.question), String(t.answer), Array.isArray(t.sources) ? t.sources : [], t.stopped);
      setBusy(!!m.busy);
      break;
    case 'start':
      current = addTurn(String(m.question));
      setBusy(true);
      break;
    case 'sources':
      if (current && Array.isArray(m.sources)) {
        showSources(current, m.sources);
        render(current);
      }
      break;
    case 'delta':
      if (current) {
        current.text += String(m.text);
        scheduleRender();
      }
      break;
    case 'done':
      if (current) {
        render(current);
        markDone(current, m.stopped);
      }
      current = undefined;
      setBusy(false);
      break;
    case 'status':
      status.textContent = String(m.text);
      break;
  }
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const question = input.value.trim();
  if (!question) return;
  input.value = '';
  vscode.postMessage({ type: 'ask', question });
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    form.requestSubmit();
  }
});
stopButton.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
newButton.addEventListener('click', () => vscode.postMessage({ type: 'new' }));
vscode.postMessage({ type: 'ready' });
// Listeners are attached: what a driver of the panel (the GUI tests, the user trials) waits for.
document.body.dataset.ready = 'true';
