import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { defaultExcludeReason, generatedContent, type DefaultExcludeReason } from './default-excludes';

/** Why a file stays out of the context; the adapter shows these so users can see what the model was given. */
export type SkipReason = 'vcs' | 'gitignore' | 'secret' | 'excluded' | 'too-large' | 'binary' | 'unreadable' | DefaultExcludeReason;

export interface FilterOptions {
  /** Files larger than this never enter the context (a setting). */
  readonly maxFileBytes?: number;
  /** Extra gitignore-style globs to leave out (a setting), e.g. `dist/`, `*.min.js`. */
  readonly exclude?: readonly string[];
  /** Secret globs; replaces DEFAULT_SECRETS when given (an empty list lets secrets in, at the user's word). */
  readonly secrets?: readonly string[];
  /** Honour .gitignore files (default true). */
  readonly gitignore?: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;

/** Never read: the model must not see keys even if a repository commits them. */
export const DEFAULT_SECRETS: readonly string[] = [
  '.env', '.env.*', '*.env', '*.pem', '*.key', 'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '*.p12', '*.pfx',
  '*.jks', '*.keystore', 'credentials', 'credentials.*', '*credentials*.json', '.netrc', '.npmrc', '.pypirc',
  '.git-credentials', 'secrets.*', '*.secret', '*.secrets',
];

const VCS = ['.git/', '.hg/', '.svn/'];

export interface ScannedFile {
  /** Relative to the root, with `/` separators. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface Skipped {
  readonly path: string;
  readonly reason: SkipReason;
}

/**
 * Where a workspace's files come from: the local disk (node fs, in the model worker), or VS Code's
 * workspace.fs through the extension host when the folder is not on this machine's disk.
 * Paths are relative to the root, with `/`.
 */
export interface FileSource {
  list(dir: string): Promise<{ name: string; kind: 'file' | 'dir' | 'other' }[]>;
  stat(rel: string): Promise<{ size: number; mtimeMs: number; isFile: boolean } | undefined>;
  read(rel: string): Promise<Uint8Array>;
}

/** Files on the local disk under `root`. */
export function localFiles(root: string): FileSource {
  const abs = (rel: string) => path.join(root, rel);
  return {
    list: async (dir) =>
      (await fs.readdir(abs(dir), { withFileTypes: true }).catch(() => [])).map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' })),
    stat: async (rel) => {
      // A symlink whose target is outside the folder (another project, /etc/passwd) is never read.
      const [real, realRoot] = await Promise.all([fs.realpath(abs(rel)).catch(() => undefined), fs.realpath(root).catch(() => root)]);
      if (!real || (real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep))) return undefined;
      const st = await fs.stat(real).catch(() => undefined);
      return st && { size: st.size, mtimeMs: st.mtimeMs, isFile: st.isFile() };
    },
    read: (rel) => fs.readFile(abs(rel)),
  };
}

/** Decides which files of one workspace folder enter the context. */
export class WorkspaceFilter {
  private readonly maxBytes: number;
  private readonly vcs = ignore().add(VCS);
  private readonly secrets: Ignore;
  private readonly excluded: Ignore;
  /** .gitignore rules by the folder that holds them ('' is the root). */
  private readonly gitignores = new Map<string, Ignore>();

  constructor(
    readonly root: string,
    private readonly options: FilterOptions = {},
    private readonly source: FileSource = localFiles(root),
  ) {
    this.maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.secrets = ignore().add([...(options.secrets ?? DEFAULT_SECRETS)]);
    this.excluded = ignore().add([...(options.exclude ?? [])]);
  }

  /** Why `rel` (a path under the root) is left out by its name alone, or undefined if it may enter. */
  pathReason(rel: string, isDir = false): SkipReason | undefined {
    // Only plain relative paths inside the folder (an event may name anything): no `..`, no absolute path.
    if (!rel || rel.includes('\0') || rel.includes('\\') || path.posix.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.split('/').some((s) => s === '..' || s === '.' || s === '')) return 'unreadable';
    const p = isDir ? `${rel}/` : rel;
    if (this.vcs.ignores(p)) return 'vcs';
    if (!isDir && this.secrets.ignores(p)) return 'secret';
    if (this.excluded.ignores(p)) return 'excluded';
    if (this.options.gitignore !== false && this.gitignored(rel, isDir)) return 'gitignore';
    return defaultExcludeReason(p, this.excluded);
  }

  /** Why these bytes are left out (size, binary), or undefined. */
  contentReason(bytes: Uint8Array): SkipReason | undefined {
    if (bytes.length > this.maxBytes) return 'too-large';
    if (isProbablyBinary(bytes)) return 'binary';
    return generatedContent(bytes);
  }

  /** The text of `rel` if it may enter the context, else why not. */
  async read(rel: string): Promise<{ text: string; mtimeMs: number } | { reason: SkipReason }> {
    const reason = this.pathReason(rel);
    if (reason) return { reason };
    try {
      const stat = await this.source.stat(rel);
      if (!stat || !stat.isFile) return { reason: 'unreadable' };
      if (stat.size > this.maxBytes) return { reason: 'too-large' };
      const bytes = await this.source.read(rel);
      const why = this.contentReason(bytes);
      return why ? { reason: why } : { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), mtimeMs: stat.mtimeMs };
    } catch {
      return { reason: 'unreadable' };
    }
  }

  /** Walks the root, loading .gitignore files as it goes; ignored folders are not entered. */
  async scan(): Promise<{ files: ScannedFile[]; skipped: Skipped[] }> {
    this.gitignores.clear();
    const files: ScannedFile[] = [];
    const skipped: Skipped[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await this.source.list(dir).catch(() => []);
      if (this.options.gitignore !== false && entries.some((e) => e.name === '.gitignore' && e.kind === 'file')) {
        const text = await this.source.read(dir ? `${dir}/.gitignore` : '.gitignore').then((b) => Buffer.from(b).toString('utf8'), () => '');
        this.gitignores.set(dir, ignore().add(text));
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.kind === 'dir') {
          const reason = this.pathReason(rel, true);
          if (reason) skipped.push({ path: `${rel}/`, reason });
          else await walk(rel);
        } else if (e.kind === 'file') {
          const reason = this.pathReason(rel);
          if (reason) {
            skipped.push({ path: rel, reason });
            continue;
          }
          const stat = await this.source.stat(rel).catch(() => undefined);
          if (!stat) skipped.push({ path: rel, reason: 'unreadable' });
          else if (stat.size > this.maxBytes) skipped.push({ path: rel, reason: 'too-large' });
          else files.push({ path: rel, size: stat.size, mtimeMs: stat.mtimeMs });
        }
      }
    };
    await walk('');
    return { files, skipped };
  }

  /** Git's rule: each .gitignore speaks for paths below its folder, and a deeper one overrides a shallower one. */
  private gitignored(rel: string, isDir: boolean): boolean {
    const parts = rel.split('/');
    let verdict = false;
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const ig = this.gitignores.get(dir);
      if (!ig) continue;
      const sub = parts.slice(i).join('/') + (isDir ? '/' : '');
      const r = ig.test(sub);
      if (r.ignored) verdict = true;
      else if (r.unignored) verdict = false;
    }
    return verdict;
  }
}

/** NUL bytes or many invalid UTF-8 sequences in the first 8 KiB mean binary (git's own heuristic, plus encoding). */
export function isProbablyBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return true;
  if (head.length === 0) return false;
  // A multi-byte character cut at the 8 KiB edge decodes as one U+FFFD; allow a small ratio.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  let bad = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  return bad / text.length > 0.02;
}
