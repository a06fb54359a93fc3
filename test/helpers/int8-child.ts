import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../src/model/load';
import { loadTokenizer } from '../../src/model/tokenizer';
import { createCpuEngine } from '../../src/cpu/engine';
import { WasmKernels } from '../../src/cpu/wasm/kernels';
import { argmax, logProb } from '../../src/engine/sampling';

/**
 * The int8 products' checks, run by test/cpu-int8.test.ts in a runtime that has them (the e2e
 * set-up's Node 24; Node 20's dot product gives other sums). Prints one JSON line.
 */
async function main(): Promise<void> {
  const out: Record<string, unknown> = { v8: process.versions.v8 };
  // The kernels against the sums of the very bytes they quantized and stored.
  const k = WasmKernels.create(1)!;
  out.int8 = k.int8;
  const T = 5, K = 64, N = 32;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const w = Float32Array.from({ length: N * K }, rnd);
  // One large input per row, as the residual stream has.
  const x = Float32Array.from({ length: T * K }, (_, i) => rnd() * (i % 29 === 0 ? 12 : 1));
  const Wq = k.putWeightsQ(w, N, K), X = k.put(x);
  const Y = k.alloc(T * N), Y2 = k.alloc(T * N);
  k.resetScratch();
  const q = { a: k.scratchAlloc((T * K) / 4), scale: k.scratchAlloc(T), sum: k.scratchAlloc(T) };
  const rest = { a: k.scratchAlloc((T * K) / 4), scale: k.scratchAlloc(T), sum: k.scratchAlloc(T) };
  k.quantizeRows(T, K, X, K, q);
  k.gemmQuantized(T, Wq, q, Y, N, false);
  k.quantizeRest(T, K, X, K, q, rest);
  k.f32.copyWithin(Y2, Y, Y + T * N);
  k.gemmQuantized(T, Wq, rest, Y2, N, true);
  const bytes = new Int8Array(k.f32.buffer);
  let kernelVsSums = 0, once = 0, twice = 0;
  for (let t = 0; t < T; t++)
    for (let n = 0; n < N; n++) {
      // exact: x times the weights as stored (their 7 bits), so that what is left is the input's rounding.
      let sums = 0, exact = 0;
      for (let j = 0; j < K; j++) {
        const u = bytes[Wq.u * 4 + (n - (n % 16)) * K + (j >> 2) * 64 + (n % 16) * 4 + (j & 3)];
        sums += bytes[q.a * 4 + t * K + j] * (u - 64);
        exact += x[t * K + j] * (u - 64) * k.f32[Wq.scales + n];
      }
      const want = sums * k.f32[q.scale + t] * k.f32[Wq.scales + n];
      kernelVsSums = Math.max(kernelVsSums, Math.abs(k.f32[Y + t * N + n] - want) / Math.max(1, Math.abs(want)));
      once = Math.max(once, Math.abs(k.f32[Y + t * N + n] - exact));
      twice = Math.max(twice, Math.abs(k.f32[Y2 + t * N + n] - exact));
    }
  Object.assign(out, { kernelVsSums, once, twice });
  await k.dispose();
  // The default model on this project's own source: int8 against f32, and on 1 and 2 threads.
  const dir = path.join(__dirname, '..', '..', '..', 'models', 'default');
  const model = await loadModel(dir);
  const tok = await loadTokenizer(dir, model.config.vocabSize);
  const ids = Array.from(tok.encode(readFileSync(path.join(__dirname, '..', '..', '..', 'src', 'cpu', 'batch.ts'), 'utf8'))).slice(0, 301);
  const V = model.config.vocabSize;
  const run = async (int8: boolean, threads: number) => {
    const e = createCpuEngine(model, { int8, threads });
    const s = e.newState();
    const logits = await e.prefill(ids.slice(0, 300), s, { allLogits: true });
    const steps = [await e.step(ids[300], s), await e.step(ids[1], s)];
    await e.dispose();
    return { device: e.deviceName, logits, steps };
  };
  const f32 = await run(false, 1), one = await run(true, 1), two = await run(true, 2);
  const row = (a: Float32Array, i: number) => a.subarray(i * V, (i + 1) * V);
  const stats = (l: Float32Array) => {
    let nll = 0, same = 0;
    for (let i = 0; i < 300; i++) {
      if (i < 299) nll -= logProb(l, ids[i + 1], i * V, V) / 299;
      same += argmax(row(l, i)) === argmax(row(f32.logits, i)) ? 1 : 0;
    }
    return { nll, same: same / 300 };
  };
  const bitsEqual = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  out.devices = [f32.device, one.device, two.device];
  out.f32 = stats(f32.logits);
  out.int8Stats = stats(one.logits);
  out.threadsEqual = bitsEqual(one.logits, two.logits) && one.steps.every((s, i) => bitsEqual(s, two.steps[i]));
  console.log(JSON.stringify(out));
}

void main().catch((e) => {
  console.log(JSON.stringify({ error: String(e?.stack ?? e) }));
  process.exitCode = 1;
});
