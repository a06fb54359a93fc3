// A first read whose pass runs while the folder is read: WorkspaceContext.open's arriving files,
// streamWorkspaceFiles' order and its limits, and the session that chooses it.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceContext, snapshotPoints, type ContextFile, type ContextOptions, type Progress } from '../src/workspace/context';
import type { Engine, EngineState } from '../src/engine/engine';
import { WorkspaceFilter } from '../src/workspace/filter';
import { WorkspaceFiles } from '../src/workspace/files';
import { BudgetOverrun, loadWorkspaceFiles, streamWorkspaceFiles } from '../src/workspace/load';
import { ModelSession } from '../src/worker/session';
import { fixtureDir } from './helpers/fixtures';
import { checkAgainstScratch, loadTiny, tempDir, text, watchedEngine, writeFiles, type Tiny } from './helpers/workspace';

/**
 * Text that is not UTF-8 past the binary check's first 8 KiB: lines of Latin-1 bytes, each read as
 * U+FFFD, 3 tokens a byte (the whole: about 15 KB, 24,000 tokens of the tiny model's tokenizer).
 */
function latin1Notes(): Buffer {
  const lines: Buffer[] = [];
  for (let i = 0; i < 800; i++) lines.push(Buffer.from('let s = 1;\n'));
  for (let i = 0; i < 100; i++) lines.push(Buffer.from('// '), Buffer.alloc(60, 0xe9), Buffer.from('\n'));
  return Buffer.concat(lines);
}

describe('workspace context: files that arrive while the pass runs', () => {
  let tiny: Tiny;
  before(async () => (tiny = await loadTiny()));

  /** The context's tail here (tailTokens): the files a pass leaves for later while more arrive. */
  const TAIL = 400;
  /** 40 files of about 150 tokens: more than one pass's worth (2,048 tokens) arrives. */
  const FILES = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`src/f${String(i).padStart(2, '0')}.ts`, text(`v${i}`, 8)]));

  /** The tiny engine, its reads' tokens and its live states watched. */
  function counted(): { engine: Engine; reads: () => number; lengths: number[]; alive: Set<EngineState> } {
    const w = watchedEngine(tiny.engine);
    return { engine: w.engine, reads: () => w.reads.length, lengths: w.reads, alive: w.alive };
  }

  /** The files one at a time, a few ms apart, as a folder read on a busy machine gives them. */
  async function* slowly(files: readonly ContextFile[], ms = 3): AsyncGenerator<ContextFile> {
    for (const f of files) {
      await new Promise((r) => setTimeout(r, ms));
      yield f;
    }
  }

  async function folder(extra: Partial<ContextOptions> = {}) {
    const root = tempDir('stream');
    await writeFiles(root, FILES);
    const filter = new WorkspaceFilter(root);
    const loaded = await loadWorkspaceFiles(filter, tiny.tokenizer);
    const read = async (p: string) => {
      const r = await filter.read(p);
      return 'text' in r ? r.text : undefined;
    };
    const make = (engine: Engine = tiny.engine, more: Partial<ContextOptions> = {}) => new WorkspaceContext({ ...tiny, engine, read, debounceMs: 5, snapshotSpacing: 600, tailTokens: TAIL, ...extra, ...more });
    return { root, files: loaded.files, make };
  }

  it('gives the chain, the snapshots, the cost and the state of an open with every file at once, in more than one pass', async () => {
    const { root, files, make } = await folder();
    const whole = make();
    await whole.open(files);
    const { engine, reads } = counted();
    const progress: Progress[] = [];
    const streamed = make(engine, { onProgress: (p) => progress.push(p), progressEveryMs: 0 });
    await streamed.open([], [], slowly(files));
    const a = whole.describe();
    const b = streamed.describe();
    assert.ok(reads() > 1, `${reads()} passes`);
    assert.ok(b.totalTokens > 2 * 2048, `${b.totalTokens} tokens`);
    assert.deepEqual(b.files, a.files);
    assert.equal(streamed.prefilledTokens, whole.prefilledTokens);
    assert.ok(b.ready);
    // No share of a total not known yet: 0 while files arrive, then the whole.
    assert.ok(progress.every((p) => p.totalTokens === 0 || p.totalTokens === b.totalTokens), JSON.stringify(progress.map((p) => p.totalTokens)));
    assert.ok(progress.some((p) => p.phase === 'running' && p.totalTokens === 0) && progress.at(-1)!.totalTokens === b.totalTokens);
    assert.deepEqual(progress.map((p) => p.doneTokens), [...progress.map((p) => p.doneTokens)].sort((x, y) => x - y), 'never backwards');
    console.log(`      ${b.files.length} files, ${b.totalTokens} tokens in ${reads()} passes; ${b.files.filter((f) => f.snapshot).length} snapshots, as at once`);
    await checkAgainstScratch(tiny, streamed, root);
  });

  it('a pass leaves out the files that may yet be in the tail, until the last has come', async () => {
    const { root, files, make } = await folder();
    const { engine, lengths } = counted();
    const ctx = make(engine);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const at = 24;
    async function* gated(): AsyncGenerator<ContextFile> {
      for (let i = 0; i < files.length; i++) {
        if (i === at) await gate;
        yield files[i];
      }
    }
    const opened = ctx.open([], [], gated());
    for (let i = 0; i < 400 && lengths.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const arrived = files.slice(0, at).reduce((n, f) => n + f.tokens!.length, 0);
    // The first pass: every file whose next one ends more than the tail before the last arrived, none after.
    let settled = 0;
    for (let i = 0, end = 0; i + 1 < at; i++) {
      end += files[i].tokens!.length;
      if (arrived - (end + files[i + 1].tokens!.length) > TAIL) settled = end;
    }
    assert.equal(lengths[0], settled, `first pass ${lengths[0]} tokens of ${arrived} arrived`);
    open();
    await opened;
    const whole = make();
    await whole.open(files);
    assert.deepEqual(ctx.describe().files, whole.describe().files);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('an edit while files still arrive, of one in and of one to come, leaves each file once, as it is now', async () => {
    const { root, files, make } = await folder({ rebuildAfterMs: 20 });
    const ctx = make();
    const opened = ctx.open([], [], slowly(files, 10));
    for (let i = 0; i < 200 && ctx.describe().files.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    const inAlready = ctx.describe().files[0]?.path;
    assert.ok(inAlready, 'some files arrived');
    const toCome = files.at(-1)!.path;
    assert.ok(!ctx.describe().files.some((f) => f.path === toCome), `${toCome} not in yet`);
    await fs.writeFile(path.join(root, inAlready), text('edited', 3));
    await fs.writeFile(path.join(root, toCome), text('edited', 4));
    const updated = ctx.update([
      { kind: 'edit', path: inAlready },
      { kind: 'edit', path: toCome },
    ]);
    await Promise.all([opened, updated]);
    await ctx.whenIdle();
    const d = ctx.describe();
    assert.deepEqual(d.files.filter((f) => !f.stale).map((f) => f.path).sort(), files.map((f) => f.path).sort());
    assert.ok(d.ready);
    // The first file's old copy stays until the background rebuild drops it.
    for (let i = 0; i < 200 && ctx.describe().files.some((f) => f.stale); i++) await new Promise((r) => setTimeout(r, 20));
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('a failed folder read fails the open and keeps no state on the device', async () => {
    const { files, make } = await folder();
    const { engine, alive } = counted();
    const ctx = make(engine);
    async function* broken(): AsyncGenerator<ContextFile> {
      for (const f of files.slice(0, 30)) yield f;
      throw new Error('the disk went away');
    }
    await assert.rejects(ctx.open([], [], broken()), /the disk went away/);
    ctx.dispose();
    assert.equal(alive.size, 0, `${alive.size} states left`);
  });

  it('files created while the folder arrives count against the budget: what does not fit waits outside', async () => {
    const { root, files, make } = await folder();
    const all = files.reduce((n, f) => n + f.tokens!.length, 0);
    const ctx = make(tiny.engine, { budgetTokens: all + 50 });
    const opened = ctx.open([], [], slowly(files, 10));
    for (let i = 0; i < 200 && ctx.describe().files.length < 5; i++) await new Promise((r) => setTimeout(r, 5));
    await fs.writeFile(path.join(root, 'new.ts'), text('created', 20));
    await Promise.all([opened, ctx.update([{ kind: 'create', path: 'new.ts' }])]);
    await ctx.whenIdle();
    const d = ctx.describe();
    assert.ok(d.totalTokens <= all + 50, `${d.totalTokens} tokens, budget ${all + 50}`);
    // The created file came first (it was asked for while the last files were still to come); none is lost.
    assert.ok(d.overBudget.length >= 1, JSON.stringify(d.overBudget));
    assert.deepEqual([...d.files.map((f) => f.path), ...d.overBudget].sort(), [...files.map((f) => f.path), 'new.ts'].sort());
  });

  it('the active file, edited before it arrived, keeps its room and comes back when another file is active', async () => {
    const { root, files, make } = await folder();
    const all = files.reduce((n, f) => n + f.tokens!.length, 0);
    const activePath = files.at(-1)!.path;
    const ctx = make(tiny.engine, { budgetTokens: all + 50, activePath });
    const opened = ctx.open([], [], slowly(files, 10));
    for (let i = 0; i < 200 && ctx.describe().files.length < 5; i++) await new Promise((r) => setTimeout(r, 5));
    await fs.writeFile(path.join(root, activePath), text('v39', 8) + '// edited\n');
    await Promise.all([opened, ctx.update([{ kind: 'edit', path: activePath }])]);
    // A new file as large as the active one: room for it is the active file's, kept.
    await fs.writeFile(path.join(root, 'new.ts'), text('v39', 8));
    await ctx.update([{ kind: 'create', path: 'new.ts' }]);
    await ctx.setActive(undefined);
    await ctx.whenIdle();
    const d = ctx.describe();
    assert.ok(d.files.some((f) => f.path === activePath), `${activePath} back: ${JSON.stringify(d.overBudget)}`);
    assert.deepEqual(d.overBudget, ['new.ts']);
  });

  it('snapshot points while files still arrive: by spacing only, counted from the last one before', () => {
    const ends = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
    assert.deepEqual(snapshotPoints(ends, 250, 300, true), [2, 5, 8]);
    // The previous pass's last snapshot 150 tokens before this one's start.
    assert.deepEqual(snapshotPoints(ends, 250, 300, true, -150), [1, 4, 7]);
    // The last pass: the tail and the end as ever, the spacing from where the last one was.
    assert.deepEqual(snapshotPoints(ends, 250, 300, false, -150), [1, 4, 6, 7, 8, 9]);
  });
});

describe('workspace files streamed in order as they are read', () => {
  let tiny: Tiny;
  before(async () => (tiny = await loadTiny()));

  it("come in orderFiles' order (oldest first, the active file last), skipped ones listed at the end", async () => {
    const root = tempDir('stream-order');
    await writeFiles(root, { 'b.ts': text('b', 2), 'a.ts': text('a', 2), 'img.png': new Uint8Array([0x89, 0x50, 0, 1, 2]), 'c.ts': text('c', 2), 'bin.dat': new Uint8Array(64) });
    const filter = new WorkspaceFilter(root);
    const s = await streamWorkspaceFiles(filter, tiny.tokenizer, { activePath: 'b.ts', budgetTokens: 100_000 });
    assert.ok('files' in s);
    const got = [];
    for await (const f of s.files) got.push(f.path);
    const plain = await loadWorkspaceFiles(new WorkspaceFilter(root), tiny.tokenizer, { activePath: 'b.ts', budgetTokens: 100_000 });
    assert.deepEqual(got, plain.files.map((f) => f.path));
    assert.deepEqual(got, ['a.ts', 'c.ts', 'b.ts']);
    assert.deepEqual(s.skipped.map((x) => x.path).sort(), plain.skipped.map((x) => x.path).sort());
  });

  it('are not offered where the files may not fit the budget by their sizes: the whole folder is read instead, from one scan', async () => {
    const root = tempDir('stream-big');
    await writeFiles(root, { 'a.ts': text('a', 40), 'b.ts': text('b', 40) });
    const bytes = (await fs.stat(path.join(root, 'a.ts'))).size + (await fs.stat(path.join(root, 'b.ts'))).size;
    const filter = new WorkspaceFilter(root);
    let scans = 0;
    const scan = filter.scan.bind(filter);
    filter.scan = () => (scans++, scan());
    const whole = await streamWorkspaceFiles(filter, tiny.tokenizer, { budgetTokens: bytes });
    assert.ok('read' in whole);
    assert.deepEqual((await whole.read).files.map((f) => f.path), ['a.ts', 'b.ts']);
    assert.equal(scans, 1);
    assert.ok('files' in (await streamWorkspaceFiles(new WorkspaceFilter(root), tiny.tokenizer, { budgetTokens: bytes + 20 })));
  });

  it('leave a file changed meanwhile to the change: not given, and its text for questions not the older one', async () => {
    const root = tempDir('stream-changed');
    await writeFiles(root, { 'a.ts': text('a', 2), 'b.ts': text('b', 2), 'c.ts': text('c', 2) });
    const files = new WorkspaceFiles();
    const s = await files.stream(new WorkspaceFilter(root), tiny.tokenizer, { budgetTokens: 100_000 });
    assert.ok('files' in s);
    const got: string[] = [];
    for await (const f of s.files) {
      got.push(f.path);
      // While the first file is taken, c.ts is edited in the editor (its text is the change's).
      if (f.path === 'a.ts') files.change([{ kind: 'edit', path: 'c.ts', text: 'export const edited = 1;\n' }]);
    }
    assert.deepEqual(got, ['a.ts', 'b.ts']);
    assert.equal(files.texts.get('c.ts'), undefined, 'the stream does not hold its older text');
    assert.equal(await files.read('c.ts'), 'export const edited = 1;\n');
    assert.equal(files.texts.get('c.ts'), 'export const edited = 1;\n');
  });

  it('end with BudgetOverrun where text that is not UTF-8 takes more tokens than its bytes', async () => {
    const root = tempDir('stream-latin1');
    await writeFiles(root, { 'a.ts': text('a', 2), 'notes.txt': latin1Notes() });
    const budget = (await fs.stat(path.join(root, 'notes.txt'))).size + (await fs.stat(path.join(root, 'a.ts'))).size + 100;
    const s = await streamWorkspaceFiles(new WorkspaceFilter(root), tiny.tokenizer, { budgetTokens: budget });
    assert.ok('files' in s, 'fits by its sizes');
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const f of s.files) got.push(f.path);
      })(),
      (e: Error) => e instanceof BudgetOverrun && e.path === 'notes.txt',
    );
    assert.deepEqual(got, ['a.ts']);
  });
});

describe('the model session streams a first read asked after the model loaded (lavapipe)', () => {
  it('reads the folder as the pass runs, with the files an early read gives; a folder over its promise is read again whole', async () => {
    const root = tempDir('stream-session');
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`m${i}.ts`, text(`m${i}`, 4)]));
    await writeFiles(root, files);
    const logs: string[] = [];
    const streamed = new ModelSession({ onLog: (m) => logs.push(m) });
    await streamed.load({ modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    await streamed.open({ root, filter: {}, budgetTokens: 100_000 });
    assert.ok(logs.some((m) => m.startsWith("context: the folder's files stream in")), logs.join('\n'));
    const early = new ModelSession();
    const loading = early.load({ modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    const opening = early.open({ root, filter: {}, budgetTokens: 100_000 });
    await Promise.all([loading, opening]);
    assert.deepEqual(streamed.describe().files, early.describe().files);
    assert.equal(streamed.describe().totalTokens, early.describe().totalTokens);

    await fs.writeFile(path.join(root, 'notes.txt'), latin1Notes());
    const bytes = (await Promise.all([...Object.keys(files), 'notes.txt'].map((p) => fs.stat(path.join(root, p))))).reduce((n, s) => n + s.size, 0);
    logs.length = 0;
    const r = await streamed.open({ root, filter: {}, budgetTokens: bytes + 200 });
    assert.ok(logs.some((m) => m.includes('has more tokens than bytes')), logs.join('\n'));
    assert.ok(r.files.length >= 12 && streamed.describe().ready, `${r.files.length} files after the read again`);
    assert.ok(streamed.describe().totalTokens <= bytes + 200);
    await Promise.all([streamed.dispose(), early.dispose()]);
  });

  it('a streamed read stopped while files still arrive fails as stopped, with no context left', async () => {
    const root = tempDir('stream-stop');
    await writeFiles(root, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`m${i}.ts`, text(`m${i}`, 6)])));
    let streaming!: () => void;
    const started = new Promise<void>((r) => (streaming = r));
    const s = new ModelSession({ onLog: (m) => m.startsWith("context: the folder's files stream in") && streaming() });
    await s.load({ modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    const opened = s.open({ root, filter: {}, budgetTokens: 100_000 });
    await started;
    s.closeContext();
    await assert.rejects(opened, /stopped, or replaced/);
    assert.equal(s.describe().files.length, 0);
    await s.dispose();
  });

  it('reads the whole folder first on the CPU, whose pass would hold up the reading', async () => {
    const root = tempDir('stream-cpu');
    await writeFiles(root, { 'a.ts': text('a', 3), 'b.ts': text('b', 3) });
    const logs: string[] = [];
    const s = new ModelSession({ onLog: (m) => logs.push(m) });
    await s.load({ modelDir: fixtureDir('samba-tiny'), backend: 'cpu' });
    await s.open({ root, filter: {}, budgetTokens: 100_000 });
    assert.ok(logs.some((m) => m.startsWith('context: 2 files')), logs.join('\n'));
    await s.dispose();
  });
});
