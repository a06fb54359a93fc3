import type { Passage } from './passages';
import { terms } from './terms';

/** Okapi BM25 over passages; each passage's path counts as part of its text. */
export class Bm25Index {
  private readonly tf: Map<string, number>[];
  private readonly len: number[];
  private readonly df = new Map<string, number>();
  private readonly avgLen: number;

  constructor(
    readonly passages: readonly Passage[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.tf = passages.map((p) => {
      const counts = new Map<string, number>();
      for (const t of terms(`${p.path}\n${p.text}`)) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of counts.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return counts;
    });
    this.len = this.tf.map((c) => [...c.values()].reduce((a, n) => a + n, 0));
    this.avgLen = this.len.reduce((a, n) => a + n, 0) / Math.max(1, this.len.length);
  }

  /** Passages with a positive score, best first: [index into passages, score]. */
  search(query: string): [number, number][] {
    const N = this.passages.length;
    const q = new Set(terms(query));
    const hits: [number, number][] = [];
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (const t of q) {
        const f = this.tf[i].get(t);
        if (!f) continue;
        const n = this.df.get(t)!;
        const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
        s += (idf * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * this.len[i]) / this.avgLen));
      }
      if (s > 0) hits.push([i, s]);
    }
    return hits.sort((a, b) => b[1] - a[1]);
  }
}
