import type { Score, Setting, TargetResult } from './completion';
import { hashString, summarize } from './stats';
import { firstLineSure, MIN_SCORE, type ConfidenceLevel } from '../completion/confidence';

const CONFIDENCE_LEVELS: readonly ConfidenceLevel[] = ['any', 'likely', 'sure'];

export type Metric = 'exact' | 'editSim' | 'idExact';
export const METRICS: readonly Metric[] = ['exact', 'editSim', 'idExact'];
const METRIC_NAMES: Record<Metric, string> = { exact: 'exact match', editSim: 'edit similarity', idExact: 'identifier EM' };
export type Subset = 'all' | 'cross-file';

type Stat = ReturnType<typeof summarize>;

export interface SubsetReport {
  readonly subset: Subset;
  readonly n: number;
  /** Per setting, per metric: mean with its bootstrap 95% interval. */
  readonly settings: Partial<Record<Setting, Record<Metric, Stat>>>;
  /** Paired differences ("b-a", "c-a", "c-b"), per metric, over the targets both settings ran. */
  readonly differences: Record<string, Record<Metric, Stat>>;
}

/** One score's value of a metric: edit similarity, or 1/0 for a match. */
const metric = (sc: Score, m: Metric): number => (m === 'editSim' ? sc.editSim : sc[m] ? 1 : 0);

const value = (r: TargetResult, s: Setting, m: Metric): number | undefined => {
  const sc = r.scores[s];
  return sc && metric(sc, m);
};

/** The pairs reported: each later setting against each earlier one. */
export function pairs(settings: readonly Setting[]): [Setting, Setting][] {
  const order = (['a', 'b', 'c'] as Setting[]).filter((s) => settings.includes(s));
  const out: [Setting, Setting][] = [];
  for (let j = 1; j < order.length; j++) for (let i = 0; i < j; i++) out.push([order[j], order[i]]);
  return out;
}

/**
 * Means per setting and paired differences between settings, each with a percentile bootstrap 95%
 * interval over targets (resampling targets, so both settings of a pair move together).
 */
export function reportSubset(results: readonly TargetResult[], settings: readonly Setting[], subset: Subset, seed: number): SubsetReport {
  const rs = subset === 'all' ? results : results.filter((r) => r.crossFile.length > 0);
  const out: SubsetReport = { subset, n: rs.length, settings: {}, differences: {} };
  for (const s of settings) {
    const have = rs.filter((r) => r.scores[s]);
    if (!have.length) continue;
    (out.settings as Record<Setting, Record<Metric, Stat>>)[s] = Object.fromEntries(
      METRICS.map((m) => [m, summarize(have.map((r) => value(r, s, m)!), (seed ^ hashString(`${subset}/${s}/${m}`)) >>> 0)]),
    ) as Record<Metric, Stat>;
  }
  for (const [hi, lo] of pairs(settings)) {
    const both = rs.filter((r) => r.scores[hi] && r.scores[lo]);
    if (!both.length) continue;
    out.differences[`${hi}-${lo}`] = Object.fromEntries(
      METRICS.map((m) => [m, summarize(both.map((r) => value(r, hi, m)! - value(r, lo, m)!), (seed ^ hashString(`${subset}/${hi}-${lo}/${m}`)) >>> 0)]),
    ) as Record<Metric, Stat>;
  }
  return out;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}` : '-');
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}` : '-');
const cell = (s: Stat | undefined, f: (x: number) => string) => (s ? `${f(s.mean)} [${f(s.ci95[0])}, ${f(s.ci95[1])}]` : '');

/** A Markdown table: one row per repository and subset, settings then paired differences, in percent. */
export function table(rows: readonly { repo: string; report: SubsetReport }[], settings: readonly Setting[], metric: Metric): string {
  const ps = pairs(settings).map(([h, l]) => `${h}-${l}`);
  const head = ['repository', 'targets', ...settings.map((s) => `(${s})`), ...ps.map((p) => `${p} (paired)`)];
  const lines = [`${METRIC_NAMES[metric]}, % [bootstrap 95% interval]`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const { repo, report } of rows) {
    const name = report.subset === 'all' ? repo : `${repo}, cross-file lines`;
    lines.push(
      `| ${[name, String(report.n), ...settings.map((s) => cell(report.settings[s]?.[metric], pct)), ...ps.map((p) => cell(report.differences[p]?.[metric], signed))].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Per-target records as `samba eval --json` writes them (its `targets`). */
export interface TargetRecord {
  readonly repo: string;
  readonly path: string;
  readonly line: number;
  readonly truth: string;
  readonly crossFile: string[];
  readonly a?: Score;
  readonly b?: Score;
  readonly c?: Score;
}

/**
 * Tables from the JSON of one or more runs (e.g. one per repository on a GPU machine whose commands
 * are time-limited), pooled as one run would pool them (src/eval/report-cli.ts).
 */
export function reportFromRuns(docs: readonly { targets: TargetRecord[] }[], seed = 0): string {
  const results: TargetResult[] = docs.flatMap((d) =>
    d.targets.map((t) => ({
      target: { repo: t.repo, path: t.path, line: t.line - 1, truth: t.truth } as TargetResult['target'],
      crossFile: t.crossFile,
      scores: Object.fromEntries((['a', 'b', 'c'] as const).filter((s) => t[s]).map((s) => [s, t[s]!])),
    })),
  );
  const settings = (['a', 'b', 'c'] as const).filter((s) => results.some((r) => r.scores[s]));
  const repos = [...new Set(results.map((r) => r.target.repo))];
  const rows: { repo: string; report: SubsetReport }[] = [];
  for (const repo of [...repos, ...(repos.length > 1 ? ['all'] : [])]) {
    const rs = repo === 'all' ? results : results.filter((r) => r.target.repo === repo);
    for (const subset of ['all', 'cross-file'] as const) rows.push({ repo, report: reportSubset(rs, settings, subset, seed) });
  }
  return METRICS.map((m) => table(rows, settings, m)).join('\n\n') + '\n';
}

/**
 * Two runs of the same targets (e.g. a new model against the shipped one): per repository and over
 * all, per setting and metric, the paired difference new - old with its bootstrap 95% interval,
 * over the targets (repository, file, line) that both runs scored in that setting.
 */
export function compareRuns(news: readonly TargetRecord[], olds: readonly TargetRecord[], seed = 0): string {
  const key = (t: TargetRecord) => `${t.repo}\0${t.path}\0${t.line}`;
  const old = new Map(olds.map((t) => [key(t), t]));
  const both = news.filter((t) => old.has(key(t)));
  const repos = [...new Set(both.map((t) => t.repo))];
  const settings = (['a', 'b', 'c'] as const).filter((s) => both.some((t) => t[s] && old.get(key(t))![s]));
  const head = ['repository', 'targets', ...settings.flatMap((s) => METRICS.map((m) => `(${s}) ${METRIC_NAMES[m]}`))];
  const lines = [
    `new - old, paired over the targets both runs scored (% points [bootstrap 95% interval]); ${both.length} of ${news.length} new and ${olds.length} old targets in common`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  for (const repo of [...repos, ...(repos.length > 1 ? ['all'] : [])]) {
    const rs = repo === 'all' ? both : both.filter((t) => t.repo === repo);
    const cells = settings.flatMap((s) =>
      METRICS.map((m) => {
        const d = rs.flatMap((t) => {
          const before = old.get(key(t))![s];
          return t[s] && before ? [metric(t[s]!, m) - metric(before, m)] : [];
        });
        return d.length ? cell(summarize(d, (seed ^ hashString(`${repo}/${s}/${m}`)) >>> 0), signed) : '';
      }),
    );
    lines.push(`| ${[repo, String(rs.length), ...cells].join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Where a target's time went, per setting: mean ms and its stages (src/completion/pipeline.ts
 * StageMs), mean tokens prefilled and generated. Records without stage times count in the mean only.
 */
export function timingTable(targets: readonly TargetRecord[]): string {
  const stages = ['block', 'prompt', 'prefill', 'generate', 'postprocess'] as const;
  const head = ['setting', 'targets', 'ms mean', 'ms p50', ...stages.map((k) => `${k} ms`), 'prefilled', 'generated'];
  const lines = ['time per target (mean over targets; stage means over those with stage times)', '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN);
  for (const s of ['a', 'b', 'c'] as const) {
    const sc = targets.map((t) => t[s]).filter((x): x is Score => x !== undefined);
    if (!sc.length) continue;
    const ms = sc.map((x) => x.ms).sort((a, b) => a - b);
    const timed = sc.filter((x) => x.stageMs);
    lines.push(
      `| ${[s, sc.length, mean(ms).toFixed(0), ms[ms.length >> 1].toFixed(0), ...stages.map((k) => (timed.length ? mean(timed.map((x) => x.stageMs![k])).toFixed(0) : '-')), mean(sc.map((x) => x.prefilled)).toFixed(0), mean(sc.map((x) => x.generated)).toFixed(1)].join(' | ')} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The line's log-probability a score was judged by: recorded, or (runs before it was) the chosen candidate's. */
function lineLogProbOf(sc: Score): number | undefined {
  return sc.lineLogProb ?? (sc.candidates ? sc.candidates.lines[sc.candidates.index]?.line : undefined);
}

/** log p(the next line | the chosen line), where the line was chosen among candidates and judged with it. */
function nextLogProbOf(sc: Score): number | undefined {
  return sc.leavesBlock ? undefined : sc.candidates?.lines[sc.candidates.index]?.next;
}

/**
 * What a user sees at each samba.completions.confidence level (src/completion/confidence.ts), per
 * repository and setting: the share of targets that get a suggestion, and of those the share exactly
 * right and their edit similarity (bootstrap 95% interval). At "any" every suggestion counts, as in
 * the tables above; an empty suggestion is never shown.
 */
export function confidenceTable(targets: readonly Pick<TargetRecord, 'repo' | 'a' | 'b' | 'c'>[], seed = 0): string {
  const head = ['repository', 'setting', ...CONFIDENCE_LEVELS.map((l) => `${l}: shown, exact of shown, edit sim of shown`)];
  const lines = ['what the editor shows by samba.completions.confidence (% of targets shown; exact % [95% interval] and edit similarity of the shown)', '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const repos = [...new Set(targets.map((t) => t.repo))];
  for (const repo of [...repos, ...(repos.length > 1 ? ['all'] : [])]) {
    const rs = repo === 'all' ? targets : targets.filter((t) => t.repo === repo);
    for (const s of ['a', 'b', 'c'] as const) {
      const sc = rs.map((t) => t[s]).filter((x): x is Score => x !== undefined);
      if (!sc.length) continue;
      const cells = CONFIDENCE_LEVELS.map((level) => {
        const shown = sc.filter((x) => x.predicted.trim() !== '' && firstLineSure({ lineLogProb: lineLogProbOf(x), nextLogProb: nextLogProbOf(x), leavesBlock: x.leavesBlock === true, between: x.candidates?.lines[x.candidates.index]?.kind === 'between', line: x.predicted }, MIN_SCORE[level]));
        if (!shown.length) return `0%`;
        const exact = summarize(shown.map((x) => (x.exact ? 1 : 0)), (seed ^ hashString(`${repo}/${s}/${level}`)) >>> 0);
        const sim = shown.reduce((a, x) => a + x.editSim, 0) / shown.length;
        return `${pct(shown.length / sc.length)}%, ${cell(exact, pct)}, ${sim.toFixed(3)}`;
      });
      lines.push(`| ${[repo, s, ...cells].join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}
