/**
 * Which suggestion the editor accepted whole. A suggestion runs to the end of its line, so after
 * Tab the line is what the model meant it to be: a second suggestion glued onto it is junk (user
 * trials on the H200, right after Tab: `{[key]: value}} = ...` after `for (...) {`, `n(...)` after
 * `= true`, `, []` after `section_list = []`). The next suggestion waits for a new line.
 */
export class AcceptedSuggestions {
  /** Per document: the suggestion last shown, at its offset. */
  private readonly shown = new Map<string, { offset: number; text: string }>();
  /** Per document: where the text of a suggestion just accepted ends. */
  private readonly ends = new Map<string, number>();
  /** This session: suggestions offered (the rest of one being typed through is the same one) and taken to their end. */
  private readonly counts = { offered: 0, taken: 0 };

  /** The editor was given `text` to show at `offset`. */
  show(doc: string, offset: number, text: string): void {
    const s = this.shown.get(doc);
    if (!s || s.offset !== offset || s.text !== text) this.counts.offered++;
    this.shown.set(doc, { offset, text });
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
    if (!s || changes.length !== 1 || c.removed !== 0 || c.offset !== s.offset || c.text === '' || !s.text.startsWith(c.text)) return false;
    if (c.text !== s.text) {
      this.shown.set(doc, { offset: s.offset + c.text.length, text: s.text.slice(c.text.length) });
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
  }
}
