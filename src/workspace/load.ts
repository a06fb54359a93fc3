import type { Tokenizer } from '../model/tokenizer';
import { fileTokens, type ContextFile } from './context';
import type { ScannedFile, Skipped, WorkspaceFilter } from './filter';
import { orderFiles, type Ordered, type OrderOptions } from './order';

export interface LoadedFile extends ContextFile {
  readonly mtimeMs: number;
  readonly tokens: Uint32Array;
  readonly tokenCount: number;
}

/**
 * Files read ahead of the one being tokenized: each read is several round trips to the disk (open,
 * stat, the link checks, read, close), which one at a time leave the thread idle most of the read.
 */
const READ_AHEAD = 32;

/**
 * Scans, reads, tokenizes and orders a folder: what WorkspaceContext.open takes, plus what was left
 * out and why. `early`, when given, gets the files as they are tokenized, in the order they will
 * stream, so the pass can start on the first while the rest are read: only when the scan alone
 * decides that order (every file fits the budget, by a bound on its tokens), else it is never
 * called. The caller checks that what it got is the order returned (a file changed meanwhile).
 */
export async function loadWorkspaceFiles(
  filter: WorkspaceFilter,
  tokenizer: Tokenizer,
  options: OrderOptions = {},
  early?: (f: LoadedFile) => void,
): Promise<Ordered<LoadedFile> & { skipped: Skipped[] }> {
  const { files: scanned, skipped } = await filter.scan();
  const predicted = early && streamOrder(scanned, options);
  const files = predicted ?? scanned;
  const loaded: LoadedFile[] = [];
  const refused = new Map<string, Skipped>();
  const reads: (ReturnType<WorkspaceFilter['read']> | undefined)[] = [];
  for (let i = 0; i < files.length; i++) {
    // Keep READ_AHEAD reads in flight; results are taken in order, so nothing else changes.
    for (let k = reads.length; k < Math.min(files.length, i + READ_AHEAD); k++) {
      reads[k] = filter.read(files[k].path);
      reads[k]!.catch(() => undefined); // its error is rethrown below, where it is awaited in order
    }
    const f = files[i];
    const r = await reads[i]!;
    reads[i] = undefined;
    if ('reason' in r) {
      refused.set(f.path, { path: f.path, reason: r.reason });
      continue;
    }
    const tokens = fileTokens(tokenizer, f.path, r.text);
    const file = { path: f.path, text: r.text, mtimeMs: r.mtimeMs, tokens, tokenCount: tokens.length };
    loaded.push(file);
    if (predicted) early!(file);
  }
  // Refused files listed in scan order, whatever order they were read in.
  for (const f of scanned) if (refused.has(f.path)) skipped.push(refused.get(f.path)!);
  return { ...orderFiles(loaded, options), skipped };
}

/**
 * The stream order from the scan alone (orderFiles' order with the scan's times), when every file
 * surely fits the budget: a file is at most one token per byte of its path line and text, plus its
 * marker. Undefined when the budget may leave some out (then which ones needs every token count).
 */
function streamOrder(files: readonly ScannedFile[], options: OrderOptions): ScannedFile[] | undefined {
  const budget = options.budgetTokens ?? Infinity;
  let bound = 0;
  for (const f of files) bound += f.size + Buffer.byteLength(f.path) + 2;
  if (bound > budget) return undefined;
  return orderFiles(files.map((f) => ({ ...f, tokenCount: 0 })), { activePath: options.activePath }).files;
}
