// The attention kernels alone, on a model shape's heads (default transformer-421m: 12 query heads,
// 4 KV heads, head_dim 128), full causal attention over a KV cache of one layer:
//  - prompts: kernels/attention_tiled.wgsl on a chunk of 2048 queries whose first position is
//    each --prefill-at value (so keys = that + up to 2048); FLOP/s counts the causal QK and PV
//    products actually needed (4 * head_dim per visible (query, key, head));
//  - decoding: kernels/attention_decode.wgsl (+ attn_combine.wgsl) for one query at each
//    --decode-at context, with the engine's split rule; GB/s counts K and V bytes read once.
// n dispatches are recorded in one pass and submitted once. One JSON line each.
// usage: node dist/attention-speed.js [--shape transformer-421m] [--prefill-at 0,14336,63488]
//        [--decode-at 1024,16384,65536] [--chunk 2048] [--reps 20]
import { cliArgs } from '../src/cli-args';
import { parseConfig } from '../src/model/config';
import { acquireGpu } from '../src/gpu/device';
import { PipelineCache } from '../src/gpu/kernels';
import { Recorder, f } from '../src/gpu/recorder';
import { createBuffer } from '../src/gpu/tensor';
import { SHAPES } from './random-model';

// Same as the engine's decode split rule (src/gpu/engine.ts, attention branch of recordForward).
const MAX_SPLIT = 256;
const TARGET_WORKGROUPS = 528;
const SPLIT_KEYS = 64;

const USAGE = `usage: node dist/attention-speed.js [--shape transformer-421m] [--prefill-at 0,14336,63488]
       [--decode-at 1024,16384,65536] [--chunk 2048] [--reps 20]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    shape: { type: 'string', default: 'transformer-421m', choices: Object.keys(SHAPES) },
    'prefill-at': { type: 'ints', default: [0, 14336, 63488], min: 0, max: 1 << 20 },
    'decode-at': { type: 'ints', default: [1024, 16384, 65536], min: 1, max: 1 << 20 },
    chunk: { type: 'int', default: 2048, min: 1, max: 1 << 16 },
    reps: { type: 'int', default: 20, min: 1, max: 100_000 },
  });
  const shape = values.shape!;
  const c = parseConfig(SHAPES[shape], shape);
  const H = c.nHead, G = c.nKvHead, hd = c.headDim, R = H / G;
  const T = Number(values.chunk);
  const reps = Number(values.reps);
  const prefillAt = values['prefill-at'];
  const decodeAt = values['decode-at'];
  const cap = Math.max(...prefillAt.map((p) => p + T), ...decodeAt, 64);
  const { device, adapterName } = await acquireGpu();
  const pipes = new PipelineCache(device, 'f16');
  const rec = new Recorder(device);
  const stride = (H + 2 * G) * hd;
  const filled = (floats: number, label: string, seed: number) => {
    const b = createBuffer(device, floats * 4, label);
    const piece = new Float32Array(Math.min(floats, 1 << 22));
    for (let i = 0; i < piece.length; i++) piece[i] = (((i * 7919 + seed) % 2003) / 2003 - 0.5) * 0.5;
    for (let off = 0; off < floats; off += piece.length) device.queue.writeBuffer(b, off * 4, piece, 0, Math.min(piece.length, floats - off));
    return b;
  };
  const kc = filled(cap * G * hd, 'k cache', 1);
  const vc = filled(cap * G * hd, 'v cache', 2);
  const qkv = filled(T * stride, 'qkv', 3);
  const att = createBuffer(device, T * H * hd * 4, 'att');
  const part = createBuffer(device, MAX_SPLIT * H * (hd + 2) * 4, 'attn part');
  const scale = f(1 / Math.sqrt(hd));
  const time = async (record: () => void) => {
    const run = (n: number) => {
      for (let i = 0; i < n; i++) record();
      rec.submit();
      return device.queue.onSubmittedWorkDone();
    };
    await run(2);
    const t0 = performance.now();
    await run(reps);
    return ((performance.now() - t0) * 1000) / reps;
  };
  const base = { device: adapterName, shape, heads: H, kvHeads: G, headDim: hd };

  for (const pos0 of prefillAt) {
    const us = await time(() => rec.dispatch(pipes.get('attention_tiled', { HD: hd }), [T, H, G, hd, pos0, cap, cap, stride, scale], [qkv, kc, vc, att], [H, Math.ceil(T / 64)]));
    // Visible keys: pos0 + t + 1 for query t.
    const pairs = T * pos0 + (T * (T + 1)) / 2;
    const flop = 4 * hd * H * pairs;
    console.log(JSON.stringify({ kind: 'attention-prefill', ...base, queries: T, firstPosition: pos0, keys: pos0 + T, us: +us.toFixed(1), TFLOPs: +(flop / us / 1e6).toPrecision(3) }));
  }

  for (const ctx of decodeAt) {
    const pos0 = ctx - 1;
    const groups = G * Math.ceil(R / 4);
    const keys = ctx;
    let nSplit = Math.max(1, Math.min(Math.ceil(keys / SPLIT_KEYS), Math.ceil(TARGET_WORKGROUPS / groups), MAX_SPLIT));
    let splitLen = cap;
    if (nSplit > 1) {
      splitLen = Math.ceil(Math.ceil(keys / nSplit) / SPLIT_KEYS) * SPLIT_KEYS;
      nSplit = Math.ceil(keys / splitLen);
    }
    if (nSplit === 1) splitLen = cap;
    const us = await time(() => {
      rec.dispatch(pipes.get('attention_decode', { HD: hd }), [1, H, G, hd, pos0, cap, cap, stride, scale, nSplit, splitLen, R], [qkv, kc, vc, att, part], [groups, nSplit, 1]);
      if (nSplit > 1) rec.dispatch(pipes.get('attn_combine'), [1, H, hd, nSplit], [part, att], [H, 1]);
    });
    const bytes = 2 * keys * G * hd * 4;
    console.log(JSON.stringify({ kind: 'attention-decode', ...base, context: ctx, splits: nSplit, workgroups: groups * nSplit, us: +us.toFixed(1), kvBytes: bytes, GBps: +(bytes / us / 1000).toPrecision(3) }));
  }
  rec.dispose();
  device.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
