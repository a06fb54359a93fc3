"""Trains the default model: tokenizer, data, Samba training, export. Runs on the GPU machine.

    python3 training/train.py prepare --corpus training/data/corpus/corpus.jsonl.xz --work /tmp/w
    python3 training/train.py train   --work /tmp/w --budget 750
    python3 training/train.py export  --work /tmp/w --out /tmp/w/model

prepare: trains a byte-level BPE tokenizer (vocab 16384, special tokens SPECIALS) on the training
    split, then writes the training token stream (uint16): repositories in random order, each one
    its files in path order, every file as `<|file|>` + path + "\\n" + text (one string, as the
    extension's workspace context encodes it), `<|endoftext|>` after the repository's last file.
    training/transforms.py `repo_segments` turns files into the extension's prompt layouts:
    fill-in-the-middle examples (about half the files; SPM exactly as src/completion/prompt.ts
    builds it, and PSM; cursor spans of mostly one line or a few), cross-file examples (the name
    in `import { X } from './m'` as the FIM middle, m earlier in the sequence) and summary
    examples (doc comments moved behind `<|summary|>`, as src/summarize/prompt.ts prompts).
    Held-out repositories are written plain (no transforms), one stream each.
train: Samba from training/samba.py with the Triton selective scan (training/scan.py; checked
    against the naive scan first, chunked PyTorch scan if that check fails) and SDPA attention,
    bf16 autocast, AdamW, linear warmup then cosine decay over a wall-clock budget. Random windows
    of seq_len + 1 tokens from the stream. Logs to WORK/train_log.jsonl, checkpoints WORK/ckpt.pt.
export: rounds the weights to f16, writes the model folder (docs/model-format.md) with
    samba.save_model, evaluates held-out loss in float32 from the f16 weights, greedy samples, and
    the parity reference (float32, CPU, naive reference paths) -> WORK/results.json,
    OUT/default-model-reference.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import math
import os
import random
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import samba as S  # noqa: E402
import transforms as T  # noqa: E402
from transforms import EOT, FILE, FIM_MID, FIM_PRE, FIM_SUF, SPECIALS, SUMMARY  # noqa: E402,F401


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


# ----------------------------------------------------------------------------------------------
# prepare
# ----------------------------------------------------------------------------------------------


def read_corpus(path):
    repos = {}
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            for s in SPECIALS:
                if s in r["text"]:
                    r["text"] = r["text"].replace(s, "")
            repos.setdefault(r["repo"], {"split": r["split"], "files": []})["files"].append(r)
    return repos


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


def encode_segments(tok, docs):
    """docs: list of segment lists (ints = special ids, str = text) -> one uint16 array."""
    texts = [s for d in docs for s in d if isinstance(s, str) and s]
    enc = []
    B = 4096
    for i in range(0, len(texts), B):
        enc += [e.ids for e in tok.encode_batch(texts[i:i + B], add_special_tokens=False)]
    it = iter(enc)
    out = []
    for d in docs:
        for s in d:
            if isinstance(s, int):
                out.append(np.array([s], dtype=np.uint16))
            elif s:
                out.append(np.asarray(next(it), dtype=np.uint16))
    return np.concatenate(out) if out else np.zeros(0, np.uint16)


def cmd_prepare(a):
    os.makedirs(a.work, exist_ok=True)
    t0 = time.time()
    repos = read_corpus(a.corpus)
    train = {k: v for k, v in repos.items() if v["split"] == "train"}
    held = {k: v for k, v in repos.items() if v["split"] != "train"}
    log(f"corpus: {len(train)} train repos, {len(held)} held-out repos, "
        f"{sum(len(f['text']) for v in repos.values() for f in v['files']) / 1e6:.1f} M chars "
        f"({time.time() - t0:.0f}s)")

    rng = random.Random(a.seed)
    files = [f for v in train.values() for f in v["files"]]
    rng.shuffle(files)
    sample, n = [], 0
    for f in files:
        if n > a.tok_chars:
            break
        sample.append(f["text"])
        n += len(f["text"])
    tok_path = os.path.join(a.work, "tokenizer.json")
    if a.tokenizer:
        # Continuing a model: its own tokenizer, so that its token ids keep their meaning.
        from tokenizers import Tokenizer
        shutil.copyfile(a.tokenizer, tok_path)
        tok = Tokenizer.from_file(tok_path)
    else:
        tok = train_tokenizer(sample, a.vocab, tok_path)
    log(f"tokenizer: vocab {tok.get_vocab_size()} {'from ' + a.tokenizer if a.tokenizer else 'trained'} on {n / 1e6:.1f} M chars "
        f"({time.time() - t0:.0f}s); specials {[tok.token_to_id(s) for s in SPECIALS]}")
    assert [tok.token_to_id(s) for s in SPECIALS] == list(range(len(SPECIALS)))

    order = list(train)
    rng.shuffle(order)
    opts = T.Options(fim_rate=a.fim_rate, spm_rate=a.spm_rate, summary_rate=a.summary_rate,
                     max_symbols=a.summary_max_symbols, xfile_rate=a.xfile_rate,
                     max_prefix_chars=a.fim_prefix_chars, max_suffix_chars=a.fim_suffix_chars)
    docs, lang_chars, tstats = [], {}, {}
    for name in order:
        for f in train[name]["files"]:
            lang_chars[f["lang"]] = lang_chars.get(f["lang"], 0) + len(f["text"])
        docs.append(T.repo_segments(train[name]["files"], rng, opts, tstats))
    n_files, n_fim = tstats.get("files", 0), tstats.get("fim_files", 0)
    stream = encode_segments(tok, docs)
    stream.tofile(os.path.join(a.work, "train.bin"))
    chars = sum(lang_chars.values())
    log(f"train stream: {len(stream) / 1e6:.2f} M tokens from {n_files} files ({n_fim} FIM), "
        f"{chars / 1e6:.1f} M chars, {chars / len(stream):.2f} chars/token ({time.time() - t0:.0f}s); "
        f"transforms {json.dumps(tstats)}")

    held_info = {}
    for name, v in held.items():
        d = []
        for f in sorted(v["files"], key=lambda r: r["path"]):
            d += T.plain_file(f["path"], f["text"])
        d.append(EOT)
        arr = encode_segments(tok, [d])
        fn = "heldout_" + name.replace(":", "_").replace("/", "_") + ".npy"
        np.save(os.path.join(a.work, fn), arr)
        nbytes = sum(len(f["text"].encode()) + len(f["path"].encode()) + 1 for f in v["files"])
        held_info[name] = {"file": fn, "tokens": int(len(arr)), "bytes": nbytes, "files": len(v["files"]),
                           "langs": sorted({f["lang"] for f in v["files"]})}
        log(f"held-out {name}: {len(arr)} tokens, {nbytes} bytes")
    # chars/token per language on a sample of training files (plain text)
    per_lang = {}
    for lang in lang_chars:
        fs = [f for f in files if f["lang"] == lang][:300]
        txt = [f["text"] for f in fs]
        ntok = sum(len(e.ids) for e in tok.encode_batch(txt, add_special_tokens=False))
        per_lang[lang] = round(sum(map(len, txt)) / max(ntok, 1), 3)
    info = {"train_tokens": int(len(stream)), "train_files": n_files, "fim_files": n_fim,
            "train_chars_by_lang": lang_chars, "chars_per_token_by_lang": per_lang,
            "tokenizer_sample_chars": n, "vocab": tok.get_vocab_size(), "heldout": held_info,
            "fim_rate": a.fim_rate, "spm_rate": a.spm_rate, "fim_prefix_chars": a.fim_prefix_chars,
            "fim_suffix_chars": a.fim_suffix_chars, "summary_rate": a.summary_rate,
            "summary_max_symbols": a.summary_max_symbols, "xfile_rate": a.xfile_rate, "transforms": tstats,
            "seed": a.seed}
    with open(os.path.join(a.work, "prep.json"), "w") as f:
        json.dump(info, f, indent=1)
    log(f"prepare done in {time.time() - t0:.0f}s: {json.dumps(per_lang)}")


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
                return {"scan": "triton", "check_worst_rel_err": worst, "config": dict(SC.TRITON_CONFIG)}
            log(f"triton scan FAILED its check (worst {worst:.2e}); using chunked")
        except Exception as e:  # noqa: BLE001
            log(f"triton scan unusable: {e!r}; using chunked")
    S.set_impl(scan="chunked", attention="sdpa")
    return {"scan": "chunked"}


def windows(arr: torch.Tensor, seq: int):
    """non-overlapping windows of seq+1 tokens (inputs + next-token targets), as a (n, seq+1) tensor"""
    n = (len(arr) - 1) // seq
    if n == 0:
        return arr[None]
    idx = torch.arange(n, device=arr.device)[:, None] * seq + torch.arange(seq + 1, device=arr.device)[None]
    return arr[idx]


@torch.no_grad()
def eval_loss(model, wins, batch, autocast: bool):
    """mean next-token cross-entropy over all targets of the windows; returns (loss, n_targets)"""
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


def cmd_train(a):
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
    scan_info = pick_scan(dev, tune_shape)
    log(f"scan: {scan_info}")

    data = torch.from_numpy(np.fromfile(os.path.join(a.work, "train.bin"), dtype=np.uint16).astype(np.int32)).to(dev)
    held = {}
    for name, h in prep["heldout"].items():
        arr = torch.from_numpy(np.load(os.path.join(a.work, h["file"])).astype(np.int32))
        held[name] = windows(arr, a.seq)[: a.eval_windows]
    log(f"train tokens {len(data) / 1e6:.2f} M; held-out windows { {k: len(v) for k, v in held.items()} }")

    model = S.Samba(cfg).to(dev)
    if a.init:
        # Continuing an exported model (f16 weights, upcast): the same shape, or stop here.
        with open(os.path.join(a.init, "config.json")) as f:
            have = S.SambaConfig.from_dict(json.load(f)).to_dict()
        want = cfg.to_dict()
        diff = {k: (have.get(k), v) for k, v in want.items() if have.get(k) != v}
        if diff:
            raise SystemExit(f"--init {a.init}: its config differs from this run's (theirs, ours): {diff}")
        model.load_state_dict({k: v.float() for k, v in S.load_state_dict(a.init).items()}, strict=True)
        log(f"init: weights from {a.init}")
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model: {n_params / 1e6:.2f} M parameters, config {json.dumps(cfg.to_dict())}")
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.ndim >= 2 and not name.endswith("A_log") else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.wd}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8, fused=(dev == "cuda"))
    logf = open(os.path.join(a.work, "train_log.jsonl"), "a")
    ar = torch.arange(a.seq + 1, device=dev)[None]
    gen = torch.Generator(device=dev).manual_seed(a.seed)

    t_start = time.time()
    last_eval = last_ckpt = t_start
    step, tokens, ema = 0, 0, None
    tok_window = []
    while True:
        elapsed = time.time() - t_start
        if elapsed > a.budget or (a.max_steps and step >= a.max_steps):
            break
        prog = min(elapsed / a.budget, 1.0)
        if step < a.warmup:
            lr = a.lr * (step + 1) / a.warmup
        else:
            lr = a.lr * (a.min_lr_frac + (1 - a.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * prog)))
        for g in opt.param_groups:
            g["lr"] = lr
        t0 = time.time()
        loss_acc = 0.0
        for _ in range(a.accum):
            starts = torch.randint(0, len(data) - a.seq - 1, (a.batch, 1), device=dev, generator=gen)
            w = data[starts + ar].long()
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=(dev == "cuda")):
                logits = model(w[:, :-1])
            loss = F.cross_entropy(logits.float().reshape(-1, vocab), w[:, 1:].reshape(-1))
            (loss / a.accum).backward()
            loss_acc += loss.detach() / a.accum
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tokens += a.batch * a.seq * a.accum
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
                   "grad_norm": round(gn.item(), 3), "tok_per_s": round(tps), "elapsed": round(time.time() - t_start, 1)}
            if dev == "cuda":
                rec["mem_gb"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            log(" ".join(f"{k}={v}" for k, v in rec.items()))
            if not math.isfinite(l):
                log("loss is not finite; stopping")
                break
        if time.time() - last_eval > a.eval_every:
            model.eval()
            res = {k: round(eval_loss(model, v, a.batch, autocast=True)[0], 4) for k, v in held.items()}
            model.train()
            rec = {"step": step, "tokens": tokens, "heldout": res, "elapsed": round(time.time() - t_start, 1)}
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            log(f"eval {rec}")
            last_eval = time.time()
        if time.time() - last_ckpt > a.ckpt_every:
            torch.save({"model": model.state_dict(), "config": cfg.to_dict(), "step": step, "tokens": tokens},
                       os.path.join(a.work, "ckpt.pt"))
            last_ckpt = time.time()
    wall = time.time() - t_start
    model.eval()
    res = {k: round(eval_loss(model, v, a.batch, autocast=True)[0], 4) for k, v in held.items()}
    summary = {"steps": step, "tokens": tokens, "train_seconds": round(wall, 1),
               "tok_per_s_overall": round(tokens / wall), "final_loss_ema": ema, "heldout_bf16": res,
               "params": n_params, "scan": scan_info, "args": vars(a)}
    logf.write(json.dumps({"summary": summary}) + "\n")
    torch.save({"model": model.state_dict(), "config": cfg.to_dict(), "step": step, "tokens": tokens,
                "summary": summary}, os.path.join(a.work, "final.pt"))
    log(f"train done: {json.dumps(summary)}")


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

REFERENCE_TEXT = ("export function clamp(x: number, lo: number, hi: number): number {\n"
                  "  return Math.min(hi, Math.max(lo, x));\n}\n")


@torch.no_grad()
def greedy(model, tok, prompt, n_new, dev):
    ids = tok.encode(prompt, add_special_tokens=False).ids
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

    # reload exactly what was written and evaluate it in float32
    m = S.load_model(a.out, device=dev, dtype=torch.float32)
    pick_scan(dev)
    prep = json.load(open(os.path.join(a.work, "prep.json")))
    heldout = {}
    for name, h in prep["heldout"].items():
        arr = torch.from_numpy(np.load(os.path.join(a.work, h["file"])).astype(np.int32))
        wins = windows(arr, cfg.max_position_embeddings)
        loss, n = eval_loss(m, wins, 4, autocast=False)
        heldout[name] = {"loss": round(loss, 4), "ppl": round(math.exp(loss), 2), "targets": n,
                         "bits_per_byte": round(loss * h["tokens"] / h["bytes"] / math.log(2), 4),
                         "tokens": h["tokens"], "bytes": h["bytes"], "langs": h["langs"]}
        log(f"held-out f32 {name}: {heldout[name]}")
    tl = sum(v["loss"] * v["targets"] for v in heldout.values()) / sum(v["targets"] for v in heldout.values())
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

    # parity reference: the naive reference paths, float32, CPU, from the stored f16 weights
    S.set_impl(scan="naive", attention="naive")
    mc = S.load_model(a.out, device="cpu", dtype=torch.float32)
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
        "note": ("models/default weights (F16) upcast to float32; logits from training/samba.py's reference "
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

    results = {"heldout_f32": heldout, "heldout_f32_all": round(tl, 4), "train_stream_f32": round(train_loss, 4),
               "samples": samples, "reference_check": ref_check, "files": sizes, "f16_bytes": total,
               "train_summary": ck.get("summary"), "prep": prep, "torch": torch.__version__}
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    log("export done")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["prepare", "train", "export"])
    ap.add_argument("--corpus", default=os.path.join(HERE, "data", "corpus", "corpus.jsonl.xz"))
    ap.add_argument("--work", default="/tmp/samba-work")
    ap.add_argument("--out", default=None)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--seed", type=int, default=1234)
    # prepare
    ap.add_argument("--vocab", type=int, default=16384)
    ap.add_argument("--tokenizer", default="", help="prepare: use this tokenizer.json instead of training one")
    ap.add_argument("--init", default="", help="train: start from this exported model folder (same config)")
    ap.add_argument("--tok-chars", type=float, default=40e6)
    ap.add_argument("--fim-rate", type=float, default=0.5, help="files made FIM examples")
    ap.add_argument("--spm-rate", type=float, default=0.5, help="FIM examples in the extension's SPM order")
    ap.add_argument("--fim-prefix-chars", type=int, default=T.MAX_PREFIX_CHARS)
    ap.add_argument("--fim-suffix-chars", type=int, default=T.MAX_SUFFIX_CHARS)
    ap.add_argument("--summary-rate", type=float, default=0.25, help="files drawn for summary examples")
    ap.add_argument("--summary-max-symbols", type=int, default=4)
    ap.add_argument("--xfile-rate", type=float, default=0.5,
                    help="files with a resolvable relative import that get a cross-file FIM example")
    # model
    ap.add_argument("--d", type=int, default=256)
    ap.add_argument("--layers", type=int, default=8)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--ffn", type=int, default=576)
    ap.add_argument("--window", type=int, default=1024)
    ap.add_argument("--seq", type=int, default=2048)
    # optimisation
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--accum", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.1)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--budget", type=float, default=750.0, help="training wall-clock seconds")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--scan-config", default="", help="BLOCK_C,num_warps of the Triton scan (default: tune)")
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--eval-every", type=float, default=120.0)
    ap.add_argument("--eval-windows", type=int, default=48)
    ap.add_argument("--ckpt-every", type=float, default=180.0)
    # export
    ap.add_argument("--ckpt", default="final.pt")
    ap.add_argument("--shard-mib", type=float, default=15.0)
    ap.add_argument("--train-eval-windows", type=int, default=64)
    ap.add_argument("--sample-tokens", type=int, default=80)
    a = ap.parse_args()
    if a.out is None:
        a.out = os.path.join(a.work, "model")
    {"prepare": cmd_prepare, "train": cmd_train, "export": cmd_export}[a.cmd](a)


if __name__ == "__main__":
    main()
