import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadModel } from '../../src/model/load';
import { loadTokenizer, type Tokenizer } from '../../src/model/tokenizer';
import { createCpuEngine } from '../../src/cpu/engine';
import type { Engine, EngineState } from '../../src/engine/engine';
import { fixtureDir } from './fixtures';
import * as assert from 'node:assert/strict';
import { fileTokens, type WorkspaceContext } from '../../src/workspace/context';
import { modelText } from '../../src/code/line-ends';

export function tempDir(tag: string): string {
  return mkdtempSync(path.join(tmpdir(), `samba-${tag}-`));
}

/** Writes files (path -> text or bytes) with mtimes one minute apart, in the order given, oldest first. */
export async function writeFiles(root: string, files: Record<string, string | Uint8Array>, startMs = Date.now() - 3_600_000): Promise<void> {
  let t = startMs;
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, content);
    t += 60_000;
    await fs.utimes(abs, t / 1000, t / 1000);
  }
}

export interface Tiny {
  engine: Engine;
  tokenizer: Tokenizer;
}

let tiny: Promise<Tiny> | undefined;
export function loadTiny(): Promise<Tiny> {
  tiny ??= (async () => {
    const model = await loadModel(fixtureDir('samba-tiny'));
    return { engine: createCpuEngine(model), tokenizer: await loadTokenizer(model.dir, model.config.vocabSize) };
  })();
  return tiny;
}

/**
 * `e` with what it is asked watched: the states it handed out and not released (`alive`, and the
 * most at once), and the tokens of each read.
 */
export function watchedEngine(e: Engine): { engine: Engine; alive: Set<EngineState>; peak: () => number; reads: number[] } {
  const alive = new Set<EngineState>();
  const reads: number[] = [];
  let peak = 0;
  const add = (s: EngineState) => {
    alive.add(s);
    peak = Math.max(peak, alive.size);
    return s;
  };
  const engine: Engine = {
    backend: e.backend,
    deviceName: e.deviceName,
    model: e.model,
    newState: (o) => add(e.newState(o)),
    prefill: (t, s, o) => e.prefill(t, s, o),
    read: (t, s, o) => {
      reads.push(t.length);
      return e.read(t, s, { ...o, onState: (i, st) => o.onState(i, add(st)) });
    },
    step: (t, s) => e.step(t, s),
    snapshot: (s) => add(e.snapshot(s)),
    restore: (t, s) => e.restore(t, s),
    release: (s) => {
      alive.delete(s);
      e.release(s);
    },
    download: (s) => e.download(s),
    upload: (d) => add(e.upload(d)),
    dispose: () => e.dispose(),
  };
  return { engine, alive, peak: () => peak, reads };
}

export function maxDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const PROBE = [40, 41, 42, 43];

/** The logits after the context's state plus a probe, and after the same files run from scratch in one go. */
export async function checkAgainstScratch(tiny: Tiny, ctx: WorkspaceContext, root: string): Promise<void> {
  const { engine, tokenizer } = tiny;
  const ready = ctx.ready()!;
  const order = ctx.describe().files.map((f) => f.path);
  const all: number[] = [];
  // The files as the model reads them: "\n" line ends (src/code/line-ends.ts).
  for (const p of order) all.push(...fileTokens(tokenizer, p, modelText(await fs.readFile(path.join(root, p), 'utf8'))));
  assert.equal(ready.tokens, all.length);
  assert.equal(ready.state.position, all.length);
  const a = await engine.prefill(PROBE, engine.snapshot(ready.state), { allLogits: true });
  const b = await engine.prefill([...all, ...PROBE], engine.newState(), { allLogits: true });
  const d = maxDiff(a, b.subarray(all.length * engine.model.config.vocabSize));
  assert.ok(d < 1e-5, `logits differ from a from-scratch run by ${d}`);
}

export function text(name: string, lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const ${name}${i} = ${i} * ${name.length};`).join('\n') + '\n';
}

