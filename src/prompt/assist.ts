import { filePieces, snippetPieces, withNewline, type Snippet } from './file';
import { special, text, type Piece } from './pieces';
import { SPECIAL } from './tokens';

/**
 * Q&A and summary prompts, read after the workspace state. The callers (src/qa/prompt.ts,
 * src/summarize/) choose and clip what goes in; this file lays it out.
 */

/** `<|question|>` question\n `<|answer|>` (the model answers from here). */
export function questionPieces(question: string): Piece[] {
  return [special(SPECIAL.question), ...text(`${question.trim()}\n`), special(SPECIAL.answer)];
}

export interface QaLayout {
  /** Earlier turns, oldest first; answers already clipped. */
  readonly history: readonly { readonly question: string; readonly answer: string }[];
  /** Retrieved passages, already within budget. */
  readonly passages: readonly Snippet[];
  readonly question: string;
  /** The answer's first words, written by the caller (the model continues after them). */
  readonly lead?: string;
}

/** Earlier turns, then the passages (file.ts's snippetPieces), then the question, then the answer's lead if any. */
export function qaPieces(q: QaLayout): Piece[] {
  return [
    ...q.history.flatMap((t) => [...questionPieces(t.question), ...text(`${t.answer.trim()}\n`)]),
    ...q.passages.flatMap(snippetPieces),
    ...questionPieces(q.question),
    ...(q.lead ? text(q.lead) : []),
  ];
}

/** `intro`, file.ts's filePieces (header, text), `<|summary|>`: the unit every file or symbol summary prompt is made of. */
export function summaryPieces(header: string, content: string, intro = ''): Piece[] {
  return [...text(intro), ...filePieces(header, withNewline(content)), special(SPECIAL.summary)];
}

/** A folder's summary: a line about it, its key files, `<|summary|>`. */
export function folderSummaryPieces(intro: string, files: readonly { readonly path: string; readonly text: string }[]): Piece[] {
  return [...text(`${intro}\n`), ...files.flatMap((f) => filePieces(f.path, withNewline(f.text))), special(SPECIAL.summary)];
}
