import * as vscode from 'vscode';
import * as path from 'node:path';
import { ModelWorkerClient } from '../worker/client';
import type { Progress } from '../workspace/context';
import type { ChangeWithText, CompletionRequest, CompletionResult, ContextReport, EngineSummary, Method, Methods, ReadAheadReport, ReadAheadRequest, WorkerEvent } from '../worker/protocol';
import { serveRemoteFs } from './remote-fs';
import { contextReadLine } from './format';
import { readSettings, type Settings } from './settings';
import { onBattery } from './power';
import { shaderCacheCold } from '../process/shader-cache';
import type { Source } from '../qa/messages';
import type { NoticeKey } from '../backend/create';

/** The button that hides a keyed notice for good (remembered in the extension's global state). */
const DONT_SHOW_AGAIN = "Don't Show Again";
const hiddenKey = (key: NoticeKey) => `samba.notice.${key}.hidden`;

/** Where an assistant request's streamed events go (src/ui/worker-assistant.ts). */
export interface AssistEvents {
  onText(delta: string): void;
  onSources?(sources: Source[]): void;
}

export type HostState =
  | { readonly kind: 'off' }
  | { readonly kind: 'loading'; readonly detail?: string }
  | { readonly kind: 'indexing'; readonly progress?: Progress }
  | { readonly kind: 'ready' }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The extension host's handle on the model: the worker client (requests, their streamed events) and
 * the model's lifecycle (load, read the workspace, forward editor changes, release when idle, reload
 * when settings change, start again after a crash). A remote folder's files are served by
 * ./remote-fs.ts. Nothing here blocks.
 */
export class ModelHost implements vscode.Disposable {
  private readonly client: ModelWorkerClient;
  private loading: Promise<EngineSummary> | undefined;
  /** The previous model being released: a new load waits for it (the GPU adapter must be free). */
  private stopping: Promise<unknown> = Promise.resolve();
  private summary: EngineSummary | undefined;
  /** The place the cursor last rested at while no model was loaded (see readAhead). */
  private pendingReadAhead: ReadAheadRequest | undefined;
  /** The engine now loaded (undefined while none is); its `fallback` says when the CPU runs instead of a GPU. */
  get engineSummary(): EngineSummary | undefined {
    return this.summary;
  }
  private indexCancel: vscode.CancellationTokenSource | undefined;
  /** The last read asked for: an older one that ends later (its saving to disk went on) changes nothing the user sees. */
  private latestRead: vscode.CancellationTokenSource | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<HostState>();
  readonly onDidChangeState = this.stateEmitter.event;
  state: HostState = { kind: 'off' };
  private readonly assistListeners = new Map<number, AssistEvents>();
  private lastUse = Date.now();
  private pausedOnBattery = false;
  private readonly idleTimer: NodeJS.Timeout;
  lastCompletion: CompletionResult | undefined;
  /** Completions since the model loaded, newest last (at most 200): the status bar and the e2e latency report read them. */
  readonly completions: (CompletionResult & { readonly path: string; readonly at: number })[] = [];
  /** Read-aheads that ran, the worker's own re-reads too (newest last, at most 200): the e2e tests read them. */
  readonly readAheads: (ReadAheadReport & { readonly at: number })[] = [];
  /** Tokens and files of workspace context, as last reported by the worker. */
  contextSize: { tokens: number; files: number } | undefined;
  /** Keyed notices shown in this window: the worker restarts (idle release, settings) do not repeat them. */
  private readonly noticesShown = new Set<NoticeKey>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.OutputChannel,
  ) {
    this.client = new ModelWorkerClient(
      (e) => this.onWorkerEvent(e),
      (why) => this.onWorkerExit(why),
    );
    this.idleTimer = setInterval(() => {
      this.resumeOnMains();
      this.releaseIfIdle();
    }, 60_000);
  }

  /** Reading the workspace was paused on battery: read it once the machine is on mains power again. */
  private resumeOnMains(): void {
    if (this.pausedOnBattery && this.summary) void onBattery().then((b) => void (b || this.index()));
  }

  /** After samba.engine.idleReleaseMinutes without use, end the worker: GPU memory goes back; the saved context makes the next start quick. */
  private releaseIfIdle(): void {
    const minutes = readSettings().idleReleaseMinutes;
    if (!this.loading || minutes <= 0 || this.state.kind === 'indexing' || Date.now() - this.lastUse < minutes * 60_000) return;
    this.log(`idle for ${minutes} min: releasing the model and its GPU memory until the next request`);
    this.reload();
  }

  get root(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  /** Loads the model once (per settings), reading the workspace in the background. */
  engine(): Promise<EngineSummary> {
    this.lastUse = Date.now();
    if (!this.loading) {
      const settings = readSettings();
      this.setState({ kind: 'loading', detail: shaderCacheCold() ? 'compiling GPU kernels (first run only: a minute or more without a GPU)' : undefined });
      const dir = settings.modelPath || path.join(this.context.extensionPath, 'models', 'default');
      const loading: Promise<EngineSummary> = this.stopping.then(() => {
        const load = this.client.request('load', { modelDir: dir, backend: settings.backend, weights: settings.weights, storageDir: this.context.storageUri?.fsPath });
        // Asked right after the load: the worker reads the folder while the model loads.
        void this.index(settings, loading);
        return load;
      }).then(
        (s) => {
          this.summary = s;
          this.log(`engine: ${s.model} on ${s.backend === 'gpu' ? s.deviceName : `the ${s.deviceName}`}${s.decoder ? `, generating on the ${s.decoder}` : ''}`);
          if (this.pendingReadAhead) this.readAhead(this.pendingReadAhead);
          return s;
        },
        (e: Error) => {
          this.loading = undefined;
          this.setState({ kind: 'error', message: e.message });
          throw e;
        },
      );
      this.loading = loading;
    }
    return this.loading;
  }

  /**
   * Reads the workspace into the model's state. Its progress is the status bar item's (a background
   * task, as VS Code's own are: a notification stayed up for the minute a CPU reads, over the Q&A
   * panel's input in user trials); stopReading() or the status menu stops it.
   */
  async index(settings: Settings = readSettings(), load?: Promise<unknown>): Promise<ContextReport | undefined> {
    // `load`: the model's load in flight, asked together with this read; the state says "loading"
    // until it ends, and a failed load is reported by engine() alone.
    const loaded = () => (load ? load.then(() => true, () => false) : Promise.resolve(true));
    const root = this.root;
    if (!settings.context.enable || !root) {
      if (await loaded()) this.setState({ kind: 'ready' });
      return undefined;
    }
    if (settings.context.pauseOnBattery && (await onBattery())) {
      if (!(await loaded())) return undefined;
      this.pausedOnBattery = true;
      this.log('on battery: reading the workspace is paused (samba.context.pauseOnBattery); completions use the current file');
      this.setState({ kind: 'ready' });
      return undefined;
    }
    this.pausedOnBattery = false;
    // A new read replaces the one in flight: the old one ends quietly (it was not stopped by the user).
    const previous = this.indexCancel;
    const cancel = (this.indexCancel = new vscode.CancellationTokenSource());
    this.latestRead = cancel;
    previous?.cancel();
    const active = this.relative(vscode.window.activeTextEditor?.document.uri);
    // A folder on this machine's disk is read by the worker itself; any other (a remote folder seen
    // from the UI side, a virtual file system) through workspace.fs, served by onWorkerEvent.
    const remote = root.scheme !== 'file';
    const job = this.client.request('open', { root: remote ? root.path : root.fsPath, remote, filter: settings.context.filter, budgetTokens: settings.context.budgetTokens, activePath: active });
    // Editors with unsaved text (restored by VS Code at start-up, or edited before a reload): the
    // worker reads them over what it finds on disk.
    const unsaved = vscode.workspace.textDocuments.flatMap((d) => {
      const p = d.isDirty ? this.relative(d.uri) : undefined;
      return p ? [{ kind: 'edit' as const, path: p, text: d.getText() }] : [];
    });
    if (unsaved.length) void this.client.request('update', { changes: unsaved });
    cancel.token.onCancellationRequested(() => {
      if (this.indexCancel !== cancel) return;
      this.indexCancel = undefined;
      void this.client.request('close', null);
      this.log('reading the workspace was stopped: completions use only the current file until the workspace is read again (Samba: Re-read the Workspace)');
      void loaded().then((ok) => ok && this.setState({ kind: 'ready' }));
    });
    if (!(await loaded()) || cancel.token.isCancellationRequested) {
      job.catch(() => undefined); // the load's own failure, which engine() shows, or a read stopped meanwhile
      if (this.indexCancel === cancel) this.indexCancel = undefined;
      return undefined;
    }
    // The log's time runs from the end of the model's load (the folder was read during it).
    const t0 = Date.now();
    this.setState({ kind: 'indexing' });
    try {
      const report = await job;
      // Stopped, or a newer read began after this one was ready (its saving to disk went on).
      if (cancel.token.isCancellationRequested || this.latestRead !== cancel) return undefined;
      this.log(contextReadLine(report, Date.now() - t0));
      this.contextSize = { tokens: report.totalTokens, files: report.files.length };
      this.setState({ kind: 'ready' });
      return report;
    } catch (e) {
      if (cancel.token.isCancellationRequested || this.latestRead !== cancel) return undefined;
      this.setState({ kind: 'error', message: (e as Error).message });
      this.log(`reading the workspace failed: ${(e as Error).message}`);
      return undefined;
    } finally {
      // A finished read has nothing to stop (Stop Reading must not close a context that is ready).
      if (this.indexCancel === cancel) this.indexCancel = undefined;
    }
  }

  /** Stops the read in flight (the status menu's "Stop reading the workspace"); false when none runs. */
  stopReading(): boolean {
    if (!this.indexCancel) return false;
    this.indexCancel.cancel();
    return true;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    await this.engine();
    const r = await this.client.request('complete', req);
    this.lastCompletion = r;
    this.completions.push({ ...r, path: req.path, at: Date.now() });
    if (this.completions.length > 200) this.completions.shift();
    if (this.contextSize) this.contextSize.tokens = r.contextTokens;
    this.stateEmitter.fire(this.state);
    return r;
  }

  /** Checks a model folder in the worker (loading weights is not work for the main thread). */
  validate(dir: string): Promise<string> {
    return this.client.request('validate', { modelDir: dir });
  }

  /** Any worker request, once the model is loaded. */
  async request<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    await this.engine();
    return this.client.request(method, params);
  }

  /** Runs an assistant request `id`: its streamed events go to `events`, and `signal` cancels it in the worker. */
  async withAssist<T>(id: number, events: AssistEvents, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    this.assistListeners.set(id, events);
    const cancel = () => void this.client.request('assistCancel', { id });
    signal.addEventListener('abort', cancel);
    try {
      return await run();
    } finally {
      signal.removeEventListener('abort', cancel);
      this.assistListeners.delete(id);
    }
  }

  /**
   * Reads a place's prompt ahead of a completion there (the worker's readAhead). While the model
   * loads, the last place asked is kept and read once it has loaded: a file opened at start-up is
   * where the first suggestion comes (user trials: it paid its whole prompt).
   */
  readAhead(req: ReadAheadRequest): void {
    if (!this.summary) {
      this.pendingReadAhead = req;
      return;
    }
    this.pendingReadAhead = undefined;
    // What it ran comes back as a readAhead event, like the worker's own re-reads.
    this.client.request('readAhead', req).catch((e: Error) => this.log(`reading ahead failed: ${e.message}`));
  }

  private readAheadRan(r: ReadAheadReport): void {
    this.readAheads.push({ ...r, at: Date.now() });
    if (this.readAheads.length > 200) this.readAheads.shift();
    if (r.prefilled > 0) this.log(`read ahead at ${r.path}:${r.line + 1}: ${r.prefilled} prompt tokens in ${Math.round(r.ms)} ms, ${r.outcome}`);
  }

  cancelCompletion(): void {
    if (this.summary) void this.client.request('cancelCompletion', null);
  }

  async describe(): Promise<ContextReport> {
    await this.engine();
    return this.client.request('describe', null);
  }

  /**
   * An editor or the disk changed a workspace file; `text` is the unsaved editor text. Sent while
   * the model loads too: the worker keeps it for the context it opens (before any load, the open
   * sends what is unsaved then).
   */
  changed(changes: ChangeWithText[]): void {
    if (this.loading && changes.length) void this.client.request('update', { changes });
  }

  setActive(uri: vscode.Uri | undefined): void {
    if (this.loading) void this.client.request('setActive', { path: this.relative(uri) });
  }

  async whenIdle(): Promise<void> {
    await this.engine();
    await this.client.request('whenIdle', null);
  }

  /** Loads the model again, e.g. to get back to the GPU after running on the CPU reference. */
  restart(): Promise<EngineSummary> {
    this.reload();
    return this.engine();
  }

  /** Settings that change the model or the context: start over (the next request loads again). */
  reload(): void {
    const reading = this.indexCancel;
    this.indexCancel = undefined;
    reading?.cancel();
    this.loading = undefined;
    this.summary = undefined;
    this.lastCompletion = undefined;
    this.contextSize = undefined;
    // The worker stays: the model is released in place and the next load reuses the process (quicker
    // than starting one, and the GPU adapter is free once `dispose` answers).
    if (this.client.running) this.stopping = this.client.request('dispose', null).catch(() => undefined);
    this.setState({ kind: 'off' });
  }

  /** Workspace-relative path with `/`, or undefined outside the (first) workspace folder. */
  relative(uri: vscode.Uri | undefined): string | undefined {
    const root = this.root;
    if (!uri || !root || uri.scheme !== root.scheme || uri.authority !== root.authority) return undefined;
    const rel = path.posix.relative(root.path, uri.path);
    return rel && !rel.startsWith('..') && !path.posix.isAbsolute(rel) ? rel : undefined;
  }

  log(message: string): void {
    this.output.appendLine(`[${new Date().toISOString().slice(11, 23)}] ${message}`);
  }

  dispose(): void {
    clearInterval(this.idleTimer);
    this.indexCancel?.cancel();
    void this.client.terminate();
    this.stateEmitter.dispose();
  }

  private setState(s: HostState): void {
    this.state = s;
    this.stateEmitter.fire(s);
  }

  /**
   * The worker process ended on its own (a crash in the GPU driver or Dawn, killed by the system):
   * the extension host lives on; the next request starts a worker and loads the model again, and
   * the saved workspace states make the re-read quick.
   */
  private onWorkerExit(why: string): void {
    this.log(`the model worker ${why}; it starts again at the next request`);
    this.loading = undefined;
    this.summary = undefined;
    this.stopping = Promise.resolve();
    this.setState({ kind: 'error', message: `The model worker ${why}. It restarts at the next completion or command.` });
  }

  /**
   * A notice as a warning. A keyed one (the CPU fallback, which the status bar also shows) appears
   * once per window and never after "Don't Show Again"; the others report events and always appear.
   */
  private async notify(message: string, key: NoticeKey | undefined): Promise<void> {
    if (key && (this.noticesShown.has(key) || this.context.globalState.get<boolean>(hiddenKey(key)))) return;
    if (key) this.noticesShown.add(key);
    const pick = await vscode.window.showWarningMessage(`Samba: ${message}`, ...(key ? [DONT_SHOW_AGAIN] : []));
    if (key && pick === DONT_SHOW_AGAIN) await this.context.globalState.update(hiddenKey(key), true);
  }

  private onWorkerEvent(e: WorkerEvent): void {
    if (e.event === 'log') this.log(e.data);
    else if (e.event === 'readAhead') this.readAheadRan(e.data);
    else if (e.event === 'notice') {
      this.log(e.data);
      void this.notify(e.data, e.key);
    } else if (e.event === 'engine' && this.summary) {
      // A lost GPU device was replaced in the worker: later requests see the new engine.
      this.summary = e.data;
      this.loading = Promise.resolve(e.data);
      this.stateEmitter.fire(this.state);
    } else if (e.event === 'fs') void serveRemoteFs(this.root, e.data).then((reply) => this.client.replyFs(reply));
    else if (e.event === 'assistText') this.assistListeners.get(e.data.id)?.onText(e.data.delta);
    else if (e.event === 'assistSources') this.assistListeners.get(e.data.id)?.onSources?.(e.data.sources);
    else if (e.event === 'progress' && this.state.kind === 'indexing') {
      // The state prompts read is there: the read is done for the user, though the worker goes on
      // saving it to disk (0.28-0.65 s on the H200 from 64 to 4,096 files, bench/RESULTS.md stop 30), which
      // Stop must not interrupt by closing a ready context.
      if (e.data.phase === 'ready') {
        this.indexCancel = undefined;
        this.contextSize = { tokens: e.data.totalTokens, files: e.data.files ?? 0 };
        this.setState({ kind: 'ready' });
      } else this.setState({ kind: 'indexing', progress: e.data });
    }
  }
}
