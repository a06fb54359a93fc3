// The shape of a source file's lines: bracket depth before and after each (strings and comments
// skipped), its first and last code character, and where a statement or a Python block ends.
// Bracket counting, not a parser: fast on any file, wrong only on odd code. The completion's
// context block reads a file's declarations (./declarations.ts) and shows them (its
// definition-text.ts) through it.

import { isCLike, isJs, type Language } from './language';

/** Per line: bracket depth before and after it, its first and last code character, and whether it starts inside a block comment (1) or a multi-line string (2). */
export interface Shape {
  readonly depthStart: Int32Array;
  readonly depthEnd: Int32Array;
  readonly first: string[];
  readonly last: string[];
  readonly inString: Uint8Array;
}

/**
 * Where a JavaScript regular expression literal that starts at `s[j]` (a `/`) ends (the index after
 * its flags), or -1 where the `/` divides. A literal starts where a value cannot end: after an
 * operator or opening bracket, at the start of the code, or after a keyword such as `return`;
 * `before` is the code before it (across lines: its last character is what counts). Its brackets
 * and quotes are not code: tap-parser's `/^( {4})*\}\n$/` closed a class 800 lines early.
 */
export function regexLiteralEnd(s: string, j: number, before: string): number {
  if (s[j] !== '/' || s[j + 1] === '/' || s[j + 1] === '*') return -1;
  const prev = before.trimEnd();
  const last = prev.at(-1) ?? '';
  if (last && !'(,=:[!&|?{};+-*%<>~^'.includes(last) && !/(?:^|[^\w$.])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/.test(prev)) return -1;
  let inClass = false;
  for (let k = j + 1; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let e = k + 1;
      while (e < s.length && /[a-z]/i.test(s[e])) e++;
      return e;
    }
  }
  return -1; // a literal does not span lines: this `/` divides
}

/** Where a character literal starting at `s[j]` (a `'`) ends (the index after it), or -1 where it is none (a Rust lifetime). */
export function charLiteralEnd(s: string, j: number): number {
  const m = /^'(?:\\(?:u\{[0-9A-Fa-f]{1,6}\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|[0-7]{1,3}|.)|[^\\'\n])'/.exec(s.slice(j, j + 14));
  return m ? j + m[0].length : -1;
}

export function scanLines(lines: readonly string[], lang: Language): Shape {
  const n = lines.length;
  const depthStart = new Int32Array(n);
  const depthEnd = new Int32Array(n);
  const first = new Array<string>(n);
  const last = new Array<string>(n);
  const inString = new Uint8Array(n);
  const py = lang === 'python';
  const js = isJs(lang);
  const clike = isCLike(lang);
  // The last code character of the lines before, for telling a regular expression from a division (regexLiteralEnd).
  let before = '';
  let depth = 0;
  let mode = 0; // 0 code, 1 block comment, 2 multi-line string closed by `quote`
  let quote = '';
  for (let i = 0; i < n; i++) {
    const s = lines[i];
    depthStart[i] = depth;
    inString[i] = mode; // 1 in a block comment, 2 in a multi-line string
    let f = '';
    let l = '';
    let j = 0;
    while (j < s.length) {
      if (mode === 1) {
        const k = s.indexOf('*/', j);
        if (k < 0) break;
        mode = 0;
        j = k + 2;
        continue;
      }
      if (mode === 2) {
        const escapes = !(lang === 'go' && quote === '`'); // Go's raw strings have none
        let k = j;
        while (k < s.length && !s.startsWith(quote, k)) k += escapes && s[k] === '\\' ? 2 : 1;
        if (k >= s.length) break;
        mode = 0;
        j = k + quote.length;
        l = quote[0];
        if (!f) f = l;
        continue;
      }
      const c = s[j];
      if (c === ' ' || c === '\t' || c === '\r') {
        j++;
        continue;
      }
      if (py ? c === '#' : c === '/' && s[j + 1] === '/') break;
      if (!py && c === '/' && s[j + 1] === '*') {
        mode = 1;
        j += 2;
        continue;
      }
      const literal = js && c === '/' ? regexLiteralEnd(s, j, before + s.slice(0, j)) : -1;
      if (literal > 0) {
        if (!f) f = c;
        // Its last character (a flag, or the closing `/`), as the scan read it before it knew literals.
        l = s[literal - 1];
        j = literal;
        continue;
      }
      // In C, Java and Rust a `'` opens a character (`'}'`), or nothing at all (Rust's `&'a str`).
      if (clike && c === "'") {
        const end = charLiteralEnd(s, j);
        if (!f) f = c;
        l = c;
        j = end > 0 ? end : j + 1;
        continue;
      }
      if (c === '"' || c === "'" || (c === '`' && !py && !clike)) {
        if (!f) f = c;
        l = c;
        if (py && s.startsWith(c + c + c, j)) {
          quote = c + c + c;
          mode = 2;
          j += 3;
          continue;
        }
        if (c === '`') {
          quote = '`';
          mode = 2;
          j++;
          continue;
        }
        let k = j + 1;
        while (k < s.length && s[k] !== c) k += s[k] === '\\' ? 2 : 1;
        j = k + 1;
        continue;
      }
      if (!f) f = c;
      l = c;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      j++;
    }
    depthEnd[i] = depth;
    if (l) before = l;
    first[i] = f;
    last[i] = l;
  }
  return { depthStart, depthEnd, first, last, inString };
}

/** The last line of the statement starting at `i`: brackets closed and no operator carrying it on. */
export function statementEnd(lines: readonly string[], shape: Shape, i: number, base = shape.depthStart[i]): number {
  const n = Math.min(lines.length, i + 2000);
  for (let j = i; j < n; j++) {
    if (shape.depthEnd[j] > base || !shape.first[j]) continue;
    const last = shape.last[j];
    if ('=,([{|&+-*/?:.'.includes(last) || (last === '>' && /=>\s*(\/\/.*)?$/.test(lines[j]))) continue;
    let k = j + 1;
    while (k < lines.length && !shape.first[k]) k++;
    if (k < lines.length && '.|&?:{'.includes(shape.first[k]) && !lines[k].trimStart().startsWith('...')) continue;
    return j;
  }
  return n - 1;
}

/** The last line of a Python block or assignment starting at `i`. */
export function pythonEnd(lines: readonly string[], shape: Shape, i: number): number {
  const indent = lines[i].length - lines[i].trimStart().length;
  let h = i;
  while (h + 1 < lines.length && (shape.depthEnd[h] > shape.depthStart[i] || /\\\s*$/.test(lines[h]))) h++;
  if (shape.last[h] !== ':') {
    while (h + 1 < lines.length && shape.inString[h + 1]) h++; // a multi-line string value
    return h;
  }
  let end = h;
  for (let k = h + 1; k < lines.length; k++) {
    const t = lines[k];
    if (!t.trim()) continue;
    if (shape.inString[k] || shape.depthStart[k] > shape.depthStart[i] || t.length - t.trimStart().length > indent) end = k;
    else break;
  }
  return end;
}
