import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Model } from '../model/weights';
import { deserializeState, serializeState, type StateData } from '../engine/state';

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
    return fs.access(this.fileOf(key)).then(() => true, () => false);
  }

  /** The state saved under `key`, or undefined (missing, or corrupt and now deleted). */
  async load(key: string, expectedPosition?: number): Promise<StateData | undefined> {
    const file = this.fileOf(key);
    const bytes = await fs.readFile(file).catch(() => undefined);
    if (!bytes) return undefined;
    try {
      const data = deserializeState(this.model, bytes, file);
      if (expectedPosition !== undefined && data.position !== expectedPosition) {
        throw new Error(`position ${data.position}, expected ${expectedPosition}`);
      }
      return data;
    } catch (e) {
      this.onDiscard(file, (e as Error).message);
      // A read-only store keeps the bad file; it is never trusted anyway.
      await fs.rm(file, { force: true }).catch(() => undefined);
      return undefined;
    }
  }

  /** Temp file then rename, so a crash leaves the old file or the new one, never half of one. */
  async save(key: string, data: StateData): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = this.fileOf(key);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, serializeState(this.model, data));
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
      await fs.rm(path.join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  async keys(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.startsWith(this.prefix) && n.endsWith(EXT)).map((n) => n.slice(this.prefix.length, -EXT.length));
  }
}
