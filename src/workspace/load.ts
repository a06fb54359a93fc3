import type { Tokenizer } from '../model/tokenizer';
import { fileTokens, type ContextFile } from './context';
import type { ScannedFile, Skipped, WorkspaceFilter } from './filter';
import { orderFiles, streamOrder, type Ordered, type OrderOptions } from './order';

export interface LoadedFile extends ContextFile {
  readonly mtimeMs: number;
  readonly tokens: Uint32Array;
  readonly tokenCount: number;
}

/**
 * Files read ahead of the one being tokenized, for a source whose reads wait (a remote folder through
 * the host): one at a time, the thread would idle through each. A local folder's reads do not wait,
 * and reading ahead there only delays the first file (32 reads, about 6 ms on the 2-core machine).
 */
const READ_AHEAD = 32;

/**
 * Turns of the event loop, every YIELD_EVERY files or YIELD_MS ms, whichever comes first: a local
 * folder's reads are synchronous (filter.ts), and the worker must still answer meanwhile, and a pass
 * that runs as the folder is read must record its next chunk.
 */
const YIELD_EVERY = 64;
const YIELD_MS = 2;

/** A folder's scan: the files that may enter by their names, and those left out. */
type Scan = Awaited<ReturnType<WorkspaceFilter['scan']>>;

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
export async function readWorkspaceFiles(filter: WorkspaceFilter, tokenizer: Tokenizer, scanned: Promise<Scan> | Scan = filter.scan()): Promise<ReadFolder> {
  const { files, skipped } = await scanned;
  const loaded: LoadedFile[] = [];
  for await (const f of readScanned(filter, tokenizer, files, skipped)) loaded.push(f);
  return { files: loaded, skipped };
}

/**
 * A folder's files in stream order as they are read and tokenized, for a first read whose pass runs
 * meanwhile (WorkspaceContext.open's arriving files). Only where every file the scan found fits
 * `budgetTokens` by its size (a token is at least a byte of text): then none is left out, and the
 * order (orderFiles': least recently changed first, the active file last) needs only the scan.
 * Otherwise `read`: the whole folder's read (readWorkspaceFiles) from the same scan. `skipped` is
 * complete once `files` ends; a file that tokenizes to more tokens than its bytes (text that is not
 * UTF-8) ends the stream with a BudgetOverrun when the folder no longer fits by that measure.
 */
export async function streamWorkspaceFiles(
  filter: WorkspaceFilter,
  tokenizer: Tokenizer,
  options: OrderOptions,
): Promise<{ files: AsyncIterable<LoadedFile>; skipped: Skipped[] } | { read: Promise<ReadFolder> }> {
  const scanned = await filter.scan();
  const { files, skipped } = scanned;
  const budget = options.budgetTokens ?? Infinity;
  const bound = (f: { path: string; size: number }) => f.size + Buffer.byteLength(f.path) + 2;
  let left = files.reduce((n, f) => n + bound(f), 0);
  if (left > budget) return { read: readWorkspaceFiles(filter, tokenizer, scanned) };
  const ordered = [...files].sort(streamOrder(options.activePath));
  async function* stream(): AsyncGenerator<LoadedFile> {
    let tokens = 0;
    const byPath = new Map(ordered.map((f) => [f.path, f]));
    for await (const f of readScanned(filter, tokenizer, ordered, skipped)) {
      left -= bound(byPath.get(f.path)!);
      tokens += f.tokenCount;
      if (tokens + left > budget) throw new BudgetOverrun(f.path);
      yield f;
    }
  }
  return { files: stream(), skipped };
}

/** A streamed folder turned out larger in tokens than its sizes promised: read it the whole way instead. */
export class BudgetOverrun extends Error {
  constructor(readonly path: string) {
    super(`${path} has more tokens than bytes; the folder is read again, then ordered`);
  }
}

/** Reads and tokenizes `files` in their order, yielding each that may enter; the others join `skipped`. */
async function* readScanned(filter: WorkspaceFilter, tokenizer: Tokenizer, files: readonly ScannedFile[], skipped: Skipped[]): AsyncGenerator<LoadedFile> {
  const reads: (ReturnType<WorkspaceFilter['read']> | undefined)[] = [];
  const ahead = filter.readsAtOnce ? 1 : READ_AHEAD;
  let turn = performance.now();
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && (i % YIELD_EVERY === 0 || performance.now() - turn > YIELD_MS)) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = performance.now();
    }
    // Keep `ahead` reads in flight; results are taken in order, so nothing else changes.
    for (let k = reads.length; k < Math.min(files.length, i + ahead); k++) {
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
    yield { path: f.path, text: r.text, mtimeMs: r.mtimeMs, tokens, tokenCount: tokens.length };
  }
}
