import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { SambaError } from './errors';
import { parseConfig, type ModelConfig } from './config';
import { openSafetensors, readTensor, type SafetensorsFile, type TensorEntry } from './safetensors';
import type { AttentionWeights, BlockWeights, MambaWeights, MlpWeights, Model, ModelWeights, Tensor } from './weights';

/** Loads a model folder (docs/model-format.md): config.json and safetensors weights, checked against the config. */
export async function loadModel(dir: string): Promise<Model> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat || !stat.isDirectory()) {
    throw new SambaError('model-folder', `Model folder ${dir} does not exist or is not a folder. Set samba.model.path (or --model) to a folder with config.json, *.safetensors and tokenizer.json.`);
  }
  const configPath = path.join(dir, 'config.json');
  const configText = await fs.readFile(configPath, 'utf8').catch(() => {
    throw new SambaError('model-folder', `${configPath} is missing. A model folder needs config.json, *.safetensors and tokenizer.json.`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(configText);
  } catch (e) {
    throw new SambaError('config', `${configPath}: not valid JSON (${(e as Error).message}). Fix or replace the file.`);
  }
  const config = parseConfig(raw, configPath);
  const files = await openWeightFiles(dir);
  const lookup = new TensorLookup(files);
  const weights = await readWeights(config, lookup);
  const fingerprint = await fingerprintOf(configText, files, lookup);
  return { dir, config, weights, fingerprint };
}

async function openWeightFiles(dir: string): Promise<SafetensorsFile[]> {
  const indexPath = path.join(dir, 'model.safetensors.index.json');
  const single = path.join(dir, 'model.safetensors');
  const hasIndex = await exists(indexPath);
  if (!hasIndex) {
    if (!(await exists(single))) {
      throw new SambaError('model-folder', `${dir} has neither model.safetensors nor model.safetensors.index.json. Export the weights as safetensors into this folder.`);
    }
    return [await openSafetensors(single)];
  }
  let index: { weight_map?: Record<string, string> };
  try {
    index = JSON.parse(await fs.readFile(indexPath, 'utf8'));
  } catch (e) {
    throw new SambaError('safetensors', `${indexPath}: not valid JSON (${(e as Error).message}). Re-export the sharded checkpoint.`);
  }
  if (!index.weight_map || typeof index.weight_map !== 'object') {
    throw new SambaError('safetensors', `${indexPath}: has no "weight_map" object. Re-export the sharded checkpoint.`);
  }
  const shardNames = [...new Set(Object.values(index.weight_map))].sort();
  const shards: SafetensorsFile[] = [];
  for (const name of shardNames) {
    if (typeof name !== 'string' || name.includes('/') || name.includes('\\')) {
      throw new SambaError('safetensors', `${indexPath}: shard name ${JSON.stringify(name)} is not a plain file name in the model folder.`);
    }
    shards.push(await openSafetensors(path.join(dir, name)));
  }
  return shards;
}

class TensorLookup {
  private readonly where = new Map<string, { file: SafetensorsFile; entry: TensorEntry }>();
  constructor(files: SafetensorsFile[]) {
    for (const file of files) for (const entry of file.entries.values()) this.where.set(entry.name, { file, entry });
  }
  has(name: string): boolean {
    return this.where.has(name);
  }
  entry(name: string): { file: SafetensorsFile; entry: TensorEntry } | undefined {
    return this.where.get(name);
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
    return { name, shape: viewShape, data: await readTensor(file, entry), sourceDtype: entry.dtype };
  }
  async maybe(name: string, shape: number[], wanted: boolean): Promise<Tensor | undefined> {
    return wanted && this.where.has(name) ? this.get(name, shape) : undefined;
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

/** Hash of the config, every shard's header and a sample of each tensor's bytes: cheap even for large models. */
async function fingerprintOf(configText: string, files: SafetensorsFile[], t: TensorLookup): Promise<string> {
  const h = createHash('sha256');
  h.update(configText);
  for (const f of files) h.update(f.headerText);
  const sample = Buffer.alloc(256);
  for (const f of files) {
    const fh = await fs.open(f.path, 'r');
    try {
      for (const name of [...f.entries.keys()].sort()) {
        const e = t.entry(name)!.entry;
        const len = Math.min(256, e.end - e.begin);
        await fh.read(sample, 0, len, e.begin);
        h.update(sample.subarray(0, len));
        await fh.read(sample, 0, len, e.end - len);
        h.update(sample.subarray(0, len));
      }
    } finally {
      await fh.close();
    }
  }
  return h.digest('hex').slice(0, 32);
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}
