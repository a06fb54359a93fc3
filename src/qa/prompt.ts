import { qaPieces } from '../prompt/assist';
import type { Piece } from '../prompt/pieces';
import { cutAtLineEnd } from '../prompt/stop';
import { languageOf } from '../code/language';
import type { Source } from './messages';
import type { Passage, PassageSymbol } from './passages';
import { asksForCode, type Retrieved } from './retrieval';
import { askedAbout, terms } from './terms';

export interface Turn {
  readonly question: string;
  readonly answer: string;
}

export interface QaPromptOptions {
  /** Characters of retrieved text in the prompt; passages past it are left out (the first is cut to fit). */
  readonly maxPassageChars?: number;
  /** Earlier turns kept, newest last. */
  readonly maxTurns?: number;
  /** Characters of each earlier answer kept (its start). */
  readonly maxAnswerChars?: number;
}

/**
 * Where the answer starts: the place of the best-ranked source, written by the extension in the
 * form of training's Q&A answers (training/transforms.py qa_examples): "`backoff` in
 * src/retry.ts, line 42:" for the definition of the best passage that the question's words name
 * best (else its first), or "In src/retry.ts, lines 40-58:" for a passage that defines nothing.
 * The small model often fails to name the file it read (the eval: 56% of answers named it while
 * retrieval cited it first 81% of the time), so the answer names retrieval's best place itself
 * and the model explains it after this lead (its first words in the prompt). Training's answers go
 * on with the definition's doc comment and end that line (training/transforms.py qa_examples); the
 * small model restated it unreliably, so the lead quotes it (its first paragraph) and ends the line,
 * where the model most often ends the answer. Without a doc the lead ends at the colon: the model
 * writes the space, as after ":" in training's answers.
 */
export function answerLead(best: Passage, question: string): string {
  const symbol = leadSymbol(best, question);
  if (symbol) {
    return `\`${leadName(symbol.name)}\` in ${best.path}, line ${symbol.line}:${symbol.doc ? ` ${quotedDoc(askedDoc(symbol.doc, symbol.docMore, question))}\n` : ''}`;
  }
  return `${passageLines(best)}:`;
}

/** How a lead names a passage that defines nothing it can name: "In src/retry.ts, lines 40-58". */
function passageLines(p: Passage): string {
  return `In ${p.path}, ${p.startLine === p.endLine ? `line ${p.startLine}` : `lines ${p.startLine}-${p.endLine}`}`;
}

/**
 * How a lead names a definition: a method by its own name, as training's answers do, but a
 * constructor or a Python special method with its class (`Range.constructor`, `Message.__setitem__`):
 * every class has one, so the bare name does not say which.
 */
function leadName(qualified: string): string {
  const dot = qualified.lastIndexOf('.');
  const name = qualified.slice(dot + 1);
  return dot > 0 && (name === 'constructor' || /^__\w+__$/.test(name)) ? qualified : name;
}

/**
 * The doc a lead quotes: its first paragraph, then the later one the question asks about where the
 * question's words meet that one at least two more times than the first (a bidict trial: "Which
 * exception is raised when a value is already mapped to a different key?" led with `__setitem__`
 * and "Set the value for *key* to *val*.", while its third paragraph says when it raises). Where
 * both do not fit LEAD_DOC_CHARS, the later one alone.
 */
function askedDoc(doc: string, more: readonly string[] | undefined, question: string): string {
  if (!more?.length) return doc;
  const meets = meetsQuestion(question);
  const met = (text: string) => new Set(terms(text).filter(meets)).size;
  let best: string | undefined;
  let most = met(doc) + 1;
  for (const p of more) {
    const n = met(p);
    if (n > most) [best, most] = [p, n];
  }
  if (!best) return doc;
  const both = `${doc} ... ${best}`;
  return both.length <= LEAD_DOC_CHARS ? both : best;
}

/**
 * Where retrieval cannot tell which place answers: another place's passage scored at least this
 * share of the best one's. The answer then lists the closest places (LISTED_PLACES) instead of
 * leading with one (a marshmallow trial: "What happens to fields in the input data that the schema
 * does not declare?" led with `loads`, "Same as load, except it takes a JSON string as input").
 * Chosen on the five tuning question sets (stop 61, bench/RESULTS.md).
 */
export const CLOSE_SHARE = 0.9;
/** Places such an answer lists, at most. */
export const LISTED_PLACES = 3;

/** A passage as retrieval scored it (src/qa/retrieval.ts); one without a score is never close to another. */
export type Scored = Passage & Partial<Pick<Retrieved, 'score'>>;

/** A passage an answer lists, and where it points (leadPlace). */
export interface ListedPlace {
  readonly passage: Passage;
  readonly at: Source;
}

/**
 * The places an answer lists where the best passage does not stand clear: the best and the next
 * passages of other places (a place is leadPlace's definition, so two windows of one long function
 * are one), LISTED_PLACES at most, when the first of those scored at least CLOSE_SHARE of the best;
 * [] where the best stands clear or passages carry no score.
 */
export function closePlaces(passages: readonly Scored[], question: string): ListedPlace[] {
  const best = passages[0];
  if (!best?.score) return [];
  const listed: ListedPlace[] = [{ passage: best, at: leadPlace(best, question) }];
  for (const p of passages.slice(1)) {
    const at = leadPlace(p, question);
    if (listed.some(({ at: q }) => q.path === at.path && q.startLine <= at.endLine && at.startLine <= q.endLine)) continue;
    if (listed.length === 1 && (p.score ?? 0) < CLOSE_SHARE * best.score) return [];
    listed.push({ passage: p, at });
    if (listed.length >= LISTED_PLACES) break;
  }
  return listed.length > 1 ? listed : [];
}

/**
 * The start of an answer that lists close places: one line each, as a lead names its place, with
 * its doc's first sentence (a passage that names no definition: the one it lies in).
 */
export function listedLead(places: readonly Passage[], question: string): string {
  const items = places.map((p) => {
    const symbol = leadSymbol(p, question);
    if (!symbol) return `- ${passageLines(p)}${p.within ? ` (of \`${leadName(p.within.name)}\`)` : ''}`;
    const doc = symbol.doc ? firstSentence(symbol.doc) : '';
    return `- \`${leadName(symbol.name)}\` in ${p.path}, line ${symbol.line}${doc ? `: ${doc}` : ''}`;
  });
  return `Several places match the question about equally well:\n${items.join('\n')}\n`;
}

/** Most characters of a listed place's doc. */
const LISTED_DOC_CHARS = 160;

/** A doc comment's first sentence, on one line, cut at a word within LISTED_DOC_CHARS. */
function firstSentence(doc: string): string {
  const flat = doc.replace(/\s+/g, ' ').trim();
  const end = /[.!?](\s|$)/.exec(flat);
  const sentence = end ? flat.slice(0, end.index + 1) : flat;
  if (sentence.length <= LISTED_DOC_CHARS) return sentence;
  const cut = sentence.slice(0, LISTED_DOC_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))} ...`;
}

/** Where the lead points: its definition from the signature to its end, else the whole passage. */
export function leadPlace(best: Passage, question: string): Source {
  const symbol = leadSymbol(best, question);
  return { path: best.path, startLine: symbol?.line ?? best.startLine, endLine: symbol?.endLine ?? best.endLine };
}

/**
 * The definition of `best` the lead names: the one whose name the question's words meet most, half
 * a point more for each word its doc meets (inih's `ini_parse` and `ini_parse_file` share a passage
 * and the words "parsing an INI file"; "for each name=value pair" is `ini_parse`'s doc). Of
 * two met as often, a question the code answers (asksForCode) names code that runs before a
 * type ("How is the distance between two points computed?": `distance`, not `Point`). Where no
 * name is met, the one whose own lines or doc the question's words meet most; none (the lead names
 * the passage's lines) where they meet only lines outside every definition (graceful-fs: a comment
 * on Windows' locks above `fs.rename`'s wrapper, in the passage of `fs.lchownSync = function ()
 * {}`); its first where they meet no line at all.
 */
function leadSymbol(best: Passage, question: string): PassageSymbol | undefined {
  const meets = meetsQuestion(question);
  const code = asksForCode(question);
  const symbols = best.symbols ?? [];
  let symbol: PassageSymbol | undefined;
  let most = 0;
  for (const s of symbols) {
    // (A method's own name must meet the question too: by its class's name alone it ties with the class.)
    const met = terms(s.name).filter(meets).length;
    const named = code && s.kind === 'code' && terms(s.name.slice(s.name.lastIndexOf('.') + 1)).some(meets) ? met + 0.5 : met;
    const hits = met ? named + 0.5 * new Set(terms([s.doc ?? '', ...(s.docMore ?? [])].join(' ')).filter(meets)).size : 0;
    if (hits > most) [symbol, most] = [s, hits];
  }
  if (symbol || !symbols.length) return symbol;
  const lines = best.text.split('\n');
  const hitsIn = (from: number, to: number) => lines.slice(from - best.startLine, to - best.startLine + 1).reduce((n, l) => n + terms(l).filter(meets).length, 0);
  for (const s of symbols) {
    const hits = hitsIn(s.line, s.endLine ?? s.line) + terms(s.doc ?? '').filter(meets).length;
    if (hits > most) [symbol, most] = [s, hits];
  }
  return symbol ?? (hitsIn(best.startLine, best.endLine) ? undefined : symbols[0]);
}

/** Whether a term meets one of the question's: "formatted" stems to "formatt", so a word starting another (4 letters at least) counts too. */
function meetsQuestion(question: string): (t: string) => boolean {
  const asked = terms(askedAbout(question));
  return (t) => asked.some((a) => a === t || (Math.min(a.length, t.length) >= 4 && (a.startsWith(t) || t.startsWith(a))));
}

/** Lines of code an answer ends with, at most. */
const EXCERPT_LINES = 12;
const FENCE_LANGUAGE = { typescript: 'ts', javascript: 'js', python: 'python', go: 'go', rust: 'rust', java: 'java', c: 'c', cpp: 'cpp', other: '' } as const;

/**
 * The code the lead points at, as a fenced block the panel renders after the model's words: the
 * lead's definition from its signature to its end (the lead quotes its doc comment), else the
 * passage from its start (after the signature of the definition it lies in); at most EXCERPT_LINES
 * lines, dedented. The small model's sentence about code is often vague or wrong (user trials); the
 * code is not, and the user reads the answer there.
 */
export function answerExcerpt(best: Passage, question: string): string {
  const lines = best.text.replace(/\n+$/, '').split('\n');
  const symbol = leadSymbol(best, question);
  const from = Math.max(0, (symbol?.line ?? best.startLine) - best.startLine);
  // A definition ends the excerpt where it ends (short ones share a passage with the next).
  const defEnd = Math.min(lines.length, symbol?.endLine ? symbol.endLine - best.startLine + 1 : lines.length);
  // A Python definition's docstring, which the lead quotes, is not shown again: its code is (a
  // tenacity trial's answer showed a class's docstring as its code). Where its code starts past the
  // passage (a class whose methods are the next passages), the docstring after the paragraph the
  // lead quotes (voluptuous's `Optional`: its examples), else its signature alone.
  const past = symbol?.doc && symbol.codeLine ? symbol.codeLine - best.startLine : from + 1;
  const docOnly = past > from + 1 && (symbol?.endLine ?? 0) > best.endLine && !lines.slice(past, defEnd).some((l) => l.trim());
  const rest = docOnly ? docAfterFirstParagraph(lines, from + 1, past) : -1;
  const to = !docOnly ? defEnd : rest >= 0 ? past : from + 1;
  const body = docOnly ? (rest >= 0 ? rest : from) : lines.slice(past, to).some((l) => l.trim()) ? past : from + 1;
  // Longer than fits: its first line, then the lines around the one the question's words meet most.
  const meets = meetsQuestion(question);
  let focus = from;
  let most = 0;
  for (let i = body; i < to; i++) {
    const hits = terms(lines[i]).filter(meets).length;
    if (hits > most) [focus, most] = [i, hits];
  }
  const start = body === from + 1 && focus < from + EXCERPT_LINES - 1 ? from : Math.max(body, Math.min(focus - 3, to - (EXCERPT_LINES - 1)));
  const end = Math.min(to, start === from ? from + EXCERPT_LINES : start + EXCERPT_LINES - 1);
  let shown = lines.slice(start, end);
  // A window after the first line does not open on the end of what came before (a lone `}`).
  while (shown.length && (!shown[0].trim() || (start > from && /^\s*[)\]}]+[,;]?\s*$/.test(shown[0])))) shown = shown.slice(1);
  while (shown.length && (!shown.at(-1)!.trim() || (docOnly && CLOSING_QUOTES.test(shown.at(-1)!)))) shown = shown.slice(0, -1);
  if (!shown.length) return '';
  // A later window of a long definition opens on the signature of the one it lies in (a toml trial
  // showed a nested `if prefix in v:` as the excerpt's first line).
  // A passage whose definitions the lead does not name shows no first line: it is theirs, not the answer's.
  const head = best.within && !symbol ? [best.within.signature] : start === from || (!symbol && best.symbols?.length) ? [] : [lines[from]];
  const indent = Math.min(...[...head, ...shown].filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  const cut = (ls: string[]) => ls.map((l) => l.slice(indent)).join('\n');
  const code = head.length ? `${cut(head)}\n...\n${cut(shown)}` : cut(shown);
  // A docstring's closing quotes are no more of it.
  const more = (docOnly && rest < 0) || lines.slice(end, to).some((l) => l.trim() && !CLOSING_QUOTES.test(l)) ? '\n...' : '';
  // A fence longer than any run of backticks in the code, so the code cannot close it.
  const fence = '`'.repeat(Math.max(3, ...[...code.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `\n\n${fence}${FENCE_LANGUAGE[languageOf(best.path)]}\n${code}${more}\n${fence}\n`;
}

/** A line that only closes a Python docstring. */
const CLOSING_QUOTES = /^\s*("""|''')\s*$/;

/** The first line of a docstring (lines [from, to)) after its first paragraph and the blank lines after it; -1 where it has no more. */
function docAfterFirstParagraph(lines: readonly string[], from: number, to: number): number {
  let i = from;
  while (i < to && lines[i].trim()) i++;
  while (i < to && !lines[i].trim()) i++;
  return i < to && !CLOSING_QUOTES.test(lines[i]) ? i : -1;
}

/** Most characters of a doc comment the lead quotes (training's answers quote up to 600). */
const LEAD_DOC_CHARS = 600;

/** A doc comment as a lead quotes it (a Q&A answer's, a symbol summary's): whole, or cut at a word within LEAD_DOC_CHARS. */
export function quotedDoc(doc: string): string {
  if (doc.length <= LEAD_DOC_CHARS) return doc;
  const cut = doc.slice(0, LEAD_DOC_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))} ...`;
}

export interface QaPrompt {
  readonly prompt: Piece[];
  /** The passages that fit, best first: the sources to cite. */
  readonly used: Passage[];
  /** The answer's first words (answerLead of the best source), the end of `prompt`; '' without sources. */
  readonly lead: string;
  /** The code the lead points at, which the answer ends with (answerExcerpt); '' without sources. */
  readonly excerpt: string;
  /** Where the lead points (leadPlace; a list's first place); undefined without sources. */
  readonly leadAt?: Source;
  /** Where retrieval could not tell which place answers (closePlaces): the places the lead lists, and the answer is the list alone. */
  readonly listed?: Source[];
}

/**
 * The Q&A prompt, read after the workspace state: the last few turns, then the retrieved passages
 * (each a snippet, `path:start-end`; chosen best first within the budget, laid out best last), then
 * the question and the answer's lead (layout: src/prompt/assist.ts).
 */
export function buildQaPrompt(question: string, passages: readonly Scored[], history: readonly Turn[], o: QaPromptOptions = {}): QaPrompt {
  const turns = history.slice(-(o.maxTurns ?? 3)).map((t) => ({ question: t.question, answer: cutAtLineEnd(t.answer, o.maxAnswerChars ?? 1200) }));
  let budget = o.maxPassageChars ?? 6000;
  const used: Scored[] = [];
  const shown: Passage[] = [];
  for (const p of passages) {
    let text = p.text;
    if (text.length > budget) {
      if (used.length) continue;
      text = cutAtLineEnd(text, budget);
    }
    budget -= text.length;
    used.push(p);
    // A cut passage's header names the lines it still holds.
    shown.push(text === p.text ? p : { ...p, text, endLine: p.startLine + text.replace(/\n$/, '').split('\n').length - 1 });
  }
  // Best last, right before the question: the small recurrent model names what it read last
  // (measured on the eval's questions: the answer named the right file 8 of 13 times, 2 of 13
  // best first). The sources stay best first.
  const close = closePlaces(used, question);
  const lead = close.length ? listedLead(close.map((c) => c.passage), question) : used.length ? answerLead(used[0], question) : '';
  const excerpt = used.length && !close.length ? answerExcerpt(used[0], question) : '';
  const leadAt = close[0]?.at ?? (used.length ? leadPlace(used[0], question) : undefined);
  return {
    prompt: qaPieces({ history: turns, passages: shown.reverse(), question, lead }),
    used,
    lead,
    excerpt,
    ...(leadAt ? { leadAt } : {}),
    ...(close.length ? { listed: close.map((c) => c.at) } : {}),
  };
}
