import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fixtureDir } from './helpers/fixtures';
import { writeEvalRepo } from './helpers/eval-repo';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

describe('eval: samba eval (dist/cli.js)', () => {
  it('prints one JSON line per result and a summary on stderr', async () => {
    const repo = await writeEvalRepo();
    const r = spawnSync(process.execPath, [CLI, 'eval', '--model', fixtureDir('samba-tiny'), '--repos', repo, '--samples', '3', '--max-len', '300', '--ppl-seqs', '1',
      '--passkey-lengths', '256,4096', '--passkey-depths', '0.5', '--passkey-trials', '1', '--max-line-tokens', '4'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0].task, 'meta');
    assert.match(String(lines[0].device), /llvmpipe|CPU/);
    const nl = lines.filter((l) => l.task === 'nextline');
    assert.deepEqual(nl.map((l) => l.setting), ['file', 'repo', 'repo-minus-file']);
    assert.ok(nl.every((l) => l.n === 3));
    assert.deepEqual(lines.filter((l) => l.task === 'ppl').map((l) => [l.from, l.to]), [[0, 256], [256, 512]]);
    assert.deepEqual(lines.filter((l) => l.task === 'passkey').map((l) => [l.length, l.depth]), [[256, 0.5], [256, 'all']], 'lengths past --max-len are left out');
    assert.match(r.stderr, /current file only: +exact/);
    assert.match(r.stderr, /repository state: +exact/);
    assert.match(r.stderr, /\[0, 256\): ppl/);
    assert.match(r.stderr, /256 tokens: \d\/1/);
  });

  it('bad eval flags get clear errors', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'eval', '--model', fixtureDir('samba-tiny'), '--backend', 'cpu', ...args], { encoding: 'utf8' });
    assert.match(run([]).stderr, /eval needs --repos/);
    assert.match(run(['--repos', '.', '--tasks', 'nextline,bogus']).stderr, /unknown task "bogus"/);
    assert.match(run(['--repos', '.', '--samples', '0']).stderr, /--samples must be an integer >= 1/);
  });
});
