#!/usr/bin/env python3
"""Which training repositories a package name matches, before trying it "as a user on a package
the model never saw": every row of training/data/manifest.json.xz (the base corpus and each --add
pass) and device_manifest.json.xz (the GPU machine's site-packages) whose repository name holds
NAME, case-insensitive, with its split ("heldout" rows are the held-out loss's, never trained on).
Exit status 1 when a trained-on row matches.

usage: python3 scripts/seen-in-training.py NAME [NAME ...]
"""
import json
import lzma
import os
import sys

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training", "data")


def rows(node, where):
    """(repository, version, where, split) for every row: a dict with "repo", or a list starting with one."""
    if isinstance(node, dict):
        if isinstance(node.get("repo"), str):
            yield node["repo"], node.get("version", ""), node.get("shard", where), node.get("split", "train" if "shard" in node else "-")
        for key, value in node.items():
            yield from rows(value, f"{where}/{key}")
    elif isinstance(node, list):
        if node and isinstance(node[0], str) and ":" in node[0] and len(node) > 1:
            yield node[0], node[1], node[-1] if isinstance(node[-1], str) else where, "train"
        else:
            for value in node:
                yield from rows(value, where)


def main():
    names = [n.lower() for n in sys.argv[1:]]
    if not names:
        sys.exit(__doc__)
    seen = False
    for file in ("manifest.json.xz", "device_manifest.json.xz"):
        with lzma.open(os.path.join(DATA, file)) as f:
            manifest = json.load(f)
        for repo, version, where, split in rows(manifest, file):
            if any(n in repo.lower() for n in names):
                print(f"{file}: {repo} {version} ({where}, {split})")
                seen = seen or split == "train"
    sys.exit(1 if seen else 0)


if __name__ == "__main__":
    main()
