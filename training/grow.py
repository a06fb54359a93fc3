"""Grow a trained Samba wider without changing what it computes (numpy only, no torch).

    python3 training/grow.py SRC_DIR DST_DIR --hidden 448 [--seed 0]

writes DST_DIR (config.json, f16 safetensors sharded the way `train.py export` shards, index,
tokenizer.json) holding a Samba of hidden size H' (a multiple of 64; H'/64 query heads of 64, the
key/value heads kept), d_inner = expand * H', intermediate = H' * (I / H) and time_step_rank =
ceil(H' / 16) (SambaConfig's default, what train.py's model_config asks for), whose logits equal the
source's (up to the RMSNorm epsilon, which now weighs H'/H times as much). The new parameters are
random, so training can use them; they are kept out of the function this way:

- the residual stream's new dims stay exactly zero: the embedding's new columns are zero, and every
  matrix that writes the stream (Mamba out_proj, attention out, MLP down) has zero new rows;
  matrices that read it (in_proj, qkv, gate, up) get random new columns (they read zeros);
- RMSNorm averages over H' dims now, H' - H of them zero, so its rms shrinks by sqrt(H/H'): the old
  dims' weights are multiplied by sqrt(H/H') (new dims: the mean of those; they scale zeros);
- new Mamba channels, attention heads and MLP units are random, but whatever reads them into the old
  computation is zero: out_proj/out/down's new columns, x_proj's columns for new channels in the
  old delta, B and C rows, dt_proj's columns for new delta dims in the old channels' rows.

Only the shapes of docs/model-format.md (the names and layouts training/samba.py writes) are known.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quantize as Q  # noqa: E402

HEAD_DIM = 64
SHARD_MIB = 15.0  # train.py export's --shard-mib default


# ------------------------------------------------------------------------------------------------
# model folders, read and written with numpy (training/quantize.py owns the safetensors format)
# ------------------------------------------------------------------------------------------------


def load_folder(folder: str):
    """(config dict, float32 tensors in the index's order, else the file's)."""
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    raw, _ = Q.read_folder(folder)
    if any(dt == "I8" for dt, _, _ in raw.values()):
        raise SystemExit(f"{folder} holds int8 weights: grow its f16 export, or first run "
                         f"python3 training/quantize.py --dequantize {folder} DIR")
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):  # the index's order, which the random draws follow
        with open(index) as f:
            raw = {n: raw[n] for n in json.load(f)["weight_map"]}
    return cfg, {n: Q.to_f32(dt, a) for n, (dt, _, a) in raw.items()}


def save_folder(folder: str, cfg: dict, tensors: dict, shard_mib: float = SHARD_MIB):
    """config.json and f16 weights, split as samba.save_model splits them, with as many shards as
    train.py export would make (ceil(bytes / shard_mib MiB))."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    out = {n: {n: np.asarray(t, dtype="<f2")} for n, t in tensors.items()}
    return Q.write_weights(folder, out, {"format": "pt"}, shard_bytes=shard_mib * 2**20)


# ------------------------------------------------------------------------------------------------
# growing
# ------------------------------------------------------------------------------------------------


class Grower:
    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def rand(self, shape, like: np.ndarray) -> np.ndarray:
        """Normal with the source matrix's std (0.02 if it has none)."""
        std = float(like.std()) or 0.02
        return self.rng.normal(0.0, std, size=shape).astype(np.float32)

    def reader(self, w: np.ndarray, rows_map, new_rows: int, new_cols: int) -> np.ndarray:
        """A matrix whose new rows and new columns are random; rows_map lists (src_start, dst_start,
        count) of the old rows to keep, in their old columns."""
        out = self.rand((new_rows, new_cols), w)
        for s, d, n in rows_map:
            out[d:d + n, :w.shape[1]] = w[s:s + n]
        return out

    @staticmethod
    def writer(w: np.ndarray, new_rows: int, new_cols: int) -> np.ndarray:
        """Old block kept, everything new zero (writes nothing new, reads nothing new)."""
        out = np.zeros((new_rows, new_cols), np.float32)
        out[:w.shape[0], :w.shape[1]] = w
        return out


def dt_bias(n: int, rng, dt_min=1e-3, dt_max=0.1, floor=1e-4) -> np.ndarray:
    """samba.py's dt bias init: softplus^-1(dt), dt log-uniform in [dt_min, dt_max]."""
    dt = np.exp(rng.random(n) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min))
    dt = np.maximum(dt, floor)
    return (dt + np.log(-np.expm1(-dt))).astype(np.float32)


def grown_config(cfg: dict, hidden: int, ffn: int | None = None) -> dict:
    H = cfg["hidden_size"]
    if cfg.get("model_type", "samba") != "samba":
        raise SystemExit(f"grow.py grows samba models; this one is {cfg.get('model_type')!r}")
    if cfg.get("head_dim", H // cfg["num_attention_heads"]) != HEAD_DIM:
        raise SystemExit(f"grow.py keeps heads of {HEAD_DIM}; this model's head_dim is {cfg.get('head_dim')}")
    if hidden % HEAD_DIM or hidden <= H:
        raise SystemExit(f"--hidden {hidden}: must be a multiple of {HEAD_DIM} larger than the source's {H}")
    I = cfg["intermediate_size"]
    if ffn is None:
        if (I * hidden) % H:
            raise SystemExit(f"--hidden {hidden}: intermediate {I} * {hidden} / {H} is not whole; pass --ffn")
        ffn = I * hidden // H
    if ffn < I:
        raise SystemExit(f"--ffn {ffn}: smaller than the source's intermediate_size {I}")
    R = cfg.get("time_step_rank") or math.ceil(H / 16)
    R2 = math.ceil(hidden / 16)
    if R2 < R:
        raise SystemExit(f"time_step_rank would shrink from {R} to {R2}")
    out = dict(cfg)
    out.update(hidden_size=hidden, num_attention_heads=hidden // HEAD_DIM, head_dim=HEAD_DIM,
               intermediate_size=ffn, time_step_rank=R2)
    return out


def grow(cfg: dict, t: dict, new: dict, rng: np.random.Generator) -> dict:
    g = Grower(rng)
    H, H2 = cfg["hidden_size"], new["hidden_size"]
    Di, Di2 = cfg["expand"] * H, new["expand"] * H2
    R, R2 = cfg["time_step_rank"], new["time_step_rank"]
    N = cfg["state_size"]
    I, I2 = cfg["intermediate_size"], new["intermediate_size"]
    nh, nh2 = cfg["num_attention_heads"], new["num_attention_heads"]
    G = cfg["num_key_value_heads"]
    hd = HEAD_DIM
    norm_scale = math.sqrt(H / H2)

    def norm(w):
        w = w * norm_scale
        return np.concatenate([w, np.full(H2 - H, w.mean(), np.float32)])

    def shape_of(name, want):
        if tuple(t[name].shape) != tuple(want):
            raise SystemExit(f"tensor {name}: shape {list(t[name].shape)}, config.json says {list(want)}")
        return t[name]

    out = {}
    for name in t:
        w = t[name]
        parts = name.split(".")
        if name in ("embed.weight", "lm_head.weight"):
            shape_of(name, (cfg["vocab_size"], H))
            out[name] = g.writer(w, w.shape[0], H2)  # new columns 0: the stream's new dims start at 0
        elif name == "norm_f.weight" or parts[-2] in ("norm1", "norm2"):
            out[name] = norm(shape_of(name, (H,)))
        elif ".mamba." in name:
            leaf = ".".join(parts[3:])
            if leaf == "in_proj.weight":
                shape_of(name, (2 * Di, H))
                out[name] = g.reader(w, [(0, 0, Di), (Di, Di2, Di)], 2 * Di2, H2)
            elif leaf == "conv1d.weight":
                K = cfg["conv_kernel"]
                shape_of(name, (Di, 1, K))
                c = g.rand((Di2, 1, K), w)
                c[:Di] = w
                out[name] = c
            elif leaf == "conv1d.bias":
                out[name] = np.concatenate([shape_of(name, (Di,)), np.zeros(Di2 - Di, np.float32)])
            elif leaf == "x_proj.weight":
                shape_of(name, (R + 2 * N, Di))
                x = np.zeros((R2 + 2 * N, Di2), np.float32)
                x[:R, :Di] = w[:R]  # old delta rows: old channels only
                x[R:R2] = g.rand((R2 - R, Di2), w)  # new delta rows feed only the new channels' dt
                x[R2:, :Di] = w[R:]  # B, C are shared by all channels: old channels only
                out[name] = x
            elif leaf == "dt_proj.weight":
                shape_of(name, (Di, R))
                d = rng.uniform(-R2 ** -0.5, R2 ** -0.5, size=(Di2, R2)).astype(np.float32)
                d[:Di] = 0.0
                d[:Di, :R] = w  # old channels do not read the new delta dims
                out[name] = d
            elif leaf == "dt_proj.bias":
                out[name] = np.concatenate([shape_of(name, (Di,)), dt_bias(Di2 - Di, rng)])
            elif leaf == "A_log":
                shape_of(name, (Di, N))
                a = np.tile(np.log(np.arange(1, N + 1, dtype=np.float32)), (Di2, 1))
                a[:Di] = w
                out[name] = a
            elif leaf == "D":
                out[name] = np.concatenate([shape_of(name, (Di,)), np.ones(Di2 - Di, np.float32)])
            elif leaf == "out_proj.weight":
                out[name] = g.writer(shape_of(name, (H, Di)), H2, Di2)
            else:
                raise SystemExit(f"tensor {name}: grow.py does not know it (biases on in_proj/out_proj?)")
        elif ".attn." in name:
            leaf = ".".join(parts[3:])
            if leaf == "qkv.weight":
                shape_of(name, ((nh + 2 * G) * hd, H))
                out[name] = g.reader(w, [(0, 0, nh * hd), (nh * hd, nh2 * hd, 2 * G * hd)], (nh2 + 2 * G) * hd, H2)
            elif leaf == "out.weight":
                out[name] = g.writer(shape_of(name, (H, nh * hd)), H2, nh2 * hd)
            else:
                raise SystemExit(f"tensor {name}: grow.py does not know it")
        elif ".mlp." in name:
            leaf = parts[-2]
            if leaf in ("gate", "up"):
                out[name] = g.reader(shape_of(name, (I, H)), [(0, 0, I)], I2, H2)
            elif leaf == "down":
                out[name] = g.writer(shape_of(name, (H, I)), H2, I2)
            else:
                raise SystemExit(f"tensor {name}: grow.py does not know it")
        else:
            raise SystemExit(f"tensor {name}: grow.py does not know it")
    for name, w in out.items():
        if not np.all(np.isfinite(w.astype(np.float16))):
            raise SystemExit(f"tensor {name}: grown values do not fit float16")
    return out


def train_flags(new: dict) -> str:
    return (f"--d {new['hidden_size']} --layers {new['num_hidden_layers']} --heads {new['num_attention_heads']} "
            f"--kv-heads {new['num_key_value_heads']} --ffn {new['intermediate_size']} "
            f"--window {new['sliding_window']} --seq {new['max_position_embeddings']}")


def main(argv=None):
    ap = argparse.ArgumentParser(description="grow a trained Samba wider, same logits")
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--hidden", type=int, required=True, help="new hidden size, a multiple of 64")
    ap.add_argument("--ffn", type=int, default=None, help="new intermediate size (default: the source's ratio)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shard-mib", type=float, default=SHARD_MIB)
    a = ap.parse_args(argv)
    if os.path.abspath(a.src) == os.path.abspath(a.dst):
        raise SystemExit("SRC_DIR and DST_DIR must differ")
    cfg, tensors = load_folder(a.src)
    cfg.setdefault("time_step_rank", math.ceil(cfg["hidden_size"] / 16))
    new = grown_config(cfg, a.hidden, a.ffn)
    out = grow(cfg, tensors, new, np.random.default_rng(a.seed))
    files, total = save_folder(a.dst, new, out, a.shard_mib)
    tok = os.path.join(a.src, "tokenizer.json")
    if os.path.exists(tok):
        shutil.copy(tok, os.path.join(a.dst, "tokenizer.json"))
    n_old = sum(v.size for v in tensors.values())
    n_new = sum(v.size for v in out.values())
    print(f"grew {a.src} ({n_old} params) -> {a.dst} ({n_new} params, f16 {total / 1e6:.2f} MB in {len(files)} file(s)): "
          f"hidden {cfg['hidden_size']} -> {new['hidden_size']}, heads {cfg['num_attention_heads']} -> "
          f"{new['num_attention_heads']}, intermediate {cfg['intermediate_size']} -> {new['intermediate_size']}, "
          f"time_step_rank {cfg['time_step_rank']} -> {new['time_step_rank']}")
    print(f"train with: python3 training/train.py train --init {a.dst} {train_flags(new)} ...")


if __name__ == "__main__":
    sys.exit(main())
