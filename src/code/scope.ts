// Which names a line inside a function can read, from the text around it: the function's own
// (its parameters, what it declares), what lies outside every function, and the line's own
// declarations. Regular expressions over the prompt's window, not a parser; it speaks only where it
// has evidence, so a name it cannot place is taken as readable.

import { codeOnly } from './calls';
import { findDefinitions } from './definitions';
import type { Language } from './language';
import { BUILTINS, KEYWORDS } from './names';

const NAME = /[A-Za-z_$][\w$]*/g;
/**
 * Languages whose functions read no name implicitly: a class's fields go through `this`/`self`.
 * Java and C++ read an inherited field bare, and Rust's patterns declare in ways this does not read.
 */
const LANGUAGES: ReadonlySet<Language> = new Set(['go', 'python', 'javascript', 'typescript']);
/**
 * How much of the text around the cursor is read: lines, so the pipeline's two callers (the
 * reranker, with the prompt's window, and postprocess, with the request's) cut the same window and
 * share one scope; and characters, for a minified file's long lines.
 */
const ABOVE_LINES = 80;
const BELOW_LINES = 40;
const MAX_CHARS = 8000;

/**
 * A name `line` (the cursor's line as a suggestion would make it) reads that is a local of another
 * function in the window (one of its parameters or results, or declared in its body) and that the
 * cursor's function never names: `if c.onEvictedCB != nil && evicted {` in Go's `RemoveOldest`,
 * whose results are `key, value, ok` (`evicted` is `Add`'s result; a golang-lru trial). Such a line
 * does not compile, or reads what another function meant. `above` is the text before the cursor's
 * line, `lineHead` the line before the cursor, `below` the text after the cursor. Undefined where
 * the line is outside a function, or the function's start is outside the window.
 */
export function otherFunctionsLocal(line: string, lineHead: string, above: string, below: string, language: Language): string | undefined {
  if (!LANGUAGES.has(language)) return undefined;
  // The window: a request carries up to 150,000 characters around the cursor.
  const window = lastLines(above, ABOVE_LINES);
  const cut = window.length < above.length;
  above = window;
  below = firstLines(below, BELOW_LINES);
  // The line as code where it stands: inside a docstring or a comment it has none.
  const code = codeOnly(above + line, language, true).split('\n').at(-1) ?? '';
  // A capitalized name is a type, a class or a constant, rarely a local.
  let reads = readNames(code).filter((n) => n !== '_' && !/^[A-Z]/.test(n) && !KEYWORDS[language].has(n) && !BUILTINS[language].has(n));
  // Go: `path.Clean` reads a package, named by the imports; where the window holds none, such a read is not judged.
  if (language === 'go') {
    const imports = goImports(above);
    reads = reads.filter((n) => !(imports ? imports.has(n) : new RegExp(`(?<![\\w$.])${n.replace(/\$/g, '\\$')}\\s*\\.`).test(code)));
  }
  // Only the line's indentation shapes the scope: typing along the line keeps it.
  const scope = reads.length ? scopeAt(above, /^[ \t]*/.exec(lineHead)![0], below, language, cut) : undefined;
  if (!scope) return undefined;
  const own = new Set(declaredIn(code, language));
  return reads.find((n) => scope.elsewhere.has(n) && !scope.readable.has(n) && !own.has(n));
}

/** The last `n` lines of `text` (which ends with a line break), cut to MAX_CHARS at a line start where there is one. */
function lastLines(text: string, n: number): string {
  let at = text.length;
  for (let k = 0; k <= n && at >= 0; k++) at = text.lastIndexOf('\n', at - 1);
  const out = text.slice(at + 1);
  if (out.length <= MAX_CHARS) return out;
  const cut = out.indexOf('\n', out.length - MAX_CHARS);
  return cut < 0 ? out.slice(-MAX_CHARS) : out.slice(cut + 1);
}

/** The first `n` lines of `text` after its first line break (the rest of the cursor's line), at most MAX_CHARS. */
function firstLines(text: string, n: number): string {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return text.slice(0, MAX_CHARS);
  }
  return text.slice(0, Math.min(at + 1, MAX_CHARS));
}

interface Scope {
  /** Names other functions of the window declare (parameters, results, locals). */
  readonly elsewhere: ReadonlySet<string>;
  /** Every name the cursor's function holds, and every name outside all functions. */
  readonly readable: ReadonlySet<string>;
}

/** The last window's scope: a request's candidates share it. */
let last: { key: readonly string[]; scope: Scope | undefined } | undefined;

/** The cursor's scope in the window, or undefined where no function of the window holds the cursor. */
function scopeAt(above: string, indent: string, below: string, language: Language, cut: boolean): Scope | undefined {
  const key = [above, indent, below, language, String(cut)];
  if (last && last.key.every((k, i) => k === key[i])) return last.scope;
  // Something on the cursor's line, so a Python function being written holds it (its end is by indentation).
  const text = above + indent + '0' + below;
  const lines = codeOnly(text, language, true).split('\n');
  const at = above.split('\n').length; // 1-based: the cursor's line
  const defs = findDefinitions(text, language).filter((d) => d.kind !== 'class');
  const around = defs.filter((d) => d.line < at && d.endLine >= at);
  let scope: Scope | undefined;
  // Inside a signature still open (a parameter list over several lines) the line declares: not judged.
  const inner = around.length ? lines.slice(Math.max(...around.map((d) => d.line)) - 1, at - 1).join('\n') : '';
  if (around.length && (inner.match(/\(/g)?.length ?? 0) <= (inner.match(/\)/g)?.length ?? 0)) {
    const outer = around.reduce((a, b) => (b.line < a.line ? b : a));
    const elsewhere = new Set<string>();
    for (const d of defs) {
      if (d.line >= outer.line && d.line <= outer.endLine) continue;
      for (const n of parameterNames(lines[d.line - 1] ?? '', language)) elsewhere.add(n);
      for (let i = d.line; i < d.endLine; i++) for (const n of declaredIn(lines[i] ?? '', language)) elsewhere.add(n);
    }
    const readable = new Set<string>(defs.map((d) => d.name));
    const add = (ls: readonly string[]) => ls.forEach((l) => l.match(NAME)?.forEach((n) => readable.add(n)));
    // The cursor's function, whole (a name it reads further down is taken as declared where it should be).
    add(lines.slice(outer.line - 1, outer.endLine));
    // Every line no function holds: the module's, a class's fields, a callback's. Where the window
    // starts inside a function (cut from a longer text), its indented lines before the first
    // definition are that function's tail, not the module's.
    const inside = new Uint8Array(lines.length + 2);
    for (const d of defs) inside.fill(1, d.docLine, d.endLine + 1);
    const first = cut ? Math.min(...defs.map((d) => d.docLine)) : 0;
    add(lines.filter((l, i) => !inside[i + 1] && (i + 1 >= first || !/^\s/.test(l))));
    scope = { elsewhere, readable };
  }
  last = { key, scope };
  return scope;
}

/** Go: the package names the imports in `text` give (an alias, else the path's last part), or undefined where it has no import. */
function goImports(text: string): Set<string> | undefined {
  const found = [...text.matchAll(/^import\s*(?:\(([^)]*)\)|([^\n]*))/gm)];
  if (!found.length) return undefined;
  const names = new Set<string>();
  for (const m of found)
    for (const spec of (m[1] ?? m[2]).matchAll(/(?:([A-Za-z_.]\w*)\s+)?"([^"]*)"/g)) names.add(spec[1] ?? spec[2].split('/').pop()!.replace(/^go-|[.-].*$/g, ''));
  return names;
}

/** The names a line of code reads bare: not a member (`.x`), a key (`x:`), a keyword argument (`f(x=1)`) or a called name. */
function readNames(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(NAME)) {
    const before = code.slice(0, m.index).trimEnd();
    const after = code.slice(m.index + m[0].length).trimStart();
    if (before.endsWith('.') || /^\??:(?![:=])/.test(after)) continue;
    // A string's prefix (`f"..."`, `r'...'`); a call (`testDir(fs)`: most called names are the module's, often another file's).
    if (/^["'`]/.test(code.slice(m.index + m[0].length)) || after.startsWith('(')) continue;
    if (/^=(?![=>])/.test(after) && before.includes('(')) continue;
    out.push(m[0]);
  }
  return out;
}

/**
 * The parameters a signature line declares (and Go's receiver and named results): each
 * parenthesized list's names.
 */
function parameterNames(signature: string, language: Language): string[] {
  return [...signature.matchAll(/\(([^()]*)\)/g)].flatMap((group) => listNames(group[1], language));
}

/** A parameter list's names, each item's first word (`key K`, `key: K`, `key=None`): parameterReadings' first. */
function listNames(list: string, language: Language): string[] {
  return parameterReadings(list, language)[0];
}

/**
 * A parameter list's names read both ways: each item's first word (`key K`, `key: K`, `key=None`)
 * and its last (`int key`). The language's keywords are no names (`mut`, `self`, `final int`). A Go
 * type stays one word (`os.FileMode`, `map[string]int`), and a Go list whose items are single words
 * is a list of types (`(*Command, error)`): no names.
 */
export function parameterReadings(list: string, language: Language): [string[], string[]] {
  const words = (item: string) =>
    (language === 'go' ? item.replace(/\[[^\]]*\]/g, ' ').replace(/[A-Za-z_]\w*\s*\./g, '') : item).match(NAME)?.filter((w) => !KEYWORDS[language].has(w)) ?? [];
  const items = list.split(',').map((item) => words(item.split(/[:=]/)[0])).filter((ws) => ws.length > 0);
  if (language === 'go' && !items.some((ws) => ws.length > 1)) return [[], []];
  return [items.map((ws) => ws[0]), items.map((ws) => ws[ws.length - 1])];
}

/** The names a line of code declares: `let`/`const`/`var`, `:=`, Python's assignment, a loop's or a handler's variable, a function's or a closure's parameters. */
function declaredIn(code: string, language: Language): string[] {
  const out: string[] = [];
  const names = (s: string | undefined) => out.push(...(s?.match(NAME) ?? []));
  for (const m of code.matchAll(/\b(?:let|const|var)\s+([A-Za-z_$][\w$]*|\{[^}]*\}|\[[^\]]*\]|\([^)]*\))/g)) names(m[1]);
  for (const m of code.matchAll(/([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)\s*:=/g)) names(m[1]);
  if (language === 'python') {
    names(/^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)/.exec(code)?.[1]);
    for (const m of code.matchAll(/\b(?:for|as)\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/g)) names(m[1]);
    for (const m of code.matchAll(/\blambda\b([^:]*):/g)) names(m[1]);
  }
  for (const m of code.matchAll(/\bfor\s*\(?\s*(?:let|const|var)?\s*([A-Za-z_$][\w$]*)\s+(?:of|in)\b/g)) names(m[1]);
  for (const m of code.matchAll(/\bcatch\s*\(\s*(?:[\w$.]+\s+)?([A-Za-z_$][\w$]*)/g)) names(m[1]);
  for (const m of code.matchAll(/(?:\(([^()]*)\)|([A-Za-z_$][\w$]*))\s*=>/g)) names(m[1] ?? m[2]);
  // A function's parameters, named or not (`def fn(arg):`, `function (a, b) {`, Go's `func(x int)`).
  for (const m of code.matchAll(/\b(?:def|function|func)\b\s*\*?\s*[\w$]*\s*\(([^()]*)\)/g)) out.push(...listNames(m[1], language));
  return out;
}
