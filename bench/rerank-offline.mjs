// Offline study of the candidate-line choice (src/completion/rerank.ts) from `samba eval --details`
// files whose targets record their candidates (any --candidates N > 1): each candidate's line and
// next-line log-probabilities are kept, so other rules can be scored without the model.
// Prints exact match and edit similarity per setting for: the first K candidates (K = 1 is greedy)
// under score = a * log p(line) + log p(next line), a minimum-Bayes-risk choice (expected edit
// similarity to the others, weighted by softmax(score / T)), and the oracle (the best candidate).
// Reads the full details format or the compact one of bench/results/2026-12-03-stop21-h200.
// usage: npx tsc -p . --outDir out && node bench/rerank-offline.mjs DETAILS.jsonl[.xz] ...
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
const { editSimilarity, exactMatch } = createRequire(import.meta.url)('../out/src/eval/stats.js');

const text = (f) => (f.endsWith('.xz') ? execFileSync('xz', ['-dc', f], { maxBuffer: 1 << 30 }).toString() : readFileSync(f, 'utf8'));
const rows = process.argv.slice(2).flatMap((f) => text(f).split('\n').filter(Boolean).map((l) => JSON.parse(l)));
if (!rows.length) throw new Error('usage: node bench/rerank-offline.mjs DETAILS.jsonl[.xz] ...');
// Candidates as { text, tokens, line, next } whichever format.
const lines = (c) => c.lines.map((l) => (Array.isArray(l) ? { text: l[0], tokens: l[1], line: l[2], next: l[3] } : l));
const indentOf = (r) => /^[ \t]*/.exec(r.truth)[0];

function score(rs, setting, choose) {
  let ex = 0, es = 0;
  for (const r of rs) {
    const s = r[setting];
    let p = s.predicted;
    if (s.candidates) {
      const L = lines(s.candidates);
      const b = choose(L, r);
      // The eval's own prediction (post-processed) where the rule keeps its line.
      if (b !== s.candidates.index) p = indentOf(r) + L[b].text;
    }
    ex += exactMatch(p, r.truth) ? 1 : 0;
    es += editSimilarity(p, r.truth);
  }
  return `${((100 * ex) / rs.length).toFixed(1)}% / ${(es / rs.length).toFixed(3)}`;
}
const argmaxBy = (L, f) => L.reduce((b, c, i) => (f(c) > f(L[b]) ? i : b), 0);
const firstK = (K, f) => (L) => argmaxBy(L.slice(0, K), f);
const mbr = (K, T) => (L) => {
  const C = L.slice(0, K);
  const sc = C.map((c) => c.line + c.next);
  const m = Math.max(...sc);
  const w = sc.map((x) => Math.exp((x - m) / T));
  const Z = w.reduce((a, b) => a + b, 0);
  return argmaxBy(C.map((c, i) => i), (i) => C.reduce((v, d, j) => v + (w[j] / Z) * (i === j ? 1 : editSimilarity(C[i].text, d.text)), 0));
};

for (const setting of ['a', 'b', 'c']) {
  const rs = rows.filter((r) => r[setting]);
  if (!rs.length) continue;
  const most = Math.max(...rs.map((r) => (r[setting].candidates ? r[setting].candidates.lines.length : 1)));
  console.log(`\nsetting (${setting}), ${rs.length} targets (exact / edit similarity); up to ${most} candidates each`);
  console.log(`| K | a = 1 (shipped) | a = 0.5 | a = 0 (next line alone) | line / tokens + next | MBR, T = 1 |\n|---|---|---|---|---|---|`);
  for (const K of [1, 2, 4, 6, 8].filter((k) => k <= most)) {
    const cols = [
      score(rs, setting, firstK(K, (c) => c.line + c.next)),
      score(rs, setting, firstK(K, (c) => 0.5 * c.line + c.next)),
      score(rs, setting, firstK(K, (c) => c.next)),
      score(rs, setting, firstK(K, (c) => c.line / c.tokens + c.next)),
      score(rs, setting, mbr(K, 1)),
    ];
    console.log(`| ${K} | ${cols.join(' | ')} |`);
  }
  const oracle = score(rs, setting, (L, r) => argmaxBy(L, (c) => editSimilarity(indentOf(r) + c.text, r.truth) + (exactMatch(indentOf(r) + c.text, r.truth) ? 1 : 0)));
  console.log(`oracle (the best of all candidates): ${oracle}`);
}
