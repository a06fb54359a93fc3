"""Samba in plain PyTorch: a small, readable reference model.

Samba (Ren et al. 2024, arXiv 2406.07522) is a stack of pre-norm blocks whose mixer alternates
between Mamba (even blocks) and sliding-window attention (odd blocks), each mixer followed by a
SwiGLU MLP. The math follows the public reference code (github microsoft/Samba, lit_gpt/model.py
and lit_gpt/mamba_simple.py); the code is our own and favours clarity over speed (the selective
scan is a plain loop over time). For training, `set_impl(scan="triton", attention="sdpa")` switches
to the Triton scan of training/scan.py and PyTorch's fused attention; the defaults stay the
reference paths.

`model_type = "transformer"` gives the baseline: full causal GQA attention in every block.

Parameter names and the on-disk layout are those of docs/model-format.md; `save_model` and
`load_model` write and read such folders (config.json + safetensors, optionally sharded).
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import asdict, dataclass, fields
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


# --------------------------------------------------------------------------------------------
# Config
# --------------------------------------------------------------------------------------------


@dataclass
class SambaConfig:
    model_type: str = "samba"  # "samba" or "transformer"
    vocab_size: int = 32000
    hidden_size: int = 1536
    num_hidden_layers: int = 12
    num_attention_heads: int = 12
    num_key_value_heads: Optional[int] = None  # default: num_attention_heads
    head_dim: Optional[int] = None  # default: hidden_size // num_attention_heads
    intermediate_size: int = 4096
    sliding_window: Optional[int] = None  # required for samba
    max_position_embeddings: int = 4096
    state_size: int = 16
    conv_kernel: int = 4
    expand: int = 2
    time_step_rank: Optional[int] = None  # default: ceil(hidden_size / 16)
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5
    tie_word_embeddings: bool = True

    def __post_init__(self):
        if self.model_type not in ("samba", "transformer"):
            raise ValueError(f"model_type must be 'samba' or 'transformer', got {self.model_type!r}")
        if self.num_key_value_heads is None:
            self.num_key_value_heads = self.num_attention_heads
        if self.head_dim is None:
            self.head_dim = self.hidden_size // self.num_attention_heads
        if self.time_step_rank in (None, "auto"):
            self.time_step_rank = math.ceil(self.hidden_size / 16)
        if self.num_attention_heads % self.num_key_value_heads != 0:
            raise ValueError("num_key_value_heads must divide num_attention_heads")
        if self.model_type == "samba" and not self.sliding_window:
            raise ValueError("samba needs sliding_window")
        if self.head_dim % 2 != 0:
            raise ValueError("head_dim must be even (RoPE rotates half pairs)")

    @property
    def d_inner(self) -> int:
        return self.expand * self.hidden_size

    def is_mamba_layer(self, i: int) -> bool:
        return self.model_type == "samba" and i % 2 == 0

    def to_dict(self) -> dict:
        # fields that do not apply (e.g. sliding_window of a transformer) are left out, not null
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict) -> "SambaConfig":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


class RMSNorm(nn.Module):
    """x * rsqrt(mean(x^2) + eps) * w, computed in float32."""

    def __init__(self, dim: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return (xf * self.weight.float()).to(x.dtype)


# Implementation switches for training (the defaults are the readable reference paths, which the
# parity fixtures were made with). `set_impl(scan="triton", attention="sdpa")` picks the fast ones:
# scan "triton" or "chunked" (training/scan.py), attention "sdpa" (F.scaled_dot_product_attention
# with the same causal/window mask, computed in the input dtype instead of float32) or "flex"
# (flex_attention with a sliding-window block mask: only the blocks a window touches, the one key
# head shared by the query heads without copies; CUDA only).
SCAN_IMPL = "naive"
ATTN_IMPL = "naive"
# conv "shift": the causal depthwise conv as K shifted multiply-adds, which torch.compile fuses with
# the silu after it (the depthwise Conv1d kernels took about 6% of a compiled training step).
CONV_IMPL = "torch"


def set_impl(scan: Optional[str] = None, attention: Optional[str] = None, conv: Optional[str] = None):
    global SCAN_IMPL, ATTN_IMPL, CONV_IMPL
    if conv is not None:
        if conv not in ("torch", "shift"):
            raise ValueError(f"conv must be torch or shift, got {conv!r}")
        CONV_IMPL = conv
    if scan is not None:
        if scan not in ("naive", "triton", "chunked"):
            raise ValueError(f"scan must be naive, triton or chunked, got {scan!r}")
        SCAN_IMPL = scan
    if attention is not None:
        if attention not in ("naive", "sdpa", "flex"):
            raise ValueError(f"attention must be naive, sdpa or flex, got {attention!r}")
        ATTN_IMPL = attention


def run_scan(x, dt, A, B, C, D):
    if SCAN_IMPL == "naive":
        return selective_scan(x, dt, A, B, C, D)
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    import scan as _scan  # training/scan.py, next to this file

    if SCAN_IMPL == "triton" and x.is_cuda:
        return _scan.selective_scan_triton(x, dt, A, B, C, D)
    return _scan.selective_scan_chunked(x, dt, A, B, C, D)


def selective_scan(x, dt, A, B, C, D):
    """Mamba-1 selective scan, one step at a time (float32).

    x, dt: (b, L, Di); A: (Di, N); B, C: (b, L, N); D: (Di,).
    h[c, n] <- exp(dt[c] A[c, n]) h[c, n] + dt[c] B[n] x[c];  y[c] = sum_n C[n] h[c, n] + D[c] x[c]
    """
    x, dt, A, B, C, D = (t.float() for t in (x, dt, A, B, C, D))
    b, L, Di = x.shape
    h = x.new_zeros(b, Di, A.shape[1])
    ys = []
    for t in range(L):
        dA = torch.exp(dt[:, t, :, None] * A)  # (b, Di, N)
        dBx = dt[:, t, :, None] * B[:, t, None, :] * x[:, t, :, None]  # (b, Di, N)
        h = dA * h + dBx
        ys.append(torch.einsum("bcn,bn->bc", h, C[:, t]))
    y = torch.stack(ys, dim=1)  # (b, L, Di)
    return y + x * D


class Mamba(nn.Module):
    """Mamba-1 mixer (Gu & Dao 2023) as used in Samba's even blocks.

    `bias` adds biases to in_proj/out_proj; Samba has none (it exists so the Hugging Face
    MambaMixer with use_bias=True can be cross-checked against this code).
    """

    def __init__(self, cfg: SambaConfig, bias: bool = False,
                 dt_min: float = 1e-3, dt_max: float = 0.1, dt_init_floor: float = 1e-4):
        super().__init__()
        d, Di, N, R, K = cfg.hidden_size, cfg.d_inner, cfg.state_size, cfg.time_step_rank, cfg.conv_kernel
        self.d_inner, self.d_state, self.dt_rank, self.d_conv = Di, N, R, K
        self.in_proj = nn.Linear(d, 2 * Di, bias=bias)  # rows [0, Di): x, [Di, 2Di): gate z
        self.conv1d = nn.Conv1d(Di, Di, kernel_size=K, groups=Di, padding=K - 1, bias=True)
        self.x_proj = nn.Linear(Di, R + 2 * N, bias=False)  # rows: delta (R), B (N), C (N)
        self.dt_proj = nn.Linear(R, Di, bias=True)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, N + 1, dtype=torch.float32)).repeat(Di, 1))
        self.D = nn.Parameter(torch.ones(Di))
        self.out_proj = nn.Linear(Di, d, bias=bias)

        # dt_proj: weight uniform in +-R^-0.5; bias = softplus^-1(dt), dt log-uniform in [dt_min, dt_max]
        with torch.no_grad():
            std = R ** -0.5
            self.dt_proj.weight.uniform_(-std, std)
            dt = torch.exp(torch.rand(Di) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min))
            dt = dt.clamp(min=dt_init_floor)
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))
        self.dt_proj.bias._no_reinit = True

    def forward(self, u: torch.Tensor) -> torch.Tensor:  # u: (b, L, d)
        L = u.shape[1]
        x, z = self.in_proj(u).chunk(2, dim=-1)
        if CONV_IMPL == "shift":
            # output t = bias + sum over k of w[k] * x[t - (K-1) + k], zeros before the start
            K = self.d_conv
            xp = F.pad(x, (0, 0, K - 1, 0))
            w = self.conv1d.weight[:, 0, :]
            x = self.conv1d.bias + sum(xp[:, k:k + L] * w[:, k] for k in range(K))
        else:
            # causal depthwise conv: pad K-1 on both sides, keep the first L outputs
            x = self.conv1d(x.transpose(1, 2))[..., :L].transpose(1, 2)
        x = F.silu(x)
        delta, B, C = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)
        dt = F.softplus(self.dt_proj(delta).float())  # dt_proj includes the dt bias
        A = -torch.exp(self.A_log.float())
        y = run_scan(x, dt, A, B, C, self.D)
        y = y.to(u.dtype) * F.silu(z)
        return self.out_proj(y)

    def step(self, u: torch.Tensor, conv_state: torch.Tensor, ssm_state: torch.Tensor) -> torch.Tensor:
        """One token, u: (b, d) -> (b, d); updates conv_state (b, Di, K-1): the last K-1 conv
        inputs, and ssm_state (b, Di, N) float32, in place. Same math as forward, one time step."""
        x, z = self.in_proj(u).chunk(2, dim=-1)
        window = torch.cat([conv_state, x[:, :, None]], dim=-1)  # (b, Di, K): inputs t-K+1 .. t
        conv_state.copy_(window[:, :, 1:])
        x = F.silu((window * self.conv1d.weight[:, 0, :]).sum(-1) + self.conv1d.bias)
        delta, B, C = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)
        dt = F.softplus(self.dt_proj(delta).float())  # (b, Di)
        A = -torch.exp(self.A_log.float())
        xf = x.float()
        h = torch.exp(dt[:, :, None] * A) * ssm_state + (dt * xf)[:, :, None] * B.float()[:, None, :]
        ssm_state.copy_(h)
        y = (h * C.float()[:, None, :]).sum(-1) + xf * self.D.float()
        return self.out_proj(y.to(u.dtype) * F.silu(z))


def rope_cos_sin(seq_len: int, head_dim: int, theta: float, device=None, offset: int = 0):
    """cos/sin tables (L, head_dim) for rotate-half RoPE over the whole head."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim))
    pos = torch.arange(offset, offset + seq_len, device=device, dtype=torch.float32)
    ang = torch.outer(pos, inv_freq)  # (L, hd/2)
    ang = torch.cat([ang, ang], dim=-1)  # pair (i, i + hd/2) shares angle i
    return ang.cos(), ang.sin()


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([-x2, x1], dim=-1)


def apply_rope(x, cos, sin):  # x: (b, heads, L, hd)
    return (x.float() * cos + rotate_half(x.float()) * sin).to(x.dtype)


def window_blocked_sdpa(q, k, v, W: int):
    """Sliding-window attention for L a multiple of W > 1 blocks: queries in blocks of W, each block
    against its own keys and the previous block's (2W keys, the W x 2W window mask), so the work is
    2W keys per query instead of L. The first block is plainly causal. Same result as the full
    (L, L) window mask. q, k, v: (b, H, L, hd)."""
    b, H, L, hd = q.shape
    nb = L // W
    first = F.scaled_dot_product_attention(q[:, :, :W], k[:, :, :W], v[:, :, :W], is_causal=True)
    qb = q[:, :, W:].reshape(b, H, nb - 1, W, hd)
    kb = k.reshape(b, H, nb, W, hd)
    vb = v.reshape(b, H, nb, W, hd)
    kk = torch.cat([kb[:, :, :-1], kb[:, :, 1:]], dim=3)  # (b, H, nb-1, 2W, hd): previous block, own block
    vv = torch.cat([vb[:, :, :-1], vb[:, :, 1:]], dim=3)
    i = torch.arange(W, device=q.device)[:, None]
    j = torch.arange(2 * W, device=q.device)[None, :]
    allowed = (j > i) & (j <= i + W)  # key j - W relative to query i: within the window, not ahead
    rest = F.scaled_dot_product_attention(qb.reshape(b, H * (nb - 1), W, hd), kk.reshape(b, H * (nb - 1), 2 * W, hd),
                                          vv.reshape(b, H * (nb - 1), 2 * W, hd), attn_mask=allowed)
    return torch.cat([first, rest.reshape(b, H, (nb - 1) * W, hd)], dim=2)


_FLEX = {}


def window_flex(q, k, v, W: Optional[int]):
    """Causal attention within a window of W keys (None: plainly causal) by flex_attention, compiled
    once; its block mask (which 128 x 128 blocks a window touches) is made once per (L, W, device).
    q: (b, H, L, hd); k, v: (b, G, L, hd) with G dividing H (query head h reads key head h // (H // G))."""
    from torch.nn.attention.flex_attention import create_block_mask, flex_attention

    if "fn" not in _FLEX:
        _FLEX["fn"] = torch.compile(flex_attention, dynamic=False)
    L = q.shape[2]
    key = (L, W, q.device)
    if key not in _FLEX:
        def allowed(b, h, i, j):
            return (j <= i) & (i - j < W) if W else j <= i
        _FLEX[key] = create_block_mask(allowed, None, None, L, L, device=q.device)
    return _FLEX["fn"](q, k, v, block_mask=_FLEX[key], enable_gqa=k.shape[1] != q.shape[1])


class Attention(nn.Module):
    """Causal GQA attention with RoPE; `window` limits each query to itself + window-1 earlier keys."""

    def __init__(self, cfg: SambaConfig, window: Optional[int]):
        super().__init__()
        self.n_head, self.n_kv, self.hd = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        self.window = window
        self.rope_theta = cfg.rope_theta
        # rows: all H query heads, then G key heads, then G value heads
        self.qkv = nn.Linear(cfg.hidden_size, (self.n_head + 2 * self.n_kv) * self.hd, bias=False)
        self.out = nn.Linear(self.n_head * self.hd, cfg.hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, L, _ = x.shape
        H, G, hd = self.n_head, self.n_kv, self.hd
        q, k, v = self.qkv(x).split([H * hd, G * hd, G * hd], dim=-1)
        q = q.view(b, L, H, hd).transpose(1, 2)
        k = k.view(b, L, G, hd).transpose(1, 2)
        v = v.view(b, L, G, hd).transpose(1, 2)
        cos, sin = rope_cos_sin(L, hd, self.rope_theta, device=x.device)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if ATTN_IMPL == "flex":
            y = window_flex(q, k, v.to(q.dtype), self.window)
            return self.out(y.transpose(1, 2).reshape(b, L, H * hd))
        # query head h uses key/value head h // (H // G)
        k = k.repeat_interleave(H // G, dim=1)
        v = v.repeat_interleave(H // G, dim=1)

        if ATTN_IMPL == "sdpa":
            # the same mask, built without (L, L) integer tensors; no mask at all when plainly causal
            if self.window is None:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            elif L > self.window and L % self.window == 0:
                y = window_blocked_sdpa(q, k, v, self.window)
            else:
                allowed = torch.ones(L, L, dtype=torch.bool, device=x.device).tril().triu(1 - self.window)
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
            return self.out(y.transpose(1, 2).reshape(b, L, H * hd))
        i = torch.arange(L, device=x.device)[:, None]
        j = torch.arange(L, device=x.device)[None, :]
        allowed = j <= i
        if self.window is not None:
            allowed = allowed & (i - j < self.window)
        att = (q.float() @ k.float().transpose(-1, -2)) / math.sqrt(hd)
        att = att.masked_fill(~allowed, float("-inf")).softmax(dim=-1)
        y = (att @ v.float()).to(x.dtype)  # (b, H, L, hd)
        return self.out(y.transpose(1, 2).reshape(b, L, H * hd))

    def step(self, x: torch.Tensor, k_cache: torch.Tensor, v_cache: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        """One token at position pos (0-dim long tensor), x: (b, d) -> (b, d). k_cache, v_cache:
        (b, G, S, hd) ring buffers of S slots (S >= window, or >= the context without a window),
        updated in place at slot pos % S; keys are stored after RoPE, so slot order is irrelevant."""
        b = x.shape[0]
        H, G, hd = self.n_head, self.n_kv, self.hd
        S = k_cache.shape[2]
        q, k, v = self.qkv(x).split([H * hd, G * hd, G * hd], dim=-1)
        inv_freq = 1.0 / (self.rope_theta ** (torch.arange(0, hd, 2, device=x.device, dtype=torch.float32) / hd))
        ang = pos.float() * inv_freq
        ang = torch.cat([ang, ang])
        cos, sin = ang.cos(), ang.sin()
        q = apply_rope(q.view(b, H, 1, hd), cos, sin)
        k = apply_rope(k.view(b, G, 1, hd), cos, sin)
        slot = (pos % S).reshape(1)
        k_cache.index_copy_(2, slot, k.to(k_cache.dtype))
        v_cache.index_copy_(2, slot, v.view(b, G, 1, hd).to(v_cache.dtype))
        # valid slots: the last min(pos + 1, window) positions (all filled slots when S == window)
        n = pos + 1 if self.window is None else torch.clamp(pos + 1, max=self.window)
        age = (pos - torch.arange(S, device=x.device)) % S  # how many positions ago each slot was written
        valid = age < n
        qg = q.view(b, G, H // G, hd).float()  # query heads of one KV head together
        att = (qg @ k_cache.float().transpose(-1, -2)) / math.sqrt(hd)  # (b, G, H/G, S)
        att = att.masked_fill(~valid, float("-inf")).softmax(dim=-1)
        y = (att @ v_cache.float()).to(x.dtype)  # (b, G, H/G, hd)
        return self.out(y.reshape(b, H * hd))


class SwiGLU(nn.Module):
    """down(silu(gate x) * up x)."""

    def __init__(self, cfg: SambaConfig):
        super().__init__()
        self.gate = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x):
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Block(nn.Module):
    def __init__(self, cfg: SambaConfig, i: int):
        super().__init__()
        self.norm1 = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        if cfg.is_mamba_layer(i):
            self.mamba = Mamba(cfg)
        else:
            window = cfg.sliding_window if cfg.model_type == "samba" else None
            self.attn = Attention(cfg, window)
        self.norm2 = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = SwiGLU(cfg)

    def mixer(self, x):
        return self.mamba(x) if hasattr(self, "mamba") else self.attn(x)

    def forward(self, x):
        x = x + self.mixer(self.norm1(x))
        x = x + self.mlp(self.norm2(x))
        return x

    def step(self, x, state, pos):  # x: (b, d); state: this layer's tensors of Samba.new_state
        h = self.norm1(x)
        h = self.mamba.step(h, *state) if hasattr(self, "mamba") else self.attn.step(h, *state, pos)
        x = x + h
        return x + self.mlp(self.norm2(x))


class Samba(nn.Module):
    def __init__(self, cfg: SambaConfig):
        super().__init__()
        self.config = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(Block(cfg, i) for i in range(cfg.num_hidden_layers))
        self.norm_f = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        if not cfg.tie_word_embeddings:
            self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        self._init_weights()

    @torch.no_grad()
    def _init_weights(self):
        """Reference init (Samba's `mamba_init`): Linear/Conv weights keep PyTorch's default,
        biases zero except the Mamba dt bias, embeddings N(0, 0.02), and the output projections of
        every residual branch (Mamba out_proj, attention out, MLP down) divided by
        sqrt(2 * n_layer) (two residual branches per block)."""
        nn.init.normal_(self.embed.weight, std=0.02)
        if not self.config.tie_word_embeddings:
            nn.init.normal_(self.lm_head.weight, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear) and m.bias is not None and not getattr(m.bias, "_no_reinit", False):
                nn.init.zeros_(m.bias)
        scale = 1.0 / math.sqrt(2 * self.config.num_hidden_layers)
        for layer in self.layers:
            branch = layer.mamba.out_proj if hasattr(layer, "mamba") else layer.attn.out
            branch.weight.mul_(scale)
            layer.mlp.down.weight.mul_(scale)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens (b, L) -> logits (b, L, vocab)."""
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x)
        x = self.norm_f(x)
        w = self.embed.weight if self.config.tie_word_embeddings else self.lm_head.weight
        return F.linear(x, w)

    # Token-by-token decoding with a recurrent state (the training and parity paths do not use it).

    def new_state(self, batch: int = 1, capacity: int = 4096, dtype=None, device=None):
        """Per layer: Mamba (conv inputs (b, Di, K-1), ssm (b, Di, N) float32) or attention (K and
        V ring buffers (b, G, S, hd), S = the window if any, else `capacity`)."""
        c = self.config
        p = self.embed.weight
        dtype, device = dtype or p.dtype, device or p.device
        state = []
        for layer in self.layers:
            if hasattr(layer, "mamba"):
                state.append([torch.zeros(batch, c.d_inner, c.conv_kernel - 1, dtype=dtype, device=device),
                              torch.zeros(batch, c.d_inner, c.state_size, dtype=torch.float32, device=device)])
            else:
                S = layer.attn.window or capacity
                state.append([torch.zeros(batch, c.num_key_value_heads, S, c.head_dim, dtype=dtype, device=device)
                              for _ in range(2)])
        return state

    def step(self, tokens: torch.Tensor, state, pos: torch.Tensor) -> torch.Tensor:
        """tokens (b,) at position pos (0-dim long tensor) -> logits (b, vocab); updates state in place."""
        x = self.embed(tokens)
        for layer, st in zip(self.layers, state):
            x = layer.step(x, st, pos)
        x = self.norm_f(x)
        w = self.embed.weight if self.config.tie_word_embeddings else self.lm_head.weight
        return F.linear(x, w)


# --------------------------------------------------------------------------------------------
# Save / load (docs/model-format.md)
# --------------------------------------------------------------------------------------------

_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def save_model(model: Samba, folder: str, dtype: torch.dtype = torch.float32,
               num_shards: int = 1) -> Dict[str, str]:
    """Writes config.json and the weights as safetensors in `dtype`.

    num_shards == 1: `model.safetensors`. Otherwise `model-0000k-of-0000n.safetensors` files split
    by size, plus `model.safetensors.index.json` ({"metadata": {"total_size"}, "weight_map"}).
    Returns the weight map (tensor name -> file).
    """
    from safetensors.torch import save_file

    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(model.config.to_dict(), f, indent=2)
        f.write("\n")

    tensors = {k: v.detach().to("cpu", dtype).contiguous().clone() for k, v in model.state_dict().items()}
    names = list(tensors)
    if num_shards <= 1:
        save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        return {n: "model.safetensors" for n in names}

    from quantize import shard  # the one split of a model into shards (numpy-only, beside this file)

    nbytes = {n: t.numel() * t.element_size() for n, t in tensors.items()}
    total = sum(nbytes.values())
    shards = shard(names, nbytes, num_shards)
    n_files = len(shards)
    weight_map = {}
    for idx, shard in enumerate(shards):
        fname = f"model-{idx + 1:05d}-of-{n_files:05d}.safetensors"
        save_file({n: tensors[n] for n in shard}, os.path.join(folder, fname), metadata={"format": "pt"})
        weight_map.update({n: fname for n in shard})
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
        f.write("\n")
    return weight_map


def load_state_dict(folder: str) -> Dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    sd = {}
    for fname in files:
        sd.update(load_file(os.path.join(folder, fname)))
    return sd


def load_model(folder: str, device="cpu", dtype: torch.dtype = torch.float32) -> Samba:
    """Reads a model folder; weights are upcast/cast to `dtype` (default float32)."""
    with open(os.path.join(folder, "config.json")) as f:
        cfg = SambaConfig.from_dict(json.load(f))
    model = Samba(cfg)
    sd = {k: v.to(dtype) for k, v in load_state_dict(folder).items()}
    model.load_state_dict(sd, strict=True)
    return model.to(device=device, dtype=dtype).eval()
