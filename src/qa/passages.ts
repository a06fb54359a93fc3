/** A window of a file's lines (1-based, inclusive). */
export interface Passage {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

export interface SplitOptions {
  /** Lines per passage. */
  readonly lines?: number;
  /** Lines each passage shares with the next, so an answer across a boundary is whole in one. */
  readonly overlap?: number;
}

/** Overlapping windows of lines; a short file is one passage. */
export function splitPassages(path: string, text: string, o: SplitOptions = {}): Passage[] {
  const size = Math.max(1, o.lines ?? 40);
  const step = Math.max(1, size - Math.min(o.overlap ?? 10, size - 1));
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const out: Passage[] = [];
  for (let start = 0; ; start += step) {
    const end = Math.min(lines.length, start + size);
    out.push({ path, startLine: start + 1, endLine: Math.max(start + 1, end), text: lines.slice(start, end).join('\n') });
    if (end >= lines.length) break;
  }
  return out;
}
