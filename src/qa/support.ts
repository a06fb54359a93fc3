import type { StreamResult } from '../assistant/assistant';
import { DOC_TAG } from '../code/definitions';

/**
 * What the model writes after a Q&A lead (or in a summary, src/summarize/) is kept line by line
 * while the passage the lead names (the summarized text) supports it: at least half of a line's
 * words (3 or more letters, not English function words) occur in that passage, as words or as
 * parts of its identifiers, compared on their first five letters (so "processing" meets
 * `processResult`). The small model otherwise copies doc comments
 * of other code into the answer (on semver it "explained" `compareMain` with the CLI's help text for
 * --coerce). Nor is a line whose words run as another cited passage's do (RUN words in a row, comment
 * markers aside) unless the lead's passage has them too: a doc comment of other code copied whole
 * shares that code's words with any passage of the same repository (on json5 it "explained"
 * `serializeProperty` with parse's doc). Nor is a line that puts in a code span a name no cited
 * text spells (a secretlint trial's summary: "The `allowMessage` option is a function ..." of a
 * type `AllowMessage`). Nor is a line shown as code (indented, a doctest prompt) that is no line of
 * the cited text: a toml trial's summary "quoted" a doc's example as `'b': ["I't", ...]`; nor a
 * fence (an answer ends with the cited code itself). The first line it does not support ends the answer.
 */

const FUNCTION_WORDS = new Set(
  'the and for with this that from into are was were not but its has have had can may will would should which what when where who how why than then also each such only other any all one two via per too very just out off about over under our your their there these those them they you'.split(' '),
);

/** The words that carry meaning (3 or more letters, not function words), each as its 5-letter key. */
function keys(words: readonly string[]): string[] {
  return words.map((w) => w.toLowerCase()).filter((w) => w.length >= 3 && !FUNCTION_WORDS.has(w)).map((w) => w.slice(0, 5));
}

const WORDS = /[A-Za-z][A-Za-z0-9]*/g;

/** Bytes that decode to no character: a key of its own, which only a passage that has one supports. */
const BROKEN = '\uFFFD';

/** A passage's keys: its words, and the parts of its identifiers (camelCase); BROKEN if it has any. */
export function passageKeys(text: string): Set<string> {
  const words = text.match(WORDS) ?? [];
  const parts = (w: string) => w.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/);
  const known = new Set(
    keys(
      words.flatMap((w) => {
        const p = parts(w);
        return p.length > 1 ? [w, ...p] : [w];
      }),
    ),
  );
  if (text.includes(BROKEN)) known.add(BROKEN);
  return known;
}

/** Whether a passage (its passageKeys) supports a line of the answer. */
export function supports(known: ReadonlySet<string>, line: string): boolean {
  // Broken bytes the passage lacks (the GUI test's answer read "line 6:\uFFFD2 import").
  if (line.includes(BROKEN) && !known.has(BROKEN)) return false;
  const words = line.match(WORDS) ?? [];
  // One word alone says nothing (an H200 mnemonist trial's answer: "LRUCache in lru-cache.js, line 31: LRUCache.").
  if (words.length === 1 && line.replace(WORDS, '').replace(/[\s.;,!`*]/g, '') === '') return false;
  const ks = keys(words);
  if (ks.length < 2) return true; // too little to judge
  return ks.filter((k) => known.has(k)).length * 2 >= ks.length;
}

/** Words in a row that make a line a copy of a passage. */
const RUN = 6;

/** A text's runs of RUN words (letters and digits, lower-cased; comment markers and punctuation are no words). */
function wordRuns(text: string): Set<string> {
  const w = (text.match(/[A-Za-z0-9]+/g) ?? []).map((x) => x.toLowerCase());
  const out = new Set<string>();
  for (let i = 0; i + RUN <= w.length; i++) out.add(w.slice(i, i + RUN).join(' '));
  return out;
}

/** Whether some text outside the cited passages runs as `run` does (a run of wordRuns). */
export type RunFinder = (run: string) => boolean;

/** Each file's words as wordRuns reads them (lower-cased, one space between), kept while its text is the same string. */
const wordsOfFile = new Map<string, { text: string; words: string }>();

/**
 * A RunFinder over every file of the workspace. The model has read them all and copies their
 * sentences: a ccache trial's answer named `bucket` (no doc) and went on with "The cache is agnostic
 * about how cached values are use", a comment of configuration.go that retrieval had not cited.
 */
export function runsInFiles(files: ReadonlyMap<string, string>): RunFinder {
  let all: string[] | undefined;
  // Read when a line first needs it (most answers end before a line of six words is judged).
  const words = () => {
    for (const path of wordsOfFile.keys()) if (!files.has(path)) wordsOfFile.delete(path);
    return [...files].map(([path, text]) => {
      let entry = wordsOfFile.get(path);
      if (entry?.text !== text) {
        entry = { text, words: ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} ` };
        wordsOfFile.set(path, entry);
      }
      return entry.words;
    });
  };
  return (run) => (all ??= words()).some((w) => w.includes(` ${run} `));
}

/** Names every language has without spelling them in the text. */
const LITERALS = ['null', 'undefined', 'true', 'false', 'None', 'True', 'False', 'nil', 'self', 'this', 'NaN', 'Infinity'];

/** A file's name (`version.py`, `index.ts`): an answer may name the file, which its text does not spell. */
const FILE_NAME = /\.(?:[cm]?[jt]sx?|py|pyi|go|rs|java|kt|c|h|cc|cpp|hpp|cs|rb|php|swift|md|json|ya?ml|toml|txt|sh)$/;

/** A code span that names something: an identifier, dotted or called (`cfg.load()`). */
const NAMED = /`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?`/g;

/** The names a text spells, and the literals every language has. */
export function spelledNames(text: string): Set<string> {
  return new Set([...LITERALS, ...(text.match(/[A-Za-z_$][\w$]*/g) ?? [])]);
}

/**
 * The names a line puts in code spans that `words` (spelledNames of the cited text) lacks, case
 * counting: `allowMessage` for a type AllowMessage. A dotted name on a lower-case head (a module or
 * a variable: `fmt.EncodeKeyval` in a logfmt trial's summary) must be spelled so in `text`; one on a
 * type (`Encoder.EncodeKeyval`, a method Go declares apart) needs its parts only.
 */
export function unknownNames(line: string, words: ReadonlySet<string>, text: string): string[] {
  const known = (name: string) => {
    const parts = name.split('.');
    if (!parts.every((part) => words.has(part))) return false;
    const onValue = parts.length > 1 && /^[a-z_$]/.test(parts[0]) && !LITERALS.includes(parts[0]);
    return !onValue || spelledDotted(text, name);
  };
  return [...line.matchAll(NAMED)].map((m) => m[1]).filter((name) => !FILE_NAME.test(name) && !known(name));
}

/** Numbers as written in prose or code (not inside a name: `int64`, `utf8`), `_` and `,` between digits as in `1_000_000`. */
const NUMBER = /(?<![\w$.])\d(?:[\d_,]*\d)?(?:\.\d+)?(?![\w$])/g;
const numberValue = (n: string) => n.replace(/[_,]/g, '');

/** Every number of two digits or more that `text` writes, `_` and `,` left out. */
export function spelledNumbers(text: string): Set<string> {
  return new Set([...text.matchAll(NUMBER)].map((m) => numberValue(m[0])));
}

/**
 * The numbers of two digits or more a line writes that the cited text never does (`numbers`:
 * spelledNumbers of it). A humanize trial's answer paraphrased its doc with "2_400_000_000_000
 * becomes "1.2 billion"", a figure the doc never gave.
 */
export function unknownNumbers(line: string, numbers: ReadonlySet<string>): string[] {
  return [...line.matchAll(NUMBER)].map((m) => numberValue(m[0])).filter((n) => n.replace('.', '').length >= 2 && !numbers.has(n));
}

/** Whether `text` spells the dotted `name` as one (not inside a longer name). */
const spelledDotted = (text: string, name: string) => new RegExp(`(?<![\\w$.])${name.replace(/[.$]/g, '\\$&')}(?![\\w$])`).test(text);

/** A line markdown shows as code (indented 4 spaces or a tab), or a Python doctest's prompt. */
const CODE_LINE = /^(?: {4}|\t)|^\s*(?:>>>|\.\.\.)(?:\s|$)/;
const FENCE = /^\s*(?:```|~~~)/;
/** A line as compared with the cited text's: trimmed, runs of whitespace as one space. */
const squashed = (line: string) => line.trim().replace(/\s+/g, ' ');

/** Gates a streamed answer: push() returns the whole lines that may be shown now. */
export class SupportedLines {
  private readonly cited: string;
  private readonly names: ReadonlySet<string>;
  private readonly known: ReadonlySet<string>;
  private readonly ownRuns: ReadonlySet<string>;
  private readonly otherRuns: ReadonlySet<string>;
  private readonly elsewhere?: RunFinder;
  /** The cited text's lines (squashed): what a line shown as code must be. */
  private readonly codeLines: ReadonlySet<string>;
  private pending = '';
  /** The text shown so far. */
  kept = '';
  /** The first line the passage does not support, and whatever came after it. */
  dropped = '';

  private readonly numbers: ReadonlySet<string>;

  /** `passage`: the lead's; `others`: the other passages cited, whose copied lines are not its; `elsewhere`: the rest of the workspace, likewise. */
  constructor(passage: string, others: readonly string[] = [], elsewhere?: RunFinder) {
    this.elsewhere = elsewhere;
    this.known = passageKeys(passage);
    this.cited = [passage, ...others].join('\n');
    this.names = spelledNames(this.cited);
    this.numbers = spelledNumbers(this.cited);
    this.ownRuns = wordRuns(passage);
    this.otherRuns = new Set(others.flatMap((o) => [...wordRuns(o)]));
    this.codeLines = new Set([passage, ...others].flatMap((t) => t.split('\n').map(squashed)));
  }

  get stopped(): boolean {
    return this.dropped !== '';
  }

  push(delta: string): string {
    if (this.stopped) {
      this.dropped += delta;
      return '';
    }
    this.pending += delta;
    let shown = '';
    let nl: number;
    while (!this.stopped && (nl = this.pending.indexOf('\n')) >= 0) {
      shown += this.take(this.pending.slice(0, nl + 1));
      this.pending = this.pending.slice(nl + 1);
    }
    if (this.stopped) {
      this.dropped += this.pending;
      this.pending = '';
    }
    return shown;
  }

  /** The last line (without a line end), if supported. */
  end(): string {
    const last = this.pending;
    this.pending = '';
    return last ? this.take(last) : '';
  }

  /** Whether the line runs as another passage or file does, and not as the lead's passage. */
  private copied(line: string): boolean {
    for (const r of wordRuns(line)) if (!this.ownRuns.has(r) && (this.otherRuns.has(r) || this.elsewhere?.(r))) return true;
    return false;
  }

  /**
   * Whether the line is a fence (the answer's code is the excerpt after it, and a fence the gate
   * left open swallowed it: user2's "```js" then one line), doc markup, or shown as code and no line of the cited text.
   */
  private misquoted(line: string): boolean {
    return FENCE.test(line) || DOC_TAG.test(line) || (CODE_LINE.test(line) && line.trim() !== '' && !this.codeLines.has(squashed(line)));
  }

  private take(line: string): string {
    if (this.misquoted(line) || !supports(this.known, line) || this.copied(line) || unknownNames(line, this.names, this.cited).length || unknownNumbers(line, this.numbers).length) {
      this.dropped = line;
      return '';
    }
    this.kept += line;
    return line;
  }
}

/**
 * Streams a model's text through `gate`: only whole lines it supports reach `onText`, and the first
 * line it does not support stops the model (Q&A answers after their lead, summaries).
 */
export async function streamSupported(
  stream: (onText: (delta: string) => void, signal: AbortSignal) => Promise<StreamResult>,
  gate: SupportedLines,
  onText: (delta: string) => void,
  signal: AbortSignal,
  /** Ends the text once it holds what is wanted (a summary: its first paragraph). */
  enough?: (kept: string) => boolean,
): Promise<StreamResult['stopped'] | 'unsupported'> {
  const stop = new AbortController();
  const r = await stream(
    (delta) => {
      if (stop.signal.aborted) return;
      const shown = gate.push(delta);
      if (shown) onText(shown);
      if (gate.stopped || enough?.(gate.kept)) stop.abort();
    },
    AbortSignal.any([signal, stop.signal]),
  );
  // Stopped by `enough`: the text is complete, the rest of its line is not wanted.
  if (stop.signal.aborted && !gate.stopped) return 'end';
  // A loop is cut mid-line, where its repeat began: that line is the repeat's start, not shown
  // (tanstack: a bullet, then the same bullet again cut off in its parenthesis).
  const last = r.stopped === 'loop' ? '' : gate.end();
  if (last) onText(last);
  return gate.stopped && !signal.aborted ? 'unsupported' : r.stopped;
}
