// A new model's `bench/eval-all.sh` run against a committed per-target baseline (eval-h100-picks.tsv
// of a bench/results/*/eval-*.tar.xz), paired on the targets both hold, so a lease need not
// evaluate the shipped weights again:
//   npm run build && node bench/pair-picks.mjs BASE-picks.tsv NEW/eval-*.jsonl
// Per repository and pooled: exact match and edit similarity of (a) and (c), old and new, the
// paired differences new - old, and the new run's (c) - (a); bootstrap 95% intervals.
// With --picks OUT.tsv it also writes the new run's own picks file (the same columns) for the next pairing.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { summarize } = require('../out/src/eval/stats.js');

const args = process.argv.slice(2);
const at = args.indexOf('--picks');
const picksOut = at >= 0 ? args.splice(at, 2)[1] : undefined;
const [tsv, ...files] = args;
if (!tsv || !files.length) {
  console.error('usage: node bench/pair-picks.mjs BASE-picks.tsv NEW/eval-*.jsonl [--picks NEW-picks.tsv]');
  process.exit(2);
}
const HEAD = 'repo\tpath\tline\ta_exact\tc_exact\ta_editSim\tc_editSim\ta_pick\tc_pick';
const key = (repo, path, line) => `${repo}\0${path}\0${line}`;
const base = new Map();
for (const l of readFileSync(tsv, 'utf8').split('\n').slice(1).filter(Boolean)) {
  const [repo, path, line, ae, ce, as, cs] = l.split('\t');
  base.set(key(repo, path, line), { a: { exact: +ae, editSim: +as }, c: { exact: +ce, editSim: +cs } });
}
const score = (s) => ({ exact: s.exact ? 1 : 0, editSim: s.editSim });
const rows = [];
const picks = [HEAD];
for (const f of files)
  for (const l of readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
    const t = JSON.parse(l);
    if (!t.a || !t.c) continue;
    picks.push([t.repo, t.path, t.line, +t.a.exact, +t.c.exact, t.a.editSim.toFixed(3), t.c.editSim.toFixed(3), t.a.candidates?.index ?? 0, t.c.candidates?.index ?? 0].join('\t'));
    const b = base.get(key(t.repo, t.path, t.line));
    if (b) rows.push({ repo: t.repo, b, n: { a: score(t.a), c: score(t.c) } });
  }
if (picksOut) writeFileSync(picksOut, picks.join('\n') + '\n');
const pct = (s) => `${(s.mean * 100).toFixed(1)} [${(s.ci95[0] * 100).toFixed(1)}, ${(s.ci95[1] * 100).toFixed(1)}]`;
const of = (rs, f) => pct(summarize(rs.map(f)));
console.log(`${rows.length} targets in both (${picks.length - 1} in the new run, ${base.size} in the baseline)`);
for (const repo of [...new Set(rows.map((r) => r.repo)), 'all']) {
  const rs = repo === 'all' ? rows : rows.filter((r) => r.repo === repo);
  console.log(`${repo} (${rs.length})`);
  for (const m of ['exact', 'editSim']) {
    console.log(`  ${m}: old a ${of(rs, (r) => r.b.a[m])} c ${of(rs, (r) => r.b.c[m])} | new a ${of(rs, (r) => r.n.a[m])} c ${of(rs, (r) => r.n.c[m])}`);
    console.log(`    new-old a ${of(rs, (r) => r.n.a[m] - r.b.a[m])} c ${of(rs, (r) => r.n.c[m] - r.b.c[m])} | new c-a ${of(rs, (r) => r.n.c[m] - r.n.a[m])}`);
  }
}
