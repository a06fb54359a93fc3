import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelWorkerClient } from '../src/worker/client';
import { SambaError } from '../src/model/errors';
import type { WorkerEvent } from '../src/worker/protocol';
import { fixtureDir } from './helpers/fixtures';

function workspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'samba-ws-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src', 'math.ts'), 'export function square(x: number): number {\n  return x * x;\n}\n');
  writeFileSync(path.join(root, 'src', 'main.ts'), "import { square } from './math';\nconsole.log(square(3));\n");
  writeFileSync(path.join(root, '.env'), 'API_KEY=do-not-read\n');
  return root;
}

describe('model worker (real worker process, real engine on lavapipe)', function () {
  // Each test starts a worker of its own with what it needs, so none depends on another's leftovers.
  const clients: ModelWorkerClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.terminate()));
  });
  /** A worker with samba-tiny loaded and, with `open`, a fresh workspace read into the context. */
  async function worker(open: boolean) {
    const events: WorkerEvent[] = [];
    const client = new ModelWorkerClient((e) => events.push(e));
    clients.push(client);
    const loaded = await client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    const opened = open ? await client.request('open', { root: workspace(), filter: {}, budgetTokens: 0 }) : undefined;
    return { client, events, loaded, opened: opened! };
  }

  it('loads a model and reports the engine', async () => {
    const { loaded: s } = await worker(false);
    assert.equal(s.backend, 'gpu');
    assert.equal(s.family, 'samba');
    assert.ok(s.prefillTokensPerS > 0);
  });

  it('reads a workspace into the context, leaving secrets out', async () => {
    const { opened: r, events } = await worker(true);
    assert.deepEqual(r.files.map((f) => f.path).sort(), ['src/main.ts', 'src/math.ts']);
    assert.ok(r.skipped.some((s) => s.path === '.env' && s.reason === 'secret'));
    assert.ok(r.totalTokens > 20 && r.ready);
    assert.ok(events.some((e) => e.event === 'progress'));
    // The host shows the read done at this event, before the states are saved to disk.
    assert.ok(events.some((e) => e.event === 'progress' && e.data.phase === 'ready' && e.data.files === 2 && e.data.totalTokens === r.totalTokens));
  });

  it('reads the folder while the model loads when asked to open right after the load (as the extension does), with the same context', async () => {
    const root = workspace();
    const fresh = () => {
      const events: WorkerEvent[] = [];
      const client = new ModelWorkerClient((e) => events.push(e));
      clients.push(client);
      return { client, events };
    };
    const one = fresh();
    await one.client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    const after = await one.client.request('open', { root, filter: {}, budgetTokens: 0 });
    const two = fresh();
    const load = two.client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    const together = await two.client.request('open', { root, filter: {}, budgetTokens: 0 });
    await load;
    // The same reading (the budget and the timings are the machine's measures, not the reading's).
    const reading = (r: typeof after) => ({ files: r.files, totalTokens: r.totalTokens, skipped: r.skipped, overBudget: r.overBudget, ready: r.ready });
    assert.deepEqual(reading(together), reading(after));
    const logs = (w: { events: WorkerEvent[] }) => w.events.flatMap((e) => (e.event === 'log' ? [e.data] : []));
    assert.ok(logs(two).some((m) => /^folder read while the model loads: 2 files in \d+ ms$/.test(m)), logs(two).join('\n'));
    assert.ok(!logs(one).some((m) => m.startsWith('folder read while')));
    // Stopped while the model loads: no context; a failed load fails the open with the load's error.
    const three = fresh();
    const loading = three.client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    const stopped = three.client.request('open', { root, filter: {}, budgetTokens: 0 });
    await three.client.request('close', null);
    await assert.rejects(stopped, /stopped/);
    await loading;
    assert.equal((await three.client.request('describe', null)).files.length, 0);
    const four = fresh();
    const bad = four.client.request('load', { modelDir: '/nonexistent/model', backend: 'gpu' });
    await assert.rejects(four.client.request('open', { root, filter: {}, budgetTokens: 0 }), (e: unknown) => e instanceof SambaError && e.code === 'model-folder');
    await assert.rejects(bad);
  });

  it('an edit and a tab switch made while the model loads reach the context it opens; a new open forgets unsaved text it is not sent again', async () => {
    const root = workspace();
    const client = new ModelWorkerClient(() => undefined);
    clients.push(client);
    // As the host does at start-up: load, open with the active file then, and what the user does meanwhile.
    const load = client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    const open = client.request('open', { root, filter: {}, budgetTokens: 0, activePath: 'src/main.ts' });
    const edited = 'export function square(x: number): number {\n  return x ** 2;\n}\nexport const TWO = 2;\n';
    client.request('update', { changes: [{ kind: 'edit', path: 'src/math.ts', text: edited }] });
    client.request('setActive', { path: 'src/math.ts' });
    await load;
    await open;
    await client.request('whenIdle', null);
    const r = await client.request('describe', null);
    // math.ts, active now, is read last, with its unsaved text, in the first pass: every token ran once.
    assert.equal(r.activePath, 'src/math.ts');
    assert.deepEqual(r.files.map((f) => f.path), ['src/main.ts', 'src/math.ts']);
    assert.equal(r.prefilledTokens, r.totalTokens);
    // Another switch changes nothing: math.ts was not edited since.
    client.request('setActive', { path: 'src/main.ts' });
    await client.request('whenIdle', null);
    const back = await client.request('describe', null);
    assert.deepEqual(back.files, r.files);
    const mathTokens = (r: typeof back) => r.files.find((f) => f.path === 'src/math.ts')?.tokens;
    // A reload (settings changed, or released when idle): the host opens again and sends the editors
    // unsaved then. Meanwhile math.ts was closed without saving, unseen: the disk's shorter text counts.
    await client.request('dispose', null);
    await client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
    await client.request('open', { root, filter: {}, budgetTokens: 0, activePath: 'src/main.ts' });
    await client.request('whenIdle', null);
    const disk = mathTokens(await client.request('describe', null))!;
    assert.ok(disk < mathTokens(back)!, `the disk's math.ts has ${disk} tokens, the unsaved one ${mathTokens(back)}`);
    // Still unsaved after all: sent with the open, it wins over the disk.
    client.request('update', { changes: [{ kind: 'edit', path: 'src/math.ts', text: edited }] });
    await client.request('whenIdle', null);
    assert.equal(mathTokens(await client.request('describe', null)), mathTokens(back));
  });

  it('completes with the workspace state, and a newer request aborts an older one', async () => {
    const { client } = await worker(true);
    const req = { path: 'src/other.ts', prefix: 'export function cube(x: number) {\n  return ', suffix: '\n}\n', maxTokens: 8, lineBudgetMs: 10_000, deadlineMs: 10_000 };
    const r = await client.request('complete', req);
    assert.ok(r.contextTokens > 20);
    assert.ok(r.generated > 0 && r.prefilled > 0);
    // Another prefix for the first: the same request would be answered from the completion cache at once.
    const [a, b] = await Promise.allSettled([client.request('complete', { ...req, prefix: req.prefix + 'y', maxTokens: 64 }), client.request('complete', { ...req, prefix: req.prefix + 'x' })]);
    if (a.status === 'fulfilled') assert.equal(a.value.stopped, 'aborted');
    else assert.match(String(a.reason), /abort/);
    assert.equal(b.status, 'fulfilled');
    if (b.status === 'fulfilled') assert.ok(b.value.generated > 0);
  });

  it('many superseded keystroke requests leave no GPU memory behind (describe reports the engine\'s GPU bytes)', async () => {
    const { client } = await worker(true);
    const req = { path: 'src/typed.ts', prefix: 'export function typed() {\n  return ', suffix: '\n}\n', maxTokens: 4, lineBudgetMs: 10_000, deadlineMs: 10_000 };
    await client.request('complete', { ...req, prefix: req.prefix + 'z' });
    const before = await client.request('describe', null);
    assert.ok(before.gpuBytes > 0 && before.peakGpuBytes >= before.gpuBytes, `${before.gpuBytes} GPU bytes, peak ${before.peakGpuBytes}`);
    // Keystrokes: each request supersedes the one before; only the last runs to the end. It is
    // shaped as the first (one more character on the line; not in the cache), so the prompt
    // session keeps at most as many states as it did then: one fewer when the last resumes from
    // where a superseded one stopped, past a point it would have kept a snapshot at (timing decides;
    // CI saw it: 16,477,664 against 16,501,216 bytes, one state of samba-tiny).
    const typed = Array.from({ length: 30 }, (_, k) => client.request('complete', { ...req, prefix: req.prefix + 'a'.repeat(k + 1) }));
    const settled = await Promise.allSettled([...typed, client.request('complete', { ...req, prefix: req.prefix + 'q' })]);
    assert.equal(settled.at(-1)?.status, 'fulfilled');
    const after = await client.request('describe', null);
    assert.ok(after.gpuBytes <= before.gpuBytes, `${after.gpuBytes} GPU bytes after 31 keystrokes, ${before.gpuBytes} after one`);
  });

  it('reads a place ahead: the completion there runs one token; when an edit changes the state, the last place is read again by itself', async () => {
    const { client, events } = await worker(true);
    const place = { path: 'src/main.ts', prefix: "import { square } from './math';\nconsole.log(", suffix: ');\n' };
    const limits = { maxTokens: 4, lineBudgetMs: 10_000, deadlineMs: 10_000 };
    const read = await client.request('readAhead', place);
    assert.equal(read.outcome, 'read');
    assert.ok(read.prefilled > 10, `${read.prefilled} prompt tokens read ahead`);
    assert.equal((await client.request('complete', { ...place, ...limits })).prefilled, 1);
    // math.ts edited: the workspace state changes under the place, which is read again before the next keystroke.
    client.request('update', { changes: [{ kind: 'edit', path: 'src/math.ts', text: 'export const TWO = 2;\n' }] });
    await client.request('whenIdle', null);
    const typed = await client.request('complete', { ...place, prefix: place.prefix + 's', ...limits });
    assert.ok(typed.prefilled <= 4, `the keystroke after the edit prefilled ${typed.prefilled} tokens`);
    // Both reads are reported as events: the host's, and the one the worker started by itself.
    const reads = events.flatMap((e) => (e.event === 'readAhead' ? [e.data] : []));
    assert.deepEqual(reads[0], { ...read, path: 'src/main.ts', line: 0 });
    assert.equal(reads.length, 2, JSON.stringify(reads));
    assert.equal(reads[1].path, 'src/main.ts');
  });

  it('the first edit of the active file, which leaves the context, does not make the next keystroke read the prompt again', async () => {
    const { client } = await worker(false);
    const root = workspace();
    await client.request('open', { root, filter: {}, budgetTokens: 0, activePath: 'src/main.ts' });
    await client.request('whenIdle', null);
    const files = (await client.request('describe', null)).files;
    assert.equal(files.at(-1)?.path, 'src/main.ts', 'the active file streams last');
    const total = files.reduce((n, f) => n + f.tokens, 0);
    const place = { path: 'src/main.ts', prefix: "import { square } from './math';\nconsole.log(", suffix: ');\n', maxTokens: 4, lineBudgetMs: 10_000, deadlineMs: 10_000 };
    const first = await client.request('complete', place);
    assert.ok(first.prefilled > 10, `${first.prefilled} prompt tokens`);
    assert.equal(first.contextTokens, total - files.at(-1)!.tokens, 'the prompt holds main.ts; the state is the files before it');
    // The user types in main.ts: it leaves the chain, whose end is the state the prompt started from.
    client.request('update', { changes: [{ kind: 'edit', path: 'src/main.ts', text: place.prefix + 's' + place.suffix }] });
    await client.request('whenIdle', null);
    const typed = await client.request('complete', { ...place, prefix: place.prefix + 's' });
    assert.ok(typed.prefilled <= 4, `the keystroke after the first edit prefilled ${typed.prefilled} tokens`);
    assert.equal(typed.contextTokens, first.contextTokens);
  });

  it('a secret never reaches the model: no completion or read-ahead in .env or next to a key in the text', async () => {
    const { client } = await worker(true);
    const limits = { maxTokens: 4, lineBudgetMs: 10_000, deadlineMs: 10_000 };
    const env = await client.request('complete', { path: '.env', prefix: 'API_KEY=', suffix: '\n', ...limits });
    assert.deepEqual([env.stopped, env.prefilled, env.generated, env.text], ['secret', 0, 0, undefined]);
    const key = { path: 'src/config.ts', prefix: "const aws = 'AKIAIOSFODNN7EXAMPLE';\nexport const region = ", suffix: '\n' };
    const keyed = await client.request('complete', { ...key, ...limits });
    assert.deepEqual([keyed.stopped, keyed.prefilled], ['secret-content', 0]);
    assert.equal((await client.request('readAhead', key)).outcome, 'skipped');
    // The same place without the key completes.
    const plain = await client.request('complete', { ...key, prefix: 'export const region = ', ...limits });
    assert.ok(plain.prefilled > 0);
  });

  it('an unsaved edit updates the context', async () => {
    const { client } = await worker(true);
    const before = await client.request('describe', null);
    client.request('update', { changes: [{ kind: 'edit', path: 'src/math.ts', text: 'export const TWO = 2;\n'.repeat(20) }] });
    await client.request('whenIdle', null);
    const after = await client.request('describe', null);
    assert.notEqual(after.totalTokens, before.totalTokens);
    assert.equal(after.files[after.files.length - 1].path, 'src/math.ts', 'the edited file moves to the end');
  });

  it('a bad model folder is a SambaError across the process boundary', async () => {
    const client = new ModelWorkerClient(() => {});
    clients.push(client);
    await assert.rejects(client.request('load', { modelDir: '/nonexistent/model', backend: 'gpu' }), (e: unknown) => e instanceof SambaError && e.code === 'model-folder');
  });
});

describe('model worker: a folder not on the local disk is read through the host', () => {
  it('lists, stats and reads every file through fs events, and leaves secrets out as before', async () => {
    const root = workspace();
    const asked: string[] = [];
    const { readdir, stat, readFile } = await import('node:fs/promises');
    // The host's side, as the extension serves it with vscode.workspace.fs; here over the same files.
    const client: ModelWorkerClient = new ModelWorkerClient((e) => {
      if (e.event !== 'fs') return;
      const { id, op, path: rel } = e.data;
      asked.push(`${op} ${rel}`);
      const abs = path.join(root, rel);
      const answer =
        op === 'list'
          ? readdir(abs, { withFileTypes: true }).then((es) => es.map((x) => ({ name: x.name, kind: x.isDirectory() ? 'dir' : x.isFile() ? 'file' : 'other' })))
          : op === 'stat'
            ? stat(abs).then((s) => ({ size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile() }), () => undefined)
            : readFile(abs);
      answer.then((result) => client.replyFs({ fsReply: id, result }), (err: Error) => client.replyFs({ fsReply: id, error: err.message }));
    });
    try {
      await client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
      const r = await client.request('open', { root: '/remote/project', remote: true, filter: {}, budgetTokens: 0 });
      assert.deepEqual(r.files.map((f) => f.path).sort(), ['src/main.ts', 'src/math.ts']);
      assert.ok(r.skipped.some((s) => s.path === '.env' && s.reason === 'secret'));
      assert.ok(asked.includes('list ') && asked.includes('read src/math.ts'), asked.join(', '));
      assert.ok(!asked.some((a) => a.endsWith('.env') && a.startsWith('read')), 'a secret was read');
    } finally {
      await client.terminate();
    }
  });
});

// Dawn aborts the process it runs in on some driver faults (SIGABRT). In a worker thread that was
// the extension host itself; in a worker process it is only the worker.
describe('model worker: a crash of the worker process', function () {
  this.timeout(120_000);
  it('fails the pending request with the reason, tells the host, leaves this process running, and the next request starts a working worker', async () => {
    const exits: string[] = [];
    const client = new ModelWorkerClient(undefined, (why) => exits.push(why));
    try {
      await client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
      const pid = client.pid!;
      const root = workspace();
      await client.request('open', { root, filter: {}, budgetTokens: 0 });
      const pending = client.request('complete', { path: 'src/x.ts', prefix: 'export const ', suffix: '\n', maxTokens: 4000, lineBudgetMs: 60_000, deadlineMs: 60_000 });
      process.kill(pid, 'SIGABRT');
      await assert.rejects(pending, /The model worker stopped by SIGABRT/);
      assert.deepEqual(exits, ['stopped by SIGABRT']);
      assert.equal(client.running, false);
      // A fresh worker: no model until the host loads one again, then it works.
      assert.deepEqual((await client.request('describe', null)).files, []);
      assert.notEqual(client.pid, pid);
      await client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'gpu' });
      const r = await client.request('complete', { path: 'src/x.ts', prefix: 'export const ', suffix: '\n', maxTokens: 4, lineBudgetMs: 10_000, deadlineMs: 10_000 });
      assert.ok(r.generated > 0);
    } finally {
      await client.terminate();
    }
    assert.deepEqual(exits, ['stopped by SIGABRT'], 'terminate() is not an unexpected exit');
  });

  it('ends itself when the host process goes away, even while busy', async () => {
    const { spawn } = await import('node:child_process');
    // A workspace that takes the worker minutes to read, so only the disconnect can end it in time.
    const root = mkdtempSync(path.join(tmpdir(), 'samba-ws-big-'));
    for (let i = 0; i < 300; i++) writeFileSync(path.join(root, `f${i}.ts`), `export const v${i} = ${JSON.stringify('x'.repeat(4000))};\n`);
    // A host that starts the worker reading it, prints the worker's pid at the first progress, then
    // is killed without a chance to clean up.
    const script = `const { ModelWorkerClient } = require(${JSON.stringify(require.resolve('../src/worker/client'))});
      setInterval(() => {}, 1000);
      let told = false;
      const c = new ModelWorkerClient((e) => { if (e.event === 'progress' && !told) { told = true; console.log(c.pid); } });
      c.request('load', { modelDir: ${JSON.stringify(fixtureDir('samba-tiny'))}, backend: 'gpu' }).then(() => c.request('open', { root: ${JSON.stringify(root)}, filter: {}, budgetTokens: 0 }));`;
    const host = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = Number(await new Promise<string>((resolve, reject) => {
      host.stdout.once('data', (d: Buffer) => resolve(d.toString()));
      host.once('exit', (code) => reject(new Error(`the host exited first (code ${code})`)));
    }));
    assert.ok(pid > 0);
    host.kill('SIGKILL');
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, `worker ${pid} outlived its host by 5 s`);
  });
});
