/**
 * Byte-level BPE encoding (GPT-2 style: the ByteLevel pre-tokenizer's regex, then merges by rank),
 * the hot path of reading a workspace. Gives the ids @huggingface/tokenizers gives for the same
 * tokenizer.json (test/tokenizer-bpe.test.ts compares them), several times faster:
 *  - a bounded cache from a pre-tokenized word (as it stands in the text) to its ids: code repeats
 *    its identifiers, keywords and indentation, so most words are looked up, not merged;
 *  - merges on integer ids: a pair's rank and merged id come from one Map keyed by `left * V + right`,
 *    no string joins, no per-symbol objects.
 */

/** The ByteLevel pre-tokenizer's split (use_regex: true), exactly as @huggingface/tokenizers spells it. */
const WORDS = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's byte to printable character map: bytes that print stand for themselves, the rest go to 256 + n. */
export function byteToUnicode(): string[] {
  const keep = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(keep(b) ? b : 256 + n++);
  return out;
}

/** Words longer than this (UTF-16 units) are merged each time, not cached: they rarely repeat. */
const CACHE_MAX_WORD = 64;
/** Entries before the cache starts over (about 10-15 MB at most; TypeScript's own 4 MB of lib has 22K distinct words). */
const CACHE_MAX_ENTRIES = 100_000;
/** Words with more symbols than this merge through a heap, not by scanning all pairs per merge. */
const SCAN_MAX_SYMBOLS = 48;

export interface BpeModel {
  readonly vocab: ReadonlyMap<string, number>;
  /** In rank order, each as [left, right]. */
  readonly merges: readonly (readonly [string, string])[];
  /** Added tokens (id to text): decoding writes their text as it stands, not as byte symbols. */
  readonly added?: ReadonlyMap<number, string>;
}

export class ByteLevelBpe {
  /** Byte value to the id of its byte-level symbol. */
  private readonly byteId = new Int32Array(256);
  /** `left * idSpan + right` to the pair's rank, for pairs that merge. */
  private readonly pairs = new Map<number, number>();
  /** A rank's merged id. */
  private readonly merged: Int32Array;
  private readonly idSpan: number;
  private readonly cache = new Map<string, number[]>();
  private readonly utf8 = new TextEncoder();
  // Scratch for a word's symbols and for the ids of a text, grown as needed.
  private sym = new Int32Array(256);
  private ids = new Uint32Array(1 << 14);
  /** An id's symbols (its vocabulary entry), or an added token's text; turned into bytes on first decode. */
  private readonly pieces: (Uint8Array | string | undefined)[] = [];
  private readonly added = new Set<number>();
  private byteOf: Map<string, number> | undefined;
  // As the library's ByteLevel decoder: invalid UTF-8 becomes U+FFFD, a BOM stays.
  private readonly utf8Out = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private bytes = new Uint8Array(256);

  constructor(model: BpeModel) {
    let maxId = 0;
    for (const id of model.vocab.values()) maxId = Math.max(maxId, id);
    this.idSpan = maxId + 1;
    this.merged = new Int32Array(model.merges.length);
    const chars = byteToUnicode();
    for (const [piece, id] of model.vocab) this.pieces[id] = piece;
    for (const [id, text] of model.added ?? []) {
      this.pieces[id] = text;
      this.added.add(id);
    }
    for (let b = 0; b < 256; b++) {
      const id = model.vocab.get(chars[b]);
      if (id === undefined) throw new Error(`the byte-level symbol of byte ${b} is not in the vocabulary`);
      this.byteId[b] = id;
    }
    const S = this.idSpan;
    model.merges.forEach(([l, r], rank) => {
      const a = model.vocab.get(l), b = model.vocab.get(r), m = model.vocab.get(l + r);
      if (a === undefined || b === undefined || m === undefined) throw new Error(`merge ${rank} (${l} ${r}) has a part or a result outside the vocabulary`);
      const key = a * S + b;
      // A pair listed twice keeps its first (lowest) rank, as a rank lookup by pair does.
      this.merged[rank] = m;
      if (!this.pairs.has(key)) this.pairs.set(key, rank);
    });
  }

  /**
   * Ids to text, as @huggingface/tokenizers decodes with its ByteLevel decoder (no skipped special
   * tokens, no clean-up): the bytes of a run of ids decoded as UTF-8 at once, an added token's text
   * as it stands; an id outside the vocabulary writes nothing.
   */
  decode(ids: readonly number[]): string {
    let out = '';
    let bytes = this.bytes;
    let n = 0;
    for (const id of ids) {
      const p = this.piece(id);
      if (typeof p === 'string') {
        if (n) out += this.utf8Out.decode(bytes.subarray(0, n));
        n = 0;
        out += p;
      } else if (p) {
        if (n + p.length > bytes.length) {
          const grown = new Uint8Array(Math.max(2 * bytes.length, n + p.length));
          grown.set(bytes.subarray(0, n));
          this.bytes = bytes = grown;
        }
        bytes.set(p, n);
        n += p.length;
      }
    }
    if (n) out += this.utf8Out.decode(bytes.subarray(0, n));
    if (bytes.length > 1 << 20) this.bytes = new Uint8Array(256); // a huge text's buffer is not kept
    return out;
  }

  /** An id's bytes (its byte symbols mapped back, kept), or an added token's text; undefined outside the vocabulary. */
  private piece(id: number): Uint8Array | string | undefined {
    const p = this.pieces[id];
    if (typeof p !== 'string' || this.added.has(id)) return p;
    this.byteOf ??= new Map(byteToUnicode().map((c, b) => [c, b]));
    const byteOf = this.byteOf;
    return (this.pieces[id] = Uint8Array.from(p, (c) => byteOf.get(c) ?? 0));
  }

  /** Plain text to ids (no special tokens: their text is text). */
  encode(text: string): number[] {
    const cache = this.cache;
    let buf = this.ids;
    let n = 0;
    WORDS.lastIndex = 0;
    for (let m = WORDS.exec(text); m !== null; m = WORDS.exec(text)) {
      const word = m[0];
      let ids = cache.get(word);
      if (ids === undefined) {
        ids = this.word(word);
        if (word.length <= CACHE_MAX_WORD) {
          if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
          // A copy as the key: the match is a slice that would keep the whole text alive.
          cache.set((' ' + word).slice(1), ids);
        }
      }
      if (n + ids.length > buf.length) {
        const grown = new Uint32Array(Math.max(2 * buf.length, n + ids.length));
        grown.set(buf.subarray(0, n));
        this.ids = buf = grown;
      }
      for (let i = 0; i < ids.length; i++) buf[n++] = ids[i];
    }
    // Ids gathered in a typed buffer, then copied into an array of the final length: several times
    // faster than growing the array by push, token by token.
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = buf[i];
    if (buf.length > 1 << 20) this.ids = new Uint32Array(1 << 14); // a huge text's buffer is not kept
    return out;
  }

  /** One pre-tokenized word to ids: its UTF-8 bytes as byte symbols, then merges, lowest rank first (leftmost on ties). */
  private word(word: string): number[] {
    let n = 0;
    let ascii = true;
    for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) > 0x7f) { ascii = false; break; }
    if (ascii) {
      n = word.length;
      if (this.sym.length < n) this.sym = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) this.sym[i] = this.byteId[word.charCodeAt(i)];
    } else {
      // TextEncoder, as the pre-tokenizer does: a lone surrogate becomes U+FFFD's bytes.
      const bytes = this.utf8.encode(word);
      n = bytes.length;
      if (this.sym.length < n) this.sym = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) this.sym[i] = this.byteId[bytes[i]];
    }
    return n <= SCAN_MAX_SYMBOLS ? this.mergeScan(n) : this.mergeHeap(n);
  }

  /** Short words: find the lowest-ranked pair, merge it, repeat. */
  private mergeScan(n: number): number[] {
    const s = this.sym, S = this.idSpan, pairs = this.pairs;
    for (;;) {
      let best = -1, bestRank = 0x7fffffff;
      for (let i = 0; i + 1 < n; i++) {
        const rank = pairs.get(s[i] * S + s[i + 1]);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      s[best] = this.merged[bestRank];
      for (let i = best + 1; i + 1 < n; i++) s[i] = s[i + 1];
      n--;
    }
    return Array.from(s.subarray(0, n));
  }

  /**
   * Long words (a run of spaces or dashes, a minified blob): symbols as a linked list, candidate
   * pairs in a binary heap ordered by (rank, position); stale entries are skipped when popped.
   */
  private mergeHeap(n: number): number[] {
    const s = this.sym.slice(0, n), S = this.idSpan, pairs = this.pairs;
    const next = new Int32Array(n), prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    // Heap entries: [rank, position, left id, right id] (ids to tell a stale entry from a live one).
    const heap: number[][] = [];
    const less = (a: number[], b: number[]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const push = (e: number[]) => {
      heap.push(e);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!less(heap[i], heap[p])) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    };
    const pop = () => {
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length) {
        heap[0] = last;
        for (let i = 0; ; ) {
          const l = 2 * i + 1, r = l + 1;
          let m = i;
          if (l < heap.length && less(heap[l], heap[m])) m = l;
          if (r < heap.length && less(heap[r], heap[m])) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m], heap[i]];
          i = m;
        }
      }
      return top;
    };
    const consider = (i: number) => {
      const j = next[i];
      if (j < 0) return;
      const rank = pairs.get(s[i] * S + s[j]);
      if (rank !== undefined) push([rank, i, s[i], s[j]]);
    };
    const dead = -1;
    for (let i = 0; i + 1 < n; i++) consider(i);
    while (heap.length) {
      const [rank, i, a, b] = pop();
      const j = next[i];
      if (s[i] === dead || j < 0 || s[i] !== a || s[j] !== b) continue;
      s[i] = this.merged[rank];
      s[j] = dead;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      if (prev[i] >= 0) consider(prev[i]);
      consider(i);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]) out.push(s[i]);
    return out;
  }
}
