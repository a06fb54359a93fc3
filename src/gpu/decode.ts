/**
 * Greedy decoding on the GPU: a one-token forward, then argmax of its logits on the device, so a
 * step reads back 4 bytes instead of [V] (stepArgmax), or nothing until the last step (greedy).
 */
import { recordForward, type Pass } from './forward';
import type { GpuState } from './state';
import { createBuffer } from './tensor';

/** Feeds `token` to `s` (checked and ready) and returns the argmax of its logits. */
export async function stepArgmax(p: Pass, s: GpuState, token: number): Promise<number> {
  const { act, ops } = p.fwd;
  p.device.queue.writeBuffer(act.tokens, 0, Uint32Array.of(token));
  recordForward(p.fwd, s, 1, 'last');
  s.position += 1;
  ops.argmax(act.logits, act.argmax, act.dummy, 0);
  return new Uint32Array(await p.watch.read(act.argmax, 4))[0];
}

/** Feeds `token`, then each argmax back in, `count` times, with one read-back at the end; returns the `count` ids. */
export async function greedy(p: Pass, s: GpuState, token: number, count: number): Promise<number[]> {
  const { act, ops, rec } = p.fwd;
  const ids = createBuffer(p.device, count * 4, 'greedy ids');
  try {
    p.device.queue.writeBuffer(act.tokens, 0, Uint32Array.of(token));
    // Each step: forward, then argmax into act.tokens (the next step's token) and ids[i].
    for (let i = 0; i < count; i++) {
      p.watch.alive();
      recordForward(p.fwd, s, 1, 'last');
      s.position += 1;
      ops.argmax(act.logits, act.tokens, ids, i);
      rec.submit();
    }
    return Array.from(new Uint32Array(await p.watch.read(ids, count * 4)));
  } finally {
    ids.destroy();
  }
}
