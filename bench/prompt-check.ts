import type { Model } from '../src/model/weights';
import type { GpuEngine, GpuEngineOptions } from '../src/gpu/engine';

/**
 * The prompt kernels (tiled matmul, flash attention over several key tiles, staged scan) against
 * the per-token ones: a 150-token prompt prefilled in chunks of 100, 70 and 150, each compared with
 * chunks of 3 (the decoding kernels). Max |logit difference| per chunk size; the caller disposes
 * nothing (each engine is disposed here).
 */
export async function promptVsPerToken(model: Model, make: (o: GpuEngineOptions) => Promise<GpuEngine>): Promise<{ chunk: number; maxAbsDiff: number }[]> {
  const n = 150;
  const tokens = Array.from({ length: n }, (_, i) => (i * 7919 + 13) % model.config.vocabSize);
  const run = async (chunk: number) => {
    const e = await make({ chunk });
    const out = await e.prefill(tokens, e.newState({ capacity: n }), { allLogits: true });
    await e.dispose();
    return out;
  };
  const small = await run(3);
  const result: { chunk: number; maxAbsDiff: number }[] = [];
  for (const chunk of [100, 70, 150]) {
    const out = await run(chunk);
    let d = 0;
    for (let i = 0; i < out.length; i++) d = Math.max(d, Math.abs(out[i] - small[i]));
    result.push({ chunk, maxAbsDiff: d });
  }
  return result;
}
