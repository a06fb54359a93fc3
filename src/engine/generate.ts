import type { Engine, EngineState } from './engine';
import { sample, seededRandom, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  readonly maxTokens: number;
  readonly seed?: number;
  /** Token ids that end generation (not yielded). */
  readonly stop?: readonly number[];
  readonly signal?: AbortSignal;
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
  // Greedy with an engine that takes the argmax itself: the logits never leave it.
  const greedyStep = (options.temperature ?? 0) <= 0 ? engine.stepArgmax?.bind(engine) : undefined;
  let next = sample(logits, options, random);
  for (let i = 0; i < options.maxTokens; i++) {
    if (options.signal?.aborted) return;
    if (options.stop?.includes(next)) return;
    yield next;
    if (i + 1 < options.maxTokens) next = greedyStep ? await greedyStep(next, state) : sample(await engine.step(next, state), options, random);
  }
}
