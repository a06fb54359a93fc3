import type { EditedRange } from './pipeline';

/**
 * The line ranges the user changed most recently, newest last, for the context block's "recent"
 * snippets. Each change is the lines between the common head and tail of a file's old and new text.
 */
export class RecentEdits {
  private readonly ranges: EditedRange[] = [];

  constructor(private readonly max = 16) {}

  /** Records the change from `before` to `after` in `path` (nothing when they are equal). */
  record(path: string, before: string, after: string): void {
    const r = editedRange(before, after);
    if (!r) return;
    const i = this.ranges.findIndex((e) => e.path === path && e.startLine <= r.endLine + 1 && r.startLine <= e.endLine + 1);
    // Typing on and on in one place is one edit, not sixteen.
    const merged = i >= 0 ? { path, startLine: Math.min(this.ranges[i].startLine, r.startLine), endLine: Math.max(this.ranges[i].endLine, r.endLine) } : { path, ...r };
    if (i >= 0) this.ranges.splice(i, 1);
    this.ranges.push(merged);
    if (this.ranges.length > this.max) this.ranges.shift();
  }

  forget(path: string): void {
    for (let i = this.ranges.length - 1; i >= 0; i--) if (this.ranges[i].path === path) this.ranges.splice(i, 1);
  }

  list(): readonly EditedRange[] {
    return [...this.ranges];
  }
}

/** The lines of `after` (1-based, inclusive) that differ from `before`; undefined when the texts are equal. */
export function editedRange(before: string, after: string): { startLine: number; endLine: number } | undefined {
  if (before === after) return undefined;
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const startLine = head + 1;
  return { startLine, endLine: Math.max(startLine, b.length - tail) };
}
