/**
 * The forward pass of Samba, recorded as WGSL dispatches, read top to bottom as llama2.c's
 * forward(): embedding, then per layer its mixer (Mamba or sliding-window attention) and SwiGLU
 * MLP, each adding into the residual x, then the final norm and LM head. Shape names as in
 * src/gpu/engine.ts.
 */
import { SambaError } from '../model/errors';
import type { ModelConfig } from '../model/config';
import type { Activations } from './activations';
import type { Ops } from './ops';
import type { Recorder } from './recorder';
import type { GpuState, GpuStates } from './state';
import type { DeviceWatch } from './watch';
import type { GpuModel } from './weights';

/** A state taken inside a prompt chunk: it becomes the state after the chunk's first r tokens. */
export type Stop = { readonly r: number; readonly state: GpuState };

/** What a forward records with: the model's config and weights, the ops, the working buffers. */
export interface ForwardParts {
  readonly config: ModelConfig;
  readonly w: GpuModel;
  readonly ops: Ops;
  readonly act: Activations;
  readonly rec: Recorder;
  /** The stops' token offsets (u32) and the scan's states there [stops, Di, N]; needed when stops are given. */
  readonly stopAt?: GPUBuffer;
  readonly stopH?: GPUBuffer;
}

/** What the engine's passes (prefill, read, decode) run with: the device, its states and its watch, and the forward's parts. */
export interface Pass {
  readonly device: GPUDevice;
  readonly fwd: ForwardParts;
  readonly states: GpuStates;
  readonly watch: DeviceWatch;
}

/**
 * Records the forward of T tokens (already in act.tokens) at state.position. `stops` (T > 4, each
 * r in 1..T-1, their offsets already in stopAt) are states that become the state after the chunk's
 * first r tokens: each layer writes them from inside the pass.
 */
export function recordForward(parts: ForwardParts, state: GpuState, T: number, logits: 'none' | 'last' | 'all', stops: readonly Stop[] = []): void {
  const c = parts.config;
  const { ops, act: a, w, rec } = parts;
  const pos0 = state.position;
  if (stops.length && (T <= 4 || stops.some((p) => p.r < 1 || p.r >= T))) throw new Error('recordForward: stops inside a prompt chunk only');
  const Di = c.dInner, K = c.dConv;
  const cap = state.capacity;
  // A stop's keys and values are the ring before the chunk with its first r keys written. While the
  // chunk fits the ring, those r keys are still in the ring after it: both parts are copies, made
  // before the first layer and after the last, so the stops add no dispatches (and no bind groups)
  // and break the chunk's compute passes twice, not once per stop and layer.
  const ringCopies = stops.length > 0 && T <= cap;
  // Before anything changes the state: the rings, and conv inputs a stop needs from before the chunk.
  for (const { r, state: st } of stops) {
    state.layers.forEach((S, i) => {
      const [b0, b1] = S.buffers;
      if (S.kind === 'attention' && ringCopies) {
        rec.copy(b0, 0, st.layers[i].buffers[0], 0, b0.size);
        rec.copy(b1, 0, st.layers[i].buffers[1], 0, b1.size);
      } else if (S.kind === 'mamba') {
        for (let j = 0; j < K - 1; j++) {
          const q = r - (K - 1) + j; // chunk row of the input; before the chunk: the conv state's
          if (q < 0) rec.copy(b0, (q + K - 1) * Di * 4, st.layers[i].buffers[0], j * Di * 4, Di * 4);
        }
      }
    });
  }
  ops.embed(T, w.embed, a.tokens, a.x);
  w.layers.forEach((L, i) => {
    const S = state.layers[i];
    if (L.kind !== S.kind) throw new SambaError('state', `Layer ${i}: the state does not match the model's mixer.`);
    if (L.kind === 'mamba') {
      const [conv, h] = S.buffers;
      if (T === 1 && L.dtProj.blocks.length === 1) {
        // One token: in_proj's epilogue runs the conv (x's half of xz becomes the conv output and
        // the conv state shifts), then x_proj and the one-token scan (with dt_proj) read it there.
        ops.linear(L.inProj, a.x, a.xz, T, { bias: L.inProjBias, norm: L.norm1, conv: { params: L.conv, state: conv } });
        ops.linear(L.xProj, a.xz, a.dbc, T, {});
        ops.scanStep(L, a.xz, a.dbc, a.xz, h, a.y);
      } else {
        ops.linear(L.inProj, a.x, a.xz, T, { bias: L.inProjBias, norm: L.norm1 }, a.xn);
        if (T <= 4) ops.convStep(T, a.xz, L.conv, conv, a.xc);
        else ops.conv(T, a.xz, L.conv, conv, a.xc);
        ops.linear(L.xProj, a.xc, a.dbc, T, {});
        ops.linear(L.dtProj, a.dbc, a.dt, T, { xStride: c.dtRank + 2 * c.dState, bias: L.dtBias });
        ops.scan(T, L, a.xc, a.dbc, a.dt, a.xz, h, a.y, stops.length ? { count: stops.length, at: parts.stopAt!, hOut: parts.stopH! } : undefined);
        // A stop's conv inputs from this chunk's x (xz rows, read-only until the next Mamba layer) and its scan state.
        const hBytes = Di * c.dState * 4;
        stops.forEach(({ r, state: st }, k) => {
          for (let j = 0; j < K - 1; j++) {
            const q = r - (K - 1) + j;
            if (q >= 0) rec.copy(a.xz, q * 2 * Di * 4, st.layers[i].buffers[0], j * Di * 4, Di * 4);
          }
          rec.copy(parts.stopH!, k * hBytes, st.layers[i].buffers[1], 0, hBytes);
        });
      }
      ops.linear(L.outProj, a.y, a.x, T, { accumulate: true, bias: L.outProjBias });
    } else {
      const [k, v] = S.buffers;
      const window = Number.isFinite(c.window) ? Math.min(c.window, cap) : cap;
      // Decoding: the qkv matvec rotates, and for one token writes the key and value to the cache
      // (a few tokens write after attention: a later one may take a slot an earlier one still reads).
      const ropeInMatvec = T <= 4 && L.qkv.blocks.length === 1;
      const cacheWritten = ropeInMatvec && T === 1;
      if (ropeInMatvec) {
        ops.linear(L.qkv, a.x, a.qkv, T, { norm: L.norm1, rope: { invFreq: w.invFreq!, pos0, cap, writeCache: cacheWritten, k, v } });
      } else {
        ops.linear(L.qkv, a.x, a.qkv, T, { norm: L.norm1 }, a.xn);
        ops.rope(T, pos0, w.invFreq!, a.qkv);
      }
      ops.attention(T, pos0, cap, window, a.qkv, k, v, a.att, a.attnPart);
      // A chunk longer than the ring: each stop's ring is the one before the chunk with its first r keys written here.
      if (!ringCopies) {
        for (const { r, state: st } of stops) {
          const [sk, sv] = st.layers[i].buffers;
          rec.copy(k, 0, sk, 0, k.size);
          rec.copy(v, 0, sv, 0, v.size);
          ops.kvWrite(r, pos0, cap, a.qkv, sk, sv);
        }
      }
      if (!cacheWritten) ops.kvWrite(T, pos0, cap, a.qkv, k, v);
      ops.linear(L.out, a.att, a.x, T, { accumulate: true });
    }
    if (L.mlp) {
      ops.linear(L.mlp.gateUp, a.x, a.gu, T, { norm: L.mlp.norm2 }, a.xn);
      ops.linear(L.mlp.down, a.gu, a.x, T, { swiglu: true, accumulate: true }, a.h);
    }
  });
  // After the last layer: a stop's first r keys and values, slots pos0 .. pos0 + r - 1 of the ring (wrapping).
  if (ringCopies) {
    const slot = c.nKvHead * c.headDim * 4;
    for (const { r, state: st } of stops) {
      const first = pos0 % cap;
      const runs = first + r <= cap ? [[first, r]] : [[first, cap - first], [0, first + r - cap]];
      state.layers.forEach((S, i) => {
        if (S.kind !== 'attention') return;
        for (const [from, n] of runs) S.buffers.forEach((b, j) => rec.copy(b, from * slot, st.layers[i].buffers[j], from * slot, n * slot));
      });
    }
  }
  if (logits === 'last') ops.linear(w.lmHead, a.x, a.logits, 1, { norm: w.normF, xOff: (T - 1) * c.dModel });
  else if (logits === 'all') ops.linear(w.lmHead, a.x, a.logits, T, { norm: w.normF }, a.xn);
}
