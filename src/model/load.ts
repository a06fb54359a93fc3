import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { SambaError } from './errors';
import { clip, MAX_TOKENIZER_BYTES, parseStrictJson, readSmallFile, readSmallText } from './files';
import { parseConfig, type ModelConfig } from './config';
import { openSafetensors, readTensor, SCALE_SUFFIX, type SafetensorsFile, type TensorEntry } from './safetensors';
import type { AttentionWeights, BlockWeights, MambaWeights, MlpWeights, Model, ModelWeights, Tensor } from './weights';

/** Real config.json, index and tokenizer files are kilobytes to a few megabytes; anything far larger is not one. */
const MAX_CONFIG_BYTES = 1 << 20;
const MAX_INDEX_BYTES = 16 << 20;

/** Loads a model folder (docs/model-format.md): config.json and safetensors weights, checked against the config. */
export async function loadModel(dir: string): Promise<Model> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat || !stat.isDirectory()) {
    throw new SambaError('model-folder', `Model folder ${dir} does not exist or is not a folder. Set samba.model.path (or --model) to a folder with config.json, *.safetensors and tokenizer.json.`);
  }
  const configPath = path.join(dir, 'config.json');
  const fix = 'A model folder needs config.json, *.safetensors and tokenizer.json.';
  await mustExist(configPath, fix);
  const configText = await readSmallText(configPath, 'config', MAX_CONFIG_BYTES, 'Fix or replace the file.');
  const config = parseConfig(parseStrictJson(configText, configPath, 'config', 'Fix or replace the file.'), configPath);
  const files = await openWeightFiles(dir);
  const lookup = new TensorLookup(files.files, files.index);
  checkLayers(config, lookup, configPath);
  const weights = await readWeights(config, lookup);
  const fingerprint = await fingerprintOf(dir, configText, files.files, lookup);
  return { dir, config, weights, fingerprint };
}

/** A missing file says "is missing" with code model-folder; anything else there (a folder, a bad link) is left to the reader's clearer error. */
async function mustExist(file: string, fix: string): Promise<void> {
  if (!(await fs.lstat(file).then(() => true, () => false))) throw new SambaError('model-folder', `${file} is missing. ${fix}`);
}

async function openWeightFiles(dir: string): Promise<{ files: SafetensorsFile[]; index?: { path: string; map: Map<string, string> } }> {
  const indexPath = path.join(dir, 'model.safetensors.index.json');
  const single = path.join(dir, 'model.safetensors');
  // lstat: a dangling or looping link is there, and its reader says what is wrong with it.
  const there = (p: string) => fs.lstat(p).then(() => true, () => false);
  if (!(await there(indexPath))) {
    if (!(await there(single))) {
      throw new SambaError('model-folder', `${dir} has neither model.safetensors nor model.safetensors.index.json. Export the weights as safetensors into this folder.`);
    }
    return { files: [await openSafetensors(single)] };
  }
  const fix = 'Re-export the sharded checkpoint.';
  const index = parseStrictJson(await readSmallText(indexPath, 'safetensors', MAX_INDEX_BYTES, fix), indexPath, 'safetensors', fix) as { weight_map?: unknown } | null;
  if (!index || typeof index !== 'object' || Array.isArray(index) || !index.weight_map || typeof index.weight_map !== 'object' || Array.isArray(index.weight_map)) {
    throw new SambaError('safetensors', `${indexPath}: has no "weight_map" object. ${fix}`);
  }
  const map = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(index.weight_map as Record<string, unknown>)) {
    if (typeof shard !== 'string' || !shard || shard === '.' || shard === '..' || /[/\\\0]/.test(shard)) {
      throw new SambaError('safetensors', `${indexPath}: tensor "${clip(tensor)}" is mapped to ${clip(JSON.stringify(shard) ?? String(shard))}, which is not a plain file name in the model folder. ${fix}`);
    }
    map.set(tensor, shard);
  }
  // An I8 tensor's scales live in its own shard (each shard is read alone); say so before a shard
  // reports half of the pair missing.
  for (const [tensor, shard] of map) {
    const owner = tensor.endsWith(SCALE_SUFFIX) ? map.get(tensor.slice(0, -SCALE_SUFFIX.length)) : undefined;
    if (owner !== undefined && owner !== shard) {
      throw new SambaError(
        'safetensors',
        `${indexPath}: tensor "${clip(tensor.slice(0, -SCALE_SUFFIX.length))}" is in ${owner} but its scales "${clip(tensor)}" are in ${shard}; an I8 tensor and its scales must be in the same shard. Quantize the model again with training/quantize.py.`,
      );
    }
  }
  const shards: SafetensorsFile[] = [];
  for (const name of [...new Set(map.values())].sort()) shards.push(await openSafetensors(path.join(dir, name)));
  return { files: shards, index: { path: indexPath, map } };
}

/**
 * Where each tensor is read from. With an index, only from the shard the index names for it: a
 * stray copy in another shard is never used (it would silently replace the real one).
 */
class TensorLookup {
  private readonly where = new Map<string, { file: SafetensorsFile; entry: TensorEntry }>();
  /** Every tensor's bytes as read, in read order: the fingerprint covers all weights the model uses. */
  readonly hash = createHash('sha256');
  constructor(files: SafetensorsFile[], index?: { path: string; map: Map<string, string> }) {
    if (!index) {
      for (const file of files) for (const entry of file.entries.values()) this.where.set(entry.name, { file, entry });
      return;
    }
    const byName = new Map(files.map((f) => [path.basename(f.path), f]));
    for (const [name, shard] of index.map) {
      const file = byName.get(shard)!;
      if (file.scaleNames.has(name)) continue; // an I8 tensor's scales, read with it
      const entry = file.entries.get(name);
      if (!entry) {
        throw new SambaError('tensor-missing', `${index.path} puts tensor "${clip(name)}" in ${shard}, but ${shard} has no such tensor. The index and the shards disagree; re-export the checkpoint.`);
      }
      this.where.set(name, { file, entry });
    }
  }
  has(name: string): boolean {
    return this.where.has(name);
  }
  names(): IterableIterator<string> {
    return this.where.keys();
  }
  /** Reads `name` and checks its shape; `viewShape` reshapes a checked tensor (e.g. squeezing conv1d's [Di,1,K]). */
  async get(name: string, shape: number[], viewShape: number[] = shape): Promise<Tensor> {
    const hit = this.where.get(name);
    if (!hit) {
      const files = [...new Set([...this.where.values()].map((v) => path.basename(v.file.path)))].join(', ');
      throw new SambaError('tensor-missing', `Tensor "${name}" is missing from the weights (${files}). The checkpoint does not match config.json; export it again or fix the config.`);
    }
    const { file, entry } = hit;
    if (entry.shape.length !== shape.length || entry.shape.some((n, i) => n !== shape[i])) {
      throw new SambaError('tensor-shape', `${file.path}: tensor "${name}" has shape [${entry.shape.join(', ')}] but config.json implies [${shape.join(', ')}]. The config and the weights disagree.`);
    }
    let raw: Uint8Array | undefined;
    const data = await readTensor(file, entry, (bytes) => {
      raw ??= bytes;
      this.hash.update(name).update(bytes);
    });
    const half = entry.dtype === 'F16' && raw ? halfBits(raw) : undefined;
    return { name, shape: viewShape, data, sourceDtype: entry.dtype, ...(half ? { half } : {}) };
  }
  async maybe(name: string, shape: number[], wanted: boolean): Promise<Tensor | undefined> {
    return wanted && this.where.has(name) ? this.get(name, shape) : undefined;
  }
}

/** Little-endian f16 bytes as 16-bit values (a view where aligned on a little-endian host, else a copy). */
function halfBits(bytes: Uint8Array): Uint16Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint16Array.from({ length: bytes.byteLength / 2 }, (_, i) => view.getUint16(2 * i, true));
}
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A config that asks for more blocks than the weights hold fails here, before anything is allocated for them. */
function checkLayers(c: ModelConfig, t: TensorLookup, configPath: string): void {
  const layer = c.family === 'mamba' ? /^backbone\.layers\.(\d+)\./ : /^layers\.(\d+)\./;
  let top = -1;
  for (const name of t.names()) {
    const m = layer.exec(name);
    if (m) top = Math.max(top, Number(m[1]));
  }
  if (c.nLayer > top + 1) {
    throw new SambaError('config', `${configPath}: num_hidden_layers is ${c.nLayer} but the weights hold ${top + 1} blocks. The config and the weights disagree; fix num_hidden_layers.`);
  }
}

/** Tensor names of each family, mapped onto the engine's one layout. */
function names(config: ModelConfig) {
  if (config.family === 'mamba') {
    return {
      embed: 'backbone.embeddings.weight',
      normF: 'backbone.norm_f.weight',
      norm1: (i: number) => `backbone.layers.${i}.norm.weight`,
      norm2: (i: number) => `backbone.layers.${i}.norm2.weight`,
      mamba: (i: number, t: string) => `backbone.layers.${i}.mixer.${t}`,
      attn: (i: number, t: string) => `backbone.layers.${i}.attn.${t}`,
      mlp: (i: number, t: string) => `backbone.layers.${i}.mlp.${t}`,
    };
  }
  return {
    embed: 'embed.weight',
    normF: 'norm_f.weight',
    norm1: (i: number) => `layers.${i}.norm1.weight`,
    norm2: (i: number) => `layers.${i}.norm2.weight`,
    mamba: (i: number, t: string) => `layers.${i}.mamba.${t}`,
    attn: (i: number, t: string) => `layers.${i}.attn.${t}`,
    mlp: (i: number, t: string) => `layers.${i}.mlp.${t}`,
  };
}

async function readWeights(c: ModelConfig, t: TensorLookup): Promise<ModelWeights> {
  const n = names(c);
  const d = c.dModel;
  const embed = await t.get(n.embed, [c.vocabSize, d]);
  const blocks: BlockWeights[] = [];
  for (let i = 0; i < c.nLayer; i++) {
    const norm1 = await t.get(n.norm1(i), [d]);
    let block: BlockWeights;
    if (c.mixers[i] === 'mamba') {
      const m = (s: string) => n.mamba(i, s);
      const Di = c.dInner, N = c.dState, R = c.dtRank, K = c.dConv;
      const mamba: MambaWeights = {
        inProj: await t.get(m('in_proj.weight'), [2 * Di, d]),
        inProjBias: await t.maybe(m('in_proj.bias'), [2 * Di], c.projBias),
        convWeight: await t.get(m('conv1d.weight'), [Di, 1, K], [Di, K]),
        convBias: await t.maybe(m('conv1d.bias'), [Di], c.convBias),
        xProj: await t.get(m('x_proj.weight'), [R + 2 * N, Di]),
        dtProj: await t.get(m('dt_proj.weight'), [Di, R]),
        dtBias: await t.get(m('dt_proj.bias'), [Di]),
        aLog: await t.get(m('A_log'), [Di, N]),
        d: await t.get(m('D'), [Di]),
        outProj: await t.get(m('out_proj.weight'), [d, Di]),
        outProjBias: await t.maybe(m('out_proj.bias'), [d], c.projBias),
      };
      block = { norm1, mixer: { kind: 'mamba', mamba } };
    } else {
      const a = (s: string) => n.attn(i, s);
      const attention: AttentionWeights = {
        qkv: await t.get(a('qkv.weight'), [(c.nHead + 2 * c.nKvHead) * c.headDim, d]),
        out: await t.get(a('out.weight'), [d, c.nHead * c.headDim]),
      };
      block = { norm1, mixer: { kind: 'attention', attention } };
    }
    if (c.hasMlp) {
      const p = (s: string) => n.mlp(i, s);
      const mlp: MlpWeights = {
        gate: await t.get(p('gate.weight'), [c.mlpHidden, d]),
        up: await t.get(p('up.weight'), [c.mlpHidden, d]),
        down: await t.get(p('down.weight'), [d, c.mlpHidden]),
      };
      block = { ...block, norm2: await t.get(n.norm2(i), [d]), mlp };
    }
    blocks.push(block);
  }
  const normF = await t.get(n.normF, [d]);
  let lmHead = embed;
  if (!c.tieEmbeddings || t.has('lm_head.weight')) {
    lmHead = await t.get('lm_head.weight', [c.vocabSize, d]);
  }
  return { embed, blocks, normF, lmHead };
}

/**
 * Identifies what a saved state depends on: the config, every shard's header, every byte of every
 * tensor the model uses (hashed as it was read, so no second pass over the files) and the
 * tokenizer.json next to them (swapping two token ids changes every state built from text).
 */
async function fingerprintOf(dir: string, configText: string, files: SafetensorsFile[], t: TensorLookup): Promise<string> {
  const h = createHash('sha256');
  h.update(configText);
  for (const f of files) h.update(f.headerText);
  h.update(t.hash.digest());
  // The tokenizer's own checks happen in loadTokenizer; here only its bytes count (none: no tokenizer).
  const file = path.join(dir, 'tokenizer.json');
  const there = await fs.lstat(file).then(() => true, () => false);
  const tokenizer = there ? await readSmallFile(file, 'tokenizer', MAX_TOKENIZER_BYTES, 'Copy the tokenizer.json that belongs to these weights into the model folder.') : undefined;
  h.update(tokenizer ? createHash('sha256').update(tokenizer).digest() : Buffer.alloc(32));
  return h.digest('hex').slice(0, 32);
}
