import type { Assistant, StreamRequest } from '../assistant/assistant';
import type { ModelHost } from './model-host';

/** The Assistant of the Q&A panel and the summaries, served by the model worker. */
export class WorkerAssistant implements Assistant {
  private nextId = 1;

  constructor(private readonly host: ModelHost) {}

  async stream(request: StreamRequest, onText: (delta: string) => void, signal: AbortSignal) {
    const id = this.nextId++;
    return this.host.withAssist(id, onText, signal, () => this.host.request('assistStream', { id, ...request }));
  }

  async scoreFiles(question: string, paths: readonly string[], signal: AbortSignal): Promise<Map<string, number>> {
    const id = this.nextId++;
    return this.host.withAssist(id, () => undefined, signal, () => this.host.request('assistScore', { id, question, paths: [...paths] }));
  }

  async files(): Promise<ReadonlyMap<string, string>> {
    return this.host.request('assistFiles', null);
  }
}
