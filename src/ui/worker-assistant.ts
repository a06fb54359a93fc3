import type { Assistant, StreamRequest } from '../assistant/assistant';
import type { RepetitionOptions } from '../engine/repetition';
import type { AnswerEvents, AskRequest, QaService } from '../qa/conversation';
import type { ModelHost } from './model-host';
import { readSettings } from './settings';

/** The summaries' Assistant and the Q&A panel's service, served by the model worker. */
export class WorkerAssistant implements Assistant, QaService {
  private nextId = 1;

  constructor(private readonly host: ModelHost) {}

  async stream(request: StreamRequest, onText: (delta: string) => void, signal: AbortSignal) {
    const id = this.nextId++;
    const repetition = { ...repetitionSettings(), ...request.repetition };
    return this.host.withAssist(id, { onText }, signal, () => this.host.request('assistStream', { id, ...request, repetition }));
  }

  /** One request: the worker retrieves next to the workspace's text, then streams sources and the answer. */
  async ask(request: AskRequest, events: AnswerEvents, signal: AbortSignal) {
    const id = this.nextId++;
    const options = { ...request.options, repetition: { ...repetitionSettings(), ...request.options?.repetition } };
    return this.host.withAssist(id, events, signal, () => this.host.request('assistAsk', { id, ...request, options }));
  }

  async workspacePlan() {
    return this.host.request('assistWorkspacePlan', null);
  }
}

/** samba.answers.*: the repetition penalty, and whether loops stop (the rules' sizes stay the defaults). */
function repetitionSettings(): Partial<RepetitionOptions> {
  const a = readSettings().answers;
  return { penalty: a.repetitionPenalty, window: a.repetitionWindow, ...(a.stopLoops ? {} : { ngram: 0, lines: false }) };
}
