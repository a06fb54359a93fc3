"""Mamba-1 selective scan for training: Triton kernels (forward + backward) and a chunked
PyTorch fallback. Both compute exactly what `samba.selective_scan` (the naive reference) does:

    h[c, n] <- exp(dt[c] A[c, n]) h[c, n] + dt[c] B[n] x[c];   y[c] = sum_n C[n] h[c, n] + D[c] x[c]

with x, dt: (b, L, Di); A: (Di, N); B, C: (b, L, N); D: (Di,); result float32 (b, L, Di).

Triton (`selective_scan_triton`): one program per (batch row, block of channels) walks the
sequence with its state h [BLOCK_C, N] in registers, so nothing of size (b, L, Di, N) exists in
the forward pass. The walk is bound by each step's latency, not by bandwidth, so two options
(`tune()` times them, after checking each against the naive scan): `prefetch` loads the next step's
inputs while the current step computes; `chunk` splits the sequence into chunks walked in parallel
(the recurrence is linear: a chunk walked from zero gives its end state, exp(A sum dt) its decay, and
a short sequential pass over the chunks carries the true state into each, which then walks again;
the backward pass does the same for the gradient g). The forward pass writes every state h_t into
a buffer (b, L, Di, N), bfloat16 by default, kept for the layer's backward (SAVE_H_IN_FORWARD;
without it the backward pass walks the sequence again to write them), which then walks the
sequence backwards:

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

# chosen by `tune()`: BLOCK_C, num_warps, whether the walk prefetches the next step's inputs, and
# the chunk length of a walk split in time (0: one walk over the whole sequence)
TRITON_CONFIG = {"block_c": 16, "num_warps": 1, "prefetch": False, "chunk": 0}
# Whether the forward pass keeps every state h_t for the backward pass (b*L*Di*N per layer alive
# until it) instead of the backward pass walking the sequence again to write them: one walk
# fewer per layer and step. The default model's step on the H200 (16 x 8,192 tokens): 98.8 ms
# against 104.4, 44 GB against 24 (bench/RESULTS.md, stop 25). SCAN_SAVE_H=0 where memory is short.
SAVE_H_IN_FORWARD = os.environ.get("SCAN_SAVE_H", "1") == "1"
# The kept states' storage: bfloat16 (half the bytes written and read back; the walk stays float32
# in registers, only the backward pass's h_{t-1} and h_t are rounded: gradients within 1.2e-3 of
# float64) or float32. The default model's step at 32 x 8,192 on the H200: 183.6 ms against 192.1
# (one call; bench/RESULTS.md, stop 26).
H_DTYPE = {"float32": torch.float32, "bfloat16": torch.bfloat16}[os.environ.get("SCAN_H_DTYPE", "bfloat16")]


if HAVE_TRITON:

    @triton.jit
    def _scan_fwd_kernel(x_ptr, dt_ptr, A_ptr, B_ptr, C_ptr, y_ptr, hs_ptr, h0_ptr, hend_ptr, P_ptr,
                         L, Di, T, NCH,
                         N: tl.constexpr, BLOCK_C: tl.constexpr, SAVE_H: tl.constexpr,
                         WRITE_Y: tl.constexpr, PREFETCH: tl.constexpr, HAS_H0: tl.constexpr,
                         WRITE_END: tl.constexpr):
        # One program: batch row pid_b, channels of block pid_c, time steps of chunk pid_k
        # [pid_k T, pid_k T + n). From h0 (the state before the chunk) or from zero; WRITE_END
        # stores the chunk's final state and its decay exp(A sum dt) for _chunk_combine_kernel.
        pid_b = tl.program_id(0)
        pid_c = tl.program_id(1)
        pid_k = tl.program_id(2)
        offs_c = pid_c * BLOCK_C + tl.arange(0, BLOCK_C)
        offs_n = tl.arange(0, N)
        mask_c = offs_c < Di
        mask_cn = mask_c[:, None] & (offs_n[None, :] < N)
        A = tl.load(A_ptr + offs_c[:, None] * N + offs_n[None, :], mask=mask_cn, other=0.0)
        start = pid_k * T
        n = tl.minimum(T, L - start)
        base = pid_b.to(tl.int64) * L + start
        st = ((pid_b.to(tl.int64) * NCH + pid_k) * Di + offs_c[:, None]) * N + offs_n[None, :]
        if HAS_H0:
            h = tl.load(h0_ptr + st, mask=mask_cn, other=0.0)
        else:
            h = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        sdt = tl.zeros([BLOCK_C], dtype=tl.float32)
        # PREFETCH: step t+1's inputs are loaded while step t computes, so the walk does not wait
        # out a global load's latency at every step (the loop is latency-bound, not bandwidth-bound).
        if PREFETCH:
            xt = tl.load(x_ptr + base * Di + offs_c, mask=mask_c, other=0.0)
            dtt = tl.load(dt_ptr + base * Di + offs_c, mask=mask_c, other=0.0)
            Bt = tl.load(B_ptr + base * N + offs_n)
            Ct = tl.load(C_ptr + base * N + offs_n)
        else:
            xt = tl.zeros([BLOCK_C], dtype=tl.float32)
            dtt = tl.zeros([BLOCK_C], dtype=tl.float32)
            Bt = tl.zeros([N], dtype=tl.float32)
            Ct = tl.zeros([N], dtype=tl.float32)
        for i in range(n):
            pos = base + i
            if PREFETCH:
                more = i + 1 < n
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
            if WRITE_END:
                sdt += dtt
            if WRITE_Y:
                yt = tl.sum(h * Ct[None, :], axis=1)
                tl.store(y_ptr + pos * Di + offs_c, yt, mask=mask_c)
            if SAVE_H:
                tl.store(hs_ptr + (pos * Di + offs_c[:, None]) * N + offs_n[None, :],
                         h.to(hs_ptr.dtype.element_ty), mask=mask_cn)
            xt, dtt, Bt, Ct = xn, dtn, Bn, Cn
        if WRITE_END:
            tl.store(hend_ptr + st, h, mask=mask_cn)
            tl.store(P_ptr + st, tl.exp(sdt[:, None] * A), mask=mask_cn)

    @triton.jit
    def _chunk_combine_kernel(P_ptr, V_ptr, out_ptr, NCH, Di,
                              N: tl.constexpr, BLOCK_C: tl.constexpr, REVERSE: tl.constexpr):
        # Carries a state across chunks: out[k] is what enters chunk k, then H <- P[k] H + V[k].
        # Forward: V the chunks' states from zero, out the state before each chunk. REVERSE: V the
        # chunks' gradients from zero (_grad_local_kernel), out the gradient each chunk receives
        # from the chunks after it.
        pid_b = tl.program_id(0)
        pid_c = tl.program_id(1)
        offs_c = pid_c * BLOCK_C + tl.arange(0, BLOCK_C)
        offs_n = tl.arange(0, N)
        mask_cn = (offs_c < Di)[:, None] & (offs_n[None, :] < N)
        H = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        for j in range(NCH):
            if REVERSE:
                k = NCH - 1 - j
            else:
                k = j
            st = ((pid_b.to(tl.int64) * NCH + k) * Di + offs_c[:, None]) * N + offs_n[None, :]
            tl.store(out_ptr + st, H, mask=mask_cn)
            H = tl.load(P_ptr + st, mask=mask_cn, other=0.0) * H + tl.load(V_ptr + st, mask=mask_cn, other=0.0)

    @triton.jit
    def _grad_local_kernel(dt_ptr, A_ptr, C_ptr, dy_ptr, g_ptr, L, Di, T, NCH,
                           N: tl.constexpr, BLOCK_C: tl.constexpr):
        # The gradient a chunk alone sends to the state before it: the backward walk of g from zero.
        pid_b = tl.program_id(0)
        pid_c = tl.program_id(1)
        pid_k = tl.program_id(2)
        offs_c = pid_c * BLOCK_C + tl.arange(0, BLOCK_C)
        offs_n = tl.arange(0, N)
        mask_c = offs_c < Di
        mask_cn = mask_c[:, None] & (offs_n[None, :] < N)
        A = tl.load(A_ptr + offs_c[:, None] * N + offs_n[None, :], mask=mask_cn, other=0.0)
        start = pid_k * T
        n = tl.minimum(T, L - start)
        base = pid_b.to(tl.int64) * L + start
        g = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        for i in range(n):
            pos = base + n - 1 - i
            dyt = tl.load(dy_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
            dtt = tl.load(dt_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
            Ct = tl.load(C_ptr + pos * N + offs_n)
            g = (g + dyt[:, None] * Ct[None, :]) * tl.exp(dtt[:, None] * A)
        st = ((pid_b.to(tl.int64) * NCH + pid_k) * Di + offs_c[:, None]) * N + offs_n[None, :]
        tl.store(g_ptr + st, g, mask=mask_cn)

    @triton.jit
    def _scan_bwd_kernel(x_ptr, dt_ptr, A_ptr, B_ptr, C_ptr, dy_ptr, hs_ptr, g0_ptr,
                         dx_ptr, ddt_ptr, dA_ptr, dBp_ptr, dCp_ptr, L, Di, NCB, T, NCH,
                         N: tl.constexpr, BLOCK_C: tl.constexpr, PREFETCH: tl.constexpr,
                         HAS_G0: tl.constexpr):
        pid_b = tl.program_id(0)
        pid_c = tl.program_id(1)
        pid_k = tl.program_id(2)
        offs_c = pid_c * BLOCK_C + tl.arange(0, BLOCK_C)
        offs_n = tl.arange(0, N)
        mask_c = offs_c < Di
        mask_n = offs_n < N
        mask_cn = mask_c[:, None] & mask_n[None, :]
        A = tl.load(A_ptr + offs_c[:, None] * N + offs_n[None, :], mask=mask_cn, other=0.0)
        start = pid_k * T
        n = tl.minimum(T, L - start)
        row = pid_b.to(tl.int64) * L
        st = ((pid_b.to(tl.int64) * NCH + pid_k) * Di + offs_c[:, None]) * N + offs_n[None, :]
        if HAS_G0:  # what the chunks after this one send back to its last state
            g = tl.load(g0_ptr + st, mask=mask_cn, other=0.0)
        else:
            g = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        dA_acc = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        # partial sums of dB, dC: (b, NCB, L, N)
        prow = (pid_b.to(tl.int64) * NCB + pid_c) * L
        # PREFETCH as in the forward kernel: step t-1's inputs load while step t computes.
        t_last = start + n - 1
        last = row + t_last
        if PREFETCH:
            xt = tl.load(x_ptr + last * Di + offs_c, mask=mask_c, other=0.0)
            dtt = tl.load(dt_ptr + last * Di + offs_c, mask=mask_c, other=0.0)
            dyt = tl.load(dy_ptr + last * Di + offs_c, mask=mask_c, other=0.0)
            Bt = tl.load(B_ptr + last * N + offs_n)
            Ct = tl.load(C_ptr + last * N + offs_n)
            h_prev = tl.load(hs_ptr + ((last - 1) * Di + offs_c[:, None]) * N + offs_n[None, :],
                             mask=mask_cn & (t_last > 0), other=0.0).to(tl.float32)
        else:
            xt = tl.zeros([BLOCK_C], dtype=tl.float32)
            dtt = tl.zeros([BLOCK_C], dtype=tl.float32)
            dyt = tl.zeros([BLOCK_C], dtype=tl.float32)
            Bt = tl.zeros([N], dtype=tl.float32)
            Ct = tl.zeros([N], dtype=tl.float32)
            h_prev = tl.zeros([BLOCK_C, N], dtype=tl.float32)
        for i in range(n):
            t = t_last - i
            pos = row + t
            if PREFETCH:
                more = i + 1 < n
                xn = tl.load(x_ptr + (pos - 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                dtn = tl.load(dt_ptr + (pos - 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                dyn = tl.load(dy_ptr + (pos - 1) * Di + offs_c, mask=mask_c & more, other=0.0)
                Bn = tl.load(B_ptr + (pos - 1) * N + offs_n, mask=mask_n & more, other=0.0)
                Cn = tl.load(C_ptr + (pos - 1) * N + offs_n, mask=mask_n & more, other=0.0)
                hn = tl.load(hs_ptr + ((pos - 2) * Di + offs_c[:, None]) * N + offs_n[None, :],
                             mask=mask_cn & more & (t > 1), other=0.0).to(tl.float32)
            else:
                xt = tl.load(x_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                dtt = tl.load(dt_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                dyt = tl.load(dy_ptr + pos * Di + offs_c, mask=mask_c, other=0.0)
                Bt = tl.load(B_ptr + pos * N + offs_n)
                Ct = tl.load(C_ptr + pos * N + offs_n)
                h_prev = tl.load(hs_ptr + ((pos - 1) * Di + offs_c[:, None]) * N + offs_n[None, :],
                                 mask=mask_cn & (t > 0), other=0.0).to(tl.float32)
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
        # dA: one partial per (batch row, chunk), summed by PyTorch
        tl.store(dA_ptr + st, dA_acc, mask=mask_cn)


def _chunks(L):
    """(chunk length, chunks): the walk splits the sequence into chunks that run in parallel, their
    states carried across by _chunk_combine_kernel; chunk 0 in the config means one chunk."""
    T = min(TRITON_CONFIG["chunk"] or L, L)
    return T, triton.cdiv(L, T)


def _scan_fwd(x, dt, A, B, C, save_h: bool, write_y: bool = True):
    """y (if write_y), every state h_t (if save_h), and the chunks' decays P (None with one chunk)."""
    b, L, Di = x.shape
    N = A.shape[1]
    bc, nw, pf = TRITON_CONFIG["block_c"], TRITON_CONFIG["num_warps"], TRITON_CONFIG["prefetch"]
    T, nch = _chunks(L)
    ncb = triton.cdiv(Di, bc)
    none = x.new_empty(1)
    y = torch.empty_like(x) if write_y else none
    hs = x.new_empty(b, L, Di, N, dtype=H_DTYPE) if save_h else none
    P = None
    h0 = none
    if nch > 1:  # each chunk from zero, then the state entering each chunk
        hend, P, h0 = x.new_empty(b, nch, Di, N), x.new_empty(b, nch, Di, N), x.new_empty(b, nch, Di, N)
        _scan_fwd_kernel[(b, ncb, nch)](x, dt, A, B, C, none, none, none, hend, P, L, Di, T, nch, N=N,
                                        BLOCK_C=bc, SAVE_H=False, WRITE_Y=False, PREFETCH=pf,
                                        HAS_H0=False, WRITE_END=True, num_warps=nw)
        _chunk_combine_kernel[(b, ncb)](P, hend, h0, nch, Di, N=N, BLOCK_C=bc, REVERSE=False, num_warps=nw)
    _scan_fwd_kernel[(b, ncb, nch)](x, dt, A, B, C, y, hs, h0, none, none, L, Di, T, nch, N=N, BLOCK_C=bc,
                                    SAVE_H=save_h, WRITE_Y=write_y, PREFETCH=pf, HAS_H0=nch > 1,
                                    WRITE_END=False, num_warps=nw)
    return y, hs, P


class _TritonScan(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, dt, A, B, C):
        keep = SAVE_H_IN_FORWARD and any(ctx.needs_input_grad)
        y, hs, P = _scan_fwd(x, dt, A, B, C, save_h=keep)
        ctx.save_for_backward(x, dt, A, B, C)
        ctx.kept = (hs, P) if keep else None
        return y

    @staticmethod
    def backward(ctx, dy):
        x, dt, A, B, C = ctx.saved_tensors
        dy = dy.float().contiguous()
        b, L, Di = x.shape
        N = A.shape[1]
        bc, nw, pf = TRITON_CONFIG["block_c"], TRITON_CONFIG["num_warps"], TRITON_CONFIG["prefetch"]
        T, nch = _chunks(L)
        if ctx.kept is not None:
            hs, P = ctx.kept
            ctx.kept = None
        else:
            _, hs, P = _scan_fwd(x, dt, A, B, C, save_h=True, write_y=False)
        ncb = triton.cdiv(Di, bc)
        g0 = x.new_empty(1)
        if nch > 1:  # what each chunk alone sends back, then what each chunk receives from later ones
            glocal, g0 = x.new_empty(b, nch, Di, N), x.new_empty(b, nch, Di, N)
            _grad_local_kernel[(b, ncb, nch)](dt, A, C, dy, glocal, L, Di, T, nch, N=N, BLOCK_C=bc, num_warps=nw)
            _chunk_combine_kernel[(b, ncb)](P, glocal, g0, nch, Di, N=N, BLOCK_C=bc, REVERSE=True, num_warps=nw)
            del glocal
        dx = torch.empty_like(x)
        ddt = torch.empty_like(dt)
        dA = x.new_empty(b, nch, Di, N)
        dBp = x.new_empty(b, ncb, L, N)
        dCp = x.new_empty(b, ncb, L, N)
        _scan_bwd_kernel[(b, ncb, nch)](x, dt, A, B, C, dy, hs, g0, dx, ddt, dA, dBp, dCp, L, Di, ncb, T, nch,
                                        N=N, BLOCK_C=bc, PREFETCH=pf, HAS_G0=nch > 1, num_warps=nw)
        del hs
        return dx, ddt, dA.sum((0, 1)), dBp.sum(1), dCp.sum(1)


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


def check(fn, device, shapes=((2, 37, 40, 16), (1, 130, 24, 8), (3, 64, 33, 16), (1, 1, 8, 16)), tol=None, label="",
          quiet=False):
    """Relative error of outputs and all gradients against the naive scan in float64 (within 1e-4;
    1e-2 where the kept states are stored in bfloat16, whose rounding is about 4e-3)."""
    tol = tol or (1e-4 if H_DTYPE == torch.float32 else 1e-2)
    worst = 0.0
    for shp in shapes:
        ins = _inputs(*shp, device=device, seed=sum(shp))
        ref_ins = [t.detach().double().cpu().requires_grad_(True) for t in ins]
        y = fn(*ins)
        yr = _naive(*ref_ins)
        w = torch.randn(yr.shape, generator=torch.Generator().manual_seed(7), dtype=torch.float64)
        (y.double().cpu() * w).sum().backward()
        (yr * w).sum().backward()
        # relative error; a reference that is exactly zero (dA when L = 1) is compared absolutely
        rel = lambda got, ref: ((got - ref).norm() / ref.norm().clamp_min(1e-12)).item()  # noqa: E731
        errs = [rel(y.double().cpu(), yr)] + [rel(a.grad.double().cpu(), r.grad) for a, r in zip(ins, ref_ins)]
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


# (BLOCK_C, num_warps, prefetch, chunk); the five fastest of 12 at b 16, L 8192, Di 640 on the H200
# (stop 26: 6.99-8.09 ms forward and backward; one whole walk, 8 x 1, 17.8 ms before chunks)
CANDIDATES = ((32, 1, True, 512), (16, 1, True, 256), (16, 1, True, 128), (16, 1, True, 512), (8, 1, True, 256))
if os.environ.get("SCAN_CANDIDATES"):  # "bc,warps,prefetch,chunk;..." to widen the search
    CANDIDATES = tuple(tuple(int(v) for v in c.split(",")) for c in os.environ["SCAN_CANDIDATES"].split(";"))


def tune(b, L, Di, N, device="cuda", candidates=CANDIDATES):
    """Picks (BLOCK_C, num_warps, prefetch, chunk) by timing forward+backward among the candidates
    that pass the check against the naive scan (chunked ones checked with 16-step chunks, so that
    the check's short sequences span several); returns the table. With none passing the config is
    left as it was."""
    table = []
    before = dict(TRITON_CONFIG)
    for bc, nw, pf, ch in candidates:
        name = f"block_c {bc} warps {nw} prefetch {int(pf)} chunk {ch}"
        TRITON_CONFIG.update(block_c=bc, num_warps=nw, prefetch=pf, chunk=min(ch, 16))
        try:
            ok, worst = check(selective_scan_triton, device, label=name, quiet=True)
            if not ok:
                print(f"[scan tune] {name}: failed its check (worst {worst:.1e})")
                continue
            TRITON_CONFIG.update(chunk=ch)
            table.append((bench(selective_scan_triton, b, L, Di, N, device), bc, nw, pf, ch))
        except Exception as e:  # noqa: BLE001
            print(f"[scan tune] {name}: failed {e!r}"[:2000])
    table.sort()
    for t, bc, nw, pf, ch in table:
        print(f"[scan tune] block_c {bc:3d} warps {nw} prefetch {int(pf)} chunk {ch:4d}: fwd+bwd {t * 1e3:8.2f} ms  "
              f"(b {b}, L {L}, Di {Di}, N {N})")
    TRITON_CONFIG.update(before)
    if table:
        TRITON_CONFIG.update(block_c=table[0][1], num_warps=table[0][2], prefetch=table[0][3], chunk=table[0][4])
    return table


if __name__ == "__main__":
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    if HAVE_TRITON and (dev == "cuda" or os.environ.get("TRITON_INTERPRET") == "1"):
        for bc, nw, pf, ch in ((16, 1, False, 0), (16, 1, True, 0), (8, 1, True, 16), (32, 2, False, 7)):
            TRITON_CONFIG.update(block_c=bc, num_warps=nw, prefetch=pf, chunk=ch)
            ok, worst = check(selective_scan_triton, dev, label=f"triton bc{bc} pf{int(pf)} chunk{ch}")
            print(f"triton (block_c {bc}, prefetch {int(pf)}, chunk {ch}) ok={ok} worst={worst:.1e}")
        TRITON_CONFIG.update(block_c=16, num_warps=1, prefetch=False, chunk=0)
        kept, SAVE_H_IN_FORWARD = SAVE_H_IN_FORWARD, not SAVE_H_IN_FORWARD
        ok, worst = check(selective_scan_triton, dev, label=f"triton, states kept from the forward pass: {SAVE_H_IN_FORWARD}")
        print(f"triton (states kept from the forward pass: {SAVE_H_IN_FORWARD}) ok={ok} worst={worst:.1e}")
        SAVE_H_IN_FORWARD = kept
    ok, worst = check(selective_scan_chunked, dev, label="chunked", shapes=((2, 37, 40, 16), (1, 300, 24, 8)))
    print(f"chunked ok={ok} worst={worst:.1e}")
    if dev == "cuda":
        tune(*(int(v) for v in os.environ.get("SCAN_SHAPE", "8,2048,512,16").split(",")))
