import { blockPieces, fimPieces, filePieces, qaPieces, splitCursor, summaryPieces, type Piece, type QaLayout, type Snippet } from '../../src/prompt';

/**
 * The pieces of a golden case (test/fixtures/prompt-golden.json) from its "input", through the
 * extension's own functions. training/'s Python tests build the same from the same inputs:
 *   file:     { path, text }                          -> filePieces
 *   fim:      { path, before, after, windowStart? }   -> fimPieces(splitCursor(...)) (before/after: the
 *             whole document on each side of the cursor; windowStart: the previous request's window)
 *   block:    { snippets: [{ path, startLine, endLine, text }] }  -> blockPieces
 *   summary:  { header, text, intro }                 -> summaryPieces
 *   question: { history: [{question, answer}], passages: [snippet], question }  -> qaPieces
 */
export type GoldenCase =
  | { name: string; kind: 'file'; input: { path: string; text: string } }
  | { name: string; kind: 'fim'; input: { path: string; before: string; after: string; windowStart?: number } }
  | { name: string; kind: 'block'; input: { snippets: Snippet[] } }
  | { name: string; kind: 'summary'; input: { header: string; text: string; intro: string } }
  | { name: string; kind: 'question'; input: QaLayout };

export function goldenPieces(c: GoldenCase): Piece[] {
  switch (c.kind) {
    case 'file':
      return filePieces(c.input.path, c.input.text);
    case 'fim':
      return fimPieces(splitCursor(c.input.path, c.input.before, c.input.after, { windowStart: c.input.windowStart }));
    case 'block':
      return blockPieces(c.input.snippets);
    case 'summary':
      return summaryPieces(c.input.header, c.input.text, c.input.intro);
    case 'question':
      return qaPieces(c.input);
  }
}
