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
    // The Output channel tells what a question cost and where it stopped, as it does for completions.
    const t0 = Date.now();
    let sourcesMs = -1;
    const logged: AnswerEvents = {
      onSources: (sources) => {
        sourcesMs = Date.now() - t0;
        const first = sources[0];
        this.host.log(`question: ${sources.length} sources in ${sourcesMs} ms${first ? `, first ${first.path}:${first.startLine}` : ''}`);
        events.onSources(sources);
      },
      onText: (delta) => events.onText(delta),
    };
    try {
      const answer = await this.host.withAssist(id, logged, signal, () => this.host.request('assistAsk', { id, ...request, options }));
      this.host.log(`question answered: ${answer.text.length} characters in ${Date.now() - t0} ms, stopped: ${answer.stopped}`);
      return answer;
    } catch (e) {
      this.host.log(`question failed after ${Date.now() - t0} ms${sourcesMs < 0 ? ' (before any source)' : ''}: ${(e as Error).message}`);
      throw e;
    }
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
