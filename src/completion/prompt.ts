import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import type { ReadyState } from '../workspace/context';

/**
 * A completion prompt after the workspace state, as token pieces in prompt order (layout v2,
 * /work/notes/layout.md): what changes least comes first, so each kind of edit re-runs only its tail.
 */
export interface PromptPieces {
  /** The in-window block, then the FIM head (src/prompt/fim.ts): changes when the block or the file does. */
  readonly head: readonly number[];
  /** The whole lines before the cursor's line: changes on Enter or a move to another line. */
  readonly linesBefore: readonly number[];
  /** The FIM tail (suffix and the middle marker, src/prompt/fim.ts): changes when the text after the cursor does (an auto-closed bracket). */
  readonly tail: readonly number[];
  /** The cursor's line before the cursor: changes on every keystroke. */
  readonly lineHead: readonly number[];
}

export interface PromptRequest {
  /** The workspace state; undefined runs without workspace context (the context is not ready yet). */
  readonly workspace?: ReadyState;
  readonly pieces: PromptPieces;
  readonly signal?: AbortSignal;
  /** Tokens per prefill call (default: the session's chunkTokens); the signal is checked between calls. */
  readonly chunkTokens?: number;
}

export interface PreparedPrompt {
  /**
   * After every prompt token but the last, which the generating engine runs for its logits (the
   * engine that generates may be another one: see backend/decoder.ts). The caller's own copy, free
   * to generate into; release it when done.
   */
  readonly state: EngineState;
  /** The prompt's last token, not yet run. */
  readonly last: number;
  /** Tokens this request prefilled (reused ones not counted; `last` not counted). */
  readonly prefilled: number;
  /** Tokens of the prompt after the workspace state, `last` included. */
  readonly promptTokens: number;
}

export interface PromptOptions {
  /** Every line start among this many last lines of linesBefore keeps a snapshot (moves of a few lines). */
  readonly recentLines?: number;
  /** And every n-th line start before them (farther moves resume near their target). */
  readonly sparseLines?: number;
  readonly chunkTokens?: number;
  readonly capacity?: number;
}

/**
 * The line starts of the prompt's window that keep a snapshot (PromptOptions): every 8th, and no run
 * of recent ones. Each snapshot ends a prefill call, and a call costs a pass over all the weights
 * however few tokens it holds (about 10 ms on the 2-core machine's CPU engine; on a GPU a queue of
 * dispatches): with each of the last 32 line starts and every 16th before them, a new place read
 * 1,262 tokens in 1.5 s on the CPU where one pass takes 0.75. Side by side (`editing-session.js`, stop
 * 62, bench/RESULTS.md): on the 2-core machine a new place 2,075-2,281 -> 1,546 ms, a session's p95
 * 565-609 -> 375 ms; on an H100 a new place 350-545 -> 293-427 ms, a session's p95 91-119 -> 71-91
 * ms; a move of a few lines resumes at most 8 lines above the cursor, and moves got faster on both.
 */
const RECENT_LINES = 0;
const SPARSE_LINES = 8;

/**
 * Prompts set aside when another took the session's place (another file, a jump far away), most
 * recent first: coming back to one (after a look at a definition, say) resumes from its snapshots
 * instead of reading its whole prompt again (on the CPU about a second per thousand tokens).
 */
const PARKED_PROMPTS = 2;

/** A prompt set aside: its workspace state, its tokens, its pieces' ends and the snapshots kept there. */
interface Parked {
  readonly baseVersion: number | undefined;
  readonly baseState: EngineState | undefined;
  readonly tokens: number[];
  readonly checkpoints: Map<number, EngineState>;
  readonly ends: number[];
}

/** The prompt as one token sequence, and where its pieces end. */
interface Layout {
  readonly tokens: number[];
  readonly headEnd: number;
  readonly linesEnd: number;
  readonly tailEnd: number;
}

/**
 * Reuses model state across requests. The prompt is one token sequence after the workspace state;
 * a request runs only what follows the longest prefix it shares with the last one, from the
 * nearest snapshot at or before it. Snapshots sit where edits land: after the head, at line starts
 * inside linesBefore (the last `recentLines` and every `sparseLines`-th), after linesBefore, after
 * the tail, and at the end of lineHead and two tokens before it (the last token or two of a line
 * re-merge under BPE as it is typed).
 */
export class PromptSession {
  /**
   * The workspace state the snapshots grew from: its object and version. A version alone is not
   * enough: every WorkspaceContext counts from 1, so a context opened anew (another folder, another
   * active file in `samba eval`) would otherwise resume from the previous one's state.
   */
  private baseVersion: number | undefined | null = null;
  private baseState: EngineState | undefined;
  /** Prompt tokens consumed (all but the last of the last request), and snapshots by index into them (0: the workspace state). */
  private tokens: number[] = [];
  private checkpoints = new Map<number, EngineState>();
  /** Where the last prompt's pieces end (head, linesBefore, tail): the snapshots a parked prompt keeps. */
  private ends: number[] = [];
  private parked: Parked[] = [];
  private readonly endsLine = new Map<number, boolean>();
  /** Every token this session has prefilled. */
  prefilledTokens = 0;

  constructor(
    private readonly engine: Engine,
    private readonly tokenizer: Tokenizer,
    private readonly options: PromptOptions = {},
  ) {}

  async prepare(req: PromptRequest): Promise<PreparedPrompt> {
    const before = this.prefilledTokens;
    const version = req.workspace?.version;
    const layout = flatten(req.pieces);
    if (layout.tokens.length === 0) throw new Error('An empty prompt cannot be completed.');
    const last = layout.tokens[layout.tokens.length - 1];
    const next = layout.tokens.slice(0, -1);
    this.switchPrompt(version, req.workspace?.state, next);
    if (version !== this.baseVersion || req.workspace?.state !== this.baseState || !this.checkpoints.has(0)) {
      this.reset(false);
      const base = req.workspace ? this.engine.snapshot(req.workspace.state) : this.engine.newState({ capacity: this.options.capacity });
      this.checkpoints.set(0, base);
      this.baseVersion = version;
      this.baseState = req.workspace?.state;
    }
    const common = sharedPrefix(next, this.tokens);
    for (const i of [...this.checkpoints.keys()]) if (i > common) this.forget(i);
    const from = Math.max(...this.checkpoints.keys());
    const live = this.engine.snapshot(this.checkpoints.get(from)!);
    this.tokens = next;
    const cuts = this.cuts(layout, next.length, from);
    let at = from;
    let reached = from;
    try {
      for (const cut of cuts) {
        await this.run(next.slice(at, cut), live, req.signal, req.chunkTokens, (n) => (reached += n));
        at = cut;
        this.checkpoints.set(cut, cut === next.length ? live : this.engine.snapshot(live));
      }
    } catch (e) {
      // Stopped between chunks (a newer request): what it read stays, for the next prompt that shares it.
      if (reached > at) this.checkpoints.set(reached, live);
      else if (this.checkpoints.get(at) !== live) this.engine.release(live);
      throw e;
    }
    this.trim(layout, next.length);
    this.ends = [layout.headEnd, layout.linesEnd, layout.tailEnd];
    const state = this.engine.snapshot(live);
    if (at === from) this.engine.release(live); // nothing new ran: live was only a copy
    return { state, last, prefilled: this.prefilledTokens - before, promptTokens: layout.tokens.length };
  }

  /** Forgets the current prompt's state (another workspace state); `all`: the parked prompts' too (the engine or model changed). */
  reset(all = true): void {
    this.baseVersion = null;
    this.baseState = undefined;
    for (const s of this.checkpoints.values()) this.engine.release(s);
    this.checkpoints.clear();
    this.tokens = [];
    this.ends = [];
    if (!all) return;
    for (const p of this.parked) for (const s of p.checkpoints.values()) this.engine.release(s);
    this.parked = [];
  }

  /** Snapshots held now, parked prompts' included (memory: each is a whole state). */
  get snapshots(): number {
    return this.checkpoints.size + this.parked.reduce((n, p) => n + p.checkpoints.size, 0);
  }

  /**
   * Before a prompt runs: where a parked prompt lets it resume later than the current one does, the
   * two change places; where the current one would keep nothing past its workspace state, it is parked.
   */
  private switchPrompt(version: number | undefined, state: EngineState | undefined, next: readonly number[]): void {
    /** Where `next` would resume in prompt `p`: its last snapshot within the shared prefix; -1 on another workspace state. */
    const resume = (p: Pick<Parked, 'tokens' | 'checkpoints'> & { baseVersion: number | undefined | null; baseState: EngineState | undefined }) => {
      if (p.baseVersion !== version || p.baseState !== state || !p.checkpoints.has(0)) return -1;
      const common = sharedPrefix(next, p.tokens);
      return Math.max(...[...p.checkpoints.keys()].filter((i) => i <= common));
    };
    const here = resume({ baseVersion: this.baseVersion, baseState: this.baseState, tokens: this.tokens, checkpoints: this.checkpoints });
    const at = this.parked.map(resume);
    let best = -1;
    for (let k = 0; k < at.length; k++) if (at[k] > Math.max(here, 0) && (best < 0 || at[k] > at[best])) best = k;
    if (best < 0 && here > 0) return;
    const back = best >= 0 ? this.parked.splice(best, 1)[0] : undefined;
    this.park();
    if (!back) return;
    this.baseVersion = back.baseVersion;
    this.baseState = back.baseState;
    this.tokens = back.tokens;
    this.checkpoints = back.checkpoints;
    this.ends = back.ends;
  }

  /** Sets the current prompt aside with its workspace state and its pieces' ends, and starts none. */
  private park(): void {
    if (this.tokens.length && this.checkpoints.has(0) && this.baseVersion !== null) {
      const keep = new Set([0, ...this.ends, this.tokens.length]);
      for (const i of [...this.checkpoints.keys()]) if (!keep.has(i)) this.forget(i);
      this.parked.unshift({ baseVersion: this.baseVersion, baseState: this.baseState, tokens: this.tokens, checkpoints: this.checkpoints, ends: this.ends });
      for (const p of this.parked.splice(PARKED_PROMPTS)) for (const s of p.checkpoints.values()) this.engine.release(s);
      this.checkpoints = new Map();
    }
    this.reset(false);
  }

  private forget(i: number): void {
    const s = this.checkpoints.get(i);
    if (s) this.engine.release(s);
    this.checkpoints.delete(i);
  }

  /**
   * Where to snapshot while running tokens[from..end): the piece ends, the line starts that trim()
   * keeps (a snapshot costs a copy of the state and splits the prefill, so only those), and the
   * end of lineHead and the two tokens before it.
   */
  private cuts(l: Layout, end: number, from: number): number[] {
    const cuts = new Set<number>([l.headEnd, ...this.lineStarts(l), l.linesEnd, l.tailEnd, end - 2, end - 1, end]);
    return [...cuts].filter((c) => c > from && c <= end).sort((a, b) => a - b);
  }

  /** Line starts inside linesBefore worth a snapshot: the recent ones and a sparse set (every n-th line). */
  private lineStarts(l: Layout): number[] {
    const all: number[] = [];
    for (let i = l.headEnd; i < l.linesEnd - 1; i++) if (this.hasNewline(l.tokens[i])) all.push(i + 1);
    const recent = this.options.recentLines ?? RECENT_LINES;
    const sparse = this.options.sparseLines ?? SPARSE_LINES;
    return all.filter((_, k) => (k + 1) % sparse === 0 || k >= all.length - recent);
  }

  /** Keeps the workspace state, the piece ends, the wanted line starts and lineHead's last snapshots. */
  private trim(l: Layout, end: number): void {
    const keep = new Set<number>([0, l.headEnd, l.linesEnd, l.tailEnd, end - 2, end - 1, end, ...this.lineStarts(l)]);
    for (const i of [...this.checkpoints.keys()]) if (!keep.has(i)) this.forget(i);
  }

  private hasNewline(token: number): boolean {
    let v = this.endsLine.get(token);
    if (v === undefined) this.endsLine.set(token, (v = this.tokenizer.decode([token]).includes('\n')));
    return v;
  }

  private async run(tokens: readonly number[], state: EngineState, signal: AbortSignal | undefined, chunkTokens: number | undefined, onChunk: (tokens: number) => void): Promise<void> {
    const chunk = chunkTokens ?? this.options.chunkTokens ?? 512;
    for (let k = 0; k < tokens.length; k += chunk) {
      signal?.throwIfAborted();
      const part = tokens.slice(k, k + chunk);
      await this.engine.prefill(part, state, { noLogits: true }); // the state is what is kept
      this.prefilledTokens += part.length;
      onChunk(part.length);
    }
  }
}

function sharedPrefix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function flatten(p: PromptPieces): Layout {
  const tokens = [...p.head, ...p.linesBefore, ...p.tail, ...p.lineHead];
  const headEnd = p.head.length;
  const linesEnd = headEnd + p.linesBefore.length;
  return { tokens, headEnd, linesEnd, tailEnd: linesEnd + p.tail.length };
}
