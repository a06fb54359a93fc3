import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Helper threads for the WebAssembly kernels: each holds its own instance of the kernels over the
 * engine's one shared memory and waits on a control block. `run` hands every thread (the calling
 * one included, as part 0) the arguments of its slice of one kernel call and returns once all are
 * done, so to the caller a call stays synchronous. Threads block in Atomics.wait between calls
 * (no spinning: this machine is shared) and never keep the process alive (unref).
 */

/** Doubles per thread in the control block: the kernel's index, its argument count, the arguments. */
const SLOT = 20;
/** Int32 words before the slots: [0] call number, [1] helpers still running, [2] quit, [3] a helper failed. */
const HEADER_BYTES = 16;
const SPIN = Number(process.env.SAMBA_SPIN ?? 0);

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index, names } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = names.map((n) => exports[n]);
const ctl = new Int32Array(control, 0, 4);
const args = new Float64Array(control, ${HEADER_BYTES});
const at = index * ${SLOT};
let seen = 0;
const spin = ${SPIN};
for (;;) {
  for (let i = 0; i < spin && Atomics.load(ctl, 0) === seen; i++);
  Atomics.wait(ctl, 0, seen);
  const call = Atomics.load(ctl, 0);
  if (call === seen) continue;
  seen = call;
  if (Atomics.load(ctl, 2)) break;
  const k = args[at];
  if (k >= 0) {
    try { kernels[k](...args.subarray(at + 2, at + 2 + args[at + 1])); } catch { Atomics.store(ctl, 3, 1); }
  }
  if (Atomics.sub(ctl, 1, 1) === 1) Atomics.notify(ctl, 1);
}
`;

/**
 * Threads the CPU engine uses: `SAMBA_CPU_THREADS` when set (1 keeps everything on the calling
 * thread), else one per core the process may use.
 */
export function cpuThreadCount(requested?: number): number {
  const env = process.env.SAMBA_CPU_THREADS;
  if (requested === undefined && env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`SAMBA_CPU_THREADS=${env}: expected a whole number from 1 to 256 (1 runs the CPU engine on one thread).`);
    return n;
  }
  return Math.max(1, Math.min(requested ?? availableParallelism(), 256));
}

export class KernelThreads {
  private readonly workers: Worker[] = [];
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private closed = false;

  /** `count` threads in all: the caller and count - 1 helpers, started at the first run. */
  constructor(
    readonly count: number,
    private readonly module: object,
    private readonly memory: object,
    private readonly names: readonly string[],
    private readonly kernels: readonly ((...a: number[]) => void)[],
  ) {
    const control = new SharedArrayBuffer(HEADER_BYTES + count * SLOT * 8);
    this.ctl = new Int32Array(control, 0, 4);
    this.args = new Float64Array(control, HEADER_BYTES);
  }

  private start(): void {
    const { module, memory, names } = this;
    const control = this.ctl.buffer;
    for (let index = 1; index < this.count; index++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, index, names } });
      w.unref();
      this.workers.push(w);
    }
  }

  /**
   * Runs kernel `name` once per part, part i on thread i (undefined: thread i sits this one out),
   * and returns when all parts are done.
   */
  run(name: string, parts: readonly (readonly number[] | undefined)[]): void {
    if (this.closed) throw new Error('KernelThreads: used after close');
    if (this.workers.length === 0) this.start();
    const k = this.names.indexOf(name);
    for (let i = 1; i < this.count; i++) {
      const p = parts[i];
      const at = i * SLOT;
      this.args[at] = p ? k : -1;
      if (p) {
        this.args[at + 1] = p.length;
        this.args.set(p, at + 2);
      }
    }
    Atomics.store(this.ctl, 1, this.count - 1);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    if (parts[0]) this.kernels[k](...parts[0]);
    for (;;) {
      const left = Atomics.load(this.ctl, 1);
      if (left === 0) break;
      Atomics.wait(this.ctl, 1, left);
    }
    if (Atomics.load(this.ctl, 3)) throw new Error(`CPU kernel ${name} failed on a helper thread (set SAMBA_CPU_THREADS=1 to run on one thread)`);
  }

  /** Ends the helpers; they exit at their next wake. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, 2, 1);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
  }

  /** Closes and waits for every helper to end. */
  async dispose(): Promise<void> {
    this.close();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
