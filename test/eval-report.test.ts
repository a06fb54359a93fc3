import * as assert from 'node:assert/strict';
import type { CompletionTarget, Score, Setting, TargetResult } from '../src/eval/completion';
import { compareRuns, confidenceTable, pairs, reportSubset, table, type TargetRecord } from '../src/eval/report';
import { seededRandom } from '../src/engine/sampling';

/** A target result with given exactness per setting (edit similarity and identifier EM follow it). */
function result(i: number, exact: Partial<Record<Setting, boolean>>, crossFile: string[] = []): TargetResult {
  const target = { repo: 'r', path: `f${i % 7}.ts`, line: i, language: 'typescript', prefix: '', suffix: '', truth: 'x', indent: '', prose: false } as CompletionTarget;
  const scores: Partial<Record<Setting, Score>> = {};
  for (const [s, e] of Object.entries(exact) as [Setting, boolean][]) scores[s] = { predicted: e ? 'x' : 'y', exact: e, editSim: e ? 1 : 0.5, idExact: e, contextTokens: 0, promptTokens: 0, blockSnippets: 0, prefilled: 0, generated: 0, ms: 0 };
  return { target, crossFile, scores };
}

describe('eval: paired bootstrap intervals between settings', () => {
  it('pairs: each later setting against each earlier one', () => {
    assert.deepEqual(pairs(['a', 'b', 'c']), [['b', 'a'], ['c', 'a'], ['c', 'b']]);
    assert.deepEqual(pairs(['c', 'a']), [['c', 'a']]);
    assert.deepEqual(pairs(['b']), []);
  });

  it('known data: means, a binomial interval of the right width, and pairing', () => {
    const random = seededRandom(11);
    // 400 targets; a right on exactly half; b right wherever a is, and on 20 more.
    const rs: TargetResult[] = [];
    for (let i = 0; i < 400; i++) {
      const a = i % 2 === 0;
      rs.push(result(i, { a, b: a || i % 20 === 1, c: random() < 0.5 }, i < 100 ? ['clamp'] : []));
    }
    const r = reportSubset(rs, ['a', 'b', 'c'], 'all', 1);
    assert.equal(r.n, 400);
    assert.equal(r.settings.a!.exact.mean, 0.5);
    assert.equal(r.settings.b!.exact.mean, 0.55);
    assert.equal(r.settings.a!.editSim.mean, 0.75);
    // Binomial p = 0.5, n = 400: standard error 0.025, so the 95% interval is about +-0.049.
    const [lo, hi] = r.settings.a!.exact.ci95;
    assert.ok(Math.abs(lo - 0.451) < 0.012 && Math.abs(hi - 0.549) < 0.012, `${lo} ${hi}`);
    // Paired: b - a is 1 on 20 targets and 0 elsewhere: mean 0.05, se sqrt(0.05*0.95/400) = 0.011.
    const d = r.differences['b-a'].exact;
    assert.equal(d.mean, 0.05);
    assert.ok(d.ci95[0] > 0.025 && d.ci95[0] < 0.04 && d.ci95[1] > 0.06 && d.ci95[1] < 0.075, `${d.ci95}`);
    // Unpaired, the two intervals overlap; the paired one excludes 0: pairing is what resolves it.
    assert.ok(r.settings.a!.exact.ci95[1] > r.settings.b!.exact.ci95[0]);
    assert.ok(d.ci95[0] > 0);
    // c is independent of a: its difference's interval is wide and holds 0.
    const ca = r.differences['c-a'].exact;
    assert.ok(ca.ci95[0] < 0 && ca.ci95[1] > 0 && ca.ci95[1] - ca.ci95[0] > 0.1, `${ca.ci95}`);
    // Identical settings: the difference is exactly 0, interval [0, 0].
    const same = reportSubset(rs.map((x) => ({ ...x, scores: { a: x.scores.a, b: x.scores.a } })), ['a', 'b'], 'all', 1);
    assert.deepEqual(same.differences['b-a'].exact.ci95, [0, 0]);
    // Seeded: the same report twice.
    assert.deepEqual(reportSubset(rs, ['a', 'b', 'c'], 'all', 1), r);
  });

  it('the cross-file subset, targets a setting did not run, and the table', () => {
    const rs = [result(0, { a: true, b: true }, ['clamp']), result(1, { a: false, b: true }, ['clamp']), result(2, { a: false, b: false }), result(3, { a: true })];
    const cross = reportSubset(rs, ['a', 'b'], 'cross-file', 1);
    assert.equal(cross.n, 2);
    assert.equal(cross.settings.b!.exact.mean, 1);
    assert.equal(cross.differences['b-a'].exact.mean, 0.5);
    const all = reportSubset(rs, ['a', 'b'], 'all', 1);
    assert.equal(all.settings.a!.exact.mean, 0.5);
    assert.ok(Math.abs(all.settings.b!.exact.mean - 2 / 3) < 1e-3, 'b ran on 3 targets');
    assert.ok(Math.abs(all.differences['b-a'].exact.mean - 1 / 3) < 1e-3, 'pairs only where both ran');
    const t = table([{ repo: 'r', report: all }, { repo: 'r', report: cross }], ['a', 'b'], 'exact');
    assert.match(t, /\| repository \| targets \| \(a\) \| \(b\) \| b-a \(paired\) \|/);
    assert.match(t, /\| r \| 4 \| 50\.0 \[/);
    assert.match(t, /\| r, cross-file lines \| 2 \| 50\.0 \[[^|]*\| 100\.0 \[100\.0, 100\.0\] \| \+50\.0 \[/);
  });

  it('two runs of the same targets: new - old paired over the targets both scored', () => {
    const score = (exact: boolean): Score => ({ predicted: exact ? 'x' : 'y', exact, editSim: exact ? 1 : 0.5, idExact: exact, contextTokens: 0, promptTokens: 0, blockSnippets: 0, prefilled: 0, generated: 0, ms: 0 });
    const rec = (repo: string, line: number, a: boolean, c?: boolean): TargetRecord => ({ repo, path: 'f.ts', line, truth: 'x', crossFile: [], a: score(a), ...(c === undefined ? {} : { c: score(c) }) });
    // Old: all wrong. New: right on every 4th target of r1 (a), on none of r2; c only in the new run
    // and one old target, so (c) has nothing in common; one new target the old run lacks.
    const olds = [...Array.from({ length: 40 }, (_, i) => rec('r1', i, false)), ...Array.from({ length: 40 }, (_, i) => rec('r2', i, false))];
    const news = [...Array.from({ length: 40 }, (_, i) => rec('r1', i, i % 4 === 0, true)), ...Array.from({ length: 40 }, (_, i) => rec('r2', i, false)), rec('r3', 0, true)];
    const text = compareRuns(news, olds);
    assert.match(text, /80 of 81 new and 80 old targets in common/);
    const row = (repo: string) => text.split('\n').find((l) => l.startsWith(`| ${repo} |`))!.split('|').map((c) => c.trim());
    assert.ok(row('r1')[3].startsWith('+25.0 ['), row('r1')[3]);
    assert.ok(row('r2')[3].startsWith('+0.0 [+0.0, +0.0]'), row('r2')[3]);
    assert.ok(row('all')[3].startsWith('+12.5 ['), row('all')[3]);
    assert.ok(!text.includes('(c)'), 'a setting only one run scored is not compared');
    assert.ok(!text.includes('| r3 |'));
  });

  it('what the editor shows by confidence level: the share shown, and of those the share exact, judged by each line\'s log-probability', () => {
    const sc = (exact: boolean, lineLogProb: number | undefined, predicted = exact ? 'x' : 'y'): Score => ({ predicted, exact, editSim: exact ? 1 : 0.5, idExact: exact, contextTokens: 0, promptTokens: 0, blockSnippets: 0, prefilled: 0, generated: 0, ms: 0, ...(lineLogProb === undefined ? {} : { lineLogProb }) });
    // 10 targets: 4 sure (-1, all exact), 2 likely (-3, one exact), 3 unsure (-9, none exact), 1 empty suggestion.
    const targets: TargetRecord[] = [];
    const add = (c: Score) => targets.push({ repo: 'r', path: 'f.ts', line: targets.length + 1, truth: 'x', crossFile: [], c });
    for (let i = 0; i < 4; i++) add(sc(true, -1));
    add(sc(true, -3));
    add(sc(false, -3));
    for (let i = 0; i < 3; i++) add(sc(false, -9));
    add(sc(false, undefined, '  '));
    const row = confidenceTable(targets).split('\n').find((l) => l.startsWith('| r | c |'))!.split('|').map((x) => x.trim());
    const [any, likely, sure] = row.slice(3, 6);
    assert.match(any, /^90\.0%, 55\.6 /, any);
    assert.match(likely, /^60\.0%, 83\.3 /, likely);
    assert.match(sure, /^40\.0%, 100\.0 /, sure);
    assert.match(sure, /, 1\.000$/);
  });

  it('what the editor shows judges a line chosen among candidates with the next line after it, as the extension does', () => {
    const line = (lineLogProb: number, next: number, exact: boolean): Score => ({ predicted: exact ? 'x' : 'y', exact, editSim: exact ? 1 : 0.5, idExact: exact, contextTokens: 0, promptTokens: 0, blockSnippets: 0, prefilled: 0, generated: 0, ms: 0, lineLogProb, candidates: { index: 0, lines: [{ text: exact ? 'x' : 'y', kind: 'first', tokens: 1, line: lineLogProb, next }] } });
    // Both lines pass "likely" by their own -3; the one that leads into the next line at -40 does not (-3 + 0.1 x -40 = -7).
    const targets: TargetRecord[] = [line(-3, -5, true), line(-3, -40, false)].map((c, i) => ({ repo: 'r', path: 'f.ts', line: i + 1, truth: 'x', crossFile: [], c }));
    const row = confidenceTable(targets).split('\n').find((l) => l.startsWith('| r | c |'))!.split('|').map((x) => x.trim());
    assert.match(row[3], /^100\.0%, 50\.0 /, row[3]);
    assert.match(row[4], /^50\.0%, 100\.0 /, row[4]);
  });

  it('what the editor shows judges a line whose next line leaves the block by itself against `leaving`, as the extension does', () => {
    const line = (lineLogProb: number, next: number, exact: boolean, leavesBlock: boolean): Score => ({ predicted: exact ? 'x' : 'y', exact, editSim: exact ? 1 : 0.5, idExact: exact, contextTokens: 0, promptTokens: 0, blockSnippets: 0, prefilled: 0, generated: 0, ms: 0, lineLogProb, leavesBlock, candidates: { index: 0, lines: [{ text: exact ? 'x' : 'y', kind: 'first', tokens: 1, line: lineLogProb, next }] } });
    // At "likely": -2.5 alone passes `leaving` (-3) though its next line is at -40; -3.5 alone does not though its next line is at -0.1 (with it: -3.51, above -5.75).
    const targets: TargetRecord[] = [line(-2.5, -40, true, true), line(-3.5, -0.1, false, true), line(-3.5, -0.1, false, false)].map((c, i) => ({ repo: 'r', path: 'f.ts', line: i + 1, truth: 'x', crossFile: [], c }));
    const row = confidenceTable(targets).split('\n').find((l) => l.startsWith('| r | c |'))!.split('|').map((x) => x.trim());
    assert.match(row[4], /^66\.7%, 50\.0 /, row[4]);
  });
});

