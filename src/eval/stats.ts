import { seededRandom } from '../engine/sampling';

/** Levenshtein distance over UTF-16 code units, two rows. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** 1 - Levenshtein / max(len), on trimmed lines; two empty lines are identical (1). */
export function editSimilarity(predicted: string, truth: string): number {
  const a = predicted.trim(), b = truth.trim();
  const m = Math.max(a.length, b.length);
  return m === 0 ? 1 : 1 - levenshtein(a, b) / m;
}

/** Exact match: trimmed equality. */
export function exactMatch(predicted: string, truth: string): boolean {
  return predicted.trim() === truth.trim();
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN;
}

/** Standard error of the mean (sample standard deviation / sqrt(n)). */
export function standardError(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(v / xs.length);
}

/** Percentile bootstrap 95% interval of the mean, seeded so reports repeat. */
export function bootstrapCI(xs: readonly number[], resamples = 2000, seed = 1): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(random() * xs.length)];
    means[r] = s / xs.length;
  }
  means.sort();
  return [means[Math.floor(0.025 * (resamples - 1))], means[Math.ceil(0.975 * (resamples - 1))]];
}

/** Mean with standard error and bootstrap interval, rounded for JSON. */
export function summarize(xs: readonly number[], seed = 1): { mean: number; se: number; ci95: [number, number] } {
  const r = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x);
  const [lo, hi] = bootstrapCI(xs, 2000, seed);
  return { mean: r(mean(xs)), se: r(standardError(xs)), ci95: [r(lo), r(hi)] };
}

/** Deterministic sample of k distinct indices of [0, n), in increasing order (partial Fisher-Yates). */
export function sampleIndices(n: number, k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, m).sort((a, b) => a - b);
}

/** A stable 32-bit hash of a string (FNV-1a), to derive per-repository seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
