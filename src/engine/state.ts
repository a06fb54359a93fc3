import { createHash } from 'node:crypto';
import { SambaError } from '../model/errors';
import type { Model } from '../model/weights';
import type { ModelConfig } from '../model/config';

/**
 * The recurrent state of a model, on the host: what a snapshot holds and what is serialized.
 * Mamba layers keep the last K-1 pre-conv inputs and h; attention layers keep a ring buffer of
 * post-RoPE keys and values, where absolute position p lives in slot p % capacity.
 */
export type LayerState =
  | { readonly kind: 'mamba'; readonly conv: Float32Array /* [K-1, Di], oldest first */; readonly ssm: Float32Array /* [Di, N] */ }
  | { readonly kind: 'attention'; readonly capacity: number; readonly k: Float32Array /* [capacity, G*hd] */; readonly v: Float32Array };

export interface StateData {
  /** Tokens consumed so far: the absolute position of the next token. */
  position: number;
  readonly layers: LayerState[];
}

/** KV slots of an attention layer: the window for SWA, the requested capacity for full attention. */
export function attentionCapacity(config: ModelConfig, capacity?: number): number {
  if (Number.isFinite(config.window)) return config.window;
  return capacity ?? config.maxPosition;
}

/**
 * The one description of a state's memory: per layer, its arrays (f32 values each) in the order
 * they are stored, serialized, allocated on the GPU and uploaded. Mamba: conv [K-1, Di], ssm
 * [Di, N]; attention: k and v [capacity, G*hd]. Everything else derives its sizes from here.
 */
export type LayerLayout =
  | { readonly kind: 'mamba'; readonly arrays: readonly [StateArray, StateArray] }
  | { readonly kind: 'attention'; readonly capacity: number; readonly arrays: readonly [StateArray, StateArray] };
export type StateArray = { readonly name: 'conv' | 'ssm' | 'k' | 'v'; readonly length: number };

export function stateLayout(config: ModelConfig, capacity?: number): LayerLayout[] {
  const cap = attentionCapacity(config, capacity);
  const kv = cap * config.nKvHead * config.headDim;
  return config.mixers.map((kind): LayerLayout =>
    kind === 'mamba'
      ? { kind, arrays: [{ name: 'conv', length: (config.dConv - 1) * config.dInner }, { name: 'ssm', length: config.dInner * config.dState }] }
      : { kind, capacity: cap, arrays: [{ name: 'k', length: kv }, { name: 'v', length: kv }] },
  );
}

/** Bytes of one state (host or device). */
export function stateBytes(config: ModelConfig, capacity?: number): number {
  return stateLayout(config, capacity).reduce((n, l) => n + 4 * (l.arrays[0].length + l.arrays[1].length), 0);
}

/** A layer's arrays in the layout's order. */
export function layerArrays(l: LayerState): [Float32Array, Float32Array] {
  return l.kind === 'mamba' ? [l.conv, l.ssm] : [l.k, l.v];
}

/** The layer state of kind (and capacity) `l` holding `arrays` in the layout's order. */
export function layerState(l: Pick<LayerLayout, 'kind'> & { readonly capacity?: number }, [a, b]: readonly Float32Array[]): LayerState {
  return l.kind === 'mamba' ? { kind: l.kind, conv: a, ssm: b } : { kind: l.kind, capacity: l.capacity!, k: a, v: b };
}

export function emptyState(config: ModelConfig, capacity?: number): StateData {
  const layers = stateLayout(config, capacity).map((l) => layerState(l, l.arrays.map((a) => new Float32Array(a.length))));
  return { position: 0, layers };
}

export function cloneState(s: StateData): StateData {
  return {
    position: s.position,
    layers: s.layers.map((l) => layerState(l, layerArrays(l).map((a) => a.slice()))),
  };
}

const MAGIC = Buffer.from('SAMBASTA', 'ascii');
export const STATE_FORMAT_VERSION = 1;

/**
 * Layout: magic (8) | version u32 | header length u32 | header JSON | f32 payload | sha256 of all before (32).
 * The header names the model fingerprint, so a state is never applied to another model.
 */
export function serializeState(model: Model, s: StateData): Uint8Array {
  const arrays: Float32Array[] = [];
  const layers = s.layers.map((l) => {
    arrays.push(...layerArrays(l));
    return l.kind === 'mamba' ? { kind: l.kind } : { kind: l.kind, capacity: l.capacity };
  });
  const header = Buffer.from(JSON.stringify({ fingerprint: model.fingerprint, position: s.position, layers }), 'utf8');
  const fixed = Buffer.alloc(16);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt32LE(STATE_FORMAT_VERSION, 8);
  fixed.writeUInt32LE(header.length, 12);
  const pad = Buffer.alloc((4 - ((16 + header.length) % 4)) % 4);
  const body = Buffer.concat([fixed, header, pad, ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]);
  const sum = createHash('sha256').update(body).digest();
  return Buffer.concat([body, sum]);
}

export function deserializeState(model: Model, bytes: Uint8Array, source = 'state'): StateData {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string) => new SambaError('state', `${source}: ${what}. Discard it and rebuild the state from the text.`);
  if (buf.length < 16 + 32 || !buf.subarray(0, 8).equals(MAGIC)) throw bad('not a Samba state (bad magic)');
  const version = buf.readUInt32LE(8);
  if (version !== STATE_FORMAT_VERSION) throw bad(`format version ${version}, this build reads version ${STATE_FORMAT_VERSION}`);
  const body = buf.subarray(0, buf.length - 32);
  if (!createHash('sha256').update(body).digest().equals(buf.subarray(buf.length - 32))) throw bad('checksum mismatch (corrupt or truncated)');
  const headerLen = buf.readUInt32LE(12);
  if (16 + headerLen > body.length) throw bad('header runs past the end');
  const header = JSON.parse(body.subarray(16, 16 + headerLen).toString('utf8')) as {
    fingerprint: string;
    position: number;
    layers: { kind: string; capacity?: number }[];
  };
  if (header.fingerprint !== model.fingerprint) {
    throw bad(`it was made by another model (fingerprint ${header.fingerprint}, this model is ${model.fingerprint})`);
  }
  const c = model.config;
  if (header.layers.length !== c.nLayer || header.layers.some((l, i) => l.kind !== c.mixers[i])) throw bad('its layers do not match the model');
  const capacity = header.layers.find((l) => l.kind === 'attention')?.capacity;
  const s = emptyState(c, capacity);
  let offset = 16 + headerLen;
  offset += (4 - (offset % 4)) % 4;
  const fill = (dst: Float32Array) => {
    const n = dst.byteLength;
    if (offset + n > body.length) throw bad('payload is shorter than the model needs');
    dst.set(new Float32Array(body.buffer.slice(body.byteOffset + offset, body.byteOffset + offset + n)));
    offset += n;
  };
  for (const l of s.layers) layerArrays(l).forEach(fill);
  if (offset !== body.length) throw bad('payload is longer than the model needs');
  s.position = header.position;
  return s;
}
