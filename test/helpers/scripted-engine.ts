import type { Engine } from '../../src/engine/engine';

/**
 * A real engine whose logits come from a table: prefill and step run `inner` (the state advances
 * for real), and the k-th position after the last prefill reads `row(k)` instead of the model's
 * logits. For the generation loop's tests, where a real model cannot loop (or not loop) on demand.
 */
export function scriptedEngine(inner: Engine, row: (k: number) => Float32Array): Engine {
  let k = 0;
  return {
    backend: inner.backend,
    deviceName: `${inner.deviceName} (scripted logits)`,
    model: inner.model,
    newState: (o) => inner.newState(o),
    snapshot: (s) => inner.snapshot(s),
    restore: (t, s) => inner.restore(t, s),
    release: (s) => inner.release(s),
    download: (s) => inner.download(s),
    upload: (d) => inner.upload(d),
    dispose: () => Promise.resolve(),
    read: (tokens, state, o) => inner.read(tokens, state, o),
    async prefill(tokens, state, o) {
      await inner.prefill(tokens, state, o);
      k = 0;
      return row(k);
    },
    async step(token, state) {
      await inner.step(token, state);
      return row(++k);
    },
  };
}

/** Logits of `V` zeros with the given ids set: `{ [id]: logit }`. */
export function logitsRow(V: number, set: Record<number, number>): Float32Array {
  const row = new Float32Array(V);
  for (const [id, v] of Object.entries(set)) row[Number(id)] = v;
  return row;
}
