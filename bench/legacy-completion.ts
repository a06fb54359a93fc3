// The completion path of main before layout v2 (main at 3942b45: src/completion/prompt.ts and
// ModelSession.completeNow), kept only so bench/editing-session.ts can replay the same session
// through both layouts in one run. The prompt is suffix-first (file header, FIM suffix, suffix, FIM
// prefix, prefix, FIM middle), so any change to the suffix runs the whole prompt again.
// Not used by the extension.
import type { Engine, EngineState } from '../src/engine/engine';
import type { Tokenizer } from '../src/model/tokenizer';
import type { ReadyState } from '../src/workspace/context';
import { decoderState } from '../src/backend/decoder';
import { complete } from '../src/completion/complete';
import { postprocess } from '../src/completion/postprocess';
import type { PipelineRequest, PipelineResult } from '../src/completion/pipeline';
import type { Completer } from '../src/worker/session';
import { SPECIAL } from '../src/prompt/tokens';

export interface PromptRequest {
  /** The workspace state; undefined runs without workspace context (the context is not ready yet). */
  readonly workspace?: ReadyState;
  readonly path: string;
  /** Text of the document before and after the cursor. */
  readonly prefix: string;
  readonly suffix: string;
  readonly signal?: AbortSignal;
}

export interface PreparedPrompt {
  /**
   * After the prefix, before the FIM middle token (complete() runs it, on the engine that generates):
   * the caller's own copy, free to generate into; release it when done.
   */
  readonly state: EngineState;
  /** Tokens this request prefilled (reused ones not counted). */
  readonly prefilled: number;
}

export interface PromptOptions {
  /** Characters of prefix and suffix the prompt holds, cut at line boundaries. */
  readonly maxPrefixChars?: number;
  readonly maxSuffixChars?: number;
  /** Put the file token + path + newline before the FIM tokens, as the context does for every file. */
  readonly fileHeader?: boolean;
  /** Line-start snapshots kept in the prefix (newest win). */
  readonly lineCheckpoints?: number;
  readonly chunkTokens?: number;
  readonly capacity?: number;
}

/** The whole FIM prompt after the workspace, in suffix-prefix-middle order, so typing only appends. */
export function fimTokens(tokenizer: Tokenizer, path: string, prefix: string, suffix: string, fileHeader = true): number[] {
  return [...headTokens(tokenizer, path, suffix, fileHeader), ...tokenizer.encode(prefix), special(tokenizer, SPECIAL.fimMiddle)];
}

function headTokens(tokenizer: Tokenizer, path: string, suffix: string, fileHeader: boolean): number[] {
  const head = fileHeader ? [special(tokenizer, SPECIAL.file), ...tokenizer.encode(`${path}\n`)] : [];
  return [...head, special(tokenizer, SPECIAL.fimSuffix), ...tokenizer.encode(suffix), special(tokenizer, SPECIAL.fimPrefix)];
}

export function special(tokenizer: Tokenizer, name: string): number {
  const id = tokenizer.specialId(name);
  if (id === undefined) throw new Error(`The tokenizer has no ${name} token; this model cannot fill in the middle.`);
  return id;
}

/**
 * Reuses model state while the user types. The suffix is fixed while typing, so the state after
 * workspace + suffix is kept; the prefix is re-tokenized whole and only what differs from the last
 * request runs, from the nearest snapshot (line starts, and the last few tokens, where BPE re-merges).
 */
export class PromptSession {
  private headKey: string | undefined;
  private headVersion: number | undefined;
  /** Prefix tokens consumed after the head, and snapshots by index into them (0 is the head). */
  private tokens: number[] = [];
  private checkpoints = new Map<number, EngineState>();
  private prefixStart = 0;
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
    const suffix = cutSuffix(req.suffix, this.options.maxSuffixChars ?? 2000);
    const prefix = req.prefix.slice(this.windowStart(req.prefix));
    const key = `${req.path}\0${suffix}`;
    if (!this.checkpoints.has(0) || key !== this.headKey || req.workspace?.version !== this.headVersion) {
      const state = req.workspace ? this.engine.snapshot(req.workspace.state) : this.engine.newState({ capacity: this.options.capacity });
      try {
        await this.run(headTokens(this.tokenizer, req.path, suffix, this.options.fileHeader ?? true), state, req.signal);
      } catch (e) {
        this.engine.release(state); // aborted (superseded by a newer keystroke): nothing keeps it
        throw e;
      }
      this.reset();
      this.headKey = key;
      this.headVersion = req.workspace?.version;
      this.checkpoints = new Map([[0, state]]);
    }
    const next = this.tokenizer.encode(prefix);
    let common = 0;
    while (common < next.length && common < this.tokens.length && next[common] === this.tokens[common]) common++;
    for (const i of [...this.checkpoints.keys()]) if (i > common) this.forget(i);
    const from = Math.max(...this.checkpoints.keys());
    const live = this.engine.snapshot(this.checkpoints.get(from)!);
    this.tokens = next;
    let at = from;
    try {
      for (const cut of this.cuts(next, from)) {
        await this.run(next.slice(at, cut), live, req.signal);
        at = cut;
        this.checkpoints.set(cut, cut === next.length ? live : this.engine.snapshot(live));
      }
    } catch (e) {
      if (this.checkpoints.get(at) !== live) this.engine.release(live);
      throw e;
    }
    this.trimCheckpoints(next.length);
    const state = this.engine.snapshot(live);
    if (at === from) this.engine.release(live); // nothing new ran: live was only a copy
    return { state, prefilled: this.prefilledTokens - before };
  }

  /** Forgets all state (e.g. the engine or model changed). */
  reset(): void {
    this.headKey = undefined;
    for (const s of this.checkpoints.values()) this.engine.release(s);
    this.checkpoints.clear();
    this.tokens = [];
  }

  private forget(i: number): void {
    const s = this.checkpoints.get(i);
    if (s) this.engine.release(s);
    this.checkpoints.delete(i);
  }

  /** Where to snapshot while running tokens[from..]: after each line end, and the last two tokens. */
  private cuts(tokens: number[], from: number): number[] {
    const cuts = new Set<number>();
    for (let i = from; i < tokens.length; i++) if (this.endsWithNewline(tokens[i])) cuts.add(i + 1);
    for (const c of [tokens.length - 2, tokens.length - 1, tokens.length]) if (c > from) cuts.add(c);
    return [...cuts].sort((a, b) => a - b);
  }

  /** Keeps the head, the last few line starts and the tail snapshots. */
  private trimCheckpoints(end: number): void {
    const keepLines = this.options.lineCheckpoints ?? 16;
    const lines = [...this.checkpoints.keys()].filter((i) => i > 0 && i < end - 2).sort((a, b) => b - a);
    for (const i of lines.slice(keepLines)) this.forget(i);
  }

  private endsWithNewline(token: number): boolean {
    let v = this.endsLine.get(token);
    if (v === undefined) this.endsLine.set(token, (v = this.tokenizer.decode([token]).endsWith('\n')));
    return v;
  }

  /** A line-aligned window of the prefix; its start stays put while it fits 1.5x, so typing keeps reusing state. */
  private windowStart(prefix: string): number {
    const max = this.options.maxPrefixChars ?? 6000;
    const s = this.prefixStart;
    if (s <= prefix.length && (s === 0 || prefix[s - 1] === '\n') && prefix.length - s <= max * 1.5) return s;
    if (prefix.length <= max) return (this.prefixStart = 0);
    const nl = prefix.indexOf('\n', prefix.length - max);
    return (this.prefixStart = nl < 0 ? prefix.length - max : nl + 1);
  }

  private async run(tokens: readonly number[], state: EngineState, signal?: AbortSignal): Promise<void> {
    const chunk = this.options.chunkTokens ?? 512;
    for (let k = 0; k < tokens.length; k += chunk) {
      signal?.throwIfAborted();
      const part = tokens.slice(k, k + chunk);
      await this.engine.prefill(part, state);
      this.prefilledTokens += part.length;
    }
  }
}

/** The suffix up to a line end within `max` characters. */
export function cutSuffix(suffix: string, max: number): string {
  if (suffix.length <= max) return suffix;
  const nl = suffix.lastIndexOf('\n', max);
  return suffix.slice(0, nl > 0 ? nl + 1 : max);
}


/** main's ModelSession.completeNow around the old PromptSession (no block, no cache, no windows but its own). */
export class LegacyCompleter implements Completer {
  private readonly prompts: PromptSession;

  constructor(
    private readonly engine: Engine,
    private readonly decoder: Engine | undefined,
    private readonly tokenizer: Tokenizer,
  ) {
    this.prompts = new PromptSession(engine, tokenizer);
  }

  async complete(req: PipelineRequest): Promise<PipelineResult> {
    const t0 = performance.now();
    const prepared = await this.prompts.prepare({ workspace: req.workspace, path: req.path, prefix: req.prefix, suffix: req.suffix, signal: req.signal });
    let state = prepared.state;
    try {
      state = await decoderState(this.engine, this.decoder, prepared.state);
      const out = await complete(this.decoder ?? this.engine, this.tokenizer, { state, last: special(this.tokenizer, SPECIAL.fimMiddle) }, { ...req.limits, signal: req.signal });
      return {
        text: req.signal?.aborted ? undefined : postprocess({ completion: out.text, prefix: req.prefix, suffix: req.suffix }),
        raw: out.text,
        generated: out.tokens,
        prefilled: prepared.prefilled + 1,
        stopped: out.stopped,
        ms: performance.now() - t0,
        block: [],
        promptTokens: 0,
      };
    } finally {
      if (state !== prepared.state) this.decoder!.release(state);
      this.engine.release(prepared.state);
    }
  }

  reset(): void {
    this.prompts.reset();
  }
}
