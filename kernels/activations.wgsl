// Pointwise functions shared by several kernels.

fn silu(x: f32) -> f32 {
  return x / (1.0 + exp(-x));
}

// PyTorch's softplus (beta 1, threshold 20): linear above 20; exp(x) far below 0 where
// log(1 + exp(x)) would round to 0 in f32 while the true value is still representable.
fn softplus(x: f32) -> f32 {
  if (x > 20.0) { return x; }
  if (x < -15.0) { return exp(x); }
  return log(1.0 + exp(x));
}

// cos and sin of a RoPE angle (position * inverse frequency), reduced to [-pi, pi] first with a
// two-part 2*pi (Cody-Waite), because GPU sin/cos are only accurate near zero.
fn ropeCosSin(angle: f32) -> vec2<f32> {
  let k = round(angle * 0.15915494309189535);
  let r = (angle - k * 6.28125) - k * 0.0019353071795864769;
  return vec2<f32>(cos(r), sin(r));
}
