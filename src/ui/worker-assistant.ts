import type { Assistant, StreamRequest } from '../assistant/assistant';
import type { AnswerEvents, AskRequest, QaService } from '../qa/conversation';
import type { ModelHost } from './model-host';

/** The summaries' Assistant and the Q&A panel's service, served by the model worker. */
export class WorkerAssistant implements Assistant, QaService {
  private nextId = 1;

  constructor(private readonly host: ModelHost) {}

  async stream(request: StreamRequest, onText: (delta: string) => void, signal: AbortSignal) {
    const id = this.nextId++;
    return this.host.withAssist(id, { onText }, signal, () => this.host.request('assistStream', { id, ...request }));
  }

  /** One request: the worker retrieves next to the workspace's text, then streams sources and the answer. */
  async ask(request: AskRequest, events: AnswerEvents, signal: AbortSignal) {
    const id = this.nextId++;
    return this.host.withAssist(id, events, signal, () => this.host.request('assistAsk', { id, ...request }));
  }

  async workspacePlan() {
    return this.host.request('assistWorkspacePlan', null);
  }
}
