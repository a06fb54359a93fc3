"""Tests of training/grow.py (numpy; skipped without it, as in CI):

    python3 -m unittest training/test_grow.py

A tiny random Samba is grown wider and both are run by a small numpy forward written from
docs/model-format.md; the logits must agree. (The real check is our engine on models/default:
scripts/grow-check.mjs.) With torch present (the GPU machine) the grown folder is also loaded by
training/samba.py and checked against train.py's model_config, as `train.py train --init` checks it.
"""

import json
import math
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import numpy as np
except ImportError:
    np = None
try:
    import torch
except ImportError:
    torch = None

TINY = {"model_type": "samba", "vocab_size": 96, "hidden_size": 64, "num_hidden_layers": 4,
        "num_attention_heads": 1, "num_key_value_heads": 1, "head_dim": 64, "intermediate_size": 128,
        "sliding_window": 6, "max_position_embeddings": 64, "state_size": 16, "conv_kernel": 4, "expand": 2,
        "time_step_rank": 4, "rope_theta": 10000.0, "rms_norm_eps": 1e-5, "tie_word_embeddings": True}


def tiny_model(rng, cfg):
    """Random weights of every shape and kind a trained model has (norm weights not 1, dt bias)."""
    H, V, Di, R, N, K = (cfg["hidden_size"], cfg["vocab_size"], cfg["expand"] * cfg["hidden_size"],
                         cfg["time_step_rank"], cfg["state_size"], cfg["conv_kernel"])
    nh, G, hd, I = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"], cfg["intermediate_size"]
    r = lambda *s, std=0.1: rng.normal(0, std, s).astype(np.float32)  # noqa: E731
    t = {"embed.weight": r(V, H, std=0.5)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"layers.{i}."
        t[p + "norm1.weight"] = 1 + r(H)
        if i % 2 == 0:
            m = p + "mamba."
            t.update({m + "A_log": np.log(np.arange(1, N + 1, dtype=np.float32))[None].repeat(Di, 0) + r(Di, N),
                      m + "D": 1 + r(Di), m + "in_proj.weight": r(2 * Di, H), m + "conv1d.weight": r(Di, 1, K, std=0.3),
                      m + "conv1d.bias": r(Di), m + "x_proj.weight": r(R + 2 * N, Di),
                      m + "dt_proj.weight": r(Di, R, std=0.3), m + "dt_proj.bias": r(Di) - 3,
                      m + "out_proj.weight": r(H, Di)})
        else:
            t[p + "attn.qkv.weight"] = r((nh + 2 * G) * hd, H)
            t[p + "attn.out.weight"] = r(H, nh * hd)
        t[p + "norm2.weight"] = 1 + r(H)
        t.update({p + "mlp.gate.weight": r(I, H), p + "mlp.up.weight": r(I, H), p + "mlp.down.weight": r(H, I)})
    t["norm_f.weight"] = 1 + r(H)
    return t


def forward(cfg, t, tokens):
    """Logits (L, V) of a Samba folder's tensors, float64, the math of docs/model-format.md."""
    t = {k: v.astype(np.float64) for k, v in t.items()}
    eps, L = cfg["rms_norm_eps"], len(tokens)
    silu = lambda v: v / (1 + np.exp(-v))  # noqa: E731
    norm = lambda v, w: v / np.sqrt((v * v).mean(-1, keepdims=True) + eps) * w  # noqa: E731
    H = cfg["hidden_size"]
    Di, R, N, K = cfg["expand"] * H, cfg["time_step_rank"], cfg["state_size"], cfg["conv_kernel"]
    nh, G, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    x = t["embed.weight"][tokens]
    for i in range(cfg["num_hidden_layers"]):
        p = f"layers.{i}."
        u = norm(x, t[p + "norm1.weight"])
        if p + "mamba.A_log" in t:
            m = p + "mamba."
            xz = u @ t[m + "in_proj.weight"].T
            xc, z = xz[:, :Di], xz[:, Di:]
            w = t[m + "conv1d.weight"][:, 0, :]  # (Di, K), tap K-1 is the current input
            pad = np.concatenate([np.zeros((K - 1, Di)), xc])
            xc = silu(sum(pad[k:k + L] * w[:, k] for k in range(K)) + t[m + "conv1d.bias"])
            dbc = xc @ t[m + "x_proj.weight"].T
            delta, B, C = dbc[:, :R], dbc[:, R:R + N], dbc[:, R + N:]
            dt = np.logaddexp(0, delta @ t[m + "dt_proj.weight"].T + t[m + "dt_proj.bias"])
            A = -np.exp(t[m + "A_log"])
            h, ys = np.zeros((Di, N)), []
            for s in range(L):
                h = np.exp(dt[s, :, None] * A) * h + (dt[s] * xc[s])[:, None] * B[s][None]
                ys.append(h @ C[s] + t[m + "D"] * xc[s])
            x = x + (np.array(ys) * silu(z)) @ t[m + "out_proj.weight"].T
        else:
            qkv = u @ t[p + "attn.qkv.weight"].T
            q = qkv[:, :nh * hd].reshape(L, nh, hd)
            k = qkv[:, nh * hd:(nh + G) * hd].reshape(L, G, hd)
            v = qkv[:, (nh + G) * hd:].reshape(L, G, hd)
            inv = 1.0 / cfg["rope_theta"] ** (np.arange(0, hd, 2) / hd)
            ang = np.arange(L)[:, None] * inv
            cos, sin = np.cos(np.concatenate([ang, ang], -1))[:, None], np.sin(np.concatenate([ang, ang], -1))[:, None]
            rot = lambda a: np.concatenate([-a[..., hd // 2:], a[..., :hd // 2]], -1)  # noqa: E731
            q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
            ii, jj = np.arange(L)[:, None], np.arange(L)[None]
            allowed = (jj <= ii) & (ii - jj < cfg["sliding_window"])
            y = np.zeros((L, nh, hd))
            for hh in range(nh):
                g = hh // (nh // G)
                s = np.where(allowed, q[:, hh] @ k[:, g].T / math.sqrt(hd), -np.inf)
                s = np.exp(s - s.max(-1, keepdims=True))
                y[:, hh] = (s / s.sum(-1, keepdims=True)) @ v[:, g]
            x = x + y.reshape(L, nh * hd) @ t[p + "attn.out.weight"].T
        u = norm(x, t[p + "norm2.weight"])
        x = x + (silu(u @ t[p + "mlp.gate.weight"].T) * (u @ t[p + "mlp.up.weight"].T)) @ t[p + "mlp.down.weight"].T
    return norm(x, t["norm_f.weight"]) @ t["embed.weight"].T


@unittest.skipIf(np is None, "numpy is not installed")
class GrowTest(unittest.TestCase):
    def setUp(self):
        import grow

        self.grow = grow
        self.rng = np.random.default_rng(1)
        self.src = tiny_model(self.rng, TINY)
        self.tokens = self.rng.integers(0, TINY["vocab_size"], 20)  # longer than the window of 6

    def grown(self, hidden, eps=None):
        cfg = dict(TINY, rms_norm_eps=TINY["rms_norm_eps"] if eps is None else eps)
        new = self.grow.grown_config(cfg, hidden)
        return cfg, new, self.grow.grow(cfg, self.src, new, np.random.default_rng(0))

    def test_same_logits(self):
        # eps 0: RMSNorm's epsilon is the one thing growing changes, so without it the logits match exactly
        cfg, new, out = self.grown(192, eps=0.0)
        want, got = forward(cfg, self.src, self.tokens), forward(new, out, self.tokens)
        self.assertLess(np.abs(want - got).max(), 1e-6 * np.abs(want).max())
        # with the usual epsilon: a small difference, the same argmax
        cfg, new, out = self.grown(192)
        want, got = forward(cfg, self.src, self.tokens), forward(new, out, self.tokens)
        self.assertLess(np.abs(want - got).max(), 1e-3 * np.abs(want).max())
        self.assertTrue((want.argmax(-1) == got.argmax(-1)).all())

    def test_config_and_new_parameters(self):
        _, new, out = self.grown(128)
        self.assertEqual({k: new[k] for k in ("hidden_size", "num_attention_heads", "head_dim", "intermediate_size",
                                              "time_step_rank", "num_key_value_heads")},
                         {"hidden_size": 128, "num_attention_heads": 2, "head_dim": 64, "intermediate_size": 256,
                          "time_step_rank": 8, "num_key_value_heads": 1})
        # the new units are random (training can use them), their way into the old function zero
        self.assertGreater(out["layers.1.attn.qkv.weight"][64:128].std(), 0.01)  # the new query head
        self.assertGreater(out["layers.0.mamba.in_proj.weight"][128:256].std(), 0.01)  # new x channels
        self.assertGreater(out["layers.0.mlp.gate.weight"][128:].std(), 0.01)
        self.assertGreater(out["layers.0.mamba.dt_proj.weight"][128:].std(), 0.01)
        self.assertEqual(np.abs(out["layers.0.mamba.out_proj.weight"][:, 128:]).max(), 0)
        self.assertEqual(np.abs(out["layers.0.mlp.down.weight"][64:]).max(), 0)
        self.assertEqual(np.abs(out["embed.weight"][:, 64:]).max(), 0)

    def test_folder_round_trip(self):
        # through the files (f16, shards, index, tokenizer), as the GPU machine runs it
        with tempfile.TemporaryDirectory() as d:
            src, dst = os.path.join(d, "src"), os.path.join(d, "dst")
            self.grow.save_folder(src, TINY, self.src, shard_mib=0.2)
            with open(os.path.join(src, "tokenizer.json"), "w") as f:
                f.write("{}")
            self.grow.main([src, dst, "--hidden", "128", "--shard-mib", "0.2"])
            cfg, t = self.grow.load_folder(src)
            new, g = self.grow.load_folder(dst)
            self.assertTrue(os.path.exists(os.path.join(dst, "model.safetensors.index.json")))
            self.assertTrue(os.path.exists(os.path.join(dst, "tokenizer.json")))
            self.assertEqual(set(g), set(t))
            want, got = forward(cfg, t, self.tokens), forward(new, g, self.tokens)
            self.assertLess(np.abs(want - got).max(), 1e-2 * np.abs(want).max())
            self.assertTrue((want.argmax(-1) == got.argmax(-1)).all())

    def test_bad_sizes(self):
        for hidden in (96, 64, 32):  # not a multiple of 64, not larger
            with self.assertRaises(SystemExit):
                self.grown(hidden)

    @unittest.skipIf(torch is None, "torch is not installed")
    def test_torch_loads_it_as_train_init_does(self):
        import argparse
        import samba as S
        import train

        with tempfile.TemporaryDirectory() as d:
            src, dst = os.path.join(d, "src"), os.path.join(d, "dst")
            self.grow.save_folder(src, TINY, self.src)
            self.grow.main([src, dst, "--hidden", "128"])
            a = argparse.Namespace(d=128, layers=4, heads=2, kv_heads=1, ffn=256, window=6, seq=64)
            with open(os.path.join(dst, "config.json")) as f:
                have = S.SambaConfig.from_dict(json.load(f)).to_dict()
            self.assertEqual(have, train.model_config(a, TINY["vocab_size"]).to_dict())
            toks = torch.tensor(self.tokens)[None]
            want = S.load_model(src)(toks)[0].detach().numpy()
            got = S.load_model(dst)(toks)[0].detach().numpy()
            self.assertLess(np.abs(want - got).max(), 1e-2 * np.abs(want).max())


if __name__ == "__main__":
    unittest.main()
