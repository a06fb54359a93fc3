import type { Piece } from '../prompt/pieces';

/**
 * What the Q&A panel and the summarize commands need from the model. Prompts are pieces built by
 * src/prompt/ (special tokens and text that is never read as one); an implementation whose
 * tokenizer lacks a special token writes its plain-text stand-in instead.
 */
export interface Assistant {
  /** Streams text generated after the workspace state (when useWorkspace) followed by `prompt`. */
  stream(request: { prompt: readonly Piece[]; maxTokens: number; useWorkspace: boolean }, onText: (delta: string) => void, signal: AbortSignal): Promise<{ text: string; stopped: 'end' | 'max' | 'aborted' }>;
  /** Model-based relevance: for each path, the mean log-probability of `question` given that file's text (higher = more relevant). */
  scoreFiles(question: string, paths: readonly string[], signal: AbortSignal): Promise<Map<string, number>>;
  /** Files currently in the workspace context: relative path -> text. */
  files(): Promise<ReadonlyMap<string, string>>;
}
