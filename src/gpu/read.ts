/**
 * Engine.read on the GPU: one long pass in chunks as long as prefill's, taking copies of the state
 * at the given token counts. The states at stops inside a chunk are written by its layers as they
 * go (recordForward), the one at a chunk's end is a snapshot. The next chunk is recorded while the
 * GPU runs this one; the host waits for the one before.
 */
import type { EngineState, ReadOptions } from '../engine/engine';
import { recordForward, type ForwardParts, type Pass, type Stop } from './forward';
import type { GpuState } from './state';
import { createBuffer } from './tensor';

/**
 * What the passes cost, summed since the engine started (benches take differences): passes, tokens,
 * chunks (one submit each), states handed out, wall time, and how long the host waited for the GPU
 * (the rest it was recording, handing out states or running the reader's callbacks). Dawn polls
 * through setImmediate while the host waits, so the event loop looks busy all along: only this
 * tells a GPU-bound pass from a host-bound one.
 */
export interface PassStats {
  passes: number;
  tokens: number;
  chunks: number;
  states: number;
  wallMs: number;
  gpuWaitMs: number;
}

/** Most states one chunk takes from inside its pass (the scan's hOut rows). */
const MAX_STOPS = 32;

export class LongRead {
  /** The forward's parts with one chunk's stops (u32 token offsets) and the scan's states there [MAX_STOPS, Di, N]. */
  private readonly fwd: ForwardParts & { readonly stopAt: GPUBuffer; readonly stopH: GPUBuffer };

  /** Every pass's costs, summed (benches read it). */
  readonly stats: PassStats = { passes: 0, tokens: 0, chunks: 0, states: 0, wallMs: 0, gpuWaitMs: 0 };

  /** `chunk`: tokens per chunk. */
  constructor(
    private readonly p: Pass,
    private readonly chunk: number,
  ) {
    const c = p.fwd.config;
    this.fwd = {
      ...p.fwd,
      stopAt: createBuffer(p.device, MAX_STOPS * 4, 'read stops'),
      stopH: createBuffer(p.device, Math.max(1, MAX_STOPS * c.dInner * c.dState) * 4, 'read stop states'),
    };
  }

  /** Reads `tokens` into `s` (checked and ready); false once options.signal aborts it. */
  run(s: GpuState, tokens: ArrayLike<number>, options: ReadOptions): Promise<boolean> {
    // The reader's thinning frees states as fast as the read takes them: they are reused.
    return this.p.states.recycle(() => this.pass(s, tokens, options));
  }

  private async pass(s: GpuState, tokens: ArrayLike<number>, options: ReadOptions): Promise<boolean> {
    const { device, states, watch } = this.p;
    const stops = options.statesAt;
    const n = tokens.length;
    const ids = Uint32Array.from(tokens);
    let next = 0;
    let inFlight: Promise<unknown> | undefined;
    const start = performance.now();
    const stats = this.stats;
    stats.passes++;
    const wait = async () => {
      const t = performance.now();
      await inFlight;
      stats.gpuWaitMs += performance.now() - t;
    };
    const end = () => {
      stats.wallMs += performance.now() - start;
      stats.states += next;
    };
    for (let t0 = 0; t0 < n; ) {
      if (options.signal?.aborted) {
        await wait();
        end();
        return false;
      }
      watch.alive();
      let T = Math.min(this.chunk, n - t0);
      let k = next;
      while (k < stops.length && stops[k] <= t0 + T) k++;
      // At most MAX_STOPS per chunk (the last at its end); a chunk of decoding's size ends at its first.
      if (k - next > MAX_STOPS) T = stops[next + MAX_STOPS - 1] - t0;
      if (T <= 4 && k > next) T = stops[next] - t0;
      const inner: Stop[] = [];
      for (k = next; k < stops.length && stops[k] < t0 + T; k++) inner.push({ r: stops[k] - t0, state: states.take(s.capacity) });
      if (inner.length) device.queue.writeBuffer(this.fwd.stopAt, 0, Uint32Array.from(inner, (p) => p.r));
      device.queue.writeBuffer(this.fwd.act.tokens, 0, ids, t0, T);
      const pos0 = s.position;
      recordForward(this.fwd, s, T, 'none', inner);
      s.position += T;
      for (const p of inner) p.state.position = pos0 + p.r;
      this.fwd.rec.submit();
      stats.chunks++;
      stats.tokens += T;
      const taken = inner.map((p) => p.state as EngineState);
      if (stops[k] === t0 + T) {
        const snap = states.take(s.capacity);
        states.restore(snap, s);
        taken.push(snap);
      }
      const done = device.queue.onSubmittedWorkDone();
      await wait();
      inFlight = done;
      for (const st of taken) await options.onState(next++, st);
      t0 += T;
      options.onTokens?.(t0);
    }
    await wait();
    end();
    return true;
  }
}
