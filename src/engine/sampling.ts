/** How to pick the next token from logits. temperature 0 is greedy. */
export interface SamplingOptions {
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
}

/** A small seedable generator (mulberry32), so sampled runs can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** log softmax(logits[offset .. offset+V])[token], the log-sum-exp in float64 on the host. */
export function logProb(logits: Float32Array, token: number, offset = 0, V = logits.length - offset): number {
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[offset + i] > max) max = logits[offset + i];
  let sum = 0;
  for (let i = 0; i < V; i++) sum += Math.exp(logits[offset + i] - max);
  return logits[offset + token] - max - Math.log(sum);
}

export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** Temperature, then top-k, then top-p (nucleus) over what is left, then a draw. */
export function sample(logits: ArrayLike<number>, options: SamplingOptions, random: () => number): number {
  const temperature = options.temperature ?? 0;
  if (temperature <= 0) return argmax(logits);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b] - logits[a]);
  const k = Math.min(options.topK && options.topK > 0 ? options.topK : order.length, order.length);
  const max = logits[order[0]];
  const probs: number[] = [];
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const p = Math.exp((logits[order[i]] - max) / temperature);
    probs.push(p);
    sum += p;
  }
  const topP = options.topP ?? 1;
  let kept = probs.length;
  if (topP < 1) {
    let acc = 0;
    for (let i = 0; i < probs.length; i++) {
      acc += probs[i] / sum;
      if (acc >= topP) {
        kept = i + 1;
        break;
      }
    }
  }
  let total = 0;
  for (let i = 0; i < kept; i++) total += probs[i];
  let r = random() * total;
  for (let i = 0; i < kept; i++) {
    r -= probs[i];
    if (r <= 0) return order[i];
  }
  return order[kept - 1];
}
