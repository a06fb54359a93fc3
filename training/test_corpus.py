"""Tests of the corpus collectors' licence checks, filters and de-duplication (offline; needs numpy):

    python3 -m unittest training/test_corpus.py
"""

import collections
import json
import lzma
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus as C  # noqa: E402

CODE = "\n".join(f"def f{i}(x):\n    return x * {i} + offset_{i}\n" for i in range(40))


class Licenses(unittest.TestCase):
    def test_permissive_expressions(self):
        for lic in ["MIT", "Expat", "MIT or Apache-2.0", "(MIT OR CC0-1.0)", "BSD-3-clause~Google", "ISC",
                    "Apache-2.0 OR BSD-2-Clause", "MIT/Apache-2.0", "0BSD", "PSF-2.0"]:
            self.assertTrue(C.license_ok(lic), lic)

    def test_not_permissive(self):
        for lic in ["GPL-2+", "LGPL-2.1 and MIT", "BlueOak-1.0.0", "Apache-2.0 with LLVM exception",
                    "public-domain", "MPL-2.0", "", None, "SEE LICENSE IN LICENSE.md"]:
            self.assertFalse(C.license_ok(lic), lic)

    def test_debian_copyright_needs_every_stanza_permissive(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "copyright")
            base = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
            with open(p, "w") as f:
                f.write(base + "Files: *\nCopyright: x\nLicense: Expat\n\nFiles: debian/*\nLicense: GPL-2+\n")
            self.assertEqual(C.debian_copyright(p), ("Expat", True))  # debian/ packaging does not count
            with open(p, "w") as f:
                f.write(base + "Files: *\nLicense: Expat\n\nFiles: src/vendored/*\nLicense: GPL-3\n")
            self.assertFalse(C.debian_copyright(p)[1])
            with open(p, "w") as f:
                f.write("This package was debianized by someone.\nIt is under the MIT license.\n")
            self.assertEqual(C.debian_copyright(p), ("debian/copyright is not machine-readable", False))


class Filters(unittest.TestCase):
    def test_readable(self):
        self.assertTrue(C.readable(CODE))
        self.assertFalse(C.readable("var a=1;" * 200))  # one long line: minified
        table = "\n".join(", ".join(f"0x{i * j:04x}" for j in range(8)) for i in range(50))
        self.assertFalse(C.readable(table))  # numbers, few letters

    def test_select_js_prefers_sources(self):
        files = {"src/a.ts": "export const a = 1;\n", "dist/a.js": "exports.a = 1;\n", "dist/a.d.ts": "export declare const a: 1;\n",
                 "lib/b.js": "module.exports = 2;\n", "esm/b.mjs": "export default 2;\n"}
        kept = {p for p, _, _ in C.select_js(files)}
        self.assertEqual(kept, {"src/a.ts"})  # .ts source present: compiled .js and .d.ts dropped


class Dedup(unittest.TestCase):
    def test_exact_normalized_and_near(self):
        ix = C.DedupIndex()
        keys = C.file_keys(CODE)
        self.assertIsNone(ix.check(CODE, keys))
        ix.add(keys)
        self.assertEqual(ix.check(CODE), "exact")
        self.assertEqual(ix.check(CODE.replace("    ", "\t") + "\n# a comment\n"), "near")
        edited = CODE.replace("offset_3", "shift_3") + "\ndef extra():\n    pass\n"
        self.assertEqual(ix.check(edited), "near")  # one changed line in ~80: MinHash
        other = "\n".join(f"class K{i}:\n    value = '{i}' * {i}\n" for i in range(40))
        self.assertIsNone(ix.check(other))

    def test_dump_and_load_keep_the_keys(self):
        ix = C.DedupIndex()
        ix.add(C.file_keys(CODE))
        back = C.DedupIndex.load(json.loads(json.dumps(ix.dump())))
        self.assertEqual(back.check(CODE), "exact")
        self.assertEqual(back.check(CODE.replace("offset_3", "shift_3")), "near")


class Resume(unittest.TestCase):
    """--resume: a closed shard's files are de-duplicated against, and new shards are numbered after it."""

    def test_resume_indexes_closed_shards(self):
        other = "\n".join(f"class K{i}:\n    value = '{i}' * {i}\n" for i in range(40))
        with tempfile.TemporaryDirectory() as d:
            first = C.Sink(d, C.DedupIndex(C.EVAL_JACCARD), collections.Counter(), 1)
            first.add_repo({"repo": "npm:one", "license": "MIT"}, [("a.py", "python", CODE)], "train", 10**6)
            closed = first.writer.finish()
            self.assertEqual([sh["file"] for sh in closed], ["shard-01.jsonl.xz"])
            doc = {"shards": closed, "repositories": first.manifest}

            stats = collections.Counter()
            sink = C.Sink(d, C.DedupIndex(C.EVAL_JACCARD), stats, 1, closed=closed)
            sink.resume(d, doc)
            self.assertEqual(sink.py_index.check(CODE), "exact")  # hashes.json.xz keeps the closed shard's Python
            edited = CODE.replace("offset_3", "shift_3")
            self.assertEqual(sink.add_repo({"repo": "debian-go:x", "license": "MIT"},
                                           [("b.py", "python", edited), ("k.py", "python", other)], "train", 10**6),
                             len(other.encode()))
            self.assertEqual(stats["dup_near"], 1)  # the near copy of the closed shard's file
            shards = sink.writer.finish()
            self.assertEqual([sh["file"] for sh in shards], ["shard-01.jsonl.xz", "shard-02.jsonl.xz"])
            self.assertEqual([m["repo"] for m in sink.manifest], ["npm:one", "debian-go:x"])
            with lzma.open(os.path.join(d, "shard-02.jsonl.xz"), "rt") as f:
                self.assertEqual([json.loads(l)["path"] for l in f], ["k.py"])



class AddPass(unittest.TestCase):
    """--add: the closed shards stay as they are, and a new file that equals or nearly equals one of
    theirs, or an evaluation file, is not written again; the new shard and hashes come after them.
    The pass's sources are local packages here (npm_repos and apt_list replaced), the rest is main()."""

    def test_add_pass_deduplicates_against_existing_shards_and_eval(self):
        other = "\n".join(f"class K{i}:\n    value = '{i}' * {i}\n" for i in range(40))
        fresh = "\n".join(f"def fresh_{i}(z):\n    return z ** {i} - bias_{i}\n" for i in range(40))
        fresh_js = "\n".join(f"export function g{i}(a) {{\n  return a + {i} * scale{i};\n}}\n" for i in range(40))
        eval_text = "\n".join(f"def parse_version_{i}(s):\n    return s.split('.')[{i}]\n" for i in range(30))
        with tempfile.TemporaryDirectory() as d:
            shard_dir = os.path.join(d, "shards")
            os.makedirs(shard_dir)
            first = C.Sink(shard_dir, C.DedupIndex(C.EVAL_JACCARD), collections.Counter(), 1)
            first.add_repo({"repo": "npm:old", "license": "MIT"}, [("a.py", "python", CODE), ("k.py", "python", other)],
                           "train", 10**6)
            closed = first.writer.finish()
            with lzma.open(os.path.join(d, C.MANIFEST), "wt") as f:
                json.dump({"shards": closed, "repositories": first.manifest, "rejected": [],
                           "filters": {"removed": {"dup_exact": 7}}, "xz_preset": 1}, f)
            old_bytes = open(os.path.join(shard_dir, "shard-01.jsonl.xz"), "rb").read()
            ev = os.path.join(d, "evalrepo")
            os.makedirs(ev)
            with open(os.path.join(ev, "version.py"), "w") as f:
                f.write(eval_text)
            with open(os.path.join(d, "eval-repos.json"), "w") as f:
                json.dump({"repositories": [{"repo": "python:evalrepo", "name": "evalrepo", "source": ev}]}, f)

            packages = {
                "newpkg": [("copy.py", "python", CODE),                                  # in shard-01: exact
                           ("edit.py", "python", other.replace("K3", "Klass3") + "\nx = 1\n"),  # near
                           ("vendored.py", "python", eval_text.replace("[7]", "[-1]")),     # an evaluation file
                           ("fresh.py", "python", fresh), ("g.js", "javascript", fresh_js)],
                "evalrepo": [("v.py", "python", fresh + "\n# other\nq = 1\n")],      # by name
                "gplpkg": "GPL-3.0",
            }

            def fake_npm_repos(names, tmp):
                out = []
                for n in names:
                    if isinstance(packages[n], str):
                        out.append((n, ({"repo": f"npm:{n}", "version": "1", "license": packages[n],
                                         "rejected": "license"}, [])))
                    else:
                        out.append((n, ({"repo": f"npm:{n}", "name": n, "version": "1", "license": "MIT",
                                         "source": "test"}, packages[n])))
                return out

            saved = C.npm_repos, C.apt_list, C.NPM_PACKAGES_V3, sys.argv
            C.npm_repos, C.apt_list, C.NPM_PACKAGES_V3 = fake_npm_repos, lambda *a, **k: [], list(packages)
            sys.argv = ["corpus.py", "--add", "v3", "--out", d, "--workdir", os.path.join(d, "work"),
                        "--eval-repos", os.path.join(d, "eval-repos.json"), "--xz-preset", "1"]
            try:
                C.main()
            finally:
                C.npm_repos, C.apt_list, C.NPM_PACKAGES_V3, sys.argv = saved

            self.assertEqual(open(os.path.join(shard_dir, "shard-01.jsonl.xz"), "rb").read(), old_bytes)
            with lzma.open(os.path.join(shard_dir, "shard-02.jsonl.xz"), "rt") as f:
                rows = [json.loads(l) for l in f]
            self.assertEqual([(r["repo"], r["path"]) for r in rows], [("npm:newpkg", "fresh.py"), ("npm:newpkg", "g.js")])
            man = C.read_manifest(os.path.join(d, C.MANIFEST))
            self.assertEqual([sh["file"] for sh in man["shards"]], ["shard-01.jsonl.xz", "shard-02.jsonl.xz"])
            self.assertEqual([m["repo"] for m in man["repositories"]], ["npm:old", "npm:newpkg"])
            add = man["additions"]["v3"]
            self.assertEqual(add["removed"], {"dup_exact": 1, "dup_near": 1, "eval_overlap": 1, "eval_repository": 1})
            self.assertEqual(man["filters"]["removed"]["dup_exact"], 8)  # the earlier run's removals are kept
            self.assertEqual((add["repositories"], add["files"], add["rejected_license"]), (1, 2, 1))
            self.assertEqual(man["repositories"][1]["source"], "npm pack newpkg@1")  # a row of additions.v3, expanded
            self.assertEqual(add["totals"], {"python": len(fresh.encode()), "javascript": len(fresh_js.encode())})
            self.assertFalse(os.path.exists(os.path.join(shard_dir, "hashes.json.xz")))
            with lzma.open(os.path.join(shard_dir, "hashes-v3.json.xz"), "rt") as f:
                py = C.DedupIndex.load(json.load(f)["python"])
            self.assertEqual(py.check(CODE), "exact")   # the old shard's Python, for device_corpus.py
            self.assertEqual(py.check(fresh), "exact")  # and the new


class DeviceCorpus(unittest.TestCase):
    """device_corpus.py on a small fake site-packages: licences, NVIDIA, evaluation files, duplicates."""

    def dist(self, site, name, meta, files):
        info = os.path.join(site, f"{name.replace('-', '_')}-1.0.dist-info")
        os.makedirs(info)
        with open(os.path.join(info, "METADATA"), "w") as f:
            f.write(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n{meta}\n")
        record = []
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(site, rel)), exist_ok=True)
            with open(os.path.join(site, rel), "w") as f:
                f.write(text)
            record.append(f"{rel},,")
        with open(os.path.join(info, "RECORD"), "w") as f:
            f.write("\n".join(record) + "\n")

    def test_harvest(self):
        eval_text = "\n".join(f"def parse_version_{i}(s):\n    return s.split('.')[{i}]\n" for i in range(30))
        shipped = "\n".join(f"def shipped_{i}(y):\n    return y - {i}\n" for i in range(30))
        with tempfile.TemporaryDirectory() as d:
            site = os.path.join(d, "site")
            self.dist(site, "goodpkg", "License-Expression: MIT", {
                "goodpkg/a.py": CODE, "goodpkg/a_copy.py": CODE, "goodpkg/vendored_eval.py": eval_text,
                "goodpkg/again.py": shipped, "goodpkg/_vendor/x.py": CODE + "\nz = 1\n"})
            self.dist(site, "gplpkg", "License: GPL-3.0-or-later\nClassifier: License :: OSI Approved :: "
                                      "GNU General Public License v3 (GPLv3)", {"gplpkg/g.py": CODE + "\n# g\nq = 2\n"})
            self.dist(site, "nvidia-cublas-cu12", "License: MIT", {"nvidia/cublas/c.py": CODE + "\nw = 3\n"})
            self.dist(site, "zclassy", "Classifier: License :: OSI Approved :: BSD License",
                      {"zclassy/k.py": CODE.replace("offset_7", "base_7") + "\nclass K:\n    pass\n"})
            ev, py = C.DedupIndex(C.EVAL_JACCARD), C.DedupIndex()
            ev.add(C.file_keys(eval_text))
            py.add(C.file_keys(shipped))
            with lzma.open(os.path.join(d, "hashes.json.xz"), "wt") as f:
                json.dump({"python": py.dump(), "eval": ev.dump(), "eval_names": ["packaging"],
                           "python_distributions": []}, f)
            r = subprocess.run([sys.executable, os.path.join(HERE, "device_corpus.py"), "--site", site, "--hashes",
                                os.path.join(d, "hashes.json.xz"), "--out", os.path.join(d, "out"), "--jobs", "1"],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            rows = [json.loads(l) for l in open(os.path.join(d, "out", "device-python.jsonl"))]
            self.assertEqual(sorted((x["repo"], x["path"]) for x in rows), [("site:goodpkg", "goodpkg/a.py")])
            man = json.load(open(os.path.join(d, "out", "device_manifest.json")))
            why = {x["name"]: x["reason"] for x in man["left_out"]}
            self.assertIn("license", why["gplpkg"])
            self.assertIn("NVIDIA", why["nvidia-cublas-cu12"])
            self.assertEqual(man["removed"].get("eval_overlap"), 1)
            self.assertEqual(man["removed"].get("dup_exact"), 2)  # a_copy.py, and shipped again.py
            self.assertEqual(man["removed"].get("dup_near"), 1)  # zclassy/k.py: one renamed word (goodpkg comes first)
            self.assertEqual([m["name"] for m in man["repositories"]], ["goodpkg"])



class V1Sources(unittest.TestCase):
    def test_v1_sources_only(self):
        self.assertTrue(C.v1_source("npm:typescript"))
        self.assertTrue(C.v1_source("python:asyncio"))
        self.assertTrue(C.v1_source("go:net"))
        self.assertTrue(C.v1_source("debian:python3-django"))
        self.assertFalse(C.v1_source("debian:python3-murano"))  # v3's Debian Python
        self.assertFalse(C.v1_source("debian-go:golang-github-spf13-pflag-dev"))
        self.assertFalse(C.v1_source("npm:supports-color"))  # v3's npm
        self.assertFalse(C.v1_source("npm:" + next(n for n in C.NPM_PACKAGES_V2 if n not in C.NPM_PACKAGES)))


if __name__ == "__main__":
    unittest.main()
