import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { chainNext, chainRoot, sha256, type SnapshotStore } from './snapshot-store';
import { fileTokens } from '../prompt/file';
import { ActiveFile } from './active-file';

/** Tokens of arrived files a pass waits for while open()'s files still come: a chunk or so, so the GPU starts early and passes are few. */
const STREAM_PASS_TOKENS = 2048;

/** The unit the context streams and snapshots (owned by src/prompt/). */
export { fileTokens };

/** A file as the context reads it. `tokens` may be passed when already computed (e.g. for budgeting). */
export interface ContextFile {
  readonly path: string;
  readonly text: string;
  readonly tokens?: Uint32Array;
}

export type Change =
  | { readonly kind: 'edit' | 'create'; readonly path: string }
  | { readonly kind: 'delete'; readonly path: string }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string };

export interface Progress {
  readonly phase: 'running' | 'ready';
  readonly doneTokens: number;
  /** 0 while a first read's files still arrive (open's stream): the total is not known yet. */
  readonly totalTokens: number;
  readonly file?: string;
  /** At 'ready': the files the state holds (prompts read it from now on; saving it to disk may go on). */
  readonly files?: number;
}

export interface ContextOptions {
  readonly engine: Engine;
  readonly tokenizer: Tokenizer;
  /** Current text of a file, or undefined when it is gone or may not enter (the adapter passes dirty buffers). */
  readonly read: (path: string) => Promise<string | undefined>;
  readonly store?: SnapshotStore;
  /** Changes arriving within this window are applied together. */
  readonly debounceMs?: number;
  /** Snapshots kept in memory; older boundaries are thinned first. */
  readonly maxSnapshots?: number;
  /**
   * Snapshots saved besides the chain's end and the tail's (default 16), spread evenly by tokens:
   * a restart after a change far back reads at most 1/16 of the chain again (see onDisk).
   */
  readonly diskSnapshots?: number;
  /**
   * Before the tail, a file boundary gets a snapshot only this many tokens after the previous one
   * (default 2048; 0: every boundary). See snapshotPoints.
   */
  readonly snapshotSpacing?: number;
  /** Most tokens the context holds: a changed or new file that does not fit stays out, never the rest. */
  readonly budgetTokens?: number;
  /** The file being edited: it lives in the prompt; once edited, the context leaves it out until another file is active. */
  readonly activePath?: string;
  readonly capacity?: number;
  /**
   * An edit re-runs at most this many tokens after the edited file's place (default 1024): a file
   * further back keeps its old copy where it is (stale) and its new version goes to the end, so an
   * edit costs the file plus this tail, whatever the workspace's size.
   */
  readonly tailTokens?: number;
  /**
   * Once nothing has changed for this long (default 30000 ms), stale copies are dropped by a run in
   * the background from the first of them; any change cancels it, and prompts keep reading the
   * state they had until it finishes.
   */
  readonly rebuildAfterMs?: number;
  /** True while a completion runs: the background rebuild waits at its next file boundary, so it never slows one. */
  readonly busy?: () => boolean;
  /**
   * While a run goes on, a file boundary's state is saved to the store once this many ms have passed
   * since the last save (default 5000; 0: every boundary), so a crash or a lost GPU loses little work.
   */
  readonly persistEveryMs?: number;
  /** Least time between two progress reports inside a run (default 250 ms; 0: every chunk). */
  readonly progressEveryMs?: number;
  /** Told once when the store cannot be written (read-only, full): the context goes on in memory. */
  readonly onStoreError?: (e: Error) => void;
  readonly onProgress?: (p: Progress) => void;
  /** The state prompts read changed (a new version is ready): prompts built on the old one must run again. */
  readonly onReady?: (ready: ReadyState) => void;
  readonly onError?: (e: Error) => void;
}

interface Entry {
  readonly path: string;
  readonly hash: string;
  readonly tokens: Uint32Array;
  key: string;
  /** Context length after this file. */
  end: number;
  /** The state after this file, when kept. */
  state?: EngineState;
  /** An old version left in place (the file was edited far back); its current version is later in the chain. */
  stale?: boolean;
}

/** Files still arriving for open() (a folder read while the pass runs). */
interface Arrivals {
  done: boolean;
  error?: Error;
  /** Wakes a run waiting for more files. */
  wake?: () => void;
  /** Paths an update named since the open: the update reads them, not the stream. */
  readonly touched: Set<string>;
}

export interface ContextDescription {
  /** The chain in order; a `stale` entry is an old copy left in place (its file was edited since). */
  readonly files: { path: string; tokens: number; end: number; snapshot: boolean; stale?: boolean }[];
  readonly totalTokens: number;
  readonly ready: boolean;
  readonly pendingChanges: number;
  readonly activePath?: string;
  /** Files that did not fit the budget, most wanted first; they come back (at the end) when room frees. */
  readonly overBudget: string[];
  readonly prefilledTokens: number;
  readonly lastUpdate?: { at: number; ms: number; tokens: number; fromStore: boolean; files: string[] };
  /** The last background run that dropped stale copies. */
  readonly lastRebuild?: { at: number; ms: number; tokens: number; dropped: number };
}

/** The state after the whole context, for prompts: never advance it, snapshot it first (synchronously; it is freed once a newer one replaces it). */
export interface ReadyState {
  readonly state: EngineState;
  /** Changes whenever the state does; prompt caches key on it. */
  readonly version: number;
  readonly tokens: number;
}

/**
 * The workspace as one recurrent state. Files stream in order, in one long pass (Engine.read),
 * with a snapshot at each boundary. A changed file moves to the end: within the last tailTokens
 * the chain re-runs from its old place; further back its old copy stays where it is (stale), so
 * an edit costs the file plus at most that tail, and a background run drops stale copies once the
 * workspace is idle. The file edited again and again costs only itself. An unchanged file never moves: switching tabs
 * costs nothing, and leaving an edited active file costs that file. Under the budget a file
 * that does not fit waits outside; none already in is pushed out for it. Prompts read the last
 * complete state, so completions never wait for an update.
 */
export class WorkspaceContext {
  private entries: Entry[] = [];
  /** entries[0..valid) have been run; a snapshot there (if kept) is exact. */
  private valid = 0;
  private readonly pending = new Map<string, 'changed' | 'deleted'>();
  /** Files left out for the budget and their last token counts, most wanted first. */
  private readonly overBudget = new Map<string, number>();
  /** The editor's active file: out of the chain while edited (./active-file.ts). */
  private readonly active: ActiveFile;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** The files open() was given to stream in, while they still arrive. */
  private arriving: Arrivals | undefined;
  private readyState: ReadyState | undefined;
  private readonly versions = new WeakMap<EngineState, number>();
  private version = 0;
  private readonly root: string;
  private readonly saved = new Set<string>();
  private lastUpdate: ContextDescription['lastUpdate'];
  /** Files changed since the last update finished: a cancelled run has read them, the run that finishes reports them. */
  private readonly unreported = new Set<string>();
  private lastRebuild: ContextDescription['lastRebuild'];
  /** Waits for the workspace to be idle before dropping stale copies. */
  private rebuildTimer: NodeJS.Timeout | undefined;
  private rebuilding = false;
  private disposed = false;
  /** Set when the store failed to save: the context stays in memory from then on. */
  private storeFailed = false;
  /** Every token this context's updates have prefilled (tests and the status bar read it). */
  prefilledTokens = 0;
  /** Tokens the background rebuilds prefilled, finished or cancelled (apart, so an update's cost reads the same with or without one). */
  rebuiltTokens = 0;

  constructor(private readonly o: ContextOptions) {
    this.root = chainRoot(o.engine.model, String(o.tokenizer.vocabSize));
    this.active = new ActiveFile(o.activePath);
  }

  /**
   * Sets the files (already filtered and ordered, the active file among them while unchanged) and
   * runs them; `overBudget` are those the budget left out, most wanted first. Resolves when the state is ready.
   */
  open(files: readonly ContextFile[], overBudget: readonly { path: string; tokens: number }[] = [], arriving?: AsyncIterable<ContextFile>): Promise<void> {
    this.entries = files.map((f) => this.entryOf(f));
    this.arriving = arriving && this.receive(arriving);
    this.overBudget.clear();
    for (const f of overBudget) this.overBudget.set(f.path, f.tokens);
    this.active.reset();
    this.unreported.clear();
    this.valid = 0;
    this.relink(0);
    return this.schedule(0);
  }

  private entryOf(f: ContextFile): Entry {
    return { path: f.path, hash: sha256(f.text), tokens: f.tokens ?? fileTokens(this.o.tokenizer, f.path, f.text), key: '', end: 0 };
  }

  /**
   * Takes open's arriving files into the chain, at its end, as they come. A file an update named
   * meanwhile is left to the update (it reads the file as it is now, or knows it is gone).
   */
  private receive(files: AsyncIterable<ContextFile>): Arrivals {
    const a: Arrivals = { done: false, touched: new Set() };
    void (async () => {
      try {
        for await (const f of files) {
          if (this.arriving !== a) return; // a newer open, or disposed
          if (a.touched.has(f.path)) continue;
          const e = this.entryOf(f);
          // The folder fits by its sizes, but files created meanwhile and editor text take room too.
          // The chain's end (stale copies counted) bounds what it holds: room() sums it only when that is close.
          const budget = this.o.budgetTokens ?? Infinity;
          if (this.total() + this.active.reserved + e.tokens.length > budget && e.tokens.length > this.room()) {
            this.overBudget.set(e.path, e.tokens.length);
            continue;
          }
          this.entries.push(e);
          this.relink(this.entries.length - 1);
          a.wake?.();
        }
      } catch (e) {
        a.error = e as Error;
      } finally {
        a.done = true;
        a.wake?.();
      }
    })();
    return a;
  }

  /** Files changed on disk or in an editor; bursts coalesce, and a newer update cancels stale work. */
  update(changes: readonly Change[]): Promise<void> {
    for (const c of changes) {
      if (this.arriving) for (const p of c.kind === 'rename' ? [c.from, c.to] : [c.path]) this.arriving.touched.add(p);
      if (c.kind === 'rename') {
        this.pending.set(c.from, 'deleted');
        this.pending.set(c.to, 'changed');
      } else this.pending.set(c.path, c.kind === 'delete' ? 'deleted' : 'changed');
    }
    return this.schedule(this.o.debounceMs ?? 300);
  }

  /** The editor's active file changed: the one left out while edited comes back, at the end; unchanged files stay where they are. */
  setActive(path: string | undefined): Promise<void> {
    const back = this.active.switchTo(path);
    if (back === undefined) return this.whenIdle();
    this.pending.set(back, 'changed');
    return this.schedule(this.o.debounceMs ?? 300);
  }

  /** The last complete state, or undefined before the first run finishes. */
  ready(): ReadyState | undefined {
    return this.readyState;
  }

  /**
   * The state prompts in `path` read: the last complete one, or, where the chain ends with `path`
   * itself (the editor's active file streams last), the state before it. The prompt holds that file,
   * as training's examples and `samba eval` never had the file asked about in the repository's part;
   * and its first edit, which takes it out of the chain, leaves this state as it was, so what a prompt
   * read on it stays (a CPU read the whole prompt again when a first suggestion was taken).
   */
  readyFor(path: string): ReadyState | undefined {
    const ready = this.readyState;
    const n = this.entries.length;
    if (!ready || n < 2 || this.entries[n - 1].path !== path || this.entries[n - 1].state !== ready.state) return ready;
    const before = this.entries[n - 2];
    if (!before.state || before.stale) return ready;
    return { state: before.state, version: this.versionOf(before.state), tokens: before.end };
  }

  whenIdle(): Promise<void> {
    if ((!this.running || this.rebuilding) && !this.timer && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  describe(): ContextDescription {
    return {
      files: this.entries.map((e) => ({ path: e.path, tokens: e.tokens.length, end: e.end, snapshot: !!e.state, ...(e.stale ? { stale: true } : {}) })),
      totalTokens: this.total(),
      ready: (!this.running || this.rebuilding) && !this.timer && this.pending.size === 0 && this.valid === this.entries.length,
      pendingChanges: this.pending.size,
      activePath: this.active.path,
      overBudget: [...this.overBudget.keys()],
      prefilledTokens: this.prefilledTokens,
      lastUpdate: this.lastUpdate,
      lastRebuild: this.lastRebuild,
    };
  }

  dispose(): void {
    this.disposed = true;
    this.arriving = undefined;
    clearTimeout(this.timer);
    clearTimeout(this.rebuildTimer);
    this.timer = undefined;
    this.abort?.abort();
    for (const e of this.entries) this.drop(e);
    if (this.readyState) this.o.engine.release(this.readyState.state);
    this.readyState = undefined;
    this.settle();
  }

  private total(): number {
    return this.entries.length ? this.entries[this.entries.length - 1].end : 0;
  }

  private schedule(delayMs: number): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.disposed) {
      this.settle();
      return done;
    }
    this.abort?.abort();
    clearTimeout(this.timer);
    clearTimeout(this.rebuildTimer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.kick();
    }, delayMs);
    return done;
  }

  private async kick(): Promise<void> {
    // One run at a time: a cancelled run finishes its current chunk, then the next one starts.
    while (this.running) await this.running.catch(() => undefined);
    if (this.timer || this.disposed) return;
    const abort = (this.abort = new AbortController());
    this.running = this.run(abort.signal);
    try {
      await this.running;
      if (!abort.signal.aborted && !this.timer && this.pending.size === 0) {
        this.settle();
        this.scheduleRebuild();
      }
    } catch (e) {
      this.o.onError?.(e as Error);
      this.settle(e as Error);
    } finally {
      this.running = undefined;
    }
  }

  private settle(error?: Error): void {
    const w = this.waiters;
    this.waiters = [];
    for (const { resolve, reject } of w) error ? reject(error) : resolve();
  }

  /** Drops stale copies once the workspace has been idle for rebuildAfterMs (any change restarts the wait). */
  private scheduleRebuild(): void {
    clearTimeout(this.rebuildTimer);
    const after = this.o.rebuildAfterMs ?? 30_000;
    if (this.disposed || !Number.isFinite(after) || !this.entries.some((e) => e.stale)) return;
    this.rebuildTimer = setTimeout(() => void this.kickRebuild(), after);
    this.rebuildTimer.unref?.();
  }

  private async kickRebuild(): Promise<void> {
    if (this.running || this.timer || this.pending.size > 0 || this.disposed) return;
    const abort = (this.abort = new AbortController());
    this.rebuilding = true;
    this.running = this.rebuild(abort.signal);
    try {
      await this.running;
    } catch (e) {
      this.o.onError?.(e as Error);
    } finally {
      this.running = undefined;
      this.rebuilding = false;
    }
  }

  /**
   * Runs the chain without its stale copies from the first of them, beside the current one: prompts
   * read the current state until it is done, and a change cancels it with the current chain intact.
   */
  private async rebuild(signal: AbortSignal): Promise<void> {
    const t0 = Date.now();
    const { engine } = this.o;
    const first = this.entries.findIndex((e) => e.stale);
    if (first < 0) return;
    let start = first;
    while (start > 0 && !this.entries[start - 1].state) start--;
    const rest: Entry[] = this.entries.slice(start).filter((e) => !e.stale).map((e) => ({ path: e.path, hash: e.hash, tokens: e.tokens, key: '', end: 0 }));
    const chain = [...this.entries.slice(0, start), ...rest];
    this.relink(start, chain);
    const live = start > 0 ? engine.snapshot(chain[start - 1].state!) : engine.newState({ capacity: this.o.capacity });
    const { tokens, ends, points } = this.runOf(rest);
    let taken = 0;
    let ran = 0;
    const complete = await engine.read(tokens, live, {
      statesAt: points.map((p) => ends[p]),
      signal,
      onState: async (k, state) => {
        rest[points[k]].state = state;
        ran = ends[points[k]];
        if (++taken % this.maxSnapshots() === 0) this.thin(rest);
        while (this.o.busy?.() && !signal.aborted) await new Promise((r) => setTimeout(r, 10));
      },
    });
    this.rebuiltTokens += ran;
    if (!complete || signal.aborted) {
      engine.release(live);
      for (const e of rest) this.drop(e);
      return;
    }
    const state = chain.at(-1)?.state ?? live;
    if (state !== live) engine.release(live);
    const dropped = this.entries.length - chain.length;
    for (const e of this.entries.slice(start)) this.drop(e);
    this.entries = chain;
    this.valid = chain.length;
    this.thin(chain);
    this.publish(state);
    this.lastRebuild = { at: Date.now(), ms: Date.now() - t0, tokens: ran, dropped };
    await this.persist();
  }

  /** A state's version, the same for the same state whichever way prompts were given it (readyFor). */
  private versionOf(state: EngineState): number {
    let v = this.versions.get(state);
    if (v === undefined) this.versions.set(state, (v = ++this.version));
    return v;
  }

  /** Makes `state` (the state after the whole chain) the one prompts read. */
  private publish(state: EngineState | undefined): void {
    const { engine } = this.o;
    if (!state || state === this.readyState?.state) return; // same object: prompt caches stay valid
    const old = this.readyState?.state;
    this.readyState = { state, version: this.versionOf(state), tokens: this.total() };
    if (old && !this.entries.some((e) => e.state === old)) engine.release(old);
    this.o.onReady?.(this.readyState);
  }

  /** Applies pending changes, then runs from the last exact snapshot to the end. */
  private async run(signal: AbortSignal): Promise<void> {
    const t0 = Date.now();
    for (const path of await this.applyPending()) this.unreported.add(path);
    const { engine } = this.o;
    let start = this.valid;
    while (start > 0 && !this.entries[start - 1].state) start--;
    let fromStore = false;
    if (this.o.store && start < this.entries.length) {
      // One listing of the store, not a look per file: a first read of 4,096 files looked 4,096
      // times before its pass began (175-190 ms on the 2-core machine, bench/RESULTS.md, stop 69).
      // Only when a file is left to run (an update that only removed files lists nothing).
      const stored = new Set(await this.o.store.keys());
      for (let j = this.entries.length; j > start; j--) {
        const e = this.entries[j - 1];
        const data = this.saved.has(e.key) || stored.has(e.key) ? await this.o.store.load(e.key, e.end) : undefined;
        if (!data) continue;
        e.state = engine.upload(data);
        this.saved.add(e.key);
        start = j;
        fromStore = true;
        break;
      }
    }
    const live = start > 0 ? engine.snapshot(this.entries[start - 1].state!) : engine.newState({ capacity: this.o.capacity });
    this.valid = start;
    let ran = 0;
    const every = this.o.persistEveryMs ?? 5000;
    let lastSave = Date.now();
    let taken = 0;
    // Progress inside a file, not only at its end: on a CPU one large file is minutes of reading.
    const progressEvery = this.o.progressEveryMs ?? 250;
    let lastProgress = Date.now();
    const tail = Math.max(0, this.o.tailTokens ?? 1024);
    /** Where the last snapshot of this run is (tokens from the chain's start). */
    let lastPoint = start > 0 ? this.entries[start - 1].end : 0;
    // Every file left, in one pass: the engine hands out the state at each file's end as it goes
    // (one file per prefill cost most of the reading time: bench/RESULTS.md) and stops between its
    // chunks once cancelled. While open()'s files still arrive, a pass reads those that have, and the
    // next what came meanwhile (the folder is read while the GPU runs).
    try {
      for (let from = start; ; ) {
        const arriving = await this.arrived(from, tail, signal);
        if (signal.aborted) return engine.release(live);
        const todo = this.entries.slice(from, arriving ? this.settled(from, tail) : undefined);
        if (!todo.length && !arriving) break;
        const base = from > 0 ? this.entries[from - 1].end : 0;
        const { tokens, ends, points } = this.runOf(todo, !!arriving, lastPoint - base);
        // Unknown while files still arrive: no share is reported (0) rather than one that falls back.
        const total = arriving ? 0 : this.total();
        let inFile = 0;
        const complete = await engine.read(tokens, live, {
          statesAt: points.map((p) => ends[p]),
          signal,
          onTokens: (read) => {
            if (Date.now() - lastProgress < progressEvery) return;
            lastProgress = Date.now();
            while (inFile < todo.length - 1 && ends[inFile] <= read) inFile++;
            this.o.onProgress?.({ phase: 'running', doneTokens: base + read, totalTokens: total, file: todo[inFile].path });
          },
          onState: async (k, state) => {
            const i = from + points[k];
            const e = this.entries[i];
            e.state = state;
            const read = ends[points[k]] - (k > 0 ? ends[points[k - 1]] : 0);
            this.prefilledTokens += read;
            ran += read;
            this.o.onProgress?.({ phase: 'running', doneTokens: e.end, totalTokens: total, file: e.path });
            // Thinned as the run goes, not only at its end: a snapshot per file of a 10,000-file workspace
            // was thousands of states on the GPU at once (bench/load.ts, peak GPU bytes).
            if (++taken % this.maxSnapshots() === 0) this.thin();
            this.valid = i + 1;
            if (i + 1 < this.entries.length && Date.now() - lastSave >= every) {
              await this.save(e);
              lastSave = Date.now();
            }
          },
        });
        if (!complete || signal.aborted) return engine.release(live);
        // The tokens after the pass's last snapshot were read too: the next pass goes on from `live`.
        const last = points.length ? ends[points.at(-1)!] : 0;
        this.prefilledTokens += (ends.at(-1) ?? 0) - last;
        ran += (ends.at(-1) ?? 0) - last;
        if (points.length) lastPoint = base + last;
        from += todo.length;
        this.valid = from;
        if (!arriving) break;
      }
    } catch (e) {
      // A failed folder read (or engine error) still frees the run's own state.
      engine.release(live);
      throw e;
    }
    this.thin();
    const total = this.total();
    const state = this.entries[this.entries.length - 1]?.state ?? live;
    if (state !== live) engine.release(live);
    this.publish(state);
    this.lastUpdate = { at: Date.now(), ms: Date.now() - t0, tokens: ran, fromStore, files: [...this.unreported] };
    this.unreported.clear();
    this.o.onProgress?.({ phase: 'ready', doneTokens: total, totalTokens: total, files: this.entries.length });
    await this.persist();
  }

  /**
   * While open()'s files still arrive, waits until those after `from` that a pass may read
   * (settled) hold a chunk's worth of tokens, or the last has come. Returns the arrivals while some
   * are still to come; throws the folder read's error.
   */
  private async arrived(from: number, tail: number, signal: AbortSignal): Promise<Arrivals | undefined> {
    for (;;) {
      const a = this.arriving;
      if (!a || a.done) {
        this.arriving = undefined;
        if (a?.error) throw a.error;
        return undefined;
      }
      const ready = this.settled(from, tail);
      if (signal.aborted || (ready > from && this.entries[ready - 1].end - (from > 0 ? this.entries[from - 1].end : 0) >= STREAM_PASS_TOKENS)) return a;
      await new Promise<void>((resolve) => {
        const woken = () => {
          signal.removeEventListener('abort', woken);
          a.wake = undefined;
          resolve();
        };
        a.wake = woken;
        signal.addEventListener('abort', woken);
      });
    }
  }

  /**
   * The end of the files after `from` whose snapshots no later arrival changes: those followed by
   * more than `tail` tokens (snapshotPoints gives the tail's files one each, and the chain's end).
   */
  private settled(from: number, tail: number): number {
    const total = this.total();
    // From the end: only the files of the tail are looked at (from `from`, each arrival looked at all).
    let k = this.entries.length - 1;
    while (k > from && total - this.entries[k].end <= tail) k--;
    return Math.max(from, k);
  }

  /** Reads every pending file and edits the order; returns the paths that changed. */
  private async applyPending(): Promise<string[]> {
    const batch = [...this.pending];
    this.pending.clear();
    let first = this.entries.length;
    const changed: string[] = [];
    const arrived: Entry[] = [];
    const lastEnd = this.total();
    const tail = Math.max(0, this.o.tailTokens ?? 1024);
    for (const [path, what] of batch) {
      const at = this.entries.findIndex((e) => e.path === path && !e.stale);
      const text = what === 'deleted' ? undefined : await this.o.read(path);
      const hash = text === undefined ? undefined : sha256(text);
      this.active.read(path, text !== undefined); // back, or gone
      if (at >= 0 && this.entries[at].hash === hash) continue; // saved without change
      if (text === undefined) {
        // Gone, or it may no longer enter (excluded, too large): every copy leaves now, stale ones
        // too (what a user takes out of the model leaves at once); the chain re-runs from there.
        this.overBudget.delete(path);
        const copies = this.entries.flatMap((e, i) => (e.path === path ? [i] : []));
        if (!copies.length) continue;
        changed.push(path);
        for (const i of copies.reverse()) this.drop(this.entries.splice(i, 1)[0]);
        first = Math.min(first, copies[copies.length - 1]);
        continue;
      }
      changed.push(path);
      if (at >= 0) {
        // Edited far back: the old copy stays where it is (stale) rather than re-running all that follows it.
        if (lastEnd - this.entries[at].end > tail) this.entries[at].stale = true;
        else {
          this.drop(this.entries.splice(at, 1)[0]);
          first = Math.min(first, at);
        }
      }
      const tokens = fileTokens(this.o.tokenizer, path, text);
      // The active file stays out while it is edited (the prompt holds it); setActive brings it back.
      // One edited before a first read's stream brought it holds its place as one read already would.
      if (this.active.park(path, tokens.length, at >= 0 || this.arriving !== undefined)) continue;
      arrived.push({ path, hash: hash!, tokens, key: '', end: 0 });
    }
    first = Math.min(first, this.entries.length);
    // What arrived enters at the end while it fits; what does not fit waits, and the rest stays.
    let room = this.room();
    for (const e of arrived) {
      if (e.tokens.length <= room) {
        this.entries.push(e);
        this.overBudget.delete(e.path);
        room -= e.tokens.length;
      } else this.overBudget.set(e.path, e.tokens.length);
    }
    for (const [path, n] of this.overBudget) {
      if (n > room || this.active.is(path) || this.entries.some((e) => e.path === path && !e.stale)) continue;
      const text = await this.o.read(path);
      if (text === undefined) {
        this.overBudget.delete(path);
        continue;
      }
      const tokens = fileTokens(this.o.tokenizer, path, text);
      if (tokens.length > room) {
        this.overBudget.set(path, tokens.length);
        continue;
      }
      this.overBudget.delete(path);
      this.entries.push({ path, hash: sha256(text), tokens, key: '', end: 0 });
      changed.push(path);
      room -= tokens.length;
    }
    for (let i = first; i < this.entries.length; i++) this.drop(this.entries[i]);
    this.valid = Math.min(this.valid, first);
    this.relink(first);
    return changed;
  }

  /** Tokens the budget has left, keeping the parked active file's place. */
  private room(): number {
    const budget = this.o.budgetTokens ?? Infinity;
    // Stale copies do not count: they go at the next rebuild.
    return budget - this.entries.reduce((s, e) => s + (e.stale ? 0 : e.tokens.length), 0) - this.active.reserved;
  }

  /** Frees an entry's snapshot, unless prompts may still read it as the ready state (freed when that is replaced). */
  private drop(e: Entry): void {
    if (e.state && e.state !== this.readyState?.state) this.o.engine.release(e.state);
    e.state = undefined;
  }

  private relink(from: number, chain: Entry[] = this.entries): void {
    let key = from > 0 ? chain[from - 1].key : this.root;
    let end = from > 0 ? chain[from - 1].end : 0;
    for (let i = from; i < chain.length; i++) {
      const e = chain[i];
      e.key = key = chainNext(key, e.path, e.hash);
      e.end = end += e.tokens.length;
    }
  }

  /** A run's tokens in one array, each file's end in it, and which ends get a snapshot (snapshotPoints). */
  private runOf(files: readonly Entry[], more = false, last = 0): { tokens: Uint32Array; ends: number[]; points: number[] } {
    const ends: number[] = [];
    for (const e of files) ends.push((ends.at(-1) ?? 0) + e.tokens.length);
    const tokens = new Uint32Array(ends.at(-1) ?? 0);
    files.forEach((e, i) => tokens.set(e.tokens, i > 0 ? ends[i - 1] : 0));
    const points = snapshotPoints(ends, Math.max(0, this.o.tailTokens ?? 1024), this.o.snapshotSpacing ?? 2048, more, last);
    return { tokens, ends, points };
  }

  private maxSnapshots(): number {
    return Math.max(2, this.o.maxSnapshots ?? 64);
  }

  /** Keeps the newest half of the snapshots (edits land near the end) and every other one before. */
  private thin(chain: Entry[] = this.entries): void {
    const max = this.maxSnapshots();
    const kept = () => chain.filter((e) => e.state);
    let withState = kept();
    while (withState.length > max) {
      const old = withState.slice(0, withState.length - Math.floor(max / 2));
      for (let i = 0; i < old.length; i += 2) this.drop(old[i]);
      withState = kept();
    }
  }

  /**
   * Saves one entry's state to the store. A store that cannot be written (read-only, full, gone) is
   * reported once and not used again: the context keeps working in memory. Engine errors propagate.
   */
  private async save(e: Entry): Promise<void> {
    const store = this.o.store;
    if (!store || this.storeFailed || !e.state || this.saved.has(e.key)) return;
    const data = await this.o.engine.download(e.state);
    try {
      await store.save(e.key, data);
      this.saved.add(e.key);
    } catch (err) {
      this.storeFailed = true;
      this.o.onStoreError?.(new Error(`cannot save the workspace state in ${store.dir} (${(err as Error).message}); the context stays in memory and is rebuilt from the files next time`));
    }
  }

  /** Saves the snapshots onDisk chooses, not yet on disk, and deletes every other saved state. */
  private async persist(): Promise<void> {
    const store = this.o.store;
    if (!store) return;
    const chosen = this.onDisk();
    for (const e of this.entries) if (chosen.has(e.key)) await this.save(e);
    for (const k of [...this.saved]) if (!chosen.has(k)) this.saved.delete(k);
    // States a restore found no need to load may be on disk still: they stay, as the chain holds them.
    const keep = new Set([...chosen, ...this.entries.filter((e) => !e.state && !this.saved.has(e.key)).map((e) => e.key)]);
    if (!this.storeFailed) await store.prune(keep).catch(() => undefined);
  }

  /**
   * Which snapshots of the chain (in memory, or saved and not in memory) belong on disk: the
   * chain's end, those an edit re-runs from (before a file ending in the tail), and before the tail
   * one at least 1/diskSnapshots of the chain (and snapshotSpacing) after the previous. Saving every
   * kept snapshot wrote up to 64 of 4.2 MB (the default model) after each full read: 227-248 MB
   * from 1,024 files, 1.0-1.2 s of writing on the H200 (bench/RESULTS.md, stop 30).
   */
  private onDisk(): Set<string> {
    const total = this.total();
    const tail = Math.max(0, this.o.tailTokens ?? 1024);
    const spacing = Math.max(this.o.snapshotSpacing ?? 2048, total / Math.max(1, this.o.diskSnapshots ?? 16));
    const keys = new Set<string>();
    let last = 0;
    this.entries.forEach((e, i) => {
      if (!e.state && !this.saved.has(e.key)) return;
      const next = this.entries[i + 1];
      if (!next || total - next.end <= tail || e.end - last >= spacing) {
        keys.add(e.key);
        last = e.end;
      }
    });
    return keys;
  }
}

/**
 * Which file ends of a run (`ends`, tokens from the run's start, the last one the chain's end) get
 * a snapshot: the last; each one before a file that ends within the last `tail` tokens, where an
 * edit re-runs the chain from the snapshot before it; and before that, one at least `spacing` tokens
 * after the previous. Further back a snapshot serves only the background rebuild and a restart,
 * which then read up to `spacing` tokens more. A state per file was most of a small workspace's
 * reading time on the H200 (the buffers of 64 states for 10K tokens) and 4.2 MB each for the default
 * model (bench/RESULTS.md, stop 26). `more`: the chain goes on after `ends` (files still arriving,
 * none of these in its tail), so only the spacing counts; `last`: where the previous snapshot is
 * (tokens from the run's start, 0 or less).
 */
export function snapshotPoints(ends: readonly number[], tail: number, spacing: number, more = false, last = 0): number[] {
  const total = ends.at(-1) ?? 0;
  const points: number[] = [];
  ends.forEach((end, i) => {
    const beforeTail = i + 1 < ends.length && total - ends[i + 1] <= tail;
    if ((!more && (i === ends.length - 1 || beforeTail)) || end - last >= spacing) {
      points.push(i);
      last = end;
    }
  });
  return points;
}
