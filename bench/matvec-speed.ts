// The decoding matvec alone (kernels/matvec.wgsl), on f16 weights of Samba-421M's matrices with
// the prologue the engine gives each (RMSNorm, SwiGLU or none) and the engine's lanes. Each
// timing cycles through enough copies of the matrix (over 200 MB) that the weights come from
// memory, not the 50 MB L2, as in decoding. GPU time from the submit on (the encoding is done by
// then; best of five passes after three to warm the clocks); a tiny matrix gives the cost of
// one dispatch and its barrier. One JSON line each.
// usage: node dist/matvec-speed.js [--reps 96] [--kernels a.wgsl,b.wgsl] [--wg 256] [--max-groups 0]
// --kernels: other versions of the kernel to compare (same bindings and parameters; they may use
// the constants WG, LANES, QPL, UQ and XPT); --wg: threads per workgroup; --max-groups: grid caps
// (0: a workgroup per row block).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliArgs } from '../src/cli-args';
import { acquireGpu } from '../src/gpu/device';
import { findKernelDir } from '../src/gpu/kernels';
import { matvecLanes } from '../src/gpu/ops';
import { Recorder, f } from '../src/gpu/recorder';
import { createBuffer, readFloats, uploadWeight } from '../src/gpu/tensor';

const SHAPES: [name: string, rows: number, cols: number, prologue: 0 | 1 | 2][] = [
  ['tiny 64x64', 64, 64, 0],
  ['x_proj 128x3072', 128, 3072, 0],
  ['attn out 1536x1536', 1536, 1536, 0],
  ['out_proj 1536x3072', 1536, 3072, 0],
  ['mlp down 1536x4096 (SwiGLU)', 1536, 4096, 2],
  ['qkv 4608x1536 (RMSNorm)', 4608, 1536, 1],
  ['in_proj 6144x1536 (RMSNorm)', 6144, 1536, 1],
  ['mlp gate_up 8192x1536 (RMSNorm)', 8192, 1536, 1],
  ['lm_head 32000x1536 (RMSNorm)', 32000, 1536, 1],
];

const USAGE = `usage: node dist/matvec-speed.js [--reps 96] [--kernels a.wgsl,b.wgsl] [--wg 256] [--max-groups 0]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    reps: { type: 'int', default: 96, min: 1, max: 100_000 },
    kernels: { type: 'string' },
    wg: { type: 'ints', default: [256], min: 1, max: 1024 },
    'max-groups': { type: 'ints', default: [0], min: 0, max: 1 << 16 },
  });
  const reps = Number(values.reps);
  const { device, adapterName, maxBinding } = await acquireGpu();
  const dir = findKernelDir();
  const preamble = ['weights_f16', 'activations'].map((k) => readFileSync(path.join(dir, `${k}.wgsl`), 'utf8')).join('\n');
  const kernels = values.kernels ? values.kernels.split(',') : [path.join(dir, 'matvec.wgsl')];
  const wgs = values.wg;
  const caps = values['max-groups'];
  const rec = new Recorder(device);
  const UQ = 4096 / 4;
  const pipelines = new Map<string, GPUComputePipeline>();
  const pipeline = (file: string, consts: Record<string, number>) => {
    const key = `${file}:${JSON.stringify(consts)}`;
    let p = pipelines.get(key);
    if (!p) {
      let code = `${preamble}\n${readFileSync(file, 'utf8')}`;
      if (!code.includes('__WG__')) consts = { ...consts, WG: 256 };
      for (const [k, v] of Object.entries(consts)) code = code.split(`__${k}__`).join(String(v));
      p = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
      pipelines.set(key, p);
    }
    return p;
  };
  for (const [name, rows, cols, prologue] of SHAPES) {
    const data = new Float32Array(rows * cols).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const bytes = rows * Math.ceil(cols / 8) * 16;
    const copies = Math.min(256, Math.max(2, Math.ceil(200e6 / bytes)));
    const Ws = Array.from({ length: copies }, () => uploadWeight(device, name, [{ name, shape: [rows, cols], data, sourceDtype: 'F16' }], [[rows, cols]], 'f16', maxBinding));
    const x = createBuffer(device, 2 * cols * 4, 'x');
    device.queue.writeBuffer(x, 0, new Float32Array(2 * cols).map((_, i) => Math.sin(i)));
    const g = createBuffer(device, cols * 4, 'g');
    device.queue.writeBuffer(g, 0, new Float32Array(cols).fill(1));
    const y = createBuffer(device, rows * 4, 'y');
    const dummy = createBuffer(device, 16, 'dummy');
    const scratchA = createBuffer(device, 16, 'scratch A');
    const scratchB = createBuffer(device, 16, 'scratch B');
    const quads = Ws[0].pairs / 4;
    let want: Float32Array | undefined; // the first kernel's y: the others must agree
    for (const file of kernels) {
      for (const WG of wgs) {
        for (const cap of caps) {
          const lanes = matvecLanes(rows, quads, 128, WG);
          const groups = Math.ceil(rows / ((2 * WG) / lanes));
          const gx = cap > 0 ? Math.min(groups, cap) : groups;
          const consts = { WG, LANES: lanes, QPL: Math.ceil(quads / lanes), UQ, XPT: Math.ceil((8 * quads) / WG) };
          const p = pipeline(file, consts);
          // The same recording twice, so the second finds its bind groups cached, as decoding does.
          device.queue.writeBuffer(y, 0, new Float32Array(rows));
          const run = async () => {
            for (let i = 0; i < reps; i++) {
              rec.dispatch(p, [1, cols, quads, rows, 0, cols, 0, rows, 0, 0, 0, prologue, f(1e-5), 0, 0, 4, 0, 0, 0, 0, 1, 0], [x, Ws[i % copies].blocks[0].buffer, dummy, g, y, dummy, scratchA, scratchB], [gx, 1, 1]);
            }
            const e0 = performance.now();
            rec.submit();
            const t0 = performance.now();
            await device.queue.onSubmittedWorkDone();
            return { gpu: performance.now() - t0, encode: t0 - e0 };
          };
          // The GPU's clocks drop while the host prepares the next matrix: warm them, then take
          // the best of five passes.
          let gpu = Infinity, encode = 0;
          for (let i = 0; i < 8; i++) {
            const t = await run();
            if (i >= 3 && t.gpu < gpu) ({ gpu, encode } = t);
          }
          const us = (gpu * 1000) / reps;
          const got = await readFloats(device, y, rows);
          want ??= got;
          const maxDiff = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want![i])), 0);
          console.log(
            JSON.stringify({
              kind: 'matvec', device: adapterName, kernel: path.basename(file), matrix: name, wg: WG, lanes, workgroups: gx, copies,
              maxDiff, usPerDispatch: +us.toFixed(2), encodeUsPerDispatch: +((encode * 1000) / reps).toFixed(2), weightBytes: bytes, GBps: +(bytes / us / 1000).toFixed(1),
            }),
          );
        }
      }
    }
    for (const W of Ws) W.blocks.forEach((b) => b.buffer.destroy());
    [x, g, y, dummy, scratchA, scratchB].forEach((b) => b.destroy());
  }
  rec.dispose();
  device.destroy();
}


main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
