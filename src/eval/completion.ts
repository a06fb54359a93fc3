import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Engine } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { WorkspaceFilter, type FilterOptions } from '../workspace/filter';
import { loadWorkspaceFiles, type LoadedFile } from '../workspace/load';
import { orderFiles } from '../workspace/order';
import { searchedTexts } from '../workspace/files';
import { WorkspaceContext, type ReadyState } from '../workspace/context';
import { SnapshotStore } from '../workspace/snapshot-store';
import { CompletionPipeline, PromptEncoder, type EditedRange, type PipelineResult, type StageMs } from '../completion/pipeline';
import { buildContextBlock, type ContextSnippet } from '../completion/context-block';
import { DefinitionIndex, identifierMatch, proseLines } from './identifiers';
import { findDefinitions } from '../code/definitions';
import { scanLines } from '../code/shape';
import { languageOf, type Language } from '../code/language';
import { isEligibleLine } from './nextline';
import { REQUEST_AFTER_CHARS, REQUEST_BEFORE_CHARS, type PromptLayout } from '../prompt/fim';
import { editSimilarity, exactMatch, hashString, sampleIndices } from './stats';

/**
 * `samba eval` on the extension's completion path: the cursor at the start of a line (after its
 * indentation), the file before it as the prefix, the rest of the file as the suffix, and the
 * request the inline provider sends, in three settings on the same targets:
 *   a: the current file only (no workspace state);
 *   b: plus the workspace state, built as the extension builds it (filter, order, budget; the
 *      target's file is the active file, so it is in the prompt and out of the state);
 *   c: plus the state and the in-window context block.
 */
export type Setting = 'a' | 'b' | 'c';
export const SETTINGS: readonly Setting[] = ['a', 'b', 'c'];
export const SETTING_NAMES: Record<Setting, string> = { a: 'current file', b: '+ workspace state', c: '+ state + block' };

export interface CompletionTarget {
  readonly repo: string;
  readonly path: string;
  /** 0-based line number. */
  readonly line: number;
  readonly language: Language;
  /** The document before the cursor: the file up to the line, then the line's indentation. */
  readonly prefix: string;
  /** The document after the cursor: the line's newline and every line after it (the extension's windows cut it). */
  readonly suffix: string;
  /** The true line, without its newline. */
  readonly truth: string;
  /** The line before the cursor: its indentation (and, with --typed, what was typed after it). */
  readonly indent: string;
  /** Inside a block comment or docstring: never counted as using another file's definitions. */
  readonly prose: boolean;
}

/** Every eligible line (isEligibleLine) of every source file of the four languages, in path and line order. */
export function completionTargets(repo: string, files: readonly { path: string; text: string }[]): CompletionTarget[] {
  const out: CompletionTarget[] = [];
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const language = languageOf(f.path);
    if (language === 'other') continue;
    let start = 0;
    const lines = f.text.split('\n');
    const prose = proseLines(f.text, language);
    lines.forEach((raw, line) => {
      const end = start + raw.length;
      const truth = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (isEligibleLine(truth)) {
        const indent = /^[ \t]*/.exec(truth)![0];
        out.push({ repo, path: f.path, line, language, prefix: f.text.slice(0, start) + indent, suffix: f.text.slice(end), truth, indent, prose: prose[line] });
      }
      start = end + 1;
    });
  }
  return out;
}

/** `n` targets drawn without replacement, the same for the same repository contents, n and seed. */
export function sampleCompletionTargets(repo: string, files: readonly { path: string; text: string }[], n: number, seed: number): CompletionTarget[] {
  const all = completionTargets(repo, files);
  return sampleIndices(all.length, n, (seed ^ hashString(repo)) >>> 0).map((i) => all[i]);
}

/**
 * The target with the first `n` characters of its text typed before the request (a word being
 * typed); a line with no more than `n` characters after its indentation stays as it is.
 */
export function typedTarget(t: CompletionTarget, n: number): CompletionTarget {
  const text = t.truth.slice(t.indent.length);
  if (n <= 0 || text.length <= n) return t;
  const typed = text.slice(0, n);
  return { ...t, prefix: t.prefix + typed, indent: t.indent + typed };
}

/**
 * The target as a user writing its function or method from the top meets it: the document after the
 * cursor holds, instead of the rest of the definition, only the closers the editor's auto-closing
 * left for the blocks open at the cursor (`}`, `})`: the leading closers of the lines that close
 * them), then the file after the definition. Python has none: the file after the definition follows.
 * The prompt (the file up to the cursor) is the same; what changes is what the completion path reads
 * after the cursor (the next line it scores candidates by, the repository's lines, post-processing).
 * Undefined for a line outside a function's body (the outermost function or method holding it).
 */
export function writingTarget(t: CompletionTarget, text: string): CompletionTarget | undefined {
  const lines = text.split('\n');
  const defs = findDefinitions(text, t.language).filter((d) => d.kind !== 'class' && d.line - 1 < t.line && t.line < d.endLine - 1);
  const outer = defs.find((d) => !defs.some((o) => o !== d && o.line < d.line && d.endLine <= o.endLine));
  if (!outer) return undefined;
  const end = outer.endLine - 1;
  const closers: string[] = [];
  if (t.language !== 'python') {
    const shape = scanLines(lines, t.language);
    // Each level open at the cursor, innermost first, is closed by the first line below it where the depth drops below it.
    let j = t.line + 1;
    let last = -1;
    for (let level = shape.depthStart[t.line]; level > shape.depthStart[outer.line - 1]; level--) {
      while (j <= end && shape.depthEnd[j] >= level) j++;
      if (j > end) break;
      const closer = /^([ \t]*)([)\]}]+)/.exec(lines[j]);
      if (closer && j !== last) closers.push(closer[1] + closer[2]);
      last = j;
    }
  }
  const suffix = ['', ...closers, ...lines.slice(end + 1)].join('\n');
  return { ...t, suffix };
}

/** The workspace state for one active file, and the text the block searches (RepoWorkspace.searched). */
export interface TargetWorkspace {
  readonly ready: ReadyState;
  readonly files: ReadonlyMap<string, string>;
  /** Paths in the state, in stream order. */
  readonly paths: readonly string[];
}

/**
 * A repository read as the extension reads a workspace folder (src/workspace/load.ts: its filter,
 * tokens and order), and the context the extension builds with one file active. States at file
 * boundaries persist in a store (as the extension's do), so the next active file re-runs only the
 * files after the shared beginning of the two orders.
 */
export class RepoWorkspace {
  private constructor(
    readonly name: string,
    readonly root: string,
    /** Every readable file, in the extension's stream order, with no budget and no active file. */
    readonly files: readonly LoadedFile[],
    private readonly engine: Engine,
    private readonly tokenizer: Tokenizer,
    private readonly budgetTokens: number,
    private readonly storeDir: string,
  ) {}

  static async open(root: string, engine: Engine, tokenizer: Tokenizer, o: { budgetTokens?: number; filter?: FilterOptions; name?: string } = {}): Promise<RepoWorkspace> {
    const abs = path.resolve(root);
    const loaded = await loadWorkspaceFiles(new WorkspaceFilter(abs, o.filter), tokenizer);
    const store = mkdtempSync(path.join(tmpdir(), 'samba-eval-states-'));
    return new RepoWorkspace(o.name ?? path.basename(abs), abs, loaded.files, engine, tokenizer, o.budgetTokens && o.budgetTokens > 0 ? o.budgetTokens : Infinity, store);
  }

  /** The extension's order of the files with `activePath` active: what the budget keeps, and what it drops. */
  private ordered(activePath: string) {
    return orderFiles(this.files, { activePath, budgetTokens: Number.isFinite(this.budgetTokens) ? this.budgetTokens : undefined });
  }

  /** What loadWorkspaceFiles keeps with `activePath` active under the budget. */
  contextFor(activePath: string): LoadedFile[] {
    // The target's file is being edited: in the extension it has left the chain for the prompt
    // (workspace/context.ts), and here its text holds the answer.
    return this.ordered(activePath).files.filter((f) => f.path !== activePath);
  }

  /** The text the worker searches with `activePath` active (src/workspace/files.ts: the context's files, then those over its budget). */
  searched(activePath: string): Map<string, string> {
    return searchedTexts(this.ordered(activePath), new Map(this.files.map((f) => [f.path, f.text])));
  }

  /** Builds the context with `activePath` active; dispose() it when its targets are done. */
  async open(activePath: string): Promise<TargetWorkspace & { context: WorkspaceContext; dispose(): void }> {
    const files = this.contextFor(activePath);
    const texts = new Map(files.map((f) => [f.path, f.text]));
    // What the block searches: as the worker's, minus the target's file (its text holds the answer; the block passes over the current file anyway).
    const searched = this.searched(activePath);
    searched.delete(activePath);
    const c = this.engine.model.config;
    const full = c.mixers.includes('attention') && !Number.isFinite(c.window);
    const total = files.reduce((n, f) => n + f.tokenCount, 0);
    const context = new WorkspaceContext({
      engine: this.engine,
      tokenizer: this.tokenizer,
      store: new SnapshotStore(this.storeDir, this.engine.model),
      read: async (p) => texts.get(p),
      budgetTokens: Number.isFinite(this.budgetTokens) ? this.budgetTokens : undefined,
      // As the worker sizes it: full attention keeps a slot per context token, plus the prompt's.
      capacity: full ? total + 8192 : undefined,
      activePath,
    });
    await context.open(files);
    const ready = context.ready();
    if (!ready) throw new Error(`the workspace context of ${this.name} did not become ready`);
    return { ready, files: searched, paths: files.map((f) => f.path), context, dispose: () => context.dispose() };
  }

  /** Position of a file in the stream order (for visiting active files so that states are reused). */
  orderOf(p: string): number {
    return this.files.findIndex((f) => f.path === p);
  }

  close(): void {
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

export interface EvalCompletion {
  /** What the editor would show (post-processed), or undefined when it shows nothing. */
  readonly text: string | undefined;
  readonly raw: string;
  /** The line the suggestion makes: the indentation already typed, then the suggestion's first line. */
  readonly predicted: string;
  readonly prefilled: number;
  readonly generated: number;
  readonly stopped: string;
  readonly ms: number;
  readonly stageMs?: StageMs;
  /** Tokens of the workspace state under the prompt (0 in setting a). */
  readonly contextTokens: number;
  /** Tokens of the prompt after the state (the block's included). */
  readonly promptTokens: number;
  /** Snippets of the in-window block (setting c), least relevant first. */
  readonly block: readonly ContextSnippet[];
  /** The candidate lines scored, where the first line was chosen among them. */
  readonly candidates?: PipelineResult['candidates'];
  /** log p(the suggestion's first line): what the extension's confidence setting judges it by (src/completion/confidence.ts). */
  readonly lineLogProb?: number;
  /** The pipeline's leavesBlock: the first line is judged by itself (MinScore.leaving). */
  readonly leavesBlock?: true;
}

export interface CompletionPathOptions {
  /** Tokens generated at most (the extension's samba.completions.maxTokens, default 64). */
  readonly maxTokens?: number;
  /** Token budget of the in-window block (setting c; the pipeline's default otherwise). */
  readonly blockTokens?: number;
  /** The prompt layout (src/prompt/fim.ts; default the extension's, DEFAULT_LAYOUT). */
  readonly layout?: PromptLayout;
  /** Characters of the file before the cursor's line in the prompt (the pipeline's MAX_PREFIX_CHARS). */
  readonly maxPrefixChars?: number;
  /** Candidate lines for the cursor's line (PipelineRequest.candidates; default the extension's, autoCandidates). */
  readonly candidates?: number;
}

/**
 * The extension's completion request, through the pipeline the worker runs
 * (src/completion/pipeline.ts: windows -> block -> prompt -> prefill or reuse -> generate ->
 * post-process). Everything `samba eval` scores goes through `completeAt`. One pipeline per
 * setting, so a setting's requests reuse state as the editor's successive requests do; its
 * suggestion cache is off (settings must not answer from each other's or earlier suggestions).
 */
export class CompletionPath {
  private readonly pipelines = new Map<Setting, CompletionPipeline>();
  /** The settings see the same documents: a piece's token ids, once made, serve all three. */
  private readonly encoder: PromptEncoder;

  constructor(
    private readonly engine: Engine,
    /** The CPU decoder the worker uses on a software GPU adapter (createDecoder), else undefined. */
    private readonly decoder: Engine | undefined,
    private readonly tokenizer: Tokenizer,
    private readonly options: CompletionPathOptions = {},
  ) {
    this.encoder = new PromptEncoder(tokenizer);
  }

  /** `recentEdits`: ranges of other files the request says were just edited (the block's recent source; setting c). */
  async completeAt(target: CompletionTarget, setting: Setting, workspace?: TargetWorkspace, recentEdits?: readonly EditedRange[]): Promise<EvalCompletion> {
    if (setting !== 'a' && !workspace) throw new Error(`setting ${setting} needs the workspace state of ${target.repo}`);
    let pipeline = this.pipelines.get(setting);
    if (!pipeline) {
      pipeline = new CompletionPipeline(this.engine, this.decoder, this.tokenizer, {
        cache: false,
        encoder: this.encoder,
        layout: this.options.layout,
        maxPrefixChars: this.options.maxPrefixChars,
        ...(setting === 'c' ? { selectBlock: buildContextBlock, blockTokens: this.options.blockTokens } : {}),
      });
      this.pipelines.set(setting, pipeline);
    }
    // The block is chosen for the cursor a user arrives at. The pipeline keeps a file's block while
    // the cursor stays within its region (typing must not rebuild it), so between sampled targets,
    // which are separate arrivals, it is forgotten. The prompt state stays: a prompt that shares its
    // beginning with the last one (the same block) resumes from it, as the extension's would.
    if (setting === 'c') pipeline.forgetBlocks();
    // The document as the editor's request carries it (src/ui/inline-provider.ts): windows around the cursor.
    const from = Math.max(0, target.prefix.length - REQUEST_BEFORE_CHARS);
    const r = await pipeline.complete({
      workspace: setting === 'a' ? undefined : workspace!.ready,
      path: target.path,
      prefix: target.prefix.slice(from),
      prefixOffset: from,
      suffix: target.suffix.slice(0, REQUEST_AFTER_CHARS),
      line: target.line,
      files: setting === 'c' ? workspace!.files : undefined,
      useBlock: setting === 'c',
      recentEdits: setting === 'c' ? recentEdits : undefined,
      candidates: this.options.candidates,
      // A line budget already spent: stop at the first line end. The target is one line, and
      // post-processing keeps the first line as it would with the rest generated.
      limits: { maxTokens: this.options.maxTokens ?? 64, lineBudgetMs: -1 },
    });
    return {
      text: r.text,
      raw: r.raw,
      predicted: target.indent + (r.text ?? '').split('\n')[0],
      prefilled: r.prefilled,
      generated: r.generated,
      stopped: r.stopped,
      ms: r.ms,
      stageMs: r.stageMs,
      contextTokens: setting === 'a' ? 0 : workspace!.ready.tokens,
      promptTokens: r.promptTokens,
      block: r.block,
      candidates: r.candidates,
      lineLogProb: r.lineLogProb,
      ...(r.leavesBlock ? { leavesBlock: r.leavesBlock } : {}),
    };
  }

  dispose(): void {
    for (const p of this.pipelines.values()) p.reset();
    this.pipelines.clear();
  }
}

export interface Score {
  readonly predicted: string;
  readonly exact: boolean;
  readonly editSim: number;
  readonly idExact: boolean;
  readonly contextTokens: number;
  readonly promptTokens: number;
  /** Snippets in the block (setting c). */
  readonly blockSnippets: number;
  readonly prefilled: number;
  readonly generated: number;
  readonly ms: number;
  /** Where `ms` went (src/completion/pipeline.ts StageMs). */
  readonly stageMs?: StageMs;
  /** What the model wrote, where the editor would show nothing (why a prediction is empty). */
  readonly raw?: string;
  /** The candidate lines and their log-probabilities, where the line was chosen among them (to tune the choice offline). */
  readonly candidates?: EvalCompletion['candidates'];
  /** log p(the suggestion's first line) (EvalCompletion.lineLogProb): would the extension show it at each confidence level. */
  readonly lineLogProb?: number;
  /**
   * false: the extension judged the line with the next line's log-probability (the chosen
   * candidate's `next`) or, without candidates, alone; true: alone against MinScore.leaving. Absent
   * in runs before stop 55, whose lines with candidates the report judges with the next line.
   */
  readonly leavesBlock?: boolean;
}

export interface TargetResult {
  readonly target: CompletionTarget;
  /** Identifiers of the true line that only other files of the repository define. */
  readonly crossFile: readonly string[];
  /** The edit of another file the request reported (RepoEvalOptions.recentEdit). */
  readonly recentEdits?: readonly EditedRange[];
  readonly scores: Partial<Record<Setting, Score>>;
}

export function score(target: CompletionTarget, c: EvalCompletion): Score {
  return {
    predicted: c.predicted,
    exact: exactMatch(c.predicted, target.truth),
    editSim: editSimilarity(c.predicted, target.truth),
    idExact: identifierMatch(c.predicted, target.truth, target.language),
    contextTokens: c.contextTokens,
    promptTokens: c.promptTokens,
    blockSnippets: c.block.length,
    prefilled: c.prefilled,
    generated: c.generated,
    ms: c.ms,
    stageMs: c.stageMs,
    ...(c.text === undefined ? { raw: c.raw } : {}),
    ...(c.candidates ? { candidates: c.candidates } : {}),
    ...(c.lineLogProb !== undefined ? { lineLogProb: c.lineLogProb, leavesBlock: c.leavesBlock === true } : {}),
  };
}

/** One of `count` processes sharing a run: shard `index` (1-based) takes its share of the target files. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * The target files of one shard: whole files, so a file's targets keep their order and history in
 * one process (the prefix window's start carries from one request to the next in a file), and the
 * same targets as one process would run. Files are dealt largest first to the shard with the fewest
 * targets so far; the same sample gives the same shards.
 */
export function shardFiles(counts: ReadonlyMap<string, number>, shard: Shard): Set<string> {
  const load = new Array<number>(shard.count).fill(0);
  const mine = new Set<string>();
  const files = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [file, n] of files) {
    const k = load.indexOf(Math.min(...load));
    load[k] += n;
    if (k === shard.index - 1) mine.add(file);
  }
  return mine;
}

/** Lines of the edit a request's recent edits hold (RepoEvalOptions.recentEdit). */
const EDIT_LINES = 10;

/**
 * What the requests say was just edited in another file (the block's recent source, setting c):
 * 'definition': only the targets whose line uses a name only another file defines, each right
 * after that definition (the line's first such name) was written: its first EDIT_LINES lines;
 * 'unrelated': every target, after an edit of EDIT_LINES lines in the middle of another file that
 * defines none of the line's names (what an edit costs a line it says nothing about).
 */
export type RecentEditKind = 'definition' | 'unrelated';

export interface RepoEvalOptions {
  readonly targets: number;
  readonly seed: number;
  readonly settings: readonly Setting[];
  /** Characters of each target line typed before the request (typedTarget; default 0). */
  readonly typed?: number;
  /** An edit of another file each request reports (RecentEditKind); none by default. */
  readonly recentEdit?: RecentEditKind;
  /** Each target as while its function is written from the top (writingTarget); lines outside a function left out. */
  readonly writing?: boolean;
  /** This process's share of the sampled targets (default: all of them). */
  readonly shard?: Shard;
  readonly onResult?: (r: TargetResult) => void;
  readonly onProgress?: (message: string) => void;
}

/**
 * Samples the repository's targets and completes each in every setting. Files are visited from the
 * end of the stream order back, so each active file's state reuses the stored states of the files
 * before it; within a file, targets go in line order, as a user moving down the file.
 */
export async function evalRepo(workspace: RepoWorkspace, completion: CompletionPath, o: RepoEvalOptions): Promise<TargetResult[]> {
  const index = new DefinitionIndex(workspace.files);
  const crossFile = (t: CompletionTarget) => (t.prose ? [] : index.crossFile(t.truth, t.path));
  const edits = new Map<CompletionTarget, EditedRange[]>();
  let sampled = sampleCompletionTargets(workspace.name, workspace.files, o.targets, o.seed).map((t) => typedTarget(t, o.typed ?? 0));
  if (o.writing) {
    const texts = new Map(workspace.files.map((f) => [f.path, f.text]));
    sampled = sampled.map((t) => writingTarget(t, texts.get(t.path)!)).filter((t): t is CompletionTarget => t !== undefined);
  }
  if (o.recentEdit === 'definition') {
    sampled = sampled.filter((t) => {
      const site = crossFile(t).map((name) => index.definitionSite(name, t.path)).find((s) => s !== undefined);
      if (site) edits.set(t, [{ path: site.path, startLine: site.line, endLine: site.line + EDIT_LINES - 1 }]);
      return site !== undefined;
    });
  } else if (o.recentEdit === 'unrelated') {
    const paths = workspace.files.map((f) => f.path).sort();
    const lineCount = new Map(workspace.files.map((f) => [f.path, f.text.split('\n').length]));
    for (const t of sampled) {
      const names = crossFile(t);
      const others = paths.filter((p) => p !== t.path && !names.some((n) => index.definedIn(n).has(p)));
      if (!others.length) continue;
      const p = others[(t.line * 7919) % others.length];
      const mid = Math.max(1, Math.floor(lineCount.get(p)! / 2));
      edits.set(t, [{ path: p, startLine: mid, endLine: mid + EDIT_LINES - 1 }]);
    }
  }
  const byFile = new Map<string, CompletionTarget[]>();
  for (const t of sampled) byFile.set(t.path, [...(byFile.get(t.path) ?? []), t]);
  if (o.shard) {
    const mine = shardFiles(new Map([...byFile].map(([f, ts]) => [f, ts.length])), o.shard);
    for (const f of [...byFile.keys()]) if (!mine.has(f)) byFile.delete(f);
  }
  const targets = sampled.filter((t) => byFile.has(t.path));
  const order = [...byFile.keys()].sort((a, b) => workspace.orderOf(b) - workspace.orderOf(a));
  const results = new Map<CompletionTarget, TargetResult>();
  let done = 0;
  for (const file of order) {
    const ts = byFile.get(file)!.sort((a, b) => a.line - b.line);
    const t0 = performance.now();
    const ws = o.settings.some((s) => s !== 'a') ? await workspace.open(file) : undefined;
    const wsSeconds = (performance.now() - t0) / 1000;
    try {
      for (const t of ts) results.set(t, { target: t, crossFile: crossFile(t), ...(edits.has(t) ? { recentEdits: edits.get(t) } : {}), scores: {} });
      // Each setting has its own pipeline, so the order between settings changes nothing of what a
      // setting's requests see; target by target, the settings share the target's token ids.
      for (const t of ts) {
        for (const setting of o.settings) (results.get(t)!.scores as Record<Setting, Score>)[setting] = score(t, await completion.completeAt(t, setting, ws, edits.get(t)));
      }
    } finally {
      ws?.dispose();
    }
    done += ts.length;
    for (const t of ts) o.onResult?.(results.get(t)!);
    o.onProgress?.(
      `${workspace.name}: ${done}/${targets.length} targets (${file}: ${ts.length}; workspace ${ws ? `${ws.ready.tokens} tokens, ${ws.context.prefilledTokens} prefilled in ${wsSeconds.toFixed(1)} s` : 'not used'}; ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
  return targets.map((t) => results.get(t)!);
}
