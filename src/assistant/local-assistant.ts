import type { Engine, EngineState } from '../engine/engine';
import { continueFrom } from '../engine/generate';
import { decoderState } from '../backend/decoder';
import { logProb, type SamplingOptions } from '../engine/sampling';
import type { Tokenizer } from '../model/tokenizer';
import type { ReadyState } from '../workspace/context';
import { fileTokens } from '../prompt/file';
import { piecesToIds, special, text as textPiece } from '../prompt/pieces';
import { answerStopIds, plainStopIndex } from '../prompt/stop';
import { SPECIAL, encodeText } from '../prompt/tokens';
import type { StreamRequest, StreamResult } from './assistant';
import { ANSWER_REPETITION, LoopGuard, type RepetitionOptions } from '../engine/repetition';

export interface LocalAssistantOptions {
  readonly engine: Engine;
  /** Generates the answer after `engine` ran the prompt (src/backend/decoder.ts); default: the engine. */
  readonly decoder?: Engine;
  readonly tokenizer: Tokenizer;
  /** The files in the workspace context (a function when they change). */
  readonly files: ReadonlyMap<string, string> | (() => ReadonlyMap<string, string>);
  /** The state after the whole workspace, when there is one (see WorkspaceContext.ready). */
  readonly workspace?: () => ReadyState | undefined;
  readonly sampling?: SamplingOptions & { readonly seed?: number };
  /** Tokens per prefill call: between calls the event loop runs and aborts are seen. */
  readonly chunkTokens?: number;
  /** Tokens of each file (from its start) that relevance scoring reads. */
  readonly scoreTokens?: number;
  readonly capacity?: number;
  /** How answers avoid loops (default ANSWER_REPETITION; a request may override it). */
  readonly repetition?: Partial<RepetitionOptions>;
}

/**
 * Q&A answers and summaries over an engine in this thread: the model worker serves the
 * extension's Assistant and questions with one (src/worker/session.ts); tests use it directly.
 */
export class LocalAssistant {
  constructor(private readonly o: LocalAssistantOptions) {}

  async files(): Promise<ReadonlyMap<string, string>> {
    return typeof this.o.files === 'function' ? this.o.files() : this.o.files;
  }

  async stream(request: StreamRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<StreamResult> {
    const { engine, tokenizer } = this.o;
    if (signal.aborted) return { text: '', stopped: 'aborted' };
    let prompt = piecesToIds(tokenizer, request.prompt, { lower: true });
    if (!prompt.length) prompt = encodeText(tokenizer, '\n');
    const ready = request.useWorkspace ? this.o.workspace?.() : undefined;
    // Snapshot synchronously: the context may replace (and free) its ready state at any await.
    const state = ready ? engine.snapshot(ready.state) : engine.newState({ capacity: this.o.capacity });
    const decoder = this.o.decoder;
    let decoding = state;
    try {
      const logits = await this.prefill(prompt, state, signal);
      if (!logits) return { text: '', stopped: 'aborted' };
      decoding = await decoderState(engine, decoder, state);
      const rep = { ...ANSWER_REPETITION, ...this.o.repetition, ...request.repetition };
      const guard = new LoopGuard(rep);
      const stop = answerStopIds(tokenizer);
      const out: number[] = [];
      let shown = '';
      // Streams what of `text` is not shown yet. Mid-stream, a character split across tokens
      // (U+FFFD until its last byte arrives) waits; the end shows what there is.
      const show = (text: string, end = false) => {
        if ((!end && text.endsWith('\uFFFD')) || text.length <= shown.length || !text.startsWith(shown)) return;
        onText(text.slice(shown.length));
        shown = text;
      };
      // The result is what was streamed (text already shown stays, as the panel shows it).
      const finish = (text: string, stopped: StreamResult['stopped']) => {
        show(text, true);
        return { text: shown, stopped };
      };
      const sampling = { ...this.o.sampling, maxTokens: request.maxTokens, stop, signal, repetitionPenalty: rep.penalty, penaltyWindow: rep.window };
      for await (const t of continueFrom(decoder ?? engine, logits, decoding, sampling)) {
        out.push(t);
        const text = tokenizer.decode(out);
        const cut = plainStopIndex(text, tokenizer);
        if (cut >= 0) return finish(text.slice(0, cut), 'end');
        const keep = guard.push(t, text);
        // A loop: what it repeats is dropped and the answer ends where the repetition began.
        if (keep !== undefined) return finish(tokenizer.decode(out.slice(0, keep)), 'loop');
        show(tokenizer.decode(out.slice(0, guard.settled)));
      }
      return finish(tokenizer.decode(out), signal.aborted ? 'aborted' : out.length >= request.maxTokens ? 'max' : 'end');
    } finally {
      if (decoding !== state) decoder!.release(decoding);
      engine.release(state);
    }
  }

  async scoreFiles(question: string, paths: readonly string[], signal: AbortSignal): Promise<Map<string, number>> {
    const { engine, tokenizer } = this.o;
    const files = await this.files();
    const marker = piecesToIds(tokenizer, [...textPiece('\n'), special(SPECIAL.question)], { lower: true });
    const asked = encodeText(tokenizer, question);
    const scores = new Map<string, number>();
    if (!asked.length) return scores;
    for (const path of paths) {
      const text = files.get(path);
      if (text === undefined || signal.aborted) continue;
      const head = fileTokens(tokenizer, path, text).subarray(0, this.o.scoreTokens ?? 1024);
      const state = engine.newState({ capacity: this.o.capacity });
      try {
        const last = await this.prefill([...head, ...marker], state, signal);
        if (!last) break;
        let sum = logProb(last, asked[0]);
        if (asked.length > 1) for (const x of await engine.prefill(asked.slice(0, -1), state, { logProbsOf: asked.slice(1) })) sum += x;
        scores.set(path, sum / asked.length);
      } finally {
        engine.release(state);
      }
    }
    return scores;
  }

  /** Runs tokens in chunks; undefined when aborted. */
  private async prefill(tokens: ArrayLike<number>, state: EngineState, signal: AbortSignal): Promise<Float32Array | undefined> {
    const chunk = Math.max(1, this.o.chunkTokens ?? 512);
    const all = Array.from(tokens);
    let logits: Float32Array | undefined;
    for (let k = 0; k < all.length; k += chunk) {
      if (signal.aborted) return undefined;
      logits = await this.o.engine.prefill(all.slice(k, k + chunk), state);
    }
    return signal.aborted ? undefined : logits;
  }
}

