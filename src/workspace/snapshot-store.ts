import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Model } from '../model/weights';
import { deserializeState, serializeState, type StateData } from '../engine/state';
import { SambaError } from '../model/errors';

/** Bump when the way files are turned into tokens changes: old states then no longer match their keys. */
const CHAIN_FORMAT = 'samba-context-v1';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The key of the empty context for a model: the start of every chain. */
export function chainRoot(model: Model, tokenizerId = ''): string {
  return sha256(`${CHAIN_FORMAT}\0${model.fingerprint}\0${tokenizerId}`);
}

/** The key of the state after one more file: it names everything the state has read, in order. */
export function chainNext(previous: string, filePath: string, contentHash: string): string {
  return sha256(`${previous}\0${filePath}\0${contentHash}`);
}

const EXT = '.sst';

/**
 * States on disk, one file per chain key, named by model fingerprint so models never share states.
 * A file is only trusted after deserializeState checks magic, version, checksum and fingerprint,
 * and its position matches what the chain says; anything else is deleted and rebuilt from text.
 */
export class SnapshotStore {
  private readonly prefix: string;

  constructor(
    readonly dir: string,
    private readonly model: Model,
    private readonly onDiscard: (file: string, why: string) => void = () => undefined,
  ) {
    this.prefix = model.fingerprint.replace(/[^0-9a-zA-Z]/g, '').slice(0, 16) + '-';
  }

  fileOf(key: string): string {
    return path.join(this.dir, this.prefix + key + EXT);
  }

  async has(key: string): Promise<boolean> {
    return fs.lstat(this.fileOf(key)).then((st) => st.isFile(), () => false);
  }

  /** The state saved under `key`, or undefined (missing, or corrupt and now deleted). */
  async load(key: string, expectedPosition?: number): Promise<StateData | undefined> {
    const file = this.fileOf(key);
    const st = await fs.lstat(file).catch(() => undefined);
    if (!st) return undefined;
    try {
      // Checked before reading: something else under the name (a folder, a link, a 2 GB file) is never read.
      if (!st.isFile()) throw new Error('not a regular file');
      const max = maxStateBytes(this.model);
      if (st.size > max) throw new Error(`${st.size} bytes, more than this model's states take (at most ${max})`);
      const data = deserializeState(this.model, await fs.readFile(file), file);
      if (expectedPosition !== undefined && data.position !== expectedPosition) {
        throw new Error(`position ${data.position}, expected ${expectedPosition}`);
      }
      const bad = nonFinite(data);
      if (bad) throw new Error(bad);
      return data;
    } catch (e) {
      this.onDiscard(file, (e as Error).message);
      // A read-only store keeps the bad file; it is never trusted anyway.
      await fs.rm(file, { force: true, recursive: true }).catch(() => undefined);
      return undefined;
    }
  }

  /** Temp file then rename, so a crash leaves the old file or the new one, never half of one. A state holding NaN is never saved. */
  async save(key: string, data: StateData): Promise<void> {
    const bad = nonFinite(data);
    if (bad) throw new SambaError('state', `Not saving the state for ${key.slice(0, 12)}: it ${bad}. The model produced non-finite values; check the weights.`);
    await fs.mkdir(this.dir, { recursive: true });
    const file = this.fileOf(key);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, serializeState(this.model, data));
      // Something that is not a file under the name (a folder) would make every save fail: it goes.
      const there = await fs.lstat(file).catch(() => undefined);
      if (there && !there.isFile()) await fs.rm(file, { recursive: true, force: true });
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  /** Deletes this model's states not in `keep`, and leftover temp files; other models' files are left alone. */
  async prune(keep: Iterable<string>): Promise<number> {
    const keepNames = new Set([...keep].map((k) => this.prefix + k + EXT));
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      if (!name.startsWith(this.prefix) || keepNames.has(name)) continue;
      if (!name.endsWith(EXT) && !name.endsWith('.tmp')) continue;
      await fs.rm(path.join(this.dir, name), { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  async keys(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.startsWith(this.prefix) && n.endsWith(EXT)).map((n) => n.slice(this.prefix.length, -EXT.length));
  }
}

/**
 * The most bytes a serialized state of this model can take: recurrent and sliding-window layers have
 * a fixed size (plus a small header); full attention's grows with its KV capacity, up to what one
 * Buffer holds.
 */
function maxStateBytes(model: Model): number {
  const c = model.config;
  let bytes = 16 + 32 + HEADER_ROOM;
  for (const m of c.mixers) {
    if (m === 'mamba') bytes += ((c.dConv - 1) * c.dInner + c.dInner * c.dState) * 4;
    else if (Number.isFinite(c.window)) bytes += 2 * c.window * c.nKvHead * c.headDim * 4;
    else return MAX_BUFFER_BYTES;
  }
  return Math.min(bytes, MAX_BUFFER_BYTES);
}
const HEADER_ROOM = 1 << 16;
const MAX_BUFFER_BYTES = 2 ** 31 - 1;

/** What is wrong with a state holding NaN or infinite values, or undefined. */
function nonFinite(data: StateData): string | undefined {
  for (let l = 0; l < data.layers.length; l++) {
    const layer = data.layers[l];
    for (const a of layer.kind === 'mamba' ? [layer.conv, layer.ssm] : [layer.k, layer.v]) {
      for (let i = 0; i < a.length; i++) if (a[i] - a[i] !== 0) return `holds ${a[i]} in layer ${l}`;
    }
  }
  return undefined;
}
