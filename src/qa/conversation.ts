import type { Assistant, StreamResult } from '../assistant/assistant';
import type { Bm25Index } from './bm25';
import type { Source } from './messages';
import { buildQaPrompt, type QaPromptOptions, type Turn } from './prompt';
import { indexFiles, lexicalFiles, retrieve } from './retrieval';

export interface AnswerOptions extends QaPromptOptions {
  readonly maxTokens?: number;
  /** Passages retrieved (before the prompt's character budget). */
  readonly passages?: number;
  /** BM25's best files the model re-ranks (each costs a prefill of the file). */
  readonly rerankFiles?: number;
  /** Time the model's ranking may take; past it, BM25 alone. */
  readonly rerankBudgetMs?: number;
  readonly useWorkspace?: boolean;
}

export interface Answer {
  readonly text: string;
  readonly stopped: StreamResult['stopped'];
  readonly sources: Source[];
}

/** Keeps the passage index of the last file set, rebuilt only when the assistant hands over another. */
export class Retriever {
  private files: ReadonlyMap<string, string> | undefined;
  private index: Bm25Index | undefined;

  indexFor(files: ReadonlyMap<string, string>): Bm25Index {
    if (files !== this.files || !this.index) {
      this.files = files;
      this.index = indexFiles(files);
    }
    return this.index;
  }
}

/** Retrieves, ranks with BM25 and the model, builds the prompt and streams the answer. */
export async function answerQuestion(assistant: Assistant, retriever: Retriever, question: string, history: readonly Turn[], events: { onSources(sources: Source[]): void; onText(delta: string): void }, signal: AbortSignal, o: AnswerOptions = {}): Promise<Answer> {
  const files = await assistant.files();
  const index = retriever.indexFor(files);
  let candidates = lexicalFiles(index, question, o.rerankFiles ?? 8);
  // Nothing matched by name: a small workspace can be ranked by the model alone.
  if (!candidates.length && files.size <= (o.rerankFiles ?? 8) * 4) candidates = [...files.keys()];
  let modelScores: Map<string, number> | undefined;
  if (candidates.length > 1 && !signal.aborted) {
    const budget = AbortSignal.any([signal, AbortSignal.timeout(o.rerankBudgetMs ?? 5000)]);
    modelScores = await assistant.scoreFiles(question, candidates, budget).catch(() => undefined);
  }
  const passages = retrieve(index, question, { limit: o.passages ?? 6, modelScores });
  const { prompt, used } = buildQaPrompt(question, passages, history, o);
  const sources = used.map(({ path, startLine, endLine }) => ({ path, startLine, endLine }));
  events.onSources(sources);
  if (signal.aborted) return { text: '', stopped: 'aborted', sources };
  const r = await assistant.stream({ prompt, maxTokens: o.maxTokens ?? 512, useWorkspace: o.useWorkspace ?? true }, events.onText, signal);
  return { ...r, sources };
}
