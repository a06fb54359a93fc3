import * as path from 'node:path';
import { loadModel } from '../model/load';
import type { Model } from '../model/weights';
import { SambaError } from '../model/errors';
import { loadTokenizer, type Tokenizer } from '../model/tokenizer';
import { describeConfig } from '../model/config';
import { createEngine, type Backend } from '../backend/create';
import type { Engine } from '../engine/engine';
import type { GpuEngine } from '../gpu/engine';
import { gpuMemory } from '../gpu/memory';
import { WorkspaceFilter, type FileSource, type FilterOptions, type Skipped } from '../workspace/filter';
import { loadWorkspaceFiles } from '../workspace/load';
import { WorkspaceContext, type ContextDescription, type Progress } from '../workspace/context';
import type { ChangeWithText } from './protocol';
import { SnapshotStore } from '../workspace/snapshot-store';
import { CompletionPipeline, type BlockReport, type ContextSnippet, type PipelineRequest, type PipelineResult, type SelectBlock } from '../completion/pipeline';
import { RecentEdits } from '../completion/recent-edits';
import { buildContextBlock } from '../completion/context-block';
import { createDecoder } from '../backend/decoder';
import type { WeightDtype } from '../gpu/kernels';
import { LocalAssistant } from '../assistant/local-assistant';
import type { StreamRequest } from '../assistant/assistant';
import { Bm25Index } from '../qa/bm25';
import { answerQuestion, type Answer, type AnswerEvents, type AskRequest } from '../qa/conversation';
import { workspaceOutline, workspacePlan } from '../summarize/outline';
import type { SummaryPart } from '../summarize/prompt';

export interface LoadRequest {
  readonly modelDir: string;
  readonly backend: Backend;
  /** How the GPU stores the matrices (samba.engine.weights); default f16. */
  readonly weights?: 'f16' | 'int8';
  /** Where snapshots persist (the extension's storage); none keeps them in memory only. */
  readonly storageDir?: string;
}

export interface EngineSummary {
  readonly backend: 'gpu' | 'cpu';
  readonly deviceName: string;
  readonly family: string;
  readonly model: string;
  /** Prefill speed measured at load, tokens/s: sets the default context budget. */
  readonly prefillTokensPerS: number;
  /** Where tokens are generated when not on the engine itself (a software adapter's CPU decoder). */
  readonly decoder?: string;
  /** Set when the CPU reference runs although a GPU was asked for: why, and how to get the GPU back. */
  readonly fallback?: string;
}

export interface OpenRequest {
  /** The folder's path (its URI's path when `remote`). */
  readonly root: string;
  /** Read the folder through the extension host's workspace.fs (it is not on this machine's disk). */
  readonly remote?: boolean;
  readonly filter: FilterOptions;
  /** Most tokens the context may hold; 0 picks one from the measured speed. */
  readonly budgetTokens: number;
  readonly activePath?: string;
}

export interface CompletionRequest {
  /** Workspace-relative path with `/`, or a file name for files outside the workspace. */
  readonly path: string;
  readonly prefix: string;
  readonly suffix: string;
  /** Document offset of prefix[0] when the prefix is a window of the document (default 0). */
  readonly prefixOffset?: number;
  /** The cursor's line in the document, 0-based (default: the lines of `prefix`). */
  readonly line?: number;
  /** The in-window context block from other files (default true). */
  readonly useBlock?: boolean;
  readonly maxTokens: number;
  readonly lineBudgetMs: number;
  readonly deadlineMs: number;
}

export interface CompletionResult {
  /** What to show, after post-processing; undefined when nothing is worth showing. */
  readonly text: string | undefined;
  readonly raw: string;
  readonly generated: number;
  readonly prefilled: number;
  readonly contextTokens: number;
  readonly stopped: string;
  readonly ms: number;
  /** The in-window block the prompt held, least relevant first. */
  readonly block?: readonly ContextSnippet[];
}

/** What runs one completion in the worker: the pipeline (a bench swaps in the old layout to compare). */
export interface Completer {
  complete(req: PipelineRequest): Promise<PipelineResult>;
  reset(): void;
  lastBlock?(): BlockReport | undefined;
}

export type MakeCompleter = (engine: Engine, decoder: Engine | undefined, tokenizer: Tokenizer) => Completer;

export interface ContextReport extends ContextDescription {
  /** Files the filter left out, with why (secret, gitignore, binary, too large, ...). */
  readonly skipped: readonly Skipped[];
  readonly budgetTokens: number;
  readonly root?: string;
  /** Bytes of the engine's GPU buffers now (weights, activations, states), and the most at once since it started; 0 on the CPU. */
  readonly gpuBytes: number;
  readonly peakGpuBytes: number;
  /** What the in-window block held for the last completion (issue 14 item 4). */
  readonly lastBlock?: BlockReport;
}

/** Seconds of prefill the automatic budget allows for a cold workspace. */
const AUTO_BUDGET_SECONDS = 120;
const AUTO_BUDGET_MIN = 2_000;
const AUTO_BUDGET_MAX = 1_000_000;
/** Full attention: KV slots beyond the context budget, for the prompt and what is generated. */
const PROMPT_ROOM = 8_192;
/** The smallest context the out-of-memory fallback goes down to. */
const MIN_BUDGET = 256;

/**
 * Everything that runs the model: engine, workspace context and prompt session. It lives in the
 * model worker (src/worker/model-worker.ts), off the extension host's main thread; tests drive it directly.
 */
export class ModelSession {
  private engine: Engine | undefined;
  /** Generates tokens when the engine is a poor decoder (a software GPU adapter); see backend/decoder.ts. */
  private decoder: Engine | undefined;
  /** The loaded model (weights on the host): a lost GPU device is replaced without reading the folder again. */
  private model: Model | undefined;
  private loadReq: LoadRequest | undefined;
  /** The GPU's storage of the matrices for the loaded model (the CPU runs int8's values for i8). */
  private weights: WeightDtype = 'f16';
  /** The last workspace opened, to rebuild after a device loss. */
  private lastOpen: OpenRequest | undefined;
  /** Set while the engine is re-created after a device loss; requests wait for it. */
  private recovering: Promise<void> | undefined;
  /** KV slots of the context's states (full attention only; undefined: the engine's default). */
  private capacity: number | undefined;
  private tokenizer: Tokenizer | undefined;
  private summary: EngineSummary | undefined;
  private context: WorkspaceContext | undefined;
  private completer: Completer | undefined;
  /** Line ranges edited lately (unsaved editor text), for the block's recent snippets. */
  private readonly edits = new RecentEdits();
  private filter: WorkspaceFilter | undefined;
  private skipped: Skipped[] = [];
  private budget = 0;
  private storageDir: string | undefined;
  /** Unsaved editor text, which wins over the disk. */
  private readonly overlay = new Map<string, string>();
  private completing: AbortController | undefined;
  /** Text of every file the context holds, for the Q&A and summaries. */
  private readonly texts = new Map<string, string>();
  private helper: LocalAssistant | undefined;
  /** The context's files as passages under BM25, for questions (brought up to date by each question). */
  private readonly passages = new Bm25Index();
  private readonly assists = new Map<number, AbortController>();
  /** The completion in flight: the prompt session serves one at a time. */
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly events: {
      readonly onProgress?: (p: Progress) => void;
      readonly onNotice?: (message: string) => void;
      readonly onLog?: (message: string) => void;
      /** The engine changed without a load request (a lost GPU device was replaced, perhaps by the CPU). */
      readonly onEngine?: (summary: EngineSummary) => void;
      /** Files of a remote folder, read through the host (see OpenRequest.remote). */
      readonly hostFiles?: FileSource;
    } = {},
    private readonly options: {
      /** How often a running context saves a state mid-way (ContextOptions.persistEveryMs). */
      readonly persistEveryMs?: number;
      /** Chooses the in-window block (default: src/completion/context-block.ts). */
      readonly selectBlock?: SelectBlock;
      /** Token budget of the block. */
      readonly blockTokens?: number;
      /** Another completion path (bench/editing-session.ts runs the old layout through it). */
      readonly completer?: MakeCompleter;
    } = {},
  ) {}

  async load(req: LoadRequest): Promise<EngineSummary> {
    await this.recovering;
    this.dispose();
    this.lastOpen = undefined;
    const loaded = await loadModel(req.modelDir);
    this.weights = req.weights === 'int8' ? 'i8' : 'f16';
    // int8 reads back other values than the file's: its saved states must not serve f16, nor the reverse.
    const model = this.weights === 'i8' ? { ...loaded, fingerprint: `${loaded.fingerprint}:i8` } : loaded;
    this.tokenizer = await loadTokenizer(req.modelDir, model.config.vocabSize);
    let fallback: string | undefined;
    const onNotice = (m: string) => {
      fallback = m;
      this.events.onNotice?.(m);
    };
    const engine = await createEngine(model, { backend: req.backend, weights: this.weights, onNotice });
    this.model = model;
    this.loadReq = req;
    this.storageDir = req.storageDir;
    return this.install(engine, fallback);
  }

  /** Makes `engine` the session's engine (prompt session, assistant, measured speed) and watches for its loss. */
  private async install(engine: Engine, fallback?: string): Promise<EngineSummary> {
    const model = this.model!;
    this.engine = engine;
    void this.decoder?.dispose();
    const decoder = (this.decoder = await createDecoder(engine, model, this.weights));
    this.completer = this.options.completer
      ? this.options.completer(engine, decoder, this.tokenizer!)
      : new CompletionPipeline(engine, decoder, this.tokenizer!, { selectBlock: this.options.selectBlock ?? buildContextBlock, blockTokens: this.options.blockTokens });
    this.helper = new LocalAssistant({ engine, decoder, tokenizer: this.tokenizer!, files: () => this.texts, workspace: () => this.context?.ready() });
    this.summary = {
      backend: engine.backend,
      deviceName: engine.deviceName,
      family: model.config.family,
      model: `${describeConfig(model.config)} (${path.basename(this.loadReq!.modelDir)})`,
      prefillTokensPerS: await measurePrefill(engine),
      decoder: decoder && decoder.deviceName,
      fallback,
    };
    void engine.lost?.then((what) => {
      if (this.engine === engine) this.recovering = this.recover(engine, what);
    });
    this.events.onLog?.(`model ${this.summary.model} on ${engine.deviceName}: prefill ${Math.round(this.summary.prefillTokensPerS)} tokens/s${decoder ? `; generates on the ${decoder.deviceName} (faster than a software GPU adapter)` : ''}`);
    return this.summary;
  }

  /**
   * The GPU device was lost: requests in flight fail (the engine throws), a new engine starts on a
   * new adapter (else the CPU reference, with a notice) from the weights already in memory, and the
   * workspace context is rebuilt from the persisted snapshots, so only what was never saved runs again.
   * The rebuild keeps the budget it had: a budget re-derived from the CPU's speed would hold other
   * files, whose chain of saved states does not exist, and all of it would run again on the CPU.
   */
  private async recover(lost: Engine, what: string): Promise<void> {
    this.events.onLog?.(`${what}; restarting the engine`);
    this.completing?.abort();
    for (const a of this.assists.values()) a.abort();
    this.context?.dispose();
    this.context = undefined;
    this.completer?.reset();
    this.engine = undefined;
    lost.dispose();
    try {
      const { engine, noGpu } = await this.restartEngine();
      const fallback = noGpu && `${what}, and no GPU could be started again (${noGpu.split('. ')[0]}): the model runs on the CPU reference, much slower. Run "Samba: Restart the Model" to use the GPU again once its driver is back`;
      const summary = await this.install(engine, fallback);
      let restored = '';
      if (this.lastOpen) {
        const open = this.lastOpen;
        await this.openNow({ ...open, budgetTokens: this.budget || open.budgetTokens });
        this.lastOpen = open;
        // Unsaved editor text wins over what open() read from disk.
        if (this.overlay.size) await this.context!.update([...this.overlay.keys()].map((p) => ({ kind: 'edit' as const, path: p })));
        const d = this.context!.describe();
        restored = `; the workspace context (${d.totalTokens} tokens) was restored from saved state, ${d.prefilledTokens} tokens read again`;
      }
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

  /** Reads the workspace folder and streams it into the context; resolves when the state is ready. */
  async open(req: OpenRequest): Promise<ContextReport> {
    await this.recovering;
    return this.openNow(req);
  }

  private async openNow(req: OpenRequest): Promise<ContextReport> {
    const { engine, tokenizer, summary } = this.loaded();
    this.context?.dispose();
    this.lastOpen = req;
    if (req.remote && !this.events.hostFiles) throw new Error('This folder is not on the local disk and no host file access is available.');
    this.filter = new WorkspaceFilter(req.root, req.filter, req.remote ? this.events.hostFiles : undefined);
    this.budget = req.budgetTokens > 0 ? req.budgetTokens : autoBudget(summary.prefillTokensPerS);
    await this.fitBudget(engine);
    const loaded = await loadWorkspaceFiles(this.filter, tokenizer, { activePath: req.activePath, budgetTokens: this.budget });
    this.skipped = loaded.skipped;
    const store = this.storageDir
      ? new SnapshotStore(path.join(this.storageDir, 'snapshots'), engine.model, (file, why) => this.events.onLog?.(`discarded cached state ${path.basename(file)}: ${why}; rebuilding`))
      : undefined;
    const context = (this.context = new WorkspaceContext({
      engine,
      tokenizer,
      store,
      read: (p) => this.read(p),
      budgetTokens: this.budget,
      capacity: this.capacity,
      persistEveryMs: this.options.persistEveryMs,
      onStoreError: (e) => this.events.onLog?.(e.message),
      activePath: req.activePath,
      onProgress: this.events.onProgress,
      onError: (e) => this.events.onLog?.(`context update failed: ${e.message}`),
    }));
    this.texts.clear();
    for (const f of loaded.files) this.texts.set(f.path, f.text);
    this.events.onLog?.(`context: ${loaded.files.length} files, ${loaded.tokens} tokens (budget ${this.budget}); ${loaded.skipped.length} skipped, ${loaded.dropped.length} over the budget`);
    await context.open(loaded.files, loaded.dropped);
    // A device loss settles the context by disposing it: this request still fails.
    if (this.engine !== engine) throw lostDuring('reading the workspace');
    return this.describe();
  }

  /**
   * Full attention keeps a key/value slot per context token: when the budget's states do not fit
   * the GPU (out of memory, or past a buffer limit), halve it until they do, with a notice.
   * Recurrent and sliding-window states have a fixed size; they are checked the same way.
   */
  private async fitBudget(engine: Engine): Promise<void> {
    const c = engine.model.config;
    const full = c.mixers.includes('attention') && !Number.isFinite(c.window);
    const asked = this.budget;
    for (;;) {
      this.capacity = full ? this.budget + PROMPT_ROOM : undefined;
      let state;
      try {
        state = engine.newState({ capacity: this.capacity });
        await engine.prefill([0], state);
        engine.release(state);
        break;
      } catch (e) {
        if (state) engine.release(state);
        const msg = (e as Error).message;
        const tooBig = e instanceof SambaError && /out of gpu memory|binding limit|max buffer size/i.test(msg);
        if (!tooBig || !full || this.budget <= MIN_BUDGET) throw e instanceof SambaError ? new SambaError(e.code, `The model's state does not fit on ${engine.deviceName}: ${msg}`) : e;
        const next = Math.max(MIN_BUDGET, Math.floor(this.budget / 2));
        this.events.onLog?.(`a context of ${this.budget} tokens does not fit: ${msg.split('. ')[0]}; trying ${next}`);
        this.budget = next;
      }
    }
    if (this.budget < asked) {
      this.events.onNotice?.(
        `Not enough GPU memory for a context of ${asked.toLocaleString('en-US')} tokens on ${engine.deviceName}: the workspace context holds ${this.budget.toLocaleString('en-US')} tokens instead (the oldest files are left out). Lower samba.context.budgetTokens to avoid this message.`,
      );
    }
  }

  /** Editor and file-system changes; `text` carries unsaved editor content (undefined: read the disk). */
  update(changes: readonly ChangeWithText[]): void {
    for (const c of changes) {
      if (c.kind === 'rename') this.overlay.delete(c.from);
      else if (c.kind === 'delete') this.overlay.delete(c.path);
      else if (c.text !== undefined) {
        const before = this.overlay.get(c.path) ?? this.texts.get(c.path);
        if (before !== undefined) this.edits.record(c.path, before, c.text);
        this.overlay.set(c.path, c.text);
      } else this.overlay.delete(c.path);
      if (c.kind === 'delete') this.edits.forget(c.path);
      // Gone from the folder, gone from what questions retrieve over (the context reads only files that exist).
      if (c.kind === 'delete' || c.kind === 'rename') this.texts.delete(c.kind === 'delete' ? c.path : c.from);
    }
    void this.context?.update(changes).catch((e: Error) => this.events.onLog?.(`context update failed: ${e.message}`));
  }

  setActive(relPath: string | undefined): void {
    void this.context?.setActive(relPath).catch((e: Error) => this.events.onLog?.(`context update failed: ${e.message}`));
  }

  async whenIdle(): Promise<void> {
    await this.recovering;
    await this.context?.whenIdle();
  }

  /** One completion; a newer request aborts the one in flight and runs once it has stopped. */
  complete(req: CompletionRequest): Promise<CompletionResult> {
    this.completing?.abort();
    const abort = new AbortController();
    this.completing = abort;
    const run = this.inFlight.catch(() => undefined).then(async () => {
      await this.recovering;
      return this.completeNow(req, abort);
    });
    this.inFlight = run;
    return run;
  }

  /** The completion pipeline does the work (src/completion/pipeline.ts); this adds the session's state and files. */
  private async completeNow(req: CompletionRequest, abort: AbortController): Promise<CompletionResult> {
    this.loaded();
    abort.signal.throwIfAborted();
    const workspace = this.context?.ready();
    try {
      const r = await this.completer!.complete({
        workspace,
        path: req.path,
        prefix: req.prefix,
        suffix: req.suffix,
        prefixOffset: req.prefixOffset,
        line: req.line,
        files: this.texts,
        recentEdits: this.edits.list(),
        useBlock: req.useBlock,
        limits: { maxTokens: req.maxTokens, lineBudgetMs: req.lineBudgetMs, deadlineMs: req.deadlineMs },
        signal: abort.signal,
      });
      return { text: r.text, raw: r.raw, generated: r.generated, prefilled: r.prefilled, contextTokens: workspace?.tokens ?? 0, stopped: r.stopped, ms: r.ms, block: r.block };
    } finally {
      if (this.completing === abort) this.completing = undefined;
    }
  }

  closeContext(): void {
    this.context?.dispose();
    this.context = undefined;
  }

  cancelCompletion(): void {
    this.completing?.abort();
  }

  describe(): ContextReport {
    const base = this.context?.describe() ?? { files: [], totalTokens: 0, ready: false, pendingChanges: 0, overBudget: [], prefilledTokens: 0 };
    const gpu = this.engine?.backend === 'gpu' ? gpuMemory((this.engine as GpuEngine).gpuDevice) : { liveBytes: 0, peakBytes: 0 };
    return { ...base, skipped: this.skipped, budgetTokens: this.budget, root: this.filter?.root, gpuBytes: gpu.liveBytes, peakGpuBytes: gpu.peakBytes, lastBlock: this.completer?.lastBlock?.() };
  }

  /** Frees the model; resolves once its GPU memory is gone. */
  dispose(): Promise<void> {
    this.completing?.abort();
    this.context?.dispose();
    this.context = undefined;
    this.completer?.reset();
    const closed = Promise.all([this.engine?.dispose(), this.decoder?.dispose()]).then(() => undefined);
    this.engine = undefined;
    this.decoder = undefined;
    return closed;
  }

  /** The assistant over this session's engine, context and files (Q&A, summaries). */
  assistant(): LocalAssistant {
    if (!this.helper) throw new Error('No model is loaded yet.');
    return this.helper;
  }

  async assistStream(req: { id: number } & StreamRequest, onText: (delta: string) => void) {
    await this.recovering;
    const abort = new AbortController();
    this.assists.set(req.id, abort);
    try {
      return await this.assistant().stream(req, onText, abort.signal);
    } finally {
      this.assists.delete(req.id);
    }
  }

  /** One question, retrieved over `passages` (kept in step with the context's files) and answered; sources, then text. */
  async assistAsk(req: { id: number } & AskRequest, events: AnswerEvents): Promise<Answer> {
    await this.recovering;
    const abort = new AbortController();
    this.assists.set(req.id, abort);
    try {
      return await answerQuestion(this.assistant(), this.passages, this.texts, req.question, req.history, events, abort.signal, req.options);
    } finally {
      this.assists.delete(req.id);
    }
  }

  /** The workspace summary's parts, from the context's files; undefined while there are none. */
  assistWorkspacePlan(): SummaryPart[] | undefined {
    return this.texts.size ? workspacePlan(this.texts, workspaceOutline(this.texts)) : undefined;
  }

  assistCancel(id: number): void {
    this.assists.get(id)?.abort();
  }

  /** What the context reads: unsaved editor text first, else the disk through the filter. Keeps `texts` in step. */
  private async read(rel: string): Promise<string | undefined> {
    const dirty = this.overlay.get(rel);
    let text: string | undefined;
    if (dirty !== undefined) text = this.filter && (await this.filter.textReason(rel, dirty)) ? undefined : dirty;
    else {
      const r = await this.filter?.read(rel);
      text = r && 'text' in r ? r.text : undefined;
    }
    if (text === undefined) this.texts.delete(rel);
    else this.texts.set(rel, text);
    return text;
  }

  private loaded(): { engine: Engine; tokenizer: Tokenizer; summary: EngineSummary } {
    if (!this.engine || !this.tokenizer || !this.summary) throw new Error('No model is loaded yet.');
    return { engine: this.engine, tokenizer: this.tokenizer, summary: this.summary };
  }
}

/** Loads a model folder's config, weights and tokenizer, as load() would; throws the first problem. */
export async function validateModel(dir: string): Promise<string> {
  const model = await loadModel(dir);
  await loadTokenizer(dir, model.config.vocabSize);
  return describeConfig(model.config);
}

/** Prefill speed on a short prompt after a warm-up, so the context budget follows the machine. */
async function measurePrefill(engine: Engine): Promise<number> {
  const V = engine.model.config.vocabSize;
  const tokens = Array.from({ length: 128 }, (_, i) => (i * 7919 + 1) % V);
  const warm = engine.newState({ capacity: 256 });
  await engine.prefill(tokens.slice(0, 8), warm);
  engine.release(warm);
  const state = engine.newState({ capacity: 256 });
  const t0 = performance.now();
  await engine.prefill(tokens, state);
  const s = (performance.now() - t0) / 1000;
  engine.release(state);
  return tokens.length / Math.max(s, 1e-6);
}

function lostDuring(what: string): SambaError {
  return new SambaError('gpu', `The GPU device was lost while ${what}; the request was stopped. The model restarts and restores the workspace context from its saved state.`);
}

/**
 * About two minutes of reading, rounded down to a step of 2^k or 1.5 x 2^k tokens: the measured speed
 * varies from start to start (198 vs 103 tokens/s on one machine, quiet vs loaded), and a budget that
 * followed it exactly read other files each time, and could not reuse the saved states.
 */
export function autoBudget(prefillTokensPerS: number): number {
  const raw = Math.min(AUTO_BUDGET_MAX, Math.max(AUTO_BUDGET_MIN, prefillTokensPerS * AUTO_BUDGET_SECONDS));
  const pow = 2 ** Math.floor(Math.log2(raw));
  return Math.max(AUTO_BUDGET_MIN, raw >= 1.5 * pow ? 1.5 * pow : pow);
}
