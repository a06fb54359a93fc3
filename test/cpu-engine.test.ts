import * as assert from 'node:assert/strict';
import { loadModel } from '../src/model/load';
import { createCpuEngine } from '../src/cpu/engine';
import { deserializeState, serializeState } from '../src/engine/state';
import { SambaError } from '../src/model/errors';
import { seededRandom } from '../src/engine/sampling';
import { FIXTURE_NAMES, fixtureDir, maxAbsDiff, maxAbsDiffFlat, readReference } from './helpers/fixtures';

// The CPU reference computes in f64 accumulators over f32 weights; PyTorch's f32 logits agree to ~1e-6.
const TOLERANCE = 1e-4;

describe('CPU reference engine', () => {
  for (const name of FIXTURE_NAMES) {
    it(`matches PyTorch logits at every position: ${name}`, async () => {
      const ref = readReference(name);
      const model = await loadModel(fixtureDir(name));
      const engine = createCpuEngine(model);
      const logits = await engine.prefill(ref.tokens, engine.newState(), { allLogits: true });
      const diff = maxAbsDiff(logits, ref.logits);
      console.log(`      ${name}: max |logit diff| vs PyTorch = ${diff.toExponential(2)} (tolerance ${TOLERANCE})`);
      assert.ok(diff < TOLERANCE, `max diff ${diff}`);
    });
  }

  it('prefill then steps equals one long prefill, at random split points beyond the window', async () => {
    const ref = readReference('samba-tiny');
    const model = await loadModel(fixtureDir('samba-tiny'));
    const engine = createCpuEngine(model);
    const V = model.config.vocabSize;
    const whole = await engine.prefill(ref.tokens, engine.newState(), { allLogits: true });
    const rnd = seededRandom(7);
    for (let trial = 0; trial < 4; trial++) {
      const split = 1 + Math.floor(rnd() * (ref.tokens.length - 2));
      const state = engine.newState();
      const parts = [await engine.prefill(ref.tokens.slice(0, split), state, { allLogits: true })];
      for (const t of ref.tokens.slice(split)) parts.push(await engine.step(t, state));
      const joined = new Float32Array(whole.length);
      let o = 0;
      for (const p of parts) joined.set(p, (o += p.length) - p.length);
      assert.equal(state.position, ref.tokens.length);
      assert.ok(maxAbsDiffFlat(joined, whole) < 1e-6, `split at ${split}`);
      assert.equal(joined.length, ref.tokens.length * V);
    }
  });

  it('a prefill without logits (noLogits) advances the state exactly as one with them, and returns none', async () => {
    const ref = readReference('samba-tiny');
    const model = await loadModel(fixtureDir('samba-tiny'));
    const engine = createCpuEngine(model);
    const V = model.config.vocabSize;
    const whole = await engine.prefill(ref.tokens, engine.newState(), { allLogits: true });
    const state = engine.newState();
    assert.equal((await engine.prefill(ref.tokens.slice(0, 7), state, { noLogits: true })).length, 0);
    assert.equal((await engine.prefill(ref.tokens.slice(7, 19), state, { noLogits: true })).length, 0);
    assert.equal(state.position, 19);
    const next = await engine.prefill(ref.tokens.slice(19), state, { allLogits: true });
    assert.ok(maxAbsDiffFlat(next, whole.subarray(19 * V)) < 1e-6);
    // allLogits wins over noLogits.
    assert.equal((await engine.prefill(ref.tokens.slice(0, 3), engine.newState(), { allLogits: true, noLogits: true })).length, 3 * V);
  });

  it('a restored snapshot continues identically; serialize/deserialize round-trips', async () => {
    const ref = readReference('samba-tiny');
    const model = await loadModel(fixtureDir('samba-tiny'));
    const engine = createCpuEngine(model);
    const state = engine.newState();
    await engine.prefill(ref.tokens.slice(0, 20), state);
    const snap = engine.snapshot(state);
    const bytes = serializeState(model, await engine.download(state));
    const a = await engine.prefill(ref.tokens.slice(20), state, { allLogits: true });
    const b = await engine.prefill(ref.tokens.slice(20), snap, { allLogits: true });
    assert.deepEqual(a, b);
    const revived = engine.upload(deserializeState(model, bytes));
    assert.equal(revived.position, 20);
    assert.deepEqual(await engine.prefill(ref.tokens.slice(20), revived, { allLogits: true }), a);
    engine.restore(state, snap);
    assert.equal(state.position, 40);
  });

  it('a released state refuses to run and can be filled again; a snapshot taken after a release continues identically', async () => {
    const ref = readReference('samba-tiny');
    const engine = createCpuEngine(await loadModel(fixtureDir('samba-tiny')));
    const state = engine.newState();
    await engine.prefill(ref.tokens.slice(0, 20), state);
    const gone = engine.snapshot(state);
    engine.release(gone);
    await assert.rejects(engine.prefill(ref.tokens.slice(20), gone), /released/);
    assert.throws(() => engine.snapshot(gone), /released/);
    engine.release(gone); // twice is harmless
    const again = engine.snapshot(state);
    engine.restore(gone, state); // a released state may be filled again
    assert.equal(gone.position, 20);
    const a = await engine.prefill(ref.tokens.slice(20), state, { allLogits: true });
    assert.deepEqual(await engine.prefill(ref.tokens.slice(20), again, { allLogits: true }), a);
    assert.deepEqual(await engine.prefill(ref.tokens.slice(20), gone, { allLogits: true }), a);
  });

  it('refuses a state that is corrupt, of another version, or from another model', async () => {
    const samba = await loadModel(fixtureDir('samba-tiny'));
    const mamba = await loadModel(fixtureDir('mamba-hf-tiny'));
    const engine = createCpuEngine(samba);
    const state = engine.newState();
    await engine.prefill([1, 2, 3], state);
    const bytes = Buffer.from(serializeState(samba, await engine.download(state)));
    const code = (f: () => unknown, text: RegExp) =>
      assert.throws(f, (e: unknown) => e instanceof SambaError && e.code === 'state' && text.test(e.message));
    code(() => deserializeState(mamba, bytes), /another model/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 40] ^= 1;
    code(() => deserializeState(samba, flipped), /checksum/);
    code(() => deserializeState(samba, bytes.subarray(0, bytes.length - 7)), /checksum|bad magic/);
    const future = Buffer.from(bytes);
    future.writeUInt32LE(99, 8);
    code(() => deserializeState(samba, future), /version 99/);
    code(() => deserializeState(samba, Buffer.from('hello world, this is not a state at all, no no no no')), /bad magic/);
  });

  it('full attention refuses to run past its KV capacity', async () => {
    const model = await loadModel(fixtureDir('transformer-tiny'));
    const engine = createCpuEngine(model);
    const state = engine.newState({ capacity: 4 });
    await engine.prefill([1, 2, 3, 4], state);
    await assert.rejects(engine.step(5, state), (e: unknown) => e instanceof SambaError && /4 key\/value slots/.test(e.message));
  });
});
