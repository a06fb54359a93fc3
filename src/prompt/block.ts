import type { Tokenizer } from '../model/tokenizer';
import { snippetPieces, type Snippet } from './file';
import { piecesToIds, type Piece } from './pieces';

export type { Snippet } from './file';

/**
 * The in-window context block before the FIM prompt: each snippet as file.ts's snippetPieces,
 * in the given order (the selection, src/completion/context-block.ts, puts the most relevant last,
 * nearest the cursor).
 */
export function blockPieces(snippets: readonly Snippet[]): Piece[] {
  return snippets.flatMap(snippetPieces);
}

export function blockTokens(tokenizer: Tokenizer, snippets: readonly Snippet[]): number[] {
  return piecesToIds(tokenizer, blockPieces(snippets));
}
