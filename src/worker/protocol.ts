// The messages between the extension host and the model worker, and every payload they carry:
// the host's side (src/ui/, src/worker/client.ts) and the worker's (src/worker/model-worker.ts)
// both read this file and nothing of each other's.
import type { Progress, ContextDescription } from '../workspace/context';
import type { ChangeWithText } from '../workspace/files';
import type { FilterOptions, Skipped } from '../workspace/filter';
import type { ContextSnippet } from '../completion/context-block';
import type { BlockReport } from '../completion/pipeline';
import type { MinScore } from '../completion/confidence';
import type { Backend, NoticeKey } from '../backend/create';
import type { StreamRequest, StreamResult } from '../assistant/assistant';
import type { Answer, AskRequest } from '../qa/conversation';
import type { Source } from '../qa/messages';
import type { SummaryPart } from '../summarize/prompt';

export interface LoadRequest {
  readonly modelDir: string;
  readonly backend: Backend;
  /** How the GPU stores the matrices (samba.engine.weights); default f16. */
  readonly weights?: 'f16' | 'int8';
  /** Where snapshots persist (the extension's storage); none keeps them in memory only. */
  readonly storageDir?: string;
}

export interface EngineSummary {
  readonly backend: 'gpu' | 'cpu';
  readonly deviceName: string;
  readonly family: string;
  readonly model: string;
  /** Prefill speed measured at load, tokens/s: sets the default context budget. */
  readonly prefillTokensPerS: number;
  /** Where tokens are generated when not on the engine itself (a software adapter's CPU decoder). */
  readonly decoder?: string;
  /** Set when the CPU reference runs although a GPU was asked for: why, and how to get the GPU back. */
  readonly fallback?: string;
}

export interface OpenRequest {
  /** The folder's path (its URI's path when `remote`). */
  readonly root: string;
  /** Read the folder through the extension host's workspace.fs (it is not on this machine's disk). */
  readonly remote?: boolean;
  readonly filter: FilterOptions;
  /** Most tokens the context may hold; 0 picks one from the measured speed. */
  readonly budgetTokens: number;
  readonly activePath?: string;
}

export interface CompletionRequest {
  /** Workspace-relative path with `/`, or a file name for files outside the workspace. */
  readonly path: string;
  readonly prefix: string;
  readonly suffix: string;
  /** Document offset of prefix[0] when the prefix is a window of the document (default 0). */
  readonly prefixOffset?: number;
  /** The cursor's line in the document, 0-based (default: the lines of `prefix`). */
  readonly line?: number;
  /** The in-window context block from other files (default true). */
  readonly useBlock?: boolean;
  readonly maxTokens: number;
  readonly lineBudgetMs: number;
  readonly deadlineMs: number;
  /** Candidate lines for the cursor's line (PipelineRequest.candidates); absent: the pipeline's choice. */
  readonly candidates?: number;
  /** Hold back a suggestion the model scores below this (PipelineRequest.minScore); absent: show every one. */
  readonly minScore?: MinScore;
}

/** A place to read the prompt of ahead of a completion there (the cursor came to rest): a completion request without its limits. */
export type ReadAheadRequest = Omit<CompletionRequest, 'maxTokens' | 'lineBudgetMs' | 'deadlineMs' | 'candidates' | 'minScore'>;

export interface ReadAheadResult {
  /** 'read': the prompt is read; 'stopped': a completion (or the next place) came first, what was read up to then is kept; 'skipped': a completion was running. */
  readonly outcome: 'read' | 'stopped' | 'skipped';
  /** Prompt tokens it ran (0: the prompt was read already). */
  readonly prefilled: number;
  readonly ms: number;
}

/** A read-ahead that ran, the host's or one the worker started itself (the state changed under the last place). */
export type ReadAheadReport = ReadAheadResult & { readonly path: string; readonly line: number };

export interface CompletionResult {
  /** What to show, after post-processing; undefined when nothing is worth showing. */
  readonly text: string | undefined;
  readonly raw: string;
  readonly generated: number;
  readonly prefilled: number;
  readonly contextTokens: number;
  readonly stopped: string;
  readonly ms: number;
  /** The in-window block the prompt held, least relevant first. */
  readonly block?: readonly ContextSnippet[];
  /** log p(the suggestion's first line), of the file's next line after it, and whether it was held back for them (PipelineResult). */
  readonly lineLogProb?: number;
  readonly nextLogProb?: number;
  /** The first line was judged by itself: the next line leaves the cursor's block (confidence.ts MinScore.leaving). */
  readonly leavesBlock?: true;
  /** The first line is the one the repository writes between copies of both neighbouring lines (rerank.ts): shown at every level. */
  readonly between?: true;
  readonly unsure?: boolean;
}

export interface ContextReport extends ContextDescription {
  /** Files the filter left out, with why (secret, gitignore, binary, too large, ...). */
  readonly skipped: readonly Skipped[];
  readonly budgetTokens: number;
  readonly root?: string;
  /** Bytes of the engine's GPU buffers now (weights, activations, states), and the most at once since it started; 0 on the CPU. */
  readonly gpuBytes: number;
  readonly peakGpuBytes: number;
  /** What the in-window block held for the last completion. */
  readonly lastBlock?: BlockReport;
}

/** A file change as the host reports it; `text` is unsaved editor content (absent: read the disk). */
export type { ChangeWithText };

/** What the extension host may ask the model worker, and what each answers. */
export interface Methods {
  load: { params: LoadRequest; result: EngineSummary };
  /** Checks a model folder (config, every tensor, tokenizer) without running it; throws what is wrong. A load of it next uses what it read. */
  validate: { params: { modelDir: string }; result: string };
  open: { params: OpenRequest; result: ContextReport };
  update: { params: { changes: ChangeWithText[] }; result: null };
  /** Drops the workspace context (indexing cancelled); completions go on without it. */
  close: { params: null; result: null };
  setActive: { params: { path?: string }; result: null };
  whenIdle: { params: null; result: null };
  complete: { params: CompletionRequest; result: CompletionResult };
  /** Prefills the prompt of a place ahead of a completion there; a completion aborts it. */
  readAhead: { params: ReadAheadRequest; result: ReadAheadResult };
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
  /** The workspace summary's parts, planned from the folder's files, over the budget too (undefined: none yet). */
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
  /** `key`: a notice the user may hide for good (the CPU fallback); without one it always shows. */
  | { readonly event: 'notice'; readonly data: string; readonly key?: NoticeKey }
  | { readonly event: 'log'; readonly data: string }
  /** The engine changed on its own (a lost GPU device replaced, perhaps by the CPU reference). */
  | { readonly event: 'engine'; readonly data: EngineSummary }
  | { readonly event: 'readAhead'; readonly data: ReadAheadReport }
  | { readonly event: 'assistText'; readonly data: { readonly id: number; readonly delta: string } }
  | { readonly event: 'assistSources'; readonly data: { readonly id: number; readonly sources: Source[] } }
  /** The worker asks the host to read the workspace through VS Code (a folder not on this disk). */
  | { readonly event: 'fs'; readonly data: FsRequest };

export type FsRequest = { readonly id: number; readonly op: 'list' | 'stat' | 'read'; readonly path: string };

/** The host's answer to an `fs` event. */
export type FsReply = { readonly fsReply: number; readonly result?: unknown; readonly error?: string };
