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
