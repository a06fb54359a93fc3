import { defang } from '../assistant/markers';
import type { Passage } from './passages';

export interface Turn {
  readonly question: string;
  readonly answer: string;
}

export interface QaPromptOptions {
  /** Characters of retrieved text in the prompt; passages past it are left out (the first is cut to fit). */
  readonly maxPassageChars?: number;
  /** Earlier turns kept, newest last. */
  readonly maxTurns?: number;
  /** Characters of each earlier answer kept (its start). */
  readonly maxAnswerChars?: number;
}

/**
 * The Q&A prompt, read after the workspace state: the last few turns, then the retrieved passages
 * (each `<|file|>path:start-end`), then `<|question|>` ... `<|answer|>`. Returns the passages that
 * fit, which are the sources to cite.
 */
export function buildQaPrompt(question: string, passages: readonly Passage[], history: readonly Turn[], o: QaPromptOptions = {}): { prompt: string; used: Passage[] } {
  const turns = history.slice(-(o.maxTurns ?? 3)).map((t) => ask(t.question) + defang(clip(t.answer, o.maxAnswerChars ?? 1200).trim()) + '\n');
  let budget = o.maxPassageChars ?? 6000;
  const used: Passage[] = [];
  const blocks: string[] = [];
  for (const p of passages) {
    let text = p.text;
    if (text.length > budget) {
      if (used.length) continue;
      text = clip(text, budget);
    }
    budget -= text.length;
    used.push(p);
    blocks.push(`<|file|>${defang(p.path)}:${p.startLine}-${p.endLine}\n${defang(text)}\n`);
  }
  return { prompt: turns.join('') + blocks.join('') + ask(question), used };
}

function ask(question: string): string {
  return `<|question|>${defang(question.trim())}\n<|answer|>`;
}

/** The start of `text` within `max` characters, cut at a line end when there is one. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const nl = text.lastIndexOf('\n', max);
  return text.slice(0, nl > 0 ? nl : max);
}
