import * as assert from 'node:assert/strict';
import { WorkspaceFilter } from '../src/workspace/filter';
import { loadWorkspaceFiles } from '../src/workspace/load';
import { importsOf, orderFiles } from '../src/workspace/order';
import { loadTiny, tempDir, text, writeFiles } from './helpers/workspace';

/** A package as npm ships it (the shape a new user's context went wrong on): sources, their build, maps, a lockfile, docs. */
function npmPackage(): Record<string, string> {
  const files: Record<string, string> = {
    'LICENSE': 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n'.repeat(8),
    'README.md': '# retry\n\nRetries async functions.\n'.repeat(10),
    'CHANGELOG.md': '## 1.0.0\n- first\n'.repeat(10),
    'package.json': '{ "name": "retry", "main": "dist/index.cjs" }\n',
    'package-lock.json': '{ "lockfileVersion": 3 }\n',
    'yarn.lock': '# yarn lockfile v1\n',
    'tsconfig.json': '{ "compilerOptions": { "strict": true } }\n',
    'dist/index.cjs': 'module.exports = require("./utils.cjs");\n',
    'dist/index.d.ts': 'export declare function retry(): void;\n',
    'dist/utils.cjs.map': '{"version":3,"mappings":"AAAA"}\n',
    'coverage/lcov.info': 'TN:\n',
    // tsc's outDir under lib/: a name that also holds sources elsewhere, known by the map comment.
    'lib/src/index.js': '"use strict";\nexports.x = 1;\n//# sourceMappingURL=index.js.map\n',
    'lib/src/index.d.ts': 'export declare const x = 1;\n//# sourceMappingURL=index.d.ts.map',
    'lib/src/index.js.map': '{"version":3}\n',
    'lib/helpers/handwritten.js': 'module.exports = function helper() { return 1; };\n',
    'vendor/jquery.min.js': 'x',
    'assets/app.min.js': 'y',
    'locale/de_DE/LC_MESSAGES/retry.po': 'msgid "retrying"\nmsgstr "wiederholen"\n',
    'src/index.ts': "export * from './retry';\nexport * from './utils';\n",
    'src/retry.ts': "import { sleep } from './utils';\nimport { Backoff } from './backoff.js';\n" + text('retry', 12),
    'src/utils.ts': text('utils', 10),
    'src/backoff.ts': text('backoff', 10),
    'src/errors.ts': text('errors', 10),
    'src/timers/clock.ts': text('clock', 10),
    'src/timers/wait.ts': "import { retry } from '../retry';\n" + text('wait', 10),
    'test/retry.test.ts': "import { retry } from '../src/retry';\n" + text('test', 12),
  };
  return files;
}

describe('workspace order', () => {
  const f = (path: string, mtimeMs: number, tokenCount: number, text?: string) => ({ path, mtimeMs, tokenCount, text });

  it('streams least recently changed first and the active file last, and keeps it in', () => {
    const r = orderFiles([f('new.ts', 300, 10), f('old.ts', 100, 10), f('mid.ts', 200, 10), f('active.ts', 50, 10)], { activePath: 'active.ts' });
    assert.deepEqual(r.files.map((x) => x.path), ['old.ts', 'mid.ts', 'new.ts', 'active.ts']);
    assert.equal(r.tokens, 40);
    assert.deepEqual(r.dropped, []);
  });

  it('under a budget: source, then tests, then other text, then docs, then licenses; near the active file first; ties by path', () => {
    const inputs = [
      f('LICENSE', 1, 30), f('README.md', 2, 30), f('package.json', 3, 30), f('test/a.test.ts', 4, 30),
      f('src/far/z.ts', 5, 30), f('src/lib/a.ts', 6, 30), f('src/lib/b.ts', 7, 30, "import { x } from '../far/y';\n"), f('src/far/y.ts', 8, 30),
    ];
    const order = (budget: number, activePath?: string) => orderFiles(inputs, { budgetTokens: budget, activePath }).files.map((x) => x.path).sort();
    // No active file: the four sources by path, docs last.
    assert.deepEqual(order(120), ['src/far/y.ts', 'src/far/z.ts', 'src/lib/a.ts', 'src/lib/b.ts']);
    assert.deepEqual(order(150), [...order(120), 'test/a.test.ts'].sort());
    assert.deepEqual(order(180), [...order(150), 'package.json'].sort());
    assert.deepEqual(orderFiles(inputs, { budgetTokens: 210 }).dropped.map((d) => d.path), ['LICENSE']);
    // Active src/lib/b.ts: itself, what it imports (far/y), then its folder (lib/a), then the rest.
    assert.deepEqual(order(60, 'src/lib/b.ts'), ['src/far/y.ts', 'src/lib/b.ts']);
    assert.deepEqual(order(90, 'src/lib/b.ts'), ['src/far/y.ts', 'src/lib/a.ts', 'src/lib/b.ts']);
    // Active far/y.ts: b.ts imports it, so it comes before z.ts in y's own folder.
    assert.deepEqual(order(60, 'src/far/y.ts'), ['src/far/y.ts', 'src/lib/b.ts']);
    // A file too large is left out, and smaller ones after it still fit.
    const big = orderFiles([f('src/a.ts', 1, 500), f('src/b.ts', 2, 40), f('src/c.ts', 3, 40)], { budgetTokens: 100 });
    assert.deepEqual(big.files.map((x) => x.path), ['src/b.ts', 'src/c.ts']);
    assert.deepEqual(big.dropped.map((d) => [d.path, d.reason]), [['src/a.ts', 'budget']]);
  });

  it('finds imports: TypeScript/JavaScript relative specifiers (with .js for .ts, index files) and Python modules', () => {
    const known = new Set(['src/a.ts', 'src/b/index.ts', 'src/c.tsx', 'lib/d.js', 'pkg/__init__.py', 'pkg/mod.py', 'pkg/sub/x.py', 'src/app/main.py', 'src/app/util.py']);
    const ts = "import a from './a.js';\nexport * from './b';\nconst c = require('./c');\nconst d = await import('../lib/d.js');\nimport 'react';\n";
    assert.deepEqual(importsOf('src/main.ts', ts, known).sort(), ['lib/d.js', 'src/a.ts', 'src/b/index.ts', 'src/c.tsx']);
    const py = 'from . import mod\nfrom .sub.x import y\nimport os\nimport pkg.mod\n';
    assert.deepEqual(importsOf('pkg/main.py', py, known).sort(), ['pkg/__init__.py', 'pkg/mod.py', 'pkg/sub/x.py']);
    assert.deepEqual(importsOf('src/app/main.py', 'from app.util import f\n', known), ['src/app/util.py']);
  });

  it('an npm package under a small budget: build output, maps, lockfiles, vendor bundles and translation catalogs stay out with reasons; every source file is read, the same ones every time', async () => {
    const tiny = await loadTiny();
    const root = tempDir('order-pkg');
    await writeFiles(root, npmPackage());
    const filter = new WorkspaceFilter(root);
    const { files, skipped } = await filter.scan();
    const why = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    assert.deepEqual(why, {
      'assets/app.min.js': 'minified',
      'coverage/': 'build output',
      'dist/': 'build output',
      'lib/src/index.js.map': 'source map',
      'locale/de_DE/LC_MESSAGES/retry.po': 'translation catalog',
      'package-lock.json': 'lockfile',
      'vendor/': 'dependencies',
      'yarn.lock': 'lockfile',
    });
    assert.ok(!files.some((x) => x.path.endsWith('.map')));
    const all = await loadWorkspaceFiles(filter, tiny.tokenizer);
    const read = Object.fromEntries(all.skipped.map((x) => [x.path, x.reason]));
    assert.equal(read['lib/src/index.js'], 'build output');
    assert.equal(read['lib/src/index.d.ts'], 'build output');
    assert.equal(read['lib/src/index.js.map'], 'source map');
    assert.ok(all.files.some((x) => x.path === 'lib/helpers/handwritten.js'), 'handwritten code under lib/ is read');
    const sources = all.files.filter((x) => x.path.startsWith('src/') || x.path.startsWith('lib/'));
    const budget = sources.reduce((s, x) => s + x.tokenCount, 0) + 10;
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await loadWorkspaceFiles(new WorkspaceFilter(root), tiny.tokenizer, { budgetTokens: budget, activePath: 'src/retry.ts' }));
    const kept = runs[0].files.map((x) => x.path);
    assert.deepEqual(kept.slice().sort(), sources.map((x) => x.path).sort(), `every source file, and only those, fit: ${kept}`);
    assert.equal(kept.at(-1), 'src/retry.ts', 'the active file streams last');
    for (const r of runs) assert.deepEqual(r.files.map((x) => x.path), kept, 'the same files in the same order every time');
    assert.deepEqual(runs[0].dropped.map((d) => d.path).slice(-3), ['README.md', 'CHANGELOG.md', 'LICENSE'], 'docs, then licenses and changelogs, are the last wanted');
    // A user can let a default exclusion back in.
    const withDist = new WorkspaceFilter(root, { exclude: ['!dist/'] });
    assert.deepEqual((await withDist.scan()).files.filter((x) => x.path.startsWith('dist/')).map((x) => x.path), ['dist/index.cjs', 'dist/index.d.ts']);
    assert.equal(withDist.pathReason('dist/utils.cjs.map'), 'source map');
  });

  it('minified content is left out whatever its name; long lines in a normal file are not', () => {
    const filter = new WorkspaceFilter(tempDir('order-min'));
    assert.equal(filter.contentReason(Buffer.from('!function(){' + 'var a=1;'.repeat(2000) + '}();\n')), 'minified');
    const normal = text('ok', 200) + `export const data = "${'x'.repeat(1500)}";\n`;
    assert.equal(filter.contentReason(Buffer.from(normal)), undefined);
  });
});
