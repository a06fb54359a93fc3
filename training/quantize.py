"""Stores a model folder's weight matrices as int8 (docs/model-format.md, "Int8 weights").

    python3 training/quantize.py SRC_DIR DST_DIR               # F16/F32/BF16 folder -> int8 folder
    python3 training/quantize.py --dequantize SRC_I8_DIR DST_DIR  # int8 folder -> F32 folder

Quantized: every 2-D tensor whose name ends in `.weight` with at least GROUP (32) columns, except
`dt_proj.weight` (the engine keeps it in f16) -- so the blocks' projections, the MLP and the
embedding. Everything else (norms, conv1d, biases, A_log, D, dt_proj) is copied unchanged.

Each row is cut into groups of 32 columns (the last may be short); per group
    s = float16(max|w| / 127)          (computed in float32, then rounded to f16)
    q = clip(round(w / s), -127, 127)  (w / s in float64, round = floor(x + 0.5), i.e. JavaScript's
                                        Math.round, as the engine's quantizeRow; q = 0 where s == 0)
stored as `<name>` I8 [rows, cols] and `<name>.scale` F16 [rows, ceil(cols / 32)] in the same file.
The engine reads w back as fround(float32(s) * q). With an f16 scale and a group whose largest |q| is
127, the engine's GPU int8 storage (which quantizes those values again with f32 scales) gets exactly
the same values back. Where a group's f16 scale is too coarse for that (max|w| below about 2e-3:
the scale is an f16 subnormal and the largest |q| is not 127) or out of f16 range, the whole tensor's
scales are written as F32 instead (printed), which the GPU storage reads back to within 1 ulp.

--dequantize writes every tensor as F32 with exactly the values the engine's loader computes, for
PyTorch reference logits (training/samba.py load_model reads it).

Needs only numpy. Output: one model.safetensors if the weights are at most 15 MiB (--shard-mib), else
shards model-0000k-of-0000n.safetensors of about 15 MiB each plus model.safetensors.index.json, as
training/samba.py save_model writes them; a tensor and its scales are always in the same shard.
"""
import argparse
import json
import math
import os
import shutil
import struct
import sys

import numpy as np

GROUP = 32
SHARD_BYTES = 15 * 2**20
SCALE = ".scale"
NP = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "BF16": np.dtype("<u2"), "I8": np.dtype("i1")}
DTYPE_OF = {np.dtype("<f4"): "F32", np.dtype("<f2"): "F16", np.dtype("i1"): "I8"}


def fail(msg):
    sys.exit(f"quantize.py: {msg}")


def read_safetensors(path):
    """{name: (dtype, shape, raw numpy array)} in file order; BF16 stays as uint16 bits."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    entries = [(k, v) for k, v in header.items() if k != "__metadata__"]
    for name, t in sorted(entries, key=lambda kv: kv[1]["data_offsets"][0]):
        if t["dtype"] not in NP:
            fail(f"{path}: tensor {name!r} has dtype {t['dtype']}; expected F32, F16, BF16 or I8")
        b, e = t["data_offsets"]
        arr = np.frombuffer(data, dtype=NP[t["dtype"]], count=(e - b) // NP[t["dtype"]].itemsize, offset=base + b)
        out[name] = (t["dtype"], list(t["shape"]), arr.reshape(t["shape"]))
    return out


def to_f32(dtype, arr):
    if dtype == "BF16":
        return (arr.astype(np.uint32) << 16).view(np.float32)
    return arr.astype(np.float32)


def write_safetensors(path, tensors, metadata):
    """tensors: {name: numpy array}; written widest dtype first so every tensor is aligned."""
    order = sorted(tensors, key=lambda k: -tensors[k].dtype.itemsize)
    header, offset = {}, 0
    for k in order:
        a = tensors[k]
        header[k] = {"dtype": DTYPE_OF[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for k in order:
            f.write(np.ascontiguousarray(tensors[k]).tobytes())


def read_folder(src):
    """{name: (dtype, shape, array)} over all shards, in shard order."""
    index = os.path.join(src, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    elif os.path.exists(os.path.join(src, "model.safetensors")):
        files = ["model.safetensors"]
    else:
        fail(f"{src} has neither model.safetensors nor model.safetensors.index.json")
    out = {}
    for fname in files:
        out.update(read_safetensors(os.path.join(src, fname)))
    return out, files


def round_half_up(x):
    """JavaScript's Math.round: floor(x + 0.5) without the x + 0.5 rounding error."""
    f = np.floor(x)
    return f + (x - f >= 0.5)


def quantize(w):
    """w: float32 [rows, cols] -> (q int8 [rows, cols], scales f16 or f32 [rows, groups])."""
    rows, cols = w.shape
    groups = math.ceil(cols / GROUP)
    padded = np.zeros((rows, groups * GROUP), np.float32)
    padded[:, :cols] = w
    g = padded.reshape(rows, groups, GROUP)
    m = np.abs(g).max(axis=2)  # float32
    s32 = (m / np.float32(127)).astype(np.float32)
    for scales in (s32.astype(np.float16), s32):
        s = scales.astype(np.float32).astype(np.float64)[:, :, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(s > 0, g.astype(np.float64) / s, 0.0)
        q = np.clip(round_half_up(r), -127, 127)
        qmax = np.abs(q).max(axis=2)
        # Every group with a weight in it must reach |q| = 127, so the engine's own int8 storage
        # reads these values back unchanged (module docstring).
        if np.isfinite(scales.astype(np.float32)).all() and (qmax[m > 0] == 127).all():
            return q.reshape(rows, groups * GROUP)[:, :cols].astype(np.int8), scales
    fail("unreachable: f32 scales always reach 127")


def dequantize(q, scales):
    rows, cols = q.shape
    s = np.repeat(scales.astype(np.float32), GROUP, axis=1)[:, :cols]
    return s * q.astype(np.float32)  # one f32 multiply: fround(s * q)


def wants_int8(name, shape):
    return len(shape) == 2 and name.endswith(".weight") and shape[1] >= GROUP and not name.endswith("dt_proj.weight")


def shard(names, nbytes, n_shards):
    """Splits names (in order) into n_shards runs of about equal bytes; a unit (a tensor, or one with
    its scales) is never cut. samba.py save_model, grow.py and write_weights all split this way."""
    target = sum(nbytes.values()) / n_shards
    shards, cur, cur_bytes = [], [], 0
    for n in names:
        nb = nbytes[n]
        if cur and cur_bytes + nb / 2 > target and len(shards) < n_shards - 1:
            shards.append(cur)
            cur, cur_bytes = [], 0
        cur.append(n)
        cur_bytes += nb
    shards.append(cur)
    return shards


def write_weights(dst, out, metadata, shard_bytes=SHARD_BYTES):
    """out: {unit name: {tensor name: array}}, in order (a unit, a tensor with its scales, stays in one
    file): model.safetensors, or shards of about shard_bytes split as samba.py save_model splits them,
    with model.safetensors.index.json. Earlier weight files in dst are removed. Returns (files, bytes)."""
    os.makedirs(dst, exist_ok=True)
    for f in os.listdir(dst):
        if f.endswith(".safetensors") or f == "model.safetensors.index.json":
            os.remove(os.path.join(dst, f))
    nbytes = {u: sum(a.nbytes for a in ts.values()) for u, ts in out.items()}
    total = sum(nbytes.values())
    n_shards = max(1, math.ceil(total / shard_bytes))
    if n_shards == 1:
        write_safetensors(os.path.join(dst, "model.safetensors"), {k: a for ts in out.values() for k, a in ts.items()}, metadata)
        return ["model.safetensors"], total
    shards = shard(list(out), nbytes, n_shards)
    weight_map, files = {}, []
    for i, units in enumerate(shards):
        fname = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        ts = {k: a for u in units for k, a in out[u].items()}
        write_safetensors(os.path.join(dst, fname), ts, metadata)
        weight_map.update({k: fname for k in ts})
        files.append(fname)
    with open(os.path.join(dst, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
        f.write("\n")
    return files, total


def write_folder(src, dst, out, metadata):
    """src's config.json and tokenizer.json, and the weights (write_weights)."""
    os.makedirs(dst, exist_ok=True)
    for f in ("config.json", "tokenizer.json"):
        if os.path.exists(os.path.join(src, f)):
            shutil.copy(os.path.join(src, f), os.path.join(dst, f))
        else:
            print(f"warning: {src} has no {f}")
    return write_weights(dst, out, metadata)


def folder_bytes(d, files):
    return sum(os.path.getsize(os.path.join(d, f)) for f in files)


def run_quantize(src, dst):
    tensors, src_files = read_folder(src)
    out, n_q, n_q_params, f32_scales, worst = {}, 0, 0, [], 0.0
    for name, (dtype, shape, arr) in tensors.items():
        if name.endswith(SCALE) or dtype == "I8":
            fail(f"{src}: tensor {name!r} is already int8 (or its scales); quantize an F16/F32/BF16 folder")
        if not wants_int8(name, shape):
            out[name] = {name: arr if dtype != "BF16" else to_f32(dtype, arr)}
            continue
        w = to_f32(dtype, arr)
        if not np.isfinite(w).all():
            fail(f"{src}: tensor {name!r} holds NaN or infinite values; export it again from a good checkpoint")
        q, scales = quantize(w)
        if scales.dtype == np.float32:
            f32_scales.append(name)
        back = dequantize(q, scales)
        # error relative to each row's largest |w| (tiny rows excluded)
        rowmax = np.abs(w).max(axis=1, keepdims=True)
        worst = max(worst, float((np.abs(back - w) / np.where(rowmax > 0, rowmax, 1)).max()))
        out[name] = {name: q, name + SCALE: scales}
        n_q += 1
        n_q_params += q.size
    if any(d == "BF16" for d, _, _ in tensors.values()):
        print("note: BF16 tensors that stay unquantized are written as F32 (exact)")
    files, total = write_folder(src, dst, out, {"format": "pt", "quantization": f"int8, per row in groups of {GROUP}, <name>.scale"})
    before = folder_bytes(src, src_files)
    after = folder_bytes(dst, files)
    n_params = sum(a.size for _, _, a in tensors.values())
    print(f"{src}: {len(tensors)} tensors, {n_params:,} parameters, weights {before:,} bytes ({before / 1e6:.2f} MB) in {len(src_files)} file(s)")
    print(f"{dst}: {n_q} matrices ({n_q_params:,} parameters) as int8, weights {after:,} bytes ({after / 1e6:.2f} MB) in {len(files)} file(s): {', '.join(files)}")
    print(f"largest |w - dequantized| / (row max |w|): {worst:.3g}")
    if f32_scales:
        print(f"F32 scales (some group's f16 scale could not round-trip): {', '.join(f32_scales)}")


def run_dequantize(src, dst):
    tensors, src_files = read_folder(src)
    out = {}
    for name, (dtype, shape, arr) in tensors.items():
        if name.endswith(SCALE) and name[: -len(SCALE)] in tensors and tensors[name[: -len(SCALE)]][0] == "I8":
            continue
        if dtype == "I8":
            if name + SCALE not in tensors:
                fail(f"{src}: I8 tensor {name!r} has no {name + SCALE!r}")
            sd, _, s = tensors[name + SCALE]
            out[name] = {name: dequantize(arr, to_f32(sd, s))}
        else:
            out[name] = {name: to_f32(dtype, arr)}
    files, total = write_folder(src, dst, out, {"format": "pt"})
    print(f"{src}: weights {folder_bytes(src, src_files):,} bytes -> {dst}: F32, {folder_bytes(dst, files):,} bytes in {len(files)} file(s)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dequantize", action="store_true", help="write an F32 copy of an int8 folder")
    ap.add_argument("--shard-mib", type=float, default=15, help="largest single file before sharding (default 15)")
    ap.add_argument("src")
    ap.add_argument("dst")
    a = ap.parse_args()
    if os.path.abspath(a.src) == os.path.abspath(a.dst):
        fail("SRC_DIR and DST_DIR must differ")
    global SHARD_BYTES
    SHARD_BYTES = int(a.shard_mib * 2**20)
    (run_dequantize if a.dequantize else run_quantize)(a.src, a.dst)


if __name__ == "__main__":
    main()
