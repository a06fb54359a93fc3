import { summaryPieces } from '../prompt/assist';
import { snippetHeader } from '../prompt/file';
import type { Piece } from '../prompt/pieces';
import { DOC_TAG, findDefinitions, moduleDoc, type Definition } from '../code/definitions';
import { isCLike, languageOf, type Language } from '../code/language';
import { callsIn } from '../code/calls';
import { quotedDoc } from '../qa/prompt';
import { cutAtLineEnd } from '../prompt/stop';

/** A document symbol as plain data (from vscode.executeDocumentSymbolProvider), lines 1-based inclusive. */
export interface SymbolInfo {
  readonly name: string;
  readonly kind: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly children?: readonly SymbolInfo[];
}

/**
 * One section of a summary: its heading, then the text the extension writes (a doc comment quoted,
 * a symbol's own code, what a file or folder defines) or, where there is none, what the model writes.
 */
export interface SummaryPart {
  readonly heading: string;
  /** The whole section as written; absent where the model writes it. */
  readonly text?: string;
  readonly model?: ModelSection;
}

/** A section the model writes: one call, its lines kept while the summarized text supports them. */
export interface ModelSection {
  readonly prompt: Piece[];
  readonly maxTokens: number;
  /** The text the summary is about (src/qa/support.ts). */
  readonly support: string;
  /** What stands in for the model's text when none of it is shown (a folder's section: the files it holds). */
  readonly fallback?: string;
}

export interface FilePlanOptions {
  /** Symbols summarized one by one (in document order); the rest are only in the overview. */
  readonly maxSymbols?: number;
  /** Characters of the file in the overview's prompt. */
  readonly maxFileChars?: number;
  /** Characters of one symbol's code read for its section (its code shown, what it calls). */
  readonly maxSymbolChars?: number;
  /** The file's line number of the text's first line (a selection's), for the headings. */
  readonly firstLine?: number;
}

/** Kinds whose members get their own summaries (a class's methods, a namespace's functions). */
const CONTAINERS = new Set(['Class', 'Interface', 'Module', 'Namespace', 'Struct', 'Enum', 'Object', 'Package']);
/** Kinds that are code to summarize, whatever holds them. */
const FUNCTIONS = new Set(['Function', 'Method', 'Constructor']);
/** Kinds too small to summarize on their own. */
const MINOR = new Set(['Variable', 'Constant', 'Field', 'Property', 'EnumMember', 'TypeParameter', 'Key', 'String', 'Number', 'Boolean', 'Null', 'Event', 'Operator']);

/**
 * A selection of whole definitions is summarized as a file is (what it defines, each one's doc,
 * members or short code; the model only for the rest); other code (part of a body) by the model.
 */
export function selectionPlan(path: string, text: string, startLine: number, endLine: number, maxChars = 8000): SummaryPart[] {
  const shown = cutAtLineEnd(text, maxChars);
  const heading = `## ${path}:${startLine}-${endLine}`;
  const symbols = definitionSymbols(path, text);
  // Only where the selection starts at a definition (its comments and decorators aside): a part of a
  // body that holds an inner function is still that body's code.
  const before = symbols.length ? text.split('\n').slice(0, symbols[0].startLine - 1) : [];
  if (symbols.length && before.every((l) => !l.trim() || /^\s*(\/\/|#|\/\*|\*|@)/.test(l))) {
    const [overview, ...rest] = filePlan(path, text, symbols, { firstLine: startLine, maxFileChars: maxChars });
    return [{ ...overview, heading }, ...rest];
  }
  return [{ heading, model: { prompt: summaryPieces(snippetHeader(path, startLine, endLine), shown), maxTokens: 256, support: shown } }];
}

/** The largest undocumented symbol shown as its own summary (a longer one reads better summarized). */
const SHORT_LINES = 3;
const SHORT_CHARS = 240;
/**
 * The largest function shown whole where the model's summary of it was all dropped; a longer one
 * shows its first line. Its signature alone said little of a six-line body (`slugify` in a trial).
 */
const FALLBACK_LINES = 10;
const FALLBACK_CHARS = 480;

/** Lines without the indentation they all share (a method's, shown on its own). */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n').trimEnd();
}

/** The whole file first, then each notable symbol (top level, and members of classes and the like). */
export function filePlan(path: string, text: string, symbols: readonly SymbolInfo[], o: FilePlanOptions = {}): SummaryPart[] {
  const lines = text.split('\n');
  const overview = cutAtLineEnd(text, o.maxFileChars ?? 8000);
  const notable = notableSymbols(symbols);
  // The overview starts with what the file defines: true, and what a reader looks for first.
  // Its own names: a type's methods are the type's, inside it or not (a toml trial listed
  // `TomlEncoder.__init__` and 12 more methods; Go's receivers, `Encoder.EncodeKeyval`, stand apart).
  const names = new Set(notable.map((s) => s.name));
  const language = languageOf(path);
  const defines = definesLine(notable.filter((s) => !isMember(s, names)).map((s) => s.name), 12, language);
  // With what it defines (and the module's own doc, where it has one) the overview is whole: the
  // model's sentence after "Defines" was vague or wrong in every trial ("This is a simple wrapper
  // for `expo` and `constant`." of python-backoff's _wait_gen.py). Without, the model writes it.
  const own = language === 'other' ? undefined : moduleDoc(text, language);
  const lead = defines && `${defines}${own ? `\n${quotedDoc(own)}\n` : ''}`;
  const parts: SummaryPart[] = [lead ? { heading: '## Overview', text: lead } : { heading: '## Overview', model: { prompt: summaryPieces(path, overview), maxTokens: 256, support: overview } }];
  const defs = language === 'other' ? [] : findDefinitions(text, language);
  const shift = (o.firstLine ?? 1) - 1;
  const { sections, left } = sectionSymbols(notable, o.maxSymbols ?? 24, language);
  for (const s of sections) {
    const body = cutAtLineEnd(lines.slice(s.startLine - 1, s.endLine).join('\n'), o.maxSymbolChars ?? 4000);
    // Its doc comment: of the definition whose comment-to-signature lines hold the symbol's start.
    const name = s.name.slice(s.name.lastIndexOf('.') + 1);
    const doc = defs.find((d) => d.name === name && d.docLine <= s.startLine && s.startLine <= d.line)?.doc;
    // An undocumented symbol is what its code says of itself: a short one its lines, a class or
    // interface its members, a function its code up to FALLBACK_LINES, else its first line. What the
    // model wrote of one was wrong or said nothing in 13 of the 18 sentences its support check let
    // through in stop 34 ("The range order is a set of two ranges.", "Read a single line comment."
    // of a multi-line one, "The `get` method of the given method.": bench/RESULTS.md), as in every
    // earlier trial ("Pop the cache.", "Point a point.", "Item is a string representation of the item.").
    const kind = headingKind(s, lines[s.startLine - 1] ?? '', defs);
    const short = s.endLine - s.startLine < SHORT_LINES && body.length <= SHORT_CHARS;
    // A documented symbol's summary is its doc: what the model added after one was filler or
    // wrong in every trial ("This is a wrapper around Color.New()", of a function New).
    const text = doc ? quotedDoc(doc) : short ? codeBlock(dedent(body), language) : selfDescription(s, kind, dedent(body), language);
    parts.push({ heading: `### ${kind} \`${s.name.replace(/`/g, "'")}\` (${s.startLine === s.endLine ? `line ${s.startLine + shift}` : `lines ${s.startLine + shift}-${s.endLine + shift}`})`, text: `${text}\n` });
  }
  // What the sections left out is named, so a reader knows the summary is not the whole file.
  if (left.length) parts.push({ heading: '### Not summarized here', text: `${nameList(left.map((s) => s.name), 12)} (Summarize Selection on one, or ask about it).\n` });
  return parts;
}

/** A member of another of `names` (`Cache.get` of `Cache`): qualified names say so. */
function isMember(s: SymbolInfo, names: ReadonlySet<string>): boolean {
  return names.has(s.name.slice(0, s.name.lastIndexOf('.')));
}

/**
 * The symbols that get sections, at most `most`: where there are more, the file's own public names
 * first, then public members, then the rest (a cachetools trial's 24 sections opened on
 * `_DefaultSize` and its dunder methods, and ran out before `LFUCache` and the `cached` decorator); a
 * member of a private type counts as private. They come in that order too, a type's members right
 * after it (a tabulate trial's summary opened on two private `_is_file`s, `tabulate` 22 sections down).
 */
function sectionSymbols(notable: readonly SymbolInfo[], most: number, language: string): { sections: SymbolInfo[]; left: SymbolInfo[] } {
  if (notable.length <= most) return { sections: [...notable], left: [] };
  const hidden = (s: SymbolInfo) => s.name.split('.').some((part) => isPrivate(part, language));
  const names = new Set(notable.map((s) => s.name));
  const tier = (s: SymbolInfo) => (hidden(s) ? 2 : isMember(s, names) ? 1 : 0);
  // Array.prototype.sort is stable: within a tier, document order.
  const ranked = [...notable].sort((a, b) => tier(a) - tier(b));
  const chosen = new Set(ranked.slice(0, most));
  // In the summary: public types and functions (each with its members) before private ones, else in document order.
  const owner = (s: SymbolInfo) => (names.has(s.name.split('.')[0]) ? s.name.split('.')[0] : s.name);
  const privateOwner = (s: SymbolInfo) => (isPrivate(owner(s), language) ? 1 : 0);
  const sections = notable.filter((s) => chosen.has(s)).sort((a, b) => privateOwner(a) - privateOwner(b));
  return { sections, left: ranked.slice(most) };
}

/**
 * What an undocumented symbol says of itself, its section's whole summary: a container's members,
 * else its code when short (FALLBACK_LINES), else its first line and what it calls and raises (a
 * textlint trial's 104-line `formatter` was its signature alone).
 */
function selfDescription(s: SymbolInfo, kind: string, code: string, language: Language): string {
  const members = membersLine(s, kind);
  if (members) return members;
  const lines = code.split('\n');
  if (lines.length <= FALLBACK_LINES && code.length <= FALLBACK_CHARS) return codeBlock(code, language);
  const calls = callsLine(code, language);
  return `${codeBlock(lines[0].trim(), language)}${calls ? `\n${calls}` : ''}`;
}

/** "Calls `a` and `b`; raises `E`." of a body (src/code/calls.ts), at most 8 names; none where it calls nothing worth naming. */
function callsLine(code: string, language: Language): string | undefined {
  const { calls, raises } = callsIn(code, language);
  const raised = raises.length ? (language === 'go' ? 'may panic' : `${language === 'python' ? 'raises' : 'throws'} ${nameList(raises, 4)}`) : '';
  const said = [calls.length ? `Calls ${nameList(calls, 8)}` : '', raised].filter(Boolean).join('; ');
  return said && `${said[0].toUpperCase()}${said.slice(1)}.`;
}

/**
 * "Members: `a`, `b` and `c`." of a container, each name once; none for a function (`kind`: as the
 * heading names it), whose children are its locals and its literals' keys (the screenshots'
 * `centroid`: "Members: `sum`, `x` and `y`."; radash's `defer`, a const: "`rethrow` and `rethrow`").
 */
function membersLine(s: SymbolInfo, kind: string): string | undefined {
  const members = FUNCTIONS.has(kind) ? [] : [...new Set((s.children ?? []).filter((c) => !/ callback$|^<function>$|^<unknown>$/.test(c.name)).map((c) => c.name))];
  return members.length ? `Members: ${nameList(members, 12)}.` : undefined;
}

/** Code in a fenced block, marked with its language where known. */
function codeBlock(code: string, language: Language): string {
  return `\`\`\`${language === 'other' ? '' : language}\n${code}\n\`\`\``;
}

/**
 * A symbol's kind as its heading names it. VS Code's TypeScript provider calls an arrow function
 * held by a const, and a type alias, a Variable (a user trial: "Variable `filterIgnoredMessagesOptions`"
 * for a type); the definitions found in the file, or the line itself, say better.
 */
function headingKind(s: SymbolInfo, firstLine: string, defs: readonly Definition[]): string {
  if (s.kind !== 'Variable') return s.kind;
  if (defs.some((d) => d.line === s.startLine && d.kind === 'function')) return 'Function';
  if (/^\s*(?:export\s+)?(?:declare\s+)?type\s+[A-Za-z_$][\w$]*\s*(?:<[^=]*>)?\s*=/.test(firstLine)) return 'Type';
  return s.kind;
}

/**
 * A file's symbols from its definitions (src/code/definitions.ts), for an editor with no symbol
 * provider for its language (Python or Go without their extensions): classes hold their methods.
 */
export function definitionSymbols(path: string, text: string): SymbolInfo[] {
  const language = languageOf(path);
  if (language === 'other') return [];
  const defs = findDefinitions(text, language);
  const lines = text.split('\n');
  // Go's types say what they are on their line: `type Cron struct {`, `type Job interface {`, `type byTime []*Entry`.
  const goType = (line: string) => (/^type\s+\w+(?:\[[^\]]*\])?\s+struct\b/.test(line) ? 'Struct' : /^type\s+\w+(?:\[[^\]]*\])?\s+interface\b/.test(line) ? 'Interface' : 'Type');
  // TypeScript's interfaces, enums and type aliases likewise.
  const tsType = (line: string) => (/^(?:export\s+)?(?:declare\s+)?interface\b/.test(line) ? 'Interface' : /^(?:export\s+)?(?:declare\s+)?(?:const\s+)?enum\b/.test(line) ? 'Enum' : /^(?:export\s+)?(?:declare\s+)?type\b/.test(line) ? 'Type' : 'Class');
  // Rust's, Java's, C's and C++'s by their keyword: `pub trait Array {`, `typedef struct {`, `public enum Color {`.
  const keywordType = (line: string) => {
    const word = /\b(struct|enum|trait|union|interface|record|type|class)\b/.exec(line)?.[1] ?? 'class';
    return word[0].toUpperCase() + word.slice(1);
  };
  const typeKind = (line: string) => (language === 'go' ? goType(line) : language === 'typescript' ? tsType(line) : isCLike(language) ? keywordType(line) : 'Class');
  const kind = (d: Definition) => (d.kind === 'class' ? typeKind(lines[d.line - 1] ?? '') : d.kind === 'function' ? 'Function' : 'Method');
  const classes = defs.filter((d) => d.kind === 'class');
  const within = (d: Definition, c: Definition) => d !== c && c.line < d.line && d.line <= c.endLine;
  // A class's members: its methods, and a class it defines in its body (marshmallow's
  // `URL.RegexMemoizer` was listed among validate.py's own names).
  const inside = (d: Definition, c: Definition) => within(d, c) && (d.owner === c.name || (d.kind === 'class' && !d.owner));
  // A function's own inner functions and classes are part of it (a cachetools trial listed `cached`'s `decorator` and `wrapper`).
  const functions = defs.filter((d) => d.kind !== 'class');
  const nested = (d: Definition) => functions.some((f) => within(d, f));
  return defs
    .filter((d) => !classes.some((c) => inside(d, c)) && !nested(d))
    .map((d) => ({
      // A method outside its type's braces (Go's receivers, `X.prototype.y = function`) keeps its owner's name.
      name: d.owner && d.kind === 'method' ? `${d.owner}.${d.name}` : d.name,
      kind: kind(d),
      startLine: d.line,
      endLine: d.endLine,
      ...(d.kind === 'class' ? { children: [...goFields(d), ...defs.filter((m) => inside(m, d)).map((m) => ({ name: m.name, kind: kind(m), startLine: m.line, endLine: m.endLine }))] } : {}),
    }));

  /** A Go struct's fields, embedded types included: its members (go-cache's `Item`, of two fields: the model wrote "Item is a string representation of the item."). */
  function goFields(d: Definition): SymbolInfo[] {
    if (language !== 'go' || !/^type\s+\w+(?:\[[^\]]*\])?\s+struct\s*\{\s*$/.test(lines[d.line - 1] ?? '')) return [];
    const fields: SymbolInfo[] = [];
    for (let i = d.line; i < d.endLine - 1; i++) {
      const line = lines[i].replace(/\/\/.*$/, '');
      // Only the struct's own level: `a, b int`, `Name Type`, an embedded `*cache` or `sync.Mutex`.
      if (!/^\t\S|^ {1,4}\S/.test(line)) continue;
      const named = /^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+[^\s,]/.exec(line);
      const embedded = /^\s*\*?(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*(?:`[^`]*`)?\s*$/.exec(line);
      for (const name of named ? named[1].split(/\s*,\s*/) : embedded ? [embedded[1]] : []) fields.push({ name, kind: 'Field', startLine: i + 1, endLine: i + 1 });
    }
    return fields;
  }
}

/**
 * "Defines `a`, `b` and `c`." for a file's symbols (at most 12 named, then how many more); '' for
 * none. Public names first: a reader looks for the API (a cachetools trial's list opened on
 * `_DefaultSize` and named four private helpers among its twelve).
 */
export function definesLine(names: readonly string[], most = 12, language = 'other'): string {
  if (!names.length) return '';
  // A name defined twice (a Python redefinition, a duplicate a suggestion left) is named once.
  const unique = [...new Set(names)];
  const ordered = [...unique.filter((n) => !isPrivate(n, language)), ...unique.filter((n) => isPrivate(n, language))];
  return `Defines ${nameList(ordered, most)}.\n`;
}

/** A name for use inside its own module: `_x` anywhere; in Go, one that starts in lower case (`hookLogger`). */
function isPrivate(name: string, language: string): boolean {
  const own = name.slice(name.lastIndexOf('.') + 1);
  return own.startsWith('_') || (language === 'go' && /^[a-z]/.test(own));
}

/** "`a`, `b` and `c`" (at most `most` named, then how many more). */
export function nameList(names: readonly string[], most: number): string {
  const shown = names.slice(0, most).map((n) => `\`${n.replace(/`/g, "'")}\``);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0];
}

/**
 * A line that ends a summary's prose: code (a doctest prompt or a fence: a toml trial's summary went
 * on into a doc's example) or doc-comment markup (a JSDoc or Sphinx tag: a mnemonist trial's
 * overview went on "@param  {any} key   - Key.").
 */
const CODE_START = new RegExp(`^[ \\t]*(?:>>>|\`\`\`|~~~)|${DOC_TAG.source}`, 'm');

/** Whether a summary's text holds a whole paragraph (text, then a blank line, or a line of code): where it ends. */
export function paragraphDone(text: string): boolean {
  return /\S[^]*\n[ \t]*\n/.test(text) || CODE_START.test(text);
}

/**
 * Passes a summary's text on up to its last finished sentence and holds back the rest: the model
 * wraps its lines as doc comments do, and where the next line is not supported or the paragraph
 * ends there, a sentence stays unfinished (a user trial's summary ended "... a function that
 * checks if the"). What was never finished is not shown.
 */
export class WholeSentences {
  private held = '';
  /** Code started: nothing more is prose. */
  private ended = false;
  /** The text passed on so far. */
  shown = '';

  constructor(private readonly onText: (text: string) => void) {}

  push(text: string): void {
    if (this.ended) return;
    this.held += text;
    // Prose only: the text ends where code starts.
    const code = CODE_START.exec(this.held);
    if (code) {
      this.held = this.held.slice(0, code.index);
      this.ended = true;
    }
    let end = 0;
    // A sentence ends at . ! or ? after a word (closing quotes, brackets or markdown marks included)
    // before a space or the end; an ellipsis opening a line (a doctest's "...") ends none.
    for (const m of this.held.matchAll(/(?<=[\p{L}\p{N})\]"'`*_])[.!?]+["'`)\]*_]*(?=\s|$)/gu)) end = m.index + m[0].length;
    if (!end) return;
    const done = this.held.slice(0, end);
    this.held = this.held.slice(end);
    this.shown += done;
    this.onText(done);
  }

  /** What follows the last finished sentence (whitespace when every sentence ended). */
  get unfinished(): string {
    return this.held;
  }
}

/** Symbols worth a line of their own, in document order, with their qualified names. */
export function notableSymbols(symbols: readonly SymbolInfo[]): SymbolInfo[] {
  const out: SymbolInfo[] = [];
  const walk = (list: readonly SymbolInfo[], prefix: string, depth: number) => {
    for (const s of [...list].sort((a, b) => a.startLine - b.startLine)) {
      if (MINOR.has(s.kind) && s.endLine - s.startLine < 3) continue;
      // VS Code's names for anonymous functions ("messages.map() callback", "<function>"): part of the function that holds them.
      if (/ callback$|^<function>$/.test(s.name)) continue;
      // `module.exports = { ... }` is a Variable named <unknown> whose members are the functions (a
      // function's own inner functions stay in its summary).
      const holdsFunctions = !FUNCTIONS.has(s.kind) && s.children?.some((c) => FUNCTIONS.has(c.kind));
      const named = s.name === '<unknown>' ? '' : s.name;
      if (named) out.push({ ...s, name: prefix + named });
      if (depth === 0 && (CONTAINERS.has(s.kind) || holdsFunctions) && s.children) walk(s.children, named ? `${prefix}${named}.` : prefix, 1);
    }
  };
  walk(symbols, '', 0);
  return out;
}

