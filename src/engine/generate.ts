import type { Engine, EngineState } from './engine';
import { penalize } from './repetition';
import { argmax, sample, seededRandom, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  readonly maxTokens: number;
  readonly seed?: number;
  /** Token ids that end generation (not yielded). */
  readonly stop?: readonly number[];
  readonly signal?: AbortSignal;
  /** CTRL's penalty on the tokens generated in the last `penaltyWindow` steps (src/engine/repetition.ts); 1 or absent: off. */
  readonly repetitionPenalty?: number;
  readonly penaltyWindow?: number;
}

/** Prefills the prompt, then yields sampled tokens (see `continueFrom`). */
export async function* generate(engine: Engine, prompt: readonly number[], state: EngineState, options: GenerateOptions): AsyncGenerator<number> {
  yield* continueFrom(engine, await engine.prefill(prompt, state), state, options);
}

/**
 * Yields sampled tokens one at a time, starting from the logits of a state that is already
 * prefilled, until a stop token, the limit or an abort. The last yielded token is never fed back
 * (nothing would read its logits), so `state` always ends just before it.
 */
export async function* continueFrom(engine: Engine, logits: Float32Array, state: EngineState, options: GenerateOptions): AsyncGenerator<number> {
  const random = seededRandom(options.seed ?? 0);
  const penalty = options.repetitionPenalty ?? 1;
  const window = Math.max(0, options.penaltyWindow ?? 64);
  const recent: number[] = [];
  const pick = (l: Float32Array) => sample(penalty !== 1 && recent.length ? penalize(l, recent, penalty) : l, options, random);
  // Greedy without a penalty, with an engine that takes the argmax itself: the logits never leave it.
  const greedyStep = (options.temperature ?? 0) <= 0 && penalty === 1 ? engine.stepArgmax?.bind(engine) : undefined;
  let next = pick(logits);
  for (let i = 0; i < options.maxTokens; i++) {
    if (options.signal?.aborted) return;
    if (options.stop?.includes(next)) return;
    yield next;
    if (window > 0) {
      recent.push(next);
      if (recent.length > window) recent.shift();
    }
    if (i + 1 < options.maxTokens) next = greedyStep ? await greedyStep(next, state) : pick(await engine.step(next, state));
  }
}

/** Greedy steps per read-back: small first (most suggestions are a few tokens), then larger. */
const BLOCKS = [4, 8, 16];

/**
 * continueFrom's greedy tokens (no penalty). Where the engine runs greedy steps itself (a GPU
 * engine), in blocks of steps with one read-back each instead of one per token: the same tokens,
 * but the state ends past the last one yielded (up to a block), which a caller's copy may.
 */
export async function* continueGreedy(engine: Engine, logits: Float32Array, state: EngineState, o: { readonly maxTokens: number; readonly stop?: readonly number[]; readonly signal?: AbortSignal }): AsyncGenerator<number> {
  if (!engine.greedy) return yield* continueFrom(engine, logits, state, o);
  let next = argmax(logits);
  let queued: number[] = [];
  for (let i = 0, block = 0; i < o.maxTokens; i++) {
    if (o.signal?.aborted || o.stop?.includes(next)) return;
    yield next;
    if (i + 1 >= o.maxTokens) return;
    if (!queued.length) queued = await engine.greedy(next, Math.min(BLOCKS[Math.min(block++, BLOCKS.length - 1)], o.maxTokens - i - 1), state);
    next = queued.shift()!;
  }
}
