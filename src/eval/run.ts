import { promises as fs } from 'node:fs';
import type { Engine } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { SambaError } from '../model/errors';
import { healerFor } from '../prompt/heal';
import { DEFAULT_LAYOUT, type PromptLayout } from '../prompt/fim';
import { runNextLine, summarizeGain, summarizeSetting, type SampleResult } from './nextline';
import { cutSequences, newBuckets, reportBuckets, sequenceNll, type BucketAccumulator } from './perplexity';
import { buildPasskeyPrompt, codeFiller, passkeys, runPasskeyTrial, sentenceFiller } from './passkey';
import { loadRepo, repoStream, type Repo } from './repo';
import { hashString } from './stats';
import { CompletionPath, evalRepo, RepoWorkspace, SETTING_NAMES, SETTINGS, type RecentEditKind, type Setting, type Score, type Shard, type TargetResult } from './completion';
import { METRICS, confidenceTable, reportSubset, table, type SubsetReport } from './report';
import { createDecoder } from '../backend/decoder';
import { loadQuestions, qaTable, reportQa, runQa, type QaScore } from './qa';
import { QUESTION_KINDS } from './qa-questions';

/**
 * completion: the extension's completion path (settings a, b, c); nextline: the old left-to-right prompt, kept for the model card's history;
 * qa: questions answered on the Q&A panel's path (src/eval/qa.ts); qa-retrieval: what those questions cite, BM25 alone, no model.
 */
export type Task = 'completion' | 'nextline' | 'ppl' | 'passkey' | 'qa' | 'qa-retrieval';
export const TASKS: readonly Task[] = ['completion', 'nextline', 'ppl', 'passkey', 'qa', 'qa-retrieval'];

export interface EvalOptions {
  readonly repos: readonly string[];
  readonly tasks: readonly Task[];
  /** Targets per repository (completion and the legacy next line). */
  readonly samples: number;
  /** Completion settings: a current file, b + workspace state, c + state + context block. */
  readonly settings: readonly Setting[];
  /** Completion: this process runs only its shard of each repository's targets (whole files). */
  readonly shard?: Shard;
  /** File for the whole completion report as one JSON document. */
  readonly json?: string;
  /** Token budget of the in-window block (setting c; 0: the extension's choice, autoBlockTokens). */
  readonly blockTokens: number;
  /** Completion prompt layout: prefix (the extension's default) or fim. */
  readonly layout: PromptLayout;
  /** Completion: characters of each target line typed after its indentation before the request. */
  readonly typed: number;
  /** Completion: each target as while its function is written from the top (writingTarget). */
  readonly writing?: boolean;
  /** Completion: an edit of another file each request reports (RecentEditKind), or none. */
  readonly recentEdit?: RecentEditKind;
  /** Completion: the prompt's window of the file before the cursor's line, in characters (0: the extension's choice, autoPrefixChars). */
  readonly prefixChars: number;
  /** Completion: candidate lines for the cursor's line (0: the extension's choice, autoCandidates). */
  readonly candidates: number;
  readonly seed: number;
  /** Most tokens of other files in the repository setting (0: all). */
  readonly budgetTokens: number;
  readonly folds: number;
  readonly maxLineTokens: number;
  /** Characters of the file before the line in the prompt (0: all). */
  readonly maxPrefixChars: number;
  /** Longest sequence for perplexity and passkey. */
  readonly maxLen: number;
  /** Perplexity sequences per repository. */
  readonly pplSeqs: number;
  readonly passkeyLengths: readonly number[];
  readonly passkeyDepths: readonly number[];
  readonly passkeyTrials: number;
  readonly passkeyFiller: 'sentence' | 'code';
  /** File for one JSON line per next-line target (both predictions). */
  readonly details?: string;
  /** The Q&A question set (qa, qa-retrieval). */
  readonly questions: string;
}

export const DEFAULTS: Omit<EvalOptions, 'repos'> = {
  tasks: ['completion', 'ppl', 'passkey'],
  samples: 200,
  settings: ['a', 'b', 'c'],
  blockTokens: 0,
  layout: DEFAULT_LAYOUT,
  typed: 0,
  prefixChars: 0,
  candidates: 0,
  seed: 0,
  budgetTokens: 0,
  folds: 4,
  maxLineTokens: 64,
  maxPrefixChars: 0,
  maxLen: 16384,
  pplSeqs: 4,
  passkeyLengths: [1024, 2048, 4096, 8192, 16384],
  passkeyDepths: [0.1, 0.5, 0.9],
  passkeyTrials: 5,
  passkeyFiller: 'sentence',
  questions: 'training/data/qa-questions.json',
};

export type Emit = (line: Record<string, unknown>) => void;

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Runs the chosen evaluations; every result goes to `emit` as one object, progress and a human summary to `log`. */
export async function runEval(engine: Engine, tokenizer: Tokenizer, options: EvalOptions, emit: Emit, log: (s: string) => void): Promise<void> {
  if (!options.repos.length) throw new SambaError('config', 'eval needs --repos DIR[,DIR...]: folders of code to evaluate on.');
  const repos: Repo[] = [];
  for (const dir of options.repos) {
    const repo = await loadRepo(dir, tokenizer);
    if (!repo.files.length) throw new SambaError('config', `${dir} has no readable text files.`);
    repos.push(repo);
  }
  const { model } = engine;
  emit({
    task: 'meta',
    model: model.dir,
    fingerprint: model.fingerprint,
    backend: engine.backend,
    device: engine.deviceName,
    trainingLength: model.config.maxPosition,
    window: Number.isFinite(model.config.window) ? model.config.window : null,
    repos: repos.map((r) => ({ name: r.name, files: r.files.length, tokens: r.tokens })),
    options: { ...options, repos: undefined },
  });
  const summary: string[] = [];

  if (options.tasks.includes('completion')) summary.push(...(await runCompletion(engine, tokenizer, options, emit, log)));

  for (const task of ['qa-retrieval', 'qa'] as const) if (options.tasks.includes(task)) summary.push(...(await runQaTask(engine, tokenizer, options, task === 'qa', emit, log)));

  if (options.tasks.includes('nextline')) {
    const t0 = performance.now();
    const healer = healerFor(tokenizer, model.config.vocabSize);
    const all: SampleResult[] = [];
    let prefilled = 0;
    const details = options.details && !options.tasks.includes('completion') ? await fs.open(options.details, 'w') : undefined;
    try {
      for (const repo of repos) {
        const run = await runNextLine(engine, tokenizer, repo, { ...options, settings: undefined, seed: options.seed, onProgress: log }, healer);
        prefilled += run.prefilledTokens;
        all.push(...run.samples);
        for (const s of run.samples) await details?.write(JSON.stringify({ repo: repo.name, path: s.target.path, line: s.target.line + 1, truth: s.target.truth, filePrediction: s.file?.predicted, repoPrediction: s.repo?.predicted, fileExact: s.file?.exact, repoExact: s.repo?.exact, contextTokens: s.repo?.contextTokens }) + '\n');
        emitNextLine(emit, repo.name, run.samples, options.seed, { seconds: r4(run.seconds), prefilledTokens: run.prefilledTokens, meanContextTokens: Math.round(run.meanContextTokens) });
      }
    } finally {
      await details?.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (repos.length > 1) emitNextLine(emit, 'all', all, options.seed, { seconds: r4(seconds), prefilledTokens: prefilled });
    const f = summarizeSetting(all, 'file', options.seed), r = summarizeSetting(all, 'repo', options.seed), g = summarizeGain(all, options.seed);
    summary.push(`next line (${all.length} lines, ${seconds.toFixed(1)} s):`);
    if (f) summary.push(`  current file only:  exact ${pct(f.exactMatch.mean)} [${pct(f.exactMatch.ci95[0])}, ${pct(f.exactMatch.ci95[1])}]  edit sim ${f.editSimilarity.mean.toFixed(3)}`);
    if (r) summary.push(`  repository state:   exact ${pct(r.exactMatch.mean)} [${pct(r.exactMatch.ci95[0])}, ${pct(r.exactMatch.ci95[1])}]  edit sim ${r.editSimilarity.mean.toFixed(3)}`);
    if (g) summary.push(`  repo - file (paired): exact ${signed(g.exactMatch.mean * 100)} pts [${signed(g.exactMatch.ci95[0] * 100)}, ${signed(g.exactMatch.ci95[1] * 100)}]`);
  }

  if (options.tasks.includes('ppl')) {
    const t0 = performance.now();
    const total = newBuckets(options.maxLen);
    let tokens = 0;
    for (const repo of repos) {
      const acc = newBuckets(options.maxLen);
      const seqs = cutSequences(repoStream(repo, tokenizer), options.maxLen + 1, options.pplSeqs);
      for (const [i, seq] of seqs.entries()) {
        const s = performance.now();
        const mean = await sequenceNll(engine, seq, acc);
        tokens += seq.length;
        log(`${repo.name}: perplexity sequence ${i + 1}/${seqs.length}, ${seq.length} tokens, mean NLL ${mean.toFixed(3)} (${((performance.now() - s) / 1000).toFixed(1)} s)`);
      }
      merge(total, acc);
      for (const b of reportBuckets(acc)) emit({ task: 'ppl', repo: repo.name, sequences: seqs.length, ...b });
    }
    if (repos.length > 1) for (const b of reportBuckets(total)) emit({ task: 'ppl', repo: 'all', ...b });
    const seconds = (performance.now() - t0) / 1000;
    emit({ task: 'ppl-time', seconds: r4(seconds), tokens });
    summary.push(`perplexity by position (${tokens} tokens, ${seconds.toFixed(1)} s):`);
    for (const b of reportBuckets(total)) summary.push(`  [${b.from}, ${b.to}): ppl ${b.ppl.toFixed(2)}  (${b.tokens} tokens)`);
  }

  if (options.tasks.includes('passkey')) {
    const t0 = performance.now();
    let lengths = options.passkeyLengths.filter((l) => l <= options.maxLen);
    if (!lengths.length) lengths = [options.maxLen];
    const filler = options.passkeyFiller === 'code' ? codeFiller(tokenizer, repos.flatMap((r) => r.files.map((f) => f.text))) : sentenceFiller(tokenizer);
    summary.push(`passkey retrieval (${options.passkeyTrials} keys x ${options.passkeyDepths.length} depths per length, ${options.passkeyFiller} filler):`);
    for (const length of lengths) {
      let correct = 0, n = 0;
      for (const depth of options.passkeyDepths) {
        const keys = passkeys(options.passkeyTrials, (options.seed ^ hashString(`${length}/${depth}`)) >>> 0);
        let ok = 0;
        const answers: string[] = [];
        for (const key of keys) {
          const prompt = buildPasskeyPrompt(tokenizer, length, depth, key, filler);
          const r = await runPasskeyTrial(engine, tokenizer, prompt);
          if (r.correct) ok++;
          answers.push(r.answer);
        }
        correct += ok;
        n += keys.length;
        emit({ task: 'passkey', length, depth, trials: keys.length, correct: ok, accuracy: r4(ok / keys.length), answers: answers.slice(0, 3) });
      }
      emit({ task: 'passkey', length, depth: 'all', trials: n, correct, accuracy: r4(correct / n) });
      summary.push(`  ${String(length).padStart(6)} tokens: ${correct}/${n} (${pct(correct / n)})`);
      log(`passkey ${length}: ${correct}/${n}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    emit({ task: 'passkey-time', seconds: r4(seconds) });
    summary.push(`  (${seconds.toFixed(1)} s)`);
  }
  log(['', `model ${model.dir} on ${engine.backend} (${engine.deviceName})`, ...summary].join('\n'));
}

/** Settings a, b, c on the extension's completion path: one JSON line per repository and subset, tables in the summary. */
async function runCompletion(engine: Engine, tokenizer: Tokenizer, options: EvalOptions, emit: Emit, log: (s: string) => void): Promise<string[]> {
  const t0 = performance.now();
  const decoder = await createDecoder(engine, engine.model);
  const path = new CompletionPath(engine, decoder, tokenizer, { maxTokens: options.maxLineTokens, blockTokens: options.blockTokens || undefined, layout: options.layout, maxPrefixChars: options.prefixChars || undefined, candidates: options.candidates || undefined });
  const all: TargetResult[] = [];
  const rows: { repo: string; report: SubsetReport }[] = [];
  const perRepo: Record<string, unknown>[] = [];
  const details = options.details ? await fs.open(options.details, 'w') : undefined;
  let writes: Promise<unknown> = Promise.resolve(); // in order, and finished before the file closes
  try {
    for (const dir of options.repos) {
      const r0 = performance.now();
      const ws = await RepoWorkspace.open(dir, engine, tokenizer, { budgetTokens: options.budgetTokens });
      let results: TargetResult[];
      try {
        results = await evalRepo(ws, path, {
          targets: options.samples,
          seed: options.seed,
          settings: options.settings,
          typed: options.typed,
          writing: options.writing,
          recentEdit: options.recentEdit,
          shard: options.shard,
          onProgress: log,
          onResult: (r) => void (writes = writes.then(() => details?.write(JSON.stringify(detail(r)) + '\n'))),
        });
      } finally {
        ws.close();
      }
      all.push(...results);
      const reports = (['all', 'cross-file'] as const).map((subset) => reportSubset(results, options.settings, subset, options.seed));
      for (const report of reports) {
        emit({ task: 'completion', repo: ws.name, ...report });
        rows.push({ repo: ws.name, report });
      }
      perRepo.push({ repo: ws.name, files: ws.files.length, tokens: ws.files.reduce((n, f) => n + f.tokenCount, 0), seconds: r4((performance.now() - r0) / 1000), reports });
    }
  } finally {
    await writes.catch(() => undefined);
    await details?.close();
    path.dispose();
    decoder?.dispose();
  }
  const overall = (['all', 'cross-file'] as const).map((subset) => reportSubset(all, options.settings, subset, options.seed));
  if (options.repos.length > 1) for (const report of overall) {
    emit({ task: 'completion', repo: 'all', ...report });
    rows.push({ repo: 'all', report });
  }
  const seconds = (performance.now() - t0) / 1000;
  if (options.json) {
    const doc = { model: engine.model.dir, fingerprint: engine.model.fingerprint, backend: engine.backend, device: engine.deviceName, decoder: decoder?.deviceName ?? null, options: { ...options, repos: options.repos }, seconds: r4(seconds), repos: perRepo, overall, targets: all.map(detail) };
    await fs.writeFile(options.json, JSON.stringify(doc, null, 1));
  }
  return [
    `completion path (${all.length} targets x ${options.settings.length} settings, ${seconds.toFixed(1)} s; ${options.settings.map((s) => `${s}: ${SETTING_NAMES[s]}`).join(', ')}):`,
    ...METRICS.map((m) => table(rows, options.settings, m) + '\n'),
    confidenceTable(all.map((r) => ({ repo: r.target.repo, ...r.scores })), options.seed),
  ];
}

/** Q&A questions on the panel's path (or their retrieval alone): one JSON line per question and per repository, a table in the summary. */
async function runQaTask(engine: Engine, tokenizer: Tokenizer, options: EvalOptions, answer: boolean, emit: Emit, log: (s: string) => void): Promise<string[]> {
  const t0 = performance.now();
  const task = answer ? 'qa' : 'qa-retrieval';
  const questions = loadQuestions(options.questions, options.repos);
  const scores = await runQa(engine, tokenizer, options.repos, questions, {
    answer,
    budgetTokens: options.budgetTokens,
    onProgress: log,
    onResult: (r) => emit({ task: `${task}-question`, repo: r.repo, question: r.question.question, kind: r.question.kind, path: r.question.path, answerLines: r.question.answerLines, sources: r.sources.map((s) => `${s.path}:${s.startLine}-${s.endLine}`), fileCited: r.fileCited, fileFirst: r.fileFirst, linesCited: r.linesCited, leadOnAnswer: r.leadOnAnswer, placeOnAnswer: r.placeOnAnswer, ...(r.listed ? { listed: r.listed.map((s) => `${s.path}:${s.startLine}-${s.endLine}`) } : {}), ...(r.leadAt ? { leadAt: `${r.leadAt.path}:${r.leadAt.startLine}-${r.leadAt.endLine}` } : {}), ...(r.lead !== undefined ? { lead: r.lead } : {}), ...(r.answer ?? {}) }),
  });
  const rows: { repo: string; report: ReturnType<typeof reportQa> }[] = [];
  const byRepo = new Map<string, QaScore[]>();
  for (const s of scores) byRepo.set(s.question.repo, [...(byRepo.get(s.question.repo) ?? []), s]);
  for (const [repo, of] of byRepo) rows.push({ repo, report: reportQa(of, options.seed + 1) });
  rows.push({ repo: 'all', report: reportQa(scores, options.seed + 1) });
  for (const kind of QUESTION_KINDS) {
    const of = scores.filter((s) => s.question.kind === kind);
    if (of.length) rows.push({ repo: `all, "${kind}" questions`, report: reportQa(of, options.seed + 1) });
  }
  for (const r of rows) emit({ task, repo: r.repo, ...r.report });
  const seconds = (performance.now() - t0) / 1000;
  return [`${answer ? "Q&A on the panel's path (retrieval as the worker does it, answer after the workspace state)" : 'Q&A retrieval (BM25 alone, no model)'} (${scores.length} questions of ${options.questions}, ${seconds.toFixed(1)} s):`, ...qaTable(rows), ''];
}

function detail(r: TargetResult): Record<string, unknown> {
  const t = r.target;
  const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
  const candidates = (c: Score['candidates']) => c && { index: c.index, lines: c.lines.map((l) => ({ ...l, line: round(l.line, 3), next: round(l.next, 3) })) };
  return { repo: t.repo, path: t.path, line: t.line + 1, truth: t.truth, crossFile: r.crossFile, ...(r.recentEdits ? { recentEdits: r.recentEdits } : {}), ...Object.fromEntries(Object.entries(r.scores).map(([s, sc]) => [s, { ...sc, ms: Math.round(sc.ms), stageMs: sc.stageMs && Object.fromEntries(Object.entries(sc.stageMs).map(([k, v]) => [k, Math.round(v)])), candidates: candidates(sc.candidates) }])) };
}

function emitNextLine(emit: Emit, repo: string, samples: readonly SampleResult[], seed: number, extra: Record<string, unknown>): void {
  for (const setting of ['file', 'repo'] as const) {
    const s = summarizeSetting(samples, setting, seed);
    if (s) emit({ task: 'nextline', repo, setting, ...s, ...(setting === 'repo' ? extra : {}) });
  }
  const g = summarizeGain(samples, seed);
  if (g) emit({ task: 'nextline', repo, setting: 'repo-minus-file', ...g });
}

function merge(into: BucketAccumulator, from: BucketAccumulator): void {
  for (let b = 0; b < into.sum.length; b++) {
    into.sum[b] += from.sum[b];
    into.count[b] += from.count[b];
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;

/** The `samba eval` flags, for node:util parseArgs (all strings; parsed by `evalOptionsFrom`). */
export const EVAL_ARGS = {
  repos: { type: 'string' },
  tasks: { type: 'string' },
  samples: { type: 'string' },
  targets: { type: 'string' },
  settings: { type: 'string' },
  shard: { type: 'string' },
  json: { type: 'string' },
  'block-tokens': { type: 'string' },
  layout: { type: 'string' },
  typed: { type: 'string' },
  'recent-edit': { type: 'string' },
  writing: { type: 'boolean' },
  'legacy-left-to-right': { type: 'boolean' },
  'budget-tokens': { type: 'string' },
  folds: { type: 'string' },
  'max-len': { type: 'string' },
  'max-line-tokens': { type: 'string' },
  'max-prefix-chars': { type: 'string' },
  'prefix-chars': { type: 'string' },
  candidates: { type: 'string' },
  'ppl-seqs': { type: 'string' },
  'passkey-lengths': { type: 'string' },
  'passkey-depths': { type: 'string' },
  'passkey-trials': { type: 'string' },
  'passkey-filler': { type: 'string' },
  details: { type: 'string' },
  questions: { type: 'string' },
} as const;

export const EVAL_USAGE = `  eval --repos DIR[,DIR]     completion on the extension's path (settings a, b, c), perplexity by
                            position, passkey retrieval (JSON lines on stdout, summary on stderr)

eval options:
  --tasks completion,ppl,passkey,qa   which evaluations (default ${DEFAULTS.tasks.join(',')})
  --targets N               target lines per repository (default ${DEFAULTS.samples}; --samples is the same)
  --settings a,b,c          a: the current file only; b: plus the workspace state, built as the
                            extension builds it; c: plus the state and the in-window context block
                            (default ${DEFAULTS.settings.join(',')})
  --shard I/N               run only shard I of N of each repository's targets (whole files, 1-based),
                            for several processes on one machine; pool their --json or --details
                            files with node out/src/eval/report-cli.js
  --block-tokens N          token budget of the in-window block (default: the extension's,
                            2048 on a GPU, 512 on the CPU or a software adapter)
  --layout prefix|fim       the completion prompt after the block: the file up to the cursor
                            (prefix) or fill-in-the-middle with the suffix (fim); default
                            ${DEFAULTS.layout}, the extension's
  --typed N                 the request comes after the first N characters of each target line's
                            text (a word being typed; lines with no more than N are left as they
                            are); default 0: right after the indentation
  --writing                 each target inside a function or method is asked as while that
                            definition is written from the top: after the cursor, only the
                            closers the editor's auto-closing leaves, then the file after the
                            definition (the file's own later lines are not yet written); lines
                            outside a function are left out. Default: the rest of the file follows
  --recent-edit definition|unrelated
                            each request reports an edit of another file, as the editor does
                            (setting c's block shows it): definition: only lines that use a name
                            only another file defines, each right after that definition was
                            written (its first 10 lines); unrelated: every line, after an edit of
                            10 lines in the middle of a file that defines none of its names
  --prefix-chars N          the prompt's window of the file before the cursor's line, in characters
                            (default 0: the extension's choice, 6,000 on a GPU, 3,000 on the CPU)
  --candidates N            the cursor's line chosen among N candidate lines by how likely the model
                            finds the file's next line under each; 1: greedy (default 0: the
                            extension's choice, 4 on a GPU and 2 on the CPU)
  --json FILE               the completion report (per repository, overall, every target) as JSON
  --budget-tokens N         most tokens of the workspace state (default 0: every file; the
                            extension's own default is what it reads in 120 s, all of it on a GPU)
  --max-line-tokens N       cap on tokens generated per line (default ${DEFAULTS.maxLineTokens}, the extension's)
  --legacy-left-to-right    also the old next-line figures (left-to-right prompt, no suffix), task
                            nextline, for the model card's history; these flags are its own:
    --folds K               target files split into K groups, each read with all files outside
                            its group (default ${DEFAULTS.folds}; 0: leave one file out, exact but slower)
    --max-prefix-chars N    keep only the last N characters of the file before the line, cut at a
                            line start (default 0: the whole prefix)
  --max-len N               longest perplexity / passkey sequence (default ${DEFAULTS.maxLen})
  --ppl-seqs N              perplexity sequences per repository (default ${DEFAULTS.pplSeqs})
  --passkey-lengths a,b     (default ${DEFAULTS.passkeyLengths.join(',')}, up to --max-len)
  --passkey-depths a,b      fractions (default ${DEFAULTS.passkeyDepths.join(',')})
  --passkey-trials N        keys per length and depth (default ${DEFAULTS.passkeyTrials})
  --passkey-filler sentence|code
  --details FILE            one JSON line per target (completion; else the legacy next line)
  --tasks qa                questions answered on the Q&A panel's path: cited file and lines, the
                            answer names the file, loops (qa-retrieval: the citing alone, no model)
  --questions FILE          the question set (default ${DEFAULTS.questions}; made by
                            node scripts/make-qa-questions.mjs)
  --seed S                  sampling seed (default 0)`;

type Flags = { [K in Exclude<keyof typeof EVAL_ARGS, 'legacy-left-to-right' | 'writing'>]?: string } & { seed?: string; 'legacy-left-to-right'?: boolean; writing?: boolean };

function recentEditKind(s: string): RecentEditKind {
  if (s !== 'definition' && s !== 'unrelated') throw new SambaError('config', `--recent-edit must be definition or unrelated, not "${s}".`);
  return s;
}

export function evalOptionsFrom(v: Flags): EvalOptions {
  const int = (name: string, s: string | undefined, dflt: number, min = 0): number => {
    if (s === undefined) return dflt;
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new SambaError('config', `--${name} must be an integer >= ${min}, not "${s}".`);
    return n;
  };
  const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const tasks = v.tasks === undefined ? [...DEFAULTS.tasks] : list(v.tasks);
  for (const t of tasks) if (!TASKS.includes(t as Task)) throw new SambaError('config', `--tasks: unknown task "${t}" (known: ${TASKS.join(', ')}).`);
  if (v['legacy-left-to-right'] && !tasks.includes('nextline')) tasks.push('nextline');
  const settings = v.settings === undefined ? DEFAULTS.settings : list(v.settings);
  for (const s of settings) if (!SETTINGS.includes(s as Setting)) throw new SambaError('config', `--settings: unknown setting "${s}" (known: a current file, b + workspace state, c + state + context block).`);
  if (!settings.length) throw new SambaError('config', '--settings needs at least one of a, b, c.');
  if (v.targets !== undefined && v.samples !== undefined && v.targets !== v.samples) throw new SambaError('config', `--targets and --samples are the same setting; give one (got ${v.targets} and ${v.samples}).`);
  const filler = v['passkey-filler'] ?? DEFAULTS.passkeyFiller;
  if (filler !== 'sentence' && filler !== 'code') throw new SambaError('config', `--passkey-filler must be sentence or code, not "${filler}".`);
  const depths = v['passkey-depths'] === undefined ? DEFAULTS.passkeyDepths : list(v['passkey-depths']).map(Number);
  if (depths.some((d) => !(d >= 0 && d <= 1))) throw new SambaError('config', '--passkey-depths must be fractions between 0 and 1.');
  const layout = v.layout ?? DEFAULTS.layout;
  if (layout !== 'prefix' && layout !== 'fim') throw new SambaError('config', `--layout must be prefix or fim, not "${layout}".`);
  let shard: Shard | undefined;
  if (v.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(v.shard.trim());
    const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
    if (!(count >= 1 && index >= 1 && index <= count)) throw new SambaError('config', `--shard must be I/N with 1 <= I <= N (for example 2/4), not "${v.shard}".`);
    shard = { index, count };
  }
  return {
    repos: list(v.repos),
    shard,
    tasks: tasks as Task[],
    samples: v.targets !== undefined ? int('targets', v.targets, DEFAULTS.samples, 1) : int('samples', v.samples, DEFAULTS.samples, 1),
    settings: [...new Set(settings)] as Setting[],
    json: v.json,
    blockTokens: int('block-tokens', v['block-tokens'], DEFAULTS.blockTokens, 1),
    layout,
    typed: int('typed', v.typed, DEFAULTS.typed),
    ...(v['recent-edit'] !== undefined ? { recentEdit: recentEditKind(v['recent-edit']) } : {}),
    ...(v.writing ? { writing: true } : {}),
    prefixChars: int('prefix-chars', v['prefix-chars'], DEFAULTS.prefixChars),
    candidates: int('candidates', v.candidates, DEFAULTS.candidates),
    seed: int('seed', v.seed, DEFAULTS.seed),
    budgetTokens: int('budget-tokens', v['budget-tokens'], DEFAULTS.budgetTokens),
    folds: int('folds', v.folds, DEFAULTS.folds),
    maxLineTokens: int('max-line-tokens', v['max-line-tokens'], DEFAULTS.maxLineTokens, 1),
    maxPrefixChars: int('max-prefix-chars', v['max-prefix-chars'], DEFAULTS.maxPrefixChars),
    maxLen: int('max-len', v['max-len'], DEFAULTS.maxLen, 16),
    pplSeqs: int('ppl-seqs', v['ppl-seqs'], DEFAULTS.pplSeqs, 1),
    passkeyLengths: v['passkey-lengths'] === undefined ? DEFAULTS.passkeyLengths : list(v['passkey-lengths']).map((s) => int('passkey-lengths', s, 0, 64)),
    passkeyDepths: depths,
    passkeyTrials: int('passkey-trials', v['passkey-trials'], DEFAULTS.passkeyTrials, 1),
    passkeyFiller: filler,
    details: v.details,
    questions: v.questions ?? DEFAULTS.questions,
  };
}
