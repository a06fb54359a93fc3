"""PyTorch side of the speed comparison: the same Samba-421M and GQA Transformer-421M shapes as
bench/random-model.ts, random weights, run by training/samba.py on one GPU, eager and with
torch.compile. Prints one JSON line per measurement, in the shape of bench/engine-speed.ts's
output, with "engine": "pytorch-eager" or "pytorch-compile".

    python3 training/bench_torch.py [--models samba-421m,transformer-421m] [--dtype bf16|f16]
        [--lengths 1024,4096,16384,65536] [--decode-at 1024] [--decode-tokens 32]
        [--modes eager,compile] [--budget-s 200]

Prefill: one prompt of N tokens from an empty state, batch 1, the Triton scan of training/scan.py
and F.scaled_dot_product_attention (`set_impl(scan="triton", attention="sdpa")`; the naive scan
keeps (L, Di, N) per step and cannot reach long prompts); logits of the last position only, as
our engine's prefill. Samba's sliding window goes to SDPA as a boolean mask, so its attention
still costs O(L^2) in PyTorch (no kernel here skips the masked blocks).

Decode: `Samba.step` (one token, recurrent conv/ssm state, K/V ring buffers of the window, or of
the context for the transformer), greedy with the argmax fed back on the GPU and no host sync
inside the timed loop (as engine-speed's "decode-gpu"). The state starts at position N with
random cache contents: decode time depends on the shapes only, and a 1K-token prefill through the
step path would cost more than the whole budget. `check_step` first verifies that the step path
gives the logits of `forward` on a tiny model (float32).

Measurements are ordered by importance (eager prefill and decode, then compiled decode, then
compiled prefill); one that would start after --budget-s seconds is skipped with a "skipped" line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import samba as S  # noqa: E402

# bench/random-model.ts SHAPES
SHAPES = {
    "samba-421m": dict(model_type="samba", vocab_size=32000, hidden_size=1536, num_hidden_layers=12,
                       num_attention_heads=12, num_key_value_heads=12, head_dim=128, intermediate_size=4096,
                       sliding_window=2048, state_size=16, conv_kernel=4, expand=2, time_step_rank=96),
    "transformer-421m": dict(model_type="transformer", vocab_size=32000, hidden_size=1536, num_hidden_layers=12,
                             num_attention_heads=12, num_key_value_heads=4, head_dim=128, intermediate_size=4096,
                             max_position_embeddings=131072),
}

T0 = time.time()
DEV = "cuda"


def emit(**kw):
    print(json.dumps(kw), flush=True)


def sync():
    torch.cuda.synchronize()


def state_bytes(cfg: S.SambaConfig, n: int) -> int:
    """f32 state at a length, as engine-speed.ts counts it (conv + ssm per Mamba layer, K + V per
    attention layer for min(window, n) positions)."""
    total = 0
    for i in range(cfg.num_hidden_layers):
        if cfg.is_mamba_layer(i):
            total += 4 * ((cfg.conv_kernel - 1) * cfg.d_inner + cfg.d_inner * cfg.state_size)
        else:
            cap = min(cfg.sliding_window, n) if cfg.model_type == "samba" else n
            total += 4 * 2 * cap * cfg.num_key_value_heads * cfg.head_dim
    return total


@torch.no_grad()
def check_step():
    """Samba.step token by token against Samba.forward (naive paths, float32) on tiny models."""
    worst = 0.0
    for mt in ("samba", "transformer"):
        cfg = S.SambaConfig(model_type=mt, vocab_size=64, hidden_size=32, num_hidden_layers=4, num_attention_heads=4,
                            num_key_value_heads=2, head_dim=8, intermediate_size=48,
                            sliding_window=5 if mt == "samba" else None, time_step_rank=4)
        torch.manual_seed(0)
        m = S.Samba(cfg).to(DEV).eval()
        toks = torch.randint(0, 64, (2, 13), device=DEV)
        S.set_impl(scan="naive", attention="naive")
        ref = m(toks)
        st = m.new_state(batch=2, capacity=13)
        got = torch.stack([m.step(toks[:, t], st, torch.tensor(t, device=DEV)) for t in range(13)], dim=1)
        worst = max(worst, (got - ref).abs().max().item())
    return worst


def build(name: str, dtype):
    cfg = S.SambaConfig(**SHAPES[name])
    torch.manual_seed(1)
    with torch.device(DEV):
        m = S.Samba(cfg)
    return m.to(dtype).eval()


def prefill_fn(m):
    def run(tokens):
        x = m.embed(tokens)
        for layer in m.layers:
            x = layer(x)
        x = m.norm_f(x[:, -1:])
        return F.linear(x, m.embed.weight)[:, 0]

    return run


def timed(fn, reps=1):
    sync()
    t = time.time()
    for _ in range(reps):
        out = fn()
    sync()
    return (time.time() - t) / reps, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="samba-421m,transformer-421m")
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "f16"])
    ap.add_argument("--lengths", default="1024,4096,16384,65536")
    ap.add_argument("--decode-at", default="1024")
    ap.add_argument("--decode-tokens", type=int, default=32)
    ap.add_argument("--modes", default="eager,compile")
    ap.add_argument("--compile-mode", default="reduce-overhead", help="torch.compile mode for decode")
    ap.add_argument("--budget-s", type=float, default=200)
    a = ap.parse_args()

    dtype = {"bf16": torch.bfloat16, "f16": torch.float16}[a.dtype]
    device = torch.cuda.get_device_name()
    lengths = [int(x) for x in a.lengths.split(",") if x]
    decode_at = [int(x) for x in a.decode_at.split(",") if x]
    modes = a.modes.split(",")
    m_tok = a.decode_tokens
    emit(kind="setup", torch=torch.__version__, device=device, weights=a.dtype,
         cuda=torch.version.cuda, step_vs_forward_max_abs_diff=check_step())

    S.set_impl(scan="triton", attention="sdpa")
    models = {}
    for name in a.models.split(","):
        t = time.time()
        models[name] = build(name, dtype)
        emit(kind="build", model=name, seconds=round(time.time() - t, 2),
             params=sum(p.numel() for p in models[name].parameters()))

    def left():
        return a.budget_s - (time.time() - T0)

    def base(name, engine):
        return dict(engine=engine, model=name, backend="cuda", device=device, weights=a.dtype)

    def run_prefill(name, engine, fn):
        cfg = models[name].config
        V = cfg.vocab_size
        for n in lengths:
            if left() < 5:
                emit(**base(name, engine), kind="skipped", what=f"prefill {n}", reason="budget")
                continue
            toks = ((torch.arange(n, device=DEV) * 7919 + 13) % V)[None]
            try:
                fn(toks)  # warm-up at this length (a compiled fn compiles for it here)
                s, _ = timed(lambda: fn(toks))
                emit(**base(name, engine), kind="prefill", tokens=n, seconds=round(s, 4),
                     tokensPerS=round(n / s), stateBytes=state_bytes(cfg, n))
            except torch.cuda.OutOfMemoryError as e:
                emit(**base(name, engine), kind="error", what=f"prefill {n}", error="out of memory: " + str(e)[:200])
            except Exception as e:  # noqa: BLE001
                emit(**base(name, engine), kind="error", what=f"prefill {n}", error=repr(e)[:300])
            torch.cuda.empty_cache()

    def run_decode(name, engine, compile_mode=None):
        m = models[name]
        cfg = m.config
        step = m.step
        if compile_mode:
            step = torch.compile(m.step, mode=compile_mode)
        for n in decode_at:
            if left() < 10:
                emit(**base(name, engine), kind="skipped", what=f"decode at {n}", reason="budget")
                continue
            try:
                st = m.new_state(batch=1, capacity=n + 3 * m_tok + 8)
                for layer in st:
                    for t in layer:
                        t.normal_(0, 0.5)
                pos0 = n
                tok = torch.tensor([13], device=DEV)
                poss = [torch.tensor(pos0 + i, device=DEV) for i in range(3 * m_tok)]

                def loop(tok, off):
                    for i in range(m_tok):
                        tok = step(tok, st, poss[off + i]).argmax(-1)
                        if compile_mode == "reduce-overhead":
                            tok = tok.clone()  # out of the CUDA graph's output buffer
                    return tok

                tok = loop(tok, 0)  # warm-up (compile, graph capture)
                tok = loop(tok, m_tok)
                s, tok = timed(lambda: loop(tok, 2 * m_tok))
                emit(**base(name, engine), kind="decode", context=n, tokens=m_tok, seconds=round(s, 4),
                     tokensPerS=round(m_tok / s, 1), stateBytes=state_bytes(cfg, n + 3 * m_tok + 8),
                     loop="greedy, argmax on the GPU, no host sync", **({"compileMode": compile_mode} if compile_mode else {}))
            except Exception as e:  # noqa: BLE001
                emit(**base(name, engine), kind="error", what=f"decode at {n}", error=repr(e)[:300])
            torch.cuda.empty_cache()

    with torch.no_grad():
        if "eager" in modes:
            for name in models:
                run_prefill(name, "pytorch-eager", prefill_fn(models[name]))
                run_decode(name, "pytorch-eager")
        if "compile" in modes:
            for name in models:
                run_decode(name, "pytorch-compile", a.compile_mode)
            for name in models:
                run_prefill(name, "pytorch-compile", torch.compile(prefill_fn(models[name]), dynamic=False))
    emit(kind="done", seconds=round(time.time() - T0, 1))


if __name__ == "__main__":
    main()
