import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { openSafetensors, readTensor, writeSafetensors } from '../src/model/safetensors';
import { createCpuEngine } from '../src/cpu/engine';
import { ModelSession } from '../src/worker/session';
import { fixtureDir } from './helpers/fixtures';
import { mkfifoSync } from './helpers/fifo';
import { tempDir, text, writeFiles } from './helpers/workspace';
import { TINY_SAMBA, tinySambaTensors, writeTinyModel } from './helpers/tiny-model';
import { rejects } from './helpers/errors';

// Hostile and broken model folders (issue 16, items 4-9 and the weak cases; docs/bad-input.md lists them).


/** A copy of a fixture model folder that a test may edit. */
function copyFixture(name: string): string {
  const dir = path.join(tempDir('model-edit'), name);
  cpSync(fixtureDir(name), dir, { recursive: true });
  return dir;
}

function editConfig(dir: string, edit: Record<string, unknown>): void {
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...edit }));
}

function rawSafetensors(header: string): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(header)));
  return Buffer.concat([len, Buffer.from(header)]);
}

describe('bad input: model folders (hostile and broken)', function () {
  this.timeout(120_000);

  it('a Llama-3-sized tokenizer (128,256 entries) loads', async () => {
    const dir = copyFixture('samba-tiny');
    const file = path.join(dir, 'tokenizer.json');
    const tok = JSON.parse(readFileSync(file, 'utf8'));
    for (let id = 512; id < 128_256; id++) tok.model.vocab[`piece${id}`] = id;
    writeFileSync(file, JSON.stringify(tok));
    const t = await loadTokenizer(dir, 131_072);
    assert.equal(t.vocabSize, 128_256);
    assert.deepEqual(t.encode('piece1000'), t.encode('piece1000'));
  });

  it('absurd config sizes are refused before anything is allocated for them', async () => {
    const mamba = copyFixture('mamba-hf-tiny');
    editConfig(mamba, { num_hidden_layers: 1e8 });
    await rejects(loadModel(mamba), 'config', 'num_hidden_layers', 'limit');
    const samba = copyFixture('samba-tiny');
    editConfig(samba, { num_hidden_layers: 1e9 });
    await rejects(loadModel(samba), 'config', 'num_hidden_layers');
    editConfig(samba, { num_hidden_layers: 1000 });
    await rejects(loadModel(samba), 'config', 'num_hidden_layers is 1000', 'weights hold 4 blocks');
    editConfig(samba, { num_hidden_layers: 4, sliding_window: 2_097_152 });
    await rejects(loadModel(samba), 'config', 'sliding_window');
    editConfig(samba, { sliding_window: 131_072, num_key_value_heads: 4, head_dim: 1024 });
    await rejects(loadModel(samba), 'config', 'sliding_window 131072', 'MiB');
    const transformer = copyFixture('transformer-tiny');
    editConfig(transformer, { max_position_embeddings: 1e12 });
    await rejects(loadModel(transformer), 'config', 'max_position_embeddings');
  });

  it('a tensor in a shard the index does not name for it is ignored: the index is followed', async () => {
    const good = await loadModel(fixtureDir('samba-tiny'));
    const dir = copyFixture('samba-tiny');
    // A stray zeroed embedding in the second shard (sorted last), which the index does not name for it.
    const shard = path.join(dir, 'model-00002-of-00002.safetensors');
    const f = await openSafetensors(shard);
    const tensors = [];
    for (const e of f.entries.values()) tensors.push({ name: e.name, shape: [...e.shape], data: await readTensor(f, e) });
    tensors.push({ name: 'embed.weight', shape: [...good.weights.embed.shape], data: new Float32Array(good.weights.embed.data.length) });
    await writeSafetensors(shard, tensors);
    const m = await loadModel(dir);
    assert.deepEqual(m.weights.embed.data, good.weights.embed.data);
    const e1 = createCpuEngine(good), e2 = createCpuEngine(m);
    assert.deepEqual(await e2.prefill([1, 2, 3], e2.newState()), await e1.prefill([1, 2, 3], e1.newState()));
    // The index naming a shard that lacks the tensor says so.
    const index = path.join(dir, 'model.safetensors.index.json');
    const j = JSON.parse(readFileSync(index, 'utf8'));
    const wrong = j.weight_map['norm_f.weight'] === 'model-00001-of-00002.safetensors' ? 'model-00002-of-00002.safetensors' : 'model-00001-of-00002.safetensors';
    j.weight_map['norm_f.weight'] = wrong;
    writeFileSync(index, JSON.stringify(j));
    await rejects(loadModel(dir), 'tensor-missing', 'norm_f.weight', wrong);
  });

  it('saved states follow the tokenizer and every weight byte: the fingerprint changes with either', async () => {
    const base = copyFixture('samba-tiny');
    const tokFile = path.join(base, 'tokenizer.json');
    const tok = JSON.parse(readFileSync(tokFile, 'utf8'));
    writeFileSync(tokFile, JSON.stringify(tok));
    const before = (await loadModel(base)).fingerprint;
    assert.equal((await loadModel(base)).fingerprint, before, 'the same folder, the same fingerprint');
    // Two token ids swapped in tokenizer.json, the weights untouched.
    const swapped = copyFixture('samba-tiny');
    const a = tok.model.vocab.hi, b = tok.model.vocab.ing;
    tok.model.vocab.hi = b;
    tok.model.vocab.ing = a;
    writeFileSync(path.join(swapped, 'tokenizer.json'), JSON.stringify(tok));
    assert.notEqual((await loadModel(swapped)).fingerprint, before);
    // 64 bytes changed in the middle of a tensor, far from its first and last 256 bytes.
    const edited = copyFixture('samba-tiny');
    writeFileSync(path.join(edited, 'tokenizer.json'), readFileSync(tokFile));
    const shard = path.join(edited, 'model-00001-of-00002.safetensors');
    const f = await openSafetensors(shard);
    const big = [...f.entries.values()].sort((x, y) => y.end - y.begin - (x.end - x.begin))[0];
    const bytes = readFileSync(shard);
    const mid = big.begin + Math.floor((big.end - big.begin) / 2 / 4) * 4;
    new Float32Array(bytes.buffer, bytes.byteOffset + mid, 16).fill(0.125);
    writeFileSync(shard, bytes);
    assert.notEqual((await loadModel(edited)).fingerprint, before);

    // End to end: a session reopening the workspace with the swapped tokenizer reads every token again.
    const root = tempDir('fp-ws');
    await writeFiles(root, { 'a.ts': text('a', 4), 'b.ts': text('b', 3) });
    const storageDir = tempDir('fp-store');
    const run = async (modelDir: string) => {
      const s = new ModelSession();
      await s.load({ modelDir, backend: 'cpu', storageDir });
      const r = await s.open({ root, filter: {}, budgetTokens: 100_000 });
      s.dispose();
      return r;
    };
    const first = await run(base);
    assert.equal((await run(base)).prefilledTokens, 0, 'unchanged: states reused');
    const other = await run(swapped);
    assert.equal(other.prefilledTokens, other.totalTokens, 'tokenizer changed: nothing reused');
    assert.ok(first.totalTokens > 0);
  });

  it('FIFOs named like model files are refused at once, not waited on', async function () {
    this.timeout(20_000); // a hang is the failure
    for (const name of ['config.json', 'tokenizer.json', 'model.safetensors']) {
      const dir = await writeTinyModel();
      rmSync(path.join(dir, name));
      mkfifoSync(path.join(dir, name));
      const p = name === 'tokenizer.json' ? loadTokenizer(dir, 64) : loadModel(dir);
      await rejects(p, name === 'tokenizer.json' ? 'tokenizer' : name === 'config.json' ? 'config' : 'safetensors', name, 'named pipe');
    }
    const dir = await writeTinyModel();
    rmSync(path.join(dir, 'tokenizer.json'));
    mkfifoSync(path.join(dir, 'tokenizer.json'));
    await rejects(loadModel(dir), 'tokenizer', 'named pipe'); // the fingerprint reads it too
  });

  it('folders, links and devices named like model files say what they are', async () => {
    const dir = await writeTinyModel();
    rmSync(path.join(dir, 'model.safetensors'));
    mkdirSync(path.join(dir, 'model.safetensors'));
    await rejects(loadModel(dir), 'safetensors', 'model.safetensors is a folder');
    const cfg = await writeTinyModel();
    rmSync(path.join(cfg, 'config.json'));
    mkdirSync(path.join(cfg, 'config.json'));
    await rejects(loadModel(cfg), 'config', 'config.json is a folder');
    const tk = await writeTinyModel();
    rmSync(path.join(tk, 'tokenizer.json'));
    mkdirSync(path.join(tk, 'tokenizer.json'));
    await rejects(loadTokenizer(tk, 64), 'tokenizer', 'tokenizer.json is a folder');
    const dangling = await writeTinyModel();
    rmSync(path.join(dangling, 'model.safetensors'));
    symlinkSync('nowhere.safetensors', path.join(dangling, 'model.safetensors'));
    await rejects(loadModel(dangling), 'safetensors', 'model.safetensors is a link to a file that does not exist');
    const loop = await writeTinyModel();
    rmSync(path.join(loop, 'model.safetensors'));
    symlinkSync('model.safetensors', path.join(loop, 'model.safetensors'));
    await rejects(loadModel(loop), 'safetensors', 'loops');
    const zero = await writeTinyModel();
    rmSync(path.join(zero, 'config.json'));
    symlinkSync('/dev/zero', path.join(zero, 'config.json'));
    await rejects(loadModel(zero), 'config', 'config.json is a device');
  });

  it('index files that are null, or name shards "..", "." or "": clear errors', async () => {
    const dir = copyFixture('samba-tiny');
    const index = path.join(dir, 'model.safetensors.index.json');
    writeFileSync(index, 'null');
    await rejects(loadModel(dir), 'safetensors', 'weight_map');
    for (const bad of ['..', '.', '', '../samba-tiny/x.safetensors', 7]) {
      writeFileSync(index, JSON.stringify({ weight_map: { 'embed.weight': bad } }));
      await rejects(loadModel(dir), 'safetensors', 'not a plain file name');
    }
  });

  it('a UTF-8 BOM is accepted; duplicate keys in config, index, header or tokenizer are refused', async () => {
    const bom = await writeTinyModel();
    writeFileSync(path.join(bom, 'config.json'), '\ufeff' + JSON.stringify(TINY_SAMBA));
    assert.equal((await loadModel(bom)).config.vocabSize, 64);
    const dup = await writeTinyModel();
    writeFileSync(path.join(dup, 'config.json'), JSON.stringify(TINY_SAMBA).replace('{', '{"vocab_size": 32,'));
    await rejects(loadModel(dup), 'config', '"vocab_size" appears twice');
    const tk = copyFixture('samba-tiny');
    const tokFile = path.join(tk, 'tokenizer.json');
    writeFileSync(tokFile, readFileSync(tokFile, 'utf8').replace('"vocab": {', '"vocab": {"hi": 5,'));
    await rejects(loadTokenizer(tk, 512), 'tokenizer', '"hi" appears twice');
    const hdr = await writeTinyModel();
    const t = tinySambaTensors()[0];
    const header = `{"${t.name}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"${t.name}":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`;
    writeFileSync(path.join(hdr, 'model.safetensors'), Buffer.concat([rawSafetensors(header), Buffer.alloc(8)]));
    await rejects(loadModel(hdr), 'safetensors', 'appears twice');
    const idx = copyFixture('samba-tiny');
    const index = path.join(idx, 'model.safetensors.index.json');
    writeFileSync(index, readFileSync(index, 'utf8').replace('"weight_map": {', '"weight_map": {"norm_f.weight": "model-00001-of-00002.safetensors",'));
    await rejects(loadModel(idx), 'safetensors', '"norm_f.weight" appears twice');
  });

  it('tensors sharing bytes (aliased offsets) are refused', async () => {
    const dir = await writeTinyModel();
    const header = JSON.stringify({
      'norm_f.weight': { dtype: 'F32', shape: [32], data_offsets: [0, 128] },
      'layers.0.norm1.weight': { dtype: 'F32', shape: [32], data_offsets: [0, 128] },
    });
    writeFileSync(path.join(dir, 'model.safetensors'), Buffer.concat([rawSafetensors(header), Buffer.alloc(128)]));
    await rejects(loadModel(dir), 'safetensors', 'overlap');
  });

  it('huge or deeply nested headers fail fast, and huge names are shortened in messages', async () => {
    const deep = await writeTinyModel();
    writeFileSync(path.join(deep, 'model.safetensors'), rawSafetensors('{"a":' + '['.repeat(500_000) + ']'.repeat(500_000) + '}'));
    await rejects(loadModel(deep), 'safetensors', 'nested more than');
    const big = await writeTinyModel();
    writeFileSync(path.join(big, 'model.safetensors'), rawSafetensors(`{"x":"${'a'.repeat(9 << 20)}"}`));
    await rejects(loadModel(big), 'safetensors', 'over the');
    const named = await writeTinyModel();
    const name = 'n'.repeat(2 << 20);
    writeFileSync(path.join(named, 'model.safetensors'), rawSafetensors(JSON.stringify({ [name]: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } })));
    const msg = await rejects(loadModel(named), 'tensor-dtype', 'I64');
    assert.ok(msg.length < 600, `${msg.length} characters`);
  });

  it('NaN or infinite weights are refused at load, naming the tensor', async () => {
    for (const bad of [NaN, Infinity]) {
      const tensors = tinySambaTensors();
      tensors.find((t) => t.name === 'layers.1.attn.qkv.weight')!.data[17] = bad;
      await rejects(loadModel(await writeTinyModel({ tensors })), 'tensor-values', 'layers.1.attn.qkv.weight', `${bad}`, 'index 17');
    }
  });
});
