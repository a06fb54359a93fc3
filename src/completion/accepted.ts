/** How far from where a suggestion was typed over the same one stays unwanted, in lines. */
const PASSED_OVER_LINES = 12;
/** Typed-over suggestions kept per document. */
const PASSED_OVER_KEPT = 8;

/**
 * Which suggestion the editor accepted whole, and which it typed over. A suggestion runs to the end
 * of its line, so after Tab the line is what the model meant it to be: a second suggestion glued
 * onto it is junk (user trials on the H200, right after Tab: `{[key]: value}} = ...` after
 * `for (...) {`, `n(...)` after `= true`, `, []` after `section_list = []`). The next suggestion
 * waits for a new line. One the user typed something else over is not offered again within
 * PASSED_OVER_LINES: writing a function as a user, `acc.push(a)` came back at three lines of
 * radash's `fork` and `fmt.Fprintf(s, "%+v\n", w.Cause())` at two of pkg/errors' `Format`, wrong
 * each time.
 */
export class AcceptedSuggestions {
  /** Per document: the suggestion last shown, at its offset (`full`: all of it, when the rest is being typed through; `line`: where it was offered). */
  private readonly shown = new Map<string, { offset: number; text: string; full: string; line: number }>();
  /** Per document: the first lines of suggestions typed over, the latest last. */
  private readonly passed = new Map<string, { text: string; line: number }[]>();
  /** Per document: where the text of a suggestion just accepted ends. */
  private readonly ends = new Map<string, number>();
  /** This session: suggestions offered (the rest of one being typed through is the same one) and taken to their end. */
  private readonly counts = { offered: 0, taken: 0 };

  /** The editor was given `text` to show at `offset`, on line `line`. */
  show(doc: string, offset: number, text: string, line: number): void {
    const s = this.shown.get(doc);
    const same = s && s.offset === offset && s.text === text;
    if (!same) this.counts.offered++;
    this.shown.set(doc, same ? s : { offset, text, full: text, line });
  }

  /**
   * Whether a suggestion with `text`'s first line was typed over within PASSED_OVER_LINES of `line`.
   * Short ones (`return`, `break`) come back: pkg/errors' `return`, typed over one line, was right
   * on the next.
   */
  passedOver(doc: string, line: number, text: string): boolean {
    const t = firstLine(text);
    if (t.replace(/\s/g, '').length < 8) return false;
    return (this.passed.get(doc) ?? []).some((p) => p.text === t && Math.abs(p.line - line) <= PASSED_OVER_LINES);
  }

  /** How many suggestions were offered this session, and how many were taken whole (Tab, or typed through to the end). */
  tally(): { readonly offered: number; readonly taken: number } {
    return { ...this.counts };
  }

  /**
   * The document changed. One insert of the shown text at its place is an accept; of its start,
   * typing through it (the editor keeps showing the rest); anything else ends both. Whether it took
   * the suggestion to its end.
   */
  edited(doc: string, changes: readonly { readonly offset: number; readonly removed: number; readonly text: string }[]): boolean {
    const s = this.shown.get(doc);
    this.shown.delete(doc);
    this.ends.delete(doc);
    const [c] = changes;
    if (!s || changes.length !== 1 || c.removed !== 0 || c.offset !== s.offset || c.text === '' || !s.text.startsWith(c.text)) {
      // Something else typed where it stood: typed over.
      if (s && changes.some((x) => x.offset === s.offset && x.removed === 0 && x.text.trim() !== '')) this.typedOver(doc, s.full, s.line);
      return false;
    }
    if (c.text !== s.text) {
      this.shown.set(doc, { ...s, offset: s.offset + c.text.length, text: s.text.slice(c.text.length) });
      return false;
    }
    this.ends.set(doc, s.offset + s.text.length);
    this.counts.taken++;
    return true;
  }

  /** Whether the cursor at `offset` stands where a suggestion accepted whole ended, with nothing typed since. */
  justAccepted(doc: string, offset: number): boolean {
    return this.ends.get(doc) === offset;
  }

  forget(doc: string): void {
    this.shown.delete(doc);
    this.ends.delete(doc);
    this.passed.delete(doc);
  }

  private typedOver(doc: string, text: string, line: number): void {
    const list = this.passed.get(doc) ?? [];
    list.push({ text: firstLine(text), line });
    this.passed.set(doc, list.slice(-PASSED_OVER_KEPT));
  }
}

/** A suggestion's first line that is not blank, trimmed: one with the first line of one typed over was typed over too. */
function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}
