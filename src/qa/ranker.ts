import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import * as path from 'node:path';
import { SambaError } from '../model/errors';
import { halfToFloat } from '../model/safetensors';
import { packagePath } from '../package-files';

/**
 * Word vectors learned from doc comments and the code they document (training/qa_ranker.py): a
 * question and a passage each become the weighted mean of their terms' vectors (src/qa/terms.ts's
 * terms), so a question's words point at code that shares none of them ("the lowest version" and
 * `minVersion`). BM25 decides what matches; these vectors only say how near a question and a
 * passage are in meaning (src/qa/bm25.ts).
 */
export interface TermVectors {
  readonly dim: number;
  /** A term's row (0: none). */
  readonly rows: ReadonlyMap<string, number>;
  /** Row-major, `dim` per row, row 0 all zeros. */
  readonly vectors: Float32Array;
  /** Each row's weight in a mean (exp of the learned log-weight). */
  readonly weights: Float32Array;
}

const MAGIC = 'QAR4';
const HEADER = 16;

/** Reads `vectors.bin` of `dir` (training/qa_ranker.py's write_vectors); a missing or damaged file is an error naming it. */
export function loadTermVectors(dir: string): TermVectors {
  const file = path.join(dir, 'vectors.bin');
  let bin: Buffer;
  try {
    bin = readFileSync(file);
  } catch (e) {
    throw new SambaError('config', `The Q&A ranker's vectors could not be read from ${file} (${(e as Error).message}). Reinstall the extension.`);
  }
  const bad = (why: string) => new SambaError('config', `${file} is damaged: ${why}. Reinstall the extension.`);
  if (bin.length < HEADER || bin.toString('latin1', 0, 4) !== MAGIC) throw bad(`it does not start with ${MAGIC}`);
  const count = bin.readUInt32LE(4);
  const dim = bin.readUInt32LE(8);
  const namesBytes = bin.readUInt32LE(12);
  const rowBytes = 4 + dim / 2;
  if (dim % 2 || bin.length !== HEADER + namesBytes + count * rowBytes) throw bad(`${bin.length} bytes for ${count} rows of ${dim}`);
  let names: string[];
  try {
    names = inflateSync(bin.subarray(HEADER, HEADER + namesBytes)).toString('utf8').split('\n');
  } catch {
    throw bad('its terms do not inflate');
  }
  if (names.length !== count - 1) throw bad(`${names.length} terms for ${count - 1} rows`);
  const vectors = new Float32Array(count * dim);
  const weights = new Float32Array(count);
  const rowsAt = HEADER + namesBytes;
  for (let r = 1; r < count; r++) {
    const at = rowsAt + r * rowBytes;
    const scale = halfToFloat(bin.readUInt16LE(at));
    weights[r] = Math.exp(halfToFloat(bin.readUInt16LE(at + 2)));
    for (let k = 0; k < dim / 2; k++) {
      const byte = bin[at + 4 + k];
      // Two signed nibbles, the low one first.
      vectors[r * dim + 2 * k] = scale * (((byte & 15) ^ 8) - 8);
      vectors[r * dim + 2 * k + 1] = scale * ((((byte >> 4) & 15) ^ 8) - 8);
    }
  }
  const rows = new Map<string, number>();
  names.forEach((t, i) => rows.set(t, i + 1));
  return { dim, rows, vectors, weights };
}

let shipped: TermVectors | undefined;

/** The ranker shipped in models/qa-ranker, read once. */
export function shippedTermVectors(): TermVectors {
  return (shipped ??= loadTermVectors(packagePath('models', 'qa-ranker')));
}

/** The unit-length weighted mean of `terms`' vectors; undefined when none is known. */
export function embed(v: TermVectors, terms: Iterable<string>): Float32Array | undefined {
  const out = new Float32Array(v.dim);
  let total = 0;
  for (const t of terms) {
    const r = v.rows.get(t);
    if (!r) continue;
    const w = v.weights[r];
    total += w;
    for (let k = 0; k < v.dim; k++) out[k] += w * v.vectors[r * v.dim + k];
  }
  if (!total) return undefined;
  let norm = 0;
  for (let k = 0; k < v.dim; k++) norm += out[k] * out[k];
  norm = Math.sqrt(norm);
  if (!norm) return undefined;
  for (let k = 0; k < v.dim; k++) out[k] /= norm;
  return out;
}

/** The cosine of two unit vectors (0 when either is missing). */
export function nearness(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) return 0;
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}
