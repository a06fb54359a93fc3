import * as assert from 'node:assert/strict';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { splitPassages } from '../src/qa/passages';
import { indexFiles, lexicalFiles, retrieve } from '../src/qa/retrieval';
import { Bm25Index } from '../src/qa/bm25';
import { terms } from '../src/qa/terms';
import { hitRates, qaQuestions, qaWorkspace } from './helpers/qa-workspace';
import { loadTiny } from './helpers/workspace';

describe('qa retrieval', () => {
  it('splits identifiers on camelCase, snake_case and acronyms, and stems lightly', () => {
    assert.deepEqual(terms('getUserName'), ['user', 'name', 'getusername']);
    assert.deepEqual(terms('FREE_SHIPPING_THRESHOLD'), ['free', 'shipp', 'threshold', 'free_shipping_threshold']);
    assert.deepEqual(terms('HTTPServer parses'), ['http', 'server', 'httpserver', 'pars']);
    assert.deepEqual(terms('parsing parsed parse'), ['pars', 'pars', 'pars']);
    assert.deepEqual(terms('What is the'), []);
  });

  it('splits files into overlapping passages with 1-based line ranges', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const ps = splitPassages('a.ts', text, { lines: 40, overlap: 10 });
    assert.deepEqual(ps.map((p) => [p.startLine, p.endLine]), [[1, 40], [31, 70], [61, 100]]);
    assert.equal(ps[1].text.split('\n')[0], 'line 31');
    assert.equal(ps[2].text.split('\n').at(-1), 'line 100');
    assert.deepEqual(splitPassages('b.ts', 'one\ntwo').map((p) => [p.startLine, p.endLine]), [[1, 2]]);
    assert.deepEqual(splitPassages('c.ts', '').map((p) => [p.startLine, p.endLine]), [[1, 1]]);
  });

  it('BM25 finds the file that answers each question (hit rate @1 and @3)', () => {
    const files = qaWorkspace();
    const questions = qaQuestions();
    assert.ok(questions.length >= 20);
    const index = indexFiles(files);
    const ranked = questions.map(({ q }) => retrieve(index, q, { limit: 6 }).map((p) => p.path));
    const { at1, at3 } = hitRates(ranked, questions.map((x) => x.file));
    const misses = questions.filter((x, i) => ranked[i][0] !== x.file).map((x, i) => `${x.q} -> ${ranked[questions.indexOf(x)][0]}`);
    console.log(`      BM25 over ${questions.length} questions, ${files.size} files: hit@1 ${(at1 * 100).toFixed(0)}%, hit@3 ${(at3 * 100).toFixed(0)}%`);
    for (const m of misses) console.log(`        miss@1: ${m}`);
    void misses;
    assert.ok(at1 >= 0.85, `hit@1 ${at1}`);
    assert.ok(at3 >= 0.95, `hit@3 ${at3}`);
  });

  it('passages carry path, lines and a descending score; at most maxPerFile per file', () => {
    const index = indexFiles(qaWorkspace());
    const r = retrieve(index, 'session token expiry refresh', { limit: 5, maxPerFile: 1 });
    assert.equal(r[0].path, 'src/auth/session.ts');
    assert.equal(new Set(r.map((p) => p.path)).size, r.length);
    for (let i = 1; i < r.length; i++) assert.ok(r[i - 1].score >= r[i].score);
    for (const p of r) assert.ok(p.startLine >= 1 && p.endLine >= p.startLine && p.text.length > 0);
  });

  it('the index follows the files one file at a time, and scores as a fresh index over the same files would', () => {
    const files = new Map(qaWorkspace());
    const index = new Bm25Index();
    assert.equal(index.sync(files), files.size);
    assert.equal(index.sync(files), 0, 'nothing changed, nothing indexed again');
    files.set('src/shipping.ts', files.get('src/shipping.ts')!.replace('FREE_SHIPPING', 'NO_CHARGE_SHIPPING'));
    files.delete('src/logger.ts');
    files.set('src/parcels.ts', 'export const PARCEL_BANDS = ["light", "heavy"];\n');
    assert.equal(index.sync(files), 2, 'the edited file and the new one');
    assert.deepEqual(index.paths, [...files.keys()]);
    for (const q of ['free shipping threshold', 'no charge shipping', 'logger level', 'parcel bands', 'session token expiry refresh']) {
      const fresh = indexFiles(files).search(q).map((h) => [h.passage.path, h.passage.startLine, h.score.toFixed(9)]);
      assert.deepEqual(index.search(q).map((h) => [h.passage.path, h.passage.startLine, h.score.toFixed(9)]), fresh, q);
    }
    assert.deepEqual(index.search('logger'), indexFiles(files).search('logger'));
  });

  it('fuses the model ranking by reciprocal rank: agreement lifts a file, a model-only file enters', () => {
    const index = indexFiles(qaWorkspace());
    const q = 'How is the cost computed?';
    const lexical = retrieve(index, q).map((p) => p.path);
    const target = 'src/shipping.ts';
    const modelScores = new Map([[target, -1], [lexical[0], -5], ['README.md', -2]]);
    const fused = retrieve(index, q, { modelScores, limit: 10 }).map((p) => p.path);
    assert.ok(fused.indexOf(target) <= Math.max(0, lexical.indexOf(target)), `${target} should not drop: ${fused}`);
    assert.ok(fused.includes('README.md'), 'a file only the model ranks still comes in');
    assert.deepEqual(lexicalFiles(index, 'rate limiter token bucket', 2)[0], 'src/http/rateLimit.ts');
  });

  it('the model ranking from LocalAssistant.scoreFiles fuses in (tiny random model: mechanics only)', async () => {
    const tiny = await loadTiny();
    const files = qaWorkspace();
    const assistant = new LocalAssistant({ ...tiny, files, scoreTokens: 256 });
    const index = indexFiles(files);
    const questions = qaQuestions();
    const ranked: string[][] = [];
    const t0 = Date.now();
    for (const { q } of questions) {
      const candidates = lexicalFiles(index, q, 4);
      const modelScores = await assistant.scoreFiles(q, candidates, new AbortController().signal);
      assert.deepEqual([...modelScores.keys()].sort(), [...candidates].sort());
      for (const v of modelScores.values()) assert.ok(Number.isFinite(v) && v < 0, `mean log-probability ${v}`);
      ranked.push(retrieve(index, q, { modelScores }).map((p) => p.path));
    }
    const { at1, at3 } = hitRates(ranked, questions.map((x) => x.file));
    console.log(`      BM25 + tiny random model (RRF): hit@1 ${(at1 * 100).toFixed(0)}%, hit@3 ${(at3 * 100).toFixed(0)}% (${Date.now() - t0} ms)`);
    assert.ok(at3 >= 0.8, 'a random model cannot push the right file out of the top 3 when BM25 has it first');
  });

  it('scoreFiles stops at an abort and skips unknown paths', async () => {
    const tiny = await loadTiny();
    const assistant = new LocalAssistant({ ...tiny, files: qaWorkspace(), scoreTokens: 64 });
    const abort = new AbortController();
    abort.abort();
    assert.equal((await assistant.scoreFiles('tax', ['src/pricing/tax.ts'], abort.signal)).size, 0);
    const s = await assistant.scoreFiles('tax', ['nope.ts', 'src/pricing/tax.ts'], new AbortController().signal);
    assert.deepEqual([...s.keys()], ['src/pricing/tax.ts']);
  });
});
