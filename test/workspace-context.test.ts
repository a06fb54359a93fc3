import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceContext, snapshotPoints, type ContextOptions, type Progress } from '../src/workspace/context';
import { WorkspaceFilter } from '../src/workspace/filter';
import { loadWorkspaceFiles } from '../src/workspace/load';
import { checkAgainstScratch, loadTiny, tempDir, text, watchedEngine, writeFiles, type Tiny } from './helpers/workspace';
import { fileTokens } from '../src/prompt/file';

describe('workspace context', () => {
  let tiny: Tiny;
  before(async () => (tiny = await loadTiny()));

  async function setup(extra: Partial<ContextOptions> = {}, files: Record<string, string> = { 'a.ts': text('alpha', 4), 'b.ts': text('beta', 3), 'lib/c.ts': text('gamma', 5), 'd.ts': text('delta', 2) }) {
    const root = tempDir('ctx');
    await writeFiles(root, files);
    const filter = new WorkspaceFilter(root);
    const loaded = await loadWorkspaceFiles(filter, tiny.tokenizer, { activePath: extra.activePath, budgetTokens: extra.budgetTokens });
    const read = async (p: string) => {
      const r = await filter.read(p);
      return 'text' in r ? r.text : undefined;
    };
    const ctx = new WorkspaceContext({ ...tiny, read, debounceMs: 5, ...extra });
    await ctx.open(loaded.files, loaded.dropped);
    const cost = (p: string) => ctx.describe().files.find((f) => f.path === p)!.tokens;
    return { root, ctx, cost };
  }

  it('runs every file once, keeps a snapshot per boundary, and equals a from-scratch run', async () => {
    const progress: Progress[] = [];
    const { root, ctx } = await setup({ onProgress: (p) => progress.push(p) });
    const d = ctx.describe();
    assert.deepEqual(d.files.map((f) => f.path), ['a.ts', 'b.ts', 'lib/c.ts', 'd.ts']);
    assert.equal(ctx.prefilledTokens, d.totalTokens);
    assert.ok(d.files.every((f) => f.snapshot));
    assert.ok(d.ready);
    assert.equal(progress.at(-1)!.phase, 'ready');
    assert.ok(progress.filter((p) => p.phase === 'running').length >= 4, 'progress per chunk');
    console.log(`      context: ${d.files.map((f) => `${f.path}=${f.tokens}`).join(', ')}; total ${d.totalTokens} tokens`);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('reading reports progress inside a large file, not only at its end', async () => {
    const progress: Progress[] = [];
    const { ctx } = await setup({ onProgress: (p) => progress.push(p), progressEveryMs: 0 }, { 'big.ts': text('omega', 60), 'small.ts': text('pi', 1) });
    const big = ctx.describe().files.find((f) => f.path === 'big.ts')!;
    const running = progress.filter((p) => p.phase === 'running');
    const before = big.end - big.tokens;
    const inside = running.filter((p) => p.file === 'big.ts' && p.doneTokens > before && p.doneTokens < big.end);
    assert.ok(big.tokens > 256, `a file of ${big.tokens} tokens is several chunks`);
    assert.ok(inside.length >= 2, `${inside.length} reports inside big.ts: ${JSON.stringify(running)}`);
    assert.deepEqual(running.map((p) => p.doneTokens), [...running.map((p) => p.doneTokens)].sort((a, b) => a - b), 'never backwards');
  });

  it('an edit to the last file costs only that file; an edit to the first re-runs the rest, then costs only itself', async () => {
    const { root, ctx, cost } = await setup();
    let before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'd.ts'), text('delta', 3));
    await ctx.update([{ kind: 'edit', path: 'd.ts' }]);
    const lastCost = ctx.prefilledTokens - before;
    assert.equal(lastCost, cost('d.ts'));
    await checkAgainstScratch(tiny, ctx, root);

    before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'a.ts'), text('alpha', 5));
    await ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    const firstCost = ctx.prefilledTokens - before;
    const totalThen = ctx.describe().totalTokens;
    assert.deepEqual(ctx.describe().files.map((f) => f.path), ['b.ts', 'lib/c.ts', 'd.ts', 'a.ts']);
    assert.equal(firstCost, ctx.describe().totalTokens);
    await checkAgainstScratch(tiny, ctx, root);

    before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'a.ts'), text('alpha', 6));
    await ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    const reEdit = ctx.prefilledTokens - before;
    assert.equal(reEdit, cost('a.ts'));
    console.log(`      edit last file: ${lastCost} tokens; edit first file: ${firstCost} of ${totalThen}; re-edit it: ${reEdit}`);
    await checkAgainstScratch(tiny, ctx, root);

    // Saved without change: nothing runs, the state keeps its version.
    const version = ctx.ready()!.version;
    before = ctx.prefilledTokens;
    await ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    assert.equal(ctx.prefilledTokens - before, 0);
    assert.equal(ctx.ready()!.version, version);
  });

  it('create appends, delete re-runs what followed, rename re-runs from the old place', async () => {
    const { root, ctx, cost } = await setup();
    let before = ctx.prefilledTokens;
    await writeFiles(root, { 'e.ts': text('epsilon', 2) }, Date.now());
    await ctx.update([{ kind: 'create', path: 'e.ts' }]);
    assert.equal(ctx.prefilledTokens - before, cost('e.ts'));
    await checkAgainstScratch(tiny, ctx, root);

    before = ctx.prefilledTokens;
    await fs.rm(path.join(root, 'lib/c.ts'));
    await ctx.update([{ kind: 'delete', path: 'lib/c.ts' }]);
    assert.equal(ctx.prefilledTokens - before, cost('d.ts') + cost('e.ts'));
    await checkAgainstScratch(tiny, ctx, root);

    before = ctx.prefilledTokens;
    await fs.rename(path.join(root, 'b.ts'), path.join(root, 'bb.ts'));
    await ctx.update([{ kind: 'rename', from: 'b.ts', to: 'bb.ts' }]);
    assert.deepEqual(ctx.describe().files.map((f) => f.path), ['a.ts', 'd.ts', 'e.ts', 'bb.ts']);
    assert.equal(ctx.prefilledTokens - before, cost('d.ts') + cost('e.ts') + cost('bb.ts'));
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('coalesces a burst and cancels stale work between chunks', async () => {
    const { root, ctx, cost } = await setup({ debounceMs: 20 });
    const ctx2 = ctx as unknown as { o: ContextOptions };
    // The burst's quiet time is longer than a loaded machine's file write (a 20 ms one split the
    // burst in two while two test runs shared the 2-core machine); the superseding below needs 20 ms.
    (ctx2.o as { debounceMs?: number }).debounceMs = 1000;
    let before = ctx.prefilledTokens;
    const burst: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      await fs.writeFile(path.join(root, 'd.ts'), text('delta', 2 + i));
      burst.push(ctx.update([{ kind: 'edit', path: 'd.ts' }]));
    }
    await Promise.all(burst);
    assert.equal(ctx.prefilledTokens - before, cost('d.ts'), 'five edits in a burst run once');
    (ctx2.o as { debounceMs?: number }).debounceMs = 20;
    await checkAgainstScratch(tiny, ctx, root);

    // Start a full re-run (first file edited), and supersede it mid-way with another edit.
    before = ctx.prefilledTokens;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    (ctx2.o as { onProgress?: (p: Progress) => void }).onProgress = (p) => p.phase === 'running' && started();
    await fs.writeFile(path.join(root, 'a.ts'), text('alpha', 9));
    const first = ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    await running;
    await fs.writeFile(path.join(root, 'b.ts'), text('beta', 9));
    const second = ctx.update([{ kind: 'edit', path: 'b.ts' }]);
    await Promise.all([first, second]);
    const spent = ctx.prefilledTokens - before;
    const total = ctx.describe().totalTokens;
    assert.deepEqual(ctx.describe().files.map((f) => f.path), ['lib/c.ts', 'd.ts', 'a.ts', 'b.ts']);
    assert.ok(spent < 2 * total, `cancelled work was not finished (${spent} tokens for a ${total}-token context)`);
    // The cancelled run had taken a.ts's change; the run that finished reports it with b.ts's.
    assert.deepEqual([...ctx.describe().lastUpdate!.files].sort(), ['a.ts', 'b.ts']);
    console.log(`      superseded full re-run: ${spent} tokens spent for a ${total}-token context`);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('keeps the active file in place while unchanged, leaves it out while edited, and brings it back at the end', async () => {
    const { root, ctx, cost } = await setup({ activePath: 'b.ts' });
    // Open: the active file streams last (it is the one likely to change next).
    assert.deepEqual(ctx.describe().files.map((f) => f.path), ['a.ts', 'lib/c.ts', 'd.ts', 'b.ts']);
    let before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'b.ts'), text('beta', 4));
    await ctx.update([{ kind: 'edit', path: 'b.ts' }]);
    assert.equal(ctx.prefilledTokens - before, 0, 'typing in the active file costs the context nothing');
    assert.deepEqual(ctx.describe().files.map((f) => f.path), ['a.ts', 'lib/c.ts', 'd.ts']);
    const version = ctx.ready()!.version;
    await fs.writeFile(path.join(root, 'b.ts'), text('beta', 5));
    await ctx.update([{ kind: 'edit', path: 'b.ts' }]);
    assert.equal(ctx.prefilledTokens - before, 0);
    assert.equal(ctx.ready()!.version, version, 'further typing leaves prompt caches valid');
    before = ctx.prefilledTokens;
    await ctx.setActive('a.ts');
    assert.deepEqual(ctx.describe().files.map((f) => f.path), ['a.ts', 'lib/c.ts', 'd.ts', 'b.ts']);
    assert.equal(ctx.prefilledTokens - before, cost('b.ts'));
    await checkAgainstScratch(tiny, ctx, root);
    // The new active file keeps its (current) copy until it is edited; then it leaves, re-running what followed.
    before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'a.ts'), text('alpha', 1));
    await ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    assert.deepEqual(ctx.describe().files.map((f) => f.path), ['lib/c.ts', 'd.ts', 'b.ts']);
    assert.equal(ctx.prefilledTokens - before, ctx.describe().totalTokens);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('prompts in the active file, read last, start before it: its first edit leaves their state and version as they were', async () => {
    const { root, ctx, cost } = await setup({ activePath: 'b.ts' });
    const whole = ctx.ready()!;
    const forB = ctx.readyFor('b.ts')!;
    assert.notEqual(forB.state, whole.state);
    assert.equal(forB.tokens, whole.tokens - cost('b.ts'));
    assert.equal(ctx.readyFor('a.ts'), whole, 'prompts in other files read the whole chain');
    const before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'b.ts'), text('beta', 4));
    await ctx.update([{ kind: 'edit', path: 'b.ts' }]);
    assert.equal(ctx.prefilledTokens - before, 0);
    const edited = ctx.ready()!;
    assert.equal(edited.state, forB.state, 'the chain now ends where prompts in b.ts started');
    assert.equal(edited.version, forB.version, 'so their caches stay valid');
    assert.equal(edited.tokens, forB.tokens);
    assert.equal(ctx.readyFor('b.ts'), edited, 'out of the chain, b.ts reads its end');
    await checkAgainstScratch(tiny, ctx, root);
    // Back at the end once another file is active: prompts there read the whole chain, b.ts's again start before it.
    await ctx.setActive('a.ts');
    assert.equal(ctx.readyFor('a.ts'), ctx.ready());
    assert.equal(ctx.readyFor('b.ts')!.tokens, ctx.ready()!.tokens - cost('b.ts'));
  });

  it('after switching tabs first, the file active at open is still in the context (issue 14 item 6)', async () => {
    const { root, ctx } = await setup({ activePath: 'b.ts' });
    const before = ctx.prefilledTokens;
    await ctx.setActive('d.ts');
    await ctx.setActive('lib/c.ts');
    assert.ok(ctx.describe().files.some((f) => f.path === 'b.ts'), 'b.ts came back into the context');
    assert.equal(ctx.prefilledTokens - before, 0, 'switching without editing re-runs nothing');
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('a switch A -> B -> A re-runs at most the tokens of the files involved', async () => {
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`src/f${i}.ts`, text(`f${i}`, 6)]));
    const { root, ctx, cost } = await setup({ activePath: 'src/f2.ts' }, files);
    const total = ctx.describe().totalTokens;
    const spent = async (step: () => Promise<void>) => {
      const before = ctx.prefilledTokens;
      await step();
      await ctx.whenIdle();
      return ctx.prefilledTokens - before;
    };
    // Reading only: switches are free.
    assert.equal(await spent(() => ctx.setActive('src/f5.ts')), 0);
    assert.equal(await spent(() => ctx.setActive('src/f2.ts')), 0);
    // Typed in A (at the end of the chain since open): leaving it costs A; coming back costs nothing.
    await fs.writeFile(path.join(root, 'src/f2.ts'), text('f2', 7));
    assert.equal(await spent(() => ctx.update([{ kind: 'edit', path: 'src/f2.ts' }])), 0);
    const aToB = await spent(() => ctx.setActive('src/f5.ts'));
    assert.equal(aToB, cost('src/f2.ts'));
    const bToA = await spent(() => ctx.setActive('src/f2.ts'));
    assert.equal(bToA, 0);
    // Typed in B, in the middle: its edit re-runs what followed it (an edit's cost); the switch back costs B alone.
    await fs.writeFile(path.join(root, 'src/f5.ts'), text('f5', 7));
    await ctx.setActive('src/f5.ts');
    await ctx.update([{ kind: 'edit', path: 'src/f5.ts' }]);
    await ctx.whenIdle();
    const back = await spent(() => ctx.setActive('src/f2.ts'));
    assert.equal(back, cost('src/f5.ts'));
    console.log(`      switches: A->B after typing in A ${aToB} tokens, B->A ${bToA}, back from an edited B ${back} (context ${total} tokens)`);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('one file too large for the budget stays out alone; the rest stays, and files left out come back when room frees', async () => {
    const small = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`src/f${i}.ts`, text(`f${i}`, 3)]));
    const probe = await setup({}, small);
    const all = probe.ctx.describe().totalTokens;
    probe.ctx.dispose();
    // A budget that holds five of the six.
    const budgetTokens = all - 1;
    const { root, ctx } = await setup({ budgetTokens }, small);
    const d0 = ctx.describe();
    assert.equal(d0.files.length, 5);
    assert.equal(d0.overBudget.length, 1);
    const kept = d0.files.map((f) => f.path);
    // A generated file far over the budget: it alone is left out, nothing re-runs.
    let before = ctx.prefilledTokens;
    await writeFiles(root, { 'src/generated.ts': text('generated', 400) }, Date.now());
    await ctx.update([{ kind: 'create', path: 'src/generated.ts' }]);
    assert.deepEqual(ctx.describe().files.map((f) => f.path), kept);
    assert.deepEqual(ctx.describe().overBudget, [...d0.overBudget, 'src/generated.ts']);
    assert.equal(ctx.prefilledTokens - before, 0);
    // It goes away: nothing was lost, so nothing changes.
    await fs.rm(path.join(root, 'src/generated.ts'));
    await ctx.update([{ kind: 'delete', path: 'src/generated.ts' }]);
    assert.deepEqual(ctx.describe().files.map((f) => f.path), kept);
    assert.deepEqual(ctx.describe().overBudget, d0.overBudget);
    // A kept file is deleted: the file that waited for room comes back, at the end.
    before = ctx.prefilledTokens;
    await fs.rm(path.join(root, kept[kept.length - 1]));
    await ctx.update([{ kind: 'delete', path: kept[kept.length - 1] }]);
    const d1 = ctx.describe();
    assert.deepEqual(d1.files.map((f) => f.path), [...kept.slice(0, -1), d0.overBudget[0]]);
    assert.deepEqual(d1.overBudget, []);
    assert.equal(ctx.prefilledTokens - before, d1.files[d1.files.length - 1].tokens);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('a run over many files holds a bounded number of states at once (thinned as it goes), and equals a from-scratch run', async () => {
    // The real engine, with its live states counted.
    const { engine: counted, alive, peak } = watchedEngine(tiny.engine);
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${String(i).padStart(3, '0')}.ts`, `export const v${i} = ${i};\n`]));
    const { root, ctx } = await setup({ engine: counted, maxSnapshots: 8 }, files);
    const d = ctx.describe();
    assert.equal(d.files.length, 300);
    assert.ok(d.files.filter((f) => f.snapshot).length <= 8);
    assert.ok(peak() <= 2 * 8 + 2, `${peak()} states alive at once over 300 files (limit 8 snapshots)`);
    console.log(`      300 files, at most ${peak()} states alive at once, ${alive.size} now`);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('snapshots every boundary before a file of the tail, and further back one per spacing', () => {
    const ends = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
    // spacing 300: after 300 and 600; the tail (250): before 800, 900, 1000; and the end
    assert.deepEqual(snapshotPoints(ends, 250, 300), [2, 5, 6, 7, 8, 9]);
    assert.deepEqual(snapshotPoints(ends, 0, 0), ends.map((_, i) => i));
    assert.deepEqual(snapshotPoints([5000], 1024, 2048), [0]);
  });

  it('a small workspace keeps few snapshots; an edit in the tail costs what it did, and every state equals a from-scratch run', async () => {
    const files = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`f${String(i).padStart(2, '0')}.ts`, text(`v${i}`, 1)]));
    const per = (await setup({}, { 'one.ts': text('v0', 1) })).ctx.describe().files[0].tokens;
    const spacing = 4 * per;
    const tail = 3 * per;
    const { root, ctx, cost } = await setup({ snapshotSpacing: spacing, tailTokens: tail }, files);
    const d = ctx.describe();
    const kept = d.files.filter((f) => f.snapshot);
    assert.ok(kept.length < d.files.length / 2, `${kept.length} snapshots for ${d.files.length} files`);
    d.files.forEach((f, i) => {
      const next = d.files[i + 1];
      if (next && d.totalTokens - next.end <= tail) assert.ok(f.snapshot, `no snapshot before ${next.path}, in the tail`);
    });
    const outside = kept.filter((f) => d.totalTokens - f.end > tail + per);
    for (let i = 1; i < outside.length; i++) assert.ok(outside[i].end - outside[i - 1].end >= spacing);
    // The second-to-last file is in the tail: it and the last re-run from the snapshot before it.
    const second = d.files.at(-2)!.path;
    const before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, second), text('changed', 1));
    await ctx.update([{ kind: 'edit', path: second }]);
    assert.equal(ctx.prefilledTokens - before, cost(second) + cost(d.files.at(-1)!.path));
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('thins snapshots to a limit, newest kept, and still re-runs correctly', async () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.ts`, text(`v${i}`, 1)]));
    const { root, ctx, cost } = await setup({ maxSnapshots: 4 }, files);
    const d = ctx.describe();
    assert.ok(d.files.filter((f) => f.snapshot).length <= 4);
    assert.ok(d.files.at(-1)!.snapshot && d.files.at(-2)!.snapshot);
    const before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'f9.ts'), text('v9', 2));
    await ctx.update([{ kind: 'edit', path: 'f9.ts' }]);
    assert.equal(ctx.prefilledTokens - before, cost('f9.ts'));
    await checkAgainstScratch(tiny, ctx, root);
    const d2 = ctx.describe();
    assert.ok(d2.lastUpdate && d2.lastUpdate.files.includes('f9.ts') && d2.lastUpdate.tokens === cost('f9.ts'));
  });
});

describe('workspace context: an edit far back costs the file and a bounded tail (stale copies, rebuilt when idle)', () => {
  let tiny: Tiny;
  before(async () => (tiny = await loadTiny()));

  const FILES = { 'a.ts': text('alpha', 4), 'b.ts': text('beta', 3), 'lib/c.ts': text('gamma', 5), 'd.ts': text('delta', 2) };

  async function setup(extra: Partial<ContextOptions>) {
    const root = tempDir('ctx-stale');
    await writeFiles(root, FILES);
    const filter = new WorkspaceFilter(root);
    const loaded = await loadWorkspaceFiles(filter, tiny.tokenizer, {});
    const read = async (p: string) => {
      const r = await filter.read(p);
      return 'text' in r ? r.text : undefined;
    };
    const ctx = new WorkspaceContext({ ...tiny, read, debounceMs: 5, tailTokens: 150, rebuildAfterMs: Infinity, ...extra });
    await ctx.open(loaded.files, loaded.dropped);
    return { root, ctx };
  }

  /** The state equals a from-scratch run over the chain as described: stale entries read `old[path]`, the others the file on disk. */
  async function checkChain(ctx: WorkspaceContext, root: string, old: Record<string, string>): Promise<void> {
    const { engine, tokenizer } = tiny;
    const all: number[] = [];
    for (const f of ctx.describe().files) all.push(...fileTokens(tokenizer, f.path, f.stale ? old[f.path] : await fs.readFile(path.join(root, f.path), 'utf8')));
    const ready = ctx.ready()!;
    assert.equal(ready.state.position, all.length);
    const probe = [40, 41, 42, 43];
    const a = await engine.prefill(probe, engine.snapshot(ready.state), { allLogits: true });
    const b = await engine.prefill([...all, ...probe], engine.newState(), { allLogits: true });
    let d = 0;
    const V = engine.model.config.vocabSize;
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[all.length * V + i]));
    assert.ok(d < 1e-5, `logits differ from a from-scratch run of the chain by ${d}`);
  }

  it('an edit of the first file re-runs that file only; the old copy stays until the rebuild, which then equals a from-scratch run', async () => {
    const { root, ctx } = await setup({});
    const cost = (p: string) => ctx.describe().files.find((f) => f.path === p && !f.stale)!.tokens;
    let before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'a.ts'), text('alpha', 5));
    await ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    const d = ctx.describe();
    assert.deepEqual(d.files.map((f) => `${f.path}${f.stale ? ' (stale)' : ''}`), ['a.ts (stale)', 'b.ts', 'lib/c.ts', 'd.ts', 'a.ts']);
    assert.equal(ctx.prefilledTokens - before, cost('a.ts'), 'the edit re-ran only the new version of a.ts');
    await checkChain(ctx, root, { 'a.ts': FILES['a.ts'] });

    // Within the tail (d.ts is last but one, 150 tokens or fewer after it): re-run from there, as before.
    before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'd.ts'), text('delta', 3));
    await ctx.update([{ kind: 'edit', path: 'd.ts' }]);
    assert.deepEqual(ctx.describe().files.map((f) => `${f.path}${f.stale ? ' (stale)' : ''}`), ['a.ts (stale)', 'b.ts', 'lib/c.ts', 'a.ts', 'd.ts']);
    assert.equal(ctx.prefilledTokens - before, cost('a.ts') + cost('d.ts'));
    await checkChain(ctx, root, { 'a.ts': FILES['a.ts'] });

    // Another edit far back: its copy stays too.
    before = ctx.prefilledTokens;
    await fs.writeFile(path.join(root, 'b.ts'), text('beta', 4));
    await ctx.update([{ kind: 'edit', path: 'b.ts' }]);
    assert.equal(ctx.prefilledTokens - before, cost('b.ts'));
    assert.deepEqual(ctx.describe().files.map((f) => `${f.path}${f.stale ? ' (stale)' : ''}`), ['a.ts (stale)', 'b.ts (stale)', 'lib/c.ts', 'a.ts', 'd.ts', 'b.ts']);
    await checkChain(ctx, root, { 'a.ts': FILES['a.ts'], 'b.ts': FILES['b.ts'] });

    // Idle: the rebuild drops the stale copies, re-running from the first of them.
    const version = ctx.ready()!.version;
    before = ctx.prefilledTokens;
    (ctx as unknown as { o: { rebuildAfterMs: number } }).o.rebuildAfterMs = 10;
    (ctx as unknown as { scheduleRebuild(): void }).scheduleRebuild();
    for (let i = 0; i < 200 && !ctx.describe().lastRebuild; i++) await new Promise((r) => setTimeout(r, 20));
    const r = ctx.describe().lastRebuild!;
    assert.ok(r, 'rebuilt');
    assert.deepEqual(ctx.describe().files.map((f) => `${f.path}${f.stale ? ' (stale)' : ''}`), ['lib/c.ts', 'a.ts', 'd.ts', 'b.ts']);
    assert.equal(r.dropped, 2);
    assert.equal(r.tokens, ctx.describe().totalTokens);
    assert.equal(ctx.prefilledTokens, before, 'a rebuild is not an update');
    assert.equal(ctx.rebuiltTokens, r.tokens);
    assert.ok(ctx.ready()!.version > version);
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('a deleted file leaves at once with its stale copy (what a user takes out of the model does not wait for the rebuild)', async () => {
    const { root, ctx } = await setup({});
    await fs.writeFile(path.join(root, 'a.ts'), text('alpha', 5));
    await ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    assert.deepEqual(ctx.describe().files.map((f) => `${f.path}${f.stale ? ' (stale)' : ''}`), ['a.ts (stale)', 'b.ts', 'lib/c.ts', 'd.ts', 'a.ts']);
    const before = ctx.prefilledTokens;
    await fs.rm(path.join(root, 'a.ts'));
    await ctx.update([{ kind: 'delete', path: 'a.ts' }]);
    const d = ctx.describe();
    assert.deepEqual(d.files.map((f) => f.path), ['b.ts', 'lib/c.ts', 'd.ts']);
    assert.equal(ctx.prefilledTokens - before, d.totalTokens, 'the chain re-ran from the first copy');
    await checkAgainstScratch(tiny, ctx, root);
  });

  it('a change during the rebuild cancels it: the chain keeps its stale copy, the edit costs itself, and prompts never lose their state', async () => {
    const files = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${String(i).padStart(2, '0')}.ts`, text(`v${i}`, 3)]));
    const root = tempDir('ctx-stale2');
    await writeFiles(root, files);
    const filter = new WorkspaceFilter(root);
    const loaded = await loadWorkspaceFiles(filter, tiny.tokenizer, {});
    const read = async (p: string) => {
      const r = await filter.read(p);
      return 'text' in r ? r.text : undefined;
    };
    const ctx = new WorkspaceContext({ ...tiny, read, debounceMs: 5, tailTokens: 100, rebuildAfterMs: 30 });
    await ctx.open(loaded.files, loaded.dropped);
    await fs.writeFile(path.join(root, 'f00.ts'), text('w0', 4));
    await ctx.update([{ kind: 'edit', path: 'f00.ts' }]);
    assert.equal(ctx.describe().files[0].stale, true);
    const readyBefore = ctx.ready()!;
    // Wait for the rebuild to start, then change another file far back.
    const c = ctx as unknown as { rebuilding: boolean };
    for (let i = 0; i < 500 && !c.rebuilding; i++) await new Promise((r) => setTimeout(r, 2));
    assert.ok(c.rebuilding, 'the rebuild started');
    assert.equal(ctx.ready(), readyBefore, 'prompts read the same state while the rebuild runs');
    await fs.writeFile(path.join(root, 'f01.ts'), text('w1', 4));
    await ctx.update([{ kind: 'edit', path: 'f01.ts' }]);
    // Hold the next rebuild while the chain is checked.
    const o = (ctx as unknown as { o: { rebuildAfterMs: number } }).o;
    const schedule = () => (ctx as unknown as { scheduleRebuild(): void }).scheduleRebuild();
    o.rebuildAfterMs = Infinity;
    schedule();
    const d = ctx.describe();
    assert.equal(d.lastRebuild, undefined, 'the rebuild was cancelled');
    assert.deepEqual(d.files.filter((f) => f.stale).map((f) => f.path), ['f00.ts', 'f01.ts']);
    assert.equal(d.lastUpdate!.tokens, d.files.at(-1)!.tokens, 'the edit re-ran only f01.ts');
    await checkChain(ctx, root, { 'f00.ts': files['f00.ts'], 'f01.ts': files['f01.ts'] });
    // Left idle, it rebuilds.
    o.rebuildAfterMs = 30;
    schedule();
    for (let i = 0; i < 500 && !ctx.describe().lastRebuild; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(ctx.describe().lastRebuild?.dropped, 2);
    await checkAgainstScratch(tiny, ctx, root);
    ctx.dispose();
  });

  it('the rebuild waits while a completion runs (busy), then finishes', async () => {
    let busy = true;
    const { root, ctx } = await setup({ busy: () => busy });
    await fs.writeFile(path.join(root, 'a.ts'), text('alpha', 5));
    await ctx.update([{ kind: 'edit', path: 'a.ts' }]);
    (ctx as unknown as { o: { rebuildAfterMs: number } }).o.rebuildAfterMs = 1;
    (ctx as unknown as { scheduleRebuild(): void }).scheduleRebuild();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ctx.describe().lastRebuild, undefined, 'no rebuild while busy');
    assert.equal((ctx as unknown as { rebuilding: boolean }).rebuilding, true);
    const first = ctx.describe().files.find((f) => !f.stale)!;
    assert.ok(ctx.rebuiltTokens === 0, `at most the first file (${first.tokens} tokens) read, not yet counted`);
    busy = false;
    for (let i = 0; i < 200 && !ctx.describe().lastRebuild; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(ctx.describe().lastRebuild?.dropped, 1);
    await checkAgainstScratch(tiny, ctx, root);
  });
});
