import type { Engine } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { argmax, seededRandom } from '../engine/sampling';
import { SambaError } from '../model/errors';
import { fileTokens } from '../prompt/file';

export const FILLER_SENTENCE = 'The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.';
export const INTRO = 'There is an important info hidden inside a lot of irrelevant text. Find it and memorize it. I will quiz you about the important information there.';
export const QUESTION = 'What is the pass key? The pass key is';

export function keyLine(key: string): string {
  return `The pass key is ${key}. Remember it. ${key} is the pass key.`;
}

export interface PasskeyPrompt {
  readonly key: string;
  readonly tokens: number[];
  /** Token index where the key line starts. */
  readonly keyAt: number;
  /** keyAt as a fraction of the filler. */
  readonly depth: number;
}

/**
 * A file unit `notes.txt` (src/prompt/file.ts): the intro, filler to `length` tokens in all with
 * the key line inserted at `depth` of the filler (at a filler-unit boundary: a sentence group, or a
 * line of code), then the question. Filler units are token arrays repeated in turn until the
 * length is reached.
 */
export function buildPasskeyPrompt(tokenizer: Tokenizer, length: number, depth: number, key: string, filler: readonly number[][]): PasskeyPrompt {
  const head = [...fileTokens(tokenizer, 'notes.txt', `${INTRO}\n`)];
  const keyToks = tokenizer.encode(`\n${keyLine(key)}\n`);
  const tail = tokenizer.encode(`\n${QUESTION}`);
  const room = length - head.length - keyToks.length - tail.length;
  if (room < 1) throw new SambaError('config', `A passkey prompt of ${length} tokens is too short for its fixed parts (${length - room} tokens with this tokenizer); use longer --passkey-lengths.`);
  const units: number[][] = [];
  let n = 0;
  for (let u = 0; n < room; u++) {
    const unit = filler[u % filler.length].slice(0, room - n);
    units.push(unit);
    n += unit.length;
  }
  // Insert at the unit boundary nearest the requested depth.
  let at = 0, best = 0, bestGap = Infinity, acc = 0;
  for (let i = 0; i <= units.length; i++) {
    const gap = Math.abs(acc - depth * room);
    if (gap < bestGap) [best, bestGap] = [i, gap];
    if (i < units.length) acc += units[i].length;
  }
  const before = units.slice(0, best).flat();
  at = head.length + before.length;
  const tokens = [...head, ...before, ...keyToks, ...units.slice(best).flat(), ...tail];
  return { key, tokens, keyAt: at, depth: before.length / room };
}

/** Filler units: the sentence group, or the repository's code cut into lines (token arrays). */
export function sentenceFiller(tokenizer: Tokenizer): number[][] {
  return [tokenizer.encode(` ${FILLER_SENTENCE}`)];
}

export function codeFiller(tokenizer: Tokenizer, texts: readonly string[], maxUnits = 20000): number[][] {
  const units: number[][] = [];
  for (const t of texts) {
    for (const line of t.split('\n')) {
      if (units.length >= maxUnits) return units;
      units.push(tokenizer.encode(`${line}\n`));
    }
  }
  return units.length ? units : sentenceFiller(tokenizer);
}

/** A 5-digit key from a seeded generator. */
export function passkeys(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => String(10000 + Math.floor(random() * 90000)));
}

export interface PasskeyTrial {
  readonly length: number;
  readonly depth: number;
  readonly key: string;
  readonly answer: string;
  readonly correct: boolean;
}

/** Prefills the prompt in chunks from a fresh state and greedily decodes `answerTokens` tokens. */
export async function runPasskeyTrial(engine: Engine, tokenizer: Tokenizer, prompt: PasskeyPrompt, answerTokens = 8, chunk = 1024): Promise<{ answer: string; correct: boolean }> {
  const state = engine.newState({ capacity: prompt.tokens.length + answerTokens + 1 });
  try {
    let logits!: Float32Array;
    for (let t0 = 0; t0 < prompt.tokens.length; t0 += chunk) logits = await engine.prefill(prompt.tokens.slice(t0, t0 + chunk), state);
    const ids: number[] = [];
    for (let i = 0; i < answerTokens; i++) {
      const next = argmax(logits);
      ids.push(next);
      if (i + 1 < answerTokens) logits = await engine.step(next, state);
    }
    const answer = tokenizer.decode(ids);
    return { answer, correct: answer.includes(prompt.key) };
  } finally {
    engine.release(state);
  }
}
