/**
 * Line ends as the model reads them. Training turned every "\r\n" into "\n" (training/corpus.py), so
 * a CRLF file's "\r" is a token the model never saw before a line break: in a trial on Debian's
 * tabulate.py (CRLF), where the file's pattern asked for `fmt = "{0:^%ds}" % width`, the model wrote
 * `fmt = "{0:<%ds}" % width).__name__`, unsure enough that nothing was shown. Text bound for the model
 * (workspace files, unsaved editor text, a completion's windows, a summary's file) passes through
 * modelText, and so does what the model writes (postprocess.ts); line numbers stay the same, and only
 * a line's end changes.
 */

/** `text` with every line ending in "\n" ("\r\n" and a lone "\r" alike). */
export function modelText(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * A completion's windows of a document as the model reads them: `prefix` and `suffix` with "\n" line
 * ends, and where the prefix starts counted in that text (a CRLF document's offset less one for each
 * line break before it: `prefixLine`, the line the prefix starts on). `crlf`: the document's lines end
 * in "\r\n" (an editor keeps one line end per document).
 */
export function modelWindows(prefix: string, suffix: string, prefixOffset: number, prefixLine: number, crlf: boolean): { prefix: string; suffix: string; prefixOffset: number } {
  if (!crlf) return { prefix, suffix, prefixOffset };
  return { prefix: modelText(prefix), suffix: modelText(suffix), prefixOffset: prefixOffset - prefixLine };
}

/** A suggestion written for the model's "\n" in the document's own line ends (what Tab inserts and typing is compared with). */
export function documentText(text: string, crlf: boolean): string {
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}
