// What a piece of code calls and raises, read off its text: for a summary of a long function that
// has no doc comment (src/summarize/prompt.ts). Token scanning, not a parser.

import type { Language } from './language';

/**
 * The code without its comments and string literals (a template literal keeps its `${...}` code).
 * Not ./shape.ts's line scan, which skips a template literal whole (its brackets must not count) and
 * gives no text: a call inside `${...}` is still a call. With `keepLines`, the line breaks a comment
 * or a string held stay, so the code's lines are the text's.
 */
export function codeOnly(text: string, language: Language, keepLines = false): string {
  const py = language === 'python';
  let out = '';
  // Brace depth of each open template literal's `${`: a `}` at that depth returns into the literal.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const literal = () => {
    // Inside a template literal: skip to its end or to the next `${`.
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        templates.pop();
        out += '`';
        i++;
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        out += '${';
        i += 2;
        templates[templates.length - 1] = ++depth;
        return;
      } else {
        if (keepLines && c === '\n') out += '\n';
        i++;
      }
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (py ? c === '#' : c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (!py && c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const to = end < 0 ? text.length : end + 2;
      if (keepLines) out += breaks(text, i, to);
      i = to;
    } else if (c === '`' && !py && language !== 'go') {
      templates.push(-1);
      out += '`';
      i++;
      literal();
    } else if (c === '"' || c === "'" || c === '`') {
      const quote = py && text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const escapes = !(language === 'go' && c === '`');
      let k = i + quote.length;
      while (k < text.length && !text.startsWith(quote, k) && (quote.length === 3 || c === '`' || text[k] !== '\n')) k += escapes && text[k] === '\\' ? 2 : 1;
      out += c + c + (keepLines ? breaks(text, i, k) : '');
      i = k + quote.length;
    } else {
      if (c === '{') depth++;
      else if (c === '}') {
        if (templates.length && templates[templates.length - 1] === depth) {
          depth--;
          out += '}';
          i++;
          literal();
          continue;
        }
        depth--;
      }
      out += c;
      i++;
    }
  }
  return out;
}

/** The line breaks in `text` from `from` to `to`. */
function breaks(text: string, from: number, to: number): string {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return '\n'.repeat(n);
}

/** Words followed by `(` that are not calls. */
const NOT_CALLS = new Set(
  'if for while switch catch return function func def class with elif not and or in is lambda await yield typeof void delete new super this print assert except'.split(' '),
);
/** Calls too common to say anything about a function (the languages' own builtins). */
const BUILTINS: Partial<Record<Language, ReadonlySet<string>>> = {
  python: new Set('len isinstance issubclass range str int float bool list dict set tuple frozenset getattr setattr hasattr type iter next enumerate zip map filter sorted reversed min max abs repr id any all super object'.split(' ')),
  // Go's conversions too (`string(b)`, `int64(n)`).
  go: new Set('len cap make append new copy delete close recover print println string byte rune bool error int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr float32 float64 complex64 complex128'.split(' ')),
  javascript: new Set('String Number Boolean Array Object Map Set WeakMap WeakSet Error Promise RegExp Date parseInt parseFloat isNaN require'.split(' ')),
  typescript: new Set('String Number Boolean Array Object Map Set WeakMap WeakSet Error Promise RegExp Date parseInt parseFloat isNaN require'.split(' ')),
};

/** Methods of the languages' own strings, arrays and maps: called on a local value they say little (`lines.map`, `parts.join`). */
const VALUE_METHODS = new Set(
  ('forEach map filter reduce some every find findIndex join split replace replaceAll push concat slice splice includes indexOf lastIndexOf ' +
    'trim trimStart trimEnd toString toLowerCase toUpperCase startsWith endsWith padStart padEnd charAt charCodeAt match test exec keys values entries ' +
    'append extend insert items get format encode decode strip lstrip rstrip lower upper startswith endswith sort has add set delete pop clear call apply bind').split(' '),
);
/** JavaScript's global namespaces (`Math.max`, `JSON.stringify`, `console.log`). */
const JS_GLOBALS = /^(?:Math|JSON|Object|Array|console|Number|String|Promise|Reflect|Symbol|Date)\./;

export interface CodeCalls {
  /** Called names as written (`self.popitem`, `path.Clean`, `styleText`), each once, in order of first call. */
  readonly calls: string[];
  /** What it raises or throws: Python's `raise X`, JavaScript's `throw new X`, Go's `panic`. */
  readonly raises: string[];
}

/** The functions a definition's body calls and the errors it raises (its first line, the signature, and its own inner definitions left out). */
export function callsIn(definition: string, language: Language): CodeCalls {
  // A spread (`...f(x)`) is no member access.
  const code = codeOnly(definition.slice(definition.indexOf('\n') + 1), language).replace(/\.\.\./g, '   ');
  const calls = new Set<string>();
  const raises = new Set<string>();
  const defined = new Set<string>();
  for (const m of code.matchAll(/\b(?:def|function|func)\s+([A-Za-z_$][\w$]*)/g)) defined.add(m[1]);
  for (const m of code.matchAll(/(?<![\w$.\])])((?:[A-Za-z_$][\w$]*\s*\.\s*)*[A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1].replace(/\s+/g, '');
    const before = code.slice(Math.max(0, m.index - 10), m.index);
    if (/\b(?:def|function|func|class)\s+$/.test(before)) continue;
    if (/\b(?:throw\s+new|raise)\s+$/.test(before)) continue;
    // A method written in an object literal or a class (`stringLength(str) {`) is no call.
    if ((language === 'javascript' || language === 'typescript') && /^\s*(?::[^{};=]*)?\{/.test(code.slice(closing(code, m.index + m[0].length - 1) + 1))) continue;
    if (NOT_CALLS.has(name) || defined.has(name) || BUILTINS[language]?.has(name)) continue;
    const dot = name.lastIndexOf('.');
    if (dot > 0 && VALUE_METHODS.has(name.slice(dot + 1)) && !/^(?:this|self)\.[\w$]+$/.test(name)) continue;
    if (language !== 'python' && language !== 'go' && JS_GLOBALS.test(name)) continue;
    if (language === 'go' && name === 'panic') {
      raises.add('panic');
      continue;
    }
    calls.add(name);
  }
  // What is raised: a class (`raise ValueError(...)`, `throw new TypeError(...)`) or a value (`throw err`); an error a
  // function makes (`throw invalidChar(c)`) is among the calls.
  const raise = language === 'python' ? /\braise\s+([A-Za-z_][\w.]*)/g : /\bthrow\s+(?:new\s+([A-Za-z_$][\w$.]*)|([A-Za-z_$][\w$.]*)(?![\w$.]*\s*\())/g;
  for (const m of code.matchAll(raise)) raises.add(m[1] ?? m[2]);
  return { calls: [...calls], raises: [...raises] };
}

/** Where the bracket opened at `open` closes (the text's end when it does not). */
function closing(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i;
  }
  return code.length;
}
