import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { packagePath } from '../src/package-files';
import { acquireGpu, dawnToggles, subgroupMatrixSupport, type GpuContext } from '../src/gpu/device';
import { composeKernel, PipelineCache, type WeightDtype } from '../src/gpu/kernels';
import { Ops, pickMatmul, sgmatConsts, sgmatLabel, SGMAT_DEFAULT_TILE, SGMAT_TILES } from '../src/gpu/ops';
import { Recorder } from '../src/gpu/recorder';
import { createBuffer, readFloats } from '../src/gpu/tensor';
import { createGpuEngine } from '../src/gpu/engine';
import { parseConfig } from '../src/model/config';
import { SambaError } from '../src/model/errors';
import { matmulCase } from './helpers/matmul-case';
import { randomModelOf, SHAPES } from '../bench/random-model';

// The prompt matmul on subgroup matrices (kernels/matmul_sgmat.wgsl). Lavapipe has no subgroup
// matrices, so here: (1) the real kernel text is valid for Dawn's WGSL compiler with the extension
// (Dawn's null backend, which offers every feature but runs nothing); (2) its tiling, staging,
// edges and epilogue compute the product on lavapipe with the five subgroup-matrix builtins
// replaced by plain WGSL that follows the extension's definitions (each invocation holds a whole
// matrix); (3) the engine picks it by default on a device that has them (Dawn loaded with
// allow_unsafe_apis unless SAMBA_GPU_SUBGROUP_MATRIX=0), and runs f32 on lavapipe.
// Whether the GPU's own matrix units give the same numbers is bench/sgmat-h200.sh's check.

const MAT = /alias (\w+) = subgroup_matrix_(left|right|result)<(\w+), (\w+), (\w+)>;/g;

/** The kernel with its subgroup matrices as per-invocation arrays (rows x cols, row-major). */
function emulateSubgroupMatrices(code: string): string {
  const shapes = new Map<string, { kind: string; type: string; cols: string; rows: string }>();
  let out = code
    .replace(/\/\/.*$/gm, '')
    .replace(/enable (chromium_experimental_subgroup_matrix|subgroups);\n?/g, '')
    .replace(MAT, (_, name: string, kind: string, type: string, cols: string, rows: string) => {
      // left<T, K, M>: M x K; right<T, N, K>: K x N; result<T, N, M>: M x N.
      shapes.set(kind, { kind, type, cols, rows });
      shapes.set(name, shapes.get(kind)!);
      return `alias ${name} = array<${type}, ${rows} * ${cols}>;`;
    });
  const fns: string[] = [];
  const seen = new Set<string>();
  out = out.replace(/subgroupMatrixLoad<(\w+), (row_major|col_major)>\(&(\w+), /g, (_, t: string, major: string, v: string) => {
    const f = `emu_load_${t}_${major}_${v}`;
    const s = shapes.get(t)!;
    const at = major === 'row_major' ? 'r * stride + c' : 'c * stride + r';
    if (!seen.has(f)) fns.push(`fn ${f}(off: u32, stride: u32) -> ${t} { var m: ${t}; for (var r = 0u; r < ${s.rows}; r++) { for (var c = 0u; c < ${s.cols}; c++) { m[r * ${s.cols} + c] = ${v}[off + ${at}]; } } return m; }`);
    seen.add(f);
    return `${f}(`;
  });
  out = out.replace(/subgroupMatrixStore<(row_major|col_major)>\(&(\w+), /g, (_, major: string, v: string) => {
    const f = `emu_store_${major}_${v}`;
    const s = shapes.get('result')!;
    const at = major === 'row_major' ? 'r * stride + c' : 'c * stride + r';
    if (!seen.has(f)) fns.push(`fn ${f}(off: u32, m: array<${s.type}, ${s.rows} * ${s.cols}>, stride: u32) { for (var r = 0u; r < ${s.rows}; r++) { for (var c = 0u; c < ${s.cols}; c++) { ${v}[off + ${at}] = m[r * ${s.cols} + c]; } } }`);
    seen.add(f);
    return `${f}(`;
  });
  const [L, R, C] = ['left', 'right', 'result'].map((k) => shapes.get(k)!);
  const ty = (s: typeof L) => `array<${s.type}, ${s.rows} * ${s.cols}>`;
  fns.push(`fn emu_mma(a: ${ty(L)}, b: ${ty(R)}, c: ${ty(C)}) -> ${ty(C)} { var o = c; for (var m = 0u; m < ${L.rows}; m++) { for (var n = 0u; n < ${R.cols}; n++) { var s = o[m * ${C.cols} + n]; for (var k = 0u; k < ${L.cols}; k++) { s += ${C.type}(a[m * ${L.cols} + k]) * ${C.type}(b[k * ${R.cols} + n]); } o[m * ${C.cols} + n] = s; } } return o; }`);
  out = out.replace(/subgroupMatrixMultiplyAccumulate\(/g, 'emu_mma(');
  // subgroup_id and subgroup_invocation_id from the invocation's index, SG invocations a subgroup.
  const sg = /,\s*@builtin\(subgroup_id\) (\w+): u32/.exec(out)![1];
  const lane = /,\s*@builtin\(subgroup_invocation_id\) (\w+): u32/.exec(out)![1];
  const li = /@builtin\(local_invocation_index\) (\w+): u32/.exec(out)![1];
  out = out.replace(/,\s*@builtin\(subgroup_id\) \w+: u32/, '').replace(/,\s*@builtin\(subgroup_invocation_id\) \w+: u32/, '');
  const body = out.indexOf('{', out.indexOf('fn main(')) + 1;
  out = `${out.slice(0, body)}\n  let ${sg} = ${li} / SG;\n  let ${lane} = ${li} % SG;${out.slice(body)}`;
  assert.ok(!/subgroup_matrix|subgroupMatrix/.test(out), 'every subgroup-matrix use is emulated');
  return `${out}\n${fns.join('\n')}\n`;
}

type Case = { label: string; rows: number; cols: number; T: number; xStride?: number; xOff?: number; accumulate?: boolean; bias?: boolean; dtype: WeightDtype; maxBinding?: number; tile: string; sg: number };

// Small tiles (lavapipe runs the emulated matrices slowly), each case crossing tile edges.
const CASES: Case[] = [
  { label: '200x100, 150 tokens, f32 weights, bias', rows: 200, cols: 100, T: 150, bias: true, dtype: 'f32', tile: '32x32/16x16/16', sg: 4 },
  { label: '130x20 (x stride 44), 37 tokens, f16 weights, accumulate', rows: 130, cols: 20, T: 37, xStride: 44, accumulate: true, dtype: 'f16', tile: '64x32/32x16/32', sg: 8 },
  { label: '96x64 (x offset 8, stride 80), 129 tokens, int8 weights, bias + accumulate', rows: 96, cols: 64, T: 129, xStride: 80, xOff: 8, accumulate: true, bias: true, dtype: 'i8', tile: '32x64/16x32/32', sg: 4 },
  { label: '300x48 in row blocks of 64, 40 tokens, f16 weights', rows: 300, cols: 48, T: 40, dtype: 'f16', maxBinding: 64 * 24 * 4, tile: '32x32/16x16/16', sg: 8 },
  // The options the engine's tiles use: whole tiles stored straight to y, accumulating onto it ...
  { label: '64x64, 64 tokens (whole tiles), f32 weights, accumulate', rows: 64, cols: 64, T: 64, accumulate: true, dtype: 'f32', tile: '32x64/16x32/32+store+unroll', sg: 4 },
  { label: '96x64, 64 tokens (whole tiles), int8 weights, accumulate', rows: 96, cols: 64, T: 64, accumulate: true, dtype: 'i8', tile: '32x32/16x16/16+store', sg: 8 },
  // ... and edges, bias and row blocks through workgroup memory beside them.
  { label: '200x48 (x offset 4, stride 52), 37 tokens, f16 weights, bias', rows: 200, cols: 48, T: 37, xStride: 52, xOff: 4, bias: true, dtype: 'f16', tile: '32x32/16x16/32+store', sg: 4 },
  { label: '300x48 in row blocks of 64, 40 tokens, f16 weights, accumulate', rows: 300, cols: 48, T: 40, accumulate: true, dtype: 'f16', maxBinding: 64 * 24 * 4, tile: '32x32/16x16/16+store+unroll', sg: 8 },
];

/** The tiles the bench tries (bench/sgmat-h200.sh's default TILES): the engine's, each compiled here. */
const BENCH_TILES = /TILES=\$\{TILES:-([^}]+)\}/.exec(readFileSync(packagePath('bench/sgmat-h200.sh'), 'utf8'))![1].split(',');

describe('prompt matmul on subgroup matrices', function () {
  let ctx: GpuContext;
  before(async () => {
    ctx = await acquireGpu();
  });
  after(() => ctx?.device.destroy());

  it("is valid WGSL for Dawn's subgroup-matrix extension at the engine's tiles, for f16, f32 and int8 weights (Dawn's null backend)", () => {
    const sgm = { M: 16, N: 16, K: 16, subgroupSize: 32 };
    const big = { maxComputeWorkgroupStorageSize: 49152, maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupSizeX: 1024 };
    const codes: string[] = [];
    const names: string[] = [];
    assert.deepEqual(BENCH_TILES, [...SGMAT_TILES]);
    assert.equal(SGMAT_DEFAULT_TILE, '128x128/64x32/32+store+unroll');
    for (const tile of SGMAT_TILES) {
      const consts = sgmatConsts(sgm, big, tile);
      assert.ok(typeof consts !== 'string', `${tile}: ${consts}`);
      assert.equal(sgmatLabel(consts), tile);
      for (const dtype of ['f16', 'f32', 'i8'] as const) {
        codes.push(composeKernel('matmul_sgmat', dtype, consts));
        names.push(`matmul_sgmat ${dtype} ${tile}`);
      }
    }
    // The null adapter allows 16 KiB of workgroup memory: the pipelines (layouts, bindings,
    // workgroup size a multiple of its largest subgroup, 128) at a tile that fits that.
    const small = sgmatConsts(sgm, big, '32x32/16x16/16+store+unroll') as Record<string, number>;
    const pipelines = (['f16', 'f32', 'i8'] as const).map((d) => composeKernel('matmul_sgmat', d, small));
    // Its own process: one Dawn instance per backend in a process.
    const script = `
      const { create, globals } = await import('webgpu');
      Object.assign(globalThis, globals);
      const { codes, pipelines } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const a = await create(['backend=null', 'enable-dawn-features=allow_unsafe_apis']).requestAdapter();
      const d = await a.requestDevice({ requiredFeatures: ['shader-f16', 'subgroups', 'chromium-experimental-subgroup-matrix'] });
      const out = [];
      for (const code of codes) out.push((await d.createShaderModule({ code }).getCompilationInfo()).messages.map((m) => m.lineNum + ':' + m.linePos + ' ' + m.message));
      const errs = [];
      for (const code of pipelines) {
        d.pushErrorScope('validation');
        d.createComputePipeline({ layout: 'auto', compute: { module: d.createShaderModule({ code }), entryPoint: 'main' } });
        const e = await d.popErrorScope();
        errs.push(e ? e.message : '');
      }
      console.log(JSON.stringify({ out, pipelines: errs }));
      process.exit(0);`;
    const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => {${script}})()`], { input: JSON.stringify({ codes, pipelines }), encoding: 'utf8', timeout: 120_000 });
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
    assert.ok(line, `the null-backend compile ran: ${r.stderr}`);
    const res = JSON.parse(line) as { out: string[][]; pipelines: string[] };
    assert.equal(res.out.length, codes.length);
    res.out.forEach((msgs, i) => assert.deepEqual(msgs, [], `${names[i]}: ${msgs.join('; ')}`));
    assert.deepEqual(res.pipelines, ['', '', '']);
  });

  for (const cs of CASES) {
    it(`${cs.label}, tile ${cs.tile}: the kernel's tiles compute the product of the f16-rounded inputs (matrices emulated)`, async () => {
      const { device } = ctx;
      const c = parseConfig(SHAPES['samba-421m'], 'samba-421m');
      const { rows, T } = cs;
      const { W, x, bias, y0, want, scale, xStride, xOff } = matmulCase(device, cs, ctx.maxBinding, true);
      if (cs.maxBinding) assert.ok(W.blocks.length > 1, 'the case must split W into row blocks');
      const consts = sgmatConsts({ M: 16, N: 16, K: 16, subgroupSize: cs.sg }, device.limits, cs.tile);
      assert.ok(typeof consts !== 'string', String(consts));
      const rec = new Recorder(device);
      const pipes = new PipelineCache(device, 'f32');
      const get = pipes.get.bind(pipes);
      const emulated = new Map<string, GPUComputePipeline>();
      let ran = 0;
      pipes.get = (name, k = {}, d = 'f32') => {
        if (name !== 'matmul_sgmat') return get(name, k, d);
        ran++;
        const key = `${d}:${JSON.stringify(k)}`;
        if (!emulated.has(key)) emulated.set(key, device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: emulateSubgroupMatrices(composeKernel(name, d, k)) }), entryPoint: 'main' } }));
        return emulated.get(key)!;
      };
      const spare = { dummy: createBuffer(device, 16, 'dummy'), scratchA: createBuffer(device, 16, 'a'), scratchB: createBuffer(device, 16, 'b') };
      const ops = new Ops(rec, pipes, c, spare, { minGroups: 1, maxGroups: 4, workgroup: 256, inputVec4s: 64 }, 64, device.limits, 'sgmat', consts);
      const y = createBuffer(device, T * rows * 4, 'y');
      device.queue.writeBuffer(y, 0, y0);
      device.pushErrorScope('validation');
      ops.linear(W, x, y, T, { xStride, xOff, accumulate: cs.accumulate, bias });
      rec.submit();
      const got = await readFloats(device, y, T * rows);
      const err = await device.popErrorScope();
      assert.equal(err?.message, undefined);
      assert.equal(ran, W.blocks.length, 'the sgmat kernel ran once per row block');
      let d = 0;
      for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - want[i]) || (Number.isNaN(got[i]) ? Infinity : 0));
      console.log(`      sgmat (emulated): max |diff| ${d.toExponential(2)} (outputs up to ${scale.toFixed(2)})`);
      // Same f16 inputs, f32 sums in another order: float rounding only.
      assert.ok(d <= 2e-5 * Math.max(1, scale), `max diff ${d}`);
      rec.dispose();
      [y, x, spare.dummy, spare.scratchA, spare.scratchB].forEach((b) => b.destroy());
      W.blocks.forEach((b) => (b.buffer.destroy(), b.scales?.destroy()));
      bias?.buffer.destroy();
    });
  }

  it('is on by default where the adapter has subgroup matrices; on lavapipe (none) the engine runs f32 without a word, SAMBA_GPU_SUBGROUP_MATRIX=1 logs why not, =0 turns them off', async () => {
    const keys = ['SAMBA_GPU_SUBGROUP_MATRIX', 'SAMBA_MATMUL', 'SAMBA_SGMAT_TILE', 'SAMBA_DAWN_TOGGLES'] as const;
    const saved = keys.map((k) => process.env[k]);
    keys.forEach((k) => delete process.env[k]);
    const write = process.stderr.write;
    const logged: string[] = [];
    process.stderr.write = ((s: string) => (logged.push(String(s)), true)) as typeof process.stderr.write;
    const acquired = async () => {
      const g = await acquireGpu();
      g.device.destroy();
      return g;
    };
    const NONE = 'off: the adapter does not offer chromium-experimental-subgroup-matrix';
    try {
      // Dawn is loaded with the toggle that offers them, unless they are turned off.
      assert.deepEqual(dawnToggles(), ['vulkan_enable_f16_on_nvidia', 'allow_unsafe_apis']);
      const model = randomModelOf({ model_type: 'samba', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1, head_dim: 16, sliding_window: 32, state_size: 8, time_step_rank: 4 });
      const g = await acquired();
      assert.equal(g.subgroupMatrix, undefined);
      assert.equal(g.subgroupMatrixNote, NONE);
      const e = await createGpuEngine(model, { chunk: 64 });
      try {
        assert.equal(e.matmul, `f32 (subgroup matrices ${NONE})`);
        const V = model.config.vocabSize;
        const logits = await e.prefill(Array.from({ length: 40 }, (_, i) => (i * 7 + 3) % V), e.newState({ capacity: 64 }));
        assert.ok(logits.every(Number.isFinite));
      } finally {
        await e.dispose();
      }
      assert.ok(!logged.some((l) => /subgroup matri/i.test(l)), logged.join(''));
      // Asked for: the engine says why they do not run.
      process.env.SAMBA_GPU_SUBGROUP_MATRIX = '1';
      assert.deepEqual(dawnToggles(), ['vulkan_enable_f16_on_nvidia', 'allow_unsafe_apis']);
      const asked = await createGpuEngine(model, { chunk: 64 });
      await asked.dispose();
      assert.ok(logged.some((l) => l.includes(`SAMBA_GPU_SUBGROUP_MATRIX=1, but prompts run on the f32 matmul: subgroup matrices ${NONE}`)), logged.join(''));
      // Turned off: no toggle, and the device is asked without them.
      process.env.SAMBA_GPU_SUBGROUP_MATRIX = '0';
      assert.deepEqual(dawnToggles(), ['vulkan_enable_f16_on_nvidia']);
      assert.equal((await acquired()).subgroupMatrixNote, 'off: SAMBA_GPU_SUBGROUP_MATRIX=0');
      process.env.SAMBA_GPU_SUBGROUP_MATRIX = 'yes';
      await assert.rejects(acquireGpu(), (err: unknown) => err instanceof SambaError && /SAMBA_GPU_SUBGROUP_MATRIX is "yes"; it must be "0" .* or "1", or unset/.test(err.message));
    } finally {
      process.stderr.write = write;
      keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
    }
  });

  it('a kernel the device rejects is reported, not raised: compiling it on lavapipe (no extension) gives the reason', async () => {
    const pipes = new PipelineCache(ctx.device, 'f16');
    let uncaptured = '';
    ctx.device.onuncapturederror = (ev) => (uncaptured = (ev as GPUUncapturedErrorEvent).error.message);
    const consts = sgmatConsts({ M: 16, N: 16, K: 16, subgroupSize: 8 }, ctx.device.limits, '32x32/16x16/16') as Record<string, number>;
    const err = await pipes.tryCompile('matmul_sgmat', consts, 'f16');
    assert.match(err ?? '', /extension '(subgroups|chromium_experimental_subgroup_matrix)' is not allowed/);
    // A kernel the device takes compiles and is cached.
    assert.equal(await pipes.tryCompile('matmul_f32', {}, 'f16'), undefined);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(uncaptured, '');
    ctx.device.onuncapturederror = null;
  });

  it('picks sgmat only with its constants, and checks the adapter and the tile', () => {
    const saved = { mm: process.env.SAMBA_MATMUL, tile: process.env.SAMBA_SGMAT_TILE };
    delete process.env.SAMBA_MATMUL;
    delete process.env.SAMBA_SGMAT_TILE;
    try {
      const KiB = 1024;
      const sgm = { M: 16, N: 16, K: 16, subgroupSize: 32 };
      const h200 = { maxComputeWorkgroupStorageSize: 48 * KiB, maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupSizeX: 1024 };
      const consts = sgmatConsts(sgm, h200);
      // The default: the first of the engine's tiles, with both options.
      assert.deepEqual(consts, { FM: 16, FN: 16, FK: 16, SG: 32, TM: 128, TN: 128, WM: 64, WN: 32, TK: 32, ST: 1, UNROLL: 1, MM: 4, MN: 2, KF: 2 });
      const opts = sgmatConsts(sgm, h200, '64x64/32x32/32+unroll') as Record<string, number>;
      assert.deepEqual([opts.ST, opts.UNROLL], [0, 1]);
      assert.equal(sgmatLabel(opts), '64x64/32x32/32+unroll');
      assert.match(String(sgmatConsts(sgm, h200, '64x64/32x32/32+direct')), /has the option \+direct; the options are \+store, \+unroll/);
      // A device that cannot hold the first tile gets the next that fits, not f32 ...
      const second = (limits: typeof h200) => sgmatLabel(sgmatConsts(sgm, limits) as Record<string, number>);
      assert.equal(second({ ...h200, maxComputeWorkgroupStorageSize: 32 * KiB }), '64x64/32x32/32+store+unroll');
      assert.equal(second({ ...h200, maxComputeInvocationsPerWorkgroup: 128 }), '64x64/32x32/32+store+unroll');
      // ... and where none fits, says why for each.
      assert.equal(
        sgmatConsts(sgm, { ...h200, maxComputeWorkgroupStorageSize: 16 * KiB }),
        "the tile 128x128/64x32/32+store+unroll needs 49152 bytes of workgroup memory, above this GPU's 16384; the tile 64x64/32x32/32+store+unroll needs 24576 bytes of workgroup memory, above this GPU's 16384",
      );
      // A tile asked for (SAMBA_SGMAT_TILE, for benches) is that tile or why not, never another.
      assert.match(String(sgmatConsts(sgm, { ...h200, maxComputeWorkgroupStorageSize: 32 * KiB }, SGMAT_DEFAULT_TILE)), /needs 49152 bytes of workgroup memory, above this GPU's 32768/);
      process.env.SAMBA_SGMAT_TILE = '64x128/32x64/32';
      assert.equal(sgmatLabel(sgmatConsts(sgm, h200) as Record<string, number>), '64x128/32x64/32');
      delete process.env.SAMBA_SGMAT_TILE;
      assert.equal(pickMatmul(undefined, false, true, 48 * KiB, consts), 'sgmat');
      assert.equal(pickMatmul(undefined, false, true, 48 * KiB, 'off: the adapter does not offer it'), 'f16');
      assert.equal(pickMatmul(undefined, true, true, 48 * KiB, consts), 'f32');
      assert.equal(pickMatmul('f32', false, true, 48 * KiB, consts), 'f32');
      process.env.SAMBA_MATMUL = 'f32';
      assert.equal(pickMatmul(undefined, false, true, 48 * KiB, consts), 'f32');
      delete process.env.SAMBA_MATMUL;
      assert.throws(() => pickMatmul('sgmat', false, true, 48 * KiB, 'off: no config'), (e: unknown) => e instanceof SambaError && /sgmat prompt matmul cannot run: off: no config.*"f32"/.test(e.message));
      assert.match(String(sgmatConsts(sgm, h200, '128x128')), /not of the form TMxTN\/WMxWN\/TK/);
      assert.match(String(sgmatConsts(sgm, h200, '128x128/48x32/32')), /does not split into 16x16x16/);
      assert.match(String(sgmatConsts(sgm, h200, '128x128/16x16/32')), /needs 2048 invocations/);
      // The adapter's side: the feature, one subgroup size, an f16 -> f32 configuration.
      const feats = new Set(['chromium-experimental-subgroup-matrix', 'subgroups', 'shader-f16']);
      const cfg = (componentType: string, resultComponentType: string, M: number, N: number, K: number) => ({ componentType, resultComponentType, M, N, K });
      const h200Info = { subgroupMinSize: 32, subgroupMaxSize: 32, subgroupMatrixConfigs: [cfg('f16', 'f16', 16, 16, 16), cfg('f16', 'f32', 16, 8, 16), cfg('f16', 'f32', 16, 16, 16), cfg('i8', 'i32', 16, 16, 32)] };
      assert.deepEqual(subgroupMatrixSupport({ features: feats, info: h200Info }), sgm);
      assert.equal(subgroupMatrixSupport({ features: new Set(['subgroups', 'shader-f16']), info: h200Info }), 'the adapter does not offer chromium-experimental-subgroup-matrix');
      assert.equal(subgroupMatrixSupport({ features: feats, info: { ...h200Info, subgroupMinSize: 16 } }), 'its subgroup size varies (16-32)');
      assert.match(String(subgroupMatrixSupport({ features: feats, info: { ...h200Info, subgroupMatrixConfigs: [cfg('i8', 'i32', 16, 16, 32)] } })), /no f16 -> f32 subgroup-matrix configuration \(offered: i8->i32 16x16x32\)/);
    } finally {
      for (const [k, v] of [['SAMBA_MATMUL', saved.mm], ['SAMBA_SGMAT_TILE', saved.tile]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
