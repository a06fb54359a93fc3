import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { SnapshotStore } from '../src/workspace/snapshot-store';
import { WorkspaceContext } from '../src/workspace/context';
import { ModelSession } from '../src/worker/session';
import type { CompletionRequest } from '../src/worker/protocol';
import { fixtureDir } from './helpers/fixtures';
import { checkAgainstScratch, loadTiny, tempDir, text, writeFiles } from './helpers/workspace';
import { BIG_CAPACITY, KEYS } from './helpers/snapshot-writer';

const WRITER = path.join(__dirname, 'helpers', 'snapshot-writer.js');

/** Runs the writer until it has printed `rounds` rounds and then a random few ms more, then SIGKILLs it. */
async function killMidway(args: string[], rounds: number): Promise<number> {
  const child = spawn(process.execPath, [WRITER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = 0;
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    child.stdout.on('data', (b: Buffer) => {
      const m = /round (\d+)\n$/.exec(b.toString());
      if (m) last = +m[1];
      if (last >= rounds) resolve();
    });
  });
  await new Promise((r) => setTimeout(r, 5 + Math.random() * 60));
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return last;
}

describe('faults: process killed while snapshots are written (SIGKILL)', function () {
  this.timeout(600_000);

  it('raw store writes of 50 MB states: every file is absent, old or new, never torn (10 kills)', async () => {
    const model = await loadModel(fixtureDir('transformer-tiny'));
    const dir = tempDir('kill-store');
    let tmpLeft = 0;
    for (let kill = 0; kill < 10; kill++) {
      const rounds = await killMidway(['store', model.dir, dir], 1);
      const names = await fs.readdir(dir);
      tmpLeft += names.filter((n) => n.endsWith('.tmp')).length;
      const discarded: string[] = [];
      const store = new SnapshotStore(dir, model, (f, why) => discarded.push(`${f}: ${why}`));
      for (const k of KEYS) {
        const s = await store.load(k);
        if (!s) continue; // absent: the kill came before its first write
        // A complete round's state or the one being written (rounds + 1), whole.
        assert.ok(s.position >= 1 && s.position <= rounds + 1, `position ${s.position} after ${rounds} rounds`);
        const l = s.layers[0];
        assert.equal(l.kind, 'attention');
        if (l.kind === 'attention') {
          assert.equal(l.capacity, BIG_CAPACITY);
          assert.ok(l.k.every((x) => x === s.position) && l.v.every((x) => x === s.position), 'values of two rounds mixed');
        }
      }
      assert.deepEqual(discarded, []);
      // Temp files of the killed write are swept by the next prune.
      await store.prune(KEYS);
      assert.deepEqual((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
    }
    console.log(`      10 kills; ${tmpLeft} half-written temp files left behind and swept, 0 torn states`);
  });

  it('a context saving states while files change: after the kill the context rebuilds, exact', async () => {
    const tiny = await loadTiny();
    const root = tempDir('kill-ws');
    const dir = tempDir('kill-ctx-store');
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.ts`] = text(`k${i}_`, 20);
    await writeFiles(root, files);
    for (let kill = 0; kill < 3; kill++) {
      await killMidway(['context', fixtureDir('samba-tiny'), dir, root], 3);
      const discarded: string[] = [];
      const store = new SnapshotStore(dir, tiny.engine.model, (f, why) => discarded.push(`${f}: ${why}`));
      const names = (await fs.readdir(root)).sort();
      const ctx = new WorkspaceContext({ ...tiny, store, read: async (p) => fs.readFile(path.join(root, p), 'utf8') });
      await ctx.open(await Promise.all(names.map(async (p) => ({ path: p, text: await fs.readFile(path.join(root, p), 'utf8') }))));
      assert.deepEqual(discarded, []);
      await checkAgainstScratch(tiny, ctx, root);
      const d = ctx.describe();
      console.log(`      kill ${kill + 1}: rebuilt ${d.totalTokens} tokens, ${d.prefilledTokens} prefilled, from store: ${d.lastUpdate?.fromStore}`);
      ctx.dispose();
    }
  });
});

const completion: CompletionRequest = { path: 'new.ts', prefix: 'export const a', suffix: '\n', maxTokens: 8, lineBudgetMs: 60_000, deadlineMs: 60_000 };

/** Mounts a tmpfs (root with CAP_SYS_ADMIN); undefined where mounting is not allowed. */
function mountTmpfs(options: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const at = tempDir('mnt');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', at], { stdio: 'ignore' });
  return r.status === 0 ? at : undefined;
}

describe('faults: storage folder read-only, full or not a folder', function () {
  this.timeout(600_000);
  const mounts: string[] = [];
  after(() => mounts.forEach((m) => spawnSync('umount', [m], { stdio: 'ignore' })));

  async function indexWith(storageDir: string) {
    const logs: string[] = [];
    const session = new ModelSession({ onLog: (m) => logs.push(m) });
    await session.load({ modelDir: fixtureDir('samba-tiny'), backend: 'cpu', storageDir });
    const root = tempDir('ro-ws');
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.ts`] = text(`s${i}_`, 15);
    await writeFiles(root, files);
    const r = await session.open({ root, filter: {}, budgetTokens: 100_000 });
    assert.ok(r.ready && r.totalTokens > 0);
    // Edits go on in memory.
    session.update([{ kind: 'edit', path: 'f1.ts', text: 'export const changed = 1;\n' }]);
    await session.whenIdle();
    assert.ok(session.describe().ready);
    const c = await session.complete(completion);
    assert.equal(c.contextTokens, session.describe().totalTokens);
    session.dispose();
    const storeLogs = logs.filter((l) => /cannot save the workspace state/.test(l));
    assert.equal(storeLogs.length, 1, logs.join('\n'));
    assert.ok(!logs.some((l) => /context update failed/.test(l)), logs.join('\n'));
    return storeLogs[0];
  }

  it('read-only (a read-only tmpfs: EROFS): indexing works in memory, one log line', async function () {
    // The folder exists from an earlier session; then the file system turns read-only.
    const ro = mountTmpfs('size=1m');
    if (!ro) return this.skip();
    mounts.push(ro);
    mkdirSync(path.join(ro, 'snapshots'));
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', ro]).status, 0);
    const line = await indexWith(ro);
    assert.match(line, /^cannot save the workspace state in .* \(EROFS: .*\); the context stays in memory/);
    console.log(`      ${line}`);
  });

  it('full (a 64 KiB tmpfs: ENOSPC): indexing works in memory, one log line, no partial file kept', async function () {
    const small = mountTmpfs('size=64k');
    if (!small) return this.skip();
    mounts.push(small);
    const line = await indexWith(small);
    assert.match(line, /\(ENOSPC: /);
    const names = await fs.readdir(path.join(small, 'snapshots'));
    assert.deepEqual(names.filter((n) => n.endsWith('.tmp')), []);
    // What did get saved is whole.
    const tiny = await loadTiny();
    const store = new SnapshotStore(path.join(small, 'snapshots'), tiny.engine.model, () => assert.fail('a saved state is corrupt'));
    for (const k of await store.keys()) assert.ok(await store.load(k));
    console.log(`      ${line}; ${names.length} whole states kept`);
  });

  it('not a folder (the storage path is under a regular file: ENOTDIR): indexing works in memory, one log line', async () => {
    const base = tempDir('notdir');
    const file = path.join(base, 'file');
    writeFileSync(file, 'x');
    const line = await indexWith(path.join(file, 'storage'));
    assert.match(line, /\(ENOTDIR: /);
  });

  it('a read-only store with a corrupt state: the state is discarded (not trusted), indexing goes on', async function () {
    const tiny = await loadTiny();
    const at = tempDir('ro-corrupt');
    const snap = path.join(at, 'snapshots');
    mkdirSync(snap);
    const store = new SnapshotStore(snap, tiny.engine.model);
    writeFileSync(store.fileOf('f'.repeat(64)), 'garbage');
    const ro = mountTmpfs('size=1m');
    if (!ro) return this.skip();
    mounts.push(ro);
    await fs.cp(at, ro, { recursive: true });
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', ro]).status, 0);
    const discarded: string[] = [];
    const roStore = new SnapshotStore(path.join(ro, 'snapshots'), tiny.engine.model, (f, why) => discarded.push(why));
    assert.equal(await roStore.load('f'.repeat(64)), undefined);
    assert.equal(discarded.length, 1);
    assert.ok(existsSync(roStore.fileOf('f'.repeat(64))), 'still there: the folder is read-only');
  });
});
