// The repository inside the window (issue 14, item 4): per completion request, a bounded block of
// snippets from other files, placed before the FIM prompt (docs: /work/notes/layout.md, BLOCK).
// Four sources, by priority:
//   0. what follows, in other files, a copy of the line above the cursor (continuations.ts);
//   1. definitions of the symbols the current file imports (TS/JS, Python, Go, Rust, Java, C/C++), those used near the
//      cursor first: signature and a bounded body, class-like bodies as their members' signatures (a Go or
//      Rust type's methods, outside its body, are not shown: an outline of them lost 4 of 200 exact lines
//      on cobra at this priority and changed nothing below the similar windows; stop 52);
//   2. the WINDOW-line windows most similar to the lines before the cursor (Jaccard): of other files, and
//      on a GPU (sameFile) two at most of the current file outside what the prompt holds of it (stop 57's
//      H100 runs: setting (c) exact +10 of 1,400 continuing lines, +5 of 969 written from a function's
//      top; on the CPU engine json5 +6 of 200, cxxopts and smallvec +0 of 100 each, and a new place's
//      prompt read again more often: p50 665 -> 1,805 ms on json5);
//   3. recently edited ranges of other files.
// Deduplicated against the prompt's own text near the cursor, each other and identical copies, and
// kept under the token budget. This module chooses snippets; src/prompt formats them.
import { importedDefinitions, type Workspace } from './context-block/imports';
import { definitionText } from './context-block/definition-text';
import { SimilarityIndex, similarIn, tokenSet } from './context-block/similar';
import { LineIndex } from './context-block/continuations';
import { SourceFile, splitLines } from './context-block/source';
// What the prompt itself holds around the cursor (its windows), which the block need not repeat.
import { MAX_PREFIX_CHARS, MAX_SUFFIX_LINES } from '../prompt/fim';

export type SnippetWhy = 'continuation' | 'definition' | 'similar' | 'recent';

export interface ContextSnippet {
  readonly path: string;
  /** 1-based inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** Ends with "\n". A class-like definition longer than the line limit is shown as its members' signatures. */
  readonly text: string;
  readonly why: SnippetWhy;
}

export interface RecentEdit {
  readonly path: string;
  /** 1-based inclusive. */
  readonly startLine: number;
  readonly endLine: number;
}

export interface BlockRequest {
  /** The current document, workspace-relative. */
  readonly path: string;
  readonly text: string;
  /** 0-based, in `text`. */
  readonly cursorLine: number;
  /** The document line `text` starts at, 0-based (a request carries a window of the document): the line numbers of its own snippets. */
  readonly firstLine?: number;
  /**
   * Similar windows of the current document too, outside what the prompt holds of it (default no).
   * They move with the cursor, so the block changes more often and the prompt after it is read
   * again: the pipeline asks for them on a GPU only.
   */
  readonly sameFile?: boolean;
  /** The prompt's window of the document before the cursor's line, in characters (default MAX_PREFIX_CHARS): what it holds needs no snippet. */
  readonly prefixChars?: number;
  /** Workspace-relative path -> text of the other files (the current path, if present, is ignored). */
  readonly files: ReadonlyMap<string, string>;
  /** Oldest first, the most recent last; edits of the current file are ignored. */
  readonly recentEdits?: readonly RecentEdit[];
  /** For the whole block, headers included (see snippetCost). */
  readonly budgetTokens: number;
  /** Pass the same function each time: ContextIndex keeps the counts it made with it. */
  readonly countTokens: (s: string) => number;
  /** Only these sources (default all): a caller checking whether the continuations moved asks for those alone. */
  readonly sources?: readonly SnippetWhy[];
}

/** Lines of a definition shown verbatim; a longer function shows its first lines. */
const DEF_LINES = 20;
/** Lines before the cursor that the similarity query reads (Copilot: the prefix's last lines). */
const QUERY_LINES = 30;
/** Lines around the cursor whose uses of an import count as "near". */
const NEAR_BEFORE = 60;
const NEAR_AFTER = 15;
const SIMILAR_LIMIT = 4;
/** Continuations shown at most, and the lines each shows after its copy of the anchor line. */
const CONTINUATION_LIMIT = 3;
const CONTINUATION_LINES = 8;
const SIMILAR_THRESHOLD = 0.1;
const RECENT_LIMIT = 4;
/** Lines of context added on each side of a recent edit, and the most lines one edit snippet shows. */
const RECENT_PAD = 3;
const RECENT_LINES = 30;
/** A snippet longer than this (a minified file's line, say) is left out before its tokens are counted. */
const MAX_SNIPPET_CHARS = 8000;
/**
 * Each source's distance from the cursor in the block (largest first). Chosen by priority, recent
 * edits come nearer than their priority: a name the user just wrote in another file is what the
 * next lines use, and the window's attention reaches only the block's last part (the prompt after
 * it holds up to BlockRequest.prefixChars of the file).
 */
const PLACE: Record<SnippetWhy, number> = { similar: 3, definition: 2, recent: 1, continuation: 0 };
/** First pass: each source's share of the budget, so one source does not crowd out the others; a second pass fills what is left. */
const SHARES: Record<SnippetWhy, number> = { continuation: 0.15, definition: 0.5, similar: 0.3, recent: 0.2 };

/** What a snippet costs in the window: the file token plus its header line and text (src/prompt/file.ts snippetPieces). */
export function snippetCost(s: Pick<ContextSnippet, 'path' | 'startLine' | 'endLine' | 'text'>, countTokens: (s: string) => number): number {
  return 1 + countTokens(`${s.path}:${s.startLine}-${s.endLine}\n${s.text}`);
}

interface Candidate extends ContextSnippet {
  /** Higher is more relevant, comparable within one `why`. */
  readonly score: number;
  /** Whether `text` is the file's lines startLine..endLine verbatim (so it may be trimmed to a sub-range). */
  readonly verbatim: boolean;
}

/** Per-file indexes kept between requests: update/delete as files change, block() per request. */
export class ContextIndex implements Workspace {
  private readonly files = new Map<string, SourceFile>();
  private readonly similar = new SimilarityIndex();
  private readonly lineIndex = new LineIndex();
  private goDirs?: Map<string, string[]>;
  private byName?: Map<string, string[]>;
  private goMods?: { dir: string; module: string }[];
  /** Token counts of snippets, for the countTokens they were counted with. */
  private readonly costs = new Map<string, number>();
  private costsBy?: (s: string) => number;

  constructor(files?: Iterable<readonly [string, string]>) {
    if (files) for (const [p, t] of files) this.update(p, t);
  }

  get size(): number {
    return this.files.size;
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  update(path: string, text: string): void {
    if (this.files.get(path)?.text === text) return;
    if (!this.files.has(path)) this.byName = undefined;
    const src = new SourceFile(path, text);
    this.files.set(path, src);
    this.similar.add(path, text);
    this.lineIndex.add(path, text);
    this.goDirs = undefined;
    if (path === 'go.mod' || path.endsWith('/go.mod')) this.goMods = undefined;
  }

  delete(path: string): void {
    if (!this.files.delete(path)) return;
    this.byName = undefined;
    this.similar.remove(path);
    this.lineIndex.remove(path);
    this.goDirs = undefined;
    if (path === 'go.mod' || path.endsWith('/go.mod')) this.goMods = undefined;
  }

  source(path: string): SourceFile | undefined {
    return this.files.get(path);
  }

  goPackageFiles(dir: string): readonly string[] {
    if (!this.goDirs) {
      this.goDirs = new Map();
      for (const p of this.files.keys()) {
        if (!p.endsWith('.go') || p.endsWith('_test.go')) continue;
        const d = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
        const list = this.goDirs.get(d) ?? [];
        list.push(p);
        this.goDirs.set(d, list);
      }
      for (const list of this.goDirs.values()) list.sort();
    }
    return this.goDirs.get(dir) ?? [];
  }

  filesNamed(name: string): readonly string[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const p of this.files.keys()) {
        const base = p.slice(p.lastIndexOf('/') + 1);
        const list = this.byName.get(base) ?? [];
        list.push(p);
        this.byName.set(base, list);
      }
    }
    return this.byName.get(name) ?? [];
  }

  goModules(): readonly { dir: string; module: string }[] {
    if (!this.goMods) {
      this.goMods = [];
      for (const [p, f] of this.files) {
        if (p !== 'go.mod' && !p.endsWith('/go.mod')) continue;
        const module = /^module\s+(\S+)/m.exec(f.text)?.[1];
        if (module) this.goMods.push({ dir: p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '', module });
      }
    }
    return this.goMods;
  }

  /** The block for one request: least relevant first, the nearest to the cursor last (PLACE). */
  block(req: Omit<BlockRequest, 'files'>): ContextSnippet[] {
    const current = new SourceFile(req.path, req.text);
    const cursor = Math.max(0, Math.min(req.cursorLine, current.lines.length - 1));
    const held = promptRange(current.lines, cursor, req.prefixChars ?? MAX_PREFIX_CHARS);
    const want = (why: SnippetWhy) => !req.sources || req.sources.includes(why);
    const candidates = [
      ...(want('continuation') ? this.continuations(current, cursor) : []),
      ...(want('definition') ? this.definitions(current, cursor) : []),
      ...(want('similar') ? this.similarWindows(current, cursor, req.sameFile ? { held, firstLine: req.firstLine ?? 0 } : undefined) : []),
      ...(want('recent') ? this.recent(req.path, req.recentEdits ?? []) : []),
    ];
    return this.choose(candidates, promptLines(current.lines, held), req.budgetTokens, req.countTokens);
  }

  private continuations(current: SourceFile, cursor: number): Candidate[] {
    return this.lineIndex.find(current.path, current.lines, cursor, CONTINUATION_LIMIT, (p) => this.files.get(p)!.lines).map((c) => {
      const src = this.files.get(c.path)!;
      const end = Math.min(src.lines.length - 1, c.line + CONTINUATION_LINES);
      return { path: c.path, startLine: c.line + 1, endLine: end + 1, text: lines(src, c.line, end), why: 'continuation', score: c.matched, verbatim: true };
    });
  }

  private definitions(current: SourceFile, cursor: number): Candidate[] {
    if (current.lang === 'other') return [];
    const out: Candidate[] = [];
    for (const { path, def, uses } of importedDefinitions(this, current)) {
      const src = this.files.get(path)!;
      const { start, end, text } = definitionText(src.lines, src.shape, src.lang, def, DEF_LINES);
      out.push({ path, startLine: start + 1, endLine: end + 1, text, why: 'definition', score: useScore(uses, cursor), verbatim: text === lines(src, start, end) });
    }
    return out;
  }

  /** With `own`, the document's windows too, outside the lines the prompt holds, numbered from `firstLine` (BlockRequest.sameFile). */
  private similarWindows(current: SourceFile, cursor: number, own?: { held: { first: number; last: number }; firstLine: number }): Candidate[] {
    const tokens = tokenSet(current.lines.slice(Math.max(0, cursor - QUERY_LINES), cursor + 1).join('\n'));
    const hits = this.similar.query(tokens, { exclude: current.path, limit: SIMILAR_LIMIT * 2, threshold: SIMILAR_THRESHOLD, perFile: 2 });
    const out: Candidate[] = hits.map((h) => {
      const src = this.files.get(h.path)!;
      return { path: h.path, startLine: h.start + 1, endLine: h.end + 1, text: lines(src, h.start, h.end), why: 'similar', score: h.score, verbatim: true };
    });
    if (!own) return out;
    const { held: { first, last }, firstLine } = own;
    for (const h of similarIn(current.text, tokens, { limit: 2, threshold: SIMILAR_THRESHOLD, skip: (s, e) => s <= last && first <= e })) {
      out.push({ path: current.path, startLine: firstLine + h.start + 1, endLine: firstLine + h.end + 1, text: lines(current, h.start, h.end), why: 'similar', score: h.score, verbatim: true });
    }
    return out;
  }

  private recent(currentPath: string, edits: readonly RecentEdit[]): Candidate[] {
    const out: Candidate[] = [];
    for (let i = edits.length - 1; i >= 0 && out.length < RECENT_LIMIT; i--) {
      const e = edits[i];
      const src = this.files.get(e.path);
      if (!src || e.path === currentPath || !src.lines.length) continue;
      const n = src.lines.length;
      const s = Math.max(0, Math.min(e.startLine, e.endLine) - 1 - RECENT_PAD);
      let t = Math.min(n - 1, Math.max(e.startLine, e.endLine) - 1 + RECENT_PAD);
      if (s > n - 1) continue;
      t = Math.min(t, s + RECENT_LINES - 1);
      // A later edit of the same place already stands for this one.
      if (out.some((o) => o.path === e.path && o.startLine - 1 <= t && s <= o.endLine - 1)) continue;
      out.push({ path: e.path, startLine: s + 1, endLine: t + 1, text: lines(src, s, t), why: 'recent', score: i, verbatim: true });
    }
    return out;
  }

  /** Budget, dedup and order. */
  private choose(candidates: Candidate[], promptHeld: ReadonlySet<string>, budget: number, countTokens: (s: string) => number): ContextSnippet[] {
    const rank: Record<SnippetWhy, number> = { continuation: 0, definition: 1, similar: 2, recent: 3 };
    candidates.sort((a, b) => rank[a.why] - rank[b.why] || b.score - a.score || a.path.localeCompare(b.path) || a.startLine - b.startLine);
    const chosen: Candidate[] = [];
    const seenText = new Set<string>();
    const spent: Record<SnippetWhy, number> = { continuation: 0, definition: 0, similar: 0, recent: 0 };
    let total = 0;
    if (countTokens !== this.costsBy) {
      this.costs.clear();
      this.costsBy = countTokens;
    }
    const cost = (c: ContextSnippet) => {
      const key = `${c.path}:${c.startLine}-${c.endLine}\n${c.text}`;
      let n = this.costs.get(key);
      if (n === undefined) {
        if (this.costs.size > 4096) this.costs.clear();
        this.costs.set(key, (n = snippetCost(c, countTokens)));
      }
      return n;
    };
    const consider = (c0: Candidate, limit: number): boolean => {
      const c = this.withoutOverlap(c0, chosen);
      if (!c) return true;
      if (c.text.length > MAX_SNIPPET_CHARS) return true;
      const norm = c.text.replace(/\s+/g, ' ').trim();
      if (seenText.has(norm) || heldByPrompt(c.text, promptHeld)) return true;
      const n = cost(c);
      if (total + n > budget || spent[c.why] + n > limit) return false;
      total += n;
      spent[c.why] += n;
      seenText.add(norm);
      chosen.push(c);
      return true;
    };
    // First pass within each source's share, then the rest of the budget in priority order.
    let rest = candidates.filter((c) => !consider(c, SHARES[c.why] * budget));
    rest = rest.filter((c) => !consider(c, Infinity));
    // Least relevant first, the nearest to the cursor last: similar windows, definitions, recent edits,
    // continuations; within each, by score (the latest edit nearest).
    chosen.sort((a, b) => PLACE[b.why] - PLACE[a.why] || a.score - b.score || a.path.localeCompare(b.path) || a.startLine - b.startLine);
    return chosen.map(({ path, startLine, endLine, text, why }) => ({ path, startLine, endLine, text, why }));
  }

  /** `c`, or (verbatim snippets only) its longest part not overlapping a chosen verbatim snippet of the same file, or undefined. */
  private withoutOverlap(c: Candidate, chosen: readonly Candidate[]): Candidate | undefined {
    // A definition shown as its members' signatures leaves the bodies out, so it does not hide them.
    const taken = chosen.filter((o) => o.path === c.path && o.verbatim && o.startLine <= c.endLine && c.startLine <= o.endLine);
    if (!taken.length) return c;
    if (!c.verbatim) return undefined;
    let best: [number, number] | undefined;
    let s = c.startLine;
    for (const o of [...taken].sort((a, b) => a.startLine - b.startLine)) {
      if (o.startLine - 1 >= s && (!best || o.startLine - 1 - s > best[1] - best[0])) best = [s, o.startLine - 1];
      s = Math.max(s, o.endLine + 1);
    }
    if (c.endLine >= s && (!best || c.endLine - s > best[1] - best[0])) best = [s, c.endLine];
    // A remnant of a window says little; a remnant of an edit is still the edit.
    if (!best || best[1] - best[0] + 1 < (c.why === 'recent' ? 1 : 4)) return undefined;
    const src = this.files.get(c.path)!;
    return { ...c, startLine: best[0], endLine: best[1], text: lines(src, best[0] - 1, best[1] - 1) };
  }
}

/**
 * The block for one request, functional form. Keeps a ContextIndex per `files` Map (re-synced by
 * string identity on each call), so repeated calls with the same Map are cheap.
 */
export function buildContextBlock(req: BlockRequest): ContextSnippet[] {
  let index = indexes.get(req.files);
  if (!index) indexes.set(req.files, (index = new ContextIndex()));
  for (const [p, t] of req.files) if (index.text(p) !== t) index.update(p, t);
  if (index.size !== req.files.size) for (const p of [...index.paths()]) if (!req.files.has(p)) index.delete(p);
  return index.block(req);
}
const indexes = new WeakMap<ReadonlyMap<string, string>, ContextIndex>();

/** How much an imported definition matters here: used near the cursor (nearer is better) > used elsewhere > only imported. */
function useScore(uses: readonly number[], cursor: number): number {
  let near = Infinity;
  let any = Infinity;
  for (const u of uses) {
    const d = Math.abs(u - cursor);
    any = Math.min(any, d);
    if (u >= cursor - NEAR_BEFORE && u <= cursor + NEAR_AFTER) near = Math.min(near, d);
  }
  if (near < Infinity) return 2 + 1 / (1 + near) + Math.min(uses.length, 20) / 1000;
  if (any < Infinity) return 1 + 1 / (1 + any);
  return 0;
}

function lines(src: SourceFile, start: number, end: number): string {
  return src.lines.slice(start, end + 1).join('\n') + '\n';
}

/** The 0-based lines of the current document the FIM prompt holds: its window before the cursor, the cursor's line, its suffix. */
function promptRange(doc: readonly string[], cursor: number, prefixChars: number): { first: number; last: number } {
  let chars = 0;
  let i = cursor;
  for (; i >= 0 && chars <= prefixChars; i--) chars += doc[i].length + 1;
  return { first: i + 1, last: Math.min(doc.length - 1, cursor + MAX_SUFFIX_LINES) };
}

/** Normalized lines of the current document that the FIM prompt itself holds (promptRange). */
function promptLines(doc: readonly string[], { first, last }: { first: number; last: number }): Set<string> {
  return new Set(doc.slice(first, last + 1).map((l) => l.trim()));
}

/** Whether most of a snippet's substantive lines already stand in the prompt. */
function heldByPrompt(text: string, held: ReadonlySet<string>): boolean {
  const meaningful = splitLines(text).map((l) => l.trim()).filter((l) => l.length > 3 && /[A-Za-z_]/.test(l));
  if (!meaningful.length) return true;
  return meaningful.filter((l) => held.has(l)).length >= 0.8 * meaningful.length;
}
