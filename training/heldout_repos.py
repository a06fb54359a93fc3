"""Writes the held-out repositories of the corpus as folders of code, for `samba eval --repos`.

    python3 training/heldout_repos.py [--corpus training/data/shards] [--out /tmp/heldout]

One folder per held-out repository (split 'heldout', never trained on), named after it with ':'
replaced by '_' (npm_immer, npm_semver, python_email), files at their corpus paths. --corpus is a
.jsonl.xz file or a folder of them (training/corpus.py's shards; v1 had one corpus.jsonl.xz). Prints
the folders as one comma-separated line, ready for --repos. The other evaluation repositories
(training/data/eval-repos.json) are not in the corpus at all: scripts/fetch-eval-repos.sh fetches them.
"""
import argparse
import glob
import json
import lzma
import os

HERE = os.path.dirname(os.path.abspath(__file__))

ap = argparse.ArgumentParser()
ap.add_argument("--corpus", default=os.path.join(HERE, "data", "shards"))
ap.add_argument("--out", default="/tmp/heldout")
a = ap.parse_args()
paths = sorted(glob.glob(os.path.join(a.corpus, "*.jsonl.xz"))) if os.path.isdir(a.corpus) else [a.corpus]
if not paths or not all(os.path.isfile(p) for p in paths):
    raise SystemExit(f"heldout_repos.py: no corpus at {a.corpus}: run training/corpus.py first")
dirs = {}
for path in paths:
    with lzma.open(path, "rt", encoding="utf-8") as f:
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
