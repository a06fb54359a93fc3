// Load the extension must hold (issue 7), through the real model worker thread; the main thread
// stands for the extension host, and its event-loop delay is what typing would feel.
//  1. a workspace of 10,000 small files, and one of a single 50 MB file: time, peak RSS;
//  2. edits at 1,000 a minute across files: backlog over time, event-loop delay p99;
//  3. completion requests at 20 keystrokes a second: superseded work aborted, memory flat.
// Each line carries the engine's GPU bytes (now and peak since load; lavapipe keeps them in host memory).
// usage: node out/bench/load.js [--model DIR] [--files 10000] [--edit-seconds 60] [--type-seconds 30]
//          [--cases files,big,edits,type] (a subset runs only those cases)
import { cliArgs } from '../src/cli-args';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelWorkerClient } from '../src/worker/client';

const mb = (b: number) => Math.round(b / 1024 / 1024);
const mib1 = (b: number) => +(b / 1024 / 1024).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const USAGE = `usage: node out/bench/load.js [--model DIR] [--files 10000] [--edit-seconds 60] [--type-seconds 30]
       [--cases files,big,edits,type]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string', default: 'test/fixtures/samba-tiny' },
    files: { type: 'int', default: 10000, min: 100, max: 1_000_000 },
    'edit-seconds': { type: 'number', default: 60, min: 0, max: 86_400 },
    'type-seconds': { type: 'number', default: 30, min: 0, max: 86_400 },
    cases: { type: 'string', default: 'files,big,edits,type' },
  });
  const cases = new Set(values.cases!.split(','));
  for (const c of cases) if (!['files', 'big', 'edits', 'type'].includes(c)) throw new Error(`--cases: unknown case "${c}"; use files, big, edits, type`);
  const client = new ModelWorkerClient();
  const keepAlive = setInterval(() => undefined, 1000); // the worker is unref'd, as in the extension host
  const summary = await client.request('load', { modelDir: values.model!, backend: 'auto' });
  const base = { model: summary.model, device: summary.deviceName };
  const gpu = async () => {
    const d = await client.request('describe', null);
    return { gpuMiB: mib1(d.gpuBytes), peakGpuMiB: mib1(d.peakGpuBytes) };
  };
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

  // 1a. Many files.
  const many = mkdtempSync(path.join(tmpdir(), 'samba-load-many-'));
  const n = Number(values.files);
  for (let d = 0; d < n / 100; d++) {
    mkdirSync(path.join(many, `pkg${d}`));
    for (let i = 0; i < 100; i++) writeFileSync(path.join(many, `pkg${d}`, `m${i}.ts`), `export const value${d}_${i} = ${i};\nexport function f${i}(x: number) { return x + value${d}_${i}; }\n`);
  }
  let t0 = performance.now();
  if (cases.has('files')) {
    peak = 0;
    t0 = performance.now();
    const r = await client.request('open', { root: many, filter: {}, budgetTokens: 0 });
    console.log(JSON.stringify({ ...base, kind: 'many-files', files: n, inContext: r.files.length, overBudget: r.overBudget.length, budgetTokens: r.budgetTokens, contextTokens: r.totalTokens, seconds: +((performance.now() - t0) / 1000).toFixed(1), peakRssMiB: mb(peak), ...(await gpu()) }));
  }

  // 1b. One 50 MB file (and a small one beside it).
  if (cases.has('big')) {
    const big = mkdtempSync(path.join(tmpdir(), 'samba-load-big-'));
    writeFileSync(path.join(big, 'huge.js'), 'x'.repeat(50 * 1024 * 1024));
    writeFileSync(path.join(big, 'small.ts'), 'export const small = 1;\n');
    peak = 0;
    t0 = performance.now();
    const r = await client.request('open', { root: big, filter: {}, budgetTokens: 0 });
    console.log(JSON.stringify({ ...base, kind: 'one-50MB-file', inContext: r.files.map((f) => f.path), skipped: r.skipped, seconds: +((performance.now() - t0) / 1000).toFixed(2), peakRssMiB: mb(peak), ...(await gpu()) }));
    rmSync(big, { recursive: true, force: true });
  }

  // 2. Edits at 1,000 a minute (one every 60 ms) across 100 files of the many-file workspace, unsaved (text sent).
  const r = await client.request('open', { root: many, filter: {}, budgetTokens: 20_000 });
  const targets = r.files.slice(-100).map((f) => f.path);
  if (cases.has('edits')) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const backlog: number[] = [];
    const rss: number[] = [];
    const editSeconds = Number(values['edit-seconds']);
    t0 = performance.now();
    let edits = 0;
    let nextSample = 0;
    while (performance.now() - t0 < editSeconds * 1000) {
      const p = targets[edits % targets.length];
      void client.request('update', { changes: [{ kind: 'edit', path: p, text: `export const edited${edits} = ${edits};\n` }] });
      edits++;
      if (performance.now() - t0 >= nextSample) {
        backlog.push((await client.request('describe', null)).pendingChanges);
        rss.push(mb(process.memoryUsage().rss));
        nextSample += 10_000;
      }
      await sleep(Math.max(0, t0 + edits * 60 - performance.now()));
    }
    const drainStart = performance.now();
    await client.request('whenIdle', null);
    delay.disable();
    const ms = (ns: number) => +(ns / 1e6).toFixed(1);
    console.log(JSON.stringify({ ...base, kind: 'edits', perMinute: Math.round(edits / (editSeconds / 60)), edits, seconds: editSeconds, sampleEverySeconds: 10, pendingSampled: backlog, rssSampledMiB: rss, rssEndMiB: mb(process.memoryUsage().rss), drainSecondsAfter: +((performance.now() - drainStart) / 1000).toFixed(2), hostEventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) }, ...(await gpu()) }));
  }

  // 3. Completions at 20 keystrokes a second.
  if (cases.has('type')) {
    const typeSeconds = Number(values['type-seconds']);
    const rss: number[] = [];
    let done = 0, aborted = 0;
    const pending: Promise<unknown>[] = [];
    peak = 0;
    t0 = performance.now();
    let nextSample = 0;
    for (let k = 0; performance.now() - t0 < typeSeconds * 1000; k++) {
      if (performance.now() - t0 >= nextSample) {
        rss.push(mb(process.memoryUsage().rss));
        nextSample += 5_000;
      }
      const prefix = `export function typed() {\n  return ${'a'.repeat(k % 200)}`;
      pending.push(client.request('complete', { path: 'src/typed.ts', prefix, suffix: '\n}\n', maxTokens: 16, lineBudgetMs: 500, deadlineMs: 2000 }).then((c) => (c.stopped === 'aborted' ? aborted++ : done++), () => aborted++));
      await sleep(50);
    }
    await Promise.allSettled(pending);
    console.log(JSON.stringify({ ...base, kind: 'keystrokes-20-per-s', seconds: typeSeconds, requests: pending.length, completed: done, abortedOrSuperseded: aborted, sampleEverySeconds: 5, rssSampledMiB: rss, rssEndMiB: mb(process.memoryUsage().rss), peakRssMiB: mb(peak), ...(await gpu()) }));
  }
  clearInterval(sampler);
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
