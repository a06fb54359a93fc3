import * as path from 'node:path';
import type { Tokenizer } from '../model/tokenizer';
import { fileTokens } from '../prompt/file';
import { SPECIAL } from '../prompt/tokens';
import { WorkspaceFilter, type FilterOptions } from '../workspace/filter';

export interface RepoFile {
  /** Relative to the repository root, `/` separators. */
  readonly path: string;
  readonly text: string;
  /** The file unit (src/prompt/file.ts), as the workspace context streams it. */
  readonly tokens: Uint32Array;
}

export interface Repo {
  readonly name: string;
  readonly root: string;
  /** In path order (the order training streamed a repository's files). */
  readonly files: RepoFile[];
  readonly tokens: number;
}

/** Reads a folder of code through the extension's own filter (gitignore, secrets, binaries, size), in path order. */
export async function loadRepo(root: string, tokenizer: Tokenizer, filter: FilterOptions = {}): Promise<Repo> {
  const abs = path.resolve(root);
  const f = new WorkspaceFilter(abs, filter);
  const { files } = await f.scan();
  const out: RepoFile[] = [];
  for (const s of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const r = await f.read(s.path);
    if ('reason' in r || !r.text.trim()) continue;
    out.push({ path: s.path, text: r.text, tokens: fileTokens(tokenizer, s.path, r.text) });
  }
  return { name: path.basename(abs), root: abs, files: out, tokens: out.reduce((n, x) => n + x.tokens.length, 0) };
}

/** The repository as one token stream: every file in path order, then end-of-text (the training layout). */
export function repoStream(repo: Repo, tokenizer: Tokenizer): Uint32Array {
  const eot = tokenizer.specialId(SPECIAL.endOfText);
  const out = new Uint32Array(repo.tokens + (eot === undefined ? 0 : 1));
  let o = 0;
  for (const f of repo.files) {
    out.set(f.tokens, o);
    o += f.tokens.length;
  }
  if (eot !== undefined) out[o] = eot;
  return out;
}
