import type { Engine, EngineState } from './engine';
import { sample, seededRandom, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  readonly maxTokens: number;
  readonly seed?: number;
  /** Token ids that end generation (not yielded). */
  readonly stop?: readonly number[];
  readonly signal?: AbortSignal;
}

/** Prefills the prompt, then yields sampled tokens one at a time until a stop token, the limit or an abort. */
export async function* generate(engine: Engine, prompt: readonly number[], state: EngineState, options: GenerateOptions): AsyncGenerator<number> {
  const random = seededRandom(options.seed ?? 0);
  let logits = await engine.prefill(prompt, state);
  for (let i = 0; i < options.maxTokens; i++) {
    if (options.signal?.aborted) return;
    const next = sample(logits, options, random);
    if (options.stop?.includes(next)) return;
    yield next;
    logits = await engine.step(next, state);
  }
}
