import type { Progress, Change } from '../workspace/context';
import type { StreamRequest, StreamResult } from '../assistant/assistant';
import type { Answer, AskRequest } from '../qa/conversation';
import type { Source } from '../qa/messages';
import type { SummaryPart } from '../summarize/prompt';
import type { CompletionRequest, CompletionResult, ContextReport, EngineSummary, LoadRequest, OpenRequest } from './session';

/** A file change as the host reports it; `text` is unsaved editor content (absent: read the disk). */
export type ChangeWithText = Change & { readonly text?: string };

/** What the extension host may ask the model worker, and what each answers. */
export interface Methods {
  load: { params: LoadRequest; result: EngineSummary };
  /** Checks a model folder (config, every tensor, tokenizer) without running it; throws what is wrong. */
  validate: { params: { modelDir: string }; result: string };
  open: { params: OpenRequest; result: ContextReport };
  update: { params: { changes: ChangeWithText[] }; result: null };
  /** Drops the workspace context (indexing cancelled); completions go on without it. */
  close: { params: null; result: null };
  setActive: { params: { path?: string }; result: null };
  whenIdle: { params: null; result: null };
  complete: { params: CompletionRequest; result: CompletionResult };
  cancelCompletion: { params: null; result: null };
  describe: { params: null; result: ContextReport };
  /** Frees the GPU device and everything else, before the worker is ended. */
  dispose: { params: null; result: null };
  /** A summary's part (src/assistant): its text streams back as `assistText` events with the same id. */
  assistStream: { params: { id: number } & StreamRequest; result: StreamResult };
  /**
   * One question (src/qa/conversation.ts), retrieved and answered here, next to the workspace's
   * text: `assistSources` (the passages the prompt holds), then `assistText` events with the same
   * id; the reply ends it.
   */
  assistAsk: { params: { id: number } & AskRequest; result: Answer };
  /** Stops the assistStream or assistAsk request `id`. */
  assistCancel: { params: { id: number }; result: null };
  /** The workspace summary's parts, planned from the context's files (undefined: none yet). */
  assistWorkspacePlan: { params: null; result: SummaryPart[] | undefined };
}

export type Method = keyof Methods;

export type Request = { [M in Method]: { readonly id: number; readonly method: M; readonly params: Methods[M]['params'] } }[Method];

export type Reply =
  | { readonly id: number; readonly result: unknown }
  /** `code` is set when the error was a SambaError (bad input the user can fix). */
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

/** Unrequested news from the worker. */
export type WorkerEvent =
  | { readonly event: 'progress'; readonly data: Progress }
  | { readonly event: 'notice'; readonly data: string }
  | { readonly event: 'log'; readonly data: string }
  /** The engine changed on its own (a lost GPU device replaced, perhaps by the CPU reference). */
  | { readonly event: 'engine'; readonly data: EngineSummary }
  | { readonly event: 'assistText'; readonly data: { readonly id: number; readonly delta: string } }
  | { readonly event: 'assistSources'; readonly data: { readonly id: number; readonly sources: Source[] } }
  /** The worker asks the host to read the workspace through VS Code (a folder not on this disk). */
  | { readonly event: 'fs'; readonly data: FsRequest };

export type FsRequest = { readonly id: number; readonly op: 'list' | 'stat' | 'read'; readonly path: string };

/** The host's answer to an `fs` event. */
export type FsReply = { readonly fsReply: number; readonly result?: unknown; readonly error?: string };
