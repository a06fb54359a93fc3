// What bounds decoding on this GPU: the decoding matvec (kernels/matvec.wgsl) alone, n dispatches
// recorded in one pass and submitted once (GPU time from the submit; the host's encoding apart), on f16 weights of the 421M shapes' matrices (achieved
// bandwidth) and on a tiny matrix (the cost of one dispatch and its barrier). One JSON line each.
// usage: node dist/matvec-speed.js [--reps 200]
import { parseArgs } from 'node:util';
import { acquireGpu } from '../src/gpu/device';
import { PipelineCache } from '../src/gpu/kernels';
import { Recorder, f } from '../src/gpu/recorder';
import { createBuffer, uploadWeight } from '../src/gpu/tensor';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reps: { type: 'string', default: '200' } } });
  const reps = Number(values.reps);
  const { device, adapterName, maxBinding } = await acquireGpu();
  const pipes = new PipelineCache(device, 'f16');
  const rec = new Recorder(device);
  const shapes: [string, number, number][] = [
    ['tiny 64x64', 64, 64],
    ['attn out 1536x1536', 1536, 1536],
    ['out_proj 1536x3072', 1536, 3072],
    ['mlp down 1536x4096', 1536, 4096],
    ['in_proj 6144x1536', 6144, 1536],
    ['mlp gate_up 8192x1536', 8192, 1536],
    ['lm_head 32000x1536', 32000, 1536],
  ];
  const UQ = 4096 / 4;
  for (const [name, rows, cols] of shapes) {
    const data = new Float32Array(rows * cols).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const W = uploadWeight(device, name, [{ name, shape: [rows, cols], data, sourceDtype: 'F16' }], [[rows, cols]], 'f16', maxBinding);
    const x = createBuffer(device, cols * 4, 'x');
    const y = createBuffer(device, rows * 4, 'y');
    const dummy = createBuffer(device, 16, 'dummy');
    const quads = W.pairs / 4;
    for (const lanes of [32, 64, 128, 256]) {
      const groups = Math.ceil(rows / (512 / lanes));
      // Times the GPU from the submit on: the encoding (host side) is done by then. The same
      // recording twice, so the second finds its bind groups cached, as decoding does.
      const run = async () => {
        for (let i = 0; i < reps; i++) {
          rec.dispatch(pipes.get('matvec', { LANES: lanes, QPL: Math.ceil(quads / lanes), UQ }), [1, cols, quads, rows, 0, cols, 0, rows, 0, 0, 0, 0, f(1e-5)], [x, W.blocks[0].buffer, dummy, dummy, y], [groups, 1, 1]);
        }
        const e0 = performance.now();
        rec.submit();
        const t0 = performance.now();
        await device.queue.onSubmittedWorkDone();
        return { gpu: performance.now() - t0, encode: t0 - e0 };
      };
      await run();
      const { gpu, encode } = await run();
      const us = (gpu * 1000) / reps;
      const encodeUs = +((encode * 1000) / reps).toFixed(2);
      const bytes = rows * W.pairs * 4;
      console.log(JSON.stringify({ kind: 'matvec', device: adapterName, matrix: name, lanes, workgroups: groups, usPerDispatch: +us.toFixed(2), encodeUsPerDispatch: encodeUs, weightBytes: bytes, GBps: +(bytes / us / 1000).toFixed(1) }));
    }
    W.blocks.forEach((b) => b.buffer.destroy());
    [x, y, dummy].forEach((b) => b.destroy());
  }
  rec.dispose();
  device.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
