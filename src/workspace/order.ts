/** A candidate for the context: its path, when it last changed, and its cost in tokens. */
export interface OrderInput {
  readonly path: string;
  readonly mtimeMs: number;
  readonly tokenCount: number;
}

export interface OrderOptions {
  /** The file being edited: it goes into the prompt, not the context. */
  readonly activePath?: string;
  /** Most tokens the context may hold. */
  readonly budgetTokens?: number;
}

export interface Ordered<T extends OrderInput> {
  /** Stream order: least recently changed first, so an edit re-runs only what follows it. */
  readonly files: T[];
  readonly tokens: number;
  readonly dropped: { path: string; reason: 'active' | 'budget'; tokens: number }[];
}

/**
 * Files that change least go first: the state after them is reused by every later edit.
 * Under a budget the most recently changed files are kept (they are what the user works on);
 * priority depends only on the files, never on the cursor, so the kept set is stable across tab switches.
 */
export function orderFiles<T extends OrderInput>(inputs: readonly T[], options: OrderOptions = {}): Ordered<T> {
  const dropped: Ordered<T>['dropped'] = [];
  const byAge = [...inputs].sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const candidates = byAge.filter((f) => {
    if (f.path !== options.activePath) return true;
    dropped.push({ path: f.path, reason: 'active', tokens: f.tokenCount });
    return false;
  });
  const budget = options.budgetTokens ?? Infinity;
  // Newest first: greedily keep what fits, so a huge old file cannot crowd out many small recent ones.
  const keep = new Set<T>();
  let tokens = 0;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const f = candidates[i];
    if (tokens + f.tokenCount <= budget) {
      keep.add(f);
      tokens += f.tokenCount;
    } else dropped.push({ path: f.path, reason: 'budget', tokens: f.tokenCount });
  }
  return { files: candidates.filter((f) => keep.has(f)), tokens, dropped };
}
