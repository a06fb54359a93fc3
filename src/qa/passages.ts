import { findDefinitions } from '../code/definitions';
import { languageOf } from '../code/language';

/** A window of a file's lines (1-based, inclusive). */
export interface Passage {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  /** Names whose definition starts in it (`Owner.method` for a method), which BM25 weighs above the other words, with their signature's line. */
  readonly symbols?: readonly PassageSymbol[];
  /** For a passage where no definition starts (a later window of a long one): the definition it lies in, and its signature line. */
  readonly within?: { readonly name: string; readonly line: number; readonly signature: string };
}

export interface PassageSymbol {
  readonly name: string;
  /** 1-based line of the signature in the file. */
  readonly line: number;
  /** 1-based last line of its definition. */
  readonly endLine?: number;
  /** Its doc comment's first paragraph (src/code/definitions.ts), if it has one. */
  readonly doc?: string;
  /** The doc's later paragraphs of prose (src/code/definitions.ts), if it has any. */
  readonly docMore?: readonly string[];
  /** A type (class, interface, struct), or code that runs (a function or method). */
  readonly kind: 'type' | 'code';
  /** A Python definition's first line after its docstring (src/code/definitions.ts), if it has one. */
  readonly codeLine?: number;
}

export interface SplitOptions {
  /** Most lines per passage. */
  readonly lines?: number;
  /** Lines each window shares with the next where a file (or one long definition) is cut into windows. */
  readonly overlap?: number;
  /** Consecutive short definitions are joined into one passage up to this many lines (small passages: more places fit the prompt). */
  readonly joinLines?: number;
}

/**
 * A file's passages. Code (src/code/language.ts's languages) is cut where definitions start
 * (their doc comment included), consecutive short definitions joined up to the size, so a function
 * and its body are one passage that starts at its doc comment (as training's Q&A examples cut
 * them), and a question about it cites the lines that answer it rather than a window that ends at
 * its signature; consecutive short definitions are joined up to `joinLines`, and a definition
 * longer than the size is cut into windows from its start. Other text is cut into overlapping windows.
 */
export function splitPassages(path: string, text: string, o: SplitOptions = {}): Passage[] {
  const size = Math.max(1, o.lines ?? 40);
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const language = languageOf(path);
  const defs = language === 'other' ? [] : findDefinitions(lines.join('\n'), language);
  // Segment starts (0-based): the file's start and every definition's doc comment, but for
  // definitions inside the body of a function short enough to be one passage (a helper closure
  // stays with the function that holds it; a plugin written as one long function is still cut).
  const bodies = defs.filter((d) => d.kind !== 'class' && d.endLine - d.docLine < size);
  const outer = defs.filter((d) => !bodies.some((f) => f !== d && f.line < d.line && d.line <= f.endLine));
  const starts = [...new Set([0, ...outer.map((d) => d.docLine - 1)])].filter((s) => s >= 0 && s < lines.length).sort((a, b) => a - b);
  const join = Math.max(1, o.joinLines ?? 20);
  const ranges: [number, number][] = [];
  let chunk: [number, number] | undefined;
  for (const [k, s] of starts.entries()) {
    const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
    if (chunk && end - chunk[0] <= join) {
      chunk[1] = end;
      continue;
    }
    if (chunk) ranges.push(chunk);
    if (end - s <= size) chunk = [s, end];
    else {
      ranges.push(...windows(s, end, size, o.overlap ?? 10));
      chunk = undefined;
    }
  }
  if (chunk) ranges.push(chunk);
  const named = (d: (typeof defs)[number]) => (d.owner ? `${d.owner}.${d.name}` : d.name);
  return ranges.map(([s, e]) => {
    const symbols = outer.filter((d) => d.line - 1 >= s && d.line - 1 < e).map((d) => ({ name: named(d), line: d.line, endLine: d.endLine, ...(d.doc ? { doc: d.doc } : {}), ...(d.docMore ? { docMore: d.docMore } : {}), kind: d.kind === 'class' ? ('type' as const) : ('code' as const), ...(d.codeLine ? { codeLine: d.codeLine } : {}) }));
    // The innermost definition holding the passage's first line (the last to start before it).
    const holder = symbols.length ? undefined : defs.filter((d) => d.line - 1 < s && d.endLine > s).at(-1);
    const within = holder && { name: named(holder), line: holder.line, signature: lines[holder.line - 1] };
    return { path, startLine: s + 1, endLine: Math.max(s + 1, e), text: lines.slice(s, e).join('\n'), ...(symbols.length ? { symbols } : {}), ...(within ? { within } : {}) };
  });
}

/** Overlapping windows of lines [from, to) (0-based, end exclusive); at least one. */
function windows(from: number, to: number, size: number, overlap: number): [number, number][] {
  const step = Math.max(1, size - Math.min(overlap, size - 1));
  const out: [number, number][] = [];
  for (let start = from; ; start += step) {
    const end = Math.min(to, start + size);
    out.push([start, end]);
    if (end >= to) break;
  }
  return out;
}
