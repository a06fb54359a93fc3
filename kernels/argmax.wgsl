// Greedy sampling on the GPU: the index of the largest logit (the lowest index on ties, NaN
// never wins), one workgroup, so decoding can read back 4 bytes instead of the logits. A lone
// workgroup is bound by load latency: each thread keeps 8 loads in flight per round.
// The id goes to result[0] (the next step's token when decoding on the GPU) and to ids[slot]
// (the generated ids), so no copy has to split the step's compute pass.
struct Params {
  V: u32,
  off: u32,  // logits row start
  slot: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<u32>;
@group(0) @binding(3) var<storage, read_write> ids: array<u32>;

const WG: u32 = __WG__u;
const UNROLL: u32 = 8u;
var<workgroup> bestV: array<f32, WG>;
var<workgroup> bestI: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  var bv = -3.0e38;
  var bi = 0xffffffffu;
  for (var base = li; base < P.V; base += UNROLL * WG) {
    var v: array<f32, UNROLL>;
    for (var k = 0u; k < UNROLL; k++) { v[k] = logits[P.off + min(base + k * WG, P.V - 1u)]; }
    for (var k = 0u; k < UNROLL; k++) {
      let i = base + k * WG;
      if (i < P.V && (v[k] > bv || (bi == 0xffffffffu && v[k] == bv))) { bv = v[k]; bi = i; }
    }
  }
  bestV[li] = bv;
  bestI[li] = bi;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (li < stride) {
      let ov = bestV[li + stride];
      let oi = bestI[li + stride];
      if (ov > bestV[li] || (ov == bestV[li] && oi < bestI[li])) {
        bestV[li] = ov;
        bestI[li] = oi;
      }
    }
    workgroupBarrier();
  }
  if (li == 0u) {
    let id = select(bestI[0], 0u, bestI[0] == 0xffffffffu);
    result[0] = id;
    ids[P.slot] = id;
  }
}
