/**
 * Host-side sampling over logits read back from the GPU (temperature, top-k, top-p). Greedy
 * decoding does not need this: GpuEngine.stepArgmax takes the argmax on the device.
 */
export interface SamplingOptions {
  /** 0 means greedy. */
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  /** A uniform random number in [0, 1); Math.random by default. */
  readonly random?: () => number;
}

export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

export function sampleLogits(logits: Float32Array, o: SamplingOptions = {}): number {
  const temperature = o.temperature ?? 1;
  if (temperature <= 0 || o.topK === 1) return argmax(logits);
  let ids = Array.from(logits.keys());
  ids.sort((a, b) => logits[b] - logits[a]);
  if (o.topK !== undefined && o.topK > 0) ids = ids.slice(0, o.topK);
  const max = logits[ids[0]];
  let probs = ids.map((i) => Math.exp((logits[i] - max) / temperature));
  let sum = probs.reduce((a, b) => a + b, 0);
  if (o.topP !== undefined && o.topP < 1) {
    let acc = 0;
    let keep = 0;
    while (keep < probs.length && acc < o.topP * sum) acc += probs[keep++];
    ids = ids.slice(0, Math.max(1, keep));
    probs = probs.slice(0, ids.length);
    sum = probs.reduce((a, b) => a + b, 0);
  }
  let r = (o.random ?? Math.random)() * sum;
  for (let k = 0; k < ids.length; k++) {
    r -= probs[k];
    if (r < 0) return ids[k];
  }
  return ids[ids.length - 1];
}
