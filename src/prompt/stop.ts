import type { Tokenizer } from '../model/tokenizer';
import { PLAIN_STAND_IN, SPECIAL, SPECIAL_NAMES, hasSpecial } from './tokens';

/**
 * Every special token ends generation: each one opens a new unit of the format (a file, a FIM
 * section, a question, a summary) or ends the text, and none belongs inside generated text.
 */
export function stopIds(tokenizer: Tokenizer): number[] {
  return SPECIAL_NAMES.map((s) => tokenizer.specialId(s)).filter((id): id is number => id !== undefined);
}

/** Stops of an inline completion (and of `samba generate`, `samba eval`). */
export const completionStopIds = stopIds;
/** Stops of a Q&A answer or a summary. */
export const answerStopIds = stopIds;

/**
 * Whether a generated token ends the line it is on: one of `stop`, or a token whose text holds a line
 * break (a candidate line, and a suggestion's line as its score counts it, end before it).
 */
export function lineEnder(tokenizer: Tokenizer, stop: readonly number[] = completionStopIds(tokenizer)): (id: number) => boolean {
  return (id) => stop.includes(id) || tokenizer.decode([id]).includes('\n');
}

/**
 * Where the plain-text stand-in of a stop token the tokenizer lacks (a file, a question: see
 * PLAIN_STAND_IN) first appears in generated `text`, or -1.
 */
export function plainStopIndex(text: string, tokenizer: Tokenizer): number {
  let at = -1;
  for (const m of SPECIAL_NAMES) {
    if (hasSpecial(tokenizer, m)) continue;
    const plain = PLAIN_STAND_IN[m].trimEnd();
    if (!plain.trim() || m === SPECIAL.answer || m === SPECIAL.summary) continue;
    const i = text.indexOf(plain);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/**
 * THE rule for cutting text at a line end: the start of `text` in whole lines (each with its
 * newline) within `maxChars` characters and `maxLines` lines; when not even the first line fits,
 * its first `maxChars` characters.
 */
export function cutAtLineEnd(text: string, maxChars: number, maxLines = Infinity): string {
  let end = 0;
  for (let lines = 0; lines < maxLines && end < text.length; lines++) {
    const nl = text.indexOf('\n', end);
    const next = nl < 0 ? text.length : nl + 1;
    if (next > maxChars) break;
    end = next;
  }
  return end > 0 ? text.slice(0, end) : text.slice(0, maxChars);
}

/** The same rule from the end: where the last whole lines of `text` within `maxChars` start. */
export function lastLinesStart(text: string, maxChars: number): number {
  if (text.length <= maxChars) return 0;
  const nl = text.indexOf('\n', text.length - maxChars - 1);
  return nl < 0 || nl + 1 >= text.length ? text.length - maxChars : nl + 1;
}
