import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fixtureDir } from './helpers/fixtures';
import { writeEvalRepo } from './helpers/eval-repo';
import { tempDir } from './helpers/workspace';
import { reportFromRuns } from '../src/eval/report';
import { readFileSync } from 'node:fs';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

describe('eval: samba eval (dist/cli.js)', () => {
  it('prints one JSON line per result and a summary on stderr; --json writes the completion report', async () => {
    const repo = await writeEvalRepo();
    const json = path.join(tempDir('eval-json'), 'out.json');
    const details = `${json}.jsonl`;
    const r = spawnSync(process.execPath, [CLI, 'eval', '--model', fixtureDir('samba-tiny'), '--repos', repo, '--targets', '3', '--json', json, '--details', details, '--legacy-left-to-right', '--max-len', '300', '--ppl-seqs', '1',
      '--passkey-lengths', '256,4096', '--passkey-depths', '0.5', '--passkey-trials', '1', '--max-line-tokens', '4'], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0].task, 'meta');
    assert.match(String(lines[0].device), /llvmpipe|CPU/);
    const comp = lines.filter((l) => l.task === 'completion');
    assert.deepEqual(comp.map((l) => l.subset), ['all', 'cross-file']);
    assert.equal(comp[0].n, 3);
    assert.deepEqual(Object.keys(comp[0].settings as object), ['a', 'b', 'c'], 'all three settings by default');
    assert.deepEqual(Object.keys(comp[0].differences as object), ['b-a', 'c-a', 'c-b']);
    const nl = lines.filter((l) => l.task === 'nextline');
    assert.deepEqual(nl.map((l) => l.setting), ['file', 'repo', 'repo-minus-file'], 'the legacy figures, under their flag');
    assert.ok(nl.every((l) => l.n === 3));
    assert.deepEqual(lines.filter((l) => l.task === 'ppl').map((l) => [l.from, l.to]), [[0, 256], [256, 512]]);
    assert.deepEqual(lines.filter((l) => l.task === 'passkey').map((l) => [l.length, l.depth]), [[256, 0.5], [256, 'all']], 'lengths past --max-len are left out');
    assert.match(r.stderr, /exact match, % \[bootstrap 95% interval\]/);
    assert.match(r.stderr, /\| repository \| targets \| \(a\) \| \(b\) \| \(c\) \| b-a \(paired\) \| c-a \(paired\) \| c-b \(paired\) \|/);
    assert.match(r.stderr, /identifier EM/);
    assert.match(r.stderr, /current file only: +exact/);
    assert.match(r.stderr, /\[0, 256\): ppl/);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { repos: { reports: unknown[] }[]; targets: { a: unknown; b: unknown; c: unknown; truth: string }[] };
    assert.equal(doc.targets.length, 3);
    assert.ok(doc.targets.every((t) => t.a && t.b && t.c && t.truth));
    assert.equal(doc.repos[0].reports.length, 2);
    assert.deepEqual(readFileSync(details, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { truth: string }).truth).sort(), doc.targets.map((t) => t.truth).sort(), 'one --details line per target');
    // The tables can be made again from the JSON alone (runs split across machines or commands).
    const again = reportFromRuns([doc as unknown as Parameters<typeof reportFromRuns>[0][0]]);
    for (const row of again.split('\n').filter((l) => l.startsWith('| '))) assert.ok(r.stderr.includes(row), row);
    // report-cli pools --json and --details files alike; a target in both counts once; stage times come along.
    const pooled = spawnSync(process.execPath, [path.resolve(__dirname, '../src/eval/report-cli.js'), json, details], { encoding: 'utf8' });
    assert.equal(pooled.status, 0, pooled.stderr);
    assert.match(pooled.stderr, /3 targets appeared in more than one file and count once/);
    for (const row of again.split('\n').filter((l) => l.startsWith('| '))) assert.ok(pooled.stdout.includes(row), row);
    assert.match(pooled.stdout, /\| a \| 3 \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| [\d.]+ \|/, pooled.stdout);
    const bad = spawnSync(process.execPath, [path.resolve(__dirname, '../src/eval/report-cli.js'), path.join(repo, 'src/util.ts')], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /util\.ts is not a file written by samba eval --json \(\.json\) or --details \(\.jsonl\)/);
  });

  it('--shard must be I/N with 1 <= I <= N', () => {
    const run = (v: string) => spawnSync(process.execPath, [CLI, 'eval', '--model', fixtureDir('samba-tiny'), '--backend', 'cpu', '--repos', '.', '--tasks', 'completion', '--shard', v], { encoding: 'utf8' });
    for (const v of ['0/2', '3/2', 'a/b']) {
      const r = run(v);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /--shard must be I\/N with 1 <= I <= N/, v);
    }
  });

  it('bad eval flags get clear errors', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'eval', '--model', fixtureDir('samba-tiny'), '--backend', 'cpu', ...args], { encoding: 'utf8' });
    assert.match(run([]).stderr, /eval needs --repos/);
    assert.match(run(['--repos', '.', '--tasks', 'nextline,bogus']).stderr, /unknown task "bogus"/);
    assert.match(run(['--repos', '.', '--samples', '0']).stderr, /--samples must be an integer >= 1/);
    assert.match(run(['--repos', '.', '--settings', 'a,d']).stderr, /--settings: unknown setting "d"/);
    assert.match(run(['--repos', '.', '--targets', '5', '--samples', '6']).stderr, /--targets and --samples are the same setting/);
  });
});
