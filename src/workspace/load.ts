import type { Tokenizer } from '../model/tokenizer';
import { fileTokens, type ContextFile } from './context';
import type { Skipped, WorkspaceFilter } from './filter';
import { orderFiles, type Ordered, type OrderOptions } from './order';

export interface LoadedFile extends ContextFile {
  readonly mtimeMs: number;
  readonly tokens: Uint32Array;
  readonly tokenCount: number;
}

/** Scans, reads, tokenizes and orders a folder: what WorkspaceContext.open takes, plus what was left out and why. */
export async function loadWorkspaceFiles(
  filter: WorkspaceFilter,
  tokenizer: Tokenizer,
  options: OrderOptions = {},
): Promise<Ordered<LoadedFile> & { skipped: Skipped[] }> {
  const { files, skipped } = await filter.scan();
  const loaded: LoadedFile[] = [];
  for (const f of files) {
    const r = await filter.read(f.path);
    if ('reason' in r) {
      skipped.push({ path: f.path, reason: r.reason });
      continue;
    }
    const tokens = fileTokens(tokenizer, f.path, r.text);
    loaded.push({ path: f.path, text: r.text, mtimeMs: r.mtimeMs, tokens, tokenCount: tokens.length });
  }
  return { ...orderFiles(loaded, options), skipped };
}
