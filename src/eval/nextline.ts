import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { orderFiles } from '../workspace/order';
import { fileTokens } from '../prompt/file';
import { completionStopIds, lastLinesStart } from '../prompt/stop';
import { healerFor, type Healer } from '../prompt/heal';
import type { Repo, RepoFile } from './repo';
import { editSimilarity, exactMatch, hashString, mean, sampleIndices, summarize } from './stats';

export const MAX_LINE_CHARS = 200;

/** Blank lines, lines over 200 characters, and lines with fewer than 3 word characters (`}`, `});`, `end`) are not asked. */
export function isEligibleLine(line: string): boolean {
  if (line.length > MAX_LINE_CHARS || !line.trim()) return false;
  return (line.match(/[A-Za-z0-9_]/g)?.length ?? 0) >= 3;
}

export interface Target {
  readonly repo: string;
  readonly file: number;
  readonly path: string;
  /** 0-based line number. */
  readonly line: number;
  /** Character offset of the line's start in the file. */
  readonly start: number;
  /** The line's leading whitespace: given in the prompt (the cursor sits after it). */
  readonly indent: string;
  /** The true line, without its newline. */
  readonly truth: string;
}

/** Every eligible line of every file, in path and line order. */
export function eligibleTargets(repo: Repo): Target[] {
  const out: Target[] = [];
  repo.files.forEach((f, file) => {
    let start = 0;
    const lines = f.text.split('\n');
    lines.forEach((raw, line) => {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (isEligibleLine(text)) out.push({ repo: repo.name, file, path: f.path, line, start, indent: /^[ \t]*/.exec(text)![0], truth: text });
      start += raw.length + 1;
    });
  });
  return out;
}

/** `n` targets drawn without replacement, the same for the same repository contents, n and seed. */
export function sampleTargets(repo: Repo, n: number, seed: number): Target[] {
  const all = eligibleTargets(repo);
  return sampleIndices(all.length, n, (seed ^ hashString(repo.name)) >>> 0).map((i) => all[i]);
}

/**
 * The file's start as the context reads files (`fileTokens`): path, the text before the line, the
 * line's indentation. With `maxPrefixChars`, only the last lines of the prefix that fit stay (the
 * prompt module's one line-cut rule).
 */
export function promptTokens(tokenizer: Tokenizer, file: RepoFile, target: Target, maxPrefixChars = 0): number[] {
  let prefix = file.text.slice(0, target.start);
  if (maxPrefixChars > 0) prefix = prefix.slice(lastLinesStart(prefix, maxPrefixChars));
  return [...fileTokens(tokenizer, file.path, `${prefix}${target.indent}`)];
}

export interface Prediction {
  readonly predicted: string;
  readonly exact: boolean;
  readonly editSim: number;
  /** State position when the first completion token was chosen: context + prompt tokens. */
  readonly position: number;
  readonly contextTokens: number;
  readonly promptTokens: number;
  readonly generated: number;
}

export interface NextLineOptions {
  readonly samples: number;
  readonly seed?: number;
  /** Most tokens of other files in the repository setting (0 or undefined: all). */
  readonly budgetTokens?: number;
  /** Target files are split into this many groups; each group's context is every file outside it (0: one group per file, exact leave-one-out). */
  readonly folds?: number;
  /** Characters of the file before the line that the prompt keeps (0: all; the extension keeps 6000). */
  readonly maxPrefixChars?: number;
  /** Cap on generated tokens per line. */
  readonly maxLineTokens?: number;
  /** Tokens per prefill call while streaming the repository. */
  readonly chunkTokens?: number;
  readonly settings?: readonly Setting[];
  readonly onSample?: (s: SampleResult) => void;
  readonly onProgress?: (message: string) => void;
}

export type Setting = 'file' | 'repo';

export interface SampleResult {
  readonly target: Target;
  readonly file?: Prediction;
  readonly repo?: Prediction;
}

export interface RepoRun {
  readonly repo: string;
  readonly samples: SampleResult[];
  readonly prefilledTokens: number;
  readonly seconds: number;
  /** Mean tokens of other files in the state before the prompt (repository setting). */
  readonly meanContextTokens: number;
}

/** Next-line completion on one repository in both settings (current file only; repository state first). */
export async function runNextLine(engine: Engine, tokenizer: Tokenizer, repo: Repo, options: NextLineOptions, healer = healerFor(tokenizer, engine.model.config.vocabSize)): Promise<RepoRun> {
  const t0 = performance.now();
  const settings = options.settings ?? ['file', 'repo'];
  const targets = sampleTargets(repo, options.samples, options.seed ?? 1);
  const byFile = new Map<number, Target[]>();
  for (const t of targets) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  const results = new Map<Target, { file?: Prediction; repo?: Prediction }>(targets.map((t) => [t, {}]));
  const gen = { maxTokens: options.maxLineTokens ?? 64, healer, tokenizer };
  let prefilled = 0;
  const count = (n: number) => (prefilled += n);
  const capacityFor = (context: number, fileIdx: number) => context + repo.files[fileIdx].tokens.length + gen.maxTokens + 16;

  if (settings.includes('file')) {
    for (const [fileIdx, ts] of byFile) {
      const preds = await runFile(engine, undefined, capacityFor(0, fileIdx), ts.map((t) => promptTokens(tokenizer, repo.files[fileIdx], t, options.maxPrefixChars)), ts, gen, count);
      ts.forEach((t, i) => (results.get(t)!.file = preds[i]));
    }
    options.onProgress?.(`${repo.name}: current-file setting done (${targets.length} lines)`);
  }

  const contextTokens: number[] = [];
  if (settings.includes('repo')) {
    const files = [...byFile.keys()].sort((a, b) => a - b);
    const nFolds = options.folds === 0 ? files.length : Math.max(1, Math.min(options.folds ?? 4, files.length));
    for (let fold = 0; fold < nFolds; fold++) {
      const inFold = files.filter((_, i) => i % nFolds === fold);
      if (!inFold.length) continue;
      const context = contextFiles(repo, new Set(inFold), options.budgetTokens);
      const total = context.reduce((n, f) => n + f.tokens.length, 0);
      const capacity = Math.max(...inFold.map((f) => capacityFor(total, f)));
      const base = engine.newState({ capacity });
      const chunk = Math.max(1, options.chunkTokens ?? 1024);
      for (const f of context) {
        for (let k = 0; k < f.tokens.length; k += chunk) {
          const part = f.tokens.subarray(k, k + chunk);
          await engine.prefill(part, base);
          count(part.length);
        }
      }
      for (const fileIdx of inFold) {
        const ts = byFile.get(fileIdx)!;
        const preds = await runFile(engine, base, capacity, ts.map((t) => promptTokens(tokenizer, repo.files[fileIdx], t, options.maxPrefixChars)), ts, gen, count);
        ts.forEach((t, i) => (results.get(t)!.repo = preds[i]));
        contextTokens.push(...ts.map(() => total));
      }
      engine.release(base);
      options.onProgress?.(`${repo.name}: repository setting, group ${fold + 1}/${nFolds} done (${total} context tokens, ${context.length} files)`);
    }
  }
  const samples = targets.map((t) => ({ target: t, ...results.get(t)! }));
  samples.forEach((s) => options.onSample?.(s));
  return { repo: repo.name, samples, prefilledTokens: prefilled, seconds: (performance.now() - t0) / 1000, meanContextTokens: contextTokens.length ? mean(contextTokens) : 0 };
}

/** The files that enter the state for a group of target files: all others, path order, under the budget the extension's own ordering keeps. */
export function contextFiles(repo: Repo, exclude: ReadonlySet<number>, budgetTokens?: number): RepoFile[] {
  const inputs = repo.files.filter((_, i) => !exclude.has(i)).map((f) => ({ ...f, mtimeMs: 0, tokenCount: f.tokens.length }));
  return orderFiles(inputs, { budgetTokens: budgetTokens && budgetTokens > 0 ? budgetTokens : undefined }).files;
}

interface GenOptions {
  readonly maxTokens: number;
  readonly healer: Healer;
  readonly tokenizer: Tokenizer;
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * The targets of one file, in line order, from `base` (or a fresh state). Prompts of one file
 * share their beginning, so a live state walks through the file once and each target snapshots
 * it at the longest prefix it shares with the next one.
 */
async function runFile(engine: Engine, base: EngineState | undefined, capacity: number, prompts: number[][], targets: Target[], gen: GenOptions, count: (n: number) => void): Promise<Prediction[]> {
  const fresh = () => (base ? engine.snapshot(base) : engine.newState({ capacity }));
  const contextTokens = base?.position ?? 0;
  const healed = prompts.map((p) => gen.healer.heal(p));
  const stops = new Set(completionStopIds(gen.tokenizer));
  let live = fresh();
  let consumed: number[] = [];
  const out: Prediction[] = [];
  for (let k = 0; k < targets.length; k++) {
    const p = healed[k].tokens;
    if (consumed.length >= p.length || commonPrefix(consumed, p) < consumed.length) {
      engine.release(live);
      live = fresh();
      consumed = [];
    }
    let cut = k + 1 < targets.length ? commonPrefix(p, healed[k + 1].tokens) : 0;
    cut = Math.min(Math.max(cut, consumed.length), p.length - 1);
    if (cut > consumed.length) {
      await engine.prefill(p.slice(consumed.length, cut), live);
      count(cut - consumed.length);
      consumed = p.slice(0, cut);
    }
    const snap = engine.snapshot(live);
    let logits = await engine.prefill(p.slice(cut), snap);
    count(p.length - cut);
    const position = snap.position;
    const ids: number[] = [];
    const heal = healed[k].healed;
    let text = '';
    for (let i = 0; i < gen.maxTokens; i++) {
      const remaining = text.length < heal.length ? heal.slice(text.length) : '';
      const next = gen.healer.pick(logits, remaining);
      if (next < 0 || stops.has(next)) break;
      ids.push(next);
      text = gen.tokenizer.decode(ids);
      if (text.length > heal.length && text.slice(heal.length).includes('\n')) break;
      if (i + 1 < gen.maxTokens) logits = await engine.step(next, snap);
    }
    engine.release(snap);
    // What follows the indentation (given in the prompt), up to the first newline.
    const line = targets[k].indent + text.slice(heal.length).split('\n')[0].replace(/\r$/, '');
    const truth = targets[k].truth;
    out.push({ predicted: line, exact: exactMatch(line, truth), editSim: editSimilarity(line, truth), position, contextTokens, promptTokens: p.length, generated: ids.length });
  }
  engine.release(live);
  return out;
}

export interface SettingSummary {
  readonly n: number;
  readonly exactMatch: { mean: number; se: number; ci95: [number, number] };
  readonly editSimilarity: { mean: number; se: number; ci95: [number, number] };
}

export function summarizeSetting(samples: readonly SampleResult[], setting: Setting, seed = 1): SettingSummary | undefined {
  const preds = samples.map((s) => s[setting]).filter((p): p is Prediction => !!p);
  if (!preds.length) return undefined;
  return { n: preds.length, exactMatch: summarize(preds.map((p) => (p.exact ? 1 : 0)), seed), editSimilarity: summarize(preds.map((p) => p.editSim), seed + 1) };
}

/** Repository minus current-file, paired per line, with its bootstrap interval. */
export function summarizeGain(samples: readonly SampleResult[], seed = 1) {
  const both = samples.filter((s) => s.file && s.repo);
  if (!both.length) return undefined;
  return {
    n: both.length,
    exactMatch: summarize(both.map((s) => (s.repo!.exact ? 1 : 0) - (s.file!.exact ? 1 : 0)), seed + 2),
    editSimilarity: summarize(both.map((s) => s.repo!.editSim - s.file!.editSim), seed + 3),
  };
}
