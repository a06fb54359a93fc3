// The CPU engine on 1 thread and on more, side by side in one process: a workspace-like read (many
// files, the state taken after each), long prefills and decode. Prints one JSON line per measure,
// with wall time and the process's CPU time (on a shared machine, wall time is what threads change;
// compare the columns of one run, and note the load average it prints).
// usage: node out/bench/cpu-threads.js [--model DIR] [--threads 1,2] [--read-tokens 10000]
//        [--file-tokens 161] [--lengths 512,4096] [--decode-tokens 16] [--rounds 2]
import { loadavg } from 'node:os';
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { createCpuEngine } from '../src/cpu/engine';
import { argmax } from '../src/engine/sampling';

const USAGE = `usage: node out/bench/cpu-threads.js [--model DIR] [--threads 1,2] [--read-tokens 10000]
       [--file-tokens 161] [--lengths 512,4096] [--decode-tokens 16] [--rounds 2]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string', default: 'models/default' },
    threads: { type: 'ints', default: [1, 2], min: 1, max: 256 },
    'read-tokens': { type: 'int', default: 10_000, min: 1, max: 1 << 22 },
    'file-tokens': { type: 'int', default: 161, min: 1, max: 1 << 22 },
    lengths: { type: 'ints', default: [512, 4096], min: 1, max: 1 << 20 },
    'decode-tokens': { type: 'int', default: 16, min: 1, max: 4096 },
    rounds: { type: 'int', default: 2, min: 1, max: 100 },
  });
  const model = await loadModel(values.model);
  const V = model.config.vocabSize;
  const tokens = (n: number) => Uint32Array.from({ length: n }, (_, i) => 8 + ((i * 7919) % (V - 8)));
  const timed = async (f: () => Promise<unknown>) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1e6 };
  };
  const line = (o: object) => console.log(JSON.stringify({ ...o, load1: +loadavg()[0].toFixed(2) }));
  // Rounds alternate the thread counts, so that the machine's other load falls on all of them.
  for (let round = 0; round < values.rounds; round++) {
    for (const threads of values.threads) {
      const engine = createCpuEngine(model, { threads });
      const base = { round, threads, device: engine.deviceName };
      // Warm-up: the kernels' tiers, on every thread.
      const w = engine.newState();
      await engine.prefill(tokens(300), w);
      engine.release(w);
      // A workspace read: files of --file-tokens tokens, the state after each (as WorkspaceContext reads).
      const n = values['read-tokens'], per = values['file-tokens'];
      const statesAt: number[] = [];
      for (let at = per; at < n; at += per) statesAt.push(at);
      statesAt.push(n);
      const r = engine.newState();
      const read = await timed(() => engine.read(tokens(n), r, { statesAt, onState: () => undefined }));
      engine.release(r);
      line({ ...base, kind: 'read', tokens: n, files: statesAt.length, tokensPerS: Math.round(n / read.wall), tokensPerCpuS: Math.round(n / read.cpu), cores: +(read.cpu / read.wall).toFixed(2) });
      for (const len of values.lengths) {
        const s = engine.newState();
        let logits: Float32Array<ArrayBufferLike> = new Float32Array(0);
        const p = await timed(async () => (logits = await engine.prefill(tokens(len), s)));
        line({ ...base, kind: 'prefill', tokens: len, tokensPerS: Math.round(len / p.wall), tokensPerCpuS: Math.round(len / p.cpu), cores: +(p.cpu / p.wall).toFixed(2) });
        const m = values['decode-tokens'];
        const d = await timed(async () => {
          for (let i = 0; i < m; i++) logits = await engine.step(argmax(logits), s);
        });
        line({ ...base, kind: 'decode', context: len, tokens: m, tokensPerS: +(m / d.wall).toFixed(1), tokensPerCpuS: +(m / d.cpu).toFixed(1), cores: +(d.cpu / d.wall).toFixed(2) });
        engine.release(s);
      }
      await engine.dispose();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
