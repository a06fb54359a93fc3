"""Word vectors for Q&A retrieval: which code a question's words point to when it shares none of them.

BM25 (src/qa/bm25.ts) finds a passage only by the words it shares with the question; a newcomer asks
"the lowest version that satisfies" where the code says `minVersion`. This learns one vector per term
(src/qa/terms.ts's terms: stemmed words and identifier parts) and a weight per term, such that the
weighted mean of a doc comment's term vectors points the same way as the weighted mean of the terms of
the code it documents (the doc removed). Pairs come from the training corpus
(bench/qa-ranker-pairs.ts); the loss is in-batch contrastive (each doc against every other pair's
code in its batch, and back). Numpy only: the vectors are small and the pairs fit in memory.

    python3 training/qa_ranker.py train --pairs '/tmp/rk/pairs-*.jsonl' --out models/qa-ranker
Writes `vectors.bin` (the vocabulary and 4-bit vectors: write_vectors) and `card.json` (what it was
trained on and how well it ranks held-out pairs, float32 and as stored).
"""
import argparse
import collections
import glob
import json
import os
import struct
import time
import zlib

import numpy as np


def load_pairs(patterns, max_q, max_c):
    pairs = []
    for pattern in patterns:
        for path in sorted(glob.glob(pattern)):
            with open(path) as f:
                for line in f:
                    d = json.loads(line)
                    pairs.append((d["r"], d["q"][:max_q], d["c"][:max_c]))
    return pairs


def build_vocab(pairs, size, min_count):
    count = collections.Counter()
    for _, q, c in pairs:
        count.update(set(q))
        count.update(set(c))
    words = [w for w, n in count.most_common(size) if n >= min_count]
    return words


def encode(seqs, index, length):
    """Rows of term ids (0 = padding or unknown, which weighs nothing)."""
    x = np.zeros((len(seqs), length), dtype=np.int32)
    for i, s in enumerate(seqs):
        ids = [index[t] for t in s if t in index][:length]
        x[i, : len(ids)] = ids
    return x


class Side:
    """One side's weighted mean of term vectors, normalized; keeps what the backward pass needs."""

    def forward(self, E, a, x):
        self.x = x
        self.e = E[x]  # B x L x d
        self.w = np.exp(a[x]) * (x > 0)  # B x L
        self.s = self.w.sum(1) + 1e-6
        self.v = (self.w[:, :, None] * self.e).sum(1) / self.s[:, None]
        self.n = np.linalg.norm(self.v, axis=1) + 1e-6
        self.u = self.v / self.n[:, None]
        return self.u

    def backward(self, du, gE, ga):
        dv = (du - self.u * (self.u * du).sum(1, keepdims=True)) / self.n[:, None]
        de = (self.w / self.s[:, None])[:, :, None] * dv[:, None, :]
        np.add.at(gE, self.x, de)
        dw = ((self.e * dv[:, None, :]).sum(2) - (self.v * dv).sum(1)[:, None]) / self.s[:, None]
        np.add.at(ga, self.x, dw * self.w)


def softmax(z):
    z = z - z.max(1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(1, keepdims=True)


def rank_of_truth(uq, uc):
    """For each question, the rank of its own code among all the codes given (0 = first)."""
    s = uq @ uc.T
    return (s > s.diagonal()[:, None]).sum(1)


def write_vectors(path, words, E, a):
    """One file: b"QAR4", rows, dim, the deflated length, the terms (row 1 on, one per line, deflated),
    then per row a float16 scale, a float16 log-weight and dim 4-bit signed values (two a byte, low
    nibble first): the vector is scale * value, value in -7..7. Returns the vectors and weights as stored."""
    V, d = E.shape
    scale = np.maximum(np.abs(E).max(1) / 7, 1e-4).astype(np.float16).astype(np.float32)
    q = np.clip(np.round(E / scale[:, None]), -7, 7).astype(np.int8)
    nib = (q & 0x0F).astype(np.uint8)
    packed = (nib[:, 0::2] | (nib[:, 1::2] << 4)).astype(np.uint8)
    names = zlib.compress("\n".join(words).encode("utf-8"), 9)
    with open(path, "wb") as f:
        f.write(struct.pack("<4sIII", b"QAR4", V, d, len(names)))
        f.write(names)
        rows = np.zeros((V, 4 + d // 2), dtype=np.uint8)
        rows[:, 0:2] = scale.astype(np.float16).view(np.uint8).reshape(V, 2)
        rows[:, 2:4] = a.astype(np.float16).view(np.uint8).reshape(V, 2)
        rows[:, 4:] = packed
        f.write(rows.tobytes())
    return q.astype(np.float32) * scale[:, None], a.astype(np.float16).astype(np.float32)


def train(args):
    t0 = time.time()
    pairs = load_pairs(args.pairs, args.max_q, args.max_c)
    repos = sorted({r for r, _, _ in pairs})
    rng = np.random.default_rng(args.seed)
    held = set(rng.choice(repos, size=max(1, len(repos) // 20), replace=False).tolist())
    train_pairs = [p for p in pairs if p[0] not in held]
    if args.drop_shared:
        # BM25 already meets the words a doc shares with its code: learn from the rest.
        kept = []
        for r, q, c in train_pairs:
            cs = set(c)
            q = [t for t in q if t not in cs]
            if len(q) >= 2:
                kept.append((r, q, c))
        train_pairs = kept
    test_pairs = [p for p in pairs if p[0] in held]
    words = build_vocab(train_pairs, args.vocab - 1, args.min_count)
    index = {w: i + 1 for i, w in enumerate(words)}
    V = len(words) + 1
    print(f"{len(pairs)} pairs from {len(repos)} repositories; {len(train_pairs)} to train, {len(test_pairs)} held out ({len(held)} repositories); vocabulary {V - 1}", flush=True)
    Xq = encode([q for _, q, _ in train_pairs], index, args.max_q)
    Xc = encode([c for _, _, c in train_pairs], index, args.max_c)
    Tq = encode([q for _, q, _ in test_pairs], index, args.max_q)
    Tc = encode([c for _, _, c in test_pairs], index, args.max_c)
    E = (rng.standard_normal((V, args.dim)) * 0.1).astype(np.float32)
    E[0] = 0
    a = np.zeros(V, dtype=np.float32)
    params = [E, a]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2 = 0.9, 0.999
    qs, cs = Side(), Side()
    step = 0
    steps = args.epochs * (len(Xq) // args.batch)  # about the same with --group

    test_repo = np.array([r for r, _, _ in test_pairs])

    def evaluate(E=E, a=a):
        """Each held-out doc's own code among the other codes of its repository (at most 200 of them): retrieval's real task."""
        ranks = []
        for repo in sorted(set(test_repo.tolist())):
            idx = np.nonzero(test_repo == repo)[0][:200]
            if len(idx) < 10:
                continue
            ranks.append(rank_of_truth(Side().forward(E, a, Tq[idx]), Side().forward(E, a, Tc[idx])))
        r = np.concatenate(ranks)
        return {"pairs": int(len(r)), "top1": round(float((r == 0).mean()), 4), "top5": round(float((r < 5).mean()), 4), "mrr": round(float((1.0 / (r + 1)).mean()), 4)}

    train_repo = np.array([r for r, _, _ in train_pairs])

    def batches():
        """With --group G: each batch is pairs of batch/G repositories, G from each, so the other pairs of a batch are mostly code of the same repository (what a question's passages compete with)."""
        if not args.group:
            order = rng.permutation(len(Xq))
            return [order[k * args.batch : (k + 1) * args.batch] for k in range(len(Xq) // args.batch)]
        chunks = []
        for repo in np.unique(train_repo):
            idx = rng.permutation(np.nonzero(train_repo == repo)[0])
            chunks += [idx[k : k + args.group] for k in range(0, len(idx) - args.group + 1, args.group)]
        order = rng.permutation(len(chunks))
        per = args.batch // args.group
        return [np.concatenate([chunks[j] for j in order[k : k + per]]) for k in range(0, len(order) - per + 1, per)]

    print("before", evaluate(), flush=True)
    for epoch in range(args.epochs):
        total = 0.0
        plan = batches()
        for idx in plan:
            uq = qs.forward(E, a, Xq[idx])
            uc = cs.forward(E, a, Xc[idx])
            S = uq @ uc.T / args.temperature
            B = len(idx)
            P1 = softmax(S)
            P2 = softmax(S.T)
            eye = np.eye(B, dtype=np.float32)
            loss = -(np.log(P1.diagonal() + 1e-9).mean() + np.log(P2.diagonal() + 1e-9).mean()) / 2
            dS = ((P1 - eye) + (P2 - eye).T) / (2 * B) / args.temperature
            gE = np.zeros_like(E)
            ga = np.zeros_like(a)
            qs.backward(dS @ uc, gE, ga)
            cs.backward(dS.T @ uq, gE, ga)
            gE[0] = 0
            ga[0] = 0
            step += 1
            lr = args.lr * min(1.0, step / 100) * (0.1 + 0.9 * max(0.0, 1 - step / steps))
            for p, g, mm, vv in zip(params, [gE, ga], m, v):
                mm *= b1
                mm += (1 - b1) * g
                vv *= b2
                vv += (1 - b2) * g * g
                p -= lr * (mm / (1 - b1**step)) / (np.sqrt(vv / (1 - b2**step)) + 1e-8)
            total += loss
        print(f"epoch {epoch + 1}: loss {total / max(1, len(plan)):.4f}, held out {evaluate()}, {time.time() - t0:.0f} s", flush=True)
    final = evaluate()
    os.makedirs(args.out, exist_ok=True)
    E4, a16 = write_vectors(os.path.join(args.out, "vectors.bin"), words, E, a)
    card = {
        "pairs": len(pairs), "train_pairs": len(train_pairs), "held_out_pairs": len(test_pairs),
        "repositories": len(repos), "held_out_repositories": sorted(held), "vocabulary": V - 1, "dim": args.dim,
        "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "temperature": args.temperature,
        "held_out_float32": final,
        "held_out_4bit": evaluate(E4, a16),
        "seconds": round(time.time() - t0, 1), "command": "python3 training/qa_ranker.py train " + " ".join((f"--{k.replace('_', '-')}" if v is True else f"--{k.replace('_', '-')} {v}") for k, v in vars(args).items() if k not in ("cmd", "pairs", "out") and v is not False),
    }
    with open(os.path.join(args.out, "card.json"), "w") as f:
        json.dump(card, f, indent=1)
    print(json.dumps(card["held_out_4bit"]), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["train"])
    ap.add_argument("--pairs", action="append", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab", type=int, default=7000)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--max-q", type=int, default=32)
    ap.add_argument("--max-c", type=int, default=160)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--group", type=int, default=32, help="pairs of one repository together in a batch (0: batches drawn at random)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--drop-shared", action="store_true", help="train on each doc without the terms its code has")
    args = ap.parse_args()
    train(args)


if __name__ == "__main__":
    main()
