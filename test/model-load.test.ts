import * as assert from 'node:assert/strict';
import { writeFileSync, readFileSync, rmSync, truncateSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { toF32 } from '../src/model/safetensors';
import { loadTokenizer } from '../src/model/tokenizer';
import { createCpuEngine } from '../src/cpu/engine';
import { fixtureDir } from './helpers/fixtures';
import { TINY_SAMBA, tinySambaTensors, writeTinyModel } from './helpers/tiny-model';
import { rejects } from './helpers/errors';


function rawSafetensors(header: string | object, dataBytes = 0, declaredLength?: number): Buffer {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(declaredLength ?? text.length));
  return Buffer.concat([len, text, Buffer.alloc(dataBytes)]);
}

describe('model folders: bad input gets a clear error', () => {
  it('loads a good tiny model', async () => {
    const dir = await writeTinyModel();
    const model = await loadModel(dir);
    assert.equal(model.config.family, 'samba');
    assert.deepEqual(model.config.mixers, ['mamba', 'attention']);
    assert.equal(model.weights.lmHead, model.weights.embed, 'tied embeddings share one tensor');
    assert.equal(model.fingerprint.length, 32);
  });

  it('missing folder', async () => {
    await rejects(loadModel('/nonexistent/samba-model'), 'model-folder', '/nonexistent/samba-model', 'samba.model.path');
  });

  it('missing config.json', async () => {
    const dir = await writeTinyModel();
    rmSync(path.join(dir, 'config.json'));
    await rejects(loadModel(dir), 'model-folder', 'config.json');
  });

  it('config.json that is not JSON', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'config.json'), '{"model_type": "samba",');
    await rejects(loadModel(dir), 'config', 'config.json', 'not valid JSON');
  });

  it('unknown model_type', async () => {
    const dir = await writeTinyModel({ config: { ...TINY_SAMBA, model_type: 'llama' } });
    await rejects(loadModel(dir), 'config', 'model_type', '"llama"');
  });

  it('inconsistent config: heads not a multiple of kv heads', async () => {
    const dir = await writeTinyModel({ config: { ...TINY_SAMBA, num_attention_heads: 3, num_key_value_heads: 2 } });
    await rejects(loadModel(dir), 'config', 'num_attention_heads', 'num_key_value_heads');
  });

  it('missing required field', async () => {
    const { sliding_window: _, ...noWindow } = TINY_SAMBA;
    const dir = await writeTinyModel({ config: noWindow });
    await rejects(loadModel(dir), 'config', '"sliding_window" is missing');
  });

  it('no weights file', async () => {
    const dir = await writeTinyModel();
    rmSync(path.join(dir, 'model.safetensors'));
    await rejects(loadModel(dir), 'model-folder', 'model.safetensors');
  });

  it('truncated safetensors (shorter than its length field)', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'model.safetensors'), Buffer.alloc(5));
    await rejects(loadModel(dir), 'safetensors', 'model.safetensors', 'too short');
  });

  it('oversized header length', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'model.safetensors'), rawSafetensors('{}', 0, 2 ** 40));
    await rejects(loadModel(dir), 'safetensors', 'model.safetensors', 'over the');
  });

  it('header running past the end of the file', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'model.safetensors'), rawSafetensors('{}', 0, 4096));
    await rejects(loadModel(dir), 'safetensors', 'runs past the end');
  });

  it('tensor data pointing past the file (truncated download)', async () => {
    const dir = await writeTinyModel();
    const file = path.join(dir, 'model.safetensors');
    truncateSync(file, statSync(file).size - 100);
    await rejects(loadModel(dir), 'safetensors', 'points past the end', 'norm_f.weight');
  });

  it('header that is not JSON', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'model.safetensors'), rawSafetensors('{"a": [1,'));
    await rejects(loadModel(dir), 'safetensors', 'not valid JSON');
  });

  it('unsupported dtype', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'model.safetensors'), rawSafetensors({ 'embed.weight': { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, 16));
    await rejects(loadModel(dir), 'tensor-dtype', 'embed.weight', 'I64', 'F32, F16 and BF16');
  });

  it('missing tensor', async () => {
    const tensors = tinySambaTensors().filter((t) => t.name !== 'layers.0.mamba.A_log');
    const dir = await writeTinyModel({ tensors });
    await rejects(loadModel(dir), 'tensor-missing', 'layers.0.mamba.A_log');
  });

  it('wrong shape', async () => {
    const tensors = tinySambaTensors().map((t) => (t.name === 'layers.1.attn.qkv.weight' ? { ...t, shape: [t.shape[1], t.shape[0]] } : t));
    const dir = await writeTinyModel({ tensors });
    await rejects(loadModel(dir), 'tensor-shape', 'layers.1.attn.qkv.weight', '[32, 64]', '[64, 32]');
  });

  it('sharded index naming a missing shard', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'embed.weight': 'model-00001-of-00002.safetensors' } }));
    await rejects(loadModel(dir), 'safetensors', 'model-00001-of-00002.safetensors', 'is missing');
  });

  it('missing tokenizer', async () => {
    const dir = await writeTinyModel({ tokenizer: false });
    await rejects(loadTokenizer(dir, 64), 'tokenizer', 'tokenizer.json', 'missing');
  });

  it('invalid tokenizer', async () => {
    const dir = await writeTinyModel();
    writeFileSync(path.join(dir, 'tokenizer.json'), '{"version": "1.0"}');
    await rejects(loadTokenizer(dir, 64), 'tokenizer', 'tokenizer.json');
  });

  it('tokenizer of a bigger vocabulary than the model', async () => {
    const dir = await writeTinyModel();
    await rejects(loadTokenizer(dir, 16), 'tokenizer', 'vocab_size is 16');
  });

  it('a real byte-level BPE tokenizer round-trips code, with its special tokens', async () => {
    const tok = await loadTokenizer(fixtureDir('samba-tiny'), 512);
    const text = 'def add(a, b):\n    return a + b  # sum\n\tünïcode ✓\n';
    const ids = tok.encode(text);
    assert.ok(ids.length > 0 && ids.length < text.length, `BPE merges should shorten the text: ${ids.length} ids`);
    assert.ok(ids.every((i) => i >= 0 && i < 512));
    assert.equal(tok.decode(ids), text);
    assert.equal(tok.specialId('<|endoftext|>'), 0);
    assert.equal(tok.specialId('<|fim_middle|>'), 4);
  });

  it('token ids out of range', async () => {
    const model = await loadModel(await writeTinyModel());
    const engine = createCpuEngine(model);
    await rejects(engine.prefill([1, 64], engine.newState()), 'token-range', 'Token id 64', 'index 1', '[0, 64)');
    await rejects(engine.prefill([-1], engine.newState()), 'token-range', 'Token id -1');
  });

  it('config.json is read from the folder it names', async () => {
    const dir = await writeTinyModel();
    assert.match(readFileSync(path.join(dir, 'config.json'), 'utf8'), /samba/);
  });
});

describe('safetensors dtypes', () => {
  it('f16 weights read as the values their bits encode (normal, subnormal, signed zero, infinity, NaN)', async () => {
    const bits = [0x3c00, 0xc000, 0x3555, 0x0001, 0x03ff, 0x8000, 0x7bff, 0x7c00, 0xfc00, 0x7e00];
    const want = [1, -2, 0.333251953125, 2 ** -24, 1023 * 2 ** -24, -0, 65504, Infinity, -Infinity, NaN];
    const got = toF32(new Uint8Array(Uint16Array.from(bits).buffer), 'F16');
    assert.deepEqual(Array.from(got), want);
  });
});
