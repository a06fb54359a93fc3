import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { createCpuEngine } from '../src/cpu/engine';
import { seededRandom } from '../src/engine/sampling';
import { FIXTURE_NAMES, fixtureDir, maxAbsDiffFlat, maxStateDiff, readReference } from './helpers/fixtures';
import { randomModelOf } from '../bench/random-model';

// The batched prefill (WebAssembly SIMD, f32 sums) against the token-by-token reference (f64 sums).
const TOLERANCE = 2e-4;

describe('CPU engine: batched prefill', () => {
  for (const name of FIXTURE_NAMES) {
    it(`equals the token-by-token reference, logits and state, across chunk and window edges: ${name}`, async () => {
      const ref = readReference(name);
      const model = await loadModel(fixtureDir(name));
      const batched = createCpuEngine(model);
      const scalar = createCpuEngine(model, { batched: false });
      // A prompt longer than one chunk (64) and than samba-tiny's window (8), split unevenly.
      const rnd = seededRandom(3);
      const tokens = Array.from({ length: 150 }, (_, i) => (i < ref.tokens.length ? ref.tokens[i] : Math.floor(rnd() * model.config.vocabSize)));
      const sb = batched.newState({ capacity: 160 }), ss = scalar.newState({ capacity: 160 });
      let worst = 0;
      // Chunks under 8 tokens (decode steps) read the keys and values where they lie (attendRows): one at the start, two after a history.
      for (const [a, b] of [[0, 5], [5, 77], [77, 78], [78, 81], [81, 150]]) {
        const lb = await batched.prefill(tokens.slice(a, b), sb, { allLogits: true });
        const ls = await scalar.prefill(tokens.slice(a, b), ss, { allLogits: true });
        worst = Math.max(worst, maxAbsDiffFlat(lb, ls));
      }
      const sd = maxStateDiff(await batched.download(sb), await scalar.download(ss));
      console.log(`      ${name}: max |logit diff| ${worst.toExponential(2)}, max |state diff| ${sd.toExponential(2)}`);
      assert.equal(sb.position, 150);
      assert.ok(worst < TOLERANCE, `logits differ by ${worst}`);
      assert.ok(sd < TOLERANCE, `states differ by ${sd}`);
    });
  }

  it('equals the reference on the embedded model, a prompt and decode steps (real shapes: the memory grows during the first chunk)', async () => {
    const model = await loadModel(path.join(__dirname, '..', '..', 'models', 'default'));
    const tokens = Array.from({ length: 100 }, (_, i) => 8 + ((i * 7919) % (model.config.vocabSize - 8)));
    const batched = createCpuEngine(model);
    const scalar = createCpuEngine(model, { batched: false });
    const sb = batched.newState(), ss = scalar.newState();
    let diff = maxAbsDiffFlat(await batched.prefill(tokens, sb), await scalar.prefill(tokens, ss));
    // Decode steps: a few rows' attention (attendRows) on the real head width.
    for (const t of [11, 12, 13]) diff = Math.max(diff, maxAbsDiffFlat(await batched.step(t, sb), await scalar.step(t, ss)));
    const sd = maxStateDiff(await batched.download(sb), await scalar.download(ss));
    console.log(`      default model: max |logit diff| ${diff.toExponential(2)}, max |state diff| ${sd.toExponential(2)}`);
    assert.ok(diff < 1e-3 && sd < 1e-3, `logits ${diff}, states ${sd}`);
  });

  for (const hd of [8, 20]) {
    it(`decode steps with head width ${hd} (not a multiple of 16) equal the reference, in a window and past it`, async () => {
      const model = randomModelOf({ model_type: 'samba', hidden_size: 40, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: hd, sliding_window: 12 }, hd);
      const batched = createCpuEngine(model);
      const scalar = createCpuEngine(model, { batched: false });
      const sb = batched.newState(), ss = scalar.newState();
      const tokens = Array.from({ length: 30 }, (_, i) => (i * 7 + 3) % model.config.vocabSize);
      let worst = maxAbsDiffFlat(await batched.prefill(tokens.slice(0, 5), sb), await scalar.prefill(tokens.slice(0, 5), ss));
      for (const t of tokens.slice(5)) worst = Math.max(worst, maxAbsDiffFlat(await batched.step(t, sb), await scalar.step(t, ss)));
      assert.ok(worst < TOLERANCE, `logits differ by ${worst}`);
    });
  }

  it('decode steps on states taken in turns (snapshots, a prompt between steps, a restore) equal the reference', async () => {
    // Steps read the keys and values from a copy of the last stepped state's rings (batch.ts `rings`):
    // every way a state can change between two steps of it must be seen.
    const model = await loadModel(fixtureDir('samba-tiny'));
    const batched = createCpuEngine(model);
    const scalar = createCpuEngine(model, { batched: false });
    const rnd = seededRandom(5);
    const tok = () => Math.floor(rnd() * model.config.vocabSize);
    let worst = 0;
    const both = async (f: (e: typeof batched, s: Map<string, ReturnType<typeof batched.newState>>) => Promise<Float32Array | void>, sb: Map<string, ReturnType<typeof batched.newState>>, ss: Map<string, ReturnType<typeof batched.newState>>) => {
      const a = await f(batched, sb), b = await f(scalar, ss);
      if (a && b) worst = Math.max(worst, maxAbsDiffFlat(a, b));
    };
    const sb = new Map(), ss = new Map();
    const prompt = Array.from({ length: 20 }, tok);
    await both(async (e, m) => void m.set('a', e.newState({ capacity: 64 })), sb, ss);
    await both((e, m) => e.prefill(prompt, m.get('a')!), sb, ss);
    await both(async (e, m) => void m.set('b', e.snapshot(m.get('a')!)), sb, ss);
    const ops: [string, number[]][] = [['a', [tok()]], ['b', [tok()]], ['a', [tok()]], ['a', [tok()]], ['b', [tok()]], ['a', Array.from({ length: 9 }, tok)], ['a', [tok()]], ['b', [tok()]]];
    for (const [name, tokens] of ops) await both((e, m) => e.prefill(tokens, m.get(name)!), sb, ss);
    // b takes a's state, then both step on.
    await both(async (e, m) => e.restore(m.get('b')!, m.get('a')!), sb, ss);
    for (const name of ['b', 'a', 'b', 'b', 'a']) {
      const t = tok();
      await both((e, m) => e.step(t, m.get(name)!), sb, ss);
    }
    // A released state's arrays are reused by the next snapshot.
    await both(async (e, m) => { e.release(m.get('a')!); m.set('c', e.snapshot(m.get('b')!)); }, sb, ss);
    for (const name of ['c', 'b', 'c']) {
      const t = tok();
      await both((e, m) => e.step(t, m.get(name)!), sb, ss);
    }
    console.log(`      max |logit diff| ${worst.toExponential(2)}`);
    assert.ok(worst < TOLERANCE, `logits differ by ${worst}`);
  });

  it('continues a state the reference started, and the reverse', async () => {
    const ref = readReference('samba-tiny');
    const model = await loadModel(fixtureDir('samba-tiny'));
    const batched = createCpuEngine(model);
    const scalar = createCpuEngine(model, { batched: false });
    const s1 = scalar.newState();
    await scalar.prefill(ref.tokens.slice(0, 13), s1);
    const mixed = batched.upload(await scalar.download(s1));
    const a = await batched.prefill(ref.tokens.slice(13), mixed, { allLogits: true });
    const b = await scalar.prefill(ref.tokens.slice(13), s1, { allLogits: true });
    assert.ok(maxAbsDiffFlat(a, b) < TOLERANCE);
  });
});
