import * as assert from 'node:assert/strict';
import { WorkspaceFilter, isProbablyBinary } from '../src/workspace/filter';
import { tempDir, writeFiles } from './helpers/workspace';

describe('workspace filter', () => {
  it('leaves out secrets, binaries, oversized, excluded, VCS and gitignored files, with reasons', async () => {
    const root = tempDir('filter');
    await writeFiles(root, {
      'src/a.ts': 'export const a = 1;\n',
      'src/b.gen.ts': 'generated\n',
      '.env': 'TOKEN=x\n',
      '.env.local': 'TOKEN=y\n',
      'config/server.pem': '-----BEGIN-----\n',
      'config/server.key': 'k\n',
      'home/id_rsa': 'k\n',
      'home/id_rsa.pub': 'k\n',
      'cert.p12': 'k',
      'cert.pfx': 'k',
      'aws/credentials': 'k\n',
      'gcp-credentials.json': '{}\n',
      'my.secret.conf': 'custom secret glob\n',
      'img.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]),
      'latin1.txt': new Uint8Array(Array.from({ length: 200 }, (_, i) => (i % 2 ? 0xe9 : 0x61))),
      'big.txt': 'x'.repeat(5000),
      'node_modules/dep/index.js': 'module.exports = 1;\n',
      '.git/config': '[core]\n',
      '.gitignore': 'build/\n*.tmp\n',
      'build/out.js': 'compiled\n',
      'notes.tmp': 'scratch\n',
      'keep/.gitignore': '!important.tmp\n',
      'keep/important.tmp': 'kept by a deeper .gitignore\n',
      'keep/other.tmp': 'still ignored\n',
      'docs/readme.md': '# Hello ünïcödé\n',
    });
    const filter = new WorkspaceFilter(root, { maxFileBytes: 4096, exclude: ['*.gen.ts'], secrets: undefined });
    const { files, skipped } = await filter.scan();
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    assert.deepEqual(files.map((f) => f.path).sort(), ['.gitignore', 'docs/readme.md', 'img.png', 'keep/.gitignore', 'keep/important.tmp', 'latin1.txt', 'my.secret.conf', 'src/a.ts']);
    for (const p of ['.env', '.env.local', 'config/server.pem', 'config/server.key', 'home/id_rsa', 'home/id_rsa.pub', 'cert.p12', 'cert.pfx', 'aws/credentials', 'gcp-credentials.json']) {
      assert.equal(reasons[p], 'secret', p);
    }
    assert.equal(reasons['src/b.gen.ts'], 'excluded');
    assert.equal(reasons['node_modules/'], 'dependencies');
    assert.equal(reasons['.git/'], 'vcs');
    assert.equal(reasons['build/'], 'gitignore');
    assert.equal(reasons['notes.tmp'], 'gitignore');
    assert.equal(reasons['keep/other.tmp'], 'gitignore');
    assert.equal(reasons['big.txt'], 'too-large');
    // Content checks happen on read.
    assert.deepEqual(await filter.read('img.png'), { reason: 'binary' });
    assert.deepEqual(await filter.read('latin1.txt'), { reason: 'binary' });
    const readme = await filter.read('docs/readme.md');
    assert.ok('text' in readme && readme.text.includes('ünïcödé'));
    assert.deepEqual(await filter.read('.env'), { reason: 'secret' });
    // Path checks for single-file events from the editor, after the scan loaded the .gitignore files.
    assert.equal(filter.pathReason('build/deep/x.js'), 'gitignore');
    assert.equal(filter.pathReason('src/new.ts'), undefined);

    const custom = new WorkspaceFilter(root, { secrets: ['*.secret.*'] });
    assert.equal(custom.pathReason('my.secret.conf'), 'secret');
    assert.equal(custom.pathReason('.env'), undefined, 'a custom secret list replaces the default');
  });

  it('detects binary content by NUL bytes or invalid UTF-8', () => {
    assert.equal(isProbablyBinary(Buffer.from('plain text\n')), false);
    assert.equal(isProbablyBinary(Buffer.from('emoji 🎉 and ünïcödé\n'.repeat(50))), false);
    assert.equal(isProbablyBinary(new Uint8Array([104, 105, 0, 104])), true);
    assert.equal(isProbablyBinary(new Uint8Array(100).fill(0xff)), true);
    assert.equal(isProbablyBinary(new Uint8Array(0)), false);
  });
});
