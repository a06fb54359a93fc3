import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { openSafetensors, halfToFloat, writeSafetensors, type TensorToWrite } from '../src/model/safetensors';
import { GROUP, int8Model, int8Values } from '../src/model/quantize';
import { floatToHalf } from '../src/gpu/tensor';
import { createCpuEngine } from '../src/cpu/engine';
import type { SambaErrorCode } from '../src/model/errors';
import type { Model, Tensor } from '../src/model/weights';
import { TINY_SAMBA, tinySambaTensors, writeTinyModel, type TinyTensor } from './helpers/tiny-model';
import { maxDiff } from './helpers/workspace';
import { rejects } from './helpers/errors';

/**
 * Int8 weights in the model file (docs/model-format.md): an I8 matrix [rows, cols] with its scales
 * `<name>.scale` [rows, ceil(cols / 32)], read back as fround(scale * q). The tiny model's MLP down
 * projection has 48 columns, so its rows end in a short group.
 */

type Quantized = { q: Int8Array; scales: Float32Array; values: Float32Array };

/** training/quantize.py's scheme: s = f16(max|w| / 127) (or f32), q = round(w / s) in -127..127. */
function quantizeForFile(t: TinyTensor, scaleDtype: 'F16' | 'F32'): Quantized {
  const [rows, cols] = t.shape;
  const groups = Math.ceil(cols / GROUP);
  const q = new Int8Array(rows * cols);
  const scales = new Float32Array(rows * groups);
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      const end = Math.min(cols, (g + 1) * GROUP);
      let m = 0;
      for (let k = g * GROUP; k < end; k++) m = Math.max(m, Math.abs(t.data[r * cols + k]));
      let s = Math.fround(m / 127);
      if (scaleDtype === 'F16') s = halfToFloat(floatToHalf(s));
      scales[r * groups + g] = s;
      for (let k = g * GROUP; k < end; k++) {
        const i = r * cols + k;
        q[i] = s > 0 ? Math.max(-127, Math.min(127, Math.round(t.data[i] / s))) : 0;
        values[i] = Math.fround(s * q[i]);
      }
    }
  }
  return { q, scales, values };
}

function scaleTensor(name: string, shape: number[], scales: Float32Array, dtype: 'F16' | 'F32'): TensorToWrite {
  return dtype === 'F16' ? { name, shape, dtype, data: Uint16Array.from(scales, floatToHalf) } : { name, shape, data: scales };
}

/** The matrices quantize.py stores as int8: 2-D `.weight` with >= 32 columns, not dt_proj. */
const isQuantized = (t: TinyTensor) => t.shape.length === 2 && t.name.endsWith('.weight') && t.shape[1] >= GROUP && !t.name.endsWith('dt_proj.weight');

/** The tiny model's tensors, with one all-zero group (scale 0) in the embedding. */
function sourceTensors(): TinyTensor[] {
  return tinySambaTensors(7).map((t) => (t.name === 'embed.weight' ? { ...t, data: t.data.map((x, i) => (i >= 5 * 32 && i < 6 * 32 ? 0 : x)) } : t));
}

/** Its file form: quantized matrices as I8 + `.scale`, the rest F32; and the values each is read back as. */
function int8Tensors(scaleDtype: 'F16' | 'F32' = 'F16') {
  const file: TensorToWrite[] = [];
  const expected = new Map<string, Float32Array>();
  for (const t of sourceTensors()) {
    if (!isQuantized(t)) {
      file.push(t);
      expected.set(t.name, t.data);
      continue;
    }
    const { q, scales, values } = quantizeForFile(t, scaleDtype);
    file.push({ name: t.name, shape: t.shape, dtype: 'I8', data: q });
    file.push(scaleTensor(t.name + '.scale', [t.shape[0], Math.ceil(t.shape[1] / GROUP)], scales, scaleDtype));
    expected.set(t.name, values);
  }
  return { file, expected };
}

async function writeInt8Model(tensors: TensorToWrite[]): Promise<string> {
  const dir = await writeTinyModel();
  await writeSafetensors(path.join(dir, 'model.safetensors'), tensors);
  return dir;
}

/** Every tensor of a loaded model, by name (a tied head counted once). */
function byName(model: Model): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  const add = (t: Tensor | undefined) => t && out.set(t.name, t);
  const w = model.weights;
  [w.embed, w.normF, w.lmHead].forEach(add);
  for (const b of w.blocks) {
    [b.norm1, b.norm2].forEach(add);
    Object.values(b.mixer.kind === 'mamba' ? b.mixer.mamba : b.mixer.attention).forEach(add);
    if (b.mlp) Object.values(b.mlp).forEach(add);
  }
  return out;
}

/** The model with each tensor's values replaced (in memory, no file). */
function withValues(model: Model, values: Map<string, Float32Array>): Model {
  const v = (t: Tensor): Tensor => ({ ...t, data: values.get(t.name)! });
  const w = model.weights;
  const blocks = w.blocks.map((b) => ({
    norm1: v(b.norm1),
    norm2: b.norm2 && v(b.norm2),
    mixer:
      b.mixer.kind === 'mamba'
        ? { kind: 'mamba' as const, mamba: Object.fromEntries(Object.entries(b.mixer.mamba).map(([k, t]) => [k, t && v(t)])) as typeof b.mixer.mamba }
        : { kind: 'attention' as const, attention: { qkv: v(b.mixer.attention.qkv), out: v(b.mixer.attention.out) } },
    mlp: b.mlp && { gate: v(b.mlp.gate), up: v(b.mlp.up), down: v(b.mlp.down) },
  }));
  const embed = v(w.embed);
  return { ...model, weights: { embed, blocks, normF: v(w.normF), lmHead: w.lmHead === w.embed ? embed : v(w.lmHead) } };
}

async function logits(model: Model): Promise<Float32Array> {
  const engine = createCpuEngine(model);
  try {
    return await engine.prefill([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7], engine.newState(), { allLogits: true });
  } finally {
    await engine.dispose();
  }
}


/** The file's tensors with `name` changed by `f` (undefined: dropped). */
function edit(tensors: TensorToWrite[], name: string, f: (t: TensorToWrite) => TensorToWrite | undefined): TensorToWrite[] {
  assert.ok(tensors.some((t) => t.name === name), name);
  return tensors.flatMap((t) => (t.name === name ? (f(t) ?? []) : [t]));
}

describe('int8 weights in the model file', function () {
  this.timeout(120_000);

  for (const scaleDtype of ['F16', 'F32'] as const) {
    it(`loads I8 matrices as fround(scale * q) with ${scaleDtype} scales, and the rest unchanged`, async () => {
      const { file, expected } = int8Tensors(scaleDtype);
      const dir = await writeInt8Model(file);
      const model = await loadModel(dir);
      const loaded = byName(model);
      assert.deepEqual([...loaded.keys()].sort(), [...expected.keys()].sort(), 'the .scale tensors are no weights of their own');
      const sf = await openSafetensors(path.join(dir, 'model.safetensors'));
      assert.ok(![...sf.entries.keys()].some((n) => n.endsWith('.scale')));
      assert.equal(sf.scaleNames.size, file.filter((t) => t.dtype === 'I8').length);
      let quantized = 0;
      for (const [name, t] of loaded) {
        assert.deepEqual([...t.data], [...expected.get(name)!], name);
        if (t.sourceDtype === 'I8') quantized++;
      }
      assert.equal(quantized, 12, 'the embedding, 3 Mamba projections (not dt_proj), 2 attention projections, 2 x 3 MLP matrices');
      assert.ok(loaded.get('layers.0.mlp.down.weight')!.shape[1] % GROUP !== 0, 'a short last group is covered');
      assert.ok(expected.get('embed.weight')!.subarray(160, 192).every((x) => x === 0), 'a zero group (scale 0) is covered');
    });
  }

  for (const scaleDtype of ['F16', 'F32'] as const) {
    it(`values read from an I8 file (${scaleDtype} scales) pass through the engine's int8 storage unchanged`, async () => {
      const model = await loadModel(await writeInt8Model(int8Tensors(scaleDtype).file));
      for (const t of byName(model).values()) {
        if (t.sourceDtype !== 'I8') continue;
        const again = int8Values(t).data;
        for (let i = 0; i < again.length; i++) {
          assert.ok(Math.abs(again[i] - t.data[i]) <= 1e-6 * Math.abs(t.data[i]), `${t.name}[${i}]: ${t.data[i]} -> ${again[i]}`);
        }
      }
    });
  }

  it('the CPU reference on the I8 file gives the logits of the dequantized values, and of int8 storage of them', async () => {
    const { file, expected } = int8Tensors('F16');
    const fromFile = await loadModel(await writeInt8Model(file));
    const source = await loadModel(await writeTinyModel({ tensors: sourceTensors() }));
    const [a, b, c, f32] = await Promise.all([logits(fromFile), logits(withValues(source, expected)), logits(int8Model(fromFile)), logits(source)]);
    assert.equal(a.length, 14 * TINY_SAMBA.vocab_size);
    assert.ok(maxDiff(a, b) <= 1e-5, `file vs in-memory dequantized: ${maxDiff(a, b)}`);
    assert.ok(maxDiff(a, c) <= 1e-5, `file vs int8Model(file): ${maxDiff(a, c)}`);
    assert.ok(maxDiff(a, f32) > 1e-4, 'the int8 values are not the f32 ones (the test would see a loader that ignored the scales)');
  });

  it('loads from shards when each I8 tensor and its scales share a shard', async () => {
    const { file, expected } = int8Tensors('F16');
    const dir = await writeInt8Model([]);
    rmSync(path.join(dir, 'model.safetensors'));
    const half = file.findIndex((t) => t.name.startsWith('layers.1.'));
    const shards = [file.slice(0, half), file.slice(half)];
    const map: Record<string, string> = {};
    for (const [i, ts] of shards.entries()) {
      const name = `model-0000${i + 1}-of-00002.safetensors`;
      await writeSafetensors(path.join(dir, name), ts);
      for (const t of ts) map[t.name] = name;
    }
    writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: map }));
    const loaded = byName(await loadModel(dir));
    for (const [name, t] of loaded) assert.deepEqual([...t.data], [...expected.get(name)!], name);

    // The scales of layers.1.attn.out.weight moved to the other shard.
    const moved = 'layers.1.attn.out.weight.scale';
    const bad = [shards[0].concat(shards[1].filter((t) => t.name === moved)), shards[1].filter((t) => t.name !== moved)];
    for (const [i, ts] of bad.entries()) await writeSafetensors(path.join(dir, `model-0000${i + 1}-of-00002.safetensors`), ts);
    writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: { ...map, [moved]: 'model-00001-of-00002.safetensors' } }));
    await rejects(loadModel(dir), 'safetensors', 'layers.1.attn.out.weight', moved, 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'same shard');
  });

  describe('bad int8 tensors get an error naming the file and the tensor', () => {
    const good = () => int8Tensors('F16').file;
    const W = 'layers.1.mlp.down.weight'; // [32, 48]: scales [32, 2], the second group short
    const S = `${W}.scale`;
    const cases: [string, () => TensorToWrite[], SambaErrorCode, string[]][] = [
      ['an I8 tensor without its .scale', () => edit(good(), S, () => undefined), 'tensor-dtype', [W, S, 'same file']],
      ['a .scale of the wrong shape', () => edit(good(), S, (t) => ({ ...t, shape: [t.shape[1], t.shape[0]] })), 'tensor-shape', [S, W, '[2, 32]', '[32, 2]']],
      ['a .scale with one group too many', () => edit(good(), S, (t) => ({ name: S, shape: [32, 3], data: new Float32Array(32 * 3) })), 'tensor-shape', [S, '[32, 3]', '[32, 2]']],
      ['a .scale of dtype BF16', () => edit(good(), S, (t) => ({ ...t, dtype: 'BF16' }) as TensorToWrite), 'tensor-dtype', [S, 'BF16', 'F16 or F32']],
      ['a .scale of dtype I8', () => edit(good(), S, (t) => ({ name: S, shape: t.shape, dtype: 'I8', data: new Int8Array(t.data.length) })), 'tensor-dtype', [S, 'I8', 'F16 or F32']],
      ['a .scale without its tensor', () => edit(good(), W, () => undefined), 'tensor-dtype', [S, `no tensor "${W}"`]],
      ['a .scale whose tensor is F32', () => edit(good(), W, () => sourceTensors().find((t) => t.name === W)), 'tensor-dtype', [S, `"${W}" is F32, not I8`]],
      ['an I8 tensor that is not a matrix', () => edit(good(), 'layers.0.mamba.conv1d.weight', (t) => ({ name: t.name, shape: t.shape, dtype: 'I8', data: new Int8Array(t.data.length) })), 'tensor-dtype', ['layers.0.mamba.conv1d.weight', 'only matrices']],
      ['an int8 value of -128', () => edit(good(), W, (t) => ({ name: W, shape: t.shape, dtype: 'I8', data: Int8Array.from(t.data as Int8Array, (x, i) => (i === 5 ? -128 : x)) })), 'tensor-values', [W, '-128', 'index 5']],
      ['a negative scale', () => edit(good(), S, (t) => ({ name: S, shape: t.shape, dtype: 'F16', data: Uint16Array.from(t.data as Uint16Array, (x, i) => (i === 3 ? x | 0x8000 : x)) })), 'tensor-values', [S, 'negative', 'index 3']],
      ['a NaN scale', () => edit(good(), S, (t) => ({ name: S, shape: t.shape, dtype: 'F16', data: Uint16Array.from(t.data as Uint16Array, (x, i) => (i === 4 ? 0x7e00 : x)) })), 'tensor-values', [S, 'NaN', 'index 4']],
    ];
    for (const [what, tensors, code, mentions] of cases) {
      it(what, async () => {
        const dir = await writeInt8Model(tensors());
        await rejects(loadModel(dir), code, path.join(dir, 'model.safetensors'), ...mentions);
      });
    }
  });

  it('the model fingerprint covers the int8 values and their scales', async () => {
    const { file } = int8Tensors('F16');
    const dir = await writeInt8Model(file);
    const base = (await loadModel(dir)).fingerprint;
    const weights = path.join(dir, 'model.safetensors');
    const bytes = readFileSync(weights);
    copyFileSync(weights, weights + '.orig');
    const sf = await openSafetensors(weights);
    const w = sf.entries.get('layers.0.mlp.up.weight')!;
    for (const [what, at] of [['an int8 value', w.begin + 7], ['a scale', w.scale!.begin + 1]] as const) {
      const changed = Buffer.from(bytes);
      changed[at] ^= 1;
      writeFileSync(weights, changed);
      assert.notEqual((await loadModel(dir)).fingerprint, base, `changing ${what} changes the fingerprint`);
    }
    writeFileSync(weights, bytes);
    assert.equal((await loadModel(dir)).fingerprint, base);
  });
});
