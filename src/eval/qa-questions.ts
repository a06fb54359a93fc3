import { hashString, sampleIndices } from './stats';
import { findDefinitions, type Definition } from '../code/definitions';
import { languageOf } from '../code/language';

/**
 * Questions for `samba eval --tasks qa`, built mechanically from a repository: each asks about one
 * definition (a function, method or class) whose name is defined nowhere else, so its answer lives
 * in one known place, the definition's file and lines. Three kinds:
 *   where:  a name led by a verb, in words ("parseRange" -> "Where is the range parsed?");
 *   decide: a predicate ("isDraftable(value)" -> "How is it decided whether the value is draftable?");
 *   doc:    the first sentence of its doc comment ("// HasParent determines if the command is a
 *           child command." -> "Where is the code that determines if the command is a child command?").
 * A fourth, user, is written by hand in a user's words ("Where is the edit distance computed?") and
 * names its definition, which userQuestion finds the same way (scripts/make-qa-questions.mjs).
 * Line-based regular expressions, not a parser (like src/eval/identifiers.ts): good enough to find
 * definitions, their doc comments and their extent, and stated as such.
 */

export type QuestionKind = 'where' | 'decide' | 'doc' | 'user';
export const QUESTION_KINDS: readonly QuestionKind[] = ['where', 'decide', 'doc', 'user'];

export interface QaQuestion {
  /** The repository's folder name (as `samba eval --repos` names it). */
  readonly repo: string;
  readonly question: string;
  readonly kind: QuestionKind;
  /** The definition asked about (`Class.method` for a method). */
  readonly symbol: string;
  /** Its file, relative to the repository root. */
  readonly path: string;
  /** The definition's lines, 1-based inclusive (signature to the end of its body). */
  readonly startLine: number;
  readonly endLine: number;
  /** The lines that answer it: the signature and the start of the body (what a cited passage must hold). */
  readonly answerLines: readonly [number, number];
}

/** Lines of the answer a cited passage must hold: the signature and up to this many lines after it. */
export const ANSWER_LINES = 8;

/** A name's words: camelCase, PascalCase, snake_case and acronyms split, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/^[_$#]+/, '')
    .split(/[_$]+/)
    .flatMap((p) => p.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [])
    .map((w) => w.toLowerCase());
}

/** Verbs that lead a name, and how the question says what was done. */
const PARTICIPLES: Record<string, string> = {
  get: 'obtained', compute: 'computed', calc: 'computed', calculate: 'computed', parse: 'parsed', build: 'built', create: 'created', make: 'made',
  format: 'formatted', validate: 'validated', check: 'checked', apply: 'applied', add: 'added', remove: 'removed', delete: 'deleted',
  update: 'updated', find: 'found', resolve: 'resolved', load: 'loaded', read: 'read', write: 'written', render: 'rendered', convert: 'converted',
  compare: 'compared', normalize: 'normalized', handle: 'handled', process: 'processed', register: 'registered', initialize: 'initialized',
  init: 'initialized', merge: 'merged', split: 'split', encode: 'encoded', decode: 'decoded', serialize: 'serialized', generate: 'generated',
  execute: 'executed', run: 'run', new: 'created', mark: 'marked', collect: 'collected', sort: 'sorted', filter: 'filtered', freeze: 'frozen',
  prepare: 'prepared', finalize: 'finalized', emit: 'emitted', print: 'printed', append: 'appended', clean: 'cleaned', increment: 'incremented',
  fold: 'folded', quote: 'quoted', unquote: 'unquoted', expand: 'expanded', strip: 'stripped', flatten: 'flattened', init_: 'initialized',
  visit: 'visited', walk: 'walked', patch: 'patched', escape: 'escaped', copy: 'copied', clone: 'cloned', wrap: 'wrapped', sanitize: 'sanitized',
};

/** Imperative doc openings ("Return the ...", Python's style) that become "returns the ...". */
const IMPERATIVES = new Set(['return', 'determine', 'detect', 'test', 'set', 'try', 'ensure', 'produce', 'construct', 'extract', 'lookup', 'look', 'yield', 'raise', 'fetch', 'turn', 'take', 'give', 'tell', 'insert', 'replace', 'reset', 'iterate', 'attach', 'store', 'translate', 'verify', 'trim', 'join', 'match', 'select', 'mark', 'call', 'invoke', 'report', 'install', 'consume', 'skip', 'advance', 'wrap', 'reorder', 'handle', 'scan', 'tokenize', 'instruct', 'change', 'start', 'stop', 'push', 'pop', 'close', 'open', 'send', 'receive', 'wait', 'sleep', 'retry', 'schedule', 'compute', 'count', 'describe', 'sort', 'show', 'hide', 'list', 'map', 'pick', 'keep', 'drop', 'build', 'cache', 'define', 'declare', 'add', 'emit', 'remove', 'refresh']);

const PREDICATES = new Set(['is', 'has', 'should', 'can', 'needs', 'must', 'was']);

const phrase = (words: readonly string[]) => words.join(' ');

/** The questions a definition makes (none when its name or doc says too little). */
export function questionsFor(d: Definition): { kind: QuestionKind; question: string }[] {
  const out: { kind: QuestionKind; question: string }[] = [];
  const words = nameWords(d.name);
  const [verb, ...rest] = words;
  const subjectOf = () => (d.kind === 'method' && d.owner ? `the ${d.owner}` : d.param && d.param.length >= 3 && !['self', 'cls'].includes(d.param) ? `the ${phrase(nameWords(d.param))}` : 'it');
  if (d.kind !== 'class' && rest.length >= 1 && rest.length <= 4) {
    if (PARTICIPLES[verb] && !(verb === 'get' && rest.length === 1 && rest[0].length <= 3)) {
      const obj = phrase(rest);
      const q = verb === 'new' ? `Where is a new ${obj} created?` : d.kind === 'method' && d.owner ? `Where does the ${d.owner} ${verb} the ${obj}?` : `Where is the ${obj} ${PARTICIPLES[verb]}?`;
      out.push({ kind: 'where', question: q });
    } else if (PREDICATES.has(verb)) {
      const subject = subjectOf();
      const v = verb === 'should' || verb === 'can' || verb === 'must' ? `${verb} be` : verb;
      out.push({ kind: 'decide', question: d.kind === 'method' && d.owner ? `How does ${subject} decide whether it ${v} ${phrase(rest)}?` : `How is it decided whether ${subject} ${v} ${phrase(rest)}?` });
    }
  }
  const s = d.doc && docSentence(d.doc, d.name);
  if (s) out.push({ kind: 'doc', question: `Where is the code that ${s}?` });
  return out;
}

/** A doc comment's first sentence as a verb phrase in the third person ("Return the x." -> "returns the x"), or undefined. */
export function docSentence(doc: string, name: string): string | undefined {
  let s = doc.split(/(?<=[a-z0-9)\]'"`])\.(?:\s|$)/)[0].trim();
  // "HasParent determines ..." (Go), "foo() returns ...": the name is the subject.
  s = s.replace(new RegExp(`^(?:the\\s+)?${name.replace(/[$]/g, '\\$')}(?:\\(\\))?\\s+(?:method\\s+|function\\s+)?`, 'i'), '');
  const words = s.split(/\s+/);
  if (words.length < 4 || words.length > 24 || !/^[A-Za-z]+$/.test(words[0]) || /[<>{}=;]/.test(s)) return undefined;
  let v = words[0].toLowerCase();
  // A verb this file knows leads, in the third person ("determines") or the imperative ("Return"):
  // "Tokens free now" is no sentence about what the code does.
  const known = (w: string) => IMPERATIVES.has(w) || PARTICIPLES[w] !== undefined;
  const third = /[^s]s$/.test(v) && [v.slice(0, -1), v.slice(0, -2), v.replace(/ies$/, 'y')].some(known);
  if (!third && !known(v)) return undefined;
  if (['is', 'are', 'was', 'has', 'can', 'will', 'should', 'may', 'must'].includes(words[1].toLowerCase())) return undefined;
  if (!third) v = v.endsWith('y') && !/[aeiou]y$/.test(v) ? v.slice(0, -1) + 'ies' : /(sh|ch|x|z)$/.test(v) || v === 'do' || v === 'go' ? v + 'es' : v + 's';
  return [v, ...words.slice(1)].join(' ').replace(/[.:;,]+$/, '');
}

/** Test files and generated code are not where a user's answer lives. */
function eligiblePath(p: string): boolean {
  return !/(^|\/)(tests?|__tests__|testdata|spec)\//i.test(p) && !/(_test\.go|\.test\.[jt]sx?|\.spec\.[jt]sx?|(^|\/)test_[^/]*\.py)$/.test(p) && !/\.d\.ts$/.test(p);
}

/**
 * Every question of a repository: definitions of at least 3 lines whose name (and for a method,
 * `Owner.name`) is defined once in the whole repository, asked at most once each (by question text).
 */
export function repoQuestions(repo: string, files: readonly { path: string; text: string }[]): QaQuestion[] {
  const defs: { path: string; d: Definition }[] = [];
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const language = languageOf(f.path);
    if (language === 'other') continue;
    for (const d of findDefinitions(f.text, language)) defs.push({ path: f.path, d });
  }
  const count = new Map<string, number>();
  for (const { d } of defs) count.set(d.name, (count.get(d.name) ?? 0) + 1);
  const out: QaQuestion[] = [];
  for (const { path, d } of defs) {
    if (!eligiblePath(path) || count.get(d.name) !== 1 || d.endLine - d.line < 2 || d.name.length < 4) continue;
    for (const { kind, question } of questionsFor(d)) {
      const symbol = d.owner ? `${d.owner}.${d.name}` : d.name;
      out.push({ repo, question, kind, symbol, path, startLine: d.line, endLine: d.endLine, answerLines: [d.line, Math.min(d.endLine, d.line + ANSWER_LINES)] });
    }
  }
  // A question asked twice with different answers is not one known place.
  const texts = new Map<string, number>();
  for (const q of out) texts.set(q.question.toLowerCase(), (texts.get(q.question.toLowerCase()) ?? 0) + 1);
  return out.filter((q) => texts.get(q.question.toLowerCase()) === 1);
}

/** A question written by hand about one definition (`Owner.name` for a method) of `file`: its lines found as for the others. */
export function userQuestion(repo: string, file: { path: string; text: string }, symbol: string, question: string): QaQuestion {
  const language = languageOf(file.path);
  const found = language === 'other' ? [] : findDefinitions(file.text, language).filter((d) => (d.owner ? `${d.owner}.${d.name}` : d.name) === symbol);
  if (found.length !== 1) throw new Error(`${repo}/${file.path}: ${found.length} definitions of ${symbol} (question "${question}"); a hand-written question needs exactly one.`);
  const d = found[0];
  return { repo, question, kind: 'user', symbol, path: file.path, startLine: d.line, endLine: d.endLine, answerLines: [d.line, Math.min(d.endLine, d.line + ANSWER_LINES)] };
}

/** Up to `perKind` questions of each kind, drawn the same way for the same repository and seed. */
export function sampleQuestions(all: readonly QaQuestion[], perKind: number, seed: number): QaQuestion[] {
  const out: QaQuestion[] = [];
  for (const kind of ['where', 'decide', 'doc'] as const) {
    const of = all.filter((q) => q.kind === kind);
    const picked = sampleIndices(of.length, Math.min(perKind, of.length), (seed ^ hashString(`${of[0]?.repo}/${kind}`)) >>> 0).sort((a, b) => a - b);
    out.push(...picked.map((i) => of[i]));
  }
  return out;
}
