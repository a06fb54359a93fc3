import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../model/load';
import type { Model } from '../model/weights';
import { loadTokenizer, type Tokenizer } from '../model/tokenizer';
import { describeConfig } from '../model/config';
import { createEngine, type NoticeKey } from '../backend/create';
import { createDecoder } from '../backend/decoder';
import type { Engine } from '../engine/engine';
import type { WeightDtype } from '../gpu/kernels';
import type { EngineSummary, LoadRequest } from './protocol';

/** How long the weights `validate` read wait for the load that follows (it comes within a second or two). */
const KEEP_VALIDATED_MS = 60_000;

/** What runs the model now: the engine, the engine that generates for it (if not itself), the tokenizer and what was measured. */
export interface Running {
  readonly engine: Engine;
  /** Generates tokens when the engine is a poor decoder (a software GPU adapter); see backend/decoder.ts. */
  readonly decoder: Engine | undefined;
  readonly tokenizer: Tokenizer;
  readonly summary: EngineSummary;
}

/** How the holder tells the session what happens to the engine. */
export interface EngineEvents {
  readonly onNotice?: (message: string, key?: NoticeKey) => void;
  readonly onLog?: (message: string) => void;
  /** The engine changed without a load request (a lost GPU device was replaced, perhaps by the CPU). */
  readonly onEngine?: (summary: EngineSummary) => void;
  /** The engine was lost: stop and drop everything that uses it (requests in flight fail). */
  readonly stopUsing: () => void;
  /** A new engine runs (a load, or the replacement after a loss): build what uses it. */
  readonly started: (running: Running) => void;
  /** After a loss, once the new engine runs: rebuild the workspace; returns what the notice adds (may be ''). */
  readonly restore: () => Promise<string>;
}

/**
 * The model's engine over its life: loads a model folder (once, when `validate` just read it), keeps
 * the weights in memory, and when the GPU device is lost starts a new engine from them (another
 * adapter, else the CPU reference with a notice) and lets the session restore the workspace. A
 * software adapter gets the CPU decoder for generating (src/backend/decoder.ts).
 */
export class EngineHolder {
  private current: Running | undefined;
  /** The loaded model (weights on the host): a lost GPU device is replaced without reading the folder again. */
  private model: Model | undefined;
  private loadReq: LoadRequest | undefined;
  /** The GPU's storage of the matrices for the loaded model (the CPU runs int8's values for i8). */
  private weights: WeightDtype = 'f16';
  private tokenizer: Tokenizer | undefined;
  /** Set while the engine is re-created after a device loss; requests wait for it. */
  private recovering: Promise<void> | undefined;
  /** The folder `validate` read last, kept for the load that usually follows (choosing a model validates, then loads it). */
  private validated: { dir: string; stamp: string; model: Model; tokenizer: Tokenizer } | undefined;

  constructor(private readonly events: EngineEvents) {}

  /** The engine now running; undefined before a load, after dispose and while a lost one is replaced. */
  get running(): Running | undefined {
    return this.current;
  }

  /** Resolves once a lost engine has been replaced (at once when none was lost). */
  async settled(): Promise<void> {
    await this.recovering;
  }

  /** Loads a model folder; `onTokenizer` hears the tokenizer as soon as it is read, before the engine starts (the folder's reading can begin). */
  async load(req: LoadRequest, onTokenizer?: (tokenizer: Tokenizer) => void): Promise<Running> {
    await this.recovering;
    void this.dispose();
    const { model: loaded, tokenizer } = await this.readFolder(req.modelDir);
    onTokenizer?.(tokenizer);
    this.weights = req.weights === 'int8' ? 'i8' : 'f16';
    // int8 reads back other values than the file's: its saved states must not serve f16, nor the reverse.
    const model = this.weights === 'i8' ? { ...loaded, fingerprint: `${loaded.fingerprint}:i8` } : loaded;
    this.tokenizer = tokenizer;
    let fallback: string | undefined;
    const onNotice = (m: string, key?: NoticeKey) => {
      fallback = m;
      this.events.onNotice?.(m, key);
    };
    const engine = await createEngine(model, { backend: req.backend, weights: this.weights, onNotice });
    this.model = model;
    this.loadReq = req;
    return this.install(engine, fallback);
  }

  /** Reads a model folder's config, every weight and the tokenizer, as load() would; throws the first problem. */
  async validate(dir: string): Promise<string> {
    this.validated = undefined;
    const stamp = await folderStamp(dir);
    const model = await loadModel(dir);
    const tokenizer = await loadTokenizer(dir, model.config.vocabSize);
    const kept = (this.validated = { dir, stamp, model, tokenizer });
    // Choosing the folder already in use changes no setting and loads nothing: the weights are not held on for ever.
    setTimeout(() => {
      if (this.validated === kept) this.validated = undefined;
    }, KEEP_VALIDATED_MS).unref();
    return describeConfig(model.config);
  }

  /** Frees the engine and its decoder; resolves once their GPU memory is gone. */
  dispose(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    return Promise.all([c?.engine.dispose(), c?.decoder?.dispose()]).then(() => undefined);
  }

  /** The folder's model and tokenizer: the ones `validate` just read when its files have not changed since, else read now. */
  private async readFolder(dir: string): Promise<{ model: Model; tokenizer: Tokenizer }> {
    const kept = this.validated;
    this.validated = undefined;
    if (kept && kept.dir === dir && kept.stamp === (await folderStamp(dir))) return kept;
    const model = await loadModel(dir);
    return { model, tokenizer: await loadTokenizer(dir, model.config.vocabSize) };
  }

  /** Makes `engine` the one running (with its decoder and measured speed), tells the session, and watches for its loss. */
  private async install(engine: Engine, fallback?: string): Promise<Running> {
    const model = this.model!;
    const decoder = await createDecoder(engine, model, this.weights);
    const summary: EngineSummary = {
      backend: engine.backend,
      deviceName: engine.deviceName,
      family: model.config.family,
      model: `${describeConfig(model.config)} (${path.basename(this.loadReq!.modelDir)})`,
      prefillTokensPerS: await measurePrefill(engine),
      decoder: decoder && decoder.deviceName,
      fallback,
    };
    const running: Running = (this.current = { engine, decoder, tokenizer: this.tokenizer!, summary });
    this.events.started(running);
    void engine.lost?.then((what) => {
      if (this.current?.engine === engine) this.recovering = this.recover(engine, what);
    });
    this.events.onLog?.(`model ${summary.model} on ${engine.deviceName}: prefill ${Math.round(summary.prefillTokensPerS)} tokens/s${decoder ? `; generates on the ${decoder.deviceName} (faster than a software GPU adapter)` : ''}`);
    return running;
  }

  /**
   * The GPU device was lost: requests in flight fail (the engine throws), a new engine starts on a
   * new adapter (else the CPU reference, with a notice) from the weights already in memory, and the
   * session restores the workspace context from the persisted snapshots.
   */
  private async recover(lost: Engine, what: string): Promise<void> {
    this.events.onLog?.(`${what}; restarting the engine`);
    this.events.stopUsing();
    const old = this.current;
    this.current = undefined;
    lost.dispose();
    void old?.decoder?.dispose();
    try {
      const { engine, noGpu } = await this.restartEngine();
      const fallback = noGpu && `${what}, and no GPU could be started again (${noGpu.split('. ')[0]}): the model runs on the CPU reference, much slower. Run "Samba: Restart the Model" to use the GPU again once its driver is back`;
      const { summary } = await this.install(engine, fallback);
      const restored = await this.events.restore();
      this.events.onEngine?.(summary);
      this.events.onNotice?.(fallback ? `${fallback}${restored}.` : `${what}. The model restarted on ${engine.deviceName}${restored}.`);
    } catch (e) {
      this.events.onNotice?.(`${what}, and the model could not be restarted: ${(e as Error).message}. Reload the model.`);
    } finally {
      this.recovering = undefined;
    }
  }

  /** A new engine for the loaded model: the GPU unless the CPU was chosen; the CPU, saying why, when no GPU starts. */
  private async restartEngine(): Promise<{ engine: Engine; noGpu?: string }> {
    if (this.loadReq!.backend === 'cpu') return { engine: await createEngine(this.model!, { backend: 'cpu', weights: this.weights }) };
    try {
      return { engine: await createEngine(this.model!, { backend: 'gpu', weights: this.weights }) };
    } catch (e) {
      this.events.onLog?.(`no GPU after the device loss: ${(e as Error).message}`);
      return { engine: await createEngine(this.model!, { backend: 'cpu', weights: this.weights }), noGpu: (e as Error).message };
    }
  }
}

/** The folder's files by name, size and time of change: a folder changed since `validate` is read again. */
async function folderStamp(dir: string): Promise<string> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const parts = await Promise.all(names.sort().map(async (n) => {
    const st = await fs.stat(path.join(dir, n)).catch(() => undefined);
    return st ? `${n}:${st.size}:${st.mtimeMs}` : n;
  }));
  return parts.join('\n');
}

/**
 * Prefill speed on a short prompt after a warm-up, so the context budget follows the machine: the
 * fastest of three runs, as other work on the machine only slows a run (at start-up the editor
 * loads beside it: user trials on one 2-core machine measured 223 to 788 tokens/s with one run, and
 * the lowest budget left 23 of a package's 58 files out).
 */
async function measurePrefill(engine: Engine): Promise<number> {
  const V = engine.model.config.vocabSize;
  const tokens = Array.from({ length: 128 }, (_, i) => (i * 7919 + 1) % V);
  const warm = engine.newState({ capacity: 256 });
  await engine.prefill(tokens.slice(0, 8), warm);
  engine.release(warm);
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const state = engine.newState({ capacity: 256 });
    const t0 = performance.now();
    await engine.prefill(tokens, state);
    const s = (performance.now() - t0) / 1000;
    engine.release(state);
    best = Math.max(best, tokens.length / Math.max(s, 1e-6));
  }
  return best;
}
