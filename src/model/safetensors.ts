import { constants, promises as fs } from 'node:fs';
import { SambaError } from './errors';
import { clip, openRegular, parseStrictJson } from './files';
import { GROUP } from './quantize';
import type { SourceDtype } from './weights';

/** Float dtypes are widened as they are; `I8` is an int8 matrix read through its `<name>.scale` tensor. */
export type FloatDtype = Exclude<SourceDtype, 'I8'>;
const BYTES: Record<SourceDtype, number> = { F32: 4, F16: 2, BF16: 2, I8: 1 };
/** The suffix of the tensor that holds an I8 tensor's per-group scales. */
export const SCALE_SUFFIX = '.scale';
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
  /** An I8 tensor's scales: F16 or F32, [rows, ceil(cols / GROUP)], in the same file. */
  readonly scale?: TensorEntry;
}

/** The parsed header of one safetensors file; tensors are read on demand. */
export interface SafetensorsFile {
  readonly path: string;
  /** The weights; an I8 tensor's `.scale` is not among them but carried by its entry. */
  readonly entries: ReadonlyMap<string, TensorEntry>;
  /** Names of the `.scale` tensors consumed by their I8 partners. */
  readonly scaleNames: ReadonlySet<string>;
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
      if (t.dtype !== 'F32' && t.dtype !== 'F16' && t.dtype !== 'BF16' && t.dtype !== 'I8') {
        throw new SambaError(
          'tensor-dtype',
          `${path}: tensor "${name}" has dtype ${clip(String(t.dtype))}; supported are F32, F16 and BF16, and I8 matrices with a "${name}${SCALE_SUFFIX}" tensor of scales. Convert the checkpoint (e.g. model.half()) and save it again.`,
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
    const scaleNames = pairScales(path, entries);
    return { path, entries, scaleNames, headerText };
  } finally {
    await handle.close();
  }
}

/**
 * Gives each I8 tensor its `<name>.scale` (same file, F16 or F32, [rows, ceil(cols / GROUP)]) and
 * takes the scales out of `entries`, so they are never weights of their own. Returns their names.
 */
function pairScales(path: string, entries: Map<string, TensorEntry>): Set<string> {
  const fix = 'Quantize the model again with training/quantize.py.';
  const scaleNames = new Set<string>();
  for (const name of entries.keys()) {
    if (!name.endsWith(SCALE_SUFFIX)) continue;
    const base = name.slice(0, -SCALE_SUFFIX.length);
    const partner = entries.get(base);
    if (!partner || partner.dtype !== 'I8') {
      const what = partner ? `"${clip(base)}" is ${partner.dtype}, not I8` : `there is no tensor "${clip(base)}" in this file`;
      throw new SambaError('tensor-dtype', `${path}: tensor "${clip(name)}" holds int8 scales, but ${what}. An I8 tensor and its scales must be in the same file. ${fix}`);
    }
    scaleNames.add(name);
  }
  for (const [name, entry] of entries) {
    if (entry.dtype !== 'I8') continue;
    const scaleName = name + SCALE_SUFFIX;
    if (entry.shape.length !== 2) {
      throw new SambaError('tensor-dtype', `${path}: tensor "${clip(name)}" is I8 with shape [${entry.shape.join(', ')}]; only matrices [rows, cols] may be I8. ${fix}`);
    }
    const scale = entries.get(scaleName);
    if (!scale) {
      throw new SambaError('tensor-dtype', `${path}: tensor "${clip(name)}" is I8 but this file has no "${clip(scaleName)}" (its per-group scales); an I8 tensor and its scales must be in the same file. ${fix}`);
    }
    const [rows, cols] = entry.shape;
    const want = [rows, Math.ceil(cols / GROUP)];
    if (scale.dtype !== 'F16' && scale.dtype !== 'F32') {
      throw new SambaError('tensor-dtype', `${path}: tensor "${clip(scaleName)}" (scales of "${clip(name)}") has dtype ${scale.dtype}; scales must be F16 or F32. ${fix}`);
    }
    if (scale.shape.length !== 2 || scale.shape[0] !== want[0] || scale.shape[1] !== want[1]) {
      throw new SambaError(
        'tensor-shape',
        `${path}: tensor "${clip(scaleName)}" has shape [${scale.shape.join(', ')}], but the I8 tensor "${clip(name)}" [${rows}, ${cols}] needs [${want.join(', ')}] (one scale per ${GROUP} columns of each row). ${fix}`,
      );
    }
    entries.set(name, { ...entry, scale });
  }
  for (const name of scaleNames) entries.delete(name);
  return scaleNames;
}

/**
 * Reads one tensor and widens it to f32 (an I8 one through its scales: fround(scale * q), the scale
 * upcast to f32 first); `onBytes` sees the raw bytes, an I8 tensor's then its scales' (the model
 * fingerprint hashes them). NaN or infinite values are refused here: they would make every logit NaN
 * without a word.
 */
export async function readTensor(file: SafetensorsFile, entry: TensorEntry, onBytes?: (bytes: Uint8Array) => void): Promise<Float32Array> {
  const buf = await readBytes(file, entry);
  onBytes?.(buf);
  if (entry.dtype === 'I8') {
    const scaleEntry = entry.scale!;
    const scaleBuf = await readBytes(file, scaleEntry);
    onBytes?.(scaleBuf);
    const scales = toF32(scaleBuf, scaleEntry.dtype as FloatDtype);
    checkFinite(file, scaleEntry, scales);
    for (let i = 0; i < scales.length; i++) {
      if (scales[i] < 0) {
        throw new SambaError('tensor-values', `${file.path}: tensor "${clip(scaleEntry.name)}" holds the negative scale ${scales[i]} at index ${i}; scales are max|w| / 127. Quantize the model again with training/quantize.py.`);
      }
    }
    return dequantize(file, entry, new Int8Array(buf.buffer, buf.byteOffset, buf.byteLength), scales);
  }
  const data = toF32(buf, entry.dtype);
  checkFinite(file, entry, data);
  return data;
}

/** w[r][k] = fround(scale[r][floor(k / GROUP)] * q[r][k]); q is -127..127 (the engine's int8 storage reads these values back unchanged). */
function dequantize(file: SafetensorsFile, entry: TensorEntry, q: Int8Array, scales: Float32Array): Float32Array {
  const [rows, cols] = entry.shape;
  const groups = Math.ceil(cols / GROUP);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const v = q[r * cols + k];
      if (v === -128) {
        throw new SambaError('tensor-values', `${file.path}: tensor "${clip(entry.name)}" holds -128 at index ${r * cols + k}; int8 weights are -127..127. Quantize the model again with training/quantize.py.`);
      }
      out[r * cols + k] = scales[r * groups + Math.floor(k / GROUP)] * v;
    }
  }
  return out;
}

async function readBytes(file: SafetensorsFile, entry: TensorEntry): Promise<Buffer> {
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
  return buf;
}

function checkFinite(file: SafetensorsFile, entry: TensorEntry, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    // x - x is 0 for every finite x, NaN for NaN and the infinities: one cheap test.
    if (data[i] - data[i] !== 0) {
      throw new SambaError(
        'tensor-values',
        `${file.path}: tensor "${clip(entry.name)}" holds ${data[i]} at index ${i}. The weights are corrupt or diverged in training; export them again from a good checkpoint.`,
      );
    }
  }
}

export function toF32(buf: Uint8Array, dtype: FloatDtype): Float32Array {
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

/** One tensor to write: f32 values, or the raw elements of another dtype (F16 as bit patterns). */
export type TensorToWrite =
  | { name: string; shape: number[]; data: Float32Array; dtype?: 'F32' }
  | { name: string; shape: number[]; data: Uint16Array; dtype: 'F16' | 'BF16' }
  | { name: string; shape: number[]; data: Int8Array; dtype: 'I8' };

/** Writes a safetensors file (used by tests to build bad inputs, and by tools). */
export async function writeSafetensors(path: string, tensors: TensorToWrite[]): Promise<void> {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype ?? 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  const parts = [head, Buffer.from(text), ...tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))];
  await fs.writeFile(path, Buffer.concat(parts));
}
