"""Training speed of the default model's shape on the GPU (issue 15, item 3): tokens/s and model FLOP
utilisation (train.py's FLOP count over its bf16 peak) of full training steps (forward, backward,
fused AdamW) per variant: attention by blocked SDPA or flex_attention, the conv by torch's kernel or
shifted multiply-adds, the model compiled alone or with its loss (so the float32 log-softmax over
16,384 entries fuses with the logits' cast); and where a step's GPU time goes (torch.profiler,
kernels by total time). Random tokens: a step's time does not depend on the data. Before timing,
each variant's logits are checked against the readable reference (float32, past the window).

    python3 training/bench_step.py [--variants sdpa,flex,flex-shift,flex-shift-loss] [--batch 16]
        [--seq 8192] [--steps 10] [--profile VARIANTS] [--out DIR]

Prints one JSON line per measurement; --out also gets profile-<variant>.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import torch

import samba as S
import train
from train import H200_BF16_PEAK, model_loss, model_numbers, pick_scan

train.need_torch()  # train.py imports torch and samba on first use


def default_config(seq: int) -> S.SambaConfig:
    """The shipped model's shape (models/default/config.json), at training's sequence length."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "default", "config.json")) as f:
        d = json.load(f)
    return S.SambaConfig.from_dict({**d, "max_position_embeddings": seq})


def check(attn: str, conv: str, cfg: S.SambaConfig) -> float:
    """Largest |logit difference| of these paths against the reference attention and conv, float32, 4,096 tokens."""
    torch.manual_seed(0)
    m = S.Samba(cfg).cuda().float()
    x = torch.randint(0, cfg.vocab_size, (1, 2 * cfg.sliding_window), device="cuda")
    with torch.no_grad():
        S.set_impl(attention="naive", conv="torch")
        ref = m(x)
        S.set_impl(attention=attn, conv=conv)
        got = m(x)
    return (got - ref).abs().max().item()


def steps(v: dict, cfg, a, flops_tok: float, profile_to: str | None) -> dict:
    """Timed steps of variant v: attn, conv, compiled (the model), loss_compiled (the loss with it)."""
    S.set_impl(attention=v["attn"], conv=v["conv"])
    torch.manual_seed(0)
    model = S.Samba(cfg).cuda()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), fused=True)

    # train.py's loss: around the compiled model (the loss outside it), or compiled with it.
    mode = a.compile_mode or None
    inner = torch.compile(model, mode=mode) if v["compiled"] and not v["loss_compiled"] else model
    loss_of = model_loss(inner, cfg.vocab_size, "cuda")
    if v["loss_compiled"]:
        loss_of = torch.compile(loss_of, mode=mode)
    gen = torch.Generator(device="cuda").manual_seed(1)

    def one():
        w = torch.randint(0, cfg.vocab_size, (a.batch, a.seq + 1), device="cuda", generator=gen)
        loss_of(w).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)

    t0 = time.time()
    for _ in range(3):  # compiling, autotuning, first-use
        one()
    torch.cuda.synchronize()
    warm_s = time.time() - t0
    torch.cuda.reset_peak_memory_stats()
    t0 = time.time()
    for _ in range(a.steps):
        one()
    torch.cuda.synchronize()
    dt = (time.time() - t0) / a.steps
    tps = a.batch * a.seq / dt
    out = {**v, "compile_mode": a.compile_mode or "default", "batch": a.batch, "seq": a.seq, "step_ms": round(dt * 1e3, 1),
           "tok_per_s": round(tps), "mfu": round(tps * flops_tok / H200_BF16_PEAK, 4), "warmup_s": round(warm_s, 1),
           "mem_gb": round(torch.cuda.max_memory_allocated() / 2**30, 2)}
    if profile_to:
        from torch.profiler import ProfilerActivity, profile
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            for _ in range(2):
                one()
            torch.cuda.synchronize()
        with open(profile_to, "w") as f:
            f.write(f"{json.dumps(out)}\n2 steps\n")
            f.write(prof.key_averages().table(sort_by="cuda_time_total", row_limit=40, max_name_column_width=90))
    del model, opt, inner, loss_of
    torch.cuda.empty_cache()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="sdpa,flex,flex-shift,flex-shift-loss")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=8192)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--profile", default="", help="variants to profile, comma-separated")
    ap.add_argument("--out", default="")
    ap.add_argument("--compile-mode", default="", help="torch.compile's mode (default, max-autotune-no-cudagraphs, ...)")
    a = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = True
    cfg = default_config(a.seq)
    scan_info = pick_scan("cuda", (a.batch, a.seq, cfg.d_inner, cfg.state_size))
    n, flops_tok = model_numbers(cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads,
                                 cfg.num_key_value_heads, cfg.head_dim, cfg.intermediate_size, cfg.vocab_size,
                                 cfg.sliding_window, a.seq)
    print(json.dumps({"gpu": torch.cuda.get_device_name(), "torch": torch.__version__, "params": n,
                      "flops_per_token": flops_tok, "scan": scan_info}), flush=True)
    # name: attention, conv, the model compiled, the loss compiled with it
    variants = {"sdpa": ("sdpa", "torch", True, False), "flex": ("flex", "torch", True, False),
                "flex-shift": ("flex", "shift", True, False), "flex-shift-loss": ("flex", "shift", True, True),
                "sdpa-eager": ("sdpa", "torch", False, False)}
    for name in a.variants.split(","):
        attn, conv, compiled, loss_compiled = variants[name]
        v = {"variant": name, "attn": attn, "conv": conv, "compiled": compiled, "loss_compiled": loss_compiled}
        try:
            err = check(attn, conv, cfg)
            print(json.dumps({"variant": name, "check_max_abs_logit_diff": err}), flush=True)
            prof = os.path.join(a.out, f"profile-{name}.txt") if a.out and name in a.profile.split(",") else None
            print(json.dumps(steps(v, cfg, a, flops_tok, prof)), flush=True)
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"variant": name, "error": repr(e)[:800]}), flush=True)


if __name__ == "__main__":
    main()
