import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fixtureDir, readReference } from './helpers/fixtures';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Vulkan loader pointed at no driver: the real API then finds no adapter. */
const NO_GPU = { VK_DRIVER_FILES: '/nonexistent/icd.json', VK_ICD_FILENAMES: '/nonexistent/icd.json' };

describe('CLI (dist/cli.js)', () => {
  it('info names the adapter and the model (--backend gpu takes even a software adapter)', () => {
    const r = cli(['info', '--backend', 'gpu', '--model', fixtureDir('samba-tiny')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /engine: {2}gpu: .*llvmpipe/);
    assert.match(r.stdout, /samba: 4 blocks x 64, vocab 512, window 8/);
  });

  it('auto counts a software adapter as no GPU: the CPU engine runs, with a notice naming the adapter', () => {
    const r = cli(['info', '--model', fixtureDir('samba-tiny')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /engine: {2}cpu: CPU \(WebAssembly SIMD[,)]/);
    assert.match(r.stderr, /notice: No GPU to use \(the only WebGPU adapter is a software one .*llvmpipe.*\): the model runs on the CPU/);
  });

  it('logits prints JSON rows that match the PyTorch reference', () => {
    const ref = readReference('mamba-hf-tiny');
    const tokens = ref.tokens.slice(0, 5);
    const r = cli(['logits', '--model', fixtureDir('mamba-hf-tiny'), '--tokens', tokens.join(','), '--weights', 'f32']);
    assert.equal(r.code, 0, r.stderr);
    const { logits } = JSON.parse(r.stdout) as { logits: number[][] };
    assert.equal(logits.length, 5);
    let max = 0;
    logits.forEach((row, t) => row.forEach((v, i) => (max = Math.max(max, Math.abs(v - ref.logits[t][i])))));
    assert.ok(max < 1e-4, `max diff ${max}`);
  });

  it('the CPU kernels\' two builds (Relaxed SIMD, fused multiply-adds; SIMD) give the same logits on the embedded model, and info names which runs', () => {
    // Long enough that the products run in the batched kernels with full 4 x 8 tiles.
    const tokens = Array.from({ length: 12 }, (_, i) => 100 + ((i * 37) % 900)).join(',');
    const run = (env: NodeJS.ProcessEnv) => {
      const r = cli(['logits', '--backend', 'cpu', '--tokens', tokens], env);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { logits: number[][] }).logits;
    };
    const relaxed = run({});
    const simd = run({ SAMBA_WASM_RELAXED: '0' });
    let max = 0;
    relaxed.forEach((row, i) => row.forEach((v, j) => (max = Math.max(max, Math.abs(v - simd[i][j])))));
    // Equal where the machine has no fused multiply-add (Relaxed SIMD may then round twice, as SIMD does).
    assert.ok(max < 1e-3, `max |logit diff| ${max}: the builds differ only in rounding`);
    assert.match(cli(['info', '--backend', 'cpu']).stdout, /engine: {2}cpu: CPU \(WebAssembly SIMD, relaxed[,)]/);
    assert.match(cli(['info', '--backend', 'cpu'], { SAMBA_WASM_RELAXED: '0' }).stdout, /engine: {2}cpu: CPU \(WebAssembly SIMD(, \d+ threads)?\)/);
  });

  it('generate streams text from the prompt', () => {
    const r = cli(['generate', '--backend', 'gpu', '--model', fixtureDir('samba-tiny'), '--prompt', 'def add(a, b):', '--max-tokens', '8']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith('def add(a, b):') && r.stdout.length > 'def add(a, b):'.length, r.stdout);
    assert.match(r.stderr, /8 generated tokens .* on gpu/);
  });

  it('complete prints the document and the suggestion the completion pipeline gives, or says there is none', () => {
    const prompt = 'function add(a, b) {\n  ';
    const r = cli(['complete', '--backend', 'cpu', '--model', fixtureDir('samba-tiny'), '--file', 'm.js', '--prompt', prompt, '--max-tokens', '6']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(prompt), r.stdout);
    assert.match(r.stderr, /\[(the suggestion \(its first line's log-probability -?[\d.]+: typing (shows it|holds it back, Alt\+\\ shows it) at samba\.completions\.confidence "likely"\)|no suggestion \(nothing worth showing\)) after \d+ prompt tokens, \d+ generated, in [\d.]+ s on cpu\]/);
    const bad = cli(['complete', '--backend', 'cpu', '--model', fixtureDir('samba-tiny'), '--prompt', prompt]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /complete needs --file PATH/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  });

  it('without a GPU driver, falls back to the CPU reference with a notice', () => {
    const r = cli(['info', '--model', fixtureDir('samba-tiny')], NO_GPU);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /engine: {2}cpu: CPU \(WebAssembly SIMD[,)]/);
    assert.match(r.stderr, /notice: No GPU to use \(No WebGPU adapter found.*\): the model runs on the CPU/);
  });

  it('without a GPU driver, --backend gpu is a clear error', () => {
    const r = cli(['info', '--backend', 'gpu', '--model', fixtureDir('samba-tiny')], NO_GPU);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: No WebGPU adapter found.*samba\.engine\.backend to "cpu"/);
  });

  it('bad arguments and a missing model folder get clear errors', () => {
    assert.match(cli(['logits', '--model', fixtureDir('samba-tiny')]).stderr, /logits needs --tokens/);
    assert.match(cli(['info', '--backend', 'tpu', '--model', fixtureDir('samba-tiny')]).stderr, /--backend must be auto, gpu or cpu/);
    const r = cli(['info', '--model', '/nonexistent/model']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: Model folder \/nonexistent\/model does not exist/);
  });
});
