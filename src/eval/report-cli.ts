/**
 * Tables from `samba eval` runs, pooled as one run:
 *   node out/src/eval/report-cli.js run1.json run2.jsonl ... > tables.md
 * or one run against another on the same targets (a new model against the shipped one), paired:
 *   node out/src/eval/report-cli.js new/eval-*.jsonl --against old/eval-*.jsonl
 * A .json file is what --json writes; a .jsonl file what --details writes (one target a line), so
 * a run cut short still counts with the targets it finished. A target given twice counts once.
 */
import { readFileSync } from 'node:fs';
import { compareRuns, confidenceTable, reportFromRuns, timingTable, type TargetRecord } from './report';

const args = process.argv.slice(2);
const at = args.indexOf('--against');
const files = at < 0 ? args : args.slice(0, at);
const olds = at < 0 ? [] : args.slice(at + 1);
if (!files.length || (at >= 0 && !olds.length)) {
  console.error('usage: node out/src/eval/report-cli.js RUN.json|RUN.jsonl [...] [--against OLD.json|OLD.jsonl ...]   (files written by samba eval --json or --details)');
  process.exit(1);
}

/** The targets of these files, each (repository, file, line) once: the last file that has it wins. */
function readTargets(files: readonly string[]): TargetRecord[] {
  const targets = new Map<string, TargetRecord>();
  let repeated = 0;
  for (const f of files) {
    let records: TargetRecord[];
    try {
      const text = readFileSync(f, 'utf8');
      records = f.endsWith('.jsonl')
        ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as TargetRecord)
        : (JSON.parse(text) as { targets: TargetRecord[] }).targets;
      if (!Array.isArray(records) || records.some((t) => typeof t?.repo !== 'string' || typeof t.line !== 'number')) throw new Error('no per-target records in it');
    } catch (e) {
      console.error(`error: ${f} is not a file written by samba eval --json (.json) or --details (.jsonl): ${(e as Error).message}`);
      process.exit(1);
    }
    for (const t of records) {
      const key = `${t.repo}\0${t.path}\0${t.line}`;
      if (targets.has(key)) repeated++;
      targets.set(key, t);
    }
  }
  if (repeated) console.error(`note: ${repeated} targets appeared in more than one file and count once`);
  return [...targets.values()];
}

const news = readTargets(files);
if (olds.length) process.stdout.write(compareRuns(news, readTargets(olds)));
else process.stdout.write(reportFromRuns([{ targets: news }]) + '\n' + confidenceTable(news) + '\n' + timingTable(news));
