// Load the extension must hold (issue 7), through the real model worker thread; the main thread
// stands for the extension host, and its event-loop delay is what typing would feel.
//  1. a workspace of 10,000 small files, and one of a single 50 MB file: time, peak RSS;
//  2. edits at 1,000 a minute across files: backlog over time, event-loop delay p99;
//  3. completion requests at 20 keystrokes a second: superseded work aborted, memory flat.
// usage: node out/bench/load.js [--model DIR] [--files 10000] [--edit-seconds 60] [--type-seconds 30]
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelWorkerClient } from '../src/worker/client';

const mb = (b: number) => Math.round(b / 1024 / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'test/fixtures/samba-tiny' }, files: { type: 'string', default: '10000' }, 'edit-seconds': { type: 'string', default: '60' }, 'type-seconds': { type: 'string', default: '30' } } });
  const client = new ModelWorkerClient();
  const keepAlive = setInterval(() => undefined, 1000); // the worker is unref'd, as in the extension host
  const summary = await client.request('load', { modelDir: values.model!, backend: 'auto' });
  const base = { model: summary.model, device: summary.deviceName };
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

  // 1a. Many files.
  const many = mkdtempSync(path.join(tmpdir(), 'samba-load-many-'));
  const n = Number(values.files);
  for (let d = 0; d < n / 100; d++) {
    mkdirSync(path.join(many, `pkg${d}`));
    for (let i = 0; i < 100; i++) writeFileSync(path.join(many, `pkg${d}`, `m${i}.ts`), `export const value${d}_${i} = ${i};\nexport function f${i}(x: number) { return x + value${d}_${i}; }\n`);
  }
  peak = 0;
  let t0 = performance.now();
  let r = await client.request('open', { root: many, filter: {}, budgetTokens: 0 });
  console.log(JSON.stringify({ ...base, kind: 'many-files', files: n, inContext: r.files.length, overBudget: r.overBudget.length, budgetTokens: r.budgetTokens, contextTokens: r.totalTokens, seconds: +((performance.now() - t0) / 1000).toFixed(1), peakRssMiB: mb(peak) }));

  // 1b. One 50 MB file (and a small one beside it).
  const big = mkdtempSync(path.join(tmpdir(), 'samba-load-big-'));
  writeFileSync(path.join(big, 'huge.js'), 'x'.repeat(50 * 1024 * 1024));
  writeFileSync(path.join(big, 'small.ts'), 'export const small = 1;\n');
  peak = 0;
  t0 = performance.now();
  r = await client.request('open', { root: big, filter: {}, budgetTokens: 0 });
  console.log(JSON.stringify({ ...base, kind: 'one-50MB-file', inContext: r.files.map((f) => f.path), skipped: r.skipped, seconds: +((performance.now() - t0) / 1000).toFixed(2), peakRssMiB: mb(peak) }));
  rmSync(big, { recursive: true, force: true });

  // 2. Edits at 1,000 a minute across 100 files of the many-file workspace, unsaved (text sent).
  r = await client.request('open', { root: many, filter: {}, budgetTokens: 20_000 });
  const targets = r.files.slice(-100).map((f) => f.path);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const backlog: number[] = [];
  const editSeconds = Number(values['edit-seconds']);
  t0 = performance.now();
  let edits = 0;
  while (performance.now() - t0 < editSeconds * 1000) {
    const p = targets[edits % targets.length];
    void client.request('update', { changes: [{ kind: 'edit', path: p, text: `export const edited${edits} = ${edits};\n` }] });
    edits++;
    if (edits % 100 === 0) backlog.push((await client.request('describe', null)).pendingChanges);
    await sleep(60);
  }
  const drainStart = performance.now();
  await client.request('whenIdle', null);
  delay.disable();
  console.log(JSON.stringify({ ...base, kind: 'edits', perMinute: Math.round(edits / (editSeconds / 60)), edits, seconds: editSeconds, pendingSampled: backlog, drainSecondsAfter: +((performance.now() - drainStart) / 1000).toFixed(2), hostEventLoopDelayMs: { p50: +(delay.percentile(50) / 1e6).toFixed(1), p99: +(delay.percentile(99) / 1e6).toFixed(1), max: +(delay.max / 1e6).toFixed(1) } }));

  // 3. Completions at 20 keystrokes a second.
  const typeSeconds = Number(values['type-seconds']);
  const rss0 = process.memoryUsage().rss;
  let done = 0, aborted = 0;
  const pending: Promise<unknown>[] = [];
  t0 = performance.now();
  for (let k = 0; performance.now() - t0 < typeSeconds * 1000; k++) {
    const prefix = `export function typed() {\n  return ${'a'.repeat(k % 200)}`;
    pending.push(client.request('complete', { path: 'src/typed.ts', prefix, suffix: '\n}\n', maxTokens: 16, lineBudgetMs: 500, deadlineMs: 2000 }).then((c) => (c.stopped === 'aborted' ? aborted++ : done++), () => aborted++));
    await sleep(50);
  }
  await Promise.allSettled(pending);
  clearInterval(sampler);
  console.log(JSON.stringify({ ...base, kind: 'keystrokes-20-per-s', requests: pending.length, completed: done, abortedOrSuperseded: aborted, rssStartMiB: mb(rss0), rssEndMiB: mb(process.memoryUsage().rss) }));
  rmSync(many, { recursive: true, force: true });
  await client.terminate();
  clearInterval(keepAlive);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
