import type { GpuEngine } from '../src/gpu/engine';

/** Wraps `target[method]` so the milliseconds spent in it add up, until restored. */
export function timeCalls<T extends object>(target: T, method: keyof T & string): { ms(): number; restore(): void } {
  const original = target[method] as unknown as (...a: unknown[]) => unknown;
  let ms = 0;
  (target as Record<string, unknown>)[method] = (...a: unknown[]) => {
    const t = performance.now();
    try {
      return original.apply(target, a);
    } finally {
      ms += performance.now() - t;
    }
  };
  return { ms: () => ms, restore: () => void ((target as Record<string, unknown>)[method] = original) };
}

/**
 * Host time spent recording and encoding the forward (the engine's private recorder, wrapped for
 * the measurement only): when it nears the time per token, decoding is bound by the host, not the GPU.
 */
export function hostTimer(engine: GpuEngine): { stop(): number } {
  const e = engine as unknown as { recordForward: () => void; rec: { submit: () => void } };
  const timers = [timeCalls(e, 'recordForward'), timeCalls(e.rec, 'submit')];
  return {
    stop: () => {
      for (const t of timers) t.restore();
      return timers.reduce((n, t) => n + t.ms(), 0);
    },
  };
}

/** Milliseconds from submitting one compute pass to its completion, best of three. */
export async function timePass(device: GPUDevice, fill: (pass: GPUComputePassEncoder) => void): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    fill(pass);
    pass.end();
    const cb = enc.finish();
    const t0 = performance.now();
    device.queue.submit([cb]);
    await device.queue.onSubmittedWorkDone();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
