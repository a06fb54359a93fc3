// Scoring text: out[t] = log softmax(logits[t, :V])[targets[t]], one workgroup per row. The
// log-softmax stays on the GPU, so scoring T tokens reads back T numbers instead of T rows of V.
struct Params {
  V: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const WG: u32 = 256u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) g: vec3<u32>) {
  let row = g.x * P.V;
  var m = -3.0e38;
  for (var i = li; i < P.V; i += WG) { m = max(m, logits[row + i]); }
  red[li] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (li < s) { red[li] = max(red[li], red[li + s]); }
    workgroupBarrier();
  }
  let mx = red[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var i = li; i < P.V; i += WG) { sum += exp(logits[row + i] - mx); }
  red[li] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (li < s) { red[li] += red[li + s]; }
    workgroupBarrier();
  }
  if (li == 0u) { out[g.x] = logits[row + targets[g.x]] - mx - log(red[0]); }
}
