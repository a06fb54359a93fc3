import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { createCpuEngine } from '../src/cpu/engine';
import { cpuThreadCount, fastest, StepWidth, stepThreadsSetting } from '../src/cpu/threads';
import { WasmKernels } from '../src/cpu/wasm/kernels';
import type { StateData } from '../src/engine/state';
import type { Model } from '../src/model/weights';
import { fixtureDir, maxAbsDiffFlat, maxStateDiff } from './helpers/fixtures';
import type { EngineState } from '../src/engine/engine';

// The CPU engine's kernels on several threads (src/cpu/threads.ts: pieces of a product's columns
// or rows, of the scan's channels, of the attention's rows, or of its heads for decode) against one
// thread. Every output element is computed by the same code in the same order whichever thread
// computes it, so the two must agree bit for bit. (With 4 threads the x projection's 52 columns are
// too few to share, so its rows are.)

/** Logits of every token of a prompt in uneven parts, a few decode steps, and the final state. */
async function run(model: Model, threads: number): Promise<{ logits: Float32Array[]; state: StateData; device: string }> {
  const engine = createCpuEngine(model, { threads });
  try {
    const V = model.config.vocabSize;
    const tokens = Array.from({ length: 420 }, (_, i) => 8 + ((i * 7919) % (V - 8)));
    const s = engine.newState();
    const logits: Float32Array[] = [];
    // 150 tokens: two full chunks and a part; then 270 more starting mid-chunk, then decode.
    logits.push(await engine.prefill(tokens.slice(0, 150), s, { allLogits: true }));
    logits.push(await engine.prefill(tokens.slice(150), s, { allLogits: true }));
    // Enough decode steps for a whole trial of step widths (StepWidth: 1, 2, ... threads) and after.
    for (let i = 0; i < 40; i++) logits.push(await engine.step(8 + i, s));
    // A read with stops, as the workspace reads.
    await engine.read(tokens.slice(0, 100), s, { statesAt: [37, 100], onState: () => undefined });
    logits.push(await engine.step(9, s));
    return { logits, state: await engine.download(s), device: engine.deviceName };
  } finally {
    await engine.dispose();
  }
}

describe('CPU engine: kernels on several threads', () => {
  let model: Model;
  before(async () => {
    // Its weights with a window of 300 tokens: the prompt below goes past it, so the attention
    // band's lower edge moves, and its rows are long enough to be shared among threads.
    const real = await loadModel(path.join(__dirname, '..', '..', 'models', 'default'));
    model = { ...real, config: { ...real.config, window: 300 } };
  });

  for (const threads of [2, 3, 4]) {
    it(`gives the very logits and state of one thread, on the default model: ${threads} threads`, async () => {
      const one = await run(model, 1);
      const many = await run(model, threads);
      assert.match(many.device, new RegExp(`${threads} threads`));
      assert.equal(many.logits.length, one.logits.length);
      many.logits.forEach((l, i) => assert.equal(maxAbsDiffFlat(l, one.logits[i]), 0, `logits of call ${i} differ`));
      assert.equal(maxStateDiff(many.state, one.state), 0, 'states differ');
      assert.equal(many.state.position, one.state.position);
    });
  }

  it('a kernel that fails on a thread says what it threw, and fails that call alone', async () => {
    const k = WasmKernels.create(2)!;
    try {
      const T = 64, K = 64, N = 64; // enough work to be shared
      const x = k.put(Array.from({ length: T * K }, (_, i) => (i % 7) - 3));
      // W[N, K]: y = x W^T.
      const w = Float32Array.from({ length: N * K }, (_, i) => (i % 5) - 2);
      const b = k.putWeights(w, N, K);
      const y = k.alloc(T * N);
      k.resetScratch();
      // An output far past the memory: every piece traps.
      assert.throws(() => k.gemmWeights(T, K, N, x, K, b, 1 << 29, N, false), /failed on one of 2 threads: RuntimeError: memory access out of bounds/);
      k.gemmWeights(T, K, N, x, K, b, y, N, false);
      let want = 0;
      for (let j = 0; j < K; j++) want += k.f32[x + j] * w[j];
      assert.equal(k.f32[y], want, 'the next call runs');
    } finally {
      await k.dispose();
    }
  });

  it('takes its thread count from SAMBA_CPU_THREADS, and names it when it is wrong', () => {
    const saved = process.env.SAMBA_CPU_THREADS;
    try {
      process.env.SAMBA_CPU_THREADS = '3';
      assert.equal(cpuThreadCount(), 3);
      assert.equal(cpuThreadCount(1), 1, 'an explicit count wins');
      process.env.SAMBA_CPU_THREADS = 'two';
      assert.throws(() => cpuThreadCount(), /SAMBA_CPU_THREADS=two: expected a whole number from 1 to 255/);
      delete process.env.SAMBA_CPU_THREADS;
      assert.ok(cpuThreadCount() >= 1);
    } finally {
      if (saved === undefined) delete process.env.SAMBA_CPU_THREADS;
      else process.env.SAMBA_CPU_THREADS = saved;
    }
  });

  it('times decode steps at 1, 2, 4 ... threads in turn, keeps the fastest, and tries again later', () => {
    const w = new StepWidth(6);
    assert.deepEqual(w.widths, [1, 2, 4, 6]);
    assert.equal(w.best, 6, 'every thread until a trial ends');
    // A machine where 2 threads step in 3 ms, others in 5 (one 9 ms outlier at 2 does not matter).
    const ms = (width: number, i: number) => (width === 2 ? (i === 5 ? 9 : 3) : 5);
    const order: number[] = [];
    for (let i = 0; i < 4 * 4 * 3; i++) {
      order.push(w.width);
      w.record(ms(w.width, i));
    }
    assert.deepEqual(order.slice(0, 17), [1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 6, 6, 6, 6, 1]);
    assert.equal(w.best, 2);
    assert.equal(w.width, 2);
    // After 2,048 steps at the chosen width, a new trial.
    for (let i = 0; i < 2048; i++) w.record(3);
    assert.equal(w.width, 1);
    assert.deepEqual(new StepWidth(1).widths, [1]);
    assert.deepEqual(new StepWidth(2).widths, [1, 2]);
    assert.deepEqual(new StepWidth(16, 4).widths, [4], 'a fixed width is not tried against others');
    assert.equal(new StepWidth(16, 4).width, 4);
    assert.equal(fastest([[5, 5, 1], [4, 4, 100], []]), 1, 'by the median, not the least or the mean');
  });

  it("takes a decode step's threads from SAMBA_CPU_STEP_THREADS, and names it when it is wrong", () => {
    const saved = process.env.SAMBA_CPU_STEP_THREADS;
    try {
      delete process.env.SAMBA_CPU_STEP_THREADS;
      assert.equal(stepThreadsSetting(8), undefined, 'unset: timed');
      process.env.SAMBA_CPU_STEP_THREADS = '4';
      assert.equal(stepThreadsSetting(8), 4);
      assert.equal(stepThreadsSetting(2), 2, "at most the engine's threads");
      process.env.SAMBA_CPU_STEP_THREADS = '0';
      assert.throws(() => stepThreadsSetting(8), /SAMBA_CPU_STEP_THREADS=0: expected a whole number from 1 to 255/);
    } finally {
      if (saved === undefined) delete process.env.SAMBA_CPU_STEP_THREADS;
      else process.env.SAMBA_CPU_STEP_THREADS = saved;
    }
  });

  it('hands out states whose arrays come from released ones, each an exact copy', async () => {
    // The engine copies the state into the arrays of states released before (as the workspace
    // context thins its snapshots during a read); a kept state must not change when others are
    // released and reused.
    const tiny = await loadModel(fixtureDir('samba-tiny'));
    const engine = createCpuEngine(tiny, { threads: 1 });
    const tokens = Uint32Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % tiny.config.vocabSize);
    const statesAt = Array.from({ length: 30 }, (_, i) => 10 * (i + 1));
    const read = async (releaseOdd: boolean) => {
      const kept: (StateData | undefined)[] = [];
      const states: EngineState[] = [];
      await engine.read(tokens, engine.newState(), {
        statesAt,
        onState: async (i, s) => {
          states[i] = s;
          kept[i] = await engine.download(s);
          if (releaseOdd && i % 2 === 1) engine.release(s);
          if (releaseOdd && i >= 2 && i % 2 === 0) engine.restore(states[i - 2], s); // replaces a kept state's arrays too
        },
      });
      // The even states, read back at the end (after all the releases and reuses).
      return Promise.all(states.map(async (s, i) => (i % 2 === 0 && i + 2 < states.length ? engine.download(s) : kept[i])));
    };
    const plain = await read(false);
    const reused = await read(true);
    for (let i = 0; i < statesAt.length - 2; i += 2) {
      // restore() gave state i the contents of state i + 2.
      assert.equal(maxStateDiff(reused[i]!, plain[i + 2]!), 0, `state ${i}`);
      assert.equal(reused[i]!.position, plain[i + 2]!.position);
    }
    await engine.dispose();
  });
});
