import { Rules } from './rules';

/**
 * What a repository's .gitignore usually holds, applied whether or not the package has one: the
 * model should read the code people write, not what tools generate from it (a new user's context
 * held dist/*.js, source maps and LICENSE while half of src/ was left out for the budget).
 * A user pattern that negates one of these (`!dist/` in samba.context.exclude) lets it back in.
 */
export const DEFAULT_EXCLUDES = {
  dependencies: ['node_modules/', 'bower_components/', 'jspm_packages/', '.venv/', 'venv/', '.tox/', '.yarn/', '.pnp.*', 'vendor/', 'third_party/', 'Pods/', '.bundle/'],
  'build output': [
    'dist/', 'build/', 'out/', 'target/', 'coverage/', '.nyc_output/', '.next/', '.nuxt/', '.svelte-kit/', '.turbo/', '.parcel-cache/', '.cache/',
    '.output/', 'storybook-static/', '__pycache__/', '*.pyc', '*.egg-info/', '.pytest_cache/', '.mypy_cache/', '.ruff_cache/', '.gradle/', 'obj/',
    '*.tsbuildinfo', '*.o', '*.so', '*.dylib', '*.dll', '*.class', '*.jar', '.vscode-test/',
  ],
  'source map': ['*.map'],
  minified: ['*.min.js', '*.min.mjs', '*.min.css', '*-min.js', '*.bundle.js', '*.chunk.js'],
  lockfile: [
    'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock', 'Cargo.lock', 'go.sum', 'poetry.lock', 'Pipfile.lock',
    'uv.lock', 'pdm.lock', 'composer.lock', 'Gemfile.lock', 'Podfile.lock', 'packages.lock.json', 'flake.lock', 'mix.lock', 'pubspec.lock', '*.lock',
  ],
  'editor and OS files': ['.DS_Store', 'Thumbs.db', '.idea/', '*.swp', '*.swo', '*~', '*.log'],
  // Translators' text, not code (a humanize trial: 27 catalogs were 85K of its 97K tokens, and the
  // 2-core machine's first read took 62 s with them, 11 s without).
  'translation catalog': ['*.po', '*.pot', '*.mo', '*.xlf', '*.xliff'],
} as const;

export type DefaultExcludeReason = keyof typeof DEFAULT_EXCLUDES;

const rules = Object.entries(DEFAULT_EXCLUDES).map(([reason, globs]) => ({ reason: reason as DefaultExcludeReason, ig: new Rules(globs) }));
/** Every glob in one set: most segments match none, and one lookup says so (none negates another, so a match in it is a match in `rules`). */
const anyRule = new Rules(Object.values(DEFAULT_EXCLUDES).flat());

/** Why `p` (a relative path, folders ending in `/`) is left out by default, or undefined; `user`'s negations (`!dist/`) win. */
export function defaultExcludeReason(p: string, user?: Rules): DefaultExcludeReason | undefined {
  // The patterns name single path segments, so each folder on the way and the file itself is checked alone.
  const parts = p.replace(/\/$/, '').split('/');
  for (let i = 0; i < parts.length; i++) {
    const slash = i < parts.length - 1 || p.endsWith('/') ? '/' : '';
    if (!anyRule.ignores(parts[i] + slash)) continue;
    const reason = rules.find((r) => r.ig.ignores(parts[i] + slash))?.reason;
    if (reason && !user?.test(parts.slice(0, i + 1).join('/') + slash).unignored) return reason;
  }
  return undefined;
}

/** A compiler's output names its source map in a last-line comment (tsc, Babel, esbuild, Sass): handwritten code never does. */
const SOURCE_MAP_COMMENT = /[/][/*][#@] sourceMappingURL=/;

/** Why these bytes are machine-written, whatever the file's name (`lib/` may hold a build or sources): 'build output', 'minified', or undefined. */
export function generatedContent(bytes: Uint8Array): 'build output' | 'minified' | undefined {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.length - 512)).toString('latin1');
  if (SOURCE_MAP_COMMENT.test(tail)) return 'build output';
  return minifiedContent(bytes) ? 'minified' : undefined;
}

/** Longer lines than this are machine-written (a minified bundle, embedded data), not code to read. */
const LONG_LINE = 1000;

/** A file most of whose bytes sit on very long lines is minified or generated, whatever its name. */
export function minifiedContent(bytes: Uint8Array): boolean {
  if (bytes.length < 2 * LONG_LINE) return false;
  let long = 0;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const stop = end < 0 ? bytes.length : end;
    if (stop - start > LONG_LINE) long += stop - start;
    if (end < 0) break;
    start = end + 1;
  }
  return long * 2 > bytes.length;
}
