import { SambaError } from '../model/errors';
import type { Model } from '../model/weights';
import type { StateData } from './state';

/** A model's recurrent state as an engine holds it (host arrays for the CPU, buffers for the GPU). */
export interface EngineState {
  /** Tokens consumed so far. */
  readonly position: number;
}

export interface PrefillOptions {
  /** Return logits for every position ([n, V]) instead of only the last ([V]). */
  readonly allLogits?: boolean;
  /**
   * The caller reads no logits (it only advances the state): the LM head is skipped, a GPU engine
   * reads nothing back and does not wait for the device, and an empty array is returned.
   */
  readonly noLogits?: boolean;
  /**
   * Scoring: one token id per position, the token that follows it. Returned instead of logits:
   * log p(logProbsOf[i] | everything up to tokens[i]) for each i ([n], natural log), computed where
   * the logits are (a GPU engine reads back n numbers, not n rows).
   */
  readonly logProbsOf?: ArrayLike<number>;
}

/** How `Engine.read` hands out states from inside its pass. */
export interface ReadOptions {
  /** Token counts from the start of `tokens`, increasing, each in 1..n: where a copy of the state is taken. */
  readonly statesAt: readonly number[];
  /**
   * Gets the copy at statesAt[i] (its own: keep it or release it), in order, as the pass goes; the
   * engine waits for a returned promise before it goes on.
   */
  readonly onState: (i: number, state: EngineState) => void | Promise<void>;
  /** Checked between chunks: once aborted, read resolves false and `state` is part-way (release it). */
  readonly signal?: AbortSignal;
  /** Called after each chunk with the tokens read so far (progress inside a long file). */
  readonly onTokens?: (read: number) => void;
}

/** One forward pass, two implementations: the WebGPU engine and the CPU reference. */
export interface Engine {
  readonly backend: 'gpu' | 'cpu';
  /** What runs it, for people: the adapter's name, or the CPU reference. */
  readonly deviceName: string;
  /** The CPU engine's threads for a decode step, as its timing last chose them. */
  readonly stepThreads?: number;
  readonly model: Model;
  /** A fresh state. `capacity` sets the KV slots of full attention (default: the training length). */
  newState(options?: { capacity?: number }): EngineState;
  /** Runs `tokens` through the model from `state`, advancing it. */
  prefill(tokens: ArrayLike<number>, state: EngineState, options?: PrefillOptions): Promise<Float32Array>;
  /**
   * Reads `tokens` into `state` without logits (a workspace's files, one after another), and hands
   * out the state after each of `statesAt`: what prefill up to there and a snapshot would give, in
   * one long pass instead of many short ones. Resolves true once every token is read.
   */
  read(tokens: ArrayLike<number>, state: EngineState, options: ReadOptions): Promise<boolean>;
  /** One token: returns its logits [V] and advances `state`. */
  step(token: number, state: EngineState): Promise<Float32Array>;
  /**
   * Greedy decoding's step, where it is cheaper than `step` + argmax: feeds `token` and returns
   * the argmax of its logits, computed where they are (GPU engines read back 4 bytes, not [V]).
   */
  stepArgmax?(token: number, state: EngineState): Promise<number>;
  /**
   * `count` greedy steps from `token` (each step's argmax is the next step's token) with one
   * read-back at the end: the argmaxes, as `count` stepArgmax calls would give them.
   */
  greedy?(token: number, count: number, state: EngineState): Promise<number[]>;
  /** An independent copy of `state`, cheap (stays on the device). */
  snapshot(state: EngineState): EngineState;
  /** Makes `target` equal to `source` (e.g. rewinds to a snapshot) without allocating. */
  restore(target: EngineState, source: EngineState): void;
  /** Frees the state's memory now (GPU buffers); the state must not be used afterwards. */
  release(state: EngineState): void;
  /** The state as host arrays, for serialization. */
  download(state: EngineState): Promise<StateData>;
  /** A state from host arrays (e.g. deserialized). */
  upload(data: StateData): EngineState;
  /** Frees device memory; the engine is unusable afterwards. Resolves once the memory is gone. */
  dispose(): Promise<void>;
  /**
   * GPU engines: resolves with what happened once the device is lost (driver reset, `destroy()`,
   * out of memory); from then on every call throws SambaError('gpu'). Never resolves after dispose().
   */
  readonly lost?: Promise<string>;
}

/** The scoring targets of a prefill: one in-vocabulary id per token. */
export function checkTargets(model: Model, tokens: ArrayLike<number>, targets: ArrayLike<number>): void {
  if (targets.length !== tokens.length) throw new SambaError('token-range', `prefill: ${targets.length} scoring targets for ${tokens.length} tokens; give one per token.`);
  checkTokens(model, targets);
}

/** Refuses token ids the embedding cannot look up. */
export function checkTokens(model: Model, tokens: ArrayLike<number>): void {
  const v = model.config.vocabSize;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!Number.isInteger(t) || t < 0 || t >= v) {
      throw new SambaError('token-range', `Token id ${t} at index ${i} is outside the vocabulary [0, ${v}) of the model in ${model.dir}. The tokenizer and the model do not match.`);
    }
  }
}

/** Refuses positions that are not increasing counts within the tokens read. */
export function checkStatesAt(statesAt: readonly number[], n: number): void {
  let last = 0;
  for (const p of statesAt) {
    if (!Number.isInteger(p) || p <= last || p > n) {
      throw new SambaError('token-range', `read: statesAt must be increasing token counts in 1..${n}, got ${JSON.stringify(statesAt.slice(0, 8))}${statesAt.length > 8 ? '...' : ''}.`);
    }
    last = p;
  }
}

/** Refuses to run full attention past its KV capacity (sliding windows wrap instead). */
export function checkCapacity(model: Model, position: number, count: number, capacity: number): void {
  if (Number.isFinite(model.config.window) || !model.config.mixers.includes('attention')) return;
  if (position + count > capacity) {
    throw new SambaError('state', `The context would reach ${position + count} tokens but this state holds ${capacity} key/value slots (full attention). Create the state with a larger capacity.`);
  }
}
