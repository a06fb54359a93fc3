import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import type { SamplingOptions } from '../engine/sampling';
import { continueFrom } from '../engine/generate';
import { completionStopIds } from '../prompt/stop';

export interface CompleteOptions extends SamplingOptions {
  readonly maxTokens: number;
  /** Past this many ms, stop at the next newline (llama.vscode's rule: show a line now rather than a block late). */
  readonly lineBudgetMs?: number;
  /** Hard stop: whatever exists at this many ms is returned. */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  readonly seed?: number;
}

export type Stopped = 'end' | 'max' | 'line-budget' | 'deadline' | 'aborted';

/**
 * Runs the prompt's last token on a prepared state, then generates until an end token, the limits,
 * or an abort; returns raw text. `engine` owns `prompt.state`: the prompt's engine, or the CPU
 * decoder that took the state over (so a software GPU adapter runs one forward less).
 */
export async function complete(engine: Engine, tokenizer: Tokenizer, prompt: { readonly state: EngineState; readonly last: number }, o: CompleteOptions): Promise<{ text: string; tokens: number; stopped: Stopped }> {
  const t0 = Date.now();
  const stop = completionStopIds(tokenizer);
  const out: number[] = [];
  const result = (stopped: Stopped) => ({ text: tokenizer.decode(out), tokens: out.length, stopped });
  if (o.signal?.aborted) return result('aborted');
  const logits = await engine.prefill([prompt.last], prompt.state);
  for await (const next of continueFrom(engine, logits, prompt.state, { ...o, stop })) {
    out.push(next);
    const elapsed = Date.now() - t0;
    if (o.deadlineMs !== undefined && elapsed >= o.deadlineMs) return result('deadline');
    if (o.lineBudgetMs !== undefined && elapsed > o.lineBudgetMs && tokenizer.decode([next]).includes('\n')) return result('line-budget');
  }
  if (o.signal?.aborted) return result('aborted');
  return result(out.length >= o.maxTokens ? 'max' : 'end');
}
