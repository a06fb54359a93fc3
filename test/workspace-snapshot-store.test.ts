import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SnapshotStore, chainNext, chainRoot } from '../src/workspace/snapshot-store';
import { WorkspaceContext, type ContextFile, type ContextOptions } from '../src/workspace/context';
import { WorkspaceFilter } from '../src/workspace/filter';
import { loadWorkspaceFiles } from '../src/workspace/load';
import { loadModel } from '../src/model/load';
import { createCpuEngine } from '../src/cpu/engine';
import { serializeState } from '../src/engine/state';
import { fixtureDir } from './helpers/fixtures';
import { checkAgainstScratch, loadTiny, tempDir, text, writeFiles, type Tiny } from './helpers/workspace';

describe('workspace snapshot store', () => {
  let tiny: Tiny;
  before(async () => (tiny = await loadTiny()));

  it('saves atomically, loads what it saved, and deletes corrupt or mismatched files', async () => {
    const { engine } = tiny;
    const dir = tempDir('store');
    const discarded: string[] = [];
    const store = new SnapshotStore(dir, engine.model, (_f, why) => discarded.push(why));
    const state = engine.newState();
    await engine.prefill([5, 6, 7, 8], state);
    const key = chainNext(chainRoot(engine.model), 'a.ts', 'h');
    await store.save(key, await engine.download(state));
    assert.deepEqual((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
    const back = await store.load(key, 4);
    assert.ok(back);
    assert.equal(back.position, 4);
    assert.deepEqual(await engine.prefill([9], engine.upload(back)), await engine.prefill([9], engine.snapshot(state)));

    // The wrong position for its chain: deleted, not trusted.
    assert.equal(await store.load(key, 5), undefined);
    assert.equal(await store.has(key), false);

    // Flipped byte: the checksum catches it.
    await store.save(key, await engine.download(state));
    const bytes = await fs.readFile(store.fileOf(key));
    bytes[bytes.length - 50] ^= 0xff;
    await fs.writeFile(store.fileOf(key), bytes);
    assert.equal(await store.load(key), undefined);
    assert.equal(await store.has(key), false);

    // Another model's state under this model's name: the fingerprint catches it.
    const mamba = await loadModel(fixtureDir('mamba-hf-tiny'));
    const other = createCpuEngine(mamba);
    const os = other.newState();
    await other.prefill([1, 2], os);
    await fs.writeFile(store.fileOf(key), serializeState(mamba, await other.download(os)));
    assert.equal(await store.load(key), undefined);
    assert.equal(await store.has(key), false);
    assert.equal(discarded.length, 3);
    assert.match(discarded.join('\n'), /position 4, expected 5[\s\S]*checksum[\s\S]*another model/);

    // Prune keeps what it is told and removes temp leftovers.
    await store.save(key, await engine.download(state));
    await store.save('stale', await engine.download(state));
    await fs.writeFile(store.fileOf('x') + '.abc.tmp', 'half');
    assert.equal(await store.prune([key]), 2);
    assert.deepEqual(await store.keys(), [key]);
  });

  /** A context over `root` that saves its states in `dir`; `extra` options may depend on the files loaded. */
  async function openStored(root: string, dir: string, extra: (files: ContextFile[]) => Partial<ContextOptions> = () => ({})): Promise<WorkspaceContext> {
    const filter = new WorkspaceFilter(root);
    const loaded = await loadWorkspaceFiles(filter, tiny.tokenizer);
    const read = async (p: string) => {
      const r = await filter.read(p);
      return 'text' in r ? r.text : undefined;
    };
    const ctx = new WorkspaceContext({ ...tiny, read, store: new SnapshotStore(dir, tiny.engine.model), debounceMs: 1, ...extra(loaded.files) });
    await ctx.open(loaded.files);
    return ctx;
  }

  it('with a snapshot only every few files, a file changed while closed re-reads from the last saved one before it', async () => {
    const root = tempDir('sparse');
    const dir = tempDir('sparse-store');
    const names = Array.from({ length: 8 }, (_, i) => `f${i}.ts`);
    await writeFiles(root, Object.fromEntries(names.map((n, i) => [n, text(`v${i}`, 2)])));
    // A snapshot every third file before a tail of one file.
    const open = () => openStored(root, dir, (files) => ({ snapshotSpacing: 3 * files[0].tokens!.length, tailTokens: files[0].tokens!.length }));
    const first = await open();
    const chain = first.describe().files;
    first.dispose();
    const saved = chain.filter((f) => f.snapshot);
    assert.ok(saved.length < chain.length, `${saved.length} of ${chain.length} boundaries kept`);
    assert.equal((await fs.readdir(dir)).length, saved.length, 'only the kept snapshots are saved');
    // A file with no snapshot right before it changes while the editor is closed: the read starts
    // at the last snapshot before it (and the file, now the newest, moves to the end).
    const at = chain.findIndex((_, i) => i > 1 && !chain[i - 1].snapshot && chain.slice(0, i - 1).some((f) => f.snapshot));
    assert.ok(at > 0, 'a file after a boundary without a snapshot');
    const from = chain.slice(0, at).filter((f) => f.snapshot).at(-1)!;
    await writeFiles(root, { [chain[at].path]: text('changed', 2) }, Date.now());
    const second = await open();
    assert.equal(second.prefilledTokens, second.describe().totalTokens - from.end, `read again from the snapshot after ${from.path}, to the end`);
    await checkAgainstScratch(tiny, second, root);
    second.dispose();
  });

  it('saves the chain\'s end, the tail\'s snapshots and a few spread evenly, not every snapshot kept in memory', async () => {
    const root = tempDir('disk-few');
    const dir = tempDir('disk-few-store');
    const names = Array.from({ length: 40 }, (_, i) => `m${String(i).padStart(2, '0')}.ts`);
    await writeFiles(root, Object.fromEntries(names.map((n, i) => [n, text(`w${i}`, 2)])));
    // A snapshot at every boundary in memory, a tail of one file, four spread on disk.
    const open = () => openStored(root, dir, (files) => ({ snapshotSpacing: 0, tailTokens: files[0].tokens!.length, diskSnapshots: 4 }));
    const first = await open();
    const chain = first.describe().files;
    const total = first.describe().totalTokens;
    first.dispose();
    assert.equal(chain.filter((f) => f.snapshot).length, chain.length, 'every boundary in memory');
    const onDisk = (await fs.readdir(dir)).length;
    assert.ok(onDisk >= 4 && onDisk <= 4 + 3, `${onDisk} states on disk for ${chain.length} boundaries`);
    // A file far back changed while closed: read again from the last saved state before it, at most
    // a quarter of the chain (and the file itself) more than with every boundary saved.
    const at = 6;
    await writeFiles(root, { [chain[at].path]: text('changed', 2) }, Date.now());
    const second = await open();
    const rest = total - chain[at - 1].end;
    assert.ok(second.prefilledTokens >= rest && second.prefilledTokens <= rest + total / 4 + chain[at].tokens, `prefilled ${second.prefilledTokens}, ${rest} after the file before it`);
    await checkAgainstScratch(tiny, second, root);
    second.dispose();
  });

  it('a reopened workspace whose files are unchanged is ready without reading; changes cost only what changed', async () => {
    const root = tempDir('reopen');
    const dir = tempDir('reopen-store');
    await writeFiles(root, { 'a.ts': text('alpha', 4), 'b.ts': text('beta', 3), 'c.ts': text('gamma', 5) });
    const open = () => openStored(root, dir);
    const first = await open();
    const total = first.prefilledTokens;
    assert.equal(total, first.describe().totalTokens);
    first.dispose();
    assert.equal((await fs.readdir(dir)).length, 3, 'one state per file boundary');

    const second = await open();
    assert.equal(second.prefilledTokens, 0, 'unchanged workspace: zero prefill tokens');
    assert.equal(second.describe().lastUpdate?.fromStore, true);
    await checkAgainstScratch(tiny, second, root);
    second.dispose();

    // c.ts changed while closed: the state after b.ts is on disk, so only c.ts runs.
    await writeFiles(root, { 'c.ts': text('gamma', 6) }, Date.now());
    const third = await open();
    const cCost = third.describe().files.find((f) => f.path === 'c.ts')!.tokens;
    assert.equal(third.prefilledTokens, cCost);
    await checkAgainstScratch(tiny, third, root);
    third.dispose();
    assert.equal((await fs.readdir(dir)).length, 3, 'the stale end state was pruned');

    // A corrupt end state is deleted and rebuilt from the previous boundary.
    const last = third.describe().files.at(-1)!;
    const files = (await fs.readdir(dir)).map((n) => path.join(dir, n));
    const newest = (await Promise.all(files.map(async (f) => ({ f, t: (await fs.stat(f)).mtimeMs })))).sort((a, b) => b.t - a.t)[0].f;
    await fs.truncate(newest, 100);
    const fourth = await open();
    assert.equal(fourth.prefilledTokens, last.tokens);
    await checkAgainstScratch(tiny, fourth, root);
    console.log(`      reopen: first open ${total} tokens, unchanged 0, one file changed ${cCost}, corrupt end state ${last.tokens}`);
    fourth.dispose();
  });

  it('checks type and size before reading: a folder under a state name, huge files and NaN states are discarded, and saving goes on', async () => {
    const { engine } = tiny;
    const dir = tempDir('store-bad');
    const discarded: string[] = [];
    const store = new SnapshotStore(dir, engine.model, (_f, why) => discarded.push(why));
    const state = engine.newState();
    await engine.prefill([5, 6, 7], state);
    const data = await engine.download(state);
    // A folder named like the state file: not a state, and saving replaces it.
    await fs.mkdir(path.join(store.fileOf('k1'), 'inner'), { recursive: true });
    assert.equal(await store.has('k1'), false);
    assert.equal(await store.load('k1'), undefined);
    await fs.mkdir(path.join(store.fileOf('k1'), 'inner'), { recursive: true });
    await store.save('k1', data);
    assert.equal((await store.load('k1', 3))?.position, 3);
    // Far larger than any state of this model (a sparse 3 GiB file, and 64 MiB): deleted unread.
    for (const [key, size] of [['k2', 3 * 2 ** 30], ['k3', 64 << 20]] as const) {
      await fs.writeFile(store.fileOf(key), '');
      await fs.truncate(store.fileOf(key), size);
      assert.equal(await store.load(key), undefined);
      await assert.rejects(fs.stat(store.fileOf(key)), /ENOENT/, `${key} deleted`);
    }
    assert.match(discarded.join('\n'), /not a regular file[\s\S]*3221225472 bytes, more than this model's states take/);
    // A state holding NaN is never saved; one on disk (written by an older build) is discarded.
    const poisoned = { ...data, layers: data.layers.map((l) => ({ ...l })) };
    const first = poisoned.layers[0];
    if (first.kind === 'mamba') first.ssm[3] = NaN;
    else first.k[3] = NaN;
    await assert.rejects(store.save('k4', poisoned), /holds NaN in layer 0/);
    assert.equal(await store.has('k4'), false);
    await fs.writeFile(store.fileOf('k4'), serializeState(engine.model, poisoned));
    assert.equal(await store.load('k4'), undefined);
    assert.match(discarded.at(-1)!, /holds NaN/);
  });
});
