"""Trains the default model: data, Samba training, export. Runs on the GPU machine, driven by
training/run_device.sh (start -> wait -> collect):

    python3 training/train.py prepare --work /tmp/w --tokenizer models/default/tokenizer.json
    python3 training/train.py train   --work /tmp/w --budget 600 [--init models/default]
    python3 training/train.py export  --work /tmp/w --out /tmp/w/model

prepare: reads every corpus shard (/tmp/corpus/*.jsonl.xz and the v1 corpus, or --corpus; JSONL
    {"repo", "path", "lang", "split", "text"}, a repository's files consecutive) with one process
    per shard, then turns each training repository into one sequence in prompt layout v2
    (training/transforms.py repo_segments: workspace order, completion targets left out and
    replaced by block + FIM examples, v1 FIM, cross-file, summary and Q&A examples) and tokenizes
    it, every text piece on its own, in --procs worker processes; the stream is the repositories
    in random order (uint16, WORK/train.bin) plus WORK/starts.npy, the offsets where a unit (a
    file, a target's examples, the Q&A) starts. Stops at --prep-budget seconds with what is done.
    Held-out repositories are written plain (workspace order, no transforms), one stream each.
train: a smoke check on a tiny model first (blocked window attention, fast vs reference paths,
    bf16 steps that must lower the loss, save/load), then Samba from training/samba.py with the
    Triton selective scan (training/scan.py, checked and tuned), sliding-window flex_attention and
    the conv as shifted multiply-adds on CUDA (--attention, --conv), bf16 autocast, torch.compile of
    the model with its loss when it is faster (any error: eager), AdamW, warmup then cosine decay
    over a wall-clock budget. Windows of seq + 1 tokens, half of them starting at a unit start.
    Logs tokens/s and model FLOP utilisation to WORK/train_log.jsonl; WORK/state.json says where
    the run stands (tokens seen over all sessions, losses, the command that continues it).
export: rounds the weights to f16, writes the model folder (docs/model-format.md) in shards of at
    most --shard-mib, evaluates held-out loss in float32 from the f16 weights (and by position, to
    8x the training length), greedy samples, and the parity reference (float32, CPU, naive
    reference paths) -> WORK/results.json, WORK/default-model-reference.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import math
import os
import random
import shutil
import subprocess
import sys
import time

try:
    import numpy as np
except ImportError:  # the GPU machine has it; the plain-Python tests import this file without it
    np = None

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import transforms as T  # noqa: E402
from transforms import EOT, FILE, FIM_MID, FIM_PRE, FIM_SUF, SPECIALS, SUMMARY  # noqa: E402,F401


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def need_torch():
    """torch, torch.nn.functional and training/samba.py, imported on first use (prepare runs without them)."""
    global torch, F, S
    if torch is None:
        import torch as _torch
        import torch.nn.functional as _F
        import samba as _S
        torch, F, S = _torch, _F, _S


torch = F = S = None

# ----------------------------------------------------------------------------------------------
# prepare
# ----------------------------------------------------------------------------------------------

DEVICE_CORPUS = "/tmp/corpus"  # where the data helper's shards land on the GPU machine


def corpus_paths(a) -> list[str]:
    """--corpus paths (files or folders of *.jsonl.xz), or by default every shard in /tmp/corpus plus
    the v1 corpus when it is there. Fails, naming what it looked for, when nothing is found."""
    import glob

    wanted = a.corpus or [DEVICE_CORPUS, os.path.join(HERE, "data", "corpus", "corpus.jsonl.xz")]
    out = []
    for p in wanted:
        if os.path.isdir(p):
            out += sorted(glob.glob(os.path.join(p, "*.jsonl.xz")))
        elif os.path.isfile(p):
            out.append(p)
        elif a.corpus:
            raise SystemExit(f"prepare: --corpus {p}: no such file or folder")
    if not out:
        raise SystemExit(f"prepare: no corpus shards in {wanted}; copy the *.jsonl.xz shards to {DEVICE_CORPUS}/ "
                         "(the data helper's device commands) or pass --corpus")
    return out


def read_shard(path):
    """One JSONL.xz shard -> [(repo, split, [files])] in file order (a repository's files are consecutive).
    Texts stay as they are: special-token strings in them are encoded as text (load_tokenizer)."""
    out, cur = [], None
    n = 0
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
                rec = {"path": r["path"], "lang": r["lang"], "text": r["text"]}
                repo, split = r["repo"], r["split"]
            except (ValueError, KeyError, TypeError) as e:
                raise SystemExit(f"prepare: {path} line {n}: not a corpus record "
                                 f"({{repo, path, lang, split, text}}): {e!r}")
            if cur is None or cur[0] != repo:
                cur = (repo, split, [])
                out.append(cur)
            cur[2].append(rec)
    return path, out


def load_tokenizer(path):
    """The tokenizer for training text: special-token strings inside a text piece are encoded as
    plain text, never as special ids (as the extension's Tokenizer.encode; checked against the
    golden ids by training/test_prompt_golden.py). Specials enter the stream only as ints."""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    tok.encode_special_tokens = True
    return tok


def train_tokenizer(texts, vocab, path):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab, special_tokens=SPECIALS, min_frequency=2,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  max_token_length=32, show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    tok.save(path)
    return tok


def encode_segments(tok, segs, marks=()):
    """A segment list (ints = special ids, str = text pieces, each encoded alone) -> (uint16 array,
    token offsets of the segment indices in marks)."""
    texts = list(dict.fromkeys(s for s in segs if isinstance(s, str) and s))  # block snippets repeat: encode once
    ids = {t: e.ids for t, e in zip(texts, tok.encode_batch(texts, add_special_tokens=False))} if texts else {}
    out, offs, at = [], [], 0
    marks = set(marks)
    for i, s in enumerate(segs):
        if i in marks:
            offs.append(at)
        if isinstance(s, int):
            out.append(np.array([s], dtype=np.uint16))
            at += 1
        elif s:
            arr = np.asarray(ids[s], dtype=np.uint16)
            out.append(arr)
            at += len(arr)
    return (np.concatenate(out) if out else np.zeros(0, np.uint16)), offs


_W = {}  # per worker process: tokenizer, options, work folder


def _worker_init(tok_path, opts, work):
    os.environ["RAYON_NUM_THREADS"] = "1"  # one process per core already
    _W.update(tok=load_tokenizer(tok_path), opts=opts, work=work)


def _prepare_batch(job):
    """Worker: one batch of repositories -> WORK/parts/NNNNN.bin; returns its token count, window
    starts (offsets in the part), transform stats and characters by language."""
    bid, seed, repos = job
    rng = random.Random(seed * 1_000_003 + bid)
    stats, lang_chars, arrs, starts, at = {}, {}, [], [], 0
    for files in repos:
        marks = []
        segs = T.repo_segments(files, rng, _W["opts"], stats, marks)
        arr, offs = encode_segments(_W["tok"], segs, marks)
        arrs.append(arr)
        starts += [at + o for o in offs]
        at += len(arr)
        for f in files:
            lang_chars[f["lang"]] = lang_chars.get(f["lang"], 0) + len(f["text"])
    arr = np.concatenate(arrs) if arrs else np.zeros(0, np.uint16)
    arr.tofile(os.path.join(_W["work"], "parts", f"{bid:05d}.bin"))
    return bid, len(arr), np.asarray(starts, dtype=np.int64), stats, lang_chars


def cmd_prepare(a):
    """Reads every shard (processes in parallel), then turns repositories into the training stream
    with --procs worker processes (transforms + tokenizer in each), in batches of about
    --batch-chars characters, largest first. If --prep-budget seconds pass before all batches are
    done, it stops there and trains on the finished ones (a random subset of repositories; the log
    and prep.json say how much)."""
    import multiprocessing as mp

    os.makedirs(os.path.join(a.work, "parts"), exist_ok=True)
    for f in os.listdir(os.path.join(a.work, "parts")):
        os.remove(os.path.join(a.work, "parts", f))
    t0 = time.time()
    paths = corpus_paths(a)
    procs = a.procs or os.cpu_count() or 4
    repos, dup = {}, 0
    with mp.get_context("fork").Pool(min(procs, len(paths))) as pool:
        for path, recs in pool.imap(read_shard, paths):
            for name, split, files in recs:
                if name in repos:  # the same repository in two sources: the first one read wins
                    dup += 1
                    continue
                repos[name] = {"split": split, "files": files}
    train = {k: v for k, v in repos.items() if v["split"] == "train"}
    if a.sources == "v1":
        import corpus  # noqa: E402 (only here: its lists are what v1 means)
        n_all = len(train)
        train = {k: v for k, v in train.items() if corpus.v1_source(k)}
        log(f"--sources v1: {len(train)} of {n_all} training repositories kept")
    held = {k: v for k, v in repos.items() if v["split"] != "train"}
    chars = {k: sum(len(f["text"]) for f in v["files"]) for k, v in repos.items()}
    log(f"corpus: {len(paths)} shard(s) {[os.path.basename(p) for p in paths]}; {len(train)} train repos, "
        f"{len(held)} held-out repos, {sum(chars.values()) / 1e6:.1f} M chars, {dup} duplicate repo names skipped "
        f"({time.time() - t0:.0f}s)")
    if not train:
        raise SystemExit("prepare: the corpus has no repository with split 'train'")

    rng = random.Random(a.seed)
    tok_path = os.path.join(a.work, "tokenizer.json")
    if a.tokenizer:
        # Continuing a model: its own tokenizer, so that its token ids keep their meaning.
        shutil.copyfile(a.tokenizer, tok_path)
    else:
        files = [f for v in train.values() for f in v["files"]]
        rng.shuffle(files)
        sample, n = [], 0
        for f in files:
            if n > a.tok_chars:
                break
            sample.append(f["text"])
            n += len(f["text"])
        train_tokenizer(sample, a.vocab, tok_path)
    tok = load_tokenizer(tok_path)
    got = [tok.token_to_id(s) for s in SPECIALS]
    if got != list(range(len(SPECIALS))):
        raise SystemExit(f"prepare: tokenizer {a.tokenizer or tok_path}: special tokens {SPECIALS} must have ids "
                         f"0..{len(SPECIALS) - 1}, got {got}")
    log(f"tokenizer: vocab {tok.get_vocab_size()} {'from ' + a.tokenizer if a.tokenizer else 'trained'} "
        f"({time.time() - t0:.0f}s)")

    # a huge repository (a whole framework) becomes consecutive parts, so that no one job outlasts the rest
    n_split = 0
    for name in sorted(train):
        if chars[name] > a.max_repo_chars:
            part, n, k = [], 0, 0
            for f in T.workspace_order(train.pop(name)["files"]) + [None]:
                if f is None or (part and n + len(f["text"]) > a.max_repo_chars):
                    train[f"{name}#{k}"] = {"split": "train", "files": part}
                    chars[f"{name}#{k}"] = n
                    part, n, k = [], 0, k + 1
                if f is not None:
                    part.append(f)
                    n += len(f["text"])
            n_split += 1
    if n_split:
        log(f"{n_split} repositories over {a.max_repo_chars / 1e6:.0f} M chars split into parts")
    # batches of whole repositories in random order; the largest batches are submitted first
    order = sorted(train)
    rng.shuffle(order)
    if a.max_chars:
        keep, n = [], 0
        for name in order:
            if n >= a.max_chars:
                break
            keep.append(name)
            n += chars[name]
        order = keep
    batches, cur, n = [], [], 0
    for name in order:
        cur.append(name)
        n += chars[name]
        if n >= a.batch_chars:
            batches.append(cur)
            cur, n = [], 0
    if cur:
        batches.append(cur)
    opts = T.Options(fim_rate=a.fim_rate, prefix_rate=a.prefix_rate, old_fim_rate=a.old_fim_rate, spm_rate=a.spm_rate,
                     summary_rate=a.summary_rate, max_symbols=a.summary_max_symbols, xfile_rate=a.xfile_rate,
                     qa_per_repo=a.qa_per_repo, block_chars=a.block_chars, max_prefix_chars=a.fim_prefix_chars,
                     max_suffix_chars=a.fim_suffix_chars)
    jobs = [(i, a.seed, [train[name]["files"] for name in b]) for i, b in enumerate(batches)]
    submit = sorted(jobs, key=lambda j: -sum(len(f["text"]) for fs in j[2] for f in fs))
    total_chars = sum(chars[n] for n in order)
    done, stats, lang_chars, done_chars = {}, {}, {}, 0
    t1 = time.time()
    ctx = mp.get_context("fork")
    pool = ctx.Pool(procs, initializer=_worker_init, initargs=(tok_path, opts, a.work), maxtasksperchild=50)
    try:
        it = pool.imap_unordered(_prepare_batch, submit)
        last_log = time.time()
        while len(done) < len(jobs):
            left = a.prep_budget - (time.time() - t0)
            try:
                bid, ntok, starts, st, lc = it.next(timeout=max(left, 0.01))
            except mp.TimeoutError:
                log(f"prepare budget ({a.prep_budget:.0f}s) reached: training on {len(done)} of {len(jobs)} batches "
                    f"({done_chars / total_chars:.0%} of the characters)")
                break
            done[bid] = (ntok, starts)
            bchars = sum(lc.values())
            done_chars += bchars
            for k, v in st.items():
                stats[k] = stats.get(k, 0) + v
            for k, v in lc.items():
                lang_chars[k] = lang_chars.get(k, 0) + v
            if time.time() - last_log > 15:
                el = time.time() - t1
                log(f"prepare: {len(done)}/{len(jobs)} batches, {done_chars / 1e6:.0f}/{total_chars / 1e6:.0f} M chars, "
                    f"{done_chars / 1e6 / el:.1f} M chars/s, ETA {(total_chars - done_chars) / max(done_chars / el, 1):.0f}s")
                last_log = time.time()
    finally:
        pool.terminate()
        pool.join()
    if not done:
        raise SystemExit("prepare: no batch finished within --prep-budget; raise it")
    # the stream: finished batches in batch order (repositories in their shuffled order)
    starts_all, at = [], 0
    with open(os.path.join(a.work, "train.bin"), "wb") as out:
        for bid in sorted(done):
            ntok, starts = done[bid]
            part = os.path.join(a.work, "parts", f"{bid:05d}.bin")
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out, 1 << 24)
            os.remove(part)
            starts_all.append(starts + at)
            at += ntok
    starts_all = np.concatenate(starts_all) if starts_all else np.zeros(0, np.int64)
    n_tokens = at
    stream = np.memmap(os.path.join(a.work, "train.bin"), dtype=np.uint16, mode="r")
    if len(stream) != n_tokens or (len(starts_all) and not (stream[starts_all] == FILE).all()):
        raise SystemExit(f"prepare: train.bin has {len(stream)} tokens (expected {n_tokens}) or a window start is not "
                         "a <|file|> token: the parts were written wrongly")
    np.save(os.path.join(a.work, "starts.npy"), starts_all)
    used_chars = sum(lang_chars.values())
    log(f"train stream: {n_tokens / 1e6:.2f} M tokens, {len(starts_all)} window starts, {used_chars / 1e6:.1f} M chars "
        f"of files, {used_chars / max(n_tokens, 1):.2f} chars of files per token, transforms "
        f"{used_chars / 1e6 / (time.time() - t1):.1f} M chars/s with {procs} processes ({time.time() - t0:.0f}s); "
        f"{json.dumps(stats)}")

    held_info = {}
    for name, v in held.items():
        d = []
        for f in T.workspace_order(v["files"]):
            d += T.plain_file(f["path"], f["text"])
        d.append(EOT)
        arr, _ = encode_segments(tok, d)
        fn = "heldout_" + name.replace(":", "_").replace("/", "_") + ".npy"
        np.save(os.path.join(a.work, fn), arr)
        nbytes = sum(len(f["text"].encode()) + len(f["path"].encode()) + 1 for f in v["files"])
        held_info[name] = {"file": fn, "tokens": int(len(arr)), "bytes": nbytes, "files": len(v["files"]),
                           "langs": sorted({f["lang"] for f in v["files"]})}
        log(f"held-out {name}: {len(arr)} tokens, {nbytes} bytes")
    per_lang = {}
    for lang in lang_chars:  # chars/token per language on a sample of plain files
        txt = [f["text"][:20000] for name in order[:400] for f in train[name]["files"] if f["lang"] == lang][:100]
        ntok = sum(len(e.ids) for e in tok.encode_batch(txt, add_special_tokens=False))
        per_lang[lang] = round(sum(map(len, txt)) / max(ntok, 1), 3)
    info = {"train_tokens": int(n_tokens), "window_starts": int(len(starts_all)), "shards": paths,
            "train_repos": len(order), "batches_done": len(done), "batches": len(jobs),
            "chars_done_frac": round(done_chars / max(total_chars, 1), 4), "train_chars_by_lang": lang_chars,
            "chars_per_token_by_lang": per_lang, "vocab": tok.get_vocab_size(), "tokenizer": a.tokenizer or "trained",
            "heldout": held_info, "options": vars(opts) if hasattr(opts, "__dict__") else str(opts),
            "transforms": stats, "seed": a.seed, "seconds": round(time.time() - t0, 1)}
    with open(os.path.join(a.work, "prep.json"), "w") as f:
        json.dump(info, f, indent=1)
    log(f"prepare done in {time.time() - t0:.0f}s: chars/token {json.dumps(per_lang)}")


# ----------------------------------------------------------------------------------------------
# model config
# ----------------------------------------------------------------------------------------------


def model_config(a, vocab):
    return S.SambaConfig(model_type="samba", vocab_size=vocab, hidden_size=a.d, num_hidden_layers=a.layers,
                         num_attention_heads=a.heads, num_key_value_heads=a.kv_heads, head_dim=a.d // a.heads,
                         intermediate_size=a.ffn, sliding_window=a.window, max_position_embeddings=a.seq,
                         state_size=16, conv_kernel=4, expand=2, time_step_rank=None, rope_theta=10000.0,
                         rms_norm_eps=1e-5, tie_word_embeddings=True)


def pick_scan(device, bench_shape=None):
    """triton if it matches the naive scan on small shapes (and tune it), else chunked."""
    import scan as SC

    if device == "cuda" and SC.HAVE_TRITON:
        try:
            ok, worst = SC.check(SC.selective_scan_triton, device, label="triton")
            if ok:
                if bench_shape:
                    SC.tune(*bench_shape)
                S.set_impl(scan="triton", attention="sdpa")
                return {"scan": "triton", "check_worst_rel_err": worst, "config": dict(SC.TRITON_CONFIG), "states_kept_from_forward": SC.SAVE_H_IN_FORWARD, "kept_states_dtype": str(SC.H_DTYPE).removeprefix("torch.")}
            log(f"triton scan FAILED its check (worst {worst:.2e}); using chunked")
        except Exception as e:  # noqa: BLE001
            log(f"triton scan unusable: {e!r}; using chunked")
    S.set_impl(scan="chunked", attention="sdpa")
    return {"scan": "chunked"}


def pick_paths(device, bench_shape, attention="auto", conv="auto"):
    """pick_scan, then the attention and conv paths: on CUDA flex_attention and the shifted conv
    unless told (training/bench_step.py, H200, the default shape at 16 x 8,192: blocked SDPA 144 ms a
    step, flex 130, and the shifted conv 122; with the loss compiled too 104); the smoke test checks
    them against the reference before the run."""
    info = pick_scan(device, bench_shape)
    cuda = device == "cuda"
    info["attention"] = attention if attention != "auto" else ("flex" if cuda else "sdpa")
    if attention == "auto" and cuda:
        try:  # a torch without flex_attention (or one that cannot compile it) trains with SDPA
            q = torch.randn(1, 2, 256, 16, device=device)
            S.window_flex(q, q[:, :1], q[:, :1], 64)
        except Exception as e:  # noqa: BLE001
            log(f"flex_attention unusable ({e!r}); blocked SDPA")
            info["attention"] = "sdpa"
    info["conv"] = conv if conv != "auto" else ("shift" if cuda else "torch")
    S.set_impl(attention=info["attention"], conv=info["conv"])
    return info


def windows(arr: torch.Tensor, seq: int):
    """non-overlapping windows of seq+1 tokens (inputs + next-token targets), as a (n, seq+1) tensor"""
    n = (len(arr) - 1) // seq
    if n == 0:
        return arr[None]
    idx = torch.arange(n, device=arr.device)[:, None] * seq + torch.arange(seq + 1, device=arr.device)[None]
    return arr[idx]


def eval_loss(model, wins, batch, autocast: bool):
    """mean next-token cross-entropy over all targets of the windows; returns (loss, n_targets)"""
    with torch.no_grad():
        return _eval_loss(model, wins, batch, autocast)


def _eval_loss(model, wins, batch, autocast: bool):
    tot, n = 0.0, 0
    dev = next(model.parameters()).device
    for i in range(0, len(wins), batch):
        w = wins[i:i + batch].to(dev).long()
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=autocast and dev.type == "cuda"):
            logits = model(w[:, :-1])
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), w[:, 1:].reshape(-1), reduction="sum")
        tot += loss.item()
        n += w[:, 1:].numel()
    return tot / max(n, 1), n


# ----------------------------------------------------------------------------------------------
# train
# ----------------------------------------------------------------------------------------------


H200_BF16_PEAK = 790e12  # measured bf16 matrix-product rate of the H200 (shared/notes/training-on-the-device.md)
# The step from which a run's steady rate is counted (compiled by then: the compile starts at step 4).
STEADY_FROM = 100


def model_numbers(d, layers, heads, kv_heads, head_dim, ffn, vocab, window, seq, state=16, conv=4, expand=2):
    """Parameters of a Samba (tied embeddings, no biases but conv and dt) and model FLOPs per
    trained token: 6 N (the tied matrix counted once, as the LM head) + 12 x attention layers x
    heads x head_dim x keys per query (window-limited, averaged over the sequence). The scan's
    own work (~9 Di N per token per Mamba layer) is left out. Plain Python (tested without torch)."""
    Di, R = expand * d, math.ceil(d / 16)
    mamba = 2 * Di * d + Di * conv + Di + (R + 2 * state) * Di + R * Di + Di + Di * state + Di + d * Di
    attn = (heads + 2 * kv_heads) * head_dim * d + heads * head_dim * d
    n_mamba, n_attn = (layers + 1) // 2, layers // 2
    n = vocab * d + n_mamba * mamba + n_attn * attn + layers * (3 * d * ffn + 2 * d) + d
    w = window or seq
    keys = (sum(range(1, min(w, seq) + 1)) + max(seq - w, 0) * w) / seq
    return n, 6 * n + 12 * n_attn * heads * head_dim * keys


def sample_batch(data, starts, batch, seq, gen, align_frac, ar):
    """batch windows of seq + 1 tokens: align_frac of them start where a unit (a file, a target's
    examples, the Q&A) starts, the rest anywhere (packing: a window runs on into the next units)."""
    n_al = int(round(batch * align_frac)) if len(starts) else 0
    hi = len(data) - seq - 1
    s1 = starts[torch.randint(0, len(starts), (n_al,), device=data.device, generator=gen)] if n_al else None
    s2 = torch.randint(0, hi, (batch - n_al,), device=data.device, generator=gen)
    st = s2 if s1 is None else torch.cat([s1.clamp(max=hi), s2])
    return data[st[:, None] + ar].long()


def model_loss(model, vocab, dev):
    """w (b, seq + 1) -> the mean next-token cross-entropy of `model` (bf16 autocast on CUDA). What
    torch.compile compiles: with the loss inside, the logits' float32 log-softmax fuses with their cast."""
    def loss_of(w):
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=(dev == "cuda")):
            logits = model(w[:, :-1])
        return F.cross_entropy(logits.float().reshape(-1, vocab), w[:, 1:].reshape(-1))
    return loss_of


def train_step(loss_of, data, starts, a, gen, ar):
    """One optimiser step's forward and backward (accum micro-batches); returns the mean loss (tensor)."""
    loss_acc = 0.0
    for _ in range(a.accum):
        w = sample_batch(data, starts, a.batch, a.seq, gen, a.align_frac, ar)
        loss = loss_of(w)
        (loss / a.accum).backward()
        loss_acc = loss_acc + loss.detach() / a.accum
    return loss_acc


def smoke(a, data, starts, vocab, dev, scan_info):
    """Every path the real run takes, on a tiny model, in seconds; raises (stopping the pipeline
    before the long run) when one is broken: blocked window attention vs the full mask, the fast
    paths (scan, SDPA) vs the naive reference, a few bf16 training steps that must lower the loss,
    and the export round trip (save_model -> load_model, same logits)."""
    import tempfile

    t0 = time.time()
    g = torch.Generator(device="cpu").manual_seed(0)
    prev_tf32 = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = False
    q, k, v = (torch.randn(2, 4, 256, 16, generator=g).to(dev) for _ in range(3))
    full = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(256, 256, dtype=torch.bool, device=dev)
                                          .tril().triu(1 - 64))
    err = (S.window_blocked_sdpa(q, k, v, 64) - full).abs().max().item()
    if not err < 1e-4:
        raise SystemExit(f"smoke: blocked window attention differs from the full mask by {err:.2e}")
    cfg = S.SambaConfig(model_type="samba", vocab_size=vocab, hidden_size=64, num_hidden_layers=4,
                        num_attention_heads=4, num_key_value_heads=2, head_dim=16, intermediate_size=128,
                        sliding_window=32, max_position_embeddings=128, state_size=16, conv_kernel=4, expand=2,
                        tie_word_embeddings=True)
    torch.manual_seed(0)
    m = S.Samba(cfg).to(dev)
    x = data[:129].long()[None, :128]
    with torch.no_grad():
        S.set_impl(scan="naive", attention="naive", conv="torch")
        ref = m(x)
        S.set_impl(scan=scan_info["scan"], attention=scan_info["attention"], conv=scan_info["conv"])
        fast = m(x)
    err_fast = (fast - ref).abs().max().item()
    torch.backends.cuda.matmul.allow_tf32 = prev_tf32
    if not err_fast < 2e-3:
        raise SystemExit(f"smoke: the fast paths ({scan_info['scan']} scan, {scan_info['attention']} attention, "
                         f"{scan_info['conv']} conv) differ from the reference by {err_fast:.2e}")
    sa = argparse.Namespace(accum=1, batch=4, seq=128, align_frac=a.align_frac)
    opt = torch.optim.AdamW(m.parameters(), lr=3e-3)
    gen = torch.Generator(device=dev).manual_seed(0)
    ar = torch.arange(sa.seq + 1, device=dev)[None]
    losses = []
    for _ in range(30):
        loss = train_step(model_loss(m, vocab, dev), data, starts, sa, gen, ar)
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
    if not all(math.isfinite(v) for v in losses) or not min(losses[-5:]) < losses[0] - 0.5:
        raise SystemExit(f"smoke: the tiny model's loss did not drop: {[round(v, 3) for v in losses]}")
    with tempfile.TemporaryDirectory() as td:
        S.save_model(m, td, dtype=torch.float16, num_shards=2)
        m2 = S.load_model(td, device=dev, dtype=torch.float32)
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(p.half().float())
            err_io = (m2(x) - m(x)).abs().max().item()
    if not err_io < 1e-4:
        raise SystemExit(f"smoke: the saved and reloaded model differs by {err_io:.2e}")
    res = {"blocked_attention_err": err, "fast_vs_reference_err": err_fast, "save_load_err": err_io,
           "loss_first_last": [round(losses[0], 3), round(losses[-1], 3)], "seconds": round(time.time() - t0, 1)}
    log(f"smoke ok: {json.dumps(res)}")
    return res


def read_state(path):
    if path and os.path.isfile(path):
        with open(path) as f:
            return json.load(f)
    return {"run": "default-v2", "tokens_seen_total": 0, "sessions": []}


def cmd_train(a):
    need_torch()
    dev = a.device
    torch.manual_seed(a.seed)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    prep = json.load(open(os.path.join(a.work, "prep.json")))
    vocab = prep["vocab"]
    cfg = model_config(a, vocab)
    if a.scan_config:
        import scan as SC
        bc, nw = (int(v) for v in a.scan_config.split(","))
        SC.TRITON_CONFIG.update(block_c=bc, num_warps=nw)
    tune_shape = (a.batch, a.seq, cfg.d_inner, cfg.state_size) if dev == "cuda" and not a.scan_config else None
    scan_info = pick_paths(dev, tune_shape, a.attention, a.conv)
    log(f"scan: {scan_info}")

    data = torch.from_numpy(np.fromfile(os.path.join(a.work, "train.bin"), dtype=np.uint16).astype(np.int32)).to(dev)
    sp = os.path.join(a.work, "starts.npy")
    starts = torch.from_numpy(np.load(sp)).to(dev) if os.path.exists(sp) else torch.zeros(0, dtype=torch.long, device=dev)
    if len(data) < 4 * (a.seq + 1):
        raise SystemExit(f"train: {os.path.join(a.work, 'train.bin')} holds {len(data)} tokens, too few for windows "
                         f"of {a.seq}; run prepare with more data")
    held = {}
    for name, h in prep["heldout"].items():
        arr = torch.from_numpy(np.load(os.path.join(a.work, h["file"])).astype(np.int32))
        held[name] = windows(arr, a.seq)[: a.eval_windows]
    log(f"train tokens {len(data) / 1e6:.2f} M, {len(starts)} window starts; held-out windows "
        f"{ {k: len(v) for k, v in held.items()} }")
    smoke_info = None if a.no_smoke else smoke(a, data, starts, vocab, dev, scan_info)

    model = S.Samba(cfg).to(dev)
    if a.init:
        # Continuing an exported model (f16 weights, upcast): the same shape, or stop here.
        with open(os.path.join(a.init, "config.json")) as f:
            have = S.SambaConfig.from_dict(json.load(f)).to_dict()
        want = cfg.to_dict()
        diff = {k: (have.get(k), v) for k, v in want.items() if have.get(k) != v}
        if diff:
            raise SystemExit(f"--init {a.init}: its config differs from this run's (theirs, ours): {diff}; "
                             "pass the same model flags it was trained with")
        model.load_state_dict({k: v.float() for k, v in S.load_state_dict(a.init).items()}, strict=True)
        log(f"init: weights from {a.init}")
    n_params = sum(p.numel() for p in model.parameters())
    n_calc, flops_tok = model_numbers(a.d, a.layers, a.heads, a.kv_heads, a.d // a.heads, a.ffn, vocab, a.window, a.seq)
    log(f"model: {n_params} parameters ({n_params / 1e6:.2f} M; model_numbers {n_calc}), f16 {2 * n_params / 1e6:.2f} MB, "
        f"{flops_tok / 1e6:.1f} MFLOP per trained token; config {json.dumps(cfg.to_dict())}")
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.ndim >= 2 and not name.endswith("A_log") else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.wd}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8, fused=(dev == "cuda"))
    logf = open(os.path.join(a.work, "train_log.jsonl"), "a")
    state_in = read_state(a.state)
    logf.write(json.dumps({"start": time.strftime("%Y-%m-%d %H:%M:%S"), "argv": sys.argv, "init": a.init,
                           "tokens_before": state_in["tokens_seen_total"], "params": n_params,
                           "flops_per_token": flops_tok, "smoke": smoke_info}) + "\n")
    ar = torch.arange(a.seq + 1, device=dev)[None]
    gen = torch.Generator(device=dev).manual_seed(a.seed)

    # torch.compile, guarded: "auto" times a few eager steps, then compiled ones, and keeps the faster;
    # any compile error falls back to eager (logged). Evaluation always runs the eager module.
    eager = model_loss(model, vocab, dev)
    fwd, compile_state = eager, {"mode": a.compile, "used": False}
    eager_times, comp_times = [], []
    t_start = time.time()
    last_eval = last_ckpt = t_start
    step, tokens, ema = 0, 0, None
    tok_window = []
    # The steady rate: tokens over seconds from step STEADY_FROM (compiled by then) to the end, the
    # evaluations and checkpoints left out (the logged tok_per_s is a window that counts them).
    steady = None
    while True:
        elapsed = time.time() - t_start
        if elapsed > a.budget or (a.max_steps and step >= a.max_steps):
            break
        # with --max-steps the schedule follows steps, so that runs sharing a GPU stay comparable
        prog = min(step / a.max_steps, 1.0) if a.max_steps else min(elapsed / a.budget, 1.0)
        if step < a.warmup:
            lr = a.lr * (step + 1) / a.warmup
        else:
            lr = a.lr * (a.min_lr_frac + (1 - a.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * prog)))
        for g in opt.param_groups:
            g["lr"] = lr
        if dev == "cuda" and a.compile != "off" and fwd is eager and not compile_state.get("decided") \
                and (a.compile == "on" or step == 4):
            try:
                fwd = torch.compile(eager)
                compile_state.update(used=True, started_step=step)
                log("torch.compile: compiling (the next step is slow)")
            except Exception as e:  # noqa: BLE001
                compile_state.update(decided=True, error=repr(e)[:500])
                log(f"torch.compile failed, eager: {e!r}")
        if dev == "cuda":
            torch.cuda.synchronize()
        t0 = time.time()
        try:
            loss_acc = train_step(fwd, data, starts, a, gen, ar)
        except torch.cuda.OutOfMemoryError:
            opt.zero_grad(set_to_none=True)
            if step > 2 or a.batch == 1:
                raise
            torch.cuda.empty_cache()
            # A compiled step needs less memory than an eager one (the step bench: batch 32 in 68 GB
            # compiled; an H100's 80 GB ran out at the eager step 0, sessions 11-12): compile before
            # halving the batch. Decided at once: the eager step this batch cannot be timed.
            if dev == "cuda" and a.compile != "off" and fwd is eager and not compile_state.get("decided"):
                try:
                    fwd = torch.compile(eager)
                    compile_state.update(used=True, started_step=step, decided=True, reason="eager step out of memory")
                    log(f"out of GPU memory at step {step} (eager): compiling at batch {a.batch} before halving it")
                    continue
                except Exception as e:  # noqa: BLE001
                    fwd = eager
                    compile_state.update(decided=True, error=repr(e)[:500])
            a.batch //= 2
            a.accum *= 2
            log(f"out of GPU memory at step {step}: batch {a.batch} x accum {a.accum} from now on")
            continue
        except Exception as e:  # noqa: BLE001
            if fwd is eager:
                raise
            opt.zero_grad(set_to_none=True)
            fwd = eager
            compile_state.update(decided=True, used=False, error=repr(e)[:500])
            log(f"torch.compile'd step failed, eager from now on: {e!r}")
            continue
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tokens += a.batch * a.seq * a.accum
        if step == STEADY_FROM:
            if dev == "cuda":
                torch.cuda.synchronize()
            steady = {"t": time.time(), "tokens": tokens, "paused": 0.0}
        if dev == "cuda" and not compile_state.get("decided") and a.compile == "auto":
            torch.cuda.synchronize()
            dt = time.time() - t0
            if fwd is eager and step >= 2:
                eager_times.append(dt)
            elif fwd is not eager and step >= compile_state["started_step"] + 2:
                comp_times.append(dt)
            if len(comp_times) >= 3:
                e_t, c_t = min(eager_times), min(comp_times)
                keep = c_t < 0.97 * e_t
                compile_state.update(decided=True, eager_step_s=round(e_t, 4), compiled_step_s=round(c_t, 4),
                                     used=keep)
                if not keep:
                    fwd = eager
                log(f"torch.compile: step {c_t * 1e3:.0f} ms compiled vs {e_t * 1e3:.0f} ms eager: "
                    f"{'compiled' if keep else 'eager'} from now on")
                logf.write(json.dumps({"step": step, "compile": compile_state}) + "\n")
        if step % a.log_every == 0 or step <= 3:
            l = loss_acc.item()
            if dev == "cuda":
                torch.cuda.synchronize()
            dt = time.time() - t0
            tok_window.append((time.time(), tokens))
            tok_window = tok_window[-10:]
            tps = ((tok_window[-1][1] - tok_window[0][1]) / (tok_window[-1][0] - tok_window[0][0])
                   if len(tok_window) > 1 else a.batch * a.seq * a.accum / dt)
            ema = l if ema is None else 0.9 * ema + 0.1 * l
            rec = {"step": step, "tokens": tokens, "loss": round(l, 4), "loss_ema": round(ema, 4), "lr": lr,
                   "grad_norm": round(gn.item(), 3), "tok_per_s": round(tps),
                   "mfu": round(tps * flops_tok / H200_BF16_PEAK, 4), "elapsed": round(time.time() - t_start, 1)}
            if dev == "cuda":
                rec["mem_gb"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            log(" ".join(f"{k}={v}" for k, v in rec.items()))
            if not math.isfinite(l):
                log("loss is not finite; stopping")
                break
        if time.time() - last_eval > a.eval_every:
            t_paused = time.time()
            model.eval()
            res = {k: round(eval_loss(model, v, a.batch, autocast=True)[0], 4) for k, v in held.items()}
            model.train()
            rec = {"step": step, "tokens": tokens, "heldout": res, "elapsed": round(time.time() - t_start, 1)}
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            log(f"eval {rec}")
            last_eval = time.time()
            if steady:
                steady["paused"] += last_eval - t_paused
        if time.time() - last_ckpt > a.ckpt_every:
            t_paused = time.time()
            torch.save({"model": model.state_dict(), "config": cfg.to_dict(), "step": step, "tokens": tokens},
                       os.path.join(a.work, "ckpt.pt"))
            last_ckpt = time.time()
            if steady:
                steady["paused"] += last_ckpt - t_paused
    if dev == "cuda":
        torch.cuda.synchronize()
    steady_span = time.time() - steady["t"] - steady["paused"] if steady else 0.0
    tps_steady = (tokens - steady["tokens"]) / steady_span if steady and steady_span > 0 and tokens > steady["tokens"] else None
    wall = time.time() - t_start
    model.eval()
    res = {k: round(eval_loss(model, v, a.batch, autocast=True)[0], 4) for k, v in held.items()}
    tps_all = tokens / wall
    summary = {"steps": step, "tokens": tokens, "train_seconds": round(wall, 1), "tok_per_s_overall": round(tps_all),
               "mfu_overall": round(tps_all * flops_tok / H200_BF16_PEAK, 4), "flops_per_token": flops_tok,
               "tok_per_s_steady": round(tps_steady) if tps_steady else None,
               "mfu_steady": round(tps_steady * flops_tok / H200_BF16_PEAK, 4) if tps_steady else None,
               "steady_from_step": STEADY_FROM,
               "final_loss_ema": ema, "heldout_bf16": res, "params": n_params, "scan": scan_info,
               "compile": compile_state, "smoke": smoke_info, "args": vars(a)}
    logf.write(json.dumps({"summary": summary}) + "\n")
    torch.save({"model": model.state_dict(), "config": cfg.to_dict(), "step": step, "tokens": tokens,
                "summary": summary}, os.path.join(a.work, "final.pt"))
    # where the run stands (collect brings WORK/state.json back; commit it as training/runs/default-v2/state.json)
    state = dict(state_in)
    state["tokens_seen_total"] = state_in["tokens_seen_total"] + tokens
    state["config"] = cfg.to_dict()
    state["sessions"] = state_in["sessions"] + [{
        "date": time.strftime("%Y-%m-%d %H:%M:%S"), "init": a.init or None, "tokens": tokens, "steps": step,
        "train_seconds": round(wall, 1), "tok_per_s": round(tps_all), "mfu": summary["mfu_overall"],
        "mfu_steady": summary["mfu_steady"],
        "final_loss_ema": round(ema, 4) if ema is not None else None, "heldout_bf16": res,
        "train_stream_tokens": int(len(data)), "command": " ".join(sys.argv)}]
    state["continue"] = ("copy the exported model (collect's model/ files) into models/default/, commit this file as "
                         "training/runs/default-v2/state.json, then on the GPU machine (shards in /tmp/corpus): "
                         "INIT=models/default BUDGET=<seconds> bash training/run_device.sh start")
    with open(os.path.join(a.work, "state.json"), "w") as f:
        json.dump(state, f, indent=1)
    log(f"train done: {json.dumps({k: v for k, v in summary.items() if k != 'args'})}")


# ----------------------------------------------------------------------------------------------
# export
# ----------------------------------------------------------------------------------------------

PROMPTS = [
    ("typescript", "<|file|>src/utils/array.ts\n"
                   "/** Splits `items` into chunks of at most `size` elements. */\n"
                   "export function chunk<T>(items: T[], size: number): T[][] {\n"),
    ("python", "<|file|>utils/text.py\n"
               "import re\n\n\ndef slugify(value: str) -> str:\n"
               "    \"\"\"Lower-case `value` and replace runs of non-alphanumerics with '-'.\"\"\"\n"),
    ("javascript", "<|file|>lib/server.js\n"
                   "const express = require('express');\n\nconst app = express();\n\n"),
    ("go", "<|file|>strutil/reverse.go\npackage strutil\n\n// Reverse returns s with its runes in reverse order.\n"
           "func Reverse(s string) string {\n"),
]
FIM_PROMPT = ("<|file|>src/math.ts\n<|fim_prefix|>export function clamp(x: number, lo: number, hi: number): number {\n"
              "  return <|fim_suffix|>;\n}\n<|fim_middle|>")
# the extension's own layout (src/completion/prompt.ts): suffix first
FIM_SPM_PROMPT = ("<|file|>src/math.ts\n<|fim_suffix|>;\n}\n<|fim_prefix|>export function clamp(x: number, lo: number, "
                  "hi: number): number {\n  return <|fim_middle|>")
# bench/cross-file.ts's case: the name comes from the workspace file before it
XFILE_PROMPT = ("<|file|>src/billing.ts\n/** Invoice helpers. */\nexport interface Invoice {\n  id: string;\n"
                "  amount: number;\n}\n\nexport function computeInvoiceTotals(items: readonly Invoice[]): number {\n"
                "  let total = 0;\n  for (const item of items) total += item.amount;\n  return total;\n}\n"
                "<|file|>src/main.ts\n<|fim_suffix|> } from './billing';\n\nconsole.log(<|fim_prefix|>import { "
                "<|fim_middle|>")
SUMMARY_PROMPT = ("<|file|>src/utils/array.ts:1-7\nexport function chunk<T>(items: T[], size: number): T[][] {\n"
                  "  const out: T[][] = [];\n  for (let i = 0; i < items.length; i += size) {\n"
                  "    out.push(items.slice(i, i + size));\n  }\n  return out;\n}\n<|summary|>")

def V2_PROMPT():
    """A completion prompt in layout v2: a workspace file, the block (the imported definition),
    then the FIM pieces with the cursor after `return `."""
    billing = ("/** Invoice helpers. */\nexport interface Invoice {\n  id: string;\n  amount: number;\n}\n\n"
               "export function computeInvoiceTotals(items: readonly Invoice[]): number {\n  let total = 0;\n"
               "  for (const item of items) total += item.amount;\n  return total;\n}\n")
    main = ("import { computeInvoiceTotals, Invoice } from './billing';\n\n"
            "export function report(items: Invoice[]): string {\n  return ")
    block = [T.lines_snippet("src/billing.ts", billing, 7, 11)]
    c = T.split_cursor("src/report.ts", main, "\n}\n")
    return (T.plain_file("src/billing.ts", billing) + T.block_pieces(block)
            + T.fim_pieces("src/report.ts", c["linesBefore"], c["suffix"], c["lineHead"]))


def loss_by_position(model, prep, work, max_len, dev):
    """Mean next-token loss (float32) by position bucket, over one sequence of up to max_len tokens
    made of the held-out repositories' streams in turn (perplexity by position, to 8x the training length)."""
    arrs = [np.load(os.path.join(work, h["file"])) for h in prep["heldout"].values()]
    if not arrs:
        return {}
    seq = torch.from_numpy(np.concatenate(arrs)[:max_len + 1].astype(np.int64)).to(dev)
    with torch.no_grad():
        logits = model(seq[None, :-1])[0]
        nll = F.cross_entropy(logits.float(), seq[1:], reduction="none")
    out, lo = {}, 0
    for hi in (256, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072):
        if lo >= len(nll):
            break
        out[f"{lo}-{min(hi, len(nll))}"] = round(nll[lo:hi].mean().item(), 4)
        lo = hi
    return out


REFERENCE_TEXT = ("export function clamp(x: number, lo: number, hi: number): number {\n"
                  "  return Math.min(hi, Math.max(lo, x));\n}\n")


def greedy(model, tok, prompt, n_new, dev):
    with torch.no_grad():
        return _greedy(model, tok, prompt, n_new, dev)


def _greedy(model, tok, prompt, n_new, dev):
    """prompt: text (special-token strings become special ids) or a list of ids."""
    ids = prompt if isinstance(prompt, list) else tok.encode(prompt, add_special_tokens=False).ids
    x = torch.tensor([ids], device=dev)
    out = []
    for _ in range(n_new):
        logits = model(x)[0, -1]
        nxt = int(logits.argmax())
        if nxt in (EOT, FILE):
            out.append(nxt)
            break
        out.append(nxt)
        x = torch.cat([x, torch.tensor([[nxt]], device=dev)], dim=1)
    return tok.decode(out, skip_special_tokens=False)


def cmd_export(a):
    need_torch()
    from tokenizers import Tokenizer

    dev = a.device
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    ck = torch.load(os.path.join(a.work, a.ckpt), map_location="cpu")
    cfg = S.SambaConfig.from_dict(ck["config"])
    model = S.Samba(cfg)
    model.load_state_dict(ck["model"])
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    os.makedirs(a.out, exist_ok=True)
    total = sum(p.numel() * 2 for p in model.state_dict().values())
    shards = max(1, math.ceil(total / (a.shard_mib * 2**20)))
    wm = S.save_model(model, a.out, dtype=torch.float16, num_shards=shards)
    shutil.copy(os.path.join(a.work, "tokenizer.json"), os.path.join(a.out, "tokenizer.json"))
    files = sorted(os.listdir(a.out))
    sizes = {f: os.path.getsize(os.path.join(a.out, f)) for f in files}
    log(f"exported {len(wm)} tensors, f16 {total} bytes, {shards} shard(s): {sizes}")
    tok = Tokenizer.from_file(os.path.join(a.out, "tokenizer.json"))
    # --int8: ship the matrices as int8 in the file (training/quantize.py); everything below evaluates
    # exactly the values the engine loads from it (an f32 copy), and the f16 export is kept beside it.
    stored, f16_dir = a.out, None
    if a.int8:
        f16_dir, stored = a.out.rstrip("/") + "-f16", os.path.join(a.work, "model-int8-values")
        shutil.rmtree(f16_dir, ignore_errors=True)
        os.rename(a.out, f16_dir)
        quant = os.path.join(HERE, "quantize.py")
        subprocess.run([sys.executable, quant, f16_dir, a.out], check=True)
        subprocess.run([sys.executable, quant, "--dequantize", a.out, stored], check=True)
        sizes = {f: os.path.getsize(os.path.join(a.out, f)) for f in sorted(os.listdir(a.out))}
        log(f"int8 in the file: {sizes}")

    # reload exactly what was written and evaluate it in float32
    m = S.load_model(stored, device=dev, dtype=torch.float32)
    pick_scan(dev)
    prep = json.load(open(os.path.join(a.work, "prep.json")))

    def heldout_losses(model, tag):
        out = {}
        for name, h in prep["heldout"].items():
            arr = torch.from_numpy(np.load(os.path.join(a.work, h["file"])).astype(np.int32))
            wins = windows(arr, cfg.max_position_embeddings)
            loss, n = eval_loss(model, wins, 4, autocast=False)
            out[name] = {"loss": round(loss, 4), "ppl": round(math.exp(loss), 2), "targets": n,
                         "bits_per_byte": round(loss * h["tokens"] / h["bytes"] / math.log(2), 4),
                         "tokens": h["tokens"], "bytes": h["bytes"], "langs": h["langs"]}
            log(f"held-out f32 ({tag}) {name}: {out[name]}")
        return out

    heldout = heldout_losses(m, "int8 values" if a.int8 else "f16 values")
    heldout_f16 = heldout_losses(S.load_model(f16_dir, device=dev, dtype=torch.float32), "f16 values") if f16_dir else None
    tl = (sum(v["loss"] * v["targets"] for v in heldout.values()) / sum(v["targets"] for v in heldout.values())
          if heldout else float("nan"))
    by_pos = loss_by_position(m, prep, a.work, 8 * cfg.max_position_embeddings, dev)
    log(f"held-out loss by position (all held-out repositories as one sequence): {json.dumps(by_pos)}")
    # training-distribution loss on a fixed slice of the training stream, same procedure
    data = torch.from_numpy(np.fromfile(os.path.join(a.work, "train.bin"), dtype=np.uint16).astype(np.int32))
    rs = np.random.RandomState(0)
    starts = rs.randint(0, len(data) - cfg.max_position_embeddings - 1, size=a.train_eval_windows)
    tw = torch.stack([data[s:s + cfg.max_position_embeddings + 1] for s in starts])
    train_loss, _ = eval_loss(m, tw, 4, autocast=False)
    log(f"train-stream loss f32 (sample of {len(tw)} windows): {train_loss:.4f}; held-out all {tl:.4f}")

    samples = []
    for lang, p in PROMPTS:
        samples.append({"lang": lang, "prompt": p, "completion": greedy(m, tok, p, a.sample_tokens, dev)})
        log(f"--- {lang}\n{p}{samples[-1]['completion']}")
    for lang, p, n in (("typescript-fim", FIM_PROMPT, 32), ("typescript-fim-spm", FIM_SPM_PROMPT, 32),
                       ("typescript-cross-file", XFILE_PROMPT, 16), ("typescript-summary", SUMMARY_PROMPT, 64)):
        samples.append({"lang": lang, "prompt": p, "completion": greedy(m, tok, p, n, dev)})
        log(f"--- {lang}\n{p}{samples[-1]['completion']}")
    # layout v2: workspace file, block, FIM pieces (specials as ids, text pieces encoded alone)
    v2 = V2_PROMPT()
    ids_v2, _ = encode_segments(load_tokenizer(os.path.join(a.out, "tokenizer.json")), v2)
    samples.append({"lang": "typescript-fim-v2", "prompt": T.render(v2),
                    "completion": greedy(m, tok, [int(i) for i in ids_v2], 24, dev)})
    log(f"--- typescript-fim-v2\n{samples[-1]['prompt']}{samples[-1]['completion']}")

    # parity reference: the naive reference paths, float32, CPU, from the stored weights' values
    S.set_impl(scan="naive", attention="naive", conv="torch")
    mc = S.load_model(stored, device="cpu", dtype=torch.float32)
    ids = tok.encode(REFERENCE_TEXT, add_special_tokens=False).ids
    assert tok.decode(ids) == REFERENCE_TEXT
    with torch.no_grad():
        logits = mc(torch.tensor([ids]))[0]
    r7 = lambda v: float(f"{v:.7g}")  # noqa: E731
    top = torch.topk(logits, 5, dim=-1)
    ref = {
        "model": "models/default",
        "text": REFERENCE_TEXT,
        "tokens": ids,
        "logits_top": [[[int(i), r7(v)] for i, v in zip(ti.tolist(), tv.tolist())]
                       for ti, tv in zip(top.indices, top.values)],
        "logits": [[r7(v) for v in row] for row in logits[-4:].tolist()],
        "logits_positions": list(range(len(ids) - 4, len(ids))),
        "note": (f"models/default weights ({'int8 with f16 group scales, as the engine reads them' if a.int8 else 'F16'}) upcast to float32; logits from training/samba.py's reference "
                 "paths (naive scan, float32 attention) on the CPU. logits_top[t] = top-5 [id, logit] after "
                 "tokens[0..t]; logits = full logits of the last 4 positions only (logits_positions); "
                 "7 significant digits."),
    }
    # the fast GPU path on the same tokens, for the record
    S.set_impl(scan="triton" if dev == "cuda" else "chunked", attention="sdpa")
    with torch.no_grad():
        lg = m(torch.tensor([ids], device=dev))[0].float().cpu()
    ref_check = {"gpu_fast_path_vs_cpu_reference_max_abs_diff": float((lg - logits).abs().max()),
                 "logit_std": float(logits.std()), "max_abs_logit": float(logits.abs().max())}
    log(f"reference: {len(ids)} tokens, {ref_check}")
    with open(os.path.join(a.work, "default-model-reference.json"), "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")

    results = {"heldout_f32": heldout, "heldout_f32_all": round(tl, 4), "int8": bool(a.int8), "heldout_f32_f16_weights": heldout_f16, "heldout_loss_by_position_f32": by_pos, "train_stream_f32": round(train_loss, 4),
               "samples": samples, "reference_check": ref_check, "files": sizes, "f16_bytes": total,
               "train_summary": ck.get("summary"), "prep": prep, "torch": torch.__version__}
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    log("export done")


def main():
    o = T.Options()
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["prepare", "train", "export"])
    ap.add_argument("--corpus", action="append", default=[],
                    help=f"prepare: a shard or a folder of *.jsonl.xz (repeatable); default {DEVICE_CORPUS}/ and the v1 corpus")
    ap.add_argument("--work", default="/tmp/samba-work")
    ap.add_argument("--out", default=None)
    ap.add_argument("--device", default=None, help="cuda when there is one")
    ap.add_argument("--seed", type=int, default=1234)
    # prepare
    ap.add_argument("--procs", type=int, default=0, help="prepare: worker processes (default: every core)")
    ap.add_argument("--batch-chars", type=float, default=4e6, help="prepare: characters of repositories per job")
    ap.add_argument("--prep-budget", type=float, default=300.0,
                    help="prepare: seconds; batches not done by then are left out (logged)")
    ap.add_argument("--max-chars", type=float, default=0, help="prepare: use only this many characters of repositories")
    ap.add_argument("--sources", choices=["all", "v1"], default="all",
                    help="prepare: v1 = only repositories of v1's sources (corpus.v1_source), for the data ablation")
    ap.add_argument("--max-repo-chars", type=float, default=12e6,
                    help="prepare: a repository larger than this is cut into consecutive parts (one job each)")
    ap.add_argument("--vocab", type=int, default=16384)
    ap.add_argument("--tokenizer", default="", help="prepare: use this tokenizer.json instead of training one")
    ap.add_argument("--tok-chars", type=float, default=40e6)
    ap.add_argument("--fim-rate", type=float, default=o.fim_rate, help="files made v2 completion targets")
    ap.add_argument("--prefix-rate", type=float, default=o.prefix_rate, help="files given as the prefix layout: a block, then the file")
    ap.add_argument("--old-fim-rate", type=float, default=o.old_fim_rate, help="files made v1-layout FIM examples")
    ap.add_argument("--spm-rate", type=float, default=o.spm_rate, help="v1-layout FIM examples in SPM order")
    ap.add_argument("--fim-prefix-chars", type=int, default=T.MAX_PREFIX_CHARS)
    ap.add_argument("--fim-suffix-chars", type=int, default=T.MAX_SUFFIX_CHARS, help="v1 layout's suffix")
    ap.add_argument("--summary-rate", type=float, default=o.summary_rate, help="files drawn for summary examples")
    ap.add_argument("--summary-max-symbols", type=int, default=o.max_symbols)
    ap.add_argument("--xfile-rate", type=float, default=o.xfile_rate,
                    help="completion targets with an imported name from an earlier file that get an example on it")
    ap.add_argument("--qa-per-repo", type=int, default=o.qa_per_repo)
    ap.add_argument("--block-chars", type=int, default=o.block_chars)
    # model (default v2: 13.85 M parameters, f16 27.7 MB)
    ap.add_argument("--d", type=int, default=320)
    ap.add_argument("--layers", type=int, default=8)
    ap.add_argument("--heads", type=int, default=5)
    ap.add_argument("--kv-heads", type=int, default=1)
    ap.add_argument("--ffn", type=int, default=640)
    ap.add_argument("--window", type=int, default=2048)
    ap.add_argument("--seq", type=int, default=8192)
    # optimisation
    ap.add_argument("--init", default="", help="train: start from this exported model folder (same config)")
    ap.add_argument("--state", default=os.path.join(HERE, "runs", "default-v2", "state.json"),
                    help="train: where the run stood (tokens seen, sessions); WORK/state.json gets the update")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--accum", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.1)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--warmup", type=int, default=150)
    ap.add_argument("--align-frac", type=float, default=0.5,
                    help="training windows that start where a file or example starts (the rest anywhere)")
    ap.add_argument("--compile", choices=["auto", "on", "off"], default="auto",
                    help="torch.compile: auto keeps it only if its steps are faster; any error falls back to eager")
    ap.add_argument("--attention", choices=["auto", "sdpa", "flex"], default="auto",
                    help="training's attention: auto = flex_attention on CUDA (blocked SDPA elsewhere)")
    ap.add_argument("--conv", choices=["auto", "torch", "shift"], default="auto",
                    help="training's causal conv: auto = shifted multiply-adds on CUDA (Conv1d elsewhere)")
    ap.add_argument("--no-smoke", action="store_true", help="train: skip the tiny-model check before the run")
    ap.add_argument("--budget", type=float, default=750.0, help="training wall-clock seconds")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--scan-config", default="", help="BLOCK_C,num_warps of the Triton scan (default: tune)")
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--eval-every", type=float, default=180.0)
    ap.add_argument("--eval-windows", type=int, default=16)
    ap.add_argument("--ckpt-every", type=float, default=180.0)
    # export
    ap.add_argument("--ckpt", default="final.pt")
    ap.add_argument("--shard-mib", type=float, default=15.0)
    ap.add_argument("--int8", action="store_true", help="export: matrices as int8 in the file (training/quantize.py); f16 kept in OUT-f16")
    ap.add_argument("--train-eval-windows", type=int, default=32)
    ap.add_argument("--sample-tokens", type=int, default=80)
    a = ap.parse_args()
    if a.out is None:
        a.out = os.path.join(a.work, "model")
    if a.cmd != "prepare":
        need_torch()
        a.device = a.device or ("cuda" if torch.cuda.is_available() else "cpu")
    {"prepare": cmd_prepare, "train": cmd_train, "export": cmd_export}[a.cmd](a)


if __name__ == "__main__":
    main()
