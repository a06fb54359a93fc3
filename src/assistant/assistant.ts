/**
 * What the Q&A panel and the summarize commands need from the model. Prompts may contain the
 * special-token names of the protocol (`<|file|>`, `<|question|>`, `<|answer|>`, `<|summary|>`,
 * see ./markers); an implementation whose tokenizer lacks one writes its plain-text marker instead.
 */
export interface Assistant {
  /** Streams text generated after the workspace state (when useWorkspace) followed by `prompt`. */
  stream(request: { prompt: string; maxTokens: number; useWorkspace: boolean }, onText: (delta: string) => void, signal: AbortSignal): Promise<{ text: string; stopped: 'end' | 'max' | 'aborted' }>;
  /** Model-based relevance: for each path, the mean log-probability of `question` given that file's text (higher = more relevant). */
  scoreFiles(question: string, paths: readonly string[], signal: AbortSignal): Promise<Map<string, number>>;
  /** Files currently in the workspace context: relative path -> text. */
  files(): Promise<ReadonlyMap<string, string>>;
}
