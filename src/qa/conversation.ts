import type { StreamRequest, StreamResult } from '../assistant/assistant';
import type { RepetitionOptions } from '../engine/repetition';
import type { Bm25Index } from './bm25';
import type { Piece } from '../prompt/pieces';
import type { Source } from './messages';
import { buildQaPrompt, type QaPromptOptions, type Turn } from './prompt';
import { contendingFiles, lexicalFiles, retrieve } from './retrieval';
import { runsInFiles, SupportedLines, streamSupported } from './support';

export interface AnswerOptions extends QaPromptOptions {
  readonly maxTokens?: number;
  /** Passages retrieved (before the prompt's character budget). */
  readonly passages?: number;
  /** BM25's best files the model may re-rank (each costs a prefill of the file). */
  readonly rerankFiles?: number;
  /** Which of them it re-ranks: those within this fraction of BM25's best (default MODEL_MARGIN). */
  readonly modelMargin?: number;
  /** Time the model's ranking may take; past it, BM25 alone. */
  readonly rerankBudgetMs?: number;
  readonly useWorkspace?: boolean;
  /** How the answer avoids loops (default: ANSWER_REPETITION). */
  readonly repetition?: Partial<RepetitionOptions>;
}

export interface AskRequest {
  readonly question: string;
  /** Earlier turns of the conversation, oldest first. */
  readonly history: readonly Turn[];
  readonly options?: AnswerOptions;
}

/** What the Q&A panel asks: one request per question (the model worker answers it: src/ui/worker-assistant.ts). */
export interface QaService {
  ask(request: AskRequest, events: AnswerEvents, signal: AbortSignal): Promise<Answer>;
}

export interface Answer {
  /** The whole answer as the panel shows it: the lead, what the model wrote after it, the code (excerpt). */
  readonly text: string;
  /** The end of `text`: the code the lead points at (answerExcerpt), not the model's; '' when nothing was cited. */
  readonly excerpt: string;
  /** The extension's start of `text` (the best source's place, answerLead); '' when nothing was cited. */
  readonly lead: string;
  /** 'unsupported': the model went on with a line the lead's passage does not support (src/qa/support.ts). */
  readonly stopped: StreamResult['stopped'] | 'unsupported';
  readonly sources: Source[];
  /** What the model wrote that the answer leaves out (from its first unsupported line). */
  readonly dropped?: string;
  /** Where the lead points (src/qa/prompt.ts leadPlace). */
  readonly leadAt?: Source;
  /** The places the answer lists where retrieval could not tell which answers (src/qa/prompt.ts closePlaces). */
  readonly listed?: Source[];
}

/** What a question needs from the model (src/assistant/local-assistant.ts, in the model worker). */
export interface AnswerModel {
  scoreFiles(question: string, paths: readonly string[], signal: AbortSignal): Promise<Map<string, number>>;
  stream(request: StreamRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<StreamResult>;
}

/** A question's events, in order: the sources it cites, then the answer's text as it comes. */
export interface AnswerEvents {
  onSources(sources: Source[]): void;
  onText(delta: string): void;
}

/**
 * One question, next to the text it reads (the model worker): retrieves (questionPrompt), tells
 * the sources, streams the lead (where the best source is) and the model's answer after it.
 */
export async function answerQuestion(model: AnswerModel, index: Bm25Index, files: ReadonlyMap<string, string>, question: string, history: readonly Turn[], events: AnswerEvents, signal: AbortSignal, o: AnswerOptions = {}): Promise<Answer> {
  const { prompt, sources, lead, leadPassage, otherPassages, excerpt, leadAt, listed } = await questionPrompt(model, index, files, question, history, signal, o);
  events.onSources(sources);
  if (signal.aborted) return { text: '', lead: '', excerpt: '', stopped: 'aborted', sources };
  if (lead) events.onText(lead);
  // A list of close places is the answer: the model's words after it would follow none of them.
  if (listed) return { text: lead, lead, excerpt: '', stopped: 'end', sources, ...(leadAt ? { leadAt } : {}), listed };
  const request = { prompt, maxTokens: o.maxTokens ?? 512, useWorkspace: o.useWorkspace ?? true, repetition: o.repetition };
  if (!lead) {
    const r = await model.stream(request, events.onText, signal);
    return { text: r.text, lead, excerpt: '', stopped: r.stopped, sources };
  }
  // After a lead, only what its passage supports is shown: whole lines, the first one it does not ends it.
  const gate = new SupportedLines(leadPassage, otherPassages, runsInFiles(files));
  const stopped = await streamSupported((onText, s) => model.stream(request, onText, s), gate, events.onText, signal);
  // A lead that ends in ":" with nothing after it reads as cut off: say why.
  const note = stopped === 'unsupported' && !gate.kept.trim() && lead.trimEnd().endsWith(':') ? nothingSupported(gate.kept) : '';
  if (note) events.onText(note);
  const code = stopped === 'aborted' ? '' : excerpt;
  if (code) events.onText(code);
  return { text: lead + gate.kept + note + code, lead, excerpt: code, stopped, sources, leadAt, ...(gate.dropped ? { dropped: gate.dropped } : {}) };
}

/**
 * After a lead whose passage supported none of the model's words: on the lead's line, or as a
 * paragraph of its own where the model's dropped text had begun with a line break (a voluptuous
 * trial's answer went on "see the code there" under "In ..., lines 151-160:").
 */
export function nothingSupported(shownAfterLead: string): string {
  return /\n\s*$/.test(shownAfterLead) ? "See the code below (the model's explanation did not match it and is left out)." : " see the code there (the model's explanation did not match it and is left out).";
}

/**
 * A question's prompt and the sources it cites: brings `index` up to date with `files` (only
 * changed files are indexed again), retrieves with BM25 and, given a model, its ranking of the
 * files BM25 is unsure between (contendingFiles; none by default) or, where BM25 matches nothing in
 * a small workspace, of every file (without a model, BM25 alone).
 */
export async function questionPrompt(model: Pick<AnswerModel, 'scoreFiles'> | undefined, index: Bm25Index, files: ReadonlyMap<string, string>, question: string, history: readonly Turn[], signal: AbortSignal, o: AnswerOptions = {}): Promise<{ prompt: Piece[]; sources: Source[]; lead: string; excerpt: string; leadPassage: string; otherPassages: string[]; leadAt?: Source; listed?: Source[] }> {
  await index.syncSliced(files, signal);
  const count = o.rerankFiles ?? 8;
  let candidates = contendingFiles(index, question, count, o.modelMargin);
  // Nothing matched by name: a small workspace can be ranked by the model alone.
  if (!lexicalFiles(index, question, 1).length && files.size <= count * 4) candidates = index.paths;
  let modelScores: Map<string, number> | undefined;
  if (model && candidates.length > 1 && !signal.aborted) {
    const budget = AbortSignal.any([signal, AbortSignal.timeout(o.rerankBudgetMs ?? 5000)]);
    modelScores = await model.scoreFiles(question, candidates, budget).catch(() => undefined);
  }
  const passages = retrieve(index, question, { limit: o.passages ?? 6, modelScores, modelMargin: o.modelMargin });
  const { prompt, used, lead, excerpt, leadAt, listed } = buildQaPrompt(question, passages, history, o);
  return { prompt, sources: used.map(({ path, startLine, endLine }) => ({ path, startLine, endLine })), lead, excerpt, leadPassage: used[0]?.text ?? '', otherPassages: used.slice(1).map((p) => p.text), ...(leadAt ? { leadAt } : {}), ...(listed ? { listed } : {}) };
}
