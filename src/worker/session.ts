import * as path from 'node:path';
import { SambaError } from '../model/errors';
import type { Tokenizer } from '../model/tokenizer';
import type { Engine } from '../engine/engine';
import type { NoticeKey } from '../backend/create';
import type { GpuEngine } from '../gpu/engine';
import { gpuMemory } from '../gpu/memory';
import { WorkspaceFilter, type FileSource } from '../workspace/filter';
import { WorkspaceFiles, type ChangeWithText } from '../workspace/files';
import { BudgetOverrun, readWorkspaceFiles, type ReadFolder } from '../workspace/load';
import { autoBudget, fitBudget, keptBudget, readKeptBudget, saveKeptBudget, type KeptBudget } from '../workspace/budget';
import { WorkspaceContext, type Progress } from '../workspace/context';
import { SnapshotStore } from '../workspace/snapshot-store';
import { CompletionPipeline, type BlockReport, type PipelineRequest, type PipelineResult, type SelectBlock } from '../completion/pipeline';
import { buildContextBlock } from '../completion/context-block';
import { modelText } from '../code/line-ends';
import { LocalAssistant } from '../assistant/local-assistant';
import type { StreamRequest } from '../assistant/assistant';
import { Bm25Index } from '../qa/bm25';
import { shippedTermVectors, type TermVectors } from '../qa/ranker';
import { answerQuestion, type Answer, type AnswerEvents, type AskRequest } from '../qa/conversation';
import { workspacePlan } from '../summarize/outline';
import type { SummaryPart } from '../summarize/prompt';
import { EngineHolder, type Running } from './engine-holder';
import type { CompletionRequest, CompletionResult, ContextReport, EngineSummary, LoadRequest, OpenRequest, ReadAheadReport, ReadAheadRequest, ReadAheadResult } from './protocol';

/** What runs one completion in the worker: the pipeline (a bench swaps in the old layout to compare). */
export interface Completer {
  complete(req: PipelineRequest): Promise<PipelineResult>;
  /** Prefills a place's prompt without generating (CompletionPipeline.readAhead); absent: nothing is read ahead. */
  readAhead?(req: Omit<PipelineRequest, 'limits' | 'candidates'>): Promise<{ prefilled: number }>;
  reset(): void;
  lastBlock?(): BlockReport | undefined;
}

export type MakeCompleter = (engine: Engine, decoder: Engine | undefined, tokenizer: Tokenizer) => Completer;

/**
 * What the model worker serves, over one engine (./engine-holder.ts), one copy of the workspace's
 * text (src/workspace/files.ts) and the workspace context read from it: completions one at a time,
 * questions and summaries. It lives in the model worker (./model-worker.ts), off the extension
 * host's main thread; tests drive it directly.
 */
export class ModelSession {
  private readonly holder: EngineHolder;
  private readonly files = new WorkspaceFiles();
  private context: WorkspaceContext | undefined;
  /** The last workspace opened, to rebuild after a device loss. */
  private lastOpen: OpenRequest | undefined;
  /** The editor's active file, as last told (by open or setActive): a switch while the folder is read is not lost. */
  private activePath: string | undefined;
  /** KV slots of the context's states (full attention only; undefined: the engine's default). */
  private capacity: number | undefined;
  private budget = 0;
  private storageDir: string | undefined;
  /** The automatic budget this folder's last start used (read while the model loads). */
  private kept: Promise<Partial<KeptBudget> | undefined> = Promise.resolve(undefined);
  private completer: Completer | undefined;
  private completing: AbortController | undefined;
  /** Set while the work in flight is a read-ahead (a newer place replaces it; a completion aborts it). */
  private readingAhead: AbortController | undefined;
  /** The last place completed or read ahead at: read again when the workspace state changes under it. */
  private lastPlace: ReadAheadRequest | undefined;
  /** The completion in flight: the prompt session serves one at a time. */
  private inFlight: Promise<unknown> = Promise.resolve();
  private helper: LocalAssistant | undefined;
  /** The folder's files (WorkspaceFiles.texts: over the budget too) as passages under BM25, for questions (made at the first, brought up to date by each). */
  private passages: Bm25Index | undefined;
  private readonly assists = new Map<number, AbortController>();
  /** Counts open() and closeContext() calls: an open still reading the folder when another comes is stale. */
  private opened = 0;
  /** The load in flight: its tokenizer once read (an open asked meanwhile reads the folder with it), and its end. */
  private loading: { readonly tokenizer: Promise<Tokenizer>; readonly done: Promise<Running> } | undefined;

  constructor(
    private readonly events: {
      readonly onProgress?: (p: Progress) => void;
      readonly onNotice?: (message: string, key?: NoticeKey) => void;
      readonly onLog?: (message: string) => void;
      /** The engine changed without a load request (a lost GPU device was replaced, perhaps by the CPU). */
      readonly onEngine?: (summary: EngineSummary) => void;
      /** A read-ahead ran (not one skipped): the host's log and the tests see the worker's own re-reads too. */
      readonly onReadAhead?: (report: ReadAheadReport) => void;
      /** Files of a remote folder, read through the host (see OpenRequest.remote). */
      readonly hostFiles?: FileSource;
    } = {},
    private readonly options: {
      /** How often a running context saves a state mid-way (ContextOptions.persistEveryMs). */
      readonly persistEveryMs?: number;
      /** False: a first read asked after the load reads the whole folder before its pass (benches compare). */
      readonly streamFirstRead?: boolean;
      /** Chooses the in-window block (default: src/completion/context-block.ts). */
      readonly selectBlock?: SelectBlock;
      /** Token budget of the block (PipelineOptions.blockTokens). */
      readonly blockTokens?: number;
      /** Whether a new line looks up its own continuations (PipelineOptions.blockFollowsLine). */
      readonly blockFollowsLine?: boolean;
      /** Which line starts of a prompt keep a snapshot (PipelineOptions' recentLines and sparseLines; default every 8th, src/completion/prompt.ts). */
      readonly lineSnapshots?: { readonly recentLines: number; readonly sparseLines: number };
      /** Another completion path (bench/editing-session.ts runs the old layout through it). */
      readonly completer?: MakeCompleter;
    } = {},
  ) {
    this.holder = new EngineHolder({
      onNotice: events.onNotice,
      onLog: events.onLog,
      onEngine: events.onEngine,
      started: (r) => this.start(r),
      stopUsing: () => this.stopUsing(),
      restore: () => this.restoreWorkspace(),
    });
  }

  async load(req: LoadRequest): Promise<EngineSummary> {
    let heard!: (tokenizer: Tokenizer) => void;
    const tokenizer = new Promise<Tokenizer>((resolve) => (heard = resolve));
    const done = (async () => {
      await this.holder.settled();
      void this.dispose();
      this.lastOpen = undefined;
      this.storageDir = req.storageDir;
      this.kept = readKeptBudget(req.storageDir);
      return this.holder.load(req, heard);
    })();
    // Known before the first await: an open may come in the same turn (IPC hands over messages together).
    const loading = (this.loading = { tokenizer, done });
    try {
      return (await done).summary;
    } finally {
      if (this.loading === loading) this.loading = undefined;
    }
  }

  /** Checks a model folder (config, every tensor, tokenizer) without running it; the load that follows reads it no more. */
  validate(dir: string): Promise<string> {
    return this.holder.validate(dir);
  }

  /** A new engine runs: the completion path and the assistant over it. */
  private start({ engine, decoder, tokenizer }: Running): void {
    this.completer = this.options.completer
      ? this.options.completer(engine, decoder, tokenizer)
      : new CompletionPipeline(engine, decoder, tokenizer, {
          selectBlock: this.options.selectBlock ?? buildContextBlock,
          blockTokens: this.options.blockTokens,
          blockFollowsLine: this.options.blockFollowsLine,
          ...this.options.lineSnapshots,
        });
    this.helper = new LocalAssistant({ engine, decoder, tokenizer, files: () => this.files.texts, workspace: () => this.context?.ready() });
  }

  /** The engine was lost: requests in flight stop, and what was built on it goes. */
  private stopUsing(): void {
    this.completing?.abort();
    for (const a of this.assists.values()) a.abort();
    this.context?.dispose();
    this.context = undefined;
    this.completer?.reset();
  }

  /**
   * After a device loss, the workspace context is rebuilt from the persisted snapshots, so only what
   * was never saved runs again. The rebuild keeps the budget it had: a budget re-derived from the
   * CPU's speed would hold other files, whose chain of saved states does not exist, and all of it
   * would run again on the CPU.
   */
  private async restoreWorkspace(): Promise<string> {
    if (!this.lastOpen) return '';
    const open = this.lastOpen;
    await this.openNow({ ...open, budgetTokens: this.budget || open.budgetTokens });
    this.lastOpen = open;
    const d = this.context!.describe();
    return `; the workspace context (${d.totalTokens} tokens) was restored from saved state, ${d.prefilledTokens} tokens read again`;
  }

  /**
   * Reads the workspace folder and streams it into the context; resolves when the state is ready.
   * Asked while the model loads (the host does at start-up), it scans, reads and tokenizes the
   * folder meanwhile; only the order, which needs the budget (the engine's speed), and the pass wait.
   */
  async open(req: OpenRequest): Promise<ContextReport> {
    const opening = ++this.opened;
    this.activePath = req.activePath;
    this.files.forgetUnsaved();
    const loading = this.loading;
    let early: { filter: WorkspaceFilter; read: Promise<ReadFolder> } | undefined;
    if (loading) {
      const tokenizer = await Promise.race([loading.tokenizer, loading.done.then((r) => r.tokenizer)]);
      const filter = this.filterFor(req);
      const t0 = performance.now();
      let loaded = false;
      early = { filter, read: readWorkspaceFiles(filter, tokenizer) };
      early.read.then(
        (r) => loaded || this.events.onLog?.(`folder read while the model loads: ${r.files.length} files in ${Math.round(performance.now() - t0)} ms`),
        () => undefined, // a failed read is rethrown where openNow awaits it
      );
      await loading.done.finally(() => (loaded = true));
    }
    await this.holder.settled();
    return this.openNow(req, early, opening);
  }

  private newContext(engine: Engine, tokenizer: Tokenizer, store: SnapshotStore | undefined): WorkspaceContext {
    return new WorkspaceContext({
      engine,
      tokenizer,
      store,
      read: (p) => this.files.read(p),
      budgetTokens: this.budget,
      capacity: this.capacity,
      persistEveryMs: this.options.persistEveryMs,
      // The background rebuild of stale copies waits while a completion runs.
      busy: () => this.completing !== undefined,
      onStoreError: (e) => this.events.onLog?.(e.message),
      activePath: this.activePath,
      onProgress: this.events.onProgress,
      // A new state makes the last place's prompt stale: read it again now rather than at the next keystroke.
      onReady: () => this.readLastPlaceAgain(),
      // A streamed read over its promise is read again (openNow), not a failure to report.
      onError: (e) => e instanceof BudgetOverrun || this.events.onLog?.(`context update failed: ${e.message}`),
    });
  }

  private filterFor(req: OpenRequest): WorkspaceFilter {
    if (req.remote && !this.events.hostFiles) throw new Error('This folder is not on the local disk and no host file access is available.');
    return new WorkspaceFilter(req.root, req.filter, req.remote ? this.events.hostFiles : undefined);
  }

  /** `opening`: the open() asking, which a later open or a close (the user stopped the read) makes stale. */
  private async openNow(req: OpenRequest, early?: { filter: WorkspaceFilter; read: Promise<ReadFolder> }, opening = this.opened): Promise<ContextReport> {
    const { engine, tokenizer, summary } = this.loaded();
    this.context?.dispose();
    this.lastOpen = req;
    const filter = early?.filter ?? this.filterFor(req);
    if (req.budgetTokens > 0) this.budget = req.budgetTokens;
    else {
      const record: KeptBudget = { device: engine.deviceName, model: engine.model.fingerprint, budget: keptBudget(await this.kept, engine.deviceName, engine.model.fingerprint, autoBudget(summary.prefillTokensPerS)) };
      this.budget = record.budget;
      this.kept = Promise.resolve(record);
      if (this.storageDir) void saveKeptBudget(this.storageDir, record);
    }
    ({ budget: this.budget, capacity: this.capacity } = await fitBudget(engine, this.budget, this.events));
    const store = this.storageDir
      ? new SnapshotStore(path.join(this.storageDir, 'snapshots'), engine.model, (file, why) => this.events.onLog?.(`discarded cached state ${path.basename(file)}: ${why}; rebuilding`))
      : undefined;
    const order = { activePath: this.activePath, budgetTokens: this.budget };
    // A first read with nothing read yet and no saved state to restore, on the GPU (whose pass leaves
    // this thread free; the CPU engine's does not): the pass runs as the folder is read, where the
    // folder surely fits the budget (streamWorkspaceFiles).
    const stream = !early && engine.backend === 'gpu' && this.options.streamFirstRead !== false && !(store && (await store.keys()).length);
    const begun = stream ? await this.files.stream(filter, tokenizer, order) : undefined;
    const streamed = begun && 'files' in begun ? begun.files : undefined;
    let loaded = streamed ? undefined : await this.files.load(filter, tokenizer, order, begun && 'read' in begun ? begun.read : early?.read);
    // Stopped or replaced while the folder was read (it may have been read while the model loaded).
    const stillAsked = () => {
      if (opening !== this.opened) throw new Error('Reading the workspace was stopped, or replaced by a newer read, before it finished.');
    };
    stillAsked();
    let context = (this.context = this.newContext(engine, tokenizer, store));
    this.events.onLog?.(
      loaded
        ? `context: ${loaded.files.length} files, ${loaded.tokens} tokens (budget ${this.budget}); ${loaded.skipped.length} skipped, ${loaded.dropped.length} over the budget`
        : `context: the folder's files stream in as they are read (budget ${this.budget})`,
    );
    if (streamed) {
      try {
        await context.open([], [], streamed);
      } catch (e) {
        // A failed read leaves no part of the folder behind as the context.
        if (this.context === context) this.context = undefined;
        context.dispose();
        if (!(e instanceof BudgetOverrun) || opening !== this.opened) throw e;
        // Text that is not UTF-8 took more tokens than its bytes: read the folder whole and order it.
        this.events.onLog?.(`context: ${e.message}`);
        loaded = await this.files.load(filter, tokenizer, order);
        stillAsked();
        context = this.context = this.newContext(engine, tokenizer, store);
      }
    }
    // The in-window block reads the folder's files, just loaded: a place read ahead before them (the
    // cursor rests while the model loads) has a stale prompt, and the first read may take a minute
    // on a CPU (a user trial: the first suggestion there ran its whole prompt again). Streamed, they
    // were not all read yet: the ready state's onReady reads it again.
    if (loaded) {
      this.readLastPlaceAgain();
      await context.open(loaded.files, loaded.dropped);
    }
    // Stopped or replaced during the pass (the context was disposed).
    stillAsked();
    // Unsaved editor text wins over the disk's. The load read what was known then in its place
    // (files.load); text that came later, or kept over a device loss, is read now (an unchanged file
    // costs nothing: the context compares hashes).
    const unsaved = this.files.unsavedPaths();
    if (unsaved.length) await context.update(unsaved.map((p) => ({ kind: 'edit' as const, path: p })));
    // A device loss settles the context by disposing it: this request still fails.
    if (this.holder.running?.engine !== engine) throw lostDuring('reading the workspace');
    return this.describe();
  }

  /**
   * The last place completed or read ahead at, read ahead again (its prompt changed under it):
   * readAhead skips it while a completion runs and replaces a read-ahead in flight, stale now.
   */
  private readLastPlaceAgain(): void {
    if (this.lastPlace) void this.readAhead(this.lastPlace).catch((e: Error) => this.events.onLog?.(`reading ahead failed: ${e.message}`));
  }

  /** Editor and file-system changes; `text` carries unsaved editor content (undefined: read the disk), kept with "\n" line ends. */
  update(edits: readonly ChangeWithText[]): void {
    const changes = edits.map((c) => (c.text !== undefined ? { ...c, text: modelText(c.text) } : c));
    this.files.change(changes);
    void this.context?.update(changes).catch((e: Error) => e instanceof BudgetOverrun || this.events.onLog?.(`context update failed: ${e.message}`));
  }

  setActive(relPath: string | undefined): void {
    this.activePath = relPath;
    void this.context?.setActive(relPath).catch((e: Error) => this.events.onLog?.(`context update failed: ${e.message}`));
  }

  /** The context is up to date, and the completion or read-ahead in flight (the last place read again after a change, too) has ended. */
  async whenIdle(): Promise<void> {
    await this.holder.settled();
    await this.context?.whenIdle();
    await this.inFlight.catch(() => undefined);
  }

  /** One completion; a newer request aborts the one in flight and runs once it has stopped. */
  complete(req: CompletionRequest): Promise<CompletionResult> {
    // A secret (by the file's name, or a key in its text) never reaches the model: no suggestion there.
    const secret = this.files.secretReason(req.path, req.prefix + req.suffix);
    if (!secret) this.lastPlace = placeOf(req);
    return this.enqueue(false, (signal) => this.completeNow(req, signal, secret));
  }

  /**
   * Reads a place's prompt ahead of a completion there (the cursor came to rest, or the workspace
   * state changed under the last place): skipped while a completion runs, replaced by a newer place,
   * aborted by a completion, which then reuses what was read.
   */
  readAhead(req: ReadAheadRequest): Promise<ReadAheadResult> {
    const skipped: ReadAheadResult = { outcome: 'skipped', prefilled: 0, ms: 0 };
    if (this.files.secretReason(req.path, req.prefix + req.suffix)) return Promise.resolve(skipped);
    this.lastPlace = req;
    if (!this.completer?.readAhead || (this.completing && !this.readingAhead)) return Promise.resolve(skipped);
    return this.enqueue(true, async (signal): Promise<ReadAheadResult> => {
      const t0 = performance.now();
      let result: ReadAheadResult;
      try {
        signal.throwIfAborted();
        this.loaded();
        const r = await this.completer!.readAhead!({ ...this.pipelineRequest(req), signal });
        result = { outcome: 'read', prefilled: r.prefilled, ms: performance.now() - t0 };
      } catch (e) {
        if (!signal.aborted) throw e;
        result = { outcome: 'stopped', prefilled: 0, ms: performance.now() - t0 };
      }
      this.events.onReadAhead?.({ ...result, path: req.path, line: req.line ?? 0 });
      return result;
    });
  }

  /**
   * Runs `work` once the completion or read-ahead in flight, aborted now, has stopped and the engine
   * has settled: the prompt session serves one at a time. A read-ahead (`readingAhead`) may be
   * replaced by a newer place; a completion is not.
   */
  private enqueue<T>(readingAhead: boolean, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.completing?.abort();
    const abort = new AbortController();
    this.completing = abort;
    this.readingAhead = readingAhead ? abort : undefined;
    const run = this.inFlight.catch(() => undefined).then(async () => {
      try {
        await this.holder.settled();
        return await work(abort.signal);
      } finally {
        if (this.completing === abort) this.completing = this.readingAhead = undefined;
      }
    });
    this.inFlight = run;
    return run;
  }

  /** What the pipeline is given for a place: the session's workspace state, files and recent edits. */
  private pipelineRequest(req: ReadAheadRequest) {
    return {
      workspace: this.context?.readyFor(req.path),
      path: req.path,
      prefix: req.prefix,
      suffix: req.suffix,
      prefixOffset: req.prefixOffset,
      line: req.line,
      files: this.files.texts,
      recentEdits: this.files.recentEdits(),
      useBlock: req.useBlock,
    };
  }

  /** The completion pipeline does the work (src/completion/pipeline.ts); this adds the session's state and files. */
  private async completeNow(req: CompletionRequest, signal: AbortSignal, secret: string | undefined): Promise<CompletionResult> {
    this.loaded();
    signal.throwIfAborted();
    if (secret) return { text: undefined, raw: '', generated: 0, prefilled: 0, contextTokens: this.context?.ready()?.tokens ?? 0, stopped: secret, ms: 0 };
    const place = this.pipelineRequest(req);
    const r = await this.completer!.complete({
      ...place,
      limits: { maxTokens: req.maxTokens, lineBudgetMs: req.lineBudgetMs, deadlineMs: req.deadlineMs },
      candidates: req.candidates,
      minScore: req.minScore,
      signal,
    });
    return { text: r.text, raw: r.raw, generated: r.generated, prefilled: r.prefilled, contextTokens: place.workspace?.tokens ?? 0, stopped: r.stopped, ms: r.ms, block: r.block, lineLogProb: r.lineLogProb, nextLogProb: r.nextLogProb, ...(r.leavesBlock ? { leavesBlock: r.leavesBlock } : {}), ...(r.between ? { between: r.between } : {}), unsure: r.unsure };
  }

  closeContext(): void {
    this.opened++;
    this.context?.dispose();
    this.context = undefined;
  }

  cancelCompletion(): void {
    this.completing?.abort();
  }

  describe(): ContextReport {
    const base = this.context?.describe() ?? { files: [], totalTokens: 0, ready: false, pendingChanges: 0, overBudget: [], prefilledTokens: 0 };
    const engine = this.holder.running?.engine;
    const gpu = engine?.backend === 'gpu' ? gpuMemory((engine as GpuEngine).gpuDevice) : { liveBytes: 0, peakBytes: 0 };
    return { ...base, skipped: this.files.skipped, budgetTokens: this.budget, root: this.files.root, gpuBytes: gpu.liveBytes, peakGpuBytes: gpu.peakBytes, lastBlock: this.completer?.lastBlock?.() };
  }

  /** Frees the model; resolves once its GPU memory is gone. */
  dispose(): Promise<void> {
    this.completing?.abort();
    this.context?.dispose();
    this.context = undefined;
    this.completer?.reset();
    return this.holder.dispose();
  }

  /** The assistant over this session's engine, context and files (Q&A, summaries). */
  assistant(): LocalAssistant {
    if (!this.helper) throw new Error('No model is loaded yet.');
    return this.helper;
  }

  async assistStream(req: { id: number } & StreamRequest, onText: (delta: string) => void) {
    await this.holder.settled();
    const abort = new AbortController();
    this.assists.set(req.id, abort);
    try {
      return await this.assistant().stream(req, onText, abort.signal);
    } finally {
      this.assists.delete(req.id);
    }
  }

  /**
   * The question index: with the Q&A ranker's word vectors, or where they cannot be read (a damaged
   * installation) BM25 alone, with a notice that says so and what to do; completions are not affected.
   */
  private questionIndex(): Bm25Index {
    if (this.passages) return this.passages;
    let vectors: TermVectors | null = null;
    try {
      vectors = shippedTermVectors();
    } catch (e) {
      this.events.onNotice?.(`${(e as Error).message} Until then questions are matched by their words alone.`);
    }
    return (this.passages = new Bm25Index({}, vectors));
  }

  /** One question, retrieved over `passages` (kept in step with the folder's files) and answered; sources, then text. */
  async assistAsk(req: { id: number } & AskRequest, events: AnswerEvents): Promise<Answer> {
    await this.holder.settled();
    const abort = new AbortController();
    this.assists.set(req.id, abort);
    try {
      return await answerQuestion(this.assistant(), this.questionIndex(), this.files.texts, req.question, req.history, events, abort.signal, req.options);
    } finally {
      this.assists.delete(req.id);
    }
  }

  /** The workspace summary's parts, from the folder's files (WorkspaceFiles.texts); undefined while there are none. */
  assistWorkspacePlan(): SummaryPart[] | undefined {
    const texts = this.files.texts;
    return texts.size ? workspacePlan(texts) : undefined;
  }

  assistCancel(id: number): void {
    this.assists.get(id)?.abort();
  }

  private loaded(): Running {
    const r = this.holder.running;
    if (!r) throw new Error('No model is loaded yet.');
    return r;
  }
}

function lostDuring(what: string): SambaError {
  return new SambaError('gpu', `The GPU device was lost while ${what}; the request was stopped. The model restarts and restores the workspace context from its saved state.`);
}

/** A completion request's place (its text around the cursor), without its limits. */
function placeOf(req: CompletionRequest): ReadAheadRequest {
  const { maxTokens: _m, lineBudgetMs: _l, deadlineMs: _d, candidates: _c, minScore: _p, ...place } = req;
  return place;
}
