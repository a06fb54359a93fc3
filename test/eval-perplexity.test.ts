import * as assert from 'node:assert/strict';
import { loadTiny, type Tiny } from './helpers/workspace';
import { writeEvalRepo } from './helpers/eval-repo';
import { loadRepo, repoStream } from '../src/eval/repo';
import { bucketEdges, bucketOf, cutSequences, newBuckets, reportBuckets, sequenceNll } from '../src/eval/perplexity';
import { logProb } from '../src/engine/sampling';

describe('eval: perplexity by position', () => {
  let tiny: Tiny;
  before(async () => (tiny = await loadTiny()));

  it('buckets double from 256 up to the longest position', () => {
    assert.deepEqual(bucketEdges(16384), [0, 256, 512, 1024, 2048, 4096, 8192, 16384]);
    assert.deepEqual(bucketEdges(300), [0, 256, 512]);
    assert.deepEqual(bucketEdges(100, 32), [0, 32, 64, 128]);
    const e = bucketEdges(2048);
    assert.equal(bucketOf(e, 0), 0);
    assert.equal(bucketOf(e, 255), 0);
    assert.equal(bucketOf(e, 256), 1);
    assert.equal(bucketOf(e, 2047), 3);
    assert.equal(bucketOf(e, 5000), 3, 'past the end: the last bucket');
  });

  it('logProb is log softmax, stable for large logits', () => {
    const l = Float32Array.of(0, 0, 1000, 1000, 0, Math.log(3));
    assert.ok(Math.abs(-logProb(l, 0, 0, 2) - Math.log(2)) < 1e-12);
    assert.ok(Math.abs(-logProb(l, 1, 2, 2) - Math.log(2)) < 1e-9);
    assert.ok(Math.abs(-logProb(l, 1, 4, 2) - Math.log(4 / 3)) < 1e-6);
  });

  it('chunked scoring prefills give the NLL of one pass, each position in its bucket', async () => {
    const repo = await loadRepo(await writeEvalRepo(), tiny.tokenizer);
    const stream = repoStream(repo, tiny.tokenizer);
    assert.equal(stream[stream.length - 1], tiny.tokenizer.specialId('<|endoftext|>'));
    assert.equal(stream.length, repo.tokens + 1);
    const seqs = cutSequences(stream, 301, 2);
    assert.equal(seqs.length, Math.min(2, Math.floor(stream.length / 301)));
    assert.ok(seqs.every((s) => s.length === 301));
    const seq = seqs[0];
    const a = newBuckets(300), b = newBuckets(300);
    const meanA = await sequenceNll(tiny.engine, seq, a, 37);
    const meanB = await sequenceNll(tiny.engine, seq, b, 512);
    assert.deepEqual([...a.count], [255, 45]);
    assert.ok(Math.abs(meanA - meanB) < 1e-5, `${meanA} vs ${meanB}`);
    // Reference: one prefill over all inputs, NLL of each next token.
    const V = tiny.engine.model.config.vocabSize;
    const logits = await tiny.engine.prefill([...seq.subarray(0, 300)], tiny.engine.newState(), { allLogits: true });
    let first = 0;
    for (let i = 0; i < 255; i++) first += -logProb(logits, seq[i + 1], i * V, V);
    assert.ok(Math.abs(a.sum[0] - first) < 1e-3, `${a.sum[0]} vs ${first}`);
    const rep = reportBuckets(a);
    assert.deepEqual(rep.map((r) => [r.from, r.to, r.tokens]), [[0, 256, 255], [256, 512, 45]]);
    assert.ok(Math.abs(rep[0].ppl - Math.exp(first / 255)) < 0.01 * rep[0].ppl);
    assert.deepEqual(cutSequences(Uint32Array.of(1, 2, 3), 10, 4).map((s) => s.length), [3], 'short stream: one shorter sequence');
  });
});
