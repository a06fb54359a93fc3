import type { Engine } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import type { SamplingOptions } from '../engine/sampling';
import { continueFrom } from '../engine/generate';
import { special, type PreparedPrompt } from './prompt';

export interface CompleteOptions extends SamplingOptions {
  readonly maxTokens: number;
  /** Past this many ms, stop at the next newline (llama.vscode's rule: show a line now rather than a block late). */
  readonly lineBudgetMs?: number;
  /** Hard stop: whatever exists at this many ms is returned. */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  readonly seed?: number;
}

const STOP_TOKENS = ['<|endoftext|>', '<|file|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'];
type Stopped = 'end' | 'max' | 'line-budget' | 'deadline' | 'aborted';

/**
 * Runs `<|fim_middle|>` on a prepared FIM prompt, then generates until an end token, the limits,
 * or an abort; returns raw text. `engine` owns `prompt.state`: the prompt's engine, or the CPU
 * decoder that took the state over (so a software GPU adapter runs one forward less).
 */
export async function complete(engine: Engine, tokenizer: Tokenizer, prompt: PreparedPrompt, o: CompleteOptions): Promise<{ text: string; tokens: number; stopped: Stopped }> {
  const t0 = Date.now();
  const stop = STOP_TOKENS.map((s) => tokenizer.specialId(s)).filter((id): id is number => id !== undefined);
  const out: number[] = [];
  const result = (stopped: Stopped) => ({ text: tokenizer.decode(out), tokens: out.length, stopped });
  if (o.signal?.aborted) return result('aborted');
  const logits = await engine.prefill([special(tokenizer, '<|fim_middle|>')], prompt.state);
  for await (const next of continueFrom(engine, logits, prompt.state, { ...o, stop })) {
    out.push(next);
    const elapsed = Date.now() - t0;
    if (o.deadlineMs !== undefined && elapsed >= o.deadlineMs) return result('deadline');
    if (o.lineBudgetMs !== undefined && elapsed > o.lineBudgetMs && tokenizer.decode([next]).includes('\n')) return result('line-budget');
  }
  if (o.signal?.aborted) return result('aborted');
  return result(out.length >= o.maxTokens ? 'max' : 'end');
}
