import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ModelSession } from '../src/worker/session';
import type { CompletionRequest, EngineSummary, OpenRequest } from '../src/worker/protocol';
import { acquireGpu } from '../src/gpu/device';
import type { GpuEngine } from '../src/gpu/engine';
import type { Engine } from '../src/engine/engine';
import { SambaError } from '../src/model/errors';
import { SnapshotStore } from '../src/workspace/snapshot-store';
import { fixtureDir } from './helpers/fixtures';
import { tempDir, text, writeFiles } from './helpers/workspace';

// Faults injected into the real WebGPU engine (Mesa lavapipe on CPU-only machines): the device is
// destroyed (GPUDevice.destroy()) while the workspace is read and while a completion generates.

const MODEL = fixtureDir('samba-tiny');

function workspace(files: number, lines: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < files; i++) out[`src/m${String(i).padStart(2, '0')}.ts`] = text(`v${i}_`, lines);
  return out;
}

const completion: CompletionRequest = { path: 'src/new.ts', prefix: 'export const a', suffix: '\n', maxTokens: 24, lineBudgetMs: 60_000, deadlineMs: 60_000 };

function engineOf(session: ModelSession): Engine {
  return session['holder'].running!.engine;
}

type Progress = { doneTokens: number; totalTokens: number };

async function start(persistEveryMs?: number) {
  const root = tempDir('fault-ws');
  const storage = tempDir('fault-store');
  const notices: string[] = [];
  const logs: string[] = [];
  const hook: { progress?: (p: Progress) => void } = {};
  const session = new ModelSession({ onNotice: (m) => notices.push(m), onLog: (m) => logs.push(m), onProgress: (p) => hook.progress?.(p) }, { persistEveryMs });
  await session.load({ modelDir: MODEL, backend: 'gpu', storageDir: storage });
  return { root, storage, session, notices, logs, hook };
}

describe('faults: GPU device lost (real device.destroy() on the WebGPU engine)', function () {
  this.timeout(600_000);

  it('during generation: the completion fails with a gpu error, the engine restarts, the context comes back from the store, completions work', async () => {
    const { root, session, notices } = await start();
    await writeFiles(root, workspace(8, 12));
    const open: OpenRequest = { root, filter: {}, budgetTokens: 1_000_000 };
    const first = await session.open(open);
    assert.ok(first.ready && first.totalTokens > 1000, `context of ${first.totalTokens} tokens`);
    const before = await session.complete(completion);
    const lost = engineOf(session) as GpuEngine;
    assert.equal(lost.backend, 'gpu');
    // Generation on the GPU begins with its first step, or, on a software adapter (which hands
    // the state to a CPU decoder, src/backend/decoder.ts), with the state's download.
    const step = lost.step.bind(lost);
    const download = lost.download.bind(lost);
    let destroyed = false;
    const destroy = () => {
      if (!destroyed) {
        destroyed = true;
        lost.gpuDevice.destroy();
      }
    };
    lost.step = (token, state) => (destroy(), step(token, state));
    lost.download = (state) => (destroy(), download(state));
    const t0 = Date.now();
    // Another prefix: the same request would be answered from the completion cache, without the GPU.
    await assert.rejects(session.complete({ ...completion, prefix: 'export const b' }), (e: Error) => {
      assert.ok(e instanceof SambaError && e.code === 'gpu', `${e}`);
      assert.match(e.message, /GPU device was lost \(destroyed/);
      return true;
    });
    assert.ok(destroyed);
    console.log(`      the in-flight completion failed after ${Date.now() - t0} ms`);
    // Every call on the lost engine now fails fast, naming what happened.
    assert.throws(() => lost.newState(), /GPU device was lost/);
    await session.whenIdle();
    const now = engineOf(session);
    assert.notEqual(now, lost);
    const d = session.describe();
    assert.ok(d.ready);
    assert.equal(d.totalTokens, first.totalTokens);
    assert.equal(d.prefilledTokens, 0, 'the rebuilt context ran tokens instead of loading the saved state');
    assert.equal(d.lastUpdate?.fromStore, true);
    assert.ok(notices.some((n) => /device was lost.*restarted on .*restored from saved state, 0 tokens read again/.test(n)), notices.join('\n'));
    const after = await session.complete(completion);
    assert.equal(after.contextTokens, first.totalTokens);
    assert.equal(after.raw, before.raw, 'the same prompt over the restored state generates the same text');
    console.log(`      restarted on ${now.backend} (${now.deviceName}); ${d.totalTokens} context tokens restored, 0 prefilled`);
    session.dispose();
  });

  it('during indexing: reading the workspace fails with a gpu error, the rebuild starts from the states saved so far', async () => {
    const { root, storage, session, notices, hook } = await start(0);
    await writeFiles(root, workspace(12, 12));
    const lost = engineOf(session) as GpuEngine;
    let destroyedAt = -1;
    // Destroy the device once about 60% of the workspace has run.
    hook.progress = (p) => {
      if (destroyedAt < 0 && p.doneTokens > 0.6 * p.totalTokens) {
        destroyedAt = p.doneTokens;
        lost.gpuDevice.destroy();
      }
    };
    await assert.rejects(session.open({ root, filter: {}, budgetTokens: 1_000_000 }), (e: Error) => {
      assert.ok(e instanceof SambaError && e.code === 'gpu', `${e}`);
      assert.match(e.message, /GPU device was lost/);
      return true;
    });
    assert.ok(destroyedAt > 0);
    const saved = await new SnapshotStore(path.join(storage, 'snapshots'), lost.model).keys();
    assert.ok(saved.length > 0, 'states were saved while indexing');
    hook.progress = undefined;
    await session.whenIdle();
    assert.notEqual(engineOf(session), lost);
    const d = session.describe();
    assert.ok(d.ready);
    assert.equal(d.lastUpdate?.fromStore, true);
    // Only what ran after the last saved boundary runs again.
    assert.ok(d.prefilledTokens > 0 && d.prefilledTokens <= d.totalTokens - destroyedAt + 400, `prefilled ${d.prefilledTokens} of ${d.totalTokens} (device lost at ${destroyedAt})`);
    console.log(`      device lost at ${destroyedAt}/${d.totalTokens} tokens; the rebuild prefilled ${d.prefilledTokens}`);
    assert.ok(notices.some((n) => /restarted on/.test(n)), notices.join('\n'));
    const r = await session.complete(completion);
    assert.equal(r.contextTokens, d.totalTokens);
    // And a later session over the same storage loads the whole context without running it.
    session.dispose();
    const again = new ModelSession({}, {});
    await again.load({ modelDir: MODEL, backend: 'gpu', storageDir: storage });
    const r2 = await again.open({ root, filter: {}, budgetTokens: 1_000_000 });
    assert.equal(r2.prefilledTokens, 0);
    again.dispose();
  });
});

describe('faults: GPU device lost and no GPU to restart on (SAMBA_FAULT_GPU_ACQUIRE)', function () {
  this.timeout(600_000);
  afterEach(() => delete process.env.SAMBA_FAULT_GPU_ACQUIRE);

  it('the acquisition fails as injected: no adapter, or Dawn refusing the device', async () => {
    process.env.SAMBA_FAULT_GPU_ACQUIRE = 'no-adapter';
    await assert.rejects(acquireGpu(), (e: Error) => e instanceof SambaError && /^No WebGPU adapter found.*samba\.engine\.backend to "cpu"/.test(e.message));
    process.env.SAMBA_FAULT_GPU_ACQUIRE = 'device-refused';
    await assert.rejects(acquireGpu(), (e: Error) => e instanceof SambaError && /^The GPU adapter refused to create a device \(Required limit .+\)\. Restart the GPU driver/.test(e.message));
    process.env.SAMBA_FAULT_GPU_ACQUIRE = 'none-such';
    await assert.rejects(acquireGpu(), /SAMBA_FAULT_GPU_ACQUIRE is "none-such"; it must be/);
  });

  it('the session goes on on the CPU reference, restores the context from the saved states, says so, and completes as a fresh CPU session does', async () => {
    const root = tempDir('fault-ws');
    await writeFiles(root, workspace(8, 12));
    const notices: string[] = [];
    const engines: EngineSummary[] = [];
    const session = new ModelSession({ onNotice: (m) => notices.push(m), onEngine: (s) => engines.push(s) });
    const loaded = await session.load({ modelDir: MODEL, backend: 'gpu', storageDir: tempDir('fault-store') });
    assert.equal(loaded.backend, 'gpu');
    assert.equal(loaded.fallback, undefined);
    // The automatic budget, from the GPU's measured speed: the rebuild on the CPU must keep it.
    const first = await session.open({ root, filter: {}, budgetTokens: 0 });
    assert.ok(first.ready && first.totalTokens > 1000 && first.prefilledTokens === first.totalTokens, `context of ${first.totalTokens} tokens`);
    const lost = engineOf(session) as GpuEngine;
    process.env.SAMBA_FAULT_GPU_ACQUIRE = 'no-adapter';
    lost.gpuDevice.destroy();
    await lost.lost;
    await session.whenIdle();

    const now = engineOf(session);
    assert.equal(now.backend, 'cpu');
    const d = session.describe();
    assert.ok(d.ready);
    assert.equal(d.budgetTokens, first.budgetTokens);
    assert.equal(d.totalTokens, first.totalTokens);
    assert.equal(d.prefilledTokens, 0, 'the CPU rebuilt the context by running tokens instead of loading the saved states');
    assert.equal(d.lastUpdate?.fromStore, true);
    // What the host shows: the notice, and the engine summary behind the status bar.
    assert.equal(engines.length, 1);
    assert.equal(engines[0].backend, 'cpu');
    assert.match(engines[0].fallback ?? '', /^The GPU device was lost \(destroyed.*, and no GPU could be started again \(No WebGPU adapter found.*\): the model runs on the CPU reference, much slower\. Run "Samba: Restart the Model" to use the GPU again/);
    assert.ok(notices.some((n) => n.startsWith(engines[0].fallback!) && /restored from saved state, 0 tokens read again\.$/.test(n)), notices.join('\n'));

    // Requests keep working on the CPU: a completion, and an edit that moves its file to the end.
    const after = await session.complete(completion);
    assert.equal(after.contextTokens, first.totalTokens);
    assert.ok(after.generated > 0);
    const edited = first.files[0].path;
    session.update([{ kind: 'edit', path: edited, text: 'export const edited = 1;\n' }]);
    await session.whenIdle();
    assert.equal(session.describe().files.at(-1)?.path, edited);

    // A fresh CPU session over the same files (its own, empty store) generates the same greedy tokens.
    const fresh = new ModelSession();
    await fresh.load({ modelDir: MODEL, backend: 'cpu', storageDir: tempDir('fault-cpu-store') });
    const r = await fresh.open({ root, filter: {}, budgetTokens: first.budgetTokens });
    assert.equal(r.totalTokens, first.totalTokens);
    assert.equal(r.prefilledTokens, r.totalTokens);
    const ref = await fresh.complete(completion);
    assert.equal(after.raw, ref.raw, 'the restored state and a state the CPU built itself generate different text');
    console.log(`      on the CPU after the loss: ${d.totalTokens} context tokens restored, 0 prefilled; ${after.generated} tokens generated, as a fresh CPU session`);
    await fresh.dispose();
    await session.dispose();
  });
});

/**
 * Makes the device refuse (with a real Vulkan out-of-memory error, by asking for a buffer of the
 * device's maxBufferSize) every key/value buffer above `limitBytes`: a GPU with little memory.
 */
function limitKvMemory(engine: GpuEngine, limitBytes: number): () => void {
  const device = engine.gpuDevice;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (d: GPUBufferDescriptor) => create(/^[kv]\d+$/.test(d.label ?? '') && d.size > limitBytes ? { ...d, size: device.limits.maxBufferSize } : d);
  return () => {
    device.createBuffer = create;
  };
}

describe('faults: out of GPU memory (transformer-tiny, full attention)', function () {
  this.timeout(600_000);
  const TRANSFORMER = fixtureDir('transformer-tiny');

  it('a state that does not fit fails with a clear gpu error, and the engine goes on', async () => {
    const session = new ModelSession();
    await session.load({ modelDir: TRANSFORMER, backend: 'gpu' });
    const engine = engineOf(session) as GpuEngine;
    const undo = limitKvMemory(engine, 1 << 20);
    const big = engine.newState({ capacity: 100_000 });
    await assert.rejects(engine.prefill([1, 2, 3], big), (e: Error) => {
      assert.ok(e instanceof SambaError && e.code === 'gpu', `${e}`);
      assert.match(e.message, /^Out of GPU memory for a model state of 24\.4 MiB \(KV capacity 100000 tokens\) on .*VK_ERROR_OUT_OF_DEVICE_MEMORY.*Use a smaller context budget/);
      return true;
    });
    // Past the binding limit: refused before allocating.
    assert.throws(() => engine.newState({ capacity: 1e9 }), /above the GPU's binding limit/);
    const small = engine.newState({ capacity: 64 });
    const logits = await engine.prefill([1, 2, 3], small);
    assert.ok(logits.every(Number.isFinite));
    undo();
    session.dispose();
  });

  it('a context budget whose state does not fit is halved until it does, with a notice; indexing and completions work', async () => {
    const notices: string[] = [];
    const session = new ModelSession({ onNotice: (m) => notices.push(m) });
    await session.load({ modelDir: TRANSFORMER, backend: 'gpu' });
    limitKvMemory(engineOf(session) as GpuEngine, 4 << 20); // 4 MiB per buffer: 65,536 KV slots
    const root = tempDir('oom-ws');
    await writeFiles(root, workspace(3, 4));
    const r = await session.open({ root, filter: {}, budgetTokens: 1_000_000 });
    assert.ok(r.ready);
    assert.equal(r.budgetTokens, 31_250);
    assert.ok(notices.some((n) => /^Not enough GPU memory for a context of 1,000,000 tokens on .*: the workspace context holds 31,250 tokens instead/.test(n)), notices.join('\n'));
    const c = await session.complete(completion);
    assert.equal(c.contextTokens, r.totalTokens);
    session.dispose();
  });

  it('a budget past the GPU binding limit is halved the same way (no allocation forced)', async () => {
    const notices: string[] = [];
    const session = new ModelSession({ onNotice: (m) => notices.push(m) });
    await session.load({ modelDir: TRANSFORMER, backend: 'gpu' });
    const root = tempDir('oom-ws');
    await writeFiles(root, workspace(2, 2));
    const r = await session.open({ root, filter: {}, budgetTokens: 10_000_000 });
    assert.ok(r.ready && r.budgetTokens < 10_000_000 && r.budgetTokens >= 1_000_000, `budget ${r.budgetTokens}`);
    assert.ok(notices.some((n) => /^Not enough GPU memory for a context of 10,000,000 tokens/.test(n)), notices.join('\n'));
    session.dispose();
  });
});
