import { constants, promises as fs } from 'node:fs';
import { SambaError } from './errors';
import { clip, openRegular, parseStrictJson } from './files';

export type SourceDtype = 'F32' | 'F16' | 'BF16';
const BYTES: Record<SourceDtype, number> = { F32: 4, F16: 2, BF16: 2 };
/**
 * A header larger than this is refused: real ones are kilobytes (a 70B model's shard: about 100 KB),
 * and a garbage one must fail fast, not after gigabytes of parsing. Nothing in a valid header nests
 * deeper than an array inside a tensor's object.
 */
const MAX_HEADER_BYTES = 8 << 20;
const MAX_HEADER_DEPTH = 4;

export interface TensorEntry {
  readonly name: string;
  readonly dtype: SourceDtype;
  readonly shape: readonly number[];
  /** Absolute byte offsets in the file. */
  readonly begin: number;
  readonly end: number;
}

/** The parsed header of one safetensors file; tensors are read on demand. */
export interface SafetensorsFile {
  readonly path: string;
  readonly entries: ReadonlyMap<string, TensorEntry>;
  /** The header's JSON text, part of the model fingerprint. */
  readonly headerText: string;
}

export async function openSafetensors(path: string): Promise<SafetensorsFile> {
  const { handle, size } = await openRegular(path, 'safetensors', 'Check that the weights file exists and is readable.');
  try {
    const bad = (what: string) =>
      new SambaError('safetensors', `${path}: ${what}. The file is not valid safetensors; download or export it again.`);
    if (size < 8) throw bad(`only ${size} bytes, too short for a header`);
    const lenBuf = Buffer.alloc(8);
    await handle.read(lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen > MAX_HEADER_BYTES) throw bad(`header length ${headerLen} is over the ${MAX_HEADER_BYTES}-byte limit`);
    if (8 + headerLen > size) throw bad(`header of ${headerLen} bytes runs past the end of the ${size}-byte file (truncated?)`);
    const headerBuf = Buffer.alloc(headerLen);
    await handle.read(headerBuf, 0, headerLen, 8);
    const headerText = headerBuf.toString('utf8');
    const header = parseStrictJson(headerText, path, 'safetensors', 'The file is not valid safetensors; download or export it again.', MAX_HEADER_DEPTH);
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('header is not a JSON object');
    const dataStart = 8 + headerLen;
    const entries = new Map<string, TensorEntry>();
    for (const [fullName, info] of Object.entries(header as Record<string, unknown>)) {
      if (fullName === '__metadata__') continue;
      const name = clip(fullName); // for messages only
      const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      if (!t || typeof t !== 'object' || !Array.isArray(t.shape) || !Array.isArray(t.data_offsets) || t.data_offsets.length !== 2) {
        throw bad(`tensor "${name}" has no valid dtype/shape/data_offsets`);
      }
      if (t.dtype !== 'F32' && t.dtype !== 'F16' && t.dtype !== 'BF16') {
        throw new SambaError(
          'tensor-dtype',
          `${path}: tensor "${name}" has dtype ${clip(String(t.dtype))}; supported are F32, F16 and BF16. Convert the checkpoint (e.g. model.half()) and save it again.`,
        );
      }
      const shape = t.shape as number[];
      if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw bad(`tensor "${name}" has an invalid shape ${clip(JSON.stringify(shape))}`);
      const [b, e] = t.data_offsets as number[];
      const count = shape.reduce((a, n) => a * n, 1);
      if (!Number.isSafeInteger(b) || !Number.isSafeInteger(e) || b < 0 || e < b) throw bad(`tensor "${name}" has invalid data_offsets [${clip(String(b))}, ${clip(String(e))}]`);
      if (e - b !== count * BYTES[t.dtype]) {
        throw bad(`tensor "${name}" spans ${e - b} bytes but shape ${JSON.stringify(shape)} of ${t.dtype} needs ${count * BYTES[t.dtype]}`);
      }
      if (dataStart + e > size) throw bad(`tensor "${name}" points past the end of the file (byte ${dataStart + e} of ${size}; truncated?)`);
      entries.set(fullName, { name: fullName, dtype: t.dtype, shape, begin: dataStart + b, end: dataStart + e });
    }
    // Tensors must not share bytes: two names over one region (an edit that aliases a tensor) are refused.
    const spans = [...entries.values()].filter((x) => x.end > x.begin).sort((x, y) => x.begin - y.begin);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i].begin < spans[i - 1].end) throw bad(`tensors "${clip(spans[i - 1].name)}" and "${clip(spans[i].name)}" overlap in the file (bytes ${spans[i].begin - dataStart} to ${spans[i - 1].end - dataStart})`);
    }
    return { path, entries, headerText };
  } finally {
    await handle.close();
  }
}

/**
 * Reads one tensor and widens it to f32; `onBytes` sees the raw bytes (the model fingerprint hashes
 * them). NaN or infinite values are refused here: they would make every logit NaN without a word.
 */
export async function readTensor(file: SafetensorsFile, entry: TensorEntry, onBytes?: (bytes: Uint8Array) => void): Promise<Float32Array> {
  const bytes = entry.end - entry.begin;
  const buf = Buffer.alloc(bytes);
  const handle = await fs.open(file.path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const { bytesRead } = await handle.read(buf, 0, bytes, entry.begin);
    if (bytesRead !== bytes) {
      throw new SambaError('safetensors', `${file.path}: tensor "${clip(entry.name)}" was cut short while reading (file changed on disk?). Reload the model.`);
    }
  } finally {
    await handle.close();
  }
  onBytes?.(buf);
  const data = toF32(buf, entry.dtype);
  for (let i = 0; i < data.length; i++) {
    // x - x is 0 for every finite x, NaN for NaN and the infinities: one cheap test.
    if (data[i] - data[i] !== 0) {
      throw new SambaError(
        'tensor-values',
        `${file.path}: tensor "${clip(entry.name)}" holds ${data[i]} at index ${i}. The weights are corrupt or diverged in training; export them again from a good checkpoint.`,
      );
    }
  }
  return data;
}

export function toF32(buf: Uint8Array, dtype: SourceDtype): Float32Array {
  const n = buf.byteLength / BYTES[dtype];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Float32Array(n);
  if (dtype === 'F32') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === 'BF16') {
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) u32[i] = view.getUint16(i * 2, true) << 16;
  } else {
    const table = halfTable();
    for (let i = 0; i < n; i++) out[i] = table[view.getUint16(i * 2, true)];
  }
  return out;
}

let halves: Float32Array | undefined;

/** Every f16 bit pattern's value (256 KiB, made once): loading a model converts millions. */
function halfTable(): Float32Array {
  if (!halves) {
    halves = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halves[h] = halfToFloat(h);
  }
  return halves;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Writes a safetensors file (used by tests to build bad inputs, and by tools). */
export async function writeSafetensors(path: string, tensors: { name: string; shape: number[]; data: Float32Array }[]): Promise<void> {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  const parts = [head, Buffer.from(text), ...tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))];
  await fs.writeFile(path, Buffer.concat(parts));
}
