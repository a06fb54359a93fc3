import * as assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { writeSafetensors } from '../src/model/safetensors';
import { EngineHolder, type Running } from '../src/worker/engine-holder';
import { tinySambaTensors, writeTinyModel, TINY_SAMBA } from './helpers/tiny-model';

// The engine holder (src/worker/engine-holder.ts): choosing a model validates its folder and then
// loads it; the load takes the weights validate read instead of reading every tensor again.

function holder(started: Running[] = []): EngineHolder {
  return new EngineHolder({ started: (r) => started.push(r), stopUsing: () => undefined, restore: async () => '' });
}

/** Rewrites the folder's weights with other values of the same size, leaving the file's time as it was. */
async function swapWeightsQuietly(dir: string, seed: number): Promise<void> {
  const file = path.join(dir, 'model.safetensors');
  await writeSafetensors(file, tinySambaTensors(seed));
  utimesSync(file, 1_700_000_000, 1_700_000_000);
}

describe('worker engine holder', () => {
  it('a load right after validate of the same unchanged folder reads no weight again (it runs the validated ones)', async () => {
    const dir = await writeTinyModel();
    utimesSync(path.join(dir, 'model.safetensors'), 1_700_000_000, 1_700_000_000);
    const validated = (await loadModel(dir)).fingerprint;
    const started: Running[] = [];
    const h = holder(started);
    assert.match(await h.validate(dir), /samba/i);
    // Same size, same time of change, other bytes: only a second read of the weights could see them.
    await swapWeightsQuietly(dir, 2);
    const onDisk = (await loadModel(dir)).fingerprint;
    assert.notEqual(onDisk, validated);
    const r = await h.load({ modelDir: dir, backend: 'cpu' });
    assert.equal(r.engine.model.fingerprint, validated);
    assert.equal(started.length, 1);
    assert.equal(started[0], r);
    assert.equal(r.summary.backend, 'cpu');
    assert.ok(r.summary.prefillTokensPerS > 0);
    // Used once: the next load reads the folder.
    const again = await h.load({ modelDir: dir, backend: 'cpu' });
    assert.equal(again.engine.model.fingerprint, onDisk);
    await h.dispose();
    assert.equal(h.running, undefined);
  });

  it('a folder changed after validate, or another folder, is read again at load', async () => {
    const dir = await writeTinyModel();
    const h = holder();
    await h.validate(dir);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...TINY_SAMBA, rms_norm_eps: 1e-6 }));
    const changed = (await loadModel(dir)).fingerprint;
    assert.equal((await h.load({ modelDir: dir, backend: 'cpu' })).engine.model.fingerprint, changed);

    const other = await writeTinyModel({ tensors: tinySambaTensors(3) });
    await h.validate(dir);
    assert.equal((await h.load({ modelDir: other, backend: 'cpu' })).engine.model.fingerprint, (await loadModel(other)).fingerprint);
    await h.dispose();
  });

  it('int8 weights get their own fingerprint, validated or not (their states differ from f16 ones)', async () => {
    const dir = await writeTinyModel();
    const h = holder();
    await h.validate(dir);
    const r = await h.load({ modelDir: dir, backend: 'cpu', weights: 'int8' });
    assert.equal(r.engine.model.fingerprint, `${(await loadModel(dir)).fingerprint}:i8`);
    await h.dispose();
  });
});
