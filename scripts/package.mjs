// Packages one VSIX per platform, each with only that platform's Dawn binary and the default model.
// The extension and its model worker are esbuild bundles, so the only runtime package is `webgpu`
// (Dawn's native binding), which vsce packs as a dependency.
// usage: node scripts/package.mjs [target ...]   (npm run build first; default: every target)
// Output: vsix/samba-code-<target>.vsix, and the sizes on stdout.
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** VS Code target -> the webgpu package's folder of Dawn binaries. */
const DAWN = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};
const root = resolve(import.meta.dirname, '..');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(DAWN);
const out = join(root, 'vsix');
mkdirSync(out, { recursive: true });

for (const target of targets) {
  const dawn = DAWN[target];
  if (!dawn) throw new Error(`unknown target ${target}; known: ${Object.keys(DAWN).join(', ')}`);
  const stage = join(root, '.vscode-test', 'package', target);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const copy = (from, to = from) => cpSync(join(root, from), join(stage, to), { recursive: true });
  // The README's pictures travel with it (relative links, shown from the installed extension).
  for (const f of ['README.md', 'LICENSE', 'kernels', 'media', 'models/default', 'models/qa-ranker', 'docs/images']) copy(f);
  for (const f of ['extension.js', 'model-worker.js']) copy(join('dist', f));
  // webgpu (and what its package.json names) is the one runtime package: vsce ships it as a
  // dependency, with only this platform's Dawn binary.
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) copy(join('node_modules/webgpu', f));
  copy(join('node_modules/webgpu/dist', dawn));
  for (const dep of ['@webgpu/types', 'debug', 'ms']) copy(join('node_modules', dep));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const k of ['scripts', 'devDependencies', 'bin']) delete pkg[k];
  pkg.dependencies = { webgpu: pkg.dependencies.webgpu };
  writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2));
  // Nothing to leave out: the stage holds only what ships.
  writeFileSync(join(stage, '.vscodeignore'), '*.map\n**/*.map\n');
  const file = join(out, `samba-code-${target}.vsix`);
  execFileSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--target', target, '--out', file], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`${target}: ${file} ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`);
}
