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
  out.attention = attention(k, rnd);
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

/**
 * The int8 attention (gatherKVQuantized, attendQuantized) against the attention in doubles: the
 * largest error over random rows (L not a multiple of 16 or 4: the padding), and a wide window whose
 * many small weights (each under half of the bytes' step) hold most of the mass: they must count.
 */
function attention(k: WasmKernels, rnd: () => number): { random: number; wide: { got: number; want: number } } {
  const H = 5, G = 1, hd = 64, width = (H + 2 * G) * hd;
  const run = (T: number, nOld: number, kOld: Float32Array, vOld: Float32Array, qkv: Float32Array) => {
    const L = nOld + T;
    k.resetScratch();
    const at = { kOld: k.scratchAlloc(kOld.length), vOld: k.scratchAlloc(vOld.length), qkv: k.scratchAlloc(qkv.length) };
    const q = k.attentionScratch(T, G, hd, L);
    const o = k.scratchAlloc(T * H * hd);
    k.f32.set(kOld, at.kOld);
    k.f32.set(vOld, at.vOld);
    k.f32.set(qkv, at.qkv);
    k.gatherKVQuantized(L, nOld, G, hd, { kOld: at.kOld, vOld: at.vOld, kNew: at.qkv + H * hd, vNew: at.qkv + (H + G) * hd, ns: width }, q);
    // Causal: row i sees every position up to nOld + i.
    k.attendQuantized(T, H, G, hd, L, { q: at.qkv, qs: width, o, os: H * hd, scale: 1 / Math.sqrt(hd), lo: -L, hi: nOld + 1 }, q);
    return k.f32.slice(o, o + T * H * hd);
  };
  const exact = (T: number, nOld: number, kOld: Float32Array, vOld: Float32Array, qkv: Float32Array) => {
    const key = (j: number) => (j < nOld ? kOld.subarray(j * hd, (j + 1) * hd) : qkv.subarray((j - nOld) * width + H * hd, (j - nOld) * width + (H + 1) * hd));
    const value = (j: number) => (j < nOld ? vOld.subarray(j * hd, (j + 1) * hd) : qkv.subarray((j - nOld) * width + (H + 1) * hd, (j - nOld) * width + (H + 2) * hd));
    const out = new Float64Array(T * H * hd);
    for (let t = 0; t < T; t++)
      for (let h = 0; h < H; h++) {
        const qr = qkv.subarray(t * width + h * hd, t * width + (h + 1) * hd);
        const s = Array.from({ length: nOld + t + 1 }, (_, j) => key(j).reduce((a, kv, e) => a + kv * qr[e], 0) / Math.sqrt(hd));
        const m = Math.max(...s);
        const e = s.map((x) => Math.exp(x - m));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < e.length; j++) for (let c = 0; c < hd; c++) out[(t * H + h) * hd + c] += (e[j] / sum) * value(j)[c];
      }
    return out;
  };
  // Random rows: 37 positions before a chunk of 21.
  const T = 21, nOld = 37;
  const kOld = Float32Array.from({ length: nOld * hd }, rnd), vOld = Float32Array.from({ length: nOld * hd }, rnd);
  const qkv = Float32Array.from({ length: T * width }, () => rnd() * 2);
  const got = run(T, nOld, kOld, vOld, qkv), want = exact(T, nOld, kOld, vOld, qkv);
  let random = 0;
  for (let i = 0; i < got.length; i++) random = Math.max(random, Math.abs(got[i] - want[i]));
  // A wide window: 1,500 equal keys each e^-6.5 of the one key the query meets (0.0015, under the
  // bytes' half step of 1/508), values 1 there and -1 at that key: the small weights hold 69% of the mass.
  const n = 1501, one = 1, wk = new Float32Array(n * hd), wv = new Float32Array(n * hd).fill(1);
  for (let e = 0; e < hd; e++) wk[e] = e === 0 ? 6.5 : 0;
  for (let e = 0; e < hd; e++) wv[e] = -1;
  const wq = new Float32Array(one * width);
  wq.fill(0);
  for (let h = 0; h < H; h++) wq[h * hd] = Math.sqrt(hd);
  // The chunk's own key meets the query as the small ones do; its value is 1.
  for (let e = 0; e < hd; e++) wq[H * hd + e] = 0, wq[(H + 1) * hd + e] = 1;
  // T must allow the rows' kernels: pad the chunk to 8 rows by repeating the query row.
  const rows = 8, wqkv = new Float32Array(rows * width);
  for (let t = 0; t < rows; t++) wqkv.set(wq, t * width);
  const wide = run(rows, n, wk, wv, wqkv), wideWant = exact(1, n, wk, wv, wq);
  return { random, wide: { got: wide[0], want: wideWant[0] } };
}

void main().catch((e) => {
  console.log(JSON.stringify({ error: String(e?.stack ?? e) }));
  process.exitCode = 1;
});
