"""Builds the small parity fixtures the TypeScript engine is tested against.

    PYTHONUNBUFFERED=1 python3 training/make_fixtures.py OUT_DIR [--tar OUT.tar.gz] [--seed 1234]

For each fixture, OUT_DIR/<name>/ is a complete model folder (config.json, safetensors,
tokenizer.json) plus reference.json.gz = {"tokens", "logits" (every position, 7 significant digits),
"note"}. Models are random-init and then PERTURBED away from init (A_log, D, dt bias, norm weights,
and HF Mamba's in/out biases) so that a wrong formula cannot pass by accident. Reference logits
are computed in float32 on the CPU from exactly the weights that are stored (f16/bf16 weights are
rounded first, then upcast).

Also prints cross-checks: our Mamba mixer vs transformers' MambaMixer on the same weights, our
pure-Mamba stack vs MambaForCausalLM, causality (prefix run vs full run), save/load round trip,
and CPU vs CUDA.
"""

import argparse
import glob
import gzip
import json
import os
import shutil
import sys
import sysconfig
import tarfile

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from samba import Mamba, RMSNorm, Samba, SambaConfig, load_model, load_state_dict, save_model  # noqa: E402

SPECIAL_TOKENS = ["<|endoftext|>", "<|file|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"]
SEQ_LEN = 40
VOCAB = 512


def round7(x: float) -> float:
    return float(f"{x:.7g}")


def write_reference(folder, tokens, logits, note):
    logits = logits.detach().float().cpu()
    ref = {
        "tokens": [int(t) for t in tokens],
        "logits": [[round7(v) for v in row] for row in logits.tolist()],
        "note": note,
    }
    # Gzipped: the tracked files have a size budget (test/helpers/fixtures.ts reads it).
    with gzip.open(os.path.join(folder, "reference.json.gz"), "wt", compresslevel=9) as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")


def maxdiff(a, b):
    return (a.float().cpu() - b.float().cpu()).abs().max().item()


# ----------------------------------------------------------------------------------------------
# Tokenizer
# ----------------------------------------------------------------------------------------------


def train_tokenizer(path):
    """Byte-level BPE, vocab 512 exactly (256 bytes + 5 specials + merges), on stdlib Python."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    stdlib = sysconfig.get_paths()["stdlib"]
    texts = []
    for name in ["os.py", "textwrap.py", "bisect.py", "heapq.py", "functools.py"]:
        p = os.path.join(stdlib, name)
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                texts.append(f.read()[:12000])
    print(f"tokenizer: training on {sum(map(len, texts))} chars from {stdlib}")

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    size = tok.get_vocab_size(with_added_tokens=True)
    assert size <= VOCAB, size
    tok.save(path)
    sample = "def foo(x):\n    return x + 1\n"
    ids = tok.encode(sample).ids
    assert tok.decode(ids) == sample, tok.decode(ids)
    print(f"tokenizer: vocab {size}, special ids {[tok.token_to_id(s) for s in SPECIAL_TOKENS]}, "
          f"'{sample!r}' -> {ids}")
    return size


# ----------------------------------------------------------------------------------------------
# Perturbation
# ----------------------------------------------------------------------------------------------


@torch.no_grad()
def perturb_ours(model: Samba, g: torch.Generator):
    for name, p in model.named_parameters():
        noise = torch.randn(p.shape, generator=g)
        if name.endswith("A_log"):
            p.add_(0.5 * noise)
        elif name.endswith(".D"):
            p.add_(0.5 * noise)
        elif name.endswith("dt_proj.bias"):
            p.add_(0.5 * noise + 1.0)  # larger dt: faster dynamics, state matters more
        elif "norm" in name:
            p.add_(0.3 * noise)


@torch.no_grad()
def perturb_hf_mamba(model, g: torch.Generator):
    for name, p in model.named_parameters():
        noise = torch.randn(p.shape, generator=g)
        if name.endswith("A_log"):
            p.add_(0.5 * noise)
        elif name.endswith(".D"):
            p.add_(0.5 * noise)
        elif name.endswith("dt_proj.bias"):
            p.add_(0.5 * noise + 1.0)
        elif "norm" in name:
            p.add_(0.3 * noise)
        elif name.endswith("in_proj.bias") or name.endswith("out_proj.bias"):
            p.copy_(0.1 * noise)


# ----------------------------------------------------------------------------------------------
# Our pure-Mamba stack on HF weights (cross-check)
# ----------------------------------------------------------------------------------------------


def ours_mamba_mixer_from_hf(hf_mixer, hf_cfg):
    cfg = SambaConfig(model_type="samba", vocab_size=hf_cfg.vocab_size, hidden_size=hf_cfg.hidden_size,
                      num_hidden_layers=1, num_attention_heads=1, intermediate_size=1, sliding_window=1,
                      state_size=hf_cfg.state_size, conv_kernel=hf_cfg.conv_kernel, expand=hf_cfg.expand,
                      time_step_rank=hf_cfg.time_step_rank)
    m = Mamba(cfg, bias=hf_cfg.use_bias)
    m.load_state_dict({k: v.float() for k, v in hf_mixer.state_dict().items()}, strict=True)
    return m.eval()


@torch.no_grad()
def ours_pure_mamba_logits(hf_model, tokens):
    hf_cfg = hf_model.config
    bb = hf_model.backbone
    x = bb.embeddings.weight.float()[tokens][None]
    for layer in bb.layers:
        norm = RMSNorm(hf_cfg.hidden_size, hf_cfg.layer_norm_epsilon)
        norm.weight.copy_(layer.norm.weight.float())
        x = x + ours_mamba_mixer_from_hf(layer.mixer, hf_cfg)(norm(x))
    norm = RMSNorm(hf_cfg.hidden_size, hf_cfg.layer_norm_epsilon)
    norm.weight.copy_(bb.norm_f.weight.float())
    return F.linear(norm(x), hf_model.lm_head.weight.float())[0]


# ----------------------------------------------------------------------------------------------
# Fixtures
# ----------------------------------------------------------------------------------------------


def run_cuda_check(model, tokens, cpu_logits, label, checks):
    try:
        _run_cuda_check(model, tokens, cpu_logits, label, checks)
    except Exception as e:  # the CPU reference is what matters; report and go on
        print(f"[check] {label}: cuda check failed: {e!r}")


def _run_cuda_check(model, tokens, cpu_logits, label, checks):
    if not torch.cuda.is_available():
        return
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    import copy
    m = copy.deepcopy(model).cuda()
    with torch.no_grad():
        out = m(tokens[None].cuda())
    out = out.logits if hasattr(out, "logits") else out
    d = maxdiff(out[0], cpu_logits)
    checks[f"{label}: cpu vs cuda f32 max|diff|"] = d
    print(f"[check] {label}: cpu vs cuda (f32, no tf32) max|diff| = {d:.3e}")


def make_samba_tiny(out, g, tokens, tok_path, checks):
    torch.manual_seed(1001)
    cfg = SambaConfig(model_type="samba", vocab_size=VOCAB, hidden_size=64, num_hidden_layers=4,
                      num_attention_heads=4, num_key_value_heads=2, head_dim=16, intermediate_size=128,
                      sliding_window=8, max_position_embeddings=4096, state_size=16, conv_kernel=4,
                      expand=2, time_step_rank=4, rope_theta=10000.0, rms_norm_eps=1e-5,
                      tie_word_embeddings=True)
    model = Samba(cfg)
    perturb_ours(model, g)
    model.eval()
    folder = os.path.join(out, "samba-tiny")
    wm = save_model(model, folder, dtype=torch.float32, num_shards=2)
    shutil.copy(tok_path, os.path.join(folder, "tokenizer.json"))
    print(f"samba-tiny: {len(wm)} tensors in {sorted(set(wm.values()))}")

    with torch.no_grad():
        logits = model(tokens[None])[0]
        # causality: a prefix run must equal the full run on that prefix
        P = 25
        pre = model(tokens[None, :P])[0]
        checks["samba-tiny: prefix(25) vs full max|diff|"] = maxdiff(pre, logits[:P])
        # the window: changing a token more than W-1 before position p may only act through Mamba;
        # reloading from disk must give the same numbers
        re = load_model(folder)(tokens[None])[0]
        checks["samba-tiny: reload(sharded) vs in-memory max|diff|"] = maxdiff(re, logits)
    print(f"[check] samba-tiny: prefix vs full = {checks['samba-tiny: prefix(25) vs full max|diff|']:.3e}, "
          f"reload = {checks['samba-tiny: reload(sharded) vs in-memory max|diff|']:.3e}, "
          f"logits std {logits.std().item():.4f} max|.| {logits.abs().max().item():.4f}")
    run_cuda_check(model, tokens, logits, "samba-tiny", checks)
    write_reference(folder, tokens.tolist(), logits,
                    "samba-tiny: random init (seed 1001) perturbed (A_log, D, dt_proj.bias, norms); "
                    "F32 weights in 2 shards; logits from training/samba.py in float32 on CPU for all "
                    f"{SEQ_LEN} positions, rounded to 7 significant digits.")
    return model


def make_transformer_tiny(out, g, tokens, tok_path, checks):
    torch.manual_seed(1002)
    cfg = SambaConfig(model_type="transformer", vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=1, head_dim=16, intermediate_size=128,
                      sliding_window=None, max_position_embeddings=64, state_size=16, conv_kernel=4,
                      expand=2, time_step_rank=4, rope_theta=10000.0, rms_norm_eps=1e-5,
                      tie_word_embeddings=True)
    model = Samba(cfg)
    perturb_ours(model, g)
    # round every weight to f16 and run the rounded weights in f32
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    model.eval()
    folder = os.path.join(out, "transformer-tiny")
    save_model(model, folder, dtype=torch.float16, num_shards=1)
    shutil.copy(tok_path, os.path.join(folder, "tokenizer.json"))
    with torch.no_grad():
        logits = model(tokens[None])[0]
        P = 25
        checks["transformer-tiny: prefix(25) vs full max|diff|"] = maxdiff(model(tokens[None, :P])[0], logits[:P])
        sd = load_state_dict(folder)
        assert all(v.dtype == torch.float16 for v in sd.values())
        checks["transformer-tiny: reload(f16->f32) vs in-memory max|diff|"] = maxdiff(
            load_model(folder)(tokens[None])[0], logits)
    print(f"[check] transformer-tiny: prefix vs full = "
          f"{checks['transformer-tiny: prefix(25) vs full max|diff|']:.3e}, reload = "
          f"{checks['transformer-tiny: reload(f16->f32) vs in-memory max|diff|']:.3e}, "
          f"logits std {logits.std().item():.4f}")
    run_cuda_check(model, tokens, logits, "transformer-tiny", checks)
    write_reference(folder, tokens.tolist(), logits,
                    "transformer-tiny: random init (seed 1002) perturbed (norms); weights stored F16; "
                    "logits from training/samba.py in float32 on CPU from the f16-rounded weights, all "
                    f"{SEQ_LEN} positions, rounded to 7 significant digits.")


def make_mamba_hf_tiny(out, g, tokens, tok_path, checks):
    import transformers
    from transformers import MambaConfig, MambaForCausalLM

    torch.manual_seed(1003)
    hf_cfg = MambaConfig(vocab_size=VOCAB, hidden_size=64, state_size=8, num_hidden_layers=3, expand=2,
                         conv_kernel=4, time_step_rank=4, use_bias=True, use_conv_bias=True,
                         tie_word_embeddings=True)
    model = MambaForCausalLM(hf_cfg)
    perturb_hf_mamba(model, g)
    model = model.to(torch.bfloat16)
    folder = os.path.join(out, "mamba-hf-tiny")
    try:
        model.save_pretrained(folder, safe_serialization=True)
    except TypeError:
        model.save_pretrained(folder)
    shutil.copy(tok_path, os.path.join(folder, "tokenizer.json"))
    sd = load_state_dict(folder)
    print(f"mamba-hf-tiny: transformers {transformers.__version__}, files {sorted(os.listdir(folder))}, "
          f"dtypes {sorted({str(v.dtype) for v in sd.values()})}, {len(sd)} tensors")

    model = model.float().eval()  # bf16-rounded weights, run in f32
    # the stored tensors must be exactly what we run
    msd = model.state_dict()
    worst = max(maxdiff(sd[k], msd[k]) for k in sd)
    checks["mamba-hf-tiny: stored bf16 vs f32 model weights max|diff|"] = worst
    with torch.no_grad():
        logits = model(tokens[None]).logits[0].float()
        # our Mamba mixer vs HF MambaMixer on the same (layer 0) weights and a random input
        u = torch.randn(1, SEQ_LEN, hf_cfg.hidden_size, generator=g)
        hf_mixer = model.backbone.layers[0].mixer
        d_mixer = maxdiff(ours_mamba_mixer_from_hf(hf_mixer, hf_cfg)(u), hf_mixer(u))
        checks["mamba mixer: ours vs HF MambaMixer max|diff|"] = d_mixer
        d_full = maxdiff(ours_pure_mamba_logits(model, tokens), logits)
        checks["mamba-hf-tiny: ours (pure-Mamba stack) vs MambaForCausalLM logits max|diff|"] = d_full
        P = 25
        checks["mamba-hf-tiny: prefix(25) vs full max|diff|"] = maxdiff(model(tokens[None, :P]).logits[0], logits[:P])
    print(f"[check] mamba mixer ours vs HF: {d_mixer:.3e}; full logits ours vs HF: {d_full:.3e}; "
          f"logits std {logits.std().item():.4f}")
    run_cuda_check(model, tokens, logits, "mamba-hf-tiny", checks)
    write_reference(folder, tokens.tolist(), logits,
                    "mamba-hf-tiny: transformers MambaForCausalLM random init (seed 1003) perturbed "
                    "(A_log, D, dt_proj.bias, norms, in_proj/out_proj biases), saved as BF16 with "
                    "save_pretrained; logits from the bf16 weights upcast to float32, run by transformers "
                    f"on CPU (slow path), all {SEQ_LEN} positions, rounded to 7 significant digits.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tar", default=None, help="also write this .tar.gz of the fixtures")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()

    import transformers
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, "
          f"python {sys.version.split()[0]}, cuda {torch.cuda.is_available()}")
    torch.set_num_threads(4)
    os.makedirs(args.out, exist_ok=True)
    g = torch.Generator().manual_seed(args.seed)
    tokens = torch.randint(0, VOCAB, (SEQ_LEN,), generator=g)
    print(f"tokens: {tokens.tolist()}")

    tok_path = os.path.join(args.out, "_tokenizer.json")
    train_tokenizer(tok_path)

    checks = {}
    make_samba_tiny(args.out, g, tokens, tok_path, checks)
    make_transformer_tiny(args.out, g, tokens, tok_path, checks)
    make_mamba_hf_tiny(args.out, g, tokens, tok_path, checks)
    os.remove(tok_path)

    with open(os.path.join(args.out, "checks.json"), "w") as f:
        json.dump(checks, f, indent=2)
    print("\n== cross-checks ==")
    for k, v in checks.items():
        print(f"  {k}: {v:.3e}")

    total = 0
    for path in sorted(glob.glob(os.path.join(args.out, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            total += os.path.getsize(path)
            print(f"  {os.path.relpath(path, args.out):55s} {os.path.getsize(path):9d}")
    print(f"total {total} bytes")
    if args.tar:
        with tarfile.open(args.tar, "w:gz") as tf:
            for name in sorted(os.listdir(args.out)):
                tf.add(os.path.join(args.out, name), arcname=name)
        print(f"wrote {args.tar} ({os.path.getsize(args.tar)} bytes)")


if __name__ == "__main__":
    main()
