/** The special tokens prompts are written with, and the plain text that stands in when a tokenizer lacks one. */
export const MARKERS = {
  '<|endoftext|>': '\n\n',
  '<|file|>': '\n=== File: ',
  '<|question|>': '\nQuestion: ',
  '<|answer|>': '\nAnswer: ',
  '<|summary|>': '\nSummary:\n',
} as const;

export type Marker = keyof typeof MARKERS;

/** Generation ends where the model starts a new unit (a file, a question, the end of text). */
export const STOP_MARKERS: readonly Marker[] = ['<|endoftext|>', '<|file|>', '<|question|>'];

/** Fill-in-the-middle tokens never belong in an answer or a summary: the model has wandered into code completion. */
export const FIM_TOKENS: readonly string[] = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'];

/** Rewrites markers the tokenizer lacks (`has` says which it has) to their plain-text form. */
export function lowerMarkers(prompt: string, has: (marker: Marker) => boolean): string {
  let out = prompt;
  for (const m of Object.keys(MARKERS) as Marker[]) if (!has(m)) out = out.split(m).join(MARKERS[m]);
  return out;
}

/**
 * Text that goes into a prompt (a question, an earlier answer, a file passage) must not open a
 * special token: tokenizers match `<|name|>` anywhere in the text.
 */
export function defang(text: string): string {
  return text.replace(/<\|/g, '< |');
}

/** Where plain-text stop markers (for markers the tokenizer lacks) first appear in `text`, or -1. */
export function plainStopIndex(text: string, has: (marker: Marker) => boolean): number {
  let at = -1;
  for (const m of STOP_MARKERS) {
    if (has(m)) continue;
    const plain = MARKERS[m].trim() ? MARKERS[m].trimEnd() : '';
    if (!plain) continue;
    const i = text.indexOf(plain);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}
