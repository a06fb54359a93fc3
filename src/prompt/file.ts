import type { Tokenizer } from '../model/tokenizer';
import { special, text, type Piece } from './pieces';
import { SPECIAL, encodeText } from './tokens';

/** A workspace file: the file token (SPECIAL.file) + path + newline + content, one text piece (the unit the context streams and snapshots). */
export function filePieces(path: string, content: string): Piece[] {
  return [special(SPECIAL.file), ...text(`${path}\n${content}`)];
}

/** The file token + path + newline: a file's head, where its text (or a FIM prefix marker) follows. */
export function fileHeadPieces(path: string): Piece[] {
  return [special(SPECIAL.file), ...text(`${path}\n`)];
}

/** filePieces as ids. A tokenizer without the file token (an old model) reads the text alone. */
export function fileTokens(tokenizer: Tokenizer, path: string, content: string): Uint32Array {
  const fileId = tokenizer.specialId(SPECIAL.file);
  const body = encodeText(tokenizer, `${path}\n${content}`);
  const out = new Uint32Array(body.length + (fileId === undefined ? 0 : 1));
  let o = 0;
  if (fileId !== undefined) out[o++] = fileId;
  out.set(body, o);
  return out;
}

/** A part of a file: `path:start-end`, 1-based inclusive line numbers. */
export function snippetHeader(path: string, startLine: number, endLine: number): string {
  return `${path}:${startLine}-${endLine}`;
}

export interface Snippet {
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

/** The file token + `path:start-end` + newline + text (ending with a newline): a snippet in a completion block or a Q&A prompt. */
export function snippetPieces(s: Snippet): Piece[] {
  return [special(SPECIAL.file), ...text(`${snippetHeader(s.path, s.startLine, s.endLine)}\n${withNewline(s.text)}`)];
}

export function withNewline(s: string): string {
  return s === '' || s.endsWith('\n') ? s : `${s}\n`;
}
