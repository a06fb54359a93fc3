import type { Piece } from '../prompt/pieces';
import type { RepetitionOptions } from '../engine/repetition';
import type { SummaryPart } from '../summarize/prompt';

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
 * What the summarize commands need from the model (the Q&A panel asks through
 * src/qa/conversation.ts's QaService). Prompts are pieces built by src/prompt/ (special tokens and
 * text that is never read as one); an implementation whose tokenizer lacks a special token writes
 * its plain-text stand-in instead.
 */
export interface Assistant {
  /** Streams text generated after the workspace state (when useWorkspace) followed by `prompt`. */
  stream(request: StreamRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<StreamResult>;
  /** The workspace summary's parts, planned where the workspace's text is (the model worker); undefined while the context holds no file. */
  workspacePlan(): Promise<SummaryPart[] | undefined>;
}
