"""Writes the held-out repositories of the corpus as folders of code, for `samba eval --repos`.

    python3 training/heldout_repos.py [--corpus training/data/corpus/corpus.jsonl.xz] [--out /tmp/heldout]

One folder per held-out repository (split 'heldout', never trained on), named after it with ':'
replaced by '_' (npm_immer, npm_semver, python_email), files at their corpus paths. Prints the
folders as one comma-separated line, ready for --repos.
"""
import argparse
import json
import lzma
import os

HERE = os.path.dirname(os.path.abspath(__file__))

ap = argparse.ArgumentParser()
ap.add_argument("--corpus", default=os.path.join(HERE, "data", "corpus", "corpus.jsonl.xz"))
ap.add_argument("--out", default="/tmp/heldout")
a = ap.parse_args()
dirs = {}
with lzma.open(a.corpus, "rt", encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if r["split"] != "heldout":
            continue
        root = os.path.join(a.out, r["repo"].replace(":", "_").replace("/", "_"))
        dest = os.path.normpath(os.path.join(root, r["path"]))
        if not dest.startswith(root + os.sep):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "w", encoding="utf-8") as out:
            out.write(r["text"])
        dirs[root] = dirs.get(root, 0) + 1
print(",".join(sorted(dirs)))
