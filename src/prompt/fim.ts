import type { Tokenizer } from '../model/tokenizer';
import { piecesToIds, special, text, type Piece } from './pieces';
import { cutAtLineEnd, lastLinesStart } from './stop';
import { fileHeadPieces } from './file';
import { SPECIAL } from './tokens';

/**
 * The FIM prompt (layout v2), after the workspace state and the context block:
 *   fileHeadPieces(path) <|fim_prefix|> linesBefore <|fim_suffix|> suffix <|fim_middle|> lineHead
 * Typing on a line appends to lineHead only; an auto-closed bracket changes only the suffix (the
 * tail is re-run, then lineHead); Enter or a move resumes from a line start inside linesBefore.
 */
export interface FimInput {
  readonly path: string;
  /** The document before the start of the cursor's line, windowed (windowStart). */
  readonly linesBefore: string;
  /** The cursor's line before the cursor, indentation included. */
  readonly lineHead: string;
  /** After the cursor, cut (cutSuffix). */
  readonly suffix: string;
}

export const MAX_PREFIX_CHARS = 6000;
/**
 * What a completion request carries of the document around the cursor (the editor's windows, which
 * `samba eval` cuts alike): the prompt reads MAX_PREFIX_CHARS of it; the block's windows of the file
 * and the repository's lines read all of it.
 */
export const REQUEST_BEFORE_CHARS = 100_000;
export const REQUEST_AFTER_CHARS = 50_000;
export const MAX_SUFFIX_CHARS = 600;
export const MAX_SUFFIX_LINES = 10;

export interface SplitOptions {
  readonly maxPrefixChars?: number;
  /** Where the previous request's window started in the same linesBefore: kept while it fits 1.5x. */
  readonly windowStart?: number;
}

/** The document around the cursor (`before`, `after`: all of its text on each side) as FIM input. */
export function splitCursor(path: string, before: string, after: string, o: SplitOptions = {}): FimInput & { windowStart: number } {
  const lineStart = before.lastIndexOf('\n') + 1;
  const lines = before.slice(0, lineStart);
  const start = windowStart(lines, o.windowStart, o.maxPrefixChars ?? MAX_PREFIX_CHARS);
  return { path, linesBefore: lines.slice(start), lineHead: before.slice(lineStart), suffix: cutSuffix(after), windowStart: start };
}

/**
 * Where linesBefore's window starts: its last whole lines within maxChars, except that a previous
 * start stays put while it is a line start and the window fits 1.5x (so typing keeps reusing state).
 */
export function windowStart(linesBefore: string, previous: number | undefined, maxChars = MAX_PREFIX_CHARS): number {
  const s = previous;
  if (s !== undefined && s <= linesBefore.length && (s === 0 || linesBefore[s - 1] === '\n') && linesBefore.length - s <= maxChars * 1.5) return s;
  return lastLinesStart(linesBefore, maxChars);
}

/** The rest of the cursor's line and the following lines: at most 10 lines and 600 characters, cut at a line end. */
export function cutSuffix(after: string, maxChars = MAX_SUFFIX_CHARS, maxLines = MAX_SUFFIX_LINES): string {
  return cutAtLineEnd(after, maxChars, maxLines);
}

/**
 * How the completion prompt is laid out after the block:
 *   prefix: fileHeadPieces(path) linesBefore lineHead, the file up to the cursor as the model reads files
 *           (the suffix only guides post-processing);
 *   fim:    the FIM layout above.
 * The default model completes the next line far better from the prefix alone (H200, 1,400 held-out
 * lines: exact 14.0% against 0.9%, edit similarity 39.5% against 19.3%; bench/RESULTS.md), so the
 * default is prefix; fim stays for models trained to use the suffix.
 */
export type PromptLayout = 'prefix' | 'fim';
export const DEFAULT_LAYOUT: PromptLayout = 'prefix';

/** The prompt's four parts as pieces and texts, for a session that caches state at their boundaries. */
export interface PromptParts {
  readonly head: Piece[];
  readonly linesBefore: string;
  readonly tail: Piece[];
  readonly lineHead: string;
}

/**
 * The parts of `layout`. In prefix, the whitespace that ends linesBefore (its last newline, and blank
 * lines before it) starts lineHead instead, so the cursor's line is encoded as in a file: byte-level
 * BPE gives a whole whitespace run before text as one piece ("\n\n   " + " foo", not "\n" +
 * "\n    " + "foo").
 */
export function promptParts(layout: PromptLayout, input: FimInput): PromptParts {
  if (layout === 'fim') return { head: fimHeadPieces(input.path), linesBefore: input.linesBefore, tail: fimTailPieces(input.suffix), lineHead: input.lineHead };
  const cut = input.linesBefore.trimEnd().length;
  return {
    head: fileHeadPieces(input.path),
    linesBefore: input.linesBefore.slice(0, cut),
    tail: [],
    lineHead: input.linesBefore.slice(cut) + input.lineHead,
  };
}

/** fileHeadPieces(path) `<|fim_prefix|>`: fixed while the cursor stays in the file. */
export function fimHeadPieces(path: string): Piece[] {
  return [...fileHeadPieces(path), special(SPECIAL.fimPrefix)];
}

/** `<|fim_suffix|>` suffix `<|fim_middle|>`. */
export function fimTailPieces(suffix: string): Piece[] {
  return [special(SPECIAL.fimSuffix), ...text(suffix), special(SPECIAL.fimMiddle)];
}

export function fimPieces(input: FimInput): Piece[] {
  return [...fimHeadPieces(input.path), ...text(input.linesBefore), ...fimTailPieces(input.suffix), ...text(input.lineHead)];
}

export function fimTokens(tokenizer: Tokenizer, input: FimInput): number[] {
  return piecesToIds(tokenizer, fimPieces(input));
}
