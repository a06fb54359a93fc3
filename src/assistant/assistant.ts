import type { Piece } from '../prompt/pieces';
import type { RepetitionOptions } from '../engine/repetition';

export interface StreamRequest {
  readonly prompt: readonly Piece[];
  readonly maxTokens: number;
  /** Continue from the workspace state (the files read first). */
  readonly useWorkspace: boolean;
  /** Overrides how the answer avoids loops (src/engine/repetition.ts). */
  readonly repetition?: Partial<RepetitionOptions>;
}

/** The generated text; `loop`: it fell into a loop, cut where the repetition began. */
export interface StreamResult {
  readonly text: string;
  readonly stopped: 'end' | 'max' | 'aborted' | 'loop';
}

/**
 * What the Q&A panel and the summarize commands need from the model. Prompts are pieces built by
 * src/prompt/ (special tokens and text that is never read as one); an implementation whose
 * tokenizer lacks a special token writes its plain-text stand-in instead.
 */
export interface Assistant {
  /** Streams text generated after the workspace state (when useWorkspace) followed by `prompt`. */
  stream(request: StreamRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<StreamResult>;
  /** Model-based relevance: for each path, the mean log-probability of `question` given that file's text (higher = more relevant). */
  scoreFiles(question: string, paths: readonly string[], signal: AbortSignal): Promise<Map<string, number>>;
  /** Files currently in the workspace context: relative path -> text. */
  files(): Promise<ReadonlyMap<string, string>>;
}
