import type { Tokenizer } from '../model/tokenizer';
import { RecentEdits } from '../completion/recent-edits';
import type { EditedRange } from '../completion/pipeline';
import { fileTokens, type Change } from './context';
import { defaultSecretReason, type Skipped, type WorkspaceFilter } from './filter';
import { loadWorkspaceFiles, readWorkspaceFiles, streamWorkspaceFiles, type LoadedFile, type ReadFolder } from './load';
import type { Ordered, OrderOptions } from './order';

/** A file change as the host reports it; `text` is unsaved editor content (absent: read the disk). */
export type ChangeWithText = Change & { readonly text?: string };

/**
 * Most characters of text kept for searching beyond what the model's state holds: a folder far
 * larger than its token budget (a monorepo on a laptop) keeps its most wanted files up to this.
 * Its question index at 16.7 M characters (2,749 files): 209 MiB, 5.4 s at the first question, 35 ms
 * a search after it; at 4 M (a GPU's largest budget, 1 M tokens) 54 MiB, 1.3 s (bench/qa-index.ts, the 2-core machine).
 */
export const MAX_SEARCH_CHARS = 16 * 1024 * 1024;

/**
 * The text questions, summaries and the completion's block search: every file the folder admits,
 * not only those under the model's token budget. The state holds what the budget allows (on the
 * 2-core machine without a GPU 24,576-98,304 tokens, by the speed measured at load), but a question
 * about a file beyond it must still find it. The files the state holds first, then those over the budget, most wanted first, while
 * they fit MAX_SEARCH_CHARS.
 */
export function searchedTexts(ordered: { readonly files: readonly { path: string; text: string }[]; readonly dropped: readonly { path: string }[] }, all: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  let chars = 0;
  for (const f of ordered.files) {
    out.set(f.path, f.text);
    chars += f.text.length;
  }
  for (const { path } of ordered.dropped) {
    const text = all.get(path);
    if (text === undefined || chars + text.length > MAX_SEARCH_CHARS) continue;
    out.set(path, text);
    chars += text.length;
  }
  return out;
}

/**
 * The workspace's file text, one copy for everything in the worker: the context reads through
 * `read` (unsaved editor text first, else the disk, both through the filter), and questions,
 * summaries and the completion's block search `texts`: what the context read, and the files over
 * its token budget (searchedTexts). Unsaved text waits in `unsaved` until the context reads it
 * (the context reads every changed file, over the budget or not): a file the filter refuses (a
 * secret) never reaches `texts`. Edits of that text are recorded as line ranges for the block's
 * recent snippets.
 */
export class WorkspaceFiles {
  /** Every file the folder admits (searchedTexts), as the context last read it. */
  private readonly held = new Map<string, string>();
  /** Editor text not saved to disk, which wins over the disk (kept across re-reads of the folder). */
  private readonly unsaved = new Map<string, string>();
  private readonly edits = new RecentEdits();
  private filter: WorkspaceFilter | undefined;
  private skippedFiles: Skipped[] = [];
  /** Paths changed since the last stream() began: it no longer gives them. */
  private changedWhileStreaming: Set<string> | undefined;

  /** The text of every file the folder admits, those over the model's budget included (searchedTexts). */
  get texts(): ReadonlyMap<string, string> {
    return this.held;
  }

  /** Files the filter left out at the last load, with why. */
  get skipped(): readonly Skipped[] {
    return this.skippedFiles;
  }

  get root(): string | undefined {
    return this.filter?.root;
  }

  /** Why text being edited at `path` must not reach the model: the folder's secret rules, the defaults before one is open. */
  secretReason(path: string, text: string): 'secret' | 'secret-content' | undefined {
    return this.filter ? this.filter.secretReason(path, text) : defaultSecretReason(path, text);
  }

  /** Line ranges edited lately, newest last. */
  recentEdits(): readonly EditedRange[] {
    return this.edits.list();
  }

  /** Paths whose unsaved editor text differs from what a read of the folder finds on disk. */
  unsavedPaths(): string[] {
    return [...this.unsaved.keys()];
  }

  /** The host opens the folder again and sends what is unsaved now: text kept from before may have been saved or closed since, unseen. */
  forgetUnsaved(): void {
    this.unsaved.clear();
  }

  /**
   * Orders the folder's files as read through `filter` (src/workspace/load.ts): `read` when they
   * were read already (while the model loaded), else now. What it keeps, and the files over the
   * budget, are `texts` from now on.
   */
  async load(filter: WorkspaceFilter, tokenizer: Tokenizer, options: OrderOptions, read?: Promise<ReadFolder>): Promise<Ordered<LoadedFile> & { skipped: Skipped[] }> {
    this.filter = filter;
    this.changedWhileStreaming = undefined;
    const folder = (read ?? readWorkspaceFiles(filter, tokenizer)).then((r) => this.withUnsaved(r, filter, tokenizer));
    const loaded = await loadWorkspaceFiles(filter, tokenizer, options, folder);
    this.skippedFiles = loaded.skipped;
    this.held.clear();
    const all = new Map((await folder).files.map((f) => [f.path, f.text]));
    for (const [path, text] of searchedTexts(loaded, all)) this.held.set(path, text);
    return loaded;
  }

  /**
   * The folder's files in stream order as they are read (streamWorkspaceFiles), for a first read
   * whose pass runs meanwhile, unsaved text in place of the disk's; where the folder may not fit the
   * budget, `read`: its whole read, begun from the same scan, for load(). `texts` and `skipped` fill
   * as the files come.
   */
  async stream(filter: WorkspaceFilter, tokenizer: Tokenizer, options: OrderOptions): Promise<{ files: AsyncIterable<LoadedFile> } | { read: Promise<ReadFolder> }> {
    const streamed = await streamWorkspaceFiles(filter, tokenizer, options);
    if ('read' in streamed) return streamed;
    this.filter = filter;
    this.skippedFiles = streamed.skipped;
    this.held.clear();
    const unsaved = this.unsaved;
    const held = this.held;
    // A file changed meanwhile is the change's to read (the context leaves it to its update), not
    // the stream's, whose text may be older.
    const changed = (this.changedWhileStreaming = new Set());
    const done = () => this.changedWhileStreaming === changed && (this.changedWhileStreaming = undefined);
    const files = async function* () {
      try {
        for await (const f of streamed.files) {
          if (changed.has(f.path)) continue;
          const text = unsaved.get(f.path);
          // Refused (a secret typed in): left out, as read() leaves it out.
          if (text !== undefined && (await filter.textReason(f.path, text))) continue;
          const tokens = text === undefined ? f.tokens : fileTokens(tokenizer, f.path, text);
          held.set(f.path, text ?? f.text);
          yield text === undefined ? f : { ...f, text, tokens, tokenCount: tokens.length };
        }
      } finally {
        done();
      }
    };
    return { files: files() };
  }

  /** The folder as read, with the unsaved text known now in place of the disk's: the first pass runs what the editor shows, not the disk's text and then the editor's. */
  private async withUnsaved(folder: ReadFolder, filter: WorkspaceFilter, tokenizer: Tokenizer): Promise<ReadFolder> {
    if (!this.unsaved.size) return folder;
    const files: LoadedFile[] = [];
    for (const f of folder.files) {
      const text = this.unsaved.get(f.path);
      if (text === undefined) files.push(f);
      // Refused (a secret typed in): left out, as read() leaves it out.
      else if (!(await filter.textReason(f.path, text))) {
        const tokens = fileTokens(tokenizer, f.path, text);
        files.push({ ...f, text, tokens, tokenCount: tokens.length });
      }
    }
    return { ...folder, files };
  }

  /** Editor and file-system changes: unsaved text is kept (and its edit recorded), a deleted or renamed file leaves `texts`. */
  change(changes: readonly ChangeWithText[]): void {
    for (const c of changes) {
      for (const p of c.kind === 'rename' ? [c.from, c.to] : [c.path]) this.changedWhileStreaming?.add(p);
      if (c.kind === 'rename') this.unsaved.delete(c.from);
      else if (c.kind === 'delete') this.unsaved.delete(c.path);
      else if (c.text !== undefined) {
        const before = this.unsaved.get(c.path) ?? this.held.get(c.path);
        if (before !== undefined) this.edits.record(c.path, before, c.text);
        this.unsaved.set(c.path, c.text);
      } else this.unsaved.delete(c.path);
      if (c.kind === 'delete') this.edits.forget(c.path);
      // Gone from the folder, gone from what questions retrieve over (the context reads only files that exist).
      if (c.kind === 'delete' || c.kind === 'rename') this.held.delete(c.kind === 'delete' ? c.path : c.from);
    }
  }

  /** What the context reads: unsaved editor text first, else the disk through the filter; undefined when gone or refused. Keeps `texts` in step. */
  async read(rel: string): Promise<string | undefined> {
    const dirty = this.unsaved.get(rel);
    let text: string | undefined;
    if (dirty !== undefined) text = this.filter && (await this.filter.textReason(rel, dirty)) ? undefined : dirty;
    else {
      const r = await this.filter?.read(rel);
      text = r && 'text' in r ? r.text : undefined;
    }
    if (text === undefined) this.held.delete(rel);
    else this.held.set(rel, text);
    return text;
  }
}
