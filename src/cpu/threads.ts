import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SambaError } from '../model/errors';

/**
 * Helper threads for the WebAssembly kernels: each holds its own instance of the kernels over the
 * engine's one shared memory and waits on a control block. `run` posts one kernel call cut into
 * pieces (slices of its output); the calling thread and the helpers claim pieces one at a time
 * until none is left, and `run` returns once all are done, so to the caller a call stays
 * synchronous. A helper the system has not scheduled claims nothing: the caller does its share
 * instead of waiting for it (the machine may be busy with other work). Helpers block in
 * Atomics.wait between calls (no spinning) and never keep the process alive (unref).
 */

/** Doubles per piece in the control block: the kernel's index, its argument count, the arguments. */
const SLOT = 28;
/** Pieces per thread of one call: more than one, so that the threads that run take the work of those that do not. */
export const PIECES_PER_THREAD = 4;
/**
 * Int32 words before the pieces: the call number (helpers wait on it), the claims (the next
 * piece's index above bit 10, the call's piece count below: one word, so that a claim that succeeds
 * is a claim on the call being run, however late its thread comes), pieces done, quit, a helper
 * failed.
 */
const SEQ = 0, NEXT = 1, DONE = 2, QUIT = 3, FAILED = 4;
const HEADER_BYTES = 32;
/** Bytes kept of a failing piece's error message. */
const FAILURE_BYTES = 512;
/** Pieces one call may have (the low 10 bits of NEXT). */
const MAX_PIECES = 1023;

/**
 * Claims and runs pieces of the call being run until none is left. Every thread runs this code (the
 * helpers get its source), so it names nothing outside itself: the words are NEXT 1, DONE 2,
 * FAILED 4.
 */
function claim(ctl: Int32Array, args: Float64Array, slot: number, kernels: readonly ((...a: number[]) => void)[], why: Uint8Array): void {
  for (;;) {
    const w = Atomics.load(ctl, 1);
    const i = w >>> 10;
    const total = w & 1023;
    if (i >= total) return;
    if (Atomics.compareExchange(ctl, 1, w, w + 1024) !== w) continue;
    const at = i * slot;
    try {
      kernels[args[at]](...args.subarray(at + 2, at + 2 + args[at + 1]));
    } catch (e) {
      // The first failure of the call says what it was (the caller throws it once the call ends).
      if (Atomics.compareExchange(ctl, 4, 0, 1) === 0) {
        why.fill(0);
        why.set(new TextEncoder().encode(String(e)).subarray(0, why.length));
      }
    }
    if (Atomics.add(ctl, 2, 1) + 1 === total) Atomics.notify(ctl, 2);
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, names, failure } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = names.map((n) => exports[n]);
const ctl = new Int32Array(control, 0, ${HEADER_BYTES / 4});
const args = new Float64Array(control, ${HEADER_BYTES});
const why = new Uint8Array(failure);
const claim = ${claim.toString()};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  const seq = Atomics.load(ctl, ${SEQ});
  if (seq === seen) continue;
  seen = seq;
  if (Atomics.load(ctl, ${QUIT})) break;
  claim(ctl, args, ${SLOT}, kernels, why);
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
    if (!Number.isInteger(n) || n < 1 || n > 255) throw new SambaError('config', `SAMBA_CPU_THREADS=${env}: expected a whole number from 1 to 255 (1 runs the CPU engine on one thread).`);
    return n;
  }
  return Math.max(1, Math.min(requested ?? availableParallelism(), 255));
}

/**
 * Threads a decode step uses: `SAMBA_CPU_STEP_THREADS` when set, else undefined (timed, StepWidth).
 */
export function stepThreadsSetting(max: number): number | undefined {
  const env = process.env.SAMBA_CPU_STEP_THREADS;
  if (env === undefined || env === '') return undefined;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > 255) throw new SambaError('config', `SAMBA_CPU_STEP_THREADS=${env}: expected a whole number from 1 to 255 (unset, the engine times decode steps and picks).`);
  return Math.min(n, max);
}

/** Steps in a row at one width during a trial. */
const BURST = 4;
/** Turns through every width in a trial. */
const ROUNDS = 3;
/** Steps at the chosen width before the widths are tried again (the machine's load changes). */
const REVISIT = 2048;

/**
 * How many threads a decode step's kernels use, chosen by timing real steps. A step's products are
 * small, so a woken thread costs about what its share of the work saves: on the 2-core development
 * machine one thread decoded faster than two, and on a 16-core Xeon four threads faster than 16,
 * while prefill was fastest on every core (bench/RESULTS.md, stop 63); with int8 products both
 * machines kept one thread (stop 64). So a trial runs steps at
 * each width in turn (1, 2, 4, ... and every thread, BURST steps at a time, ROUNDS times), keeps
 * the one whose median step was fastest, and tries again after REVISIT steps. The width changes
 * only which threads compute a product, not what it sums: results stay the same bit for bit.
 */
export class StepWidth {
  /** The widths a trial compares. */
  readonly widths: readonly number[];
  private samples: number[][];
  /** Steps recorded since the current trial began. */
  private seen = 0;
  private chosen: number;

  /** For `max` threads; `fixed` skips the trials. */
  constructor(max: number, fixed?: number) {
    const widths = [];
    for (let w = 1; w < max; w *= 2) widths.push(w);
    widths.push(max);
    this.widths = fixed ? [fixed] : widths;
    this.samples = this.widths.map(() => []);
    this.chosen = fixed ?? max;
  }

  private get trialSteps(): number {
    return this.widths.length > 1 ? this.widths.length * BURST * ROUNDS : 0;
  }

  /** The width for the next step. */
  get width(): number {
    if (this.seen < this.trialSteps) return this.widths[Math.floor(this.seen / BURST) % this.widths.length];
    return this.chosen;
  }

  /** The width chosen by the last trial (every thread before the first ends). */
  get best(): number {
    return this.chosen;
  }

  /** Records a step of `ms` at `width` (the one `width` gave): a trial's sample, or a step at the chosen width. */
  record(ms: number): void {
    const trial = this.trialSteps;
    if (this.seen < trial) {
      this.samples[Math.floor(this.seen / BURST) % this.widths.length].push(ms);
      if (++this.seen === trial) this.chosen = this.widths[fastest(this.samples)];
      return;
    }
    if (++this.seen >= trial + REVISIT) {
      this.seen = 0;
      this.samples = this.widths.map(() => []);
    }
  }
}

/** The index of the list whose median is smallest (the first of equals). */
export function fastest(samples: readonly (readonly number[])[]): number {
  const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : Infinity;
  };
  let best = 0;
  samples.forEach((xs, i) => {
    if (median(xs) < median(samples[best])) best = i;
  });
  return best;
}

export class KernelThreads {
  private readonly workers: Worker[] = [];
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  /** What the call's first failing piece threw (UTF-8, zero-padded), whichever thread ran it. */
  private readonly why: Uint8Array;
  private seq = 0;
  private closed = false;

  /** `count` threads in all: the caller and count - 1 helpers, started at the first run. */
  constructor(
    readonly count: number,
    private readonly module: object,
    private readonly memory: object,
    private readonly names: readonly string[],
    private readonly kernels: readonly ((...a: number[]) => void)[],
  ) {
    const control = new SharedArrayBuffer(HEADER_BYTES + count * PIECES_PER_THREAD * SLOT * 8);
    this.ctl = new Int32Array(control, 0, HEADER_BYTES / 4);
    this.args = new Float64Array(control, HEADER_BYTES);
    this.why = new Uint8Array(new SharedArrayBuffer(FAILURE_BYTES));
  }

  private start(): void {
    const { module, memory, names } = this;
    const control = this.ctl.buffer;
    for (let index = 1; index < this.count; index++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, names, failure: this.why.buffer } });
      w.unref();
      this.workers.push(w);
    }
  }

  /**
   * Runs kernel `name` once per piece (at most count * PIECES_PER_THREAD), on whichever threads
   * claim them; `helpers` of the sleeping helpers are woken (a helper already awake may join too).
   */
  run(name: string, pieces: readonly (readonly number[])[], helpers = this.count - 1): void {
    if (this.closed) throw new Error('KernelThreads: used after close');
    if (pieces.length > Math.min(MAX_PIECES, this.count * PIECES_PER_THREAD) || pieces.some((p) => p.length > SLOT - 2)) throw new Error(`KernelThreads: ${name} in ${pieces.length} pieces of up to ${SLOT - 2} arguments`);
    if (this.workers.length === 0) this.start();
    const ctl = this.ctl;
    const k = this.names.indexOf(name);
    // (The previous call's claims are closed: its index reached its count.)
    pieces.forEach((p, i) => {
      const at = i * SLOT;
      this.args[at] = k;
      this.args[at + 1] = p.length;
      this.args.set(p, at + 2);
    });
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, FAILED, 0); // a failed call fails alone: the next one may run
    Atomics.store(ctl, NEXT, pieces.length);
    this.seq = (this.seq + 1) | 0;
    Atomics.store(ctl, SEQ, this.seq);
    Atomics.notify(ctl, SEQ, helpers);
    claim(ctl, this.args, SLOT, this.kernels, this.why);
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done === pieces.length) break;
      Atomics.wait(ctl, DONE, done);
    }
    if (Atomics.load(ctl, FAILED)) {
      const why = new TextDecoder().decode(this.why.slice()).replace(/\0+$/, '');
      throw new Error(`CPU kernel ${name} failed on one of ${this.count} threads: ${why} (set SAMBA_CPU_THREADS=1 to run on one thread)`);
    }
  }

  /** Ends the helpers; they exit at their next wake. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, QUIT, 1);
    Atomics.store(this.ctl, SEQ, (this.seq + 1) | 0);
    Atomics.notify(this.ctl, SEQ);
  }

  /** Closes and waits for every helper to end. */
  async dispose(): Promise<void> {
    this.close();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
