import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import type { StateData } from '../../src/engine/state';

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
export const FIXTURE_NAMES = ['samba-tiny', 'transformer-tiny', 'mamba-hf-tiny'] as const;

export interface Reference {
  readonly tokens: number[];
  /** Row t: logits after tokens[0..t]. */
  readonly logits: number[][];
}

export function fixtureDir(name: string): string {
  return path.join(FIXTURES, name);
}

/** A fixture folder's PyTorch reference (training/make_fixtures.py; gzipped, for the tracked files' budget). */
export const REFERENCE_FILE = 'reference.json.gz';

export function readReference(name: string, root = FIXTURES): Reference {
  return JSON.parse(gunzipSync(readFileSync(path.join(root, name, REFERENCE_FILE))).toString('utf8')) as Reference;
}

/** max |a - b| over all positions, with `a` flat [n * V]. */
export function maxAbsDiff(a: Float32Array, rows: number[][]): number {
  const V = rows[0].length;
  let m = 0;
  rows.forEach((row, t) => row.forEach((v, i) => (m = Math.max(m, Math.abs(a[t * V + i] - v)))));
  return m;
}

/** Largest difference between two engine states (conv and scan states, keys and values), layer by layer. */
export function maxStateDiff(a: StateData, b: StateData): number {
  let m = 0;
  a.layers.forEach((l, i) => {
    const r = b.layers[i];
    if (l.kind === 'mamba' && r.kind === 'mamba') m = Math.max(m, maxAbsDiffFlat(l.conv, r.conv), maxAbsDiffFlat(l.ssm, r.ssm));
    else if (l.kind === 'attention' && r.kind === 'attention') m = Math.max(m, maxAbsDiffFlat(l.k, r.k), maxAbsDiffFlat(l.v, r.v));
    else throw new Error('layer kinds differ');
  });
  return m;
}

export function maxAbsDiffFlat(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
