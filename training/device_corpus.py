"""Collects the Python (and C/C++ headers) of the GPU machine's own site-packages into the corpus.

    python3 training/device_corpus.py [--site DIR] [--hashes /tmp/corpus/hashes.json.xz]
                                      [--out /tmp/corpus] [--jobs N] [--limit N]

Runs ON the GPU machine (Python 3.12, no network), after training/device_data.sh has received shard 1
and hashes.json.xz. Walks the distributions installed in site.getsitepackages()[0] (importlib.metadata),
reads each one's License-Expression / License / classifiers and keeps only those that are permissive
without doubt (corpus.license_ok; NVIDIA's CUDA packages and anything unclear are left out, and listed
with the reason). Their .py/.pyi files (and C/C++ headers) go through corpus.py's filters and
de-duplication, also against the Python shipped in the shards (hashes.json.xz) and the evaluation
repositories' files; distributions that are evaluation repositories are skipped by name. A
distribution that the shards also hold in another version (Debian python3-*, capped at 3 MB there)
is kept: its files that are the same or nearly the same (MinHash) as shipped ones are dropped.

Writes OUT/device-python.jsonl (the shards' format: {"repo", "path", "lang", "split", "text"}, files of
one distribution consecutive, repo "site:<distribution>") and OUT/device_manifest.json (per
distribution: name, version, license, source, files, bytes, languages; the ones left out and why; totals).
"""

from __future__ import annotations

import argparse
import collections
import importlib.metadata as md
import json
import lzma
import multiprocessing as mp
import os
import re
import site
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402  (filters, license check, de-duplication: one owner)

PER_DIST_CAP = 30_000_000
PER_DIST_CAP_C = 4_000_000
PY_EXT = (".py", ".pyi")
# never: NVIDIA's CUDA wheels (NVIDIA's own license), and packages that bundle them
NOT_PERMISSIVE_NAME = re.compile(r"^(nvidia[-_]|cuda[-_]|cupy|tensorrt|nccl)", re.I)

CLASSIFIER_SPDX = {
    "MIT License": "MIT", "MIT No Attribution License (MIT-0)": "MIT", "BSD License": "BSD",
    "Apache Software License": "Apache-2.0", "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF-2.0", "The Unlicense (Unlicense)": "Unlicense",
    "Zero-Clause BSD (0BSD)": "0BSD", "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": "CC0-1.0",
}
# short free-form License: values seen in the wild, and the start of full license texts
FREEFORM = [
    (re.compile(r"^(the )?mit( license)?$", re.I), "MIT"),
    (re.compile(r"^(new |modified |simplified |3-clause |2-clause )?bsd( license)?( \(?[23]-clause\)?)?$", re.I), "BSD"),
    (re.compile(r"^bsd[- ]?3[- ]?clause( license)?$", re.I), "BSD-3-Clause"),
    (re.compile(r"^apache( software)?( license)?[ ,-]*(v(ersion)? ?)?2(\.0)?( license)?$", re.I), "Apache-2.0"),
    (re.compile(r"^apache software license$", re.I), "Apache-2.0"),
    (re.compile(r"^(psf|python software foundation)( license)?( 2(\.0)?)?$", re.I), "PSF-2.0"),
    (re.compile(r"^isc( license)?$", re.I), "ISC"),
]
TEXT_SIGNS = [("Permission is hereby granted, free of charge", "MIT"),
              ("Redistribution and use in source and binary forms", "BSD"),
              ("Apache License", "Apache-2.0"), ("Permission to use, copy, modify, and/or distribute", "ISC")]
COPYLEFT = re.compile(r"\b(A?GPL|LGPL|MPL|EPL|CDDL|GNU|Mozilla Public|Eclipse Public|proprietary|NVIDIA)\b", re.I)


def dist_license(dist):
    """(license, ok, how): permissive only when every signal the metadata gives agrees."""
    m = dist.metadata
    expr = (m.get("License-Expression") or "").strip()
    field = (m.get("License") or "").strip()
    classes = [c.split(" :: ")[-1] for c in (m.get_all("Classifier") or []) if c.startswith("License ::")]
    class_spdx = [CLASSIFIER_SPDX.get(c) for c in classes if c != "OSI Approved"]
    if any(s is None for s in class_spdx):
        return "; ".join(classes), False, "a license classifier that is not permissive"
    if expr:
        return expr, corpus.license_ok(expr), "License-Expression"
    if field and field.upper() not in ("UNKNOWN", "NONE"):
        first = field.splitlines()[0].strip()
        if len(field) < 120 and "\n" not in field:
            if corpus.license_ok(first):
                return first, True, "License"
            for rx, spdx in FREEFORM:
                if rx.match(first):
                    return spdx, True, f"License {first!r}"
            if class_spdx:  # a free-form field we cannot read: trust it only with no copyleft word
                ok = not COPYLEFT.search(field)
                return " OR ".join(sorted(set(class_spdx))), ok, f"classifiers (License {first!r})"
            return first, False, "License field not understood"
        # the full text of the license in the field; wheels append the licenses of bundled binaries
        # (e.g. libgfortran's) after the project's own, so the project's is the first 2,000 characters
        head = field[:2000]
        if COPYLEFT.search(head):
            return first[:80], False, "License text names a copyleft or proprietary license"
        for sign, spdx in TEXT_SIGNS:
            if sign in head:
                return spdx, True, "License text (its first 2,000 characters)"
        return first[:80], False, "License text not recognised"
    if class_spdx:
        return " OR ".join(sorted(set(class_spdx))), True, "classifiers"
    return "", False, "no license metadata"


def dist_files(d, site_dir):
    """Paths (relative to site_dir) of a distribution: its RECORD, else the folders of top_level.txt."""
    if d.files:
        return [str(f) for f in d.files if not str(f).startswith("..")]
    out = []
    for top in (d.read_text("top_level.txt") or "").split():
        root = os.path.join(site_dir, top)
        if os.path.isfile(root + ".py"):
            out.append(top + ".py")
        for dirpath, _, filenames in os.walk(root):
            out += [os.path.relpath(os.path.join(dirpath, fn), site_dir) for fn in filenames]
    return out


def norm_name(n):
    return re.sub(r"[-_.]+", "-", n).lower()


def process_file(args):
    """(rel, lang, text, keys) or (rel, None, reason, None); runs in a worker process."""
    root, rel = args
    lang = "python" if rel.endswith(PY_EXT) else None
    try:
        full = os.path.join(root, rel)
        if not corpus.MIN_FILE_BYTES <= os.path.getsize(full) <= corpus.MAX_FILE_BYTES:
            return rel, None, "size", None
        with open(full, encoding="utf-8") as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return rel, None, "unreadable", None
    if lang is None:
        lang = corpus.c_lang(rel, text)
    text = corpus.clean(text)
    if len(text) < corpus.MIN_FILE_BYTES:
        return rel, None, "size", None
    if not corpus.readable(text):
        return rel, None, "minified_or_data", None
    if corpus.is_generated(text):
        return rel, None, "generated", None
    return rel, lang, text, corpus.file_keys(text)


def wanted(rel):
    parts = rel.split("/")
    if any(p in corpus.SKIP_DIRS or p.endswith((".dist-info", ".egg-info")) for p in parts[:-1]):
        return False
    if rel.endswith(PY_EXT):
        return True
    ext = os.path.splitext(rel)[1]
    return ext in corpus.C_EXT and "include" in parts[:-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default=site.getsitepackages()[0])
    ap.add_argument("--hashes", default="/tmp/corpus/hashes.json.xz")
    ap.add_argument("--out", default="/tmp/corpus")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 4)
    ap.add_argument("--limit", type=int, default=0, help="at most this many distributions (testing)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    if not os.path.exists(a.hashes):
        sys.exit(f"device_corpus.py: {a.hashes} is missing: run `bash training/device_data.sh receive 1` "
                 f"first (it brings hashes.json.xz with shard 1)")
    with lzma.open(a.hashes, "rt") as f:
        h = json.load(f)
    index = corpus.DedupIndex.load(h["python"])
    eval_index = corpus.DedupIndex.load(h["eval"], corpus.EVAL_JACCARD)
    blocked = {norm_name(n) for n in h["eval_names"]}
    print(f"hashes: {len(index.exact)} Python files from the shards, {len(eval_index.exact)} evaluation files",
          flush=True)

    dists = {}
    for d in md.distributions(path=[a.site]):
        name = d.metadata.get("Name")
        if name and norm_name(name) not in dists:
            dists[norm_name(name)] = d
    names = sorted(dists)[: a.limit or None]

    stats = collections.Counter()
    kept, left_out = [], []
    totals = collections.Counter()
    out_path = os.path.join(a.out, "device-python.jsonl")
    with open(out_path, "w", encoding="utf-8") as out, mp.Pool(a.jobs) as pool:
        for key in names:
            d = dists[key]
            name, version = d.metadata["Name"], d.version
            lic, ok, how = dist_license(d)
            reason = None
            if NOT_PERMISSIVE_NAME.match(name):
                reason = "NVIDIA / CUDA package"
            elif key in blocked:
                reason = "an evaluation repository"
            elif not ok:
                reason = f"license: {how}"
            rels = sorted({r for r in dist_files(d, a.site) if wanted(r)})
            if reason or not rels:
                left_out.append({"name": name, "version": version, "license": lic, "reason": reason or "no source files"})
                continue
            n_files, n_bytes, n_c, langs = 0, 0, 0, collections.Counter()
            for rel, lang, text, keys in pool.imap(process_file, [(a.site, r) for r in rels], chunksize=16):
                if lang is None:
                    stats[text] += 1
                    continue
                if eval_index.check(text, keys):
                    stats["eval_overlap"] += 1
                    continue
                dup = index.check(text, keys)
                if dup:
                    stats["dup_" + dup] += 1
                    continue
                nb = len(text.encode())
                if n_bytes + nb > PER_DIST_CAP or (lang != "python" and n_c + nb > PER_DIST_CAP_C):
                    stats["over_cap"] += 1
                    continue
                index.add(keys)
                out.write(json.dumps({"repo": f"site:{name}", "path": rel, "lang": lang, "split": "train",
                                      "text": text}, ensure_ascii=False) + "\n")
                n_files += 1
                n_bytes += nb
                n_c += nb if lang != "python" else 0
                langs[lang] += nb
            if n_files:
                kept.append({"repo": f"site:{name}", "name": name, "version": version, "license": lic,
                             "license_from": how, "source": f"site-packages of the GPU machine's Python {sys.version.split()[0]}",
                             "split": "train", "files": n_files, "bytes": n_bytes, "languages": dict(langs)})
                totals.update(langs)
                print(f"site:{name:40s} {version:14s} {n_files:6d} files {n_bytes / 1e6:7.2f} MB {lic} ({how})", flush=True)
    doc = {"note": "training/device_corpus.py on the GPU machine: its site-packages' permissively licensed "
                   "distributions, after corpus.py's filters and de-duplication against the shards.",
           "site": a.site, "python": sys.version.split()[0], "per_distribution_cap_bytes": PER_DIST_CAP,
           "removed": dict(stats), "totals": {"train": dict(totals)}, "left_out": left_out, "repositories": kept}
    with open(os.path.join(a.out, "device_manifest.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print(f"removed: {dict(stats)}")
    print(f"kept {len(kept)} distributions, left out {len(left_out)}; totals {dict(totals)}; "
          f"{out_path}: {os.path.getsize(out_path) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
