// Where a decoded token's time goes (greedy loop on the GPU), one JSON line per figure:
//  - "decode": tokens/s as the engine runs, and the host's share (recording + encoding + submit);
//  - "gpu-only": the same steps recorded first and submitted together, so the host is out of the
//    way (the parameters of the last step serve all of them: same shapes, same work);
//  - "kernel": the GPU time of each kernel's dispatches of one token, repeated in one pass.
// usage: node dist/decode-profile.js [--shape samba-421m | --model DIR] [--context 1024] [--tokens 64] [--reps 50]
//        [--weights f16|i8] [--matvec-wg 256] [--matvec-max-groups N] [--matvec-min-groups N] [--split-keys 64]   (the engine's tuning options)
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { createGpuEngine } from '../src/gpu/engine';
import { randomModel, SHAPES } from './random-model';
import { hostTimer, timeCalls, timePass } from './host-timer';

type Op = { kind: string; pipeline?: GPUComputePipeline; buffers?: GPUBuffer[]; paramOffset?: number; groups?: [number, number, number] };
type RecorderInside = { ops: Op[]; submit: () => void; paramBuffer: GPUBuffer };

const USAGE = `usage: node dist/decode-profile.js [--shape samba-421m | --model DIR] [--context 1024] [--tokens 64] [--reps 50]
       [--weights f16|i8] [--matvec-wg N] [--matvec-max-groups N] [--matvec-min-groups N] [--split-keys N]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string' },
    shape: { type: 'string', default: 'samba-421m', choices: Object.keys(SHAPES) },
    context: { type: 'int', default: 1024, min: 1, max: 1 << 20 },
    tokens: { type: 'int', default: 64, min: 1, max: 1 << 16 },
    reps: { type: 'int', default: 50, min: 1, max: 100_000 },
    'matvec-wg': { type: 'int', min: 1, max: 1024 },
    'matvec-max-groups': { type: 'int', min: 1, max: 1 << 16 },
    'matvec-min-groups': { type: 'int', min: 1, max: 1 << 16 },
    'split-keys': { type: 'int', min: 1, max: 1 << 20 },
    weights: { type: 'string', default: 'f16', choices: ['f16', 'i8'] },
  });
  const model = values.model ? await loadModel(values.model) : randomModel(values.shape!);
  const tuning = {
    ...(values['matvec-wg'] ? { matvecWorkgroup: Number(values['matvec-wg']) } : {}),
    ...(values['matvec-max-groups'] ? { matvecMaxGroups: Number(values['matvec-max-groups']) } : {}),
    ...(values['matvec-min-groups'] ? { matvecGroups: Number(values['matvec-min-groups']) } : {}),
    ...(values['split-keys'] ? { splitKeys: Number(values['split-keys']) } : {}),
  };
  const engine = await createGpuEngine(model, { weights: values.weights as 'f16' | 'i8', ...tuning });
  const device = engine.gpuDevice;
  const rec = (engine as unknown as { rec: RecorderInside }).rec;
  const n = Number(values.context), m = Number(values.tokens), reps = Number(values.reps);
  const V = model.config.vocabSize;
  const base = { model: values.model ?? values.shape, device: engine.deviceName, weights: values.weights, context: n, ...tuning };
  const state = engine.newState({ capacity: n + 4 * m + 16 });
  await engine.prefill(Array.from({ length: n }, (_, i) => (i * 7919 + 13) % V), state);
  await engine.greedy(1, 8, state); // warm-up: pipelines and bind groups of the decoding step

  // As the engine runs.
  // hostMsPerToken: recording + encoding + submitting; submitMsPerToken: the part in queue.submit
  // (Dawn's backend and the driver); writeMsPerToken: in queue.writeBuffer (the step's parameters).
  for (let r = 0; r < 2; r++) {
    const host = hostTimer(engine);
    const submit = timeCalls(device.queue, 'submit');
    const write = timeCalls(device.queue, 'writeBuffer');
    const t0 = performance.now();
    try {
      await engine.greedy(1, m, state);
    } finally {
      submit.restore();
      write.restore();
    }
    const ms = performance.now() - t0;
    const hostMs = host.stop();
    const per = (x: number) => +(x / m).toFixed(3);
    console.log(JSON.stringify({ ...base, kind: 'decode', tokens: m, msPerToken: per(ms), tokensPerS: +((1000 * m) / ms).toFixed(1), hostMsPerToken: per(hostMs), submitMsPerToken: per(submit.ms()), writeMsPerToken: per(write.ms()) }));
  }

  // GPU only: hold the token steps' command buffers back, then submit them all when the
  // read-back is about to wait for them.
  {
    const queue = device.queue;
    const submit = queue.submit.bind(queue);
    const proto = (globalThis as unknown as { GPUBuffer: { prototype: GPUBuffer } }).GPUBuffer.prototype;
    const mapAsync = proto.mapAsync;
    const held: GPUCommandBuffer[] = [];
    let t0 = 0;
    queue.submit = (cbs: Iterable<GPUCommandBuffer>) => void held.push(...cbs);
    proto.mapAsync = function (this: GPUBuffer, ...a: Parameters<GPUBuffer['mapAsync']>) {
      t0 = performance.now();
      submit(held.splice(0));
      return mapAsync.apply(this, a);
    };
    try {
      await engine.greedy(1, m, state);
    } finally {
      queue.submit = submit;
      proto.mapAsync = mapAsync;
    }
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ ...base, kind: 'gpu-only', tokens: m, msPerToken: +(ms / m).toFixed(3), tokensPerS: +((1000 * m) / ms).toFixed(1) }));
  }

  // Each kernel alone: one token's dispatches of that kernel, `reps` times in one pass.
  const ops: Op[] = [];
  const submit = rec.submit;
  rec.submit = function (this: RecorderInside) {
    ops.push(...this.ops.filter((o) => o.kind === 'dispatch'));
    submit.call(this);
  };
  try {
    await engine.stepArgmax(1, state);
  } finally {
    rec.submit = submit;
  }
  const empty = await timePass(device, () => {});
  const byKernel = new Map<string, Op[]>();
  for (const o of ops) {
    const key = `${o.pipeline!.label} ${o.groups!.join('x')}`;
    byKernel.set(key, [...(byKernel.get(key) ?? []), o]);
  }
  let total = 0;
  for (const [key, list] of byKernel) {
    const groups = list.map((o) =>
      device.createBindGroup({
        layout: o.pipeline!.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: rec.paramBuffer, offset: o.paramOffset!, size: 256 } }, ...o.buffers!.map((buffer, i) => ({ binding: i + 1, resource: { buffer } }))],
      }),
    );
    const ms = await timePass(device, (pass) => {
      for (let r = 0; r < reps; r++) {
        list.forEach((o, i) => {
          pass.setPipeline(o.pipeline!);
          pass.setBindGroup(0, groups[i]);
          pass.dispatchWorkgroups(...o.groups!);
        });
      }
    });
    const us = ((ms - empty) * 1000) / reps;
    total += us;
    console.log(JSON.stringify({ ...base, kind: 'kernel', kernel: key, dispatchesPerToken: list.length, usPerToken: +us.toFixed(1), usPerDispatch: +(us / list.length).toFixed(2) }));
  }
  console.log(JSON.stringify({ ...base, kind: 'kernel-sum', dispatchesPerToken: ops.length, usPerToken: +total.toFixed(1) }));
  engine.release(state);
  await engine.dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
