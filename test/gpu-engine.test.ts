import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import type { Model, Tensor } from '../src/model/weights';
import { SambaError } from '../src/model/errors';
import { createGpuEngine, type GpuEngine, type GpuEngineOptions } from '../src/gpu/engine';
import { argmax, logProb, sample } from '../src/engine/sampling';
import { FIXTURES, REFERENCE_FILE, readReference, type Reference } from './helpers/fixtures';
import { floatToHalf } from '../src/gpu/tensor';
import { gpuMemory } from '../src/gpu/memory';
import type { Recorder } from '../src/gpu/recorder';
import { halfToFloat } from '../src/model/safetensors';
import { createCpuEngine } from '../src/cpu/engine';
import { createEngine } from '../src/backend/create';
import type { Engine } from '../src/engine/engine';
import { randomModelOf } from '../bench/random-model';
import { promptVsPerToken } from '../bench/prompt-check';

// Runs on whatever WebGPU adapter the machine has (Mesa lavapipe on CPU-only machines), so every
// shape here is tiny.

const NAMES = ['samba-tiny', 'transformer-tiny', 'mamba-hf-tiny'] as const;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN propagates
  }
  return m;
}

/** Every tensor a model holds, found by walking it (its layout differs by family). */
function* tensorsOf(x: unknown): Generator<Tensor> {
  if (x && typeof x === 'object') {
    if ('data' in x && (x as Tensor).data instanceof Float32Array) yield x as Tensor;
    else for (const v of Object.values(x)) yield* tensorsOf(v);
  }
}

/** `model` with no tensor keeping its file's f16 bits (the f32 values converted back, as before). */
function stripHalves<T>(x: T): T {
  if (!x || typeof x !== 'object' || ArrayBuffer.isView(x)) return x;
  if (Array.isArray(x)) return x.map(stripHalves) as T;
  if ('data' in x && (x as unknown as Tensor).data instanceof Float32Array) {
    const { half: _bits, ...rest } = x as unknown as Tensor;
    return rest as T;
  }
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, stripHalves(v)])) as T;
}

const models = new Map<string, Model>();
async function fixture(name: string): Promise<{ model: Model; ref: Reference }> {
  const dir = path.join(FIXTURES, name);
  let model = models.get(name);
  if (!model) models.set(name, (model = await loadModel(dir)));
  return { model, ref: readReference(name) };
}

/** Engines are slow-ish to create on lavapipe (pipelines); share them within the file. */
const engines: GpuEngine[] = [];
async function engine(model: Model, options: GpuEngineOptions = {}): Promise<GpuEngine> {
  const e = await createGpuEngine(model, options);
  engines.push(e);
  return e;
}

const haveFixtures = NAMES.every((n) => existsSync(path.join(FIXTURES, n, REFERENCE_FILE)));

describe('gpu engine', function () {
  after(() => engines.forEach((e) => e.dispose()));

  (haveFixtures ? describe : describe.skip)('parity with PyTorch reference logits', () => {
    for (const name of NAMES) {
      it(`${name}: f32 weights match within 1e-3`, async () => {
        const { model, ref } = await fixture(name);
        const e = await engine(model, { chunk: 16 });
        const s = e.newState();
        const logits = await e.prefill(ref.tokens, s, { allLogits: true });
        const d = maxDiff(logits, ref.logits.flat());
        console.log(`      ${name} f32: max |diff| ${d.toExponential(2)} (${e.deviceName})`);
        assert.ok(d <= 1e-3, `max diff ${d}`);
      });
      it(`${name}: f16 weights match within 5e-3`, async () => {
        const { model, ref } = await fixture(name);
        const e = await engine(model, { chunk: 16, weights: 'f16' });
        const logits = await e.prefill(ref.tokens, e.newState(), { allLogits: true });
        const d = maxDiff(logits, ref.logits.flat());
        console.log(`      ${name} f16: max |diff| ${d.toExponential(2)}`);
        assert.ok(d <= 5e-3, `max diff ${d}`);
      });
    }
  });
  (haveFixtures ? describe : describe.skip)("f16 storage from an f16 file", () => {
    it("takes the file's bits as they are: the same logits, bit for bit, as converting the f32 values back", async () => {
      const { model, ref } = await fixture('transformer-tiny');
      const kept = [...tensorsOf(model)].filter((t) => t.half).length;
      assert.ok(kept > 0, 'the f16 file keeps its bits');
      const stripped = stripHalves(model);
      assert.equal([...tensorsOf(stripped)].filter((t) => t.half).length, 0);
      const [a, b] = [await engine(model, { chunk: 16, weights: 'f16' }), await engine(stripped, { chunk: 16, weights: 'f16' })];
      const la = await a.prefill(ref.tokens, a.newState(), { allLogits: true });
      const lb = await b.prefill(ref.tokens, b.newState(), { allLogits: true });
      assert.ok(la.length > 0 && la.every((v, i) => Object.is(v, lb[i])), 'logits differ');
    });

    it('lets the bits go once an engine is made (2 bytes a weight), on either backend', async () => {
      for (const backend of ['gpu', 'cpu'] as const) {
        const model = await loadModel(path.join(FIXTURES, 'transformer-tiny'));
        assert.ok([...tensorsOf(model)].some((t) => t.half));
        const e = await createEngine(model, { backend, weights: 'f16' });
        assert.equal([...tensorsOf(model)].filter((t) => t.half).length, 0, backend);
        if (backend === 'gpu') engines.push(e as GpuEngine);
      }
    });
  });

  (haveFixtures ? describe : describe.skip)('state handling (samba-tiny, window 8, chunks of 6)', () => {
    let e: GpuEngine;
    let tokens: number[];
    let full: Float32Array; // logits of one long prefill, [40 * V]
    let V: number;
    before(async () => {
      const { model, ref } = await fixture('samba-tiny');
      e = await engine(model, { chunk: 6 });
      tokens = ref.tokens;
      V = model.config.vocabSize;
      full = await e.prefill(tokens, e.newState(), { allLogits: true });
      assert.ok(maxDiff(full, ref.logits.flat()) <= 1e-3);
    });

    it('prefill then steps then prefill equals one long prefill, at random split points', async () => {
      let seed = 7;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      let worst = 0;
      for (let trial = 0; trial < 3; trial++) {
        const a = 1 + Math.floor(rand() * 20); // first prefill: 1..20 tokens (crosses chunks of 6)
        const b = a + 1 + Math.floor(rand() * 12); // then steps up to b (past the window of 8)
        const s = e.newState();
        const first = await e.prefill(tokens.slice(0, a), s);
        worst = Math.max(worst, maxDiff(first, full.subarray((a - 1) * V, a * V)));
        for (let t = a; t < b; t++) worst = Math.max(worst, maxDiff(await e.step(tokens[t], s), full.subarray(t * V, (t + 1) * V)));
        const rest = await e.prefill(tokens.slice(b), s, { allLogits: true });
        worst = Math.max(worst, maxDiff(rest, full.subarray(b * V)));
        assert.equal(s.position, tokens.length);
      }
      console.log(`      split vs whole: max |diff| ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-5, `max diff ${worst}`);
    });

    it("a scoring prefill (logProbsOf) gives each target token's log-probability from the GPU, as the host would from the logits, and advances the state the same", async () => {
      // Targets that are not the next tokens (a scorer's are), over chunks of 6; then the CPU reference agrees too.
      const targets = tokens.slice(0, 33).map((t, i) => (t * 7 + i) % V);
      const s = e.newState();
      const lp = await e.prefill(tokens.slice(0, 33), s, { logProbsOf: targets });
      assert.equal(lp.length, 33);
      assert.equal(s.position, 33);
      let worst = 0;
      for (let i = 0; i < 33; i++) worst = Math.max(worst, Math.abs(lp[i] - logProb(full, targets[i], i * V, V)));
      assert.ok(worst <= 1e-4, `max diff ${worst}`);
      const rest = await e.prefill(tokens.slice(33), s, { allLogits: true });
      assert.ok(maxDiff(rest, full.subarray(33 * V)) <= 1e-5);
      const cpu = createCpuEngine(e.model);
      const lpCpu = await cpu.prefill(tokens.slice(0, 33), cpu.newState(), { logProbsOf: targets });
      assert.ok(maxDiff(lpCpu, lp) <= 2e-3, `cpu vs gpu ${maxDiff(lpCpu, lp)}`);
      // One target per token, or a clear error that says so.
      await assert.rejects(e.prefill(tokens.slice(0, 4), e.newState(), { logProbsOf: targets.slice(0, 3) }), (err: Error) => err instanceof SambaError && /3 scoring targets for 4 tokens/.test(err.message));
    });

    it('a prefill without logits (noLogits) reads nothing back and advances the state exactly as one with them', async () => {
      const s = e.newState();
      // 4 and 15 tokens: a decode-sized prompt and one over chunks of 6; the logits that follow match the long prefill.
      assert.equal((await e.prefill(tokens.slice(0, 4), s, { noLogits: true })).length, 0);
      assert.equal((await e.prefill(tokens.slice(4, 19), s, { noLogits: true })).length, 0);
      assert.equal(s.position, 19);
      const rest = await e.prefill(tokens.slice(19), s, { allLogits: true });
      const worst = maxDiff(rest, full.subarray(19 * V));
      assert.ok(worst <= 1e-5, `max diff ${worst}`);
    });

    it('a restored snapshot continues identically', async () => {
      const s = e.newState();
      await e.prefill(tokens.slice(0, 13), s);
      const snap = e.snapshot(s);
      const go = async () => {
        const out: Float32Array[] = [];
        for (let t = 13; t < 25; t++) out.push(await e.step(tokens[t], s));
        return out;
      };
      const firstRun = await go();
      assert.equal(s.position, 25);
      assert.equal(snap.position, 13);
      e.restore(s, snap);
      assert.equal(s.position, 13);
      const second = await go();
      firstRun.forEach((l, i) => assert.equal(maxDiff(l, second[i]), 0));
      assert.ok(maxDiff(firstRun[11], full.subarray(24 * V, 25 * V)) <= 1e-5);
    });

    it('download/upload round trip keeps the state exactly', async () => {
      const s = e.newState();
      await e.prefill(tokens.slice(0, 17), s);
      const data = await e.download(s);
      assert.equal(data.position, 17);
      const c = e.model.config;
      assert.deepEqual(data.layers.map((l) => l.kind), c.mixers);
      for (const l of data.layers) {
        if (l.kind === 'mamba') {
          assert.equal(l.conv.length, (c.dConv - 1) * c.dInner);
          assert.equal(l.ssm.length, c.dInner * c.dState);
        } else {
          assert.equal(l.capacity, c.window);
          assert.equal(l.k.length, c.window * c.nKvHead * c.headDim);
        }
      }
      const u = e.upload(data);
      const again = await e.download(u);
      assert.deepEqual(again, data);
      const a = await e.prefill(tokens.slice(17, 30), u, { allLogits: true });
      assert.ok(maxDiff(a, full.subarray(17 * V, 30 * V)) <= 1e-5);
    });

    it('greedy argmax on the GPU equals the host argmax of the logits', async () => {
      const s = e.newState();
      await e.prefill(tokens.slice(0, 9), s);
      const snap = e.snapshot(s);
      const logits = await e.step(tokens[9], s);
      const id = await e.stepArgmax(tokens[9], snap);
      assert.equal(id, argmax(logits));
      assert.equal(snap.position, s.position);
    });

    it('greedy decoding on the GPU equals step-by-step argmax decoding', async () => {
      const s = e.newState();
      await e.prefill(tokens.slice(0, 9), s);
      const snap = e.snapshot(s);
      const ids = await e.greedy(tokens[9], 12, s);
      const want: number[] = [];
      let t = tokens[9];
      for (let i = 0; i < 12; i++) want.push((t = await e.stepArgmax(t, snap)));
      assert.deepEqual(ids, want);
      assert.equal(s.position, snap.position);
    });
  });

  (haveFixtures ? describe : describe.skip)('decode attention split over key ranges', () => {
    for (const name of ['transformer-tiny', 'samba-tiny'] as const) {
      it(`${name}: steps with 4-key splits match the reference`, async () => {
        const { model, ref } = await fixture(name);
        const e = await engine(model, { chunk: 8, splitKeys: 4 });
        const s = e.newState();
        const V = model.config.vocabSize;
        const want = ref.logits.flat();
        let worst = maxDiff(await e.prefill(ref.tokens.slice(0, 5), s), want.slice(4 * V, 5 * V));
        for (let t = 5; t < ref.tokens.length; t++) worst = Math.max(worst, maxDiff(await e.step(ref.tokens[t], s), want.slice(t * V, (t + 1) * V)));
        console.log(`      ${name}: split-key decode vs reference max |diff| ${worst.toExponential(2)}`);
        assert.ok(worst <= 1e-3, `max diff ${worst}`);
        e.dispose();
      });
    }
  });

  describe('decoding matvec with 32 to 256 lanes per row', () => {
    // Rows of 512 to 2048 inputs (64 to 256 quads), so asking for many workgroups widens the lanes
    // (a software adapter otherwise always uses 32).
    // A state size of 12 also makes the one-token scan leave some of its 16 threads per channel idle.
    it('a 512-wide samba decodes like the CPU reference with any lanes', async () => {
      const model = randomModelOf({ model_type: 'samba', hidden_size: 512, intermediate_size: 2048, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 32, sliding_window: 64, state_size: 12 });
      const tokens = [3, 9, 27, 17, 51, 33, 1, 40];
      const cpu = createCpuEngine(model);
      const cs = cpu.newState();
      const want: Float32Array[] = [];
      for (const t of tokens) want.push(await cpu.step(t, cs));
      // Few lanes; wide lanes; wide lanes in 128-thread workgroups, 3 of them walking all row blocks.
      for (const tuning of [{ matvecGroups: 1 }, { matvecGroups: 1e6 }, { matvecGroups: 1e6, matvecWorkgroup: 128, matvecMaxGroups: 3 }]) {
        const e = await engine(model, tuning);
        const s = e.newState();
        let worst = 0;
        for (let i = 0; i < tokens.length; i++) worst = Math.max(worst, maxDiff(await e.step(tokens[i], s), Array.from(want[i])));
        assert.ok(worst <= 1e-3, `${JSON.stringify(tuning)}: max diff ${worst}`);
        await e.dispose();
      }
    });
  });

  (haveFixtures ? describe : describe.skip)('prompt kernels (tiled matmul, flash attention, parallel scan) on long prompts', () => {
    for (const name of ['transformer-tiny', 'samba-tiny'] as const) {
      it(`${name}: 150 tokens in chunks of 100, 70 and 150 equal chunks of 3 (per-token kernels)`, async () => {
        const { model } = await fixture(name);
        for (const { chunk, maxAbsDiff: d } of await promptVsPerToken(model, (o) => engine(model, o))) {
          console.log(`      ${name} chunk ${chunk}: vs chunks of 3 max |diff| ${d.toExponential(2)}`);
          assert.ok(d <= 1e-4, `chunk ${chunk}: max diff ${d}`);
        }
      });
    }
  });

  (haveFixtures ? describe : describe.skip)('weights split into row blocks', () => {
    for (const name of ['samba-tiny', 'mamba-hf-tiny'] as const) {
      it(`${name}: a 4 KiB binding limit gives the same logits (f32 and f16)`, async () => {
        const { model, ref } = await fixture(name);
        for (const weights of ['f32', 'f16'] as const) {
          const whole = await engine(model, { weights, chunk: 16 });
          const split = await engine(model, { weights, chunk: 16, maxBindingBytes: 4096 });
          const a = await whole.prefill(ref.tokens, whole.newState(), { allLogits: true });
          const b = await split.prefill(ref.tokens, split.newState(), { allLogits: true });
          const d = maxDiff(a, b);
          console.log(`      ${name} ${weights}: split vs whole max |diff| ${d.toExponential(2)}`);
          assert.ok(d <= 1e-6, `max diff ${d}`);
          whole.dispose();
          split.dispose();
        }
      });
    }
  });

  describe('attention kernels on shapes the fixtures lack, against the CPU reference', () => {
    // Head dims 128 and 64 (the speed paths), padded ones (96, 160, 20), two K stages (256), the
    // scalar fallback (6), GQA groups of 4, 3 (the 421M shape), 1, 5 and 8 query heads per KV head
    // (the last two need two workgroups per KV head when decoding), and a sliding window shorter
    // than the prompt chunks (ring buffer wraps, key tiles start inside the cache).
    const T = { model_type: 'transformer', hidden_size: 32, num_hidden_layers: 1, max_position_embeddings: 256 };
    const cases: [string, Record<string, unknown>][] = [
      ['head_dim 128, 4 query heads per KV head', { ...T, num_attention_heads: 4, num_key_value_heads: 1, head_dim: 128 }],
      ['head_dim 64, 3 query heads per KV head', { ...T, num_attention_heads: 6, num_key_value_heads: 2, head_dim: 64 }],
      ['head_dim 96, no GQA', { ...T, num_attention_heads: 2, num_key_value_heads: 2, head_dim: 96 }],
      ['head_dim 256, 2 query heads per KV head', { ...T, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 256 }],
      ['head_dim 160, 2 query heads per KV head', { ...T, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 160 }],
      ['head_dim 20, 5 query heads per KV head', { ...T, num_attention_heads: 10, num_key_value_heads: 2, head_dim: 20 }],
      ['head_dim 6 (scalar kernel)', { ...T, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 6 }],
      ['samba, window 40, head_dim 32, 8 query heads per KV head', { model_type: 'samba', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 8, num_key_value_heads: 1, head_dim: 32, sliding_window: 40 }],
    ];
    for (const [label, config] of cases) {
      it(`${label}: 150-token prompt, a 3-token prompt, then steps match (chunks 64/100/150, 1 to 40 key splits)`, async () => {
        const model = randomModelOf(config);
        const V = model.config.vocabSize;
        const prompt = Array.from({ length: 150 }, (_, i) => (i * 37 + 11) % V);
        const more = [5, 17, 42];
        const steps = [3, 60, 9, 31];
        const run = async (e: Engine) => {
          const s = e.newState({ capacity: 256 });
          const out = [await e.prefill(prompt, s, { allLogits: true }), await e.prefill(more, s, { allLogits: true })];
          for (const t of steps) out.push(await e.step(t, s));
          return out.flatMap((x) => Array.from(x));
        };
        const want = await run(createCpuEngine(model));
        let scale = 0;
        for (const x of want) scale = Math.max(scale, Math.abs(x));
        for (const options of [{ chunk: 64 }, { chunk: 100, splitKeys: 128 }, { chunk: 150, splitKeys: 1 << 20 }, { chunk: 150, splitKeys: 4 }]) {
          const e = await engine(model, options);
          const d = maxDiff(await run(e), want);
          e.dispose();
          console.log(`      ${JSON.stringify(options)}: max |diff| ${d.toExponential(2)} (logits up to ${scale.toFixed(2)})`);
          assert.ok(d <= 1e-4 * Math.max(1, scale), `max diff ${d}`);
        }
      });
    }
  });

  (haveFixtures ? describe : describe.skip)('errors', () => {
    it('refuses bad tokens, foreign states, full-attention overflow, and use after dispose', async () => {
      const { model, ref } = await fixture('transformer-tiny');
      const e = await engine(model, { chunk: 16 });
      const other = await engine(model, { chunk: 16 });
      const s = e.newState({ capacity: 20 });
      await assert.rejects(e.prefill([1, 512], s), (err: unknown) => err instanceof SambaError && err.code === 'token-range');
      await assert.rejects(e.prefill([], s), (err: unknown) => err instanceof SambaError);
      await assert.rejects(e.step(1, other.newState()), (err: unknown) => err instanceof SambaError && err.code === 'state');
      await e.prefill(ref.tokens.slice(0, 20), s);
      await assert.rejects(e.step(1, s), (err: unknown) => err instanceof SambaError && err.code === 'state');
      assert.equal(s.position, 20);
      assert.throws(() => e.upload({ position: 0, layers: [] }), (err: unknown) => err instanceof SambaError && err.code === 'state');
      e.dispose();
      assert.throws(() => e.newState(), (err: unknown) => err instanceof SambaError && err.code === 'gpu');
      await assert.rejects(e.prefill([1], s), (err: unknown) => err instanceof SambaError && err.code === 'gpu');
      other.dispose();
    });
  });

  describe('host helpers', () => {
    it('floatToHalf rounds to nearest even and round-trips halves', () => {
      for (let h = 0; h < 0x10000; h += 7) {
        const x = halfToFloat(h);
        if (Number.isNaN(x)) continue;
        assert.equal(floatToHalf(x), h);
      }
      assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00); // tie to even
      assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
      assert.equal(floatToHalf(70000), 0x7c00);
      assert.equal(floatToHalf(2 ** -25), 0); // tie at the smallest subnormal rounds to even (0)
      assert.equal(floatToHalf(2 ** -24), 1);
    });

    it('sample: temperature 0 and top-k 1 are greedy; top-p keeps the head', () => {
      const logits = Float32Array.from([0.1, 3, 0.2, 2.9]);
      assert.equal(sample(logits, { temperature: 0 }, Math.random), 1);
      assert.equal(sample(logits, { temperature: 1, topK: 1 }, () => 0.99), 1);
      assert.equal(sample(logits, { temperature: 1, topP: 0.4 }, () => 0.99), 1);
      assert.equal(sample(logits, { temperature: 1, topK: 2 }, () => 0.99), 3);
    });
  });
});

describe('GPU engine: releasing states', () => {
  it('compiles every kernel it runs while it loads: none during prompts, scoring, steps or greedy decoding', async () => {
    for (const name of ['samba-tiny', 'transformer-tiny'] as const) {
      const model = await loadModel(path.join(FIXTURES, name));
      const engine = await createGpuEngine(model);
      try {
        const device = engine.gpuDevice as unknown as Record<string, (d: GPUComputePipelineDescriptor) => unknown>;
        let compiled = 0;
        for (const method of ['createComputePipeline', 'createComputePipelineAsync']) {
          const original = device[method].bind(device);
          device[method] = (d) => (compiled++, original(d));
        }
        const ids = Array.from({ length: 40 }, (_, i) => (i * 37 + 5) % model.config.vocabSize);
        const s = engine.newState();
        await engine.prefill(ids, s, { allLogits: true });
        await engine.prefill(ids.slice(0, 9), engine.newState(), { logProbsOf: ids.slice(1, 10) });
        await engine.step(ids[0], s);
        await engine.greedy(ids[1], 4, s);
        assert.equal(compiled, 0, `${name}: ${compiled} kernels compiled after the load`);
      } finally {
        await engine.dispose();
      }
    }
  });

  it('a released state is refused, others keep working', async () => {
    const engine = await createGpuEngine(await loadModel(path.join(FIXTURES, 'samba-tiny')));
    try {
      const a = engine.newState();
      await engine.prefill([1, 2, 3], a);
      const b = engine.snapshot(a);
      engine.release(a);
      await assert.rejects(engine.step(4, a), /released/);
      const logits = await engine.step(4, b);
      assert.equal(logits.length, 512);
    } finally {
      engine.dispose();
    }
  });

  // Every completion request snapshots the workspace state: new buffers each time. Their bind groups
  // (a few KiB each in the driver) piled up to 20,000 before this, and RSS grew under typing.
  it('GPU bytes and cached bind groups come back to where they were after the states of many requests are released', async () => {
    const engine = await createGpuEngine(await loadModel(path.join(FIXTURES, 'samba-tiny')));
    const rec = (engine as unknown as { rec: Recorder }).rec;
    const live = () => gpuMemory(engine.gpuDevice).liveBytes;
    try {
      const workspace = engine.newState();
      await engine.prefill([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], workspace);
      const request = async (i: number) => {
        const s = engine.snapshot(workspace);
        await engine.prefill([1 + (i % 7), 2, 3], s);
        await engine.step(4, s);
        await engine.greedy(5, 3, s);
        engine.release(s);
      };
      await request(0);
      const bytes = live();
      const groups = rec.cachedBindGroups;
      for (let i = 1; i <= 50; i++) await request(i);
      assert.equal(live(), bytes, 'GPU bytes after 50 released requests');
      assert.equal(rec.cachedBindGroups, groups, 'cached bind groups after 50 released requests');
      // States that stay alive keep their bind groups and count in the bytes, until released.
      const held = [engine.snapshot(workspace), engine.snapshot(workspace)];
      for (const s of held) await engine.step(4, s);
      const perState = (live() - bytes) / 2;
      assert.ok(perState > 0 && rec.cachedBindGroups > groups);
      assert.ok(gpuMemory(engine.gpuDevice).peakBytes >= bytes + 2 * perState);
      for (const s of held) engine.release(s);
      assert.equal(live(), bytes);
      assert.equal(rec.cachedBindGroups, groups);
      console.log(`      ${(bytes / 2 ** 20).toFixed(2)} MiB on the device and ${groups} bind groups, before and after 50 requests; ${perState} bytes per state`);
    } finally {
      await engine.dispose();
    }
  });
});
