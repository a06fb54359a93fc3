import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { createCpuEngine } from '../src/cpu/engine';
import { WasmKernels } from '../src/cpu/wasm/kernels';
import { maxAbsDiffFlat } from './helpers/fixtures';

// The CPU engine's int8 products (kernels.c's gemmQ, batch.ts): checked where they run, the e2e
// set-up's Node 24 (code-server's runtime, as VS Code's Electron is a recent V8); this process's
// runtime may lack them (Node 20's V8 gives other sums), and then int8 is refused, never wrong.

const ROOT = path.join(__dirname, '..', '..');

describe('CPU engine: int8 products', () => {
  it('where this runtime lacks them, asking for int8 gives the f32 engine, bit for bit', async function () {
    const k = WasmKernels.create(1);
    const here = k?.int8 ?? false;
    await k?.dispose();
    if (here) this.skip(); // the next test covers a runtime that has them
    const model = await loadModel(path.join(ROOT, 'models', 'default'));
    const tokens = Array.from({ length: 80 }, (_, i) => 10 + ((i * 7919) % 16000));
    const logits = async (int8: boolean) => {
      const e = createCpuEngine(model, { int8, threads: 1 });
      const l = await e.prefill(tokens, e.newState(), { allLogits: true });
      assert.doesNotMatch(e.deviceName, /int8/);
      await e.dispose();
      return l;
    };
    assert.equal(maxAbsDiffFlat(await logits(true), await logits(false)), 0);
  });

  it("in Node 24: sum the bytes they stored; the attention near the exact one; the default model's next token as f32's nearly always, its loss within 0.02 nats; the same on 1 and 2 threads", function () {
    this.timeout(900_000);
    // The e2e tests' set-up (quick when done) brings code-server's Node.
    const setup = spawnSync('bash', [path.join(ROOT, 'test/e2e/setup.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    assert.equal(setup.status, 0, 'test/e2e/setup.sh failed');
    const node = JSON.parse(readFileSync(path.join(ROOT, '.vscode-test', 'paths.json'), 'utf8')).node as string;
    const r = spawnSync(node, [path.join(ROOT, 'out/test/helpers/int8-child.js')], { encoding: 'utf8', timeout: 600_000 });
    const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    const got = JSON.parse(line || '{}');
    assert.equal(got.error, undefined, got.error);
    console.log(`      V8 ${got.v8}: kernel vs byte sums ${got.kernelVsSums.toExponential(1)}, max |error| once ${got.once.toFixed(4)}, twice ${got.twice.toFixed(5)}; NLL f32 ${got.f32.nll.toFixed(4)}, int8 ${got.int8Stats.nll.toFixed(4)}, same next token ${(got.int8Stats.same * 100).toFixed(1)}%`);
    assert.equal(got.int8, true, `no int8 products in V8 ${got.v8}`);
    assert.ok(got.kernelVsSums < 1e-6, 'the kernel computes the sums of its bytes');
    assert.ok(got.twice < got.once / 20, "the input quantized twice leaves a twentieth of its rounding's error or less");
    assert.deepEqual(got.devices.map((d: string) => /int8/.test(d)), [false, true, true]);
    assert.ok(Math.abs(got.int8Stats.nll - got.f32.nll) < 0.02, `NLL ${got.int8Stats.nll} against ${got.f32.nll}`);
    assert.ok(got.int8Stats.same >= 0.9, `the next token as f32's at ${got.int8Stats.same}`);
    assert.equal(got.threadsEqual, true, 'int8 on 2 threads gives the logits of 1 thread');
    // The int8 attention: near the exact one, and a wide window's small weights counted (rounded to
    // the nearest byte each, all 1,500 would be 0 and the output -1).
    console.log(`      attention: max |error| ${got.attention.random.toFixed(4)}; a wide window ${got.attention.wide.got.toFixed(4)} against ${got.attention.wide.want.toFixed(4)}`);
    assert.ok(got.attention.random < 0.05, `attention error ${got.attention.random}`);
    assert.ok(Math.abs(got.attention.wide.got - got.attention.wide.want) < 0.02, `a wide window: ${got.attention.wide.got} against ${got.attention.wide.want}`);
  });
});
