/**
 * One inline completion, top to bottom, as named stages:
 *   cache -> windows -> context block -> prompt pieces -> prefill or reuse -> generate -> later lines' confidence ->
 *   post-process -> first line's confidence -> cache
 * The model worker (src/worker/session.ts) and `samba eval` call it the same way; nothing here
 * knows about VS Code or the worker. Each stage is a function or a small class of its own, tested alone.
 */
import type { Engine } from '../engine/engine';
import { decoderState } from '../backend/decoder';
import type { Tokenizer } from '../model/tokenizer';
import type { ReadyState } from '../workspace/context';
import { blockPieces, blockTokens, type Snippet } from '../prompt/block';
import { cutSuffix, promptParts, windowStart, DEFAULT_LAYOUT, MAX_PREFIX_CHARS, type FimInput, type PromptLayout } from '../prompt/fim';
import { healerFor } from '../prompt/heal';
import { piecesToIds, text as textPiece, type Piece } from '../prompt/pieces';
import { CompletionCache } from './cache';
import { complete, type Completed, type Stopped } from './complete';
import { chooseMode, postprocess } from './postprocess';
import { completedLine, cutUnsureLines, firstLineSure, MIN_LATER_LINE_LOG_PROB, type MinScore } from './confidence';
import { languageOf } from '../code/language';
import { LEAVING_NEXT_WEIGHT, lineBelow, nextLeavesBlock, nextLineText } from './rerank';
import { followerCounts, pickFollowers, precederCounts, type Preceders } from './followers';
import { PromptSession, type PromptOptions, type PromptPieces } from './prompt';

/** A snippet of another file (or of a recent edit) in the in-window context block. */
/** The block's selection and what it is given: src/completion/context-block.ts owns both. */
import type { BlockRequest, ContextSnippet, RecentEdit as EditedRange, SnippetWhy } from './context-block';
export type { BlockRequest, ContextSnippet, EditedRange };

/** Chooses the block, least relevant first (buildContextBlock). */
export type SelectBlock = (req: BlockRequest) => ContextSnippet[];

export interface CompletionLimits {
  readonly maxTokens: number;
  /** Past this many ms, stop at the next newline. */
  readonly lineBudgetMs?: number;
  /** Hard stop: whatever exists at this many ms is returned. */
  readonly deadlineMs?: number;
}

export interface PipelineRequest {
  /** The workspace state; undefined runs without it (not ready yet, or eval setting (a)). */
  readonly workspace?: ReadyState;
  /** Workspace-relative path with `/`. */
  readonly path: string;
  /** Document text before and after the cursor (the editor sends windows of it). */
  readonly prefix: string;
  readonly suffix: string;
  /** Document offset of prefix[0] (0: the prefix starts the document). */
  readonly prefixOffset?: number;
  /** The cursor's line in the document, 0-based (default: the lines of `prefix`). */
  readonly line?: number;
  /** Texts of the workspace's files, for the block; absent: no block. */
  readonly files?: ReadonlyMap<string, string>;
  readonly recentEdits?: readonly EditedRange[];
  /** Put the in-window block before the prompt (default true when `files` is given). */
  readonly useBlock?: boolean;
  readonly limits: CompletionLimits;
  /**
   * Candidate lines for the cursor's line, chosen among by how likely the model finds the file's
   * next line under each (rerank.ts; prefix layout); 1: greedy. Default: autoCandidates.
   */
  readonly candidates?: number;
  /** A suggestion the model scores below this is held back (confidence.ts MIN_SCORE); absent: none is. */
  readonly minScore?: MinScore;
  readonly signal?: AbortSignal;
}

export interface PipelineResult {
  /** What to show, after post-processing; undefined when nothing is worth showing. */
  readonly text: string | undefined;
  readonly raw: string;
  /** Tokens this request ran through the model before generating (reused ones not counted). */
  readonly prefilled: number;
  readonly generated: number;
  readonly stopped: Stopped | 'cache';
  readonly ms: number;
  /** The block the prompt held, least relevant first. */
  readonly block: readonly ContextSnippet[];
  /** Tokens of the prompt after the workspace state (block included). */
  readonly promptTokens: number;
  /** Where `ms` went, by stage (for `samba eval`'s details and benches; absent from other completers). */
  readonly stageMs?: StageMs;
  /** The candidate lines scored, where the first line was chosen among them (for `samba eval`'s details). */
  readonly candidates?: Completed['candidates'];
  /** log p(the suggestion's first line) as complete() scored it (confidence.ts). */
  readonly lineLogProb?: number;
  /** complete()'s nextLogProb: how well the first line leads into the file's next line (confidence.ts). */
  readonly nextLogProb?: number;
  /** complete()'s leavesBlock: the first line is judged by itself (confidence.ts MinScore.leaving). */
  readonly leavesBlock?: true;
  /** complete()'s between: the first line is the one the repository writes between both neighbours, shown at every level. */
  readonly between?: true;
  /** The cursor's line as the suggestion completes it (confidence.ts FirstLine.line); absent where post-processing left nothing. */
  readonly line?: string;
  /** Where it may run over several lines: log p of each line of `raw` (complete()'s lineLogProbs). */
  readonly lineLogProbs?: readonly (number | undefined)[];
  /** Held back: the model was less sure of it than the request's minScore (`raw` still has it). */
  readonly unsure?: boolean;
}

/** Milliseconds per stage of one request; `block` and `prompt` are host work, `prefill` and `generate` the model's. */
export interface StageMs {
  readonly block: number;
  /** Windows and token ids of the prompt pieces. */
  readonly prompt: number;
  readonly prefill: number;
  /** The state moved to the decoder, the prompt's last token, generation. */
  readonly generate: number;
  readonly postprocess: number;
}

/** What the in-window block held for the last completion ("Show Workspace Context"). */
export interface BlockReport {
  /** The file completed in, and the cursor's line (0-based). */
  readonly path: string;
  readonly line: number;
  /** Date.now() of the request. */
  readonly at: number;
  /** Whether the request could have a block (the setting on, the other files' texts at hand). */
  readonly enabled: boolean;
  /** Tokens of the block in the prompt, and of the whole prompt after the workspace state. */
  readonly tokens: number;
  readonly promptTokens: number;
  /** Least relevant first, as in the prompt; tokens each, headers included. */
  readonly snippets: readonly (Omit<ContextSnippet, 'text'> & { readonly tokens: number })[];
}

export interface PipelineOptions extends PromptOptions {
  readonly selectBlock?: SelectBlock;
  /** Token budget of the block (default autoBlockTokens). */
  readonly blockTokens?: number;
  /** The block is rebuilt when the cursor is this many lines from where it was built. */
  readonly blockLines?: number;
  /** A new line's continuations replace the kept block (BlockKeeper; default on a GPU). */
  readonly blockFollowsLine?: boolean;
  /** The block's similar windows include the current file's own (BlockRequest.sameFile; default on a GPU). */
  readonly blockSameFile?: boolean;
  /** The prompt's window of the file before the cursor's line, in characters (default autoPrefixChars). */
  readonly maxPrefixChars?: number;
  /** Remember recent suggestions (off for evaluations that compare settings on the same targets). */
  readonly cache?: boolean;
  /** Token ids of the prompt pieces, shared by pipelines that see the same documents (`samba eval`'s settings). */
  readonly encoder?: PromptEncoder;
  /** The prompt's layout after the block (src/prompt/fim.ts; default DEFAULT_LAYOUT). */
  readonly layout?: PromptLayout;
  /** A suggestion may run over several lines where a block is opened or empty (chooseMode; default autoSeveralLines). */
  readonly severalLines?: boolean;
}

const BLOCK_REBUILD_LINES = 100;
/** autoPrefixChars on the CPU. */
const CPU_PREFIX_CHARS = 3000;
/** A move of the cursor's line start by more than this many characters between two requests is a jump to another place (PrefixWindows). */
const JUMP_CHARS = 1000;
/** A read-ahead's prefill chunks: a completion that arrives meanwhile waits for at most one (about 0.25 s on a 2-core CPU). */
const READ_AHEAD_CHUNK = 128;
/** Tokens of one candidate line at most when reranking. */
const RERANK_LINE_TOKENS = 48;
/**
 * Of 3 or more candidates, how many branch the greedy line where it was least sure instead of
 * trying another first token (H200, 4 candidates, 1,400 targets: exact +1.3 (a), +0.6 (c)).
 */
const RERANK_BRANCHES = 1;

/**
 * Candidate lines when a request names none: 4 where the model runs on a GPU (H200, 1,400 held-out
 * lines: exact +2.1 to +2.4 points, edit similarity +2.8 to +3.3; a fresh line 67-75 ms against
 * 24-33 greedy), 2 on the CPU, where each candidate costs about as much as the greedy line itself
 * (2-core machine, 300 lines: exact +2.0, edit similarity +2.0; a fresh line 709 ms against 615;
 * 4 there doubled the wait). bench/RESULTS.md.
 */
export function autoCandidates(engine: Engine, decoder: Engine | undefined): number {
  return onGpu(engine, decoder) ? 4 : 2;
}

/**
 * The block's token budget when a request names none: 2,048 on a GPU, where the model copies what
 * a larger block shows (H200, 1,381 held-out lines, setting c: exact +1.2 points over 512, +0.9 at
 * 1,300), 512 on the CPU, which reads about 750-920 tokens/s (2-core machine), so 1,500 tokens more
 * would be about 2 s more at a new place (estimated from that rate). bench/RESULTS.md.
 */
export function autoBlockTokens(engine: Engine, decoder: Engine | undefined): number {
  return onGpu(engine, decoder) ? 2048 : 512;
}

/**
 * The prompt's window of the file before the cursor's line when a request names none: 6,000
 * characters on a GPU, 3,000 on the CPU, where each prompt token read at a new place is about a
 * millisecond (2-core machine, 400 lines of json5, email, cxxopts and smallvec side by side: 101
 * exact in both, a line that reads its whole prompt 2.1 s p50 against 3.0). bench/RESULTS.md.
 */
export function autoPrefixChars(engine: Engine, decoder: Engine | undefined): number {
  return onGpu(engine, decoder) ? MAX_PREFIX_CHARS : CPU_PREFIX_CHARS;
}

/**
 * Whether a suggestion may run over several lines (a new body after its opener) when a request
 * says nothing: on a GPU, not on the CPU. There the later lines cost what the first does again: at 14
 * body starts of cenkalti/backoff and semver (2-core machine, the prompt read first, the extension's
 * limits) 554 ms p50 against 155 ms for one line, the same 5 suggestions shown with the same first
 * lines; and with this model a new body's later lines are nearly always wrong (stop 33: 6 and 9 right
 * of 77 and 66 shown). bench/RESULTS.md, stop 62.
 */
export function autoSeveralLines(engine: Engine, decoder: Engine | undefined): boolean {
  return onGpu(engine, decoder);
}

/** A hardware GPU runs the model (a software adapter comes with a CPU decoder: backend/decoder.ts). */
const onGpu = (engine: Engine, decoder: Engine | undefined) => engine.backend === 'gpu' && !decoder;

export class CompletionPipeline {
  private readonly prompts: PromptSession;
  private readonly encoder: PromptEncoder;
  private readonly windows: PrefixWindows;
  private readonly blocks: BlockKeeper | undefined;
  private readonly cache: CompletionCache | undefined;
  private readonly repositoryLines = new RepositoryLines();
  private last: { path: string; line: number; at: number; enabled: boolean; block: readonly ContextSnippet[]; promptTokens: number } | undefined;
  /** One function for the pipeline's life: the block's index keeps the counts it made with it. */
  private readonly countTokens = (s: string) => this.tokenizer.encode(s).length;

  /**
   * `engine` runs the prompt; `decoder`, when given, takes the state over and generates (a software
   * GPU adapter decodes slower than the CPU reference: backend/decoder.ts).
   */
  constructor(
    private readonly engine: Engine,
    private readonly decoder: Engine | undefined,
    private readonly tokenizer: Tokenizer,
    private readonly options: PipelineOptions = {},
  ) {
    this.prompts = new PromptSession(engine, tokenizer, options);
    this.encoder = options.encoder ?? new PromptEncoder(tokenizer);
    const prefixChars = options.maxPrefixChars ?? autoPrefixChars(engine, decoder);
    this.windows = new PrefixWindows(prefixChars);
    this.blocks = options.selectBlock && new BlockKeeper(options.selectBlock, {
      rebuildLines: options.blockLines ?? BLOCK_REBUILD_LINES,
      followLine: options.blockFollowsLine ?? onGpu(engine, decoder),
      sameFile: options.blockSameFile ?? onGpu(engine, decoder),
      prefixChars,
    });
    this.cache = options.cache === false ? undefined : new CompletionCache();
  }

  private get layout(): PromptLayout {
    return this.options.layout ?? DEFAULT_LAYOUT;
  }

  private healer() {
    return healerFor(this.tokenizer, this.engine.model.config.vocabSize);
  }

  /**
   * lineHead's end healed (src/prompt/heal.ts): trailing whitespace (in the prefix layout, with the
   * line's newline and blank lines before it) encoded as a file's is before text, or a word being
   * typed taken off to be spelled again by the model.
   */
  private heal(pieces: PromptPieces): { pieces: PromptPieces; healed: string; needsText: boolean } {
    // Only lineHead's tokens change: the file's head always stays for the model to run.
    const h = this.healer().heal(pieces.lineHead);
    return { pieces: { ...pieces, lineHead: h.tokens }, healed: h.healed, needsText: h.needsText };
  }

  /** Tokens prefilled over the pipeline's life. */
  get prefilledTokens(): number {
    return this.prompts.prefilledTokens;
  }

  async complete(req: PipelineRequest): Promise<PipelineResult> {
    const t0 = performance.now();
    req.signal?.throwIfAborted();
    const useBlock = req.useBlock !== false && req.files !== undefined && this.blocks !== undefined;
    // A suggestion remembered under one confidence level is not shown under another.
    const cacheKey = `${req.path}\0${req.workspace?.version ?? '-'}\0${useBlock}\0${req.minScore ? `${req.minScore.line}/${req.minScore.withNext}` : ''}`;

    // 1. Cache: the same request, or one typed into the suggestion just shown, needs no model.
    const cached = this.cache?.get(cacheKey, req.prefix, req.suffix);
    if (cached !== undefined) {
      const block = useBlock ? this.blocks!.kept(req.path) : [];
      const ms = performance.now() - t0;
      return { text: cached, raw: cached, prefilled: 0, generated: 0, stopped: 'cache', ms, block, promptTokens: 0, stageMs: { block: 0, prompt: 0, prefill: 0, generate: 0, postprocess: 0 } };
    }
    const clock = stageClock();
    const { fim, block, heal, prepared, windowsMs, blockMs, promptMs } = await this.preparePrompt(req, useBlock, clock);
    const prefillMs = clock();

    // 6. Generate, on the decoder when there is one (it takes the state over before the last token).
    // One line or several (post-processing's rule): where several may be shown, each is scored.
    const mode = (this.options.severalLines ?? autoSeveralLines(this.engine, this.decoder)) ? chooseMode(req.prefix, req.suffix) : 'single';
    const language = languageOf(req.path);
    let state = prepared.state;
    let out: Completed;
    try {
      state = await decoderState(this.engine, this.decoder, prepared.state);
      const candidates = req.candidates ?? autoCandidates(this.engine, this.decoder);
      const next = this.layout === 'prefix' && candidates > 1 ? nextLineText(req.suffix) : undefined;
      out = await complete(this.decoder ?? this.engine, this.tokenizer, { state, last: prepared.last }, {
        ...req.limits,
        signal: req.signal,
        heal: heal.healed || heal.needsText ? { text: heal.healed, healer: this.healer(), content: heal.needsText } : undefined,
        scoreLines: mode === 'multi' ? 'all' : 'first',
        oneLine: mode === 'single',
        rerank: next === undefined ? undefined : { candidates, next, maxLineTokens: RERANK_LINE_TOKENS, branches: candidates >= 3 ? RERANK_BRANCHES : 0, ...this.repositoryLines.get(req, fim.lineHead, useBlock), lineHead: lineBeforeHealed(fim.lineHead, heal.healed), above: fim.linesBefore, below: req.suffix, language, nextWeight: nextLeavesBlock(req.prefix, req.suffix) ? LEAVING_NEXT_WEIGHT : 1 },
      });
    } finally {
      if (state !== prepared.state) this.decoder!.release(state);
      this.engine.release(prepared.state);
    }
    const generateMs = clock();

    // 7. Confidence, later lines: a suggestion asked with a least score ends before the first later line the model is unsure of.
    const sure = req.minScore === undefined ? out.text : cutUnsureLines(out.text, out.lineLogProbs, Math.max(req.minScore.line, MIN_LATER_LINE_LOG_PROB));

    // 8. Post-process: cut, balance, indent, drop what repeats itself or is not worth a Tab.
    const aborted = req.signal?.aborted === true;
    const shown = aborted ? undefined : postprocess({ completion: sure, prefix: req.prefix, suffix: req.suffix, mode, language });

    // 9. Confidence, the first line: a suggestion the model itself finds unlikely is more often wrong than right; held back.
    const line = shown === undefined ? undefined : completedLine(req.prefix, shown);
    const unsure = line !== undefined && req.minScore !== undefined && !firstLineSure({ ...out, line }, req.minScore);
    const text = unsure ? undefined : shown;

    // 10. Cache what was shown.
    if (text !== undefined) this.cache?.set(cacheKey, req.prefix, req.suffix, text);
    this.last = { path: req.path, line: req.line ?? countLines(req.prefix), at: Date.now(), enabled: useBlock, block, promptTokens: prepared.promptTokens };
    return {
      text,
      raw: out.text,
      prefilled: prepared.prefilled + 1, // and the prompt's last token
      generated: out.tokens,
      stopped: out.stopped,
      ms: performance.now() - t0,
      block,
      promptTokens: prepared.promptTokens,
      stageMs: { block: blockMs, prompt: windowsMs + promptMs, prefill: prefillMs, generate: generateMs, postprocess: clock() },
      candidates: out.candidates,
      ...(out.lineLogProb !== undefined ? { lineLogProb: out.lineLogProb } : {}),
      ...(out.nextLogProb !== undefined ? { nextLogProb: out.nextLogProb } : {}),
      ...(out.leavesBlock ? { leavesBlock: out.leavesBlock } : {}),
      ...(out.between ? { between: out.between } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(out.lineLogProbs ? { lineLogProbs: out.lineLogProbs } : {}),
      ...(unsure ? { unsure } : {}),
    };
  }

  /**
   * Reads a request's prompt ahead, without generating: what a completion there would prefill is
   * prefilled now, so the first suggestion at a new place reuses it (stages 2-5; on a CPU a new
   * place's prompt is seconds of prefill). Aborting it keeps what it read up to its last snapshot.
   */
  async readAhead(req: Omit<PipelineRequest, 'limits' | 'candidates'>): Promise<{ prefilled: number; promptTokens: number; ms: number }> {
    const t0 = performance.now();
    req.signal?.throwIfAborted();
    const useBlock = req.useBlock !== false && req.files !== undefined && this.blocks !== undefined;
    const { prepared } = await this.preparePrompt(req, useBlock, stageClock(), READ_AHEAD_CHUNK);
    this.engine.release(prepared.state);
    return { prefilled: prepared.prefilled, promptTokens: prepared.promptTokens, ms: performance.now() - t0 };
  }

  /** Stages 2-5: windows, block, prompt pieces (healed), then the prefill of what the last prompt does not share. */
  private async preparePrompt(req: Omit<PipelineRequest, 'limits' | 'candidates'>, useBlock: boolean, clock: () => number, chunkTokens?: number) {
    // 2. Windows: linesBefore, lineHead and suffix around the cursor.
    const fim = this.windows.cut(req.path, req.prefix, req.suffix, req.prefixOffset ?? 0);
    const windowsMs = clock();

    // 3. Context block: kept per file, rebuilt on a move to another region (never per keystroke).
    const block = useBlock ? this.blocks!.get(req, this.countTokens, this.options.blockTokens ?? autoBlockTokens(this.engine, this.decoder)) : [];
    const blockMs = clock();

    // 4. Prompt pieces, in layout order; the line's end healed (whitespace as before text, a word being typed spelled again).
    const pieces = this.encoder.pieces(block, fim, this.layout);
    const heal = this.layout === 'prefix' ? this.heal(pieces) : { pieces, healed: '', needsText: false };
    const promptMs = clock();

    // 5. Prefill or reuse: only what follows the longest prefix shared with the last prompt runs.
    const prepared = await this.prompts.prepare({ workspace: req.workspace, pieces: heal.pieces, signal: req.signal, chunkTokens });
    return { fim, block, heal, prepared, windowsMs, blockMs, promptMs };
  }

  /** What the block held for the last request the model ran (a suggestion from the cache changes nothing), or undefined before any. */
  lastBlock(): BlockReport | undefined {
    const l = this.last;
    if (!l) return undefined;
    const snippets = l.block.map(({ text: _text, ...s }, i) => ({ ...s, tokens: blockTokens(this.tokenizer, [l.block[i]]).length }));
    return { path: l.path, line: l.line, at: l.at, enabled: l.enabled, tokens: snippets.reduce((n, s) => n + s.tokens, 0), promptTokens: l.promptTokens, snippets };
  }

  /**
   * Forgets the kept blocks: the next request chooses its block for its own cursor, as on arrival
   * from elsewhere. The prompt state stays, so whatever the new prompt shares with the last is reused.
   */
  forgetBlocks(): void {
    this.blocks?.clear();
  }

  /** Forgets reusable state (the engine or the model changed). */
  reset(): void {
    this.last = undefined;
    this.prompts.reset();
    this.blocks?.clear();
    this.cache?.clear();
  }
}

/** Of the lines the repository writes after the line above the cursor, and of those it writes before the line below, each offered as candidates at most (followers.ts). */
const REPOSITORY_LINES = 2;

/**
 * The lines the repository offers for the cursor's line (followers.ts), past what it holds before the
 * cursor: from the document around the cursor and, with the block's files, the other files; and
 * `between`, the line it writes between copies of both the line above and the line below, where it
 * writes only one there (rerank.ts keeps it). The search is kept while the cursor stays on its line
 * with the same text around it and the same workspace version (typing there only narrows what it found).
 */
class RepositoryLines {
  private last: { key: string; files: ReadonlyMap<string, string> | undefined; following: Map<string, number>; preceding: Preceders } | undefined;

  get(req: PipelineRequest, lineHead: string, withFiles: boolean): { lines: string[]; between?: string } {
    const lineStart = req.prefix.lastIndexOf('\n') + 1;
    const before = req.prefix.slice(0, lineStart);
    const above = before.trimEnd().slice(before.trimEnd().lastIndexOf('\n') + 1);
    const after = req.suffix.indexOf('\n') < 0 ? '' : req.suffix.slice(req.suffix.indexOf('\n') + 1);
    const files = withFiles ? req.files : undefined;
    const key = `${req.path}\0${req.workspace?.version ?? '-'}\0${before}\0${after}`;
    if (this.last?.key !== key || this.last.files !== files) {
      const texts = [before, after];
      if (files) for (const [path, text] of files) if (path !== req.path) texts.push(text);
      this.last = { key, files, following: followerCounts(above, texts), preceding: precederCounts(above, lineBelow(req.suffix) ?? '', texts) };
    }
    const typed = lineHead.trimStart();
    const between = pickFollowers(this.last.preceding.between, typed, 2);
    const only = between.length === 1 ? between[0] : undefined;
    const following = pickFollowers(this.last.following, typed, REPOSITORY_LINES);
    const preceding = pickFollowers(this.last.preceding.counts, typed, REPOSITORY_LINES + following.length).filter((line) => !following.includes(line)).slice(0, REPOSITORY_LINES);
    return { lines: [...following, ...preceding].map((line) => line.slice(typed.length)), ...(only !== undefined ? { between: only.slice(typed.length) } : {}) };
  }
}

/** The prompt after the workspace state: the block, then the FIM parts (src/prompt/fim.ts). */
export function promptPieces(tokenizer: Tokenizer, block: readonly Snippet[], fim: FimInput, layout: PromptLayout = DEFAULT_LAYOUT): PromptPieces {
  return new PromptEncoder(tokenizer).pieces(block, fim, layout);
}

/**
 * The prompt pieces stage, as ids. Long text pieces (linesBefore, the suffix, the block's snippets)
 * stay the same from one keystroke to the next: their ids are remembered, so typing encodes only lineHead.
 */
export class PromptEncoder {
  private readonly memo = new Map<string, number[]>();

  constructor(private readonly tokenizer: Tokenizer) {}

  pieces(block: readonly Snippet[], fim: FimInput, layout: PromptLayout = DEFAULT_LAYOUT): PromptPieces {
    const p = promptParts(layout, fim);
    return {
      head: [...this.ids(blockPieces(block)), ...this.ids(p.head)],
      linesBefore: this.ids(textPiece(p.linesBefore)),
      tail: this.ids(p.tail),
      lineHead: this.ids(textPiece(p.lineHead)),
    };
  }

  private ids(pieces: readonly Piece[]): number[] {
    const out: number[] = [];
    for (const p of pieces) {
      if (p[0] === 'special' || p[1].length < 64) {
        out.push(...piecesToIds(this.tokenizer, [p]));
        continue;
      }
      let ids = this.memo.get(p[1]);
      if (!ids) {
        ids = piecesToIds(this.tokenizer, [p]);
        if (this.memo.size >= 64) this.memo.delete(this.memo.keys().next().value!);
      } else this.memo.delete(p[1]);
      this.memo.set(p[1], ids);
      out.push(...ids);
    }
    return out;
  }
}

/**
 * The windows stage. linesBefore's window start is kept per file as a document offset, so it stays
 * put while the user types (src/prompt/fim.ts windowStart) even though the editor's prefix window
 * moves with the cursor.
 */
export class PrefixWindows {
  /** Per file: where the window starts and the cursor's line started, as document offsets. */
  private readonly starts = new Map<string, { start: number; line: number }>();

  constructor(private readonly maxPrefixChars = MAX_PREFIX_CHARS) {}

  /** `prefixOffset`: document offset of prefix[0]. */
  cut(path: string, prefix: string, suffix: string, prefixOffset = 0): FimInput {
    const lineStart = prefix.lastIndexOf('\n') + 1;
    const lines = prefix.slice(0, lineStart);
    const prev = this.starts.get(path);
    // A start at the prefix's first character is a line start only where the prefix starts the document.
    // After a jump, a start kept from the old place must leave the new one a whole window, as a new cut
    // does: one that left less was cut again a few lines later, and the prompt read again from there
    // (2,619 tokens, 4.4 s on the 2-core machine's CPU, a line after a jump of 310 lines).
    const jumped = prev !== undefined && Math.abs(prefixOffset + lineStart - prev.line) > JUMP_CHARS;
    let local = prev === undefined || prev.start < prefixOffset || (prev.start === prefixOffset && prefixOffset > 0) ? undefined : prev.start - prefixOffset;
    if (local !== undefined && jumped && lines.length - local > this.maxPrefixChars) local = undefined;
    let start = windowStart(lines, local, this.maxPrefixChars);
    // The editor's prefix may begin mid-line: the window starts after that line's end.
    if (start === 0 && prefixOffset > 0) start = Math.min(lineStart, lines.indexOf('\n') + 1);
    this.starts.delete(path);
    this.starts.set(path, { start: prefixOffset + start, line: prefixOffset + lineStart });
    if (this.starts.size > 64) this.starts.delete(this.starts.keys().next().value!);
    return { path, linesBefore: lines.slice(start), lineHead: prefix.slice(lineStart), suffix: cutSuffix(suffix) };
  }
}

interface KeptBlock {
  /** Where it was chosen, and the line of the last request that kept it. */
  readonly line: number;
  at: number;
  readonly snippets: ContextSnippet[];
  /** With followLine: the continuations alone for the line it was chosen at (continuationsOf). */
  readonly continuations: string;
  readonly others: { count: number; chars: number };
  /** The recent edits of other files it was chosen with (editsElsewhere). */
  readonly edits: string;
}

/**
 * The recent edits of files other than `path`, as a key: a function written in another file since
 * the block was chosen belongs in it (an appended one changes no snippet and few characters), while
 * typing in `path` itself (whose edits the block leaves out) keeps it.
 */
function editsElsewhere(edits: readonly EditedRange[] | undefined, path: string): string {
  return (edits ?? []).filter((e) => e.path !== path).map((e) => `${e.path}:${e.startLine}-${e.endLine}`).join('|');
}

/**
 * The context block stage: one block per file, rebuilt only when the cursor moves `rebuildLines`
 * from where it was built, another file was edited since (editsElsewhere), or the other files changed
 * substantially (a file came or went, their size changed by more than 5%, or a snippet's file no
 * longer holds its text at its lines). Typing keeps the
 * block, so the prompt's head stays the same and typing costs only the new tokens.
 * With `followLine` (on a GPU, where a prompt with a new block prefilled in 61-68 ms per target in
 * `samba eval` on a shared H200, against seconds on the CPU), a request on another line
 * looks up its continuations alone, and chooses a new block where they differ from the kept
 * block's: they follow the line above the cursor, which changes with every line the user writes.
 */
export class BlockKeeper {
  private readonly byPath = new Map<string, KeptBlock>();

  /** `prefixChars`: the prompt's window of the file (BlockRequest.prefixChars). */
  constructor(
    private readonly select: SelectBlock,
    private readonly o: { readonly rebuildLines: number; readonly followLine: boolean; readonly sameFile: boolean; readonly prefixChars: number },
  ) {}

  get(req: Pick<PipelineRequest, 'path' | 'prefix' | 'suffix' | 'line' | 'files' | 'recentEdits'>, countTokens: (s: string) => number, budgetTokens: number): ContextSnippet[] {
    const files = req.files!;
    const cursorLine = countLines(req.prefix);
    const line = req.line ?? cursorLine;
    const others = summarize(files, req.path);
    const kept = this.byPath.get(req.path);
    const choose = (sources?: SnippetWhy[]) => this.select({ path: req.path, text: req.prefix + req.suffix, cursorLine, firstLine: line - cursorLine, sameFile: this.o.sameFile, prefixChars: this.o.prefixChars, files, recentEdits: req.recentEdits, budgetTokens, countTokens, sources });
    const edits = editsElsewhere(req.recentEdits, req.path);
    const keep = kept && Math.abs(line - kept.line) <= this.o.rebuildLines && kept.edits === edits && !changed(kept, others, files, req.path) ? kept : undefined;
    if (keep && (!this.o.followLine || line === keep.at)) return keep.snippets;
    // The continuations alone are a line scan; the whole block is chosen only when they move.
    const continuations = this.o.followLine ? continuationsOf(choose(['continuation'])) : '';
    if (keep && continuations === keep.continuations) {
      keep.at = line;
      return keep.snippets;
    }
    const snippets = choose();
    this.byPath.delete(req.path);
    this.byPath.set(req.path, { line, at: line, snippets, others, continuations, edits });
    if (this.byPath.size > 32) this.byPath.delete(this.byPath.keys().next().value!);
    return snippets;
  }

  /** The block last used for `path`, if any. */
  kept(path: string): ContextSnippet[] {
    return this.byPath.get(path)?.snippets ?? [];
  }

  clear(): void {
    this.byPath.clear();
  }
}

/** The cursor's line before the text healing took off the prompt (the candidates spell it again); undefined if it does not end the line. */
function lineBeforeHealed(lineHead: string, healed: string): string | undefined {
  return lineHead.endsWith(healed) ? lineHead.slice(0, lineHead.length - healed.length) : undefined;
}

/** Each call: the ms since the previous call (or the clock's start). */
function stageClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    return ms;
  };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function summarize(files: ReadonlyMap<string, string>, path: string): { count: number; chars: number } {
  let count = 0;
  let chars = 0;
  for (const [p, t] of files) {
    if (p === path) continue;
    count++;
    chars += t.length;
  }
  return { count, chars };
}

/** A block's continuation snippets, as one comparable string. */
function continuationsOf(snippets: readonly ContextSnippet[]): string {
  return snippets.filter((s) => s.why === 'continuation').map((s) => `${s.path}:${s.startLine}-${s.endLine}`).join(' ');
}

function changed(kept: KeptBlock, now: { count: number; chars: number }, files: ReadonlyMap<string, string>, path: string): boolean {
  if (now.count !== kept.others.count) return true;
  if (now.chars === kept.others.chars) return false;
  if (Math.abs(now.chars - kept.others.chars) > 0.05 * Math.max(1, kept.others.chars)) return true;
  return kept.snippets.some((s) => s.path !== path && !holds(files.get(s.path), s));
}

/** Whether `text` still has the snippet's text at its lines. */
function holds(text: string | undefined, s: Snippet): boolean {
  if (text === undefined) return false;
  const lines = text.split('\n').slice(s.startLine - 1, s.endLine).join('\n');
  return lines.trimEnd() === s.text.trimEnd();
}
