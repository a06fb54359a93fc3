import * as assert from 'node:assert/strict';
import { loadModel } from '../src/model/load';
import type { Model } from '../src/model/weights';
import { createCpuEngine } from '../src/cpu/engine';
import { createGpuEngine } from '../src/gpu/engine';
import type { Engine, EngineState } from '../src/engine/engine';
import { layerArrays } from '../src/engine/state';
import { fixtureDir, maxAbsDiffFlat } from './helpers/fixtures';
import { gpuMemory } from '../src/gpu/memory';

// Engine.read (one long pass, the state handed out at chosen positions) against what the context
// did before it: a prefill per file and a snapshot after each. samba-tiny has a window of 8, so the
// files below wrap the key/value ring many times, inside chunks and across them.

/** File lengths: single tokens, a run of tiny files (more stops than a GPU chunk takes), long ones. */
const FILES = [1, 2, 3, 9, 1, 17, ...Array.from({ length: 40 }, (_, i) => 1 + (i % 3)), 33, 5, 4, 70, 2];
const PROBE = [40, 41, 42, 43];

function tokensOf(V: number): { tokens: Uint32Array; statesAt: number[] } {
  const total = FILES.reduce((a, b) => a + b, 0);
  const tokens = Uint32Array.from({ length: total }, (_, i) => (i * 7919 + 13) % V);
  const statesAt: number[] = [];
  for (const n of FILES) statesAt.push((statesAt.at(-1) ?? 0) + n);
  return { tokens, statesAt };
}

/** The states after each file, file by file (prefill + snapshot) and in one read. */
async function both(engine: Engine, startAt = 0): Promise<{ byFile: EngineState[]; read: EngineState[]; statesAt: number[] }> {
  const { tokens, statesAt } = tokensOf(engine.model.config.vocabSize);
  // Full attention keeps a slot per token: room for all of them and the probe.
  const a = engine.newState({ capacity: 512 });
  const b = engine.newState({ capacity: 512 });
  if (startAt) {
    // Both start part-way into the ring and the scan, from the same state.
    await engine.prefill(tokens.subarray(0, startAt), a);
    engine.restore(b, a);
  }
  const byFile: EngineState[] = [];
  let at = 0;
  for (const end of statesAt) {
    await engine.prefill(tokens.subarray(at, end), a);
    byFile.push(engine.snapshot(a));
    at = end;
  }
  const read: EngineState[] = [];
  const done = await engine.read(tokens, b, { statesAt, onState: (i, s) => void (read[i] = s) });
  assert.equal(done, true);
  assert.equal(read.length, statesAt.length);
  assert.equal(b.position, a.position);
  engine.release(a);
  engine.release(b);
  return { byFile, read, statesAt };
}

/** Largest difference of the states' arrays, and of the logits of a probe run from each. */
async function compare(engine: Engine, x: EngineState[], y: EngineState[]): Promise<{ state: number; logits: number }> {
  let state = 0;
  let logits = 0;
  for (let i = 0; i < x.length; i++) {
    const [dx, dy] = [await engine.download(x[i]), await engine.download(y[i])];
    assert.equal(dx.position, dy.position, `position at boundary ${i}`);
    dx.layers.forEach((l, j) => layerArrays(l).forEach((arr, k) => (state = Math.max(state, maxAbsDiffFlat(arr, layerArrays(dy.layers[j])[k])))));
    const lx = await engine.prefill(PROBE, x[i], { allLogits: true });
    const ly = await engine.prefill(PROBE, y[i], { allLogits: true });
    logits = Math.max(logits, maxAbsDiffFlat(lx, ly));
    engine.release(x[i]);
    engine.release(y[i]);
  }
  return { state, logits };
}

describe('engine read: states at file boundaries from one long pass', () => {
  let model: Model;
  before(async () => (model = await loadModel(fixtureDir('samba-tiny'))));

  for (const batched of [true, false]) {
    it(`CPU engine (${batched ? 'batched' : 'token by token'}): every boundary's state and logits equal file-by-file reading exactly`, async () => {
      const engine = createCpuEngine(model, { batched });
      for (const startAt of [0, 5]) {
        const { byFile, read, statesAt } = await both(engine, startAt);
        const d = await compare(engine, byFile, read);
        console.log(`      ${statesAt.length} boundaries from ${startAt}: max |state diff| ${d.state}, |logit diff| ${d.logits}`);
        assert.equal(d.state, 0);
        assert.equal(d.logits, 0);
      }
    });
  }

  it('GPU engine (lavapipe here): every boundary within 1e-5 of file-by-file reading, across chunks and the ring', async () => {
    // Chunks of 24: stops fall inside chunks, at their ends, and past the window (8) within one chunk
    // (a stop's ring written by a dispatch); chunks of 8 fit the ring (a stop's ring copied before
    // and after the chunk, the keys it needs wrapping around the ring's end).
    for (const chunk of [8, 24, 2048]) {
      const engine = await createGpuEngine(model, { chunk });
      try {
        for (const startAt of [0, 5]) {
          const { byFile, read, statesAt } = await both(engine, startAt);
          const d = await compare(engine, byFile, read);
          console.log(`      chunk ${chunk}, ${statesAt.length} boundaries from ${startAt}: max |state diff| ${d.state.toExponential(2)}, |logit diff| ${d.logits.toExponential(2)} (${engine.deviceName})`);
          assert.ok(d.state <= 1e-5 && d.logits <= 1e-5, `state ${d.state}, logits ${d.logits}`);
        }
      } finally {
        await engine.dispose();
      }
    }
  });

  it('full attention (transformer-tiny) and pure Mamba (mamba-hf-tiny): CPU exact, GPU within 1e-5', async () => {
    for (const name of ['transformer-tiny', 'mamba-hf-tiny']) {
      const m = await loadModel(fixtureDir(name));
      const cpu = createCpuEngine(m);
      const c = await compare(cpu, ...(await both(cpu, 5).then((r) => [r.byFile, r.read] as const)));
      const gpu = await createGpuEngine(m, { chunk: 24 });
      try {
        const g = await compare(gpu, ...(await both(gpu, 5).then((r) => [r.byFile, r.read] as const)));
        console.log(`      ${name}: CPU |state diff| ${c.state}, |logit diff| ${c.logits}; GPU ${g.state.toExponential(2)}, ${g.logits.toExponential(2)}`);
        assert.equal(c.state, 0);
        assert.equal(c.logits, 0);
        assert.ok(g.state <= 1e-5 && g.logits <= 1e-5, `${name} GPU: state ${g.state}, logits ${g.logits}`);
      } finally {
        await gpu.dispose();
      }
    }
  });

  it('GPU: a long read reuses the states its reader releases (buffers made bounded whatever the files), and leaves nothing allocated', async () => {
    const engine = await createGpuEngine(model, { chunk: 24 });
    try {
      const device = engine.gpuDevice;
      const live = () => gpuMemory(device).liveBytes;
      // Counted on the device itself: every buffer made, by any path.
      let made = 0;
      const createBuffer = device.createBuffer.bind(device);
      device.createBuffer = (d: GPUBufferDescriptor) => (made++, createBuffer(d));
      const files = 300;
      const statesAt = Array.from({ length: files }, (_, i) => 2 * (i + 1));
      const tokens = Uint32Array.from({ length: 2 * files }, (_, i) => (i * 31 + 7) % model.config.vocabSize);
      const s = engine.newState();
      // A first read makes what stays with the engine (the read's stop buffers, room for its kernels' parameters).
      const warm = engine.newState();
      await engine.read(tokens, warm, { statesAt, onState: (_, st) => engine.release(st) });
      engine.release(warm);
      const base = live();
      const one = engine.newState();
      const stateBytes = live() - base;
      engine.release(one);
      // The reader keeps the last 4 states, as the context's thinning keeps a bounded number.
      const kept: EngineState[] = [];
      made = 0;
      const done = await engine.read(tokens, s, { statesAt, onState: (_, st) => void (kept.push(st) > 4 && engine.release(kept.shift()!)) });
      assert.equal(done, true);
      const perState = 2 * model.config.nLayer;
      console.log(`      ${files} states taken, ${made / perState} made`);
      // Alive at once: the 4 kept and the stops of the two chunks in flight (12 each).
      assert.ok(made <= 32 * perState, `${made / perState} states made for ${files} files`);
      assert.equal((live() - base) / stateBytes, 4, 'after the read only the 4 kept states stay allocated');
      for (const st of kept) engine.release(st);
      assert.equal(live(), base);
      engine.release(s);
    } finally {
      await engine.dispose();
    }
  });

  it('stops between chunks once cancelled, with the states so far handed out; refuses bad positions', async () => {
    const engines: Engine[] = [createCpuEngine(model), await createGpuEngine(model, { chunk: 16 })];
    for (const engine of engines) {
      const { tokens, statesAt } = tokensOf(model.config.vocabSize);
      const abort = new AbortController();
      const got: EngineState[] = [];
      const s = engine.newState();
      const done = await engine.read(tokens, s, {
        statesAt,
        signal: abort.signal,
        onState: (i, st) => {
          got.push(st);
          if (i === 2) abort.abort();
        },
      });
      assert.equal(done, false, engine.backend);
      assert.ok(got.length >= 3 && got.length < statesAt.length, `${got.length} states of ${statesAt.length}`);
      assert.ok(s.position < tokens.length);
      await assert.rejects(engine.read(tokens, engine.newState(), { statesAt: [3, 3], onState: () => undefined }), /statesAt must be increasing/);
      await assert.rejects(engine.read(tokens, engine.newState(), { statesAt: [tokens.length + 1], onState: () => undefined }), /statesAt/);
      await engine.dispose();
    }
  });
});
