import type { Tokenizer } from '../model/tokenizer';
import { fileTokens, type ContextFile } from './context';
import type { Skipped, WorkspaceFilter } from './filter';
import { orderFiles, type Ordered, type OrderOptions } from './order';

export interface LoadedFile extends ContextFile {
  readonly mtimeMs: number;
  readonly tokens: Uint32Array;
  readonly tokenCount: number;
}

/**
 * Files read ahead of the one being tokenized, for a source whose reads wait (a remote folder through
 * the host): one at a time, the thread would idle through each. A local folder's reads do not wait.
 */
const READ_AHEAD = 32;

/** Files between turns of the event loop: a local folder's reads are synchronous (filter.ts), and the worker must still answer meanwhile. */
const YIELD_EVERY = 64;

/** A folder's files, read and tokenized in scan order, and what the filter left out. */
export interface ReadFolder {
  readonly files: LoadedFile[];
  readonly skipped: Skipped[];
}

/**
 * Scans, reads, tokenizes and orders a folder: what WorkspaceContext.open takes, plus what was left
 * out and why. `read`: the folder's reading, begun already (the worker starts it while the model loads).
 */
export async function loadWorkspaceFiles(
  filter: WorkspaceFilter,
  tokenizer: Tokenizer,
  options: OrderOptions = {},
  read: Promise<ReadFolder> = readWorkspaceFiles(filter, tokenizer),
): Promise<Ordered<LoadedFile> & { skipped: Skipped[] }> {
  const { files, skipped } = await read;
  return { ...orderFiles(files, options), skipped };
}

/**
 * Scans, reads and tokenizes a folder (what does not depend on the token budget): the worker runs
 * it while the model loads, since the budget comes from the loaded engine's speed.
 */
export async function readWorkspaceFiles(filter: WorkspaceFilter, tokenizer: Tokenizer): Promise<ReadFolder> {
  const { files, skipped } = await filter.scan();
  const loaded: LoadedFile[] = [];
  const reads: (ReturnType<WorkspaceFilter['read']> | undefined)[] = [];
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    // Keep READ_AHEAD reads in flight; results are taken in scan order, so nothing else changes.
    for (let k = reads.length; k < Math.min(files.length, i + READ_AHEAD); k++) {
      reads[k] = filter.read(files[k].path);
      reads[k]!.catch(() => undefined); // its error is rethrown below, where it is awaited in order
    }
    const f = files[i];
    const r = await reads[i]!;
    reads[i] = undefined;
    if ('reason' in r) {
      skipped.push({ path: f.path, reason: r.reason });
      continue;
    }
    const tokens = fileTokens(tokenizer, f.path, r.text);
    loaded.push({ path: f.path, text: r.text, mtimeMs: r.mtimeMs, tokens, tokenCount: tokens.length });
  }
  return { files: loaded, skipped };
}
