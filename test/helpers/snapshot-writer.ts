// A child process for test/faults-storage.test.ts, killed with SIGKILL while it writes snapshots.
// Usage: node snapshot-writer.js store <modelDir> <storeDir>   (raw store writes of big states, forever)
//        node snapshot-writer.js context <modelDir> <storeDir> <root>   (edits + context updates, forever)
// Prints "round N" after each complete round.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../src/model/load';
import { loadTokenizer } from '../../src/model/tokenizer';
import { createCpuEngine } from '../../src/cpu/engine';
import { emptyState } from '../../src/engine/state';
import { SnapshotStore } from '../../src/workspace/snapshot-store';
import { WorkspaceContext } from '../../src/workspace/context';

export const KEYS = ['a', 'b', 'c', 'd'].map((k) => k.repeat(64));
/** KV slots of the raw-store states: about 50 MB per file for transformer-tiny, so a kill lands mid-write. */
export const BIG_CAPACITY = 200_000;

/** A state whose every value is `round` (so a reader can tell which round wrote it). */
export function roundState(config: Parameters<typeof emptyState>[0], round: number) {
  const s = emptyState(config, BIG_CAPACITY);
  s.position = round;
  for (const l of s.layers) for (const a of l.kind === 'mamba' ? [l.conv, l.ssm] : [l.k, l.v]) a.fill(round);
  return s;
}

async function main(): Promise<void> {
  const [mode, modelDir, storeDir, root] = process.argv.slice(2);
  const model = await loadModel(modelDir);
  const store = new SnapshotStore(storeDir, model);
  if (mode === 'store') {
    for (let round = 1; ; round++) {
      for (const k of KEYS) await store.save(k, roundState(model.config, round));
      process.stdout.write(`round ${round}\n`);
    }
  }
  const engine = createCpuEngine(model);
  const tokenizer = await loadTokenizer(modelDir, model.config.vocabSize);
  const names = (await fs.readdir(root)).sort();
  const ctx = new WorkspaceContext({ engine, tokenizer, store, read: (p) => fs.readFile(path.join(root, p), 'utf8').catch(() => undefined), debounceMs: 0, persistEveryMs: 0 });
  await ctx.open(await Promise.all(names.map(async (p) => ({ path: p, text: await fs.readFile(path.join(root, p), 'utf8') }))));
  for (let round = 1; ; round++) {
    const p = names[round % names.length];
    await fs.appendFile(path.join(root, p), `export const r${round} = ${round};\n`);
    await ctx.update([{ kind: 'edit', path: p }]);
    process.stdout.write(`round ${round}\n`);
  }
}

if (require.main === module) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
