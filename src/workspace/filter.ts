import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readlinkSync, readSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { defaultExcludeReason, generatedContent, type DefaultExcludeReason } from './default-excludes';
import { modelText } from '../code/line-ends';
import { Rules } from './rules';

/** Why a file stays out of the context; the adapter shows these so users can see what the model was given. */
export type SkipReason = 'vcs' | 'gitignore' | 'secret' | 'secret-content' | 'excluded' | 'too-large' | 'binary' | 'unreadable' | DefaultExcludeReason;

export interface FilterOptions {
  /** Files larger than this never enter the context (a setting). */
  readonly maxFileBytes?: number;
  /** Extra gitignore-style globs to leave out (a setting), e.g. `dist/`, `*.min.js`. */
  readonly exclude?: readonly string[];
  /**
   * Secret globs; replaces DEFAULT_SECRETS when given. An empty list lets secrets in, at the user's
   * word: it also turns off the content check (SECRET_CONTENT), which otherwise always runs.
   */
  readonly secrets?: readonly string[];
  /** Honour .gitignore files (default true). */
  readonly gitignore?: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;

/** Never read: the model must not see keys even if a repository commits them (the credential files people keep in repositories). */
export const DEFAULT_SECRETS: readonly string[] = [
  // environment files, keys and certificates
  '.env*', '*.env', '.dev.vars', '*.pem', '*.key', 'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', 'deploy_key*', '*.ppk', '*.asc',
  '*.p12', '*.pfx', '*.jks', '*.keystore',
  // credential stores of tools
  'credentials', 'credentials.*', '*credentials*.json', '.netrc', '_netrc', '.npmrc', '.pypirc', '.yarnrc.yml', '.git-credentials',
  '.pgpass', '.my.cnf', '.htpasswd', '.vault-token', '.s3cfg', '.boto', 'auth.json', 'kubeconfig', '**/.kube/config',
  '**/.docker/config.json', '**/.aws/config', '**/.config/gh/hosts.yml', '*service-account*.json', 'client_secret*.json',
  'google-services.json', 'local.settings.json', '*.tfstate', '*.tfstate.*', '*.tfvars', 'token.txt', 'api_key*', '*_history',
  'secrets/', 'secrets.*', '*.secret', '*.secrets',
];

/**
 * Well-known secret shapes: a file holding one stays out whatever its name (a key pasted into
 * README.txt). Each shape is specific enough that code rarely matches it by chance.
 */
export const SECRET_CONTENT: readonly RegExp[] = [
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, // PEM, OpenSSH, PGP private keys
  /\b[sr]k_live_[0-9a-zA-Z]{16,}/, // Stripe
  /\bgh[pousr]_[A-Za-z0-9]{36,}/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{40,}/,
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key ids
  /\bxox[abposr]-[0-9A-Za-z-]{10,}/, // Slack
  /\bAIza[0-9A-Za-z_-]{35}/, // Google API keys
  /\bsk-(?:proj|ant|svcacct|admin)-[A-Za-z0-9_-]{32,}/, // OpenAI, Anthropic
  /\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b/, // OpenAI (older keys)
  /\bnpm_[A-Za-z0-9]{36}\b/, // npm
  /\bhf_[A-Za-z]{34}\b/, // Hugging Face
];

/** The first secret shape in `text`, or undefined. */
export function secretShape(text: string): RegExp | undefined {
  return SECRET_CONTENT.find((re) => re.test(text));
}

const DEFAULT_SECRET_NAMES = new Rules(DEFAULT_SECRETS);

/**
 * Why text being edited at `rel` (workspace-relative, or a file name outside the workspace) must not
 * reach the model: a secret by its name or by a shape in `text`. A folder's filter applies its own
 * secret list (WorkspaceFilter.secretReason); these are the defaults, for when none is open.
 */
export function defaultSecretReason(rel: string, text: string): 'secret' | 'secret-content' | undefined {
  return secretReasonOf(DEFAULT_SECRET_NAMES, true, rel, text);
}

function secretReasonOf(secrets: Rules, checkContent: boolean, rel: string, text: string): 'secret' | 'secret-content' | undefined {
  let named = false;
  try {
    named = secrets.ignores(rel);
  } catch {
    // not a relative path (the editor sends one): the text check still applies
  }
  return named ? 'secret' : checkContent && secretShape(text) ? 'secret-content' : undefined;
}

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

/** A file as opened: what it really is (the link's target), and its bytes if it is a regular file that fits. */
export interface OpenedFile {
  /** The opened file's real path relative to the root, with `/`; undefined when it lies outside the root. */
  readonly real: string | undefined;
  readonly isFile: boolean;
  readonly size: number;
  readonly mtimeMs: number;
  /** Only for a regular file inside the root of at most the asked size. */
  readonly bytes?: Uint8Array;
}

/**
 * Where a workspace's files come from: the local disk (node fs, in the model worker), or VS Code's
 * workspace.fs through the extension host when the folder is not on this machine's disk.
 * Paths are relative to the root, with `/`.
 */
export interface FileSource {
  /** Its reads are done when called (the local disk's synchronous calls): reading ahead gains nothing there. */
  readonly readsAtOnce?: boolean;
  list(dir: string): Promise<{ name: string; kind: 'file' | 'dir' | 'other' }[]>;
  stat(rel: string): Promise<{ size: number; mtimeMs: number; isFile: boolean } | undefined>;
  read(rel: string): Promise<Uint8Array>;
  /**
   * Opens `rel` once and says what was opened (its real path) with its bytes: the rules are decided on
   * the file actually read, so a link, or a path swapped between the check and the read, cannot slip
   * another file in. Sources that cannot resolve links (a remote folder) leave it out.
   */
  open?(rel: string, maxBytes: number): Promise<OpenedFile | undefined>;
  /** The real path of `rel` (or of its folder, for a file not on disk yet) relative to the root; undefined when outside. */
  realPath?(rel: string): Promise<string | undefined>;
  /**
   * `stat` for a file `list` just called a 'file' (not a link) in a folder the walk reached without
   * following a link: no link to resolve, so one lstat does. Only the size and time come from it;
   * `open` still checks the file it reads.
   */
  statListed?(rel: string): Promise<{ size: number; mtimeMs: number; isFile: boolean } | undefined>;
}

/** `f()`, or undefined where it throws. */
const attempt = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

/**
 * Files on the local disk under `root`. Reading the folder (`statListed`, `open`) makes synchronous
 * calls: on a local disk each takes microseconds, less than the trip through libuv's threadpool an
 * async call makes (half the time of reading a folder, bench/RESULTS.md, stop 18); load.ts yields
 * between files, so the worker still answers meanwhile.
 */
export function localFiles(root: string): FileSource {
  const abs = (rel: string) => path.join(root, rel);
  let rootReal: string | undefined;
  /** `real` relative to the root's real path, with `/`; undefined when outside. */
  const inside = (real: string): string | undefined => {
    rootReal ??= attempt(() => realpathSync.native(root)) ?? root;
    const r = path.relative(rootReal, real);
    if (r === '') return '';
    if (r.startsWith('..') || path.isAbsolute(r)) return undefined;
    return r.split(path.sep).join('/');
  };
  return {
    readsAtOnce: true,
    list: async (dir) =>
      (await fs.readdir(abs(dir), { withFileTypes: true }).catch(() => [])).map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' })),
    stat: async (rel) => {
      // A symlink whose target is outside the folder (another project, /etc/passwd) is never read.
      const real = await fs.realpath(abs(rel)).catch(() => undefined);
      if (!real || inside(real) === undefined) return undefined;
      const st = await fs.stat(real).catch(() => undefined);
      return st && { size: st.size, mtimeMs: st.mtimeMs, isFile: st.isFile() };
    },
    statListed: async (rel) => {
      const st = attempt(() => lstatSync(abs(rel)));
      return st && { size: st.size, mtimeMs: st.mtimeMs, isFile: st.isFile() };
    },
    read: (rel) => fs.readFile(abs(rel)),
    open: async (rel, maxBytes) => {
      // Non-blocking: a FIFO or device named like a source file must not hang the open.
      const fd = attempt(() => openSync(abs(rel), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)));
      if (fd === undefined) return undefined;
      try {
        const st = fstatSync(fd);
        // Where the file we hold open really is: the kernel's word on Linux (/proc/self/fd), else the
        // name resolved again. Either way that path must still be this very file (same device and
        // inode; lstat, so a path that became a link since is not followed): a link flipped between
        // the open and the check fails this, and the path rules below see the file really read.
        const real = attempt(() => readlinkSync(`/proc/self/fd/${fd}`)) ?? attempt(() => realpathSync.native(abs(rel)));
        const named = real && attempt(() => lstatSync(real));
        if (!real || !named || named.dev !== st.dev || named.ino !== st.ino) return undefined;
        const opened = { real: inside(real), isFile: st.isFile(), size: st.size, mtimeMs: st.mtimeMs };
        if (opened.real === undefined || !opened.isFile || st.size > maxBytes) return opened;
        // Read through the fd, at most one byte past the limit (the file may grow meanwhile). Done once
        // the size fstat gave is read (the read that would find the end is not made); a grown file fills the buffer.
        const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
        let n = 0;
        for (;;) {
          const bytesRead = readSync(fd, buf, n, buf.length - n, n);
          if (bytesRead === 0 || (n += bytesRead) === buf.length || n === st.size) break;
        }
        return { ...opened, size: n, bytes: buf.subarray(0, n) };
      } finally {
        closeSync(fd);
      }
    },
    realPath: async (rel) => {
      const real = await fs.realpath(abs(rel)).catch(async () => {
        const dir = await fs.realpath(path.dirname(abs(rel))).catch(() => undefined);
        return dir && path.join(dir, path.basename(rel));
      });
      return real === undefined ? undefined : inside(real);
    },
  };
}

/** Decides which files of one workspace folder enter the context. */
export class WorkspaceFilter {
  private readonly maxBytes: number;
  private readonly vcs = new Rules(VCS);
  private readonly secrets: Rules;
  /** Whether file contents are checked for secret shapes (off only when the user empties the secret list). */
  private readonly checkContent: boolean;
  /** Undefined without exclude globs: an empty `ignore` still costs a lookup per path. */
  private readonly excluded: Rules | undefined;
  /** .gitignore rules by the folder that holds them ('' is the root). */
  private readonly gitignores = new Map<string, Rules>();
  /**
   * The last scan's verdict on each file name it judged ('': may enter), so its reads do not judge
   * the names again: the verdict changes only with the .gitignore files, which only a scan loads.
   */
  private readonly judged = new Map<string, SkipReason | ''>();

  constructor(
    readonly root: string,
    private readonly options: FilterOptions = {},
    private readonly source: FileSource = localFiles(root),
  ) {
    this.maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.secrets = new Rules(options.secrets ?? DEFAULT_SECRETS);
    this.checkContent = options.secrets === undefined || options.secrets.length > 0;
    this.excluded = options.exclude?.length ? new Rules(options.exclude) : undefined;
  }

  /** Whether a read is done when asked (FileSource.readsAtOnce): the folder's reading then reads no file ahead. */
  get readsAtOnce(): boolean {
    return this.source.readsAtOnce === true;
  }

  /** Why `rel` (a path under the root) is left out by its name alone, or undefined if it may enter. */
  pathReason(rel: string, isDir = false): SkipReason | undefined {
    // Only plain relative paths inside the folder (an event may name anything): no `..`, no absolute path.
    if (!rel || rel.includes('\0') || rel.includes('\\') || path.posix.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.split('/').some((s) => s === '..' || s === '.' || s === '')) return 'unreadable';
    const p = isDir ? `${rel}/` : rel;
    if (this.vcs.ignores(p)) return 'vcs';
    if (!isDir && this.secrets.ignores(p)) return 'secret';
    if (this.excluded?.ignores(p)) return 'excluded';
    if (this.options.gitignore !== false && this.gitignored(rel, isDir)) return 'gitignore';
    return defaultExcludeReason(p, this.excluded);
  }

  /** Why text being edited at `rel` must not reach the model (a completion there): a secret by name or by what it holds. */
  secretReason(rel: string, text: string): 'secret' | 'secret-content' | undefined {
    return secretReasonOf(this.secrets, this.checkContent, rel, text);
  }

  /** Why these bytes are left out (size, binary, a secret inside), or undefined. */
  contentReason(bytes: Uint8Array): SkipReason | undefined {
    if (bytes.length > this.maxBytes) return 'too-large';
    if (isProbablyBinary(bytes)) return 'binary';
    if (this.checkContent && secretShape(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))) return 'secret-content';
    return generatedContent(bytes);
  }

  /**
   * Why unsaved editor text for `rel` is left out, or undefined: the same rules as a read from disk,
   * on the name, on the real path it stands for (an editor may have a link open) and on the text.
   */
  async textReason(rel: string, text: string): Promise<SkipReason | undefined> {
    const reason = this.pathReason(rel);
    if (reason) return reason;
    if (this.source.realPath) {
      const real = await this.source.realPath(rel);
      if (real === undefined) return 'unreadable';
      const why = real === rel ? undefined : this.pathReason(real);
      if (why) return why;
    }
    return this.contentReason(Buffer.from(text, 'utf8'));
  }

  /** The text of `rel` if it may enter the context, else why not. Every rule holds for the name and for the file really read. */
  async read(rel: string): Promise<{ text: string; mtimeMs: number } | { reason: SkipReason }> {
    const reason = this.judged.get(rel) ?? this.pathReason(rel);
    if (reason) return { reason };
    try {
      let bytes: Uint8Array;
      let mtimeMs: number;
      if (this.source.open) {
        const opened = await this.source.open(rel, this.maxBytes);
        if (!opened || opened.real === undefined || !opened.isFile) return { reason: 'unreadable' };
        const why = opened.real === rel ? undefined : this.pathReason(opened.real);
        if (why) return { reason: why };
        if (!opened.bytes || opened.size > this.maxBytes) return { reason: 'too-large' };
        bytes = opened.bytes;
        mtimeMs = opened.mtimeMs;
      } else {
        const stat = await this.source.stat(rel);
        if (!stat || !stat.isFile) return { reason: 'unreadable' };
        if (stat.size > this.maxBytes) return { reason: 'too-large' };
        bytes = await this.source.read(rel);
        mtimeMs = stat.mtimeMs;
      }
      const why = this.contentReason(bytes);
      return why ? { reason: why } : { text: modelText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')), mtimeMs };
    } catch {
      return { reason: 'unreadable' };
    }
  }

  /** Walks the root, loading .gitignore files as it goes; ignored folders are not entered. */
  async scan(): Promise<{ files: ScannedFile[]; skipped: Skipped[] }> {
    this.gitignores.clear();
    this.judged.clear();
    const files: ScannedFile[] = [];
    const skipped: Skipped[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await this.source.list(dir).catch(() => []);
      if (this.options.gitignore !== false && entries.some((e) => e.name === '.gitignore' && e.kind === 'file')) {
        const text = await this.source.read(dir ? `${dir}/.gitignore` : '.gitignore').then((b) => Buffer.from(b).toString('utf8'), () => '');
        this.gitignores.set(dir, new Rules(text));
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      const stat = (rel: string) => (this.source.statListed ? this.source.statListed(rel) : this.source.stat(rel));
      // The folder's files are stat'ed all at once (one at a time, the walk mostly waits on the disk); taken in order below.
      const reasons = entries.map((e) => {
        if (e.kind !== 'file') return undefined;
        const rel = dir ? `${dir}/${e.name}` : e.name;
        const reason = this.pathReason(rel);
        this.judged.set(rel, reason ?? '');
        return reason;
      });
      const stats = entries.map((e, i) => (e.kind === 'file' && !reasons[i] ? stat(dir ? `${dir}/${e.name}` : e.name).catch(() => undefined) : undefined));
      for (const [i, e] of entries.entries()) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.kind === 'dir') {
          const reason = this.pathReason(rel, true);
          if (reason) skipped.push({ path: `${rel}/`, reason });
          else await walk(rel);
        } else if (e.kind === 'file') {
          const reason = reasons[i];
          if (reason) {
            skipped.push({ path: rel, reason });
            continue;
          }
          const stat = await stats[i];
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
    let verdict = false;
    // `at`: where the path below each folder on the way starts (the folder is rel up to the slash before it).
    for (let at = 0; at >= 0; at = rel.indexOf('/', at) + 1 || -1) {
      const ig = this.gitignores.get(at ? rel.slice(0, at - 1) : '');
      if (!ig) continue;
      const r = ig.test(rel.slice(at) + (isDir ? '/' : ''));
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
