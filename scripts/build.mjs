// Builds everything: type-checks with tsc, compiles src/, test/ and bench/ file by file into out/
// (tests and benchmarks run from there), and bundles the extension and the CLI into dist/.
// Dawn's native `webgpu` stays external.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// Test data that happens to be TypeScript, not part of the build.
const SKIP = new Set([join('test', 'fixtures'), join('test', 'e2e', 'workspace')]);
const tsFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (SKIP.has(join(dir, e.name)) ? [] : tsFiles(join(dir, e.name))) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );

try {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { stdio: 'inherit' });
} catch {
  console.error('build: type errors (above)');
  process.exit(1);
}

const node = { platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
await build({ ...node, entryPoints: ['src', 'test', 'bench'].flatMap(tsFiles), outdir: 'out', outbase: '.' });
const bundle = { ...node, bundle: true, external: ['vscode', 'webgpu'] };
await build({ ...bundle, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' });
await build({ ...bundle, entryPoints: ['src/worker/model-worker.ts'], outfile: 'dist/model-worker.js' });
await build({ ...bundle, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
// Benchmarks as single files, so the GPU machine needs only Node and Dawn to run them.
await build({ ...bundle, entryPoints: ['bench/parity.ts', 'bench/engine-speed.ts', 'bench/workspace-speed.ts', 'bench/cross-file.ts', 'bench/matvec-speed.ts', 'bench/attention-speed.ts', 'bench/decode-profile.ts', 'bench/dispatch-floor.ts', 'bench/editing-session.ts', 'bench/adapter-features.ts', 'bench/matmul-speed.ts', 'bench/pipeline-compile.ts', 'bench/function-bodies.ts'], outdir: 'dist' });
// The Q&A webview's script (marked and DOMPurify inside), loaded by media/qa.html.
await build({ entryPoints: ['src/qa/webview/qa.js'], outfile: 'media/qa.js', bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', minify: true, legalComments: 'eof', logLevel: 'warning' });
