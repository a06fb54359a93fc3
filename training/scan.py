"""Mamba-1 selective scan for training: Triton kernels (forward + backward) and a chunked
PyTorch fallback. Both compute exactly what `samba.selective_scan` (the naive reference) does:

    h[c, n] <- exp(dt[c] A[c, n]) h[c, n] + dt[c] B[n] x[c];   y[c] = sum_n C[n] h[c, n] + D[c] x[c]

with x, dt: (b, L, Di); A: (Di, N); B, C: (b, L, N); D: (Di,); result float32 (b, L, Di).

Triton (`selective_scan_triton`): one program per (batch row, block of channels) walks the
sequence with its state h [BLOCK_C, N] in registers, so nothing of size (b, L, Di, N) exists in
the forward pass. The walk is bound by each step's load latency; with `prefetch` the next step's
inputs load while the current step computes (`tune()` times both, after checking each). The backward pass re-runs the forward scan to write every state h_t into a
scratch buffer (b, L, Di, N) float32 that lives only during that layer's backward (about 1.3 GB
at b*L = 32K tokens, Di = 640), then walks the sequence backwards:

    g_t  = dL/dh_t = C_t dy_t + a_{t+1} g_{t+1},      a_t = exp(dt_t A)
    dA  += g_t h_{t-1} a_t dt_t           ddt_t = sum_n g_t (h_{t-1} a_t A + B_t x_t)
    dx_t = dt_t sum_n g_t B_t             dB_t  = sum_c g_t dt_t x_t     dC_t = sum_c dy_t h_t

dB and dC are reductions over channels, which different programs own: each program writes its
partial sums and PyTorch adds them. The D term (y += D x) is left to PyTorch autograd.

Chunked PyTorch (`selective_scan_chunked`): the plain loop over time, run under
torch.utils.checkpoint one chunk of time steps at a time, so only one chunk's (b, T, Di, N)
intermediates are alive. Slow (many small kernels), memory-safe; the fallback if Triton fails
its check.

`python3 training/scan.py` checks both against the naive scan (float64 autograd) on small shapes
and times them on a training-sized shape.
"""

from __future__ import annotations

import math
import os
import sys
import time

import torch

try:
    import triton
    import triton.language as tl

    HAVE_TRITON = True
except Exception:  # noqa: BLE001
    HAVE_TRITON = False

# chosen by `tune()`: BLOCK_C, num_warps, and whether the walk prefetches the next step's inputs
TRITON_CONFIG = {"block_c": 16, "num_warps": 1, "prefetch": False}


if HAVE_TRITON:

    @triton.jit
    def _scan_fwd_kernel(x_ptr, dt_ptr, A_ptr, B_ptr, C_ptr, y_ptr, hs_ptr, L, Di,
                         N: tl.constexpr, BLOCK_C: tl.constexpr, SAVE_H: tl.constexpr,
                         WRITE_Y: tl.constexpr, PREFETCH: tl.constexpr):
        pid_b = tl.program_id(0)
        pid_c = tl.program_id(1)
        offs_c = pid_c * BLOCK_C + tl.arange(0, BLOCK_C)
        offs_n = tl.arange(0, N)
        mask_c = offs_c < Di
        mask_cn = mask_c[:, None] & (offs_n[None, :] < N)
        A = tl.load(A_ptr + offs_c[:, None] * N + offs_n[None, :], mask=mask_cn, other=0.0)
        h = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        row = pid_b.to(tl.int64) * L
        # PREFETCH: step t+1's inputs are loaded while step t computes, so the walk does not wait
        # out a global load's latency at every step (the loop is latency-bound, not bandwidth-bound).
        if PREFETCH:
            xt = tl.load(x_ptr + row * Di + offs_c, mask=mask_c, other=0.0)
            dtt = tl.load(dt_ptr + row * Di + offs_c, mask=mask_c, other=0.0)
            Bt = tl.load(B_ptr + row * N + offs_n)
            Ct = tl.load(C_ptr + row * N + offs_n)
        else:
            xt = tl.zeros([BLOCK_C], dtype=tl.float32)
            dtt = tl.zeros([BLOCK_C], dtype=tl.float32)
            Bt = tl.zeros([N], dtype=tl.float32)
            Ct = tl.zeros([N], dtype=tl.float32)
        for t in range(L):
            pos = row + t
            if PREFETCH:
                more = t + 1 < L
                xn = tl.load(x_ptr + (pos + 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                dtn = tl.load(dt_ptr + (pos + 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                Bn = tl.load(B_ptr + (pos + 1) * N + offs_n, mask=(offs_n < N) & more, other=0.0)
                Cn = tl.load(C_ptr + (pos + 1) * N + offs_n, mask=(offs_n < N) & more, other=0.0)
            else:
                xt = tl.load(x_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                dtt = tl.load(dt_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                Bt = tl.load(B_ptr + pos * N + offs_n)
                Ct = tl.load(C_ptr + pos * N + offs_n)
                xn, dtn, Bn, Cn = xt, dtt, Bt, Ct
            h = tl.exp(dtt[:, None] * A) * h + (dtt * xt)[:, None] * Bt[None, :]
            if WRITE_Y:
                yt = tl.sum(h * Ct[None, :], axis=1)
                tl.store(y_ptr + pos * Di + offs_c, yt, mask=mask_c)
            if SAVE_H:
                tl.store(hs_ptr + (pos * Di + offs_c[:, None]) * N + offs_n[None, :], h, mask=mask_cn)
            xt, dtt, Bt, Ct = xn, dtn, Bn, Cn

    @triton.jit
    def _scan_bwd_kernel(x_ptr, dt_ptr, A_ptr, B_ptr, C_ptr, dy_ptr, hs_ptr,
                         dx_ptr, ddt_ptr, dA_ptr, dBp_ptr, dCp_ptr, L, Di, NCB,
                         N: tl.constexpr, BLOCK_C: tl.constexpr, PREFETCH: tl.constexpr):
        pid_b = tl.program_id(0)
        pid_c = tl.program_id(1)
        offs_c = pid_c * BLOCK_C + tl.arange(0, BLOCK_C)
        offs_n = tl.arange(0, N)
        mask_c = offs_c < Di
        mask_n = offs_n < N
        mask_cn = mask_c[:, None] & mask_n[None, :]
        A = tl.load(A_ptr + offs_c[:, None] * N + offs_n[None, :], mask=mask_cn, other=0.0)
        g = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        dA_acc = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        row = pid_b.to(tl.int64) * L
        # partial sums of dB, dC: (b, NCB, L, N)
        prow = (pid_b.to(tl.int64) * NCB + pid_c) * L
        # PREFETCH as in the forward kernel: step t-1's inputs load while step t computes.
        last = row + L - 1
        if PREFETCH:
            xt = tl.load(x_ptr + last * Di + offs_c, mask=mask_c, other=0.0)
            dtt = tl.load(dt_ptr + last * Di + offs_c, mask=mask_c, other=0.0)
            dyt = tl.load(dy_ptr + last * Di + offs_c, mask=mask_c, other=0.0)
            Bt = tl.load(B_ptr + last * N + offs_n)
            Ct = tl.load(C_ptr + last * N + offs_n)
            h_prev = tl.load(hs_ptr + ((last - 1) * Di + offs_c[:, None]) * N + offs_n[None, :],
                             mask=mask_cn & (L > 1), other=0.0)
        else:
            xt = tl.zeros([BLOCK_C], dtype=tl.float32)
            dtt = tl.zeros([BLOCK_C], dtype=tl.float32)
            dyt = tl.zeros([BLOCK_C], dtype=tl.float32)
            Bt = tl.zeros([N], dtype=tl.float32)
            Ct = tl.zeros([N], dtype=tl.float32)
            h_prev = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        for i in range(L):
            t = L - 1 - i
            pos = row + t
            if PREFETCH:
                more = t > 0
                xn = tl.load(x_ptr + (pos - 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                dtn = tl.load(dt_ptr + (pos - 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                dyn = tl.load(dy_ptr + (pos - 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                Bn = tl.load(B_ptr + (pos - 1) * N + offs_n, mask=mask_n & more, other=0.0)
                Cn = tl.load(C_ptr + (pos - 1) * N + offs_n, mask=mask_n & more, other=0.0)
                hn = tl.load(hs_ptr + ((pos - 2) * Di + offs_c[:, None]) * N + offs_n[None, :],
                             mask=mask_cn & (t > 1), other=0.0)
            else:
                xt = tl.load(x_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                dtt = tl.load(dt_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                dyt = tl.load(dy_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                Bt = tl.load(B_ptr + pos * N + offs_n)
                Ct = tl.load(C_ptr + pos * N + offs_n)
                h_prev = tl.load(hs_ptr + ((pos - 1) * Di + offs_c[:, None]) * N + offs_n[None, :],
                                 mask=mask_cn & (t > 0), other=0.0)
                xn, dtn, dyn, Bn, Cn, hn = xt, dtt, dyt, Bt, Ct, h_prev
            a = tl.exp(dtt[:, None] * A)
            bx = dtt * xt
            h = a * h_prev + bx[:, None] * Bt[None, :]
            # dC_t = sum_c dy_t h_t (this block's channels)
            tl.store(dCp_ptr + (prow + t) * N + offs_n, tl.sum(dyt[:, None] * h, axis=0))
            g = g + dyt[:, None] * Ct[None, :]
            ga = g * h_prev * a
            dA_acc += ga * dtt[:, None]
            gB = tl.sum(g * Bt[None, :], axis=1)
            ddt = tl.sum(ga * A, axis=1) + gB * xt
            tl.store(ddt_ptr + pos * Di + offs_c, ddt, mask=mask_c)
            tl.store(dx_ptr + pos * Di + offs_c, gB * dtt, mask=mask_c)
            tl.store(dBp_ptr + (prow + t) * N + offs_n, tl.sum(g * bx[:, None], axis=0))
            g = g * a
            xt, dtt, dyt, Bt, Ct, h_prev = xn, dtn, dyn, Bn, Cn, hn
        tl.store(dA_ptr + (pid_b.to(tl.int64) * Di + offs_c[:, None]) * N + offs_n[None, :], dA_acc,
                 mask=mask_cn)


def _grid(b, Di, block_c):
    return (b, triton.cdiv(Di, block_c))


def _scan_fwd(x, dt, A, B, C, save_h: bool, write_y: bool = True):
    b, L, Di = x.shape
    N = A.shape[1]
    bc, nw, pf = TRITON_CONFIG["block_c"], TRITON_CONFIG["num_warps"], TRITON_CONFIG["prefetch"]
    y = torch.empty_like(x) if write_y else x.new_empty(1)
    hs = x.new_empty(b, L, Di, N) if save_h else x.new_empty(1)
    _scan_fwd_kernel[_grid(b, Di, bc)](x, dt, A, B, C, y, hs, L, Di, N=N, BLOCK_C=bc,
                                       SAVE_H=save_h, WRITE_Y=write_y, PREFETCH=pf, num_warps=nw)
    return y, hs


class _TritonScan(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, dt, A, B, C):
        y, _ = _scan_fwd(x, dt, A, B, C, save_h=False)
        ctx.save_for_backward(x, dt, A, B, C)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, dt, A, B, C = ctx.saved_tensors
        dy = dy.float().contiguous()
        b, L, Di = x.shape
        N = A.shape[1]
        bc, nw, pf = TRITON_CONFIG["block_c"], TRITON_CONFIG["num_warps"], TRITON_CONFIG["prefetch"]
        _, hs = _scan_fwd(x, dt, A, B, C, save_h=True, write_y=False)
        ncb = triton.cdiv(Di, bc)
        dx = torch.empty_like(x)
        ddt = torch.empty_like(dt)
        dA = x.new_empty(b, Di, N)
        dBp = x.new_empty(b, ncb, L, N)
        dCp = x.new_empty(b, ncb, L, N)
        _scan_bwd_kernel[_grid(b, Di, bc)](x, dt, A, B, C, dy, hs, dx, ddt, dA, dBp, dCp, L, Di, ncb,
                                           N=N, BLOCK_C=bc, PREFETCH=pf, num_warps=nw)
        del hs
        return dx, ddt, dA.sum(0), dBp.sum(1), dCp.sum(1)


def selective_scan_triton(x, dt, A, B, C, D):
    """Same contract as samba.selective_scan; CUDA tensors."""
    f = lambda t: t.float().contiguous()  # noqa: E731
    xf = f(x)
    y = _TritonScan.apply(xf, f(dt), f(A), f(B), f(C))
    return y + xf * D.float()


# ----------------------------------------------------------------------------------------------
# Chunked PyTorch fallback
# ----------------------------------------------------------------------------------------------


def _scan_chunk(h, x, dt, A, B, C):
    ys = []
    for t in range(x.shape[1]):
        h = torch.exp(dt[:, t, :, None] * A) * h + (dt[:, t, :, None] * x[:, t, :, None]) * B[:, t, None, :]
        ys.append(torch.einsum("bcn,bn->bc", h, C[:, t]))
    return torch.stack(ys, dim=1), h


def selective_scan_chunked(x, dt, A, B, C, D, chunk: int = 128):
    from torch.utils.checkpoint import checkpoint

    x, dt, A, B, C = (t.float() for t in (x, dt, A, B, C))
    b, L, Di = x.shape
    h = x.new_zeros(b, Di, A.shape[1])
    ys = []
    for s in range(0, L, chunk):
        sl = slice(s, s + chunk)
        y, h = checkpoint(_scan_chunk, h, x[:, sl], dt[:, sl], A, B[:, sl], C[:, sl], use_reentrant=False)
        ys.append(y)
    return torch.cat(ys, dim=1) + x * D.float()


# ----------------------------------------------------------------------------------------------
# Checks and timing
# ----------------------------------------------------------------------------------------------


def _naive(x, dt, A, B, C, D):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from samba import selective_scan

    return selective_scan(x, dt, A, B, C, D)


def _inputs(b, L, Di, N, device, dtype=torch.float32, seed=0):
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    x = r(b, L, Di)
    dt = torch.nn.functional.softplus(r(b, L, Di) - 1.0)
    A = -torch.exp(0.5 * r(Di, N))
    B, C = r(b, L, N), r(b, L, N)
    D = r(Di)
    return [t.to(device=device, dtype=dtype).requires_grad_(True) for t in (x, dt, A, B, C, D)]


def check(fn, device, shapes=((2, 37, 40, 16), (1, 130, 24, 8), (3, 64, 33, 16), (1, 1, 8, 16)), tol=1e-4, label="",
          quiet=False):
    """Relative error of outputs and all gradients against the naive scan in float64."""
    worst = 0.0
    for shp in shapes:
        ins = _inputs(*shp, device=device, seed=sum(shp))
        ref_ins = [t.detach().double().cpu().requires_grad_(True) for t in ins]
        y = fn(*ins)
        yr = _naive(*ref_ins)
        w = torch.randn(yr.shape, generator=torch.Generator().manual_seed(7), dtype=torch.float64)
        (y.double().cpu() * w).sum().backward()
        (yr * w).sum().backward()
        errs = [((y.double().cpu() - yr).norm() / yr.norm()).item()]
        for a, r in zip(ins, ref_ins):
            errs.append(((a.grad.double().cpu() - r.grad).norm() / r.grad.norm()).item())
        worst = max(worst, max(errs))
        if not quiet:
            print(f"[scan check] {label} {shp}: rel err y, dx, ddt, dA, dB, dC, dD = "
                  + ", ".join(f"{e:.1e}" for e in errs), flush=True)
        if not all(math.isfinite(e) and e < tol for e in errs):
            return False, worst
    return True, worst


def bench(fn, b, L, Di, N, device, iters=5):
    ins = _inputs(b, L, Di, N, device=device)
    dy = torch.randn(b, L, Di, device=device)
    for _ in range(2):
        y = fn(*ins)
        y.backward(dy)
    torch.cuda.synchronize()
    t0 = time.time()
    for _ in range(iters):
        y = fn(*ins)
        y.backward(dy)
    torch.cuda.synchronize()
    return (time.time() - t0) / iters


# (BLOCK_C, num_warps, prefetch); without prefetch 8 x 1 won on the H200 (17.8 ms at b 16, L 8192, Di 640)
CANDIDATES = ((8, 1, True), (16, 1, True), (32, 2, True), (8, 1, False))


def tune(b, L, Di, N, device="cuda", candidates=CANDIDATES):
    """Picks (BLOCK_C, num_warps, prefetch) by timing forward+backward among the candidates that
    pass the check against the naive scan; returns the table. With none passing the config is left
    as it was."""
    table = []
    before = dict(TRITON_CONFIG)
    for bc, nw, pf in candidates:
        TRITON_CONFIG.update(block_c=bc, num_warps=nw, prefetch=pf)
        try:
            ok, worst = check(selective_scan_triton, device, label=f"bc{bc} w{nw} pf{int(pf)}", quiet=True)
            if not ok:
                print(f"[scan tune] block_c {bc} warps {nw} prefetch {int(pf)}: failed its check (worst {worst:.1e})")
                continue
            table.append((bench(selective_scan_triton, b, L, Di, N, device), bc, nw, pf))
        except Exception as e:  # noqa: BLE001
            print(f"[scan tune] block_c {bc} warps {nw} prefetch {int(pf)}: failed {e!r}")
    table.sort()
    for t, bc, nw, pf in table:
        print(f"[scan tune] block_c {bc:3d} warps {nw} prefetch {int(pf)}: fwd+bwd {t * 1e3:8.2f} ms  (b {b}, L {L}, Di {Di}, N {N})")
    TRITON_CONFIG.update(before)
    if table:
        TRITON_CONFIG.update(block_c=table[0][1], num_warps=table[0][2], prefetch=table[0][3])
    return table


if __name__ == "__main__":
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    if HAVE_TRITON and (dev == "cuda" or os.environ.get("TRITON_INTERPRET") == "1"):
        for bc, nw, pf in ((16, 1, False), (16, 1, True), (32, 2, True)):
            TRITON_CONFIG.update(block_c=bc, num_warps=nw, prefetch=pf)
            ok, worst = check(selective_scan_triton, dev, label=f"triton bc{bc} pf{int(pf)}")
            print(f"triton (block_c {bc}, prefetch {int(pf)}) ok={ok} worst={worst:.1e}")
    ok, worst = check(selective_scan_chunked, dev, label="chunked", shapes=((2, 37, 40, 16), (1, 300, 24, 8)))
    print(f"chunked ok={ok} worst={worst:.1e}")
    if dev == "cuda":
        tune(*(int(v) for v in os.environ.get("SCAN_SHAPE", "8,2048,512,16").split(",")))
