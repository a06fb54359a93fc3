import type { Engine } from '../engine/engine';

/** Bucket edges [0, 256, 512, 1024, ...] doubling until they cover `maxLen` positions. */
export function bucketEdges(maxLen: number, first = 256): number[] {
  const edges = [0, first];
  while (edges[edges.length - 1] < maxLen) edges.push(edges[edges.length - 1] * 2);
  return edges;
}

export function bucketOf(edges: readonly number[], position: number): number {
  for (let b = 0; b < edges.length - 1; b++) if (position < edges[b + 1]) return b;
  return edges.length - 2;
}

export interface BucketAccumulator {
  readonly edges: number[];
  readonly sum: Float64Array;
  readonly count: Float64Array;
}

export function newBuckets(maxLen: number): BucketAccumulator {
  const edges = bucketEdges(maxLen);
  return { edges, sum: new Float64Array(edges.length - 1), count: new Float64Array(edges.length - 1) };
}

/**
 * Adds the NLL of every token of `seq` after the first, predicted from all before it, to the bucket
 * of its position (the target's index in the sequence: 1 .. length-1). Runs scoring prefills
 * (logProbsOf: the log-softmax where the logits are) in chunks from one fresh state.
 */
export async function sequenceNll(engine: Engine, seq: ArrayLike<number>, acc: BucketAccumulator, chunk = 512): Promise<number> {
  const inputs = seq.length - 1;
  const state = engine.newState({ capacity: seq.length });
  let total = 0;
  try {
    for (let t0 = 0; t0 < inputs; t0 += chunk) {
      const T = Math.min(chunk, inputs - t0);
      const ids = Array.from({ length: T }, (_, i) => seq[t0 + i]);
      const lp = await engine.prefill(ids, state, { logProbsOf: Array.from({ length: T }, (_, i) => seq[t0 + i + 1]) });
      for (let i = 0; i < T; i++) {
        const p = t0 + i + 1;
        const nll = -lp[i];
        const b = bucketOf(acc.edges, p);
        acc.sum[b] += nll;
        acc.count[b] += 1;
        total += nll;
      }
    }
  } finally {
    engine.release(state);
  }
  return total / Math.max(1, inputs);
}

/** Non-overlapping sequences of `length` tokens from a stream (at most `max`; a shorter stream gives one shorter sequence). */
export function cutSequences(stream: Uint32Array, length: number, max: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let s = 0; s + length <= stream.length && out.length < max; s += length) out.push(stream.subarray(s, s + length));
  if (!out.length && stream.length > 1) out.push(stream);
  return out;
}

export interface BucketReport {
  readonly from: number;
  readonly to: number;
  readonly tokens: number;
  readonly nll: number;
  readonly ppl: number;
}

export function reportBuckets(acc: BucketAccumulator): BucketReport[] {
  const r = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
  const out: BucketReport[] = [];
  for (let b = 0; b < acc.sum.length; b++) {
    if (!acc.count[b]) continue;
    const nll = acc.sum[b] / acc.count[b];
    out.push({ from: acc.edges[b], to: acc.edges[b + 1], tokens: acc.count[b], nll: r(nll), ppl: r(Math.exp(nll), 3) });
  }
  return out;
}
