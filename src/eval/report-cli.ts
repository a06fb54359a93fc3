/**
 * Tables from the JSON files of `samba eval --json` runs, pooled as one run:
 *   node out/src/eval/report-cli.js run1.json run2.json ... > tables.md
 */
import { readFileSync } from 'node:fs';
import { reportFromRuns, type TargetRecord } from './report';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node out/src/eval/report-cli.js RUN.json [RUN.json ...]   (files written by samba eval --json)');
  process.exit(1);
}
const docs = files.map((f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as { targets: TargetRecord[] };
  } catch (e) {
    console.error(`error: ${f} is not the JSON of samba eval --json (${(e as Error).message})`);
    process.exit(1);
  }
});
process.stdout.write(reportFromRuns(docs));
