/** Turns raw model text into what the editor shows: cut, de-duplicated, balanced, indented, or nothing. */
import { findDefinitions } from '../code/definitions';
import type { Language } from '../code/language';
import { modelText } from '../code/line-ends';
import { otherFunctionsLocal, parameterReadings } from '../code/scope';

export type Mode = 'single' | 'multi';

export interface PostprocessInput {
  readonly completion: string;
  readonly prefix: string;
  readonly suffix: string;
  /** Decided by chooseMode when not given. */
  readonly mode?: Mode;
  /** The file's language (languageOf its path): where its definitions start. */
  readonly language?: Language;
}

const OPEN = '([{';
const CLOSE = ')]}';
const CLOSER_LINE = /^\s*[)\]}]+[;,)]*\s*$/;

/**
 * The characters of `text` that are code, with their index: quoted strings ('', "", ``) skipped,
 * their backslash escapes too. With `stringEndsAtLine`, a string that is not a template ends at its
 * line (an apostrophe in a comment opens none beyond it).
 */
function* codeChars(text: string, stringEndsAtLine = false): Generator<[number, string]> {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote || (stringEndsAtLine && c === '\n' && quote !== '`')) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else yield [i, c];
  }
}

const lineBefore = (prefix: string) => prefix.slice(prefix.lastIndexOf('\n') + 1);
const lineAfter = (suffix: string) => {
  const nl = suffix.indexOf('\n');
  return nl < 0 ? suffix : suffix.slice(0, nl);
};
/** A line that ends by opening a block of statements. */
const BLOCK_OPENED = /(?:\)|=>|\belse|\btry|\bdo|\bfinally)\s*\{\s*$/;
/**
 * A literal at the cursor is a whole word: a suggestion that glues letters onto it makes a name
 * (an H200 trial: `n(enc.scratch.Len())` after `enc.needSep = true`, so `truen(...)`). Right after
 * Tab the editor asks nothing (src/completion/accepted.ts); this is for a literal the user typed.
 */
const LITERAL_AT_END = /\b(?:true|false|True|False|nil|null|None|undefined|NaN)$/;
const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];
const width = (indent: string) => indent.replace(/\t/g, '    ').length;
/** A line's indentation in columns, a tab as four. */
export const indentWidth = (line: string) => width(indentOf(line));

/** Lines of the suffix after the cursor's line that are not blank. */
function followingLines(suffix: string): string[] {
  return suffix.split('\n').slice(1).filter((l) => l.trim() !== '');
}

/** Non-blank lines below the cursor's line where a long line copied again is looked for. */
const COPIED_BELOW_LINES = 3;
/** Characters from which a line counts as a copy of one a few lines below (short ones repeat: `return err`). */
const COPIED_BELOW = 30;

/**
 * The suggestion would make the cursor's line (`lineHead`, what it holds before the cursor, then the
 * suggestion's first line) the file's next line again, indentation included: Enter above
 * `return ret` and a suggestion of `return ret`; or, if that line is long, a copy of one of the next
 * few lines (a backoff trial: Enter under `next := ...` and the `if b.MaxElapsedTime != 0 && ...`
 * two lines below; of stop 21's 1,400 recorded H200 targets none is such a copy, 2 suggestions were).
 * Only where nothing follows the cursor on its line. Later lines equal to the next line are cut by
 * stopAtSuffix; rerank.ts passes over such candidates.
 */
export function repeatsNextLine(lineHead: string, completion: string, suffix: string): boolean {
  if (lineAfter(suffix).trim() !== '') return false;
  const below = followingLines(suffix).slice(0, COPIED_BELOW_LINES);
  const line = (lineHead + completion.split('\n')[0]).trimEnd();
  if (line.trim() === '' || below.length === 0) return false;
  return line === below[0].trimEnd() || (line.trim().length >= COPIED_BELOW && below.some((l) => l.trim() === line.trim())) || declaresAgain(line, below[0]) || dropsArguments(line, below[0]);
}

/** A statement that is one call: what is called (`self.__order.move_to_end`) and its arguments' text. */
const ONE_CALL = /^\s*([\w$.:]*[\w$]\s*)\((.*)\)\s*;?\s*$/;

/** A call's arguments split at its top-level commas, trimmed (brackets and quotes kept whole). */
function callArguments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (const [i, c] of codeChars(text)) {
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = text.slice(from).trim();
  return last ? [...out, last] : out;
}

/**
 * The cursor's line is the next line's call with its last arguments left out, at the same
 * indentation: `self.__order.move_to_end(key)` above `self.__order.move_to_end(key, last=False)` (a
 * cachetools trial: Enter after `try:` in `MRUCache.__update`, and `LRUCache.__update`'s line offered
 * from the block). It says again what the next line says, less of it.
 */
function dropsArguments(line: string, next: string): boolean {
  const mine = ONE_CALL.exec(line);
  const theirs = ONE_CALL.exec(next);
  if (!mine || !theirs || indentWidth(line) !== indentWidth(next) || mine[1].trim() !== theirs[1].trim()) return false;
  const a = callArguments(mine[2]);
  const b = callArguments(theirs[2]);
  return a.length < b.length && a.every((arg, i) => arg === b[i]);
}

/** The names a statement declares: Go's `a, err :=`, or a `const`/`let` binding of one name. */
function declared(line: string): string | undefined {
  const go = /^\s*([\w$]+(?:\s*,\s*[\w$]+)*)\s*:=/.exec(line);
  if (go) return go[1].split(',').map((n) => n.trim()).sort().join(',');
  return /^\s*(?:export\s+)?(?:const|let)\s+(?:mut\s+)?([\w$]+)\s*[:=]/.exec(line)?.[1];
}

/**
 * The cursor's line declares just what the next statement, at the same indentation, declares again
 * from other values: `item := c.get(key)` above `item := c.bucket(key).get(key)` (a ccache trial:
 * Enter at a function's opening line, and a variant of its first line offered). Go and JavaScript
 * reject the second declaration; where shadowing is allowed (Rust) the first value is never read. A
 * next declaration that reads the name (`let s = s.trim();`) is left alone.
 */
function declaresAgain(line: string, next: string): boolean {
  const names = declared(line);
  if (!names || indentWidth(line) !== indentWidth(next) || declared(next) !== names) return false;
  const value = next.slice(next.search(/:?=/) + 1);
  return !names.split(',').some((n) => new RegExp(`(?<![\\w$.])${n.replace(/\$/g, '\\$')}(?![\\w$])`).test(value));
}

/**
 * The cursor's line as the suggestion's first line would make it (`lineHead`, then `completion`) is
 * one no suggestion should give: the next line again (`below`: the text after the cursor), a line
 * above again (`above`: the text before the cursor's line), a Go value that does not exist, or a
 * line that reads another function's local (code/scope.ts). rerank.ts passes over such candidates;
 * postprocess() shows nothing.
 */
export function wrongLine(lineHead: string, completion: string, above: string, below: string, language: Language = 'other'): boolean {
  const line = lineHead + completion.split('\n')[0];
  return (
    repeatsNextLine(lineHead, completion, below) ||
    repeatsLineAbove(lineHead, completion, above, language) ||
    returnsNoValue(line, [above, below], language) ||
    otherFunctionsLocal(line, lineHead, above, below, language) !== undefined
  );
}

/** Go's `return f(...)` or `return x.f(...)`: the called name. */
const GO_RETURN_CALL = /^\s*return\s+(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*\(.*\)\s*$/;

/**
 * Go: the line returns what a call gives, and every function of that name in `texts` (the prompt's
 * code around the cursor) returns nothing: `return c.restart()` for `Has` under `func (c *Cache)
 * restart() {` (an H200 trial on ccache). Go rejects it ("used as value"). A name the texts do not
 * define is left alone.
 */
function returnsNoValue(line: string, texts: readonly string[], language: Language): boolean {
  const name = language === 'go' ? GO_RETURN_CALL.exec(line)?.[1] : undefined;
  if (!name) return false;
  const signature = new RegExp(`^func\\s*(?:\\([^()]*\\)\\s*)?${name}\\s*(?:\\[[^\\]]*\\]\\s*)?\\(`, 'gm');
  const results: string[] = [];
  for (const text of texts) {
    for (const m of text.matchAll(signature)) {
      // The parameters' closing parenthesis (a parameter may be a func type with its own), then the results.
      let depth = 1;
      let i = m.index! + m[0].length;
      for (; i < text.length && depth > 0; i++) depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
      const end = text.indexOf('\n', i);
      results.push(text.slice(i, end < 0 ? text.length : end).replace(/\{.*$/, '').trim());
    }
  }
  return results.length > 0 && results.every((r) => r === '');
}

/** Non-blank lines above the cursor's line where a declaration copied again is looked for. */
const DECLARATIONS_ABOVE = 8;
/** Characters from which a start of the line above counts as a copy of it. */
const COPIED_START = 20;
const DECLARATION = /^(?:export\s+)?(?:let|const|var|def|func|type|class|interface|function|async\s+function|import|from)\b/;

/**
 * The suggestion would make the cursor's line (`lineHead`, then the suggestion's first line) a copy
 * of a line above it (`above`: the text before the cursor's line): of the line right above, or of a
 * declaration among the DECLARATIONS_ABOVE lines above in the cursor's own block, as indented as the
 * cursor's line with no line between indented less (declared twice, it does not compile; the same
 * words under another function, such as each Python operation's nested `def transform(doc):`,
 * declare another name: a tinydb trial had the right line passed over). Of
 * stop 21's 1,400 recorded H200 suggestions (setting c), 40 were such copies and none was the
 * file's line; a user trial got `let formatter: FormatterFunction;` again, two lines under itself.
 * A long start of the line right above is a copy too (a yq trial: `return b64encode(...).digest()`
 * under `return b64encode(...).digest()).decode()`); none of stop 28's 1,381 H200 targets is one.
 * So is the last statement of a block that just closed above (repeatsClosedBlock), and a body's
 * first line that calls its own function again (callsItself).
 */
export function repeatsLineAbove(lineHead: string, completion: string, above: string, language: Language = 'other'): boolean {
  const line = (lineHead + completion.split('\n')[0]).trim();
  // Closers (`}` under `}`) and lone words (`end` under `end`, `fi`) repeat in code.
  if (!/[A-Za-z0-9]/.test(line) || /^\w+;?$/.test(line)) return false;
  const lines = above.split('\n').filter((l) => l.trim() !== '').slice(-DECLARATIONS_ABOVE);
  const last = lines.at(-1)?.trim() ?? '';
  if (last === line || (line.length >= COPIED_START && last.startsWith(line))) return true;
  if (callsItself(line, lineHead, above, language)) return true;
  if (repeatsClosedBlock(line, lineHead, lines)) return true;
  if (!DECLARATION.test(line)) return false;
  const here = indentWidth(lineHead);
  for (let i = lines.length - 1; i >= 0; i--) {
    const w = indentWidth(lines[i]);
    if (w < here) return false; // the cursor's block begins below this line
    if (w === here && lines[i].trim() === line) return true;
  }
  return false;
}

/** A line of closers alone: `}`, `})`, `]);`. */
const CLOSERS = /^\s*[)\]}]+[;,)]*\s*$/;

/**
 * The line (`line`, trimmed) is the last statement of the block that just closed above it, again:
 * `return cached.value;` under `}` under that same `return` (an opossum trial), `throw
 * invalidChar(read())` after the `if` that throws it. Lines of closers stand between, and the
 * block's last line is deeper than the cursor's (with nothing between it is the line right above,
 * which repeatsLineAbove rules out anyway, as it does Python's block closed by indentation). Of stop
 * 67's 2,369 recorded H100 suggestions, 9 were such lines and none was the file's; 10 of 142,579
 * lines of the evaluation repositories' real code are (C, C++ and Go `return`s after a loop or
 * branch that returns the same early, a C `#endif`).
 */
function repeatsClosedBlock(line: string, lineHead: string, lines: readonly string[]): boolean {
  let i = lines.length - 1;
  while (i >= 0 && CLOSERS.test(lines[i])) i--;
  return i >= 0 && i < lines.length - 1 && lines[i].trim() === line && indentWidth(lines[i]) > indentWidth(lineHead);
}

/**
 * The first line of a function's body (`line`, trimmed) calls that function with its own
 * parameters, unchanged: `matches_impl(cmp, ver) && ...` right under `fn matches_impl(cmp:
 * &Comparator, ver: &Version) -> bool {` (a semver trial; the previous function's body, copied). It
 * would call itself forever. The function is the definition (findDefinitions) on the last line of
 * `above`. A method calls itself through its receiver (`self.`, `this.`, `Self::`, Go's `c.`); a
 * bare name there is a free function of that name (Go's `return Get(url)` in `(c *Client) Get`).
 */
function callsItself(line: string, lineHead: string, above: string, language: Language): boolean {
  const lines = above.replace(/\s+$/, '').split('\n');
  const opener = lines.at(-1) ?? '';
  // Cheap first: a deeper line that calls a name the line above calls or declares with `(`.
  const called = new Set([...opener.matchAll(/([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\(/g)].map((m) => m[1]));
  if (indentWidth(lineHead) <= indentWidth(opener) || ![...line.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)].some((m) => called.has(m[1]))) return false;
  const fn = findDefinitions(lines.join('\n'), language).find((d) => d.line === lines.length);
  if (!fn || fn.kind === 'class') return false;
  const params = new RegExp(`${fn.name.replace(/\$/g, '\\$')}\\s*(?:<[^>]*>)?\\(([^()]*)\\)`).exec(opener)?.[1];
  if (params === undefined) return false;
  const receiver = language === 'go' ? /^\s*func\s*\(\s*([A-Za-z_]\w*)/.exec(opener)?.[1] : undefined;
  const on = ['self\\.', 'this\\.', 'Self::', ...(receiver ? [`${receiver}\\.`] : [])].join('|');
  const call = new RegExp(`(?<![\\w$.:])(?:${on})${fn.kind === 'method' ? '' : '?'}${fn.name.replace(/\$/g, '\\$')}\\s*\\(([^()]*)\\)`).exec(line);
  if (!call) return false;
  const args = call[1].split(',').map((a) => a.trim()).filter((a) => a !== '');
  return parameterReadings(params, language).some((names) => names.length === args.length && names.every((n, i) => n === args[i]));
}

/** Whether `completion` goes on with the word `lineHead` ends with into a name `known` (the prompt's text) never spells (`nullable` in a file that has it is a name). */
function gluesUnknownName(lineHead: string, completion: string, known: string): boolean {
  const tail = /[\w$]+$/.exec(lineHead)?.[0];
  const head = /^[\w$]+/.exec(completion)?.[0];
  if (!tail || !head) return false;
  return !new RegExp(`(?<![\\w$])${(tail + head).replace(/\$/g, '\\$')}(?![\\w$])`).test(known);
}

/**
 * Multi-line where a block is being opened or is empty: after an opener at the end of the line,
 * or on a blank line whose next line closes the block (an empty function body). Otherwise one line.
 */
export function chooseMode(prefix: string, suffix: string): Mode {
  const before = lineBefore(prefix);
  const after = lineAfter(suffix);
  if (/^\s*(\/\/|#|\*|\/\*)/.test(before)) return 'single';
  if (after.trim() !== '' && !/^[\s)\]};,]*$/.test(after)) return 'single';
  if (/([{([:]|=>)\s*$/.test(before)) return 'multi';
  if (before.trim() === '') {
    const next = followingLines(suffix)[0];
    const prevLine = prefix.split('\n').slice(0, -1).filter((l) => l.trim() !== '').pop() ?? '';
    if (next === undefined || (CLOSER_LINE.test(next) && /[{([:]\s*$/.test(prevLine))) return 'multi';
  }
  return 'single';
}

export function postprocess(input: PostprocessInput): string | undefined {
  const { prefix, suffix } = input;
  const mode = input.mode ?? chooseMode(prefix, suffix);
  let text = modelText(input.completion);
  // Bytes that decode to no character (U+FFFD) are not code: the suggestion ends before them.
  const broken = text.indexOf('\uFFFD');
  if (broken >= 0) text = text.slice(0, broken);
  const before = lineBefore(prefix);
  // The cursor sits after indentation already typed: the model's own leading indentation would double it.
  if (before.trim() === '' && before.length > 0) text = text.replace(/^[ \t]+/, '');
  if (mode === 'single') {
    // A first line that is empty means the model wants the next line: not a single-line suggestion.
    text = text.split('\n')[0];
  } else {
    text = endAtBlock(text, prefix, suffix);
    text = matchIndentation(text, prefix, suffix);
  }
  // After a block's opening brace at the end of the line (`) {`, `=> {`, `else {`), code goes on the
  // next line: text on the same line is not code there (an H200 trial showed `{[key]: value}} =
  // object[key];` after `for (const key of Object.keys(object)) {`). Typed without an auto-closed
  // `}` after it, or asked by the CLI and eval, which have no editor to know an accept.
  if (BLOCK_OPENED.test(before) && lineAfter(suffix).trim() === '' && !/^[ \t]*\n/.test(text)) return undefined;
  if (LITERAL_AT_END.test(before) && gluesUnknownName(before, text, prefix + suffix)) return undefined;
  // The cursor's line a copy of a line around it, or wrong: nothing worth showing (rerank.ts passes over such candidates).
  if (wrongLine(before, text, prefix.slice(0, prefix.length - before.length), suffix, input.language)) return undefined;
  text = stopAtSuffix(text, before, suffix);
  text = balance(text, prefix, suffix);
  text = text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
  const kept = beforeLoop(text, input.language ?? 'other', prefix);
  return kept === undefined || isTrivial(kept) ? undefined : kept;
}

/**
 * A suggestion that repeats itself loses the loop: its longest start of whole lines that does not
 * repeat itself and leaves no bracket open (`if err != nil { return nil, err }` of a suggestion that
 * then writes `Name: data,` over and over); else its first line alone, brackets open or not (the
 * line being written, `getRows = (rows, ids) => {`, whose body looped); nothing when that line
 * loops too (`let i = 0; let i2 = 0; let i3 = 0;`).
 */
function beforeLoop(text: string, language: Language, prefix: string): string | undefined {
  const reopened = reopensBlock(prefix, text);
  // A start of whole lines loops when it repeats itself or holds the line that opens a block again.
  const loops = (t: string) => repeatsItself(t, language) || (reopened >= 0 && t.split('\n').length > reopened);
  if (!loops(text)) return text;
  const lines = text.split('\n');
  for (let k = lines.length - 1; k >= 1; k--) {
    const head = lines.slice(0, k).join('\n').trimEnd();
    if (head.trim() !== '' && !loops(head) && unclosed(head).length === 0) return head;
  }
  const first = lines[0].trimEnd();
  return lines.length > 1 && first.trim() !== '' && !loops(first) ? first : undefined;
}

/**
 * The first line of the suggestion (0-based) that opens again a block it stands inside, whether the
 * document opened it above the cursor or the suggestion did: the same line as one whose `{` is still
 * open there, or as one ending in `:` less indented than every line after it; -1 if none. A small
 * model loops so: `switch verb {`, `case 'v':`, then `switch verb {` again (pkg/errors writing
 * trials, stops 58 and 59, the second `switch` once in the suggestion and once in the document).
 * Only lines that cannot stand again inside themselves count (`singularOpener`).
 */
function reopensBlock(prefix: string, text: string): number {
  const before = lineBefore(prefix);
  const above = prefix.slice(0, prefix.length - before.length).split('\n').slice(-400, -1);
  const mine = text.split('\n');
  // The cursor's line as the document will have it.
  const all = [...above, before + mine[0], ...mine.slice(1)];
  const open: number[] = [];
  for (let n = 0; n < all.length; n++) {
    const t = all[n].trim();
    if (n >= above.length && singularOpener(t)) {
      if (open.some((m) => all[m].trim() === t)) return n - above.length;
      let least = indentWidth(all[n]);
      for (let m = n - 1; m >= 0 && least > 0; m--) {
        if (all[m].trim() === '' || indentWidth(all[m]) >= least) continue;
        least = indentWidth(all[m]);
        if (all[m].trim() === t && t.endsWith(':')) return n - above.length;
      }
    }
    for (const [, c] of codeChars(all[n], true)) {
      if (c === '{') open.push(n);
      else if (c === '}') open.pop();
    }
  }
  return -1;
}

/**
 * A line that opens a block and cannot stand again inside it: not a short one (`} else {`, `try:`,
 * which nest in code) nor a data key (`"properties": {`, `items:`, which nest in a schema).
 */
function singularOpener(line: string): boolean {
  const t = line.trim();
  return /[{:]$/.test(t) && t.replace(/\s/g, '').length >= 8 && !/^["']?[\w$-]+["']?\s*:\s*\{?$/.test(t);
}

/**
 * A suggestion that repeats itself, the way a small model loops (`let i = 0; let i2 = 0; let i3 = 0;`):
 * the same line twice in a row or three times, the same statement three times once numbers are set aside, or a run of
 * tokens right after itself. Greedy decoding stays; such a suggestion is dropped, not shown.
 */
export function repeatsItself(text: string, language: Language = 'other'): boolean {
  // A line right after itself, or three times anywhere (code repeats a line twice: Go's `return nil, err`).
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.replace(/\s/g, '').length >= 8 && !CLOSER_LINE.test(l));
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const n = (seen.get(lines[i]) ?? 0) + 1;
    if (n >= 3 || (i > 0 && lines[i] === lines[i - 1])) return true;
    seen.set(lines[i], n);
  }
  // A definition's first line twice: one suggestion never defines a name twice (a trial's
  // `export function distance(...) {...}` written again under itself).
  if (language !== 'other') {
    const all = text.split('\n');
    const signatures = findDefinitions(text, language).map((d) => all[d.line - 1].trim());
    if (new Set(signatures).size < signatures.length) return true;
  }
  const shapes = new Map<string, number>();
  for (const unit of text.split(/[;\n]/)) {
    const shape = unit.replace(/\d+/g, '').replace(/\s+/g, ' ').trim();
    if (shape.replace(/\s/g, '').length < 3) continue;
    const n = (shapes.get(shape) ?? 0) + 1;
    if (n >= 3) return true;
    shapes.set(shape, n);
  }
  const tokens = (text.match(/\w+|[^\s\w]/g) ?? []).slice(0, 400);
  for (let n = 3; 2 * n <= tokens.length; n++) {
    for (let i = 0; i + 2 * n <= tokens.length; i++) {
      let same = true;
      for (let k = 0; k < n && same; k++) same = tokens[i + k] === tokens[i + n + k];
      if (same && tokens.slice(i, i + n).join('').length >= 8) return true;
    }
  }
  return false;
}

/** Cuts where the completion runs into text already after the cursor. */
function stopAtSuffix(text: string, lineHead: string, suffix: string): string {
  const after = lineAfter(suffix).trim();
  const lines = text.split('\n');
  // The rest of the cursor's line repeated at the end of the first line: keep the part before it.
  if (after !== '') {
    const i = lines[0].lastIndexOf(after);
    if (i >= 0 && lines[0].slice(i).trim() === after) lines[0] = lines[0].slice(0, i);
  }
  // A completion line equal to the next line of the file, indentation included (a nested `}` is not
  // the block's `}`): the model is repeating what follows.
  const next = followingLines(suffix)[0]?.trimEnd();
  if (next) {
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].trimEnd() === next) return lines.slice(0, i).join('\n');
    }
  }
  return lines.join('\n');
}

/** Ends a multi-line completion where its block ends: at a dedent past the cursor's block. */
function endAtBlock(text: string, prefix: string, suffix: string): string {
  const lines = text.split('\n');
  const before = lineBefore(prefix);
  const base = width(before.trim() === '' ? before : indentOf(before));
  // An arrow's body (an expression or an indented continuation) ends where a line comes back to
  // the arrow's line, as a block's does: `=> compare(a, b) > 0` then `module.exports = ...` is two statements.
  const opens = /([{([:]|=>)\s*$/.test(before);
  const nextSuffix = followingLines(suffix)[0];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '') continue;
    const w = width(indentOf(l));
    if (opens ? w <= base : w < base) {
      // The block's own closer ends it, unless the file already has it on the next line.
      const closes = opens && w === base && CLOSER_LINE.test(l) && nextSuffix?.trim() !== l.trim();
      return lines.slice(0, closes ? i + 1 : i).join('\n');
    }
  }
  return text;
}

/** Indents continuation lines with the file's style (tabs or spaces). */
function matchIndentation(text: string, prefix: string, suffix: string): string {
  const sample = (prefix.slice(-4000) + suffix.slice(0, 4000)).split('\n');
  const tabs = sample.filter((l) => l.startsWith('\t')).length;
  const spaces = sample.filter((l) => l.startsWith('  ')).length;
  if (tabs === spaces) return text;
  const useTabs = tabs > spaces;
  return text
    .split('\n')
    .map((l, i) => {
      if (i === 0) return l;
      const ind = indentOf(l);
      const w = width(ind);
      const fixed = useTabs ? '\t'.repeat(Math.floor(w / 4)) + ' '.repeat(w % 4) : ' '.repeat(w);
      return fixed + l.slice(ind.length);
    })
    .join('\n');
}

/**
 * Drops closers the text already has: a closer with no opener in the completion closes one from the
 * prefix, and if the same closer follows the cursor, keeping it would double it. A closer that matches
 * nothing at all ends the completion.
 */
function balance(text: string, prefix: string, suffix: string): string {
  const openInPrefix = unclosed(prefix.slice(-4000));
  const after = lineAfter(suffix).replace(/\s+/g, '');
  let afterAt = 0;
  const stack: string[] = [];
  for (const [i, c] of codeChars(text)) {
    if (OPEN.includes(c)) stack.push(c);
    else if (CLOSE.includes(c)) {
      const want = OPEN[CLOSE.indexOf(c)];
      if (stack.length) {
        if (stack[stack.length - 1] !== want) return text.slice(0, i).trimEnd();
        stack.pop();
        continue;
      }
      if (openInPrefix[openInPrefix.length - 1] !== want) return text.slice(0, i).trimEnd();
      if (after[afterAt] === c) return text.slice(0, i).trimEnd();
      openInPrefix.pop();
      afterAt++;
    }
  }
  return text;
}

/** Openers left unclosed at the end of `text`, ignoring quoted strings (roughly). */
function unclosed(text: string): string[] {
  const stack: string[] = [];
  // An unterminated string ends at its line.
  for (const [, c] of codeChars(text, true)) {
    if (OPEN.includes(c)) stack.push(c);
    else if (CLOSE.includes(c) && stack[stack.length - 1] === OPEN[CLOSE.indexOf(c)]) stack.pop();
  }
  return stack;
}

/** Whitespace, a lone punctuation mark, or only closers: not worth a Tab. */
export function isTrivial(text: string): boolean {
  const t = text.trim();
  if (t === '') return true;
  if (/^[\p{P}\p{S}]$/u.test(t)) return true;
  return /^[)\]};,\s]+$/.test(t);
}
