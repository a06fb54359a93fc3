// Workspace context and completion latency, at engine level (ModelSession, as in the model worker):
//  - cold indexing time against workspace size (should grow linearly),
//  - cost of an edit against workspace size (should stay flat: the file plus a bounded tail),
//  - keystroke-to-suggestion latency p50/p95 while typing a line.
// usage: node out/bench/workspace-speed.js [--model DIR] [--backend gpu|cpu] [--sizes 8,16,32,64] [--keystrokes 40]
import { cliArgs } from '../src/cli-args';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelSession } from '../src/worker/session';
import type { Backend } from '../src/backend/create';

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

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const USAGE = `usage: node out/bench/workspace-speed.js [--model DIR] [--backend gpu|cpu] [--sizes 8,16,32,64] [--keystrokes 40]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'gpu', choices: ['gpu', 'cpu'] },
    sizes: { type: 'ints', default: [8, 16, 32, 64], min: 1, max: 100_000 },
    keystrokes: { type: 'int', default: 40, min: 0, max: 1000 },
  });
  const session = new ModelSession();
  const summary = await session.load({ modelDir: values.model!, backend: values.backend as Backend });
  const base = { model: summary.model, device: summary.deviceName };
  for (const n of values.sizes) {
    const root = makeWorkspace(n);
    let t0 = performance.now();
    const report = await session.open({ root, filter: {}, budgetTokens: 10_000_000 });
    const coldMs = performance.now() - t0;
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
    console.log(JSON.stringify({ ...base, kind: 'context', files: n, tokens: report.totalTokens, coldMs: Math.round(coldMs), coldTokensPerS: Math.round(report.totalTokens / (coldMs / 1000)), firstEdit: first, repeatEdit: again, firstFileEdit }));
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
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
