import * as posix from 'node:path/posix';
import { streamsLast } from './active-file';

/** A candidate for the context: its path, when it last changed, its cost in tokens, and (for imports) its text. */
export interface OrderInput {
  readonly path: string;
  readonly mtimeMs: number;
  readonly tokenCount: number;
  readonly text?: string;
}

export interface OrderOptions {
  /** The file being edited: files near it come first under the budget, and it streams last (it changes next). */
  readonly activePath?: string;
  /** Most tokens the context may hold. */
  readonly budgetTokens?: number;
}

export interface Ordered<T extends OrderInput> {
  /** Stream order: least likely to change first, so an edit re-runs only what follows it. */
  readonly files: T[];
  readonly tokens: number;
  /** What did not fit the budget, most wanted first (the context takes them back in this order when room frees). */
  readonly dropped: { path: string; reason: 'budget'; tokens: number }[];
}

/**
 * Two orders. Which files enter under the budget (priority): source before tests before other
 * text before docs before licenses and changelogs; within each, the active file and what it imports or what imports
 * it, then its folder, then the rest; ties by path, so the same workspace gives the same files
 * every time. The order they stream in: least recently changed first, the active file last.
 */
export function orderFiles<T extends OrderInput>(inputs: readonly T[], options: OrderOptions = {}): Ordered<T> {
  const budget = options.budgetTokens ?? Infinity;
  const rank = priority(inputs, options.activePath);
  const wanted = [...inputs].sort((a, b) => compare(rank(a), rank(b)) || byPath(a, b));
  const keep: T[] = [];
  const dropped: Ordered<T>['dropped'] = [];
  let tokens = 0;
  // Greedy: a file that does not fit is left out, and smaller ones after it may still fit.
  for (const f of wanted) {
    if (tokens + f.tokenCount <= budget) {
      keep.push(f);
      tokens += f.tokenCount;
    } else dropped.push({ path: f.path, reason: 'budget', tokens: f.tokenCount });
  }
  keep.sort(streamOrder(options.activePath));
  return { files: keep, tokens, dropped };
}

/** The order files stream in: least recently changed first, the active file last, ties by path. */
export function streamOrder(activePath: string | undefined): (a: { path: string; mtimeMs: number }, b: { path: string; mtimeMs: number }) => number {
  const last = (p: string) => streamsLast(p, activePath);
  return (a, b) => last(a.path) - last(b.path) || a.mtimeMs - b.mtimeMs || byPath(a, b);
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const compare = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py|pyi|go|rs|java|kt|kts|scala|c|h|cc|cpp|cxx|hpp|hh|cs|fs|rb|php|swift|m|mm|lua|dart|ex|exs|erl|hs|ml|clj|vue|svelte|astro|wgsl|glsl|hlsl|sql|sh|bash|zsh|ps1|r|jl|zig|nim|sol)$/i;
const TEST = /(^|\/)(tests?|__tests__|spec|e2e)\/|\.(test|spec)\.[^/]+$|_test\.go$|(^|\/)test_[^/]+\.py$/i;
const LEGAL = /(^|\/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS|CONTRIBUTORS|CHANGELOG|CHANGES|HISTORY|CODE_OF_CONDUCT|SECURITY)([.-][^/]*)?$/i;
const DOC = /\.(md|mdx|markdown|rst|txt|adoc|org)$/i;

/** 0 source, 1 tests, 2 other text (config, data, markup), 3 docs, 4 licenses and changelogs. */
export function kindRank(path: string): number {
  if (LEGAL.test(path)) return 4;
  if (DOC.test(path)) return 3;
  if (!SOURCE.test(path)) return 2;
  return TEST.test(path) ? 1 : 0;
}

/** Sort keys of each file: [kind, nearness to the active file] (0 = the file itself or an import either way, 1 = same folder, 2 = elsewhere). */
function priority(inputs: readonly OrderInput[], active: string | undefined): (f: OrderInput) => number[] {
  const near = new Set<string>();
  if (active !== undefined) {
    const paths = new Set(inputs.map((f) => f.path));
    near.add(active);
    for (const f of inputs) {
      if (f.text === undefined) continue;
      const imports = importsOf(f.path, f.text, paths);
      if (f.path === active) imports.forEach((p) => near.add(p));
      else if (imports.includes(active)) near.add(f.path);
    }
  }
  const folder = active === undefined ? undefined : posix.dirname(active);
  return (f) => [kindRank(f.path), near.has(f.path) ? 0 : posix.dirname(f.path) === folder ? 1 : 2];
}

const JS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
const PY_FROM = /^\s*from\s+(\.+)([\w.]*)\s+import\b/gm;
const PY_IMPORT = /^\s*(?:import|from)\s+([A-Za-z_][\w.]*)/gm;
const JS_EXT = ['', '.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '/index.ts', '/index.tsx', '/index.js', '/index.mjs'];

/** The workspace files `path` imports by relative specifier (TS/JS) or module name (Python). */
export function importsOf(path: string, text: string, known: ReadonlySet<string>): string[] {
  const dir = posix.dirname(path);
  const out = new Set<string>();
  const first = (cands: string[]) => cands.find((c) => known.has(c) && c !== path);
  if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/i.test(path)) {
    for (const m of text.matchAll(JS_IMPORT)) {
      // TypeScript's ESM style names the emitted .js file: try the .ts source too.
      const base = posix.join(dir, m[1]).replace(/\/$/, '');
      const bare = base.replace(/\.(c|m)?js$/, '');
      const hit = first([...JS_EXT.map((e) => base + e), ...JS_EXT.map((e) => bare + e)]);
      if (hit) out.add(hit);
    }
  } else if (/\.pyi?$/i.test(path)) {
    const mod = (parts: string[]) => first([`${parts.join('/')}.py`, `${parts.join('/')}/__init__.py`]);
    for (const m of text.matchAll(PY_FROM)) {
      let base = dir;
      for (let i = 1; i < m[1].length; i++) base = posix.dirname(base);
      const parts = [...(base === '.' ? [] : base.split('/')), ...(m[2] ? m[2].split('.') : [])];
      const hit = mod(parts);
      if (hit) out.add(hit);
    }
    for (const m of text.matchAll(PY_IMPORT)) {
      // Absolute module names: from the root, or from a source folder such as src/.
      const parts = m[1].split('.');
      const hit = mod(parts) ?? mod(['src', ...parts]);
      if (hit) out.add(hit);
    }
  }
  return [...out];
}
