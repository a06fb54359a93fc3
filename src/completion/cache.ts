/** Recent completions, so a repeated or typed-through request needs no model at all. */

export interface CacheOptions {
  readonly maxEntries?: number;
  /** Characters of prefix and suffix around the cursor that identify a request. */
  readonly prefixChars?: number;
  readonly suffixChars?: number;
}

interface Entry {
  readonly file: string;
  readonly prefixTail: string;
  readonly prefixLength: number;
  readonly suffixHead: string;
  readonly completion: string;
}

export class CompletionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private readonly pc: number;
  private readonly sc: number;

  constructor(options: CacheOptions = {}) {
    this.max = options.maxEntries ?? 100;
    this.pc = options.prefixChars ?? 512;
    this.sc = options.suffixChars ?? 256;
  }

  get size(): number {
    return this.entries.size;
  }

  set(file: string, prefix: string, suffix: string, completion: string): void {
    const key = this.key(file, prefix, suffix);
    this.entries.delete(key);
    this.entries.set(key, { file, prefixTail: prefix.slice(-this.pc), prefixLength: prefix.length, suffixHead: suffix.slice(0, this.sc), completion });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * The completion for this request: an exact hit, or the rest of a suggestion the user has been
   * typing into (what was typed since it was shown is its beginning).
   */
  get(file: string, prefix: string, suffix: string): string | undefined {
    const key = this.key(file, prefix, suffix);
    const hit = this.entries.get(key);
    if (hit) {
      this.touch(key, hit);
      return hit.completion;
    }
    const head = suffix.slice(0, this.sc);
    // Newest first: the suggestion just shown is the likeliest to be typed into.
    for (const [k, e] of [...this.entries].reverse()) {
      if (e.file !== file || e.suffixHead !== head) continue;
      const typed = prefix.length - e.prefixLength;
      if (typed <= 0 || typed >= e.completion.length) continue;
      if (prefix.slice(e.prefixLength - e.prefixTail.length, e.prefixLength) !== e.prefixTail) continue;
      if (!e.completion.startsWith(prefix.slice(e.prefixLength))) continue;
      this.touch(k, e);
      return e.completion.slice(typed);
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }

  private touch(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private key(file: string, prefix: string, suffix: string): string {
    return `${file}\0${prefix.slice(-this.pc)}\0${suffix.slice(0, this.sc)}`;
  }
}
