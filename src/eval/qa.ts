import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { SambaError } from '../model/errors';
import { packagePath } from '../package-files';
import { LocalAssistant } from '../assistant/local-assistant';
import { createDecoder } from '../backend/decoder';
import { Bm25Index } from '../qa/bm25';
import { answerQuestion, questionPrompt } from '../qa/conversation';
import type { Source } from '../qa/messages';
import { RepoWorkspace } from './completion';
import type { QaQuestion } from './qa-questions';
import { summarize } from './stats';

/**
 * `samba eval --tasks qa`: questions whose answer is one known definition (training/data/qa-questions.json,
 * made by scripts/make-qa-questions.mjs), asked on the path the Q&A panel runs: the model worker's
 * assistAsk, i.e. answerQuestion over a BM25 index of the files the worker searches (RepoWorkspace.searched; the model re-ranks only files within MODEL_MARGIN of BM25's best: none by default),
 * the prompt of src/prompt/assist.ts and generation after the workspace state with the loop guard.
 * Without a model (`retrieval`), the same retrieval with BM25 alone: what is cited, no answer.
 */

export interface QaScore {
  readonly question: QaQuestion;
  readonly sources: readonly Source[];
  /** A cited passage is from the answer's file. */
  readonly fileCited: boolean;
  /** The first cited passage is. */
  readonly fileFirst: boolean;
  /** The cited passages of that file hold every answer line. */
  readonly linesCited: boolean;
  /** Where the answer's lead points (a definition, or the best passage). */
  readonly leadAt?: Source;
  /** The lead points at the answer: its place is in the answer's file and holds the answer's first line. */
  readonly leadOnAnswer: boolean;
  /** The places the answer lists where retrieval could not tell which answers (the lead's is the first). */
  readonly listed?: readonly Source[];
  /** The place the answer leads with, or one it lists, holds the answer's first line. */
  readonly placeOnAnswer: boolean;
  /** The lead's text (retrieval only: an answer holds its own). */
  readonly lead?: string;
  /**
   * Generated (absent for retrieval only). namesFile: the whole answer as the panel shows it, the
   * extension's lead (where retrieval's best source is) included; modelNamesFile: the model's own
   * words after the lead.
   */
  /** `dropped`: what the model wrote that the answer leaves out (src/qa/support.ts). */
  readonly answer?: { readonly text: string; readonly lead: string; readonly stopped: string; readonly dropped?: string; readonly namesFile: boolean; readonly modelNamesFile: boolean; readonly loops: boolean; readonly ms: number };
}

/** Scores what a question cited and answered against where its answer lives. */
export function scoreQuestion(question: QaQuestion, sources: readonly Source[], leadAt: Source | undefined, answer?: { text: string; lead?: string; stopped: string; dropped?: string; ms: number }, listed?: readonly Source[]): QaScore {
  const own = sources.filter((s) => s.path === question.path);
  const [a, b] = question.answerLines;
  const holds = (s: Source | undefined) => s?.path === question.path && s.startLine <= a && a <= s.endLine;
  let linesCited = true;
  for (let l = a; l <= b && linesCited; l++) linesCited = own.some((s) => s.startLine <= l && l <= s.endLine);
  return {
    question,
    sources,
    fileCited: own.length > 0,
    fileFirst: sources[0]?.path === question.path,
    linesCited: own.length > 0 && linesCited,
    leadOnAnswer: holds(leadAt),
    placeOnAnswer: (listed ?? [leadAt]).some(holds),
    ...(leadAt ? { leadAt } : {}),
    ...(listed ? { listed } : {}),
    ...(answer ? { answer: scoreAnswer(question, { lead: '', ...answer }) } : {}),
  };
}

function scoreAnswer(question: QaQuestion, a: { text: string; lead: string; stopped: string; dropped?: string; ms: number }): NonNullable<QaScore['answer']> {
  const own = a.text.startsWith(a.lead) ? a.text.slice(a.lead.length) : a.text;
  return { ...a, namesFile: namesFile(a.text, question.path), modelNamesFile: namesFile(own, question.path), loops: a.stopped === 'loop' || loops(a.text) };
}

/** The answer names the file: its path, or its file name as a word (`command.go`, not `subcommand.go`). */
export function namesFile(text: string, file: string): boolean {
  if (text.includes(file)) return true;
  const base = path.posix.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.-])${base}(?![\\w-])`).test(text);
}

/**
 * Loops the user would see, judged on the final text and apart from the guard: a line (with a
 * letter) right after the same line, or the same 4 words three times in a row.
 */
export function loops(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = 1; i < lines.length; i++) if (lines[i] === lines[i - 1] && /\p{L}/u.test(lines[i])) return true;
  const words = text.split(/\s+/).filter(Boolean);
  for (let n = 1; n <= 8; n++) {
    for (let i = 0; i + 3 * n <= words.length; i++) {
      const a = words.slice(i, i + n).join(' ');
      if (n * 3 >= 4 && a === words.slice(i + n, i + 2 * n).join(' ') && a === words.slice(i + 2 * n, i + 3 * n).join(' ')) return true;
    }
  }
  return false;
}

export interface QaFile {
  readonly questions: QaQuestion[];
}

/** The committed question set; every question's repository must be among `repos` (by folder name). */
export function loadQuestions(file: string, repos: readonly string[]): QaQuestion[] {
  // The default, training/data/qa-questions.json, is the package's wherever the CLI runs from.
  if (!path.isAbsolute(file) && !existsSync(file) && existsSync(packagePath(file))) file = packagePath(file);
  if (!existsSync(file)) throw new SambaError('config', `--questions ${file}: no such file. Make it with node scripts/make-qa-questions.mjs (after bash scripts/fetch-eval-repos.sh).`);
  let doc: QaFile;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SambaError('config', `--questions ${file}: cannot read it as JSON (${(e as Error).message}). Regenerate it with node scripts/make-qa-questions.mjs.`);
  }
  if (!Array.isArray(doc?.questions)) throw new SambaError('config', `--questions ${file}: no "questions" list. Regenerate it with node scripts/make-qa-questions.mjs.`);
  const names = new Set(repos.map((r) => path.basename(path.resolve(r))));
  const missing = [...new Set(doc.questions.map((q) => q.repo))].filter((r) => !names.has(r));
  if (missing.length === new Set(doc.questions.map((q) => q.repo)).size)
    throw new SambaError('config', `--questions ${file} asks about ${missing.join(', ')}, none of which is in --repos (fetch them with bash scripts/fetch-eval-repos.sh DIR and pass DIR/<name> folders).`);
  return doc.questions.filter((q) => names.has(q.repo));
}

export interface QaRunOptions {
  /** Generate answers (the whole path); false: retrieval with BM25 alone. */
  readonly answer: boolean;
  readonly budgetTokens: number;
  /** Tokens an answer may take (default: the panel's). */
  readonly maxTokens?: number;
  readonly onProgress?: (s: string) => void;
  readonly onResult?: (r: QaScore & { repo: string; mode: string }) => void;
}

/** Every question of `repos`, on the Q&A path (or its retrieval alone); results in question order. */
export async function runQa(engine: Engine, tokenizer: Tokenizer, repos: readonly string[], questions: readonly QaQuestion[], o: QaRunOptions): Promise<QaScore[]> {
  const out: QaScore[] = [];
  const decoder = o.answer ? await createDecoder(engine, engine.model) : undefined;
  try {
    for (const dir of repos) {
      const name = path.basename(path.resolve(dir));
      const mine = questions.filter((q) => q.repo === name);
      if (!mine.length) continue;
      const ws = await RepoWorkspace.open(dir, engine, tokenizer, { budgetTokens: o.budgetTokens });
      // The worker's files: what it searches with no file active (the Q&A panel): every file the folder admits.
      const files = ws.searched('');
      for (const q of mine) if (!files.has(q.path)) throw new SambaError('config', `${q.path} (question "${q.question}") is not among the files ${name} reads: the question set and the repository differ; regenerate the questions.`);
      const index = new Bm25Index();
      let target: Awaited<ReturnType<RepoWorkspace['open']>> | undefined;
      try {
        if (o.answer) target = await ws.open('');
        const assistant = target && new LocalAssistant({ engine, decoder, tokenizer, files, workspace: () => target!.context.ready() });
        for (const [i, q] of mine.entries()) {
          const signal = new AbortController().signal;
          let score: QaScore;
          if (assistant) {
            const t0 = performance.now();
            const a = await answerQuestion(assistant, index, files, q.question, [], { onSources: () => undefined, onText: () => undefined }, signal, o.maxTokens ? { maxTokens: o.maxTokens } : {});
            // Scored without the code it ends with: what the model wrote is what may loop or name the file.
            score = scoreQuestion(q, a.sources, a.leadAt, { text: a.text.slice(0, a.text.length - a.excerpt.length), lead: a.lead, stopped: a.stopped, ...(a.dropped ? { dropped: a.dropped } : {}), ms: Math.round(performance.now() - t0) }, a.listed);
          } else {
            const p = await questionPrompt(undefined, index, files, q.question, [], signal);
            score = { ...scoreQuestion(q, p.sources, p.leadAt, undefined, p.listed), lead: p.lead };
          }
          out.push(score);
          o.onResult?.({ ...score, repo: name, mode: o.answer ? 'answer' : 'retrieval' });
          o.onProgress?.(`${name}: question ${i + 1}/${mine.length} ${score.linesCited ? 'lines cited' : score.fileCited ? 'file cited' : 'missed'}${score.answer ? `, ${score.answer.namesFile ? 'names the file' : 'does not name the file'}${score.answer.loops ? ', LOOPS' : ''} (${(score.answer.ms / 1000).toFixed(1)} s)` : ''}: ${q.question}`);
        }
      } finally {
        target?.dispose();
        ws.close();
      }
    }
  } finally {
    decoder?.dispose();
  }
  return out;
}

export interface QaReport {
  readonly questions: number;
  readonly fileCited: Rate;
  readonly fileFirst: Rate;
  readonly linesCited: Rate;
  readonly leadOnAnswer: Rate;
  /** Answers that list close places instead of leading with one. */
  readonly listed: number;
  readonly placeOnAnswer: Rate;
  readonly namesFile?: Rate;
  readonly modelNamesFile?: Rate;
  readonly loops?: number;
  readonly stopped?: Record<string, number>;
  readonly meanSeconds?: number;
}

interface Rate {
  readonly mean: number;
  readonly ci95: [number, number];
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function rate(xs: readonly boolean[], seed: number): Rate {
  const s = summarize(xs.map(Number), seed);
  return { mean: r4(s.mean), ci95: [r4(s.ci95[0]), r4(s.ci95[1])] };
}

export function reportQa(scores: readonly QaScore[], seed = 1): QaReport {
  const answered = scores.filter((s) => s.answer);
  const stopped: Record<string, number> = {};
  for (const s of answered) stopped[s.answer!.stopped] = (stopped[s.answer!.stopped] ?? 0) + 1;
  return {
    questions: scores.length,
    fileCited: rate(scores.map((s) => s.fileCited), seed),
    fileFirst: rate(scores.map((s) => s.fileFirst), seed),
    linesCited: rate(scores.map((s) => s.linesCited), seed),
    leadOnAnswer: rate(scores.map((s) => s.leadOnAnswer), seed),
    listed: scores.filter((s) => s.listed).length,
    placeOnAnswer: rate(scores.map((s) => s.placeOnAnswer), seed),
    ...(answered.length
      ? {
          namesFile: rate(answered.map((s) => s.answer!.namesFile), seed),
          modelNamesFile: rate(answered.map((s) => s.answer!.modelNamesFile), seed),
          loops: answered.filter((s) => s.answer!.loops).length,
          stopped,
          meanSeconds: r4(answered.reduce((n, s) => n + s.answer!.ms, 0) / answered.length / 1000),
        }
      : {}),
  };
}

const pct = (r: Rate) => `${(r.mean * 100).toFixed(1)}% [${(r.ci95[0] * 100).toFixed(0)}, ${(r.ci95[1] * 100).toFixed(0)}]`;

/** The summary's lines: one row per repository and one for all. */
export function qaTable(rows: readonly { repo: string; report: QaReport }[]): string[] {
  const answered = rows.some((r) => r.report.namesFile);
  const head = `  ${'repository'.padEnd(34)} ${'n'.padStart(3)}  ${'file cited'.padEnd(18)} ${'file first'.padEnd(18)} ${'lines cited'.padEnd(18)} ${'lead on answer'.padEnd(18)} ${'listed'.padStart(6)}  ${'place on answer'.padEnd(18)}${answered ? ` ${'names file'.padEnd(18)} ${'model names it'.padEnd(18)} loops` : ''}`;
  return [
    head,
    ...rows.map(({ repo, report: r }) => `  ${repo.padEnd(34)} ${String(r.questions).padStart(3)}  ${pct(r.fileCited).padEnd(18)} ${pct(r.fileFirst).padEnd(18)} ${pct(r.linesCited).padEnd(18)} ${pct(r.leadOnAnswer).padEnd(18)} ${String(r.listed).padStart(6)}  ${pct(r.placeOnAnswer).padEnd(18)}${r.namesFile ? ` ${pct(r.namesFile).padEnd(18)} ${pct(r.modelNamesFile!).padEnd(18)} ${r.loops}` : ''}`),
  ];
}
