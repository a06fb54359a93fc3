import type { GpuEngine } from '../src/gpu/engine';

/**
 * Host time spent recording and encoding the forward (the engine's private recorder, wrapped for
 * the measurement only): when it nears the time per token, decoding is bound by the host, not the GPU.
 */
export function hostTimer(engine: GpuEngine): { stop(): number } {
  const e = engine as unknown as { recordForward: (...a: unknown[]) => void; rec: { submit: () => void } };
  const record = e.recordForward, submit = e.rec.submit;
  let ms = 0;
  const timed = <A extends unknown[]>(fn: (...a: A) => void, self: unknown) => (...a: A) => {
    const t = performance.now();
    fn.apply(self, a);
    ms += performance.now() - t;
  };
  e.recordForward = timed(record, e);
  e.rec.submit = timed(submit, e.rec);
  return {
    stop: () => {
      e.recordForward = record;
      e.rec.submit = submit;
      return ms;
    },
  };
}
