"""Collects a small, permissively licensed code corpus for training the default model.

    python3 training/corpus.py [--out training/data] [--go] [--workdir /tmp/samba-corpus]

Runs on the developer machine (it needs the npm registry and Debian's archive, no GPU):

* TypeScript / JavaScript: `npm pack NAME` for each package in NPM_PACKAGES; the license is read
  from the package's own package.json and must be permissive (MIT, ISC, Apache-2.0, BSD, 0BSD).
* Python: this machine's standard library, /usr/lib/python3.11 (PSF license).
* Go (with --go): the Go 1.19 standard library and toolchain from Debian's `golang-1.19-src`
  (`apt-get download` + `dpkg -x`, BSD-3-Clause).

Filters: source extensions only; no .min.js / .map / minified files (long lines), no generated
files (markers such as "Code generated", "@generated", "DO NOT EDIT"), no vendored or
node_modules or testdata folders, no down-levelled CommonJS that tsc/babel emitted next to shipped
sources, only one of several builds of the same module (dist/esm/cjs/umd ...), exact duplicates
(hash of the text) and whitespace/comment-insensitive duplicates removed across the whole corpus.

A "repository" is one npm package, or one top-level package of a standard library. Whole
repositories in HELD_OUT are the evaluation split.

Writes OUT/manifest.json (per repository: name, version, license, source, language, split, files,
bytes; and totals) and OUT/corpus/corpus.jsonl.xz: one JSON object per file, {"repo", "path",
"lang", "split", "text"}, files of one repository consecutive. OUT/corpus/ is git-ignored through
.git/info/exclude and travels to the GPU machine with `run`'s carry.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import glob
import hashlib
import io
import json
import lzma
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse

# npm packages: well-known, permissively licensed, shipping readable .ts or unminified .js.
NPM_PACKAGES = [
    # TypeScript sources / declarations
    "typescript", "@types/node", "@types/vscode", "rxjs", "zod", "fp-ts", "io-ts", "immer",
    "@tanstack/query-core", "ts-pattern", "effect", "hono", "vscode-languageserver",
    "vscode-languageserver-protocol", "vscode-jsonrpc", "vscode-uri", "inversify", "type-fest",
    "@vue/reactivity", "@vue/runtime-core", "@vue/compiler-core", "@vue/shared", "vue-router",
    "pinia", "mobx", "@reduxjs/toolkit", "redux", "date-fns", "lit", "@lit/reactive-element",
    "tslib", "zustand", "jotai", "valibot", "neverthrow",
    # JavaScript sources
    "lodash-es", "express", "koa", "commander", "yargs", "chalk", "semver", "ramda", "d3-array",
    "d3-scale", "d3-shape", "three", "svelte", "preact", "eslint", "webpack", "acorn", "graphql",
    "marked", "markdown-it", "moment", "luxon", "fastify", "ws", "uuid", "mocha", "highlight.js",
    "chart.js", "immutable", "underscore", "axios", "minimatch", "debug", "esquery", "espree",
    # more of both
    "@angular/core", "@angular/common", "@angular/forms", "@angular/router", "@trpc/server",
    "@sinclair/typebox", "superstruct", "yup", "xstate", "remeda", "es-toolkit", "ajv", "mathjs",
    "@vueuse/core", "h3", "magic-string", "prosemirror-model", "prosemirror-state",
    "prosemirror-transform", "@codemirror/state", "@codemirror/view", "yjs", "kysely",
    "jquery", "react", "leaflet", "esprima", "jsdom", "undici", "postcss", "terser", "uglify-js",
    "knex", "mongoose", "bluebird", "async", "handlebars", "nunjucks", "joi", "js-yaml",
    "fs-extra", "chokidar", "socket.io", "cheerio", "htmlparser2", "less", "moment-timezone",
    "node-forge", "crypto-js", "inquirer", "vue", "@effect/platform", "@angular/compiler",
    "@types/react", "@types/lodash", "@types/express-serve-static-core", "@types/jest", "fast-check",
    "@nestjs/common", "@nestjs/core", "typeorm", "class-validator", "@vue/runtime-dom",
    "@vue/compiler-sfc", "utility-types",
]

# Debian packages of pure-Python libraries (license: the package's upstream license, checked
# against the `Files: *` stanza of its debian/copyright)
DEBIAN_PYTHON = {
    "python3-django": "BSD-3-Clause", "python3-sympy": "BSD-3-Clause", "python3-requests": "Apache-2.0",
    "python3-flask": "BSD-3-Clause", "python3-werkzeug": "BSD-3-Clause", "python3-jinja2": "BSD-3-Clause",
    "python3-click": "BSD-3-Clause", "python3-attr": "MIT", "python3-pygments": "BSD-2-Clause",
    "python3-sqlalchemy": "MIT", "python3-networkx": "BSD-3-Clause", "python3-pandas": "BSD-3-Clause",
    "python3-rich": "MIT", "python3-aiohttp": "Apache-2.0", "python3-setuptools": "MIT",
    "python3-numpy": "BSD-3-Clause",
}

# whole repositories held out for evaluation (a TypeScript one, a JavaScript one, a Python one)
HELD_OUT = {"npm:immer", "npm:semver", "python:email"}

PERMISSIVE = {"MIT", "ISC", "APACHE-2.0", "BSD-2-CLAUSE", "BSD-3-CLAUSE", "0BSD", "BSD", "UNLICENSE",
              "PSF-2.0", "PYTHON-2.0"}

JS_EXT = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")
BUILD_DIRS = {"dist", "esm", "cjs", "es", "lib", "umd", "build", "module", "modules", "commonjs",
              "esm5", "esm2015", "es2015", "es2017", "es2020", "_esm", "_cjs", "_esm5", "_esm2015",
              "_types", "types", "typings", "node", "browser", "src", "source", "mjs", "fesm2022",
              "fesm2020", "dist-types", "out"}
SKIP_DIRS = {"node_modules", "vendor", "vendors", "third_party", "third-party", "testdata",
             "__pycache__", "bower_components", "coverage", ".git"}
GENERATED = re.compile(r"@generated|auto-?generated|Code generated|DO NOT EDIT|THIS FILE IS GENERATED"
                       r"|This file is automatically generated|generated by (?:the )?(?:script|tool)",
                       re.IGNORECASE)
DOWNLEVEL = re.compile(r"__awaiter|__generator|_interopRequireDefault|__importDefault|__createBinding"
                       r"|_classCallCheck|_createClass|regeneratorRuntime")

MAX_FILE_BYTES = 400_000
MIN_FILE_BYTES = 64
MAX_LINE = 1000
PER_REPO_CAP = {"npm": 6_000_000, "python": 2_500_000, "debian": 3_000_000, "go": 700_000}
PER_REPO_CAP_OVERRIDE = {"python:_modules": 6_000_000}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Filters
# ----------------------------------------------------------------------------------------------


def license_ok(lic) -> bool:
    if isinstance(lic, dict):
        lic = lic.get("type", "")
    if isinstance(lic, list):
        return any(license_ok(x) for x in lic)
    if not isinstance(lic, str) or not lic:
        return False
    expr = lic.replace("(", " ").replace(")", " ").upper()
    for alt in expr.split(" OR "):
        parts = [p.strip() for p in alt.split(" AND ")]
        if all(p in PERMISSIVE for p in parts):
            return True
    return False


def readable(text: str) -> bool:
    """False for minified or binary-ish text."""
    if "\x00" in text:
        return False
    lines = text.split("\n")
    if not lines:
        return False
    if max(len(l) for l in lines) > MAX_LINE:
        return False
    if len(text) / len(lines) > 120:
        return False
    return True


def is_generated(text: str) -> bool:
    head = "\n".join(text.split("\n", 12)[:12])
    return bool(GENERATED.search(head))


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n")
    text = re.sub(r"\n//# sourceMappingURL=.*$", "", text.rstrip()) + "\n"
    return text


def norm_key(text: str) -> str:
    """Hash that ignores whitespace and whole-line comments (near-duplicate detection)."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or s.startswith("//") or s.startswith("#") or s.startswith("*") or s.startswith("/*"):
            continue
        out.append(re.sub(r"\s+", "", s))
    return hashlib.sha1("\n".join(out).encode()).hexdigest()


# ----------------------------------------------------------------------------------------------
# npm
# ----------------------------------------------------------------------------------------------


def js_module_key(path: str):
    """(key, priority): builds of one module share a key; lower priority wins."""
    parts = path.split("/")
    dirs = [p for p in parts[:-1] if p.lower() not in BUILD_DIRS]
    name = parts[-1]
    for ext, pri in ((".d.mts", None), (".d.cts", None), (".d.ts", None)):
        if name.endswith(ext):
            return "/".join(dirs + [name[: -len(ext)]]) + "#d", 0
    stem, ext = os.path.splitext(name)
    if stem.endswith(".development") or stem.endswith(".production"):
        stem = stem.rsplit(".", 1)[0]
    pri = {".ts": 0, ".tsx": 0, ".mts": 1, ".cts": 2, ".mjs": 3, ".js": 4, ".jsx": 4, ".cjs": 5}[ext]
    return "/".join(dirs + [stem]), pri


def npm_fetch(name: str, tmp: str):
    d = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run(["npm", "pack", name, "--json", "--pack-destination", d],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-500:])
    info = json.loads(r.stdout)[0]
    return os.path.join(d, info["filename"]), info["version"]


def npm_repo(name: str, tmp: str):
    tgz, version = npm_fetch(name, tmp)
    files = {}
    pkg = {}
    with tarfile.open(tgz) as tf:
        for m in tf.getmembers():
            if not m.isfile():
                continue
            path = m.name.split("/", 1)[1] if "/" in m.name else m.name
            if path == "package.json":
                pkg = json.load(tf.extractfile(m))
                continue
            if not path.endswith(JS_EXT) or path.endswith((".min.js", ".min.mjs", ".min.cjs")):
                continue
            if any(p in SKIP_DIRS for p in path.split("/")[:-1]):
                continue
            if m.size > MAX_FILE_BYTES or m.size < MIN_FILE_BYTES:
                continue
            try:
                files[path] = tf.extractfile(m).read().decode("utf-8")
            except UnicodeDecodeError:
                continue
    os.remove(tgz)
    lic = pkg.get("license", pkg.get("licenses"))
    if isinstance(lic, list):
        lic = " OR ".join(x.get("type", "") if isinstance(x, dict) else str(x) for x in lic)
    if isinstance(lic, dict):
        lic = lic.get("type", "")
    if not license_ok(lic):
        return {"repo": f"npm:{name}", "version": version, "license": lic, "rejected": "license"}, []

    # per module key keep the best build; sources (.ts) make same-key .d.ts redundant
    has_ts_source = any(p.endswith((".ts", ".tsx", ".mts", ".cts")) and not re.search(r"\.d\.[mc]?ts$", p)
                        for p in files)
    best = {}
    for path, text in files.items():
        key, pri = js_module_key(path)
        if key not in best or (pri, len(path)) < (best[key][0], len(best[key][1])):
            best[key] = (pri, path)
    keep = []
    for key, (pri, path) in sorted(best.items(), key=lambda kv: kv[1][1]):
        if key.endswith("#d") and key[:-2] in best and best[key[:-2]][0] <= 2:
            continue  # the .ts source is there
        text = files[path]
        is_js = path.endswith((".js", ".mjs", ".cjs", ".jsx"))
        if is_js and has_ts_source:
            continue  # compiled output next to the shipped TypeScript sources
        if is_js and DOWNLEVEL.search(text):
            continue  # down-levelled output of a compiler
        lang = "javascript" if is_js else "typescript"
        keep.append((path, lang, text))
    meta = {"repo": f"npm:{name}", "name": name, "version": version, "license": lic,
            "source": f"npm pack {name}@{version}", "homepage": pkg.get("homepage")}
    return meta, keep


# ----------------------------------------------------------------------------------------------
# Python standard library, Go
# ----------------------------------------------------------------------------------------------


def python_repos(root="/usr/lib/python3.11"):
    groups = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
        rel = os.path.relpath(path, root)
        parts = rel.split("/")
        if any(p in SKIP_DIRS or p in ("site-packages", "dist-packages") or p.startswith("config-")
               for p in parts[:-1]):
            continue
        if "bad" in parts[-1] or "lib2to3/tests/data" in rel or "test/encoded_modules" in rel \
                or "test/tokenizedata" in rel:
            continue
        group = parts[0] if len(parts) > 1 else "_modules"
        if group == "test" and len(parts) > 2:
            group = "test/" + parts[1]
        groups[group].append(rel)
    lic_file = os.path.join(root, "LICENSE.txt")
    version = sys.version.split()[0] if root.endswith("3.11") else "?"
    out = []
    for g, rels in groups.items():
        files = []
        for rel in rels:
            try:
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    files.append((rel, "python", f.read()))
            except (UnicodeDecodeError, OSError):
                continue
        meta = {"repo": f"python:{g}", "name": f"cpython {g}", "version": version,
                "license": "PSF-2.0", "source": f"{root} (Debian python3.11, {lic_file})"}
        out.append((meta, files))
    return out


def debian_python_repos(tmp):
    out = []
    for pkg, spdx in DEBIAN_PYTHON.items():
        d = tempfile.mkdtemp(dir=tmp)
        r = subprocess.run(["apt-get", "download", pkg], cwd=d, capture_output=True, text=True)
        debs = glob.glob(os.path.join(d, "*.deb"))
        if r.returncode != 0 or not debs:
            log(f"debian {pkg}: download failed: {r.stderr[-300:]}")
            continue
        version = urllib.parse.unquote(os.path.basename(debs[0]).split("_")[1])
        x = os.path.join(d, "x")
        subprocess.run(["dpkg", "-x", debs[0], x], check=True)
        copyright_lic = None
        cp = os.path.join(x, "usr", "share", "doc", pkg, "copyright")
        if os.path.exists(cp):
            stanzas = open(cp, encoding="utf-8", errors="replace").read().split("\n\n")
            for st in stanzas:
                if re.search(r"^Files:\s*\*\s*$", st, re.M):
                    m = re.search(r"^License:\s*(.+)$", st, re.M)
                    copyright_lic = m.group(1).strip() if m else None
            if copyright_lic is None:
                copyright_lic = "free-form debian/copyright; license text checked by hand"
        files = []
        root = os.path.join(x, "usr", "lib", "python3", "dist-packages")
        for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
            rel = os.path.relpath(path, root)
            if any(p in SKIP_DIRS for p in rel.split("/")[:-1]):
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    files.append((rel, "python", f.read()))
            except (UnicodeDecodeError, OSError):
                continue
        meta = {"repo": f"debian:{pkg}", "name": pkg, "version": version, "license": spdx,
                "debian_copyright_license": copyright_lic,
                "source": f"Debian bookworm {pkg} {version} (apt-get download), /usr/lib/python3/dist-packages"}
        log(f"debian {pkg} {version}: {len(files)} .py files, copyright 'Files: *' license {copyright_lic!r}")
        out.append((meta, files))
    return out


def go_repos(tmp):
    d = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run("apt-get download golang-1.19-src", shell=True, cwd=d, capture_output=True, text=True)
    if r.returncode != 0:
        log("go: apt-get download failed:", r.stderr[-300:])
        return []
    deb = glob.glob(os.path.join(d, "*.deb"))[0]
    version = os.path.basename(deb).split("_")[1]
    subprocess.run(["dpkg", "-x", deb, os.path.join(d, "x")], check=True)
    root = glob.glob(os.path.join(d, "x", "usr", "share", "go-1.19", "src"))[0]
    groups = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(root, "**", "*.go"), recursive=True)):
        rel = os.path.relpath(path, root)
        parts = rel.split("/")
        if any(p in SKIP_DIRS for p in parts[:-1]):
            continue
        group = "/".join(parts[:2]) if parts[0] in ("cmd", "crypto", "net", "go", "internal", "runtime",
                                                      "encoding", "image", "text", "math") and len(parts) > 2 \
            else parts[0]
        groups[group].append((rel, path))
    out = []
    for g, items in groups.items():
        files = []
        for rel, path in items:
            try:
                with open(path, encoding="utf-8") as f:
                    files.append((rel, "go", f.read()))
            except (UnicodeDecodeError, OSError):
                continue
        meta = {"repo": f"go:{g}", "name": f"go {g}", "version": version, "license": "BSD-3-Clause",
                "source": f"Debian golang-1.19-src {version}, /usr/share/go-1.19/src/{g}"}
        out.append((meta, files))
    return out


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    ap.add_argument("--workdir", default="/tmp/samba-corpus")
    ap.add_argument("--go", action="store_true")
    ap.add_argument("--jobs", type=int, default=6)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    os.makedirs(os.path.join(args.out, "corpus"), exist_ok=True)

    repos = []  # (meta, [(path, lang, text)])
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        futs = {ex.submit(npm_repo, n, args.workdir): n for n in NPM_PACKAGES}
        results = {}
        for fu in cf.as_completed(futs):
            n = futs[fu]
            try:
                results[n] = fu.result()
            except Exception as e:  # noqa: BLE001
                log(f"npm {n}: FAILED {e}")
    rejected = []
    for n in NPM_PACKAGES:
        if n not in results:
            continue
        meta, files = results[n]
        if meta.get("rejected"):
            log(f"npm {n}: rejected ({meta['rejected']}: {meta['license']!r})")
            rejected.append(meta)
            continue
        repos.append((meta, files))
    repos += python_repos()
    repos += debian_python_repos(args.workdir)
    if args.go:
        repos += go_repos(args.workdir)

    seen_exact, seen_norm = set(), set()
    manifest = []
    stats = collections.Counter()
    out_path = os.path.join(args.out, "corpus", "corpus.jsonl.xz")
    with lzma.open(out_path, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        for meta, files in repos:
            kind = meta["repo"].split(":")[0]
            cap = PER_REPO_CAP_OVERRIDE.get(meta["repo"], PER_REPO_CAP[kind])
            split = "heldout" if meta["repo"] in HELD_OUT else "train"
            n_files, n_bytes = 0, 0
            langs = collections.Counter()
            for path, lang, text in files:
                text = clean(text)
                if len(text) < MIN_FILE_BYTES:
                    continue
                if not readable(text):
                    stats["minified"] += 1
                    continue
                if is_generated(text):
                    stats["generated"] += 1
                    continue
                h = hashlib.sha1(text.encode()).hexdigest()
                if h in seen_exact:
                    stats["dup_exact"] += 1
                    continue
                k = norm_key(text)
                if k in seen_norm:
                    stats["dup_near"] += 1
                    continue
                nb = len(text.encode())
                if n_bytes + nb > cap:
                    stats["over_cap"] += 1
                    continue
                seen_exact.add(h)
                seen_norm.add(k)
                out.write(json.dumps({"repo": meta["repo"], "path": path, "lang": lang, "split": split,
                                      "text": text}, ensure_ascii=False) + "\n")
                n_files += 1
                n_bytes += nb
                langs[lang] += nb
            if n_files == 0:
                continue
            m = dict(meta, split=split, files=n_files, bytes=n_bytes, languages=dict(langs))
            manifest.append(m)
            log(f"{meta['repo']:42s} {split:8s} {n_files:6d} files {n_bytes / 1e6:7.2f} MB {meta['license']}")

    totals = collections.defaultdict(lambda: collections.Counter())
    for m in manifest:
        for lang, nb in m["languages"].items():
            totals[m["split"]][lang] += nb
    doc = {
        "note": "Corpus of the default model (training/corpus.py). Bytes are UTF-8 bytes after filtering "
                "and de-duplication. One entry per repository (an npm package, or one top-level "
                "package of a standard library); split 'heldout' repositories are never trained on.",
        "filters": {"max_file_bytes": MAX_FILE_BYTES, "max_line_chars": MAX_LINE,
                    "per_repository_cap_bytes": PER_REPO_CAP, "removed": dict(stats)},
        "held_out": sorted(HELD_OUT),
        "totals": {s: dict(c) for s, c in totals.items()},
        "corpus_file": "training/data/corpus/corpus.jsonl.xz (git-ignored)",
        "corpus_xz_bytes": os.path.getsize(out_path),
        "rejected": [{"repo": r["repo"], "version": r["version"], "license": r["license"]} for r in rejected],
        "repositories": manifest,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    log(f"removed: {dict(stats)}")
    log(f"totals: {json.dumps(doc['totals'])}")
    log(f"wrote {out_path}: {os.path.getsize(out_path) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
