// Workspace context and completion latency, at engine level (ModelSession, as in the model worker):
//  - cold indexing time against workspace size (should grow linearly),
//  - cost of an edit against workspace size (should stay flat: the file plus a bounded tail),
//  - keystroke-to-suggestion latency p50/p95 while typing a line.
//  - where a cold read's time goes: reading the folder (scan, read, tokenize, order) apart from
//    the pass, the host's time waiting for the GPU in the pass (the engine's read clocks it), the
//    process's CPU time, and what the host asked of the device per file (submits, buffers, bind
//    groups, read-backs, error scopes).
// usage: node out/bench/workspace-speed.js [--model DIR] [--backend gpu|cpu] [--sizes 8,16,32,64] [--keystrokes 40]
//   [--warmup N]: first read N files once, reported apart, so the first size is not charged the process's first-use costs.
//   [--no-stream]: the folder read whole before the pass (the session's streamFirstRead off); by
//   default a read asked after the load runs its pass as the folder is read (cold.streamed), as the
//   session does where the folder fits the budget by its sizes (this bench's budget: 10 M tokens).
//   [--shrink]: the model's layers, window and tokenizer with tiny widths and random weights, so
//   the host's share shows on a software adapter (lavapipe), where the GPU work would hide it.
//   [--load-only]: only reading the folder, no model weights or device; two rounds per size: as a
//   streamed read gives it (streamWorkspaceFiles), or with --no-stream whole (scan, read, tokenize,
//   order: loadWorkspaceFiles); firstMs: when the first file could enter a pass.
//   [--start together|sequential]: a start-up, in this fresh process, for the first size: from the
//   model's load to the workspace context ready, the open asked right after the load (the
//   extension's way: the folder is read while the model loads) or after it ends (the old way);
//   [--storage DIR]: with saved states under DIR, as the extension keeps them (a fresh DIR: the first read).
import { cliArgs } from '../src/cli-args';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ModelSession } from '../src/worker/session';
import type { Backend } from '../src/backend/create';
import { writeSafetensors } from '../src/model/safetensors';
import { loadTokenizer } from '../src/model/tokenizer';
import { WorkspaceFilter } from '../src/workspace/filter';
import { loadWorkspaceFiles, streamWorkspaceFiles } from '../src/workspace/load';

/** A plausible TypeScript module; `i` varies names so files do not repeat. */
function moduleText(i: number): string {
  return `import { helper${(i + 1) % 97} } from './module${(i + 1) % 97}';

/** Keeps a running total of the values it is given, for report ${i}. */
export class Accumulator${i} {
  private total = 0;
  private count = 0;

  add(value: number): void {
    this.total += value * ${(i % 7) + 1};
    this.count++;
  }

  mean(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
}

export function helper${i}(values: readonly number[]): number {
  const acc = new Accumulator${i}();
  for (const v of values) acc.add(v);
  return acc.mean() + helper${(i + 1) % 97}.length;
}
`;
}

function makeWorkspace(files: number): string {
  const root = mkdtempSync(path.join(tmpdir(), 'samba-bench-ws-'));
  mkdirSync(path.join(root, 'src'));
  for (let i = 0; i < files; i++) writeFileSync(path.join(root, 'src', `module${i}.ts`), moduleText(i));
  return root;
}

/** `dir`'s model with its layers, window and tokenizer, but widths of 32 and random weights (file names as docs/model-format.md). */
async function shrunkModel(dir: string): Promise<string> {
  const c = { ...JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')), hidden_size: 32, intermediate_size: 64, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 16, time_step_rank: 2, state_size: 8 };
  const d = 32, Di = (c.expand ?? 2) * d, N = 8, R = 2, K = c.conv_kernel ?? 4, F = 64, hd = 16;
  let seed = 1;
  const t = (name: string, shape: number[], scale = 0.2, offset = 0) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      data[i] = offset + (seed / 2 ** 32 - 0.5) * 2 * scale;
    }
    return { name, shape, data };
  };
  const tensors = [t('embed.weight', [c.vocab_size, d], 0.5), t('norm_f.weight', [d], 0.2, 1)];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const m = `layers.${i}.mamba.`;
    tensors.push(t(`layers.${i}.norm1.weight`, [d], 0.2, 1), t(`layers.${i}.norm2.weight`, [d], 0.2, 1), t(`layers.${i}.mlp.gate.weight`, [F, d]), t(`layers.${i}.mlp.up.weight`, [F, d]), t(`layers.${i}.mlp.down.weight`, [d, F]));
    if (c.model_type === 'samba' && i % 2 === 1) tensors.push(t(`layers.${i}.attn.qkv.weight`, [4 * hd, d]), t(`layers.${i}.attn.out.weight`, [d, 2 * hd]));
    else {
      tensors.push(t(m + 'in_proj.weight', [2 * Di, d]), t(m + 'conv1d.weight', [Di, 1, K], 0.4), t(m + 'conv1d.bias', [Di], 0.1), t(m + 'x_proj.weight', [R + 2 * N, Di]));
      tensors.push(t(m + 'dt_proj.weight', [Di, R], 0.5), t(m + 'dt_proj.bias', [Di], 1, -3), t(m + 'A_log', [Di, N], 0.5, 1), t(m + 'D', [Di], 0.3, 1), t(m + 'out_proj.weight', [d, Di]));
    }
  }
  const out = mkdtempSync(path.join(tmpdir(), 'samba-shrunk-'));
  writeFileSync(path.join(out, 'config.json'), JSON.stringify(c));
  await writeSafetensors(path.join(out, 'model.safetensors'), tensors);
  copyFileSync(path.join(dir, 'tokenizer.json'), path.join(out, 'tokenizer.json'));
  return out;
}

const CALLS = ['submit', 'workDone', 'writeBuffer', 'createBuffer', 'destroy', 'createBindGroup', 'createCommandEncoder', 'mapAsync', 'errorScope'] as const;
type Call = (typeof CALLS)[number];
/** Per kind of call into the device: how many, and the host's ms inside them. */
type Counts = Record<Call, { n: number; ms: number }>;

/** When the device was first given work since the bench last set it to 0 (the GPU's start in a read). */
let firstSubmitAt = 0;

/** Counts, on the device itself, what the host asks of it (wrapping its methods), so any path that asks is counted. */
function countDevice(device: GPUDevice): Counts {
  const c = Object.fromEntries(CALLS.map((k) => [k, { n: 0, ms: 0 }])) as Counts;
  const wrap = <T extends object>(o: T, name: string, key: Call, then?: (r: never) => void) => {
    const f = ((o as Record<string, unknown>)[name] as (...a: unknown[]) => unknown).bind(o);
    (o as Record<string, unknown>)[name] = (...a: unknown[]) => {
      const t = performance.now();
      const r = f(...a);
      c[key].n++;
      c[key].ms += performance.now() - t;
      then?.(r as never);
      return r;
    };
  };
  wrap(device.queue, 'submit', 'submit', () => (firstSubmitAt ||= performance.now()));
  wrap(device.queue, 'onSubmittedWorkDone', 'workDone');
  wrap(device.queue, 'writeBuffer', 'writeBuffer');
  wrap(device, 'createBindGroup', 'createBindGroup');
  wrap(device, 'createCommandEncoder', 'createCommandEncoder');
  wrap(device, 'pushErrorScope', 'errorScope');
  wrap(device, 'popErrorScope', 'errorScope');
  wrap(device, 'createBuffer', 'createBuffer', (b: GPUBuffer) => {
    wrap(b, 'mapAsync', 'mapAsync');
    wrap(b, 'destroy', 'destroy');
  });
  return c;
}

/** One start-up: load the model and read an `n`-file workspace, the open asked with the load or after it. */
async function startUp(modelDir: string, backend: Backend, n: number, together: boolean, storageDir?: string): Promise<void> {
  const root = makeWorkspace(n);
  let folderMs: number | undefined;
  let publishedMs: number | undefined;
  const session = new ModelSession({
    onLog: (m) => void (m.startsWith('folder read while') && (folderMs = Number(/in (\d+) ms/.exec(m)?.[1]))),
    // The state prompts read is there at 'ready'; open() resolves once saved states are written too.
    onProgress: (p) => void (p.phase === 'ready' && (publishedMs ??= performance.now() - t0)),
  });
  const t0 = performance.now();
  let loadMs = 0;
  const load = session.load({ modelDir, backend, storageDir }).then((s) => ((loadMs = performance.now() - t0), s));
  if (!together) await load;
  const report = await session.open({ root, filter: {}, budgetTokens: 10_000_000 });
  const summary = await load;
  const readyMs = performance.now() - t0;
  console.log(JSON.stringify({ model: summary.model, device: summary.deviceName, kind: 'start', mode: together ? 'together' : 'sequential', files: n, tokens: report.totalTokens, loadMs: Math.round(loadMs), readyMs: Math.round(readyMs), afterLoadMs: Math.round(readyMs - loadMs), ...(publishedMs !== undefined ? { publishedMs: Math.round(publishedMs) } : {}), ...(folderMs !== undefined ? { folderReadDuringLoadMs: folderMs } : {}) }));
  await session.dispose();
  rmSync(root, { recursive: true, force: true });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const USAGE = `usage: node out/bench/workspace-speed.js [--model DIR] [--backend gpu|cpu] [--sizes 8,16,32,64] [--keystrokes 40] [--warmup N] [--no-stream]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'gpu', choices: ['gpu', 'cpu'] },
    sizes: { type: 'ints', default: [8, 16, 32, 64], min: 1, max: 100_000 },
    keystrokes: { type: 'int', default: 40, min: 0, max: 1000 },
    shrink: { type: 'boolean' },
    'load-only': { type: 'boolean' },
    warmup: { type: 'int', default: 0, min: 0, max: 100_000 },
    start: { type: 'string', choices: ['together', 'sequential'] },
    storage: { type: 'string' },
    'no-stream': { type: 'boolean' },
  });
  if (values['load-only']) return loadOnly(values.model!, values.sizes, !values['no-stream']);
  if (values.start) return startUp(values.model!, values.backend as Backend, values.sizes[0], values.start === 'together', values.storage);
  // The session logs once the folder is read, tokenized and ordered, right before the pass; or,
  // where the pass runs as the folder is read (streamed), once it is scanned.
  let loaded = { at: 0, streamed: false, elu: performance.eventLoopUtilization(), cpu: process.cpuUsage() };
  const mark = (m: string) => void (m.startsWith('context: ') && !loaded.at && (loaded = { at: performance.now(), streamed: m.includes('stream in'), elu: performance.eventLoopUtilization(), cpu: process.cpuUsage() }));
  const session = new ModelSession({ onLog: mark }, { streamFirstRead: !values['no-stream'] });
  const modelDir = values.shrink ? await shrunkModel(values.model!) : values.model!;
  const summary = await session.load({ modelDir, backend: values.backend as Backend });
  const base = { model: summary.model + (values.shrink ? ' (shrunk: widths 32, random weights)' : ''), device: summary.deviceName };
  // The bench looks inside the session for the engine's device: what it is asked is counted there.
  const engine = (session as unknown as { holder: { running?: { engine: { gpuDevice?: GPUDevice; longRead?: { stats?: Record<string, number> } } } } }).holder.running?.engine;
  const counts = engine?.gpuDevice ? countDevice(engine.gpuDevice) : undefined;
  // --warmup N: a first read of N files, reported apart (kind "warmup"), takes what a process pays
  // once (compiling the scan's and reader's code, first use of the kernels) off the first size.
  if (values.warmup) {
    const root = makeWorkspace(values.warmup);
    const t0 = performance.now();
    const report = await session.open({ root, filter: {}, budgetTokens: 10_000_000 });
    console.log(JSON.stringify({ ...base, kind: 'warmup', files: values.warmup, tokens: report.totalTokens, ms: Math.round(performance.now() - t0) }));
    rmSync(root, { recursive: true, force: true });
  }
  for (const n of values.sizes) {
    const root = makeWorkspace(n);
    const before = counts && structuredClone(counts);
    const readBefore = { ...engine?.longRead?.stats };
    loaded.at = 0;
    firstSubmitAt = 0;
    let t0 = performance.now();
    const report = await session.open({ root, filter: {}, budgetTokens: 10_000_000 });
    const coldMs = performance.now() - t0;
    // During the pass, host: the main thread busy (JS and the calls into Dawn); wait: idle. On a GPU
    // adapter Dawn polls through setImmediate while a promise waits for the GPU, so the loop never
    // idles there: readGpuWaitMs (the read's own clock around its waits) tells GPU-bound from
    // host-bound. passCpuMs: the process's CPU time in the pass, every thread (Dawn's and the driver's too).
    const elu = performance.eventLoopUtilization(loaded.elu);
    const cpu = process.cpuUsage(loaded.cpu);
    // The engine's own account of its long reads (GPU engines that keep one): their wall time,
    // chunks, and the host's time waiting for the GPU in them (a read that overlaps loading the folder is several).
    const stats = engine?.longRead?.stats;
    const read = stats && Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v - (readBefore[k] ?? 0)]));
    // Per file: calls, and the host's microseconds inside them.
    const perFile = (k: Call) => [+((counts![k].n - before![k].n) / report.files.length).toFixed(2), Math.round((1000 * (counts![k].ms - before![k].ms)) / report.files.length)];
    const breakdown = {
      streamed: loaded.streamed,
      loadMs: Math.round(loaded.at - t0),
      // From the open to the device's first work (streamed: the first files' pass, as the rest are read).
      ...(counts ? { firstSubmitMs: Math.round(firstSubmitAt - t0) } : {}),
      passMs: Math.round(performance.now() - loaded.at),
      passHostMs: Math.round(elu.active),
      passWaitMs: Math.round(elu.idle),
      passCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      ...(read ? { readMs: Math.round(read.wallMs), readGpuWaitMs: Math.round(read.gpuWaitMs), readChunks: read.chunks, readPasses: read.passes } : {}),
      ...(counts ? { perFile: Object.fromEntries(CALLS.map((k) => [k, perFile(k)])) } : {}),
    };
    // Edit a file in the middle of the order (its first edit: once the whole rest re-ran, now the
    // file plus a bounded tail, its old copy left in place), then again (now it is last: the file
    // alone), then the first file of the order. Times run from the change (the session's 300 ms
    // coalescing included) to the updated context.
    const middle = report.files[Math.floor(report.files.length / 2)].path;
    const firstFile = report.files[0].path;
    const edit = async (file: string, k: number) => {
      const before = session.describe().prefilledTokens;
      t0 = performance.now();
      session.update([{ kind: 'edit', path: file, text: moduleText(1000 + k) }]);
      await session.whenIdle();
      return { tokens: session.describe().prefilledTokens - before, ms: Math.round(performance.now() - t0) };
    };
    const first = await edit(middle, 1);
    const again = await edit(middle, 2);
    const firstFileEdit = await edit(firstFile, 3);
    console.log(JSON.stringify({ ...base, kind: 'context', files: n, tokens: report.totalTokens, coldMs: Math.round(coldMs), coldTokensPerS: Math.round(report.totalTokens / (coldMs / 1000)), cold: breakdown, firstEdit: first, repeatEdit: again, firstFileEdit }));
    rmSync(root, { recursive: true, force: true });
  }
  // Keystroke to suggestion: type a line one character at a time, asking for a completion after each.
  const prefix = 'export function total(values: readonly number[]): number {\n  ';
  const typed = 'const acc = new Accumulator3();'.slice(0, Number(values.keystrokes));
  const latencies: number[] = [];
  const prefilled: number[] = [];
  for (let k = 0; k <= typed.length; k++) {
    const t0 = performance.now();
    const r = await session.complete({ path: 'src/total.ts', prefix: prefix + typed.slice(0, k), suffix: '\n}\n', maxTokens: 16, lineBudgetMs: 500, deadlineMs: 2000 });
    latencies.push(performance.now() - t0);
    prefilled.push(r.prefilled);
  }
  const first = latencies.shift()!;
  prefilled.shift();
  console.log(JSON.stringify({ ...base, kind: 'keystroke', keystrokes: latencies.length, maxTokens: 16, firstRequestMs: Math.round(first), p50Ms: Math.round(pct(latencies, 50)), p95Ms: Math.round(pct(latencies, 95)), meanPrefilledPerKeystroke: +(prefilled.reduce((a, b) => a + b, 0) / prefilled.length).toFixed(1) }));
  session.dispose();
  if (values.shrink) rmSync(modelDir, { recursive: true, force: true });
}

/** Reading the folder alone, as the session does before its pass (loadWorkspaceFiles), and its scan apart. */
async function loadOnly(modelDir: string, sizes: number[], stream: boolean): Promise<void> {
  const tokenizer = await loadTokenizer(modelDir, 1 << 30);
  for (const n of sizes) {
    const root = makeWorkspace(n);
    for (const round of [1, 2]) {
      let t0 = performance.now();
      await new WorkspaceFilter(root, {}).scan();
      const scanMs = performance.now() - t0;
      t0 = performance.now();
      // firstMs: when the first file could enter a pass (read whole: when all are read and ordered).
      let firstMs = 0;
      let tokens = 0;
      if (stream) {
        const s = await streamWorkspaceFiles(new WorkspaceFilter(root, {}), tokenizer, { budgetTokens: 10_000_000 });
        if (!('files' in s)) throw new Error(`${n} files do not fit the bench's budget by their sizes`);
        for await (const f of s.files) {
          firstMs ||= performance.now() - t0;
          tokens += f.tokenCount;
        }
      } else {
        const r = await loadWorkspaceFiles(new WorkspaceFilter(root, {}), tokenizer);
        firstMs = performance.now() - t0;
        tokens = r.files.reduce((a, f) => a + f.tokenCount, 0);
      }
      const loadMs = performance.now() - t0;
      console.log(JSON.stringify({ kind: 'load', files: n, round, stream, tokens, scanMs: Math.round(scanMs), firstMs: +firstMs.toFixed(1), loadMs: Math.round(loadMs), tokensPerS: Math.round(tokens / (loadMs / 1000)) }));
    }
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
