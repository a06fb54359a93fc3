"""Tests of training/transforms.py (plain Python, no torch):

    python3 -m unittest training/test_transforms.py
"""

import os
import random
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import transforms as T  # noqa: E402
from transforms import EOT, FILE, FIM_MID, FIM_PRE, FIM_SUF, SUMMARY  # noqa: E402

TS = '''/**
 * @file Small array helpers for the billing code.
 */

import { Invoice } from './invoice';

/**
 * Splits `items` into chunks of at most `size` elements.
 * See {@link Invoice} for the element type.
 * @param items the items
 * @returns the chunks
 */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class Ledger {
  /** Adds an entry, returning the new balance in cents. */
  add({ amount }: { amount: number }): number {
    const note = `added ${amount} {not a brace}`;
    this.total += amount;
    return this.total;
  }
}
'''

PY = '''"""Text helpers for the billing reports.

More words about the module.
"""

import re


def slugify(value: str) -> str:
    """Lower-case the value and replace runs of non-alphanumerics with dashes.

    Args:
        value: the text
    """
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


class Report:
    """A printable report made of sections."""

    def render(self) -> str:
        """Join the sections into one text block."""
        return "\\n".join(self.sections)

    def empty(self):
        """Only a docstring here, nothing to summarize."""
'''

GO = '''// Copyright 2024 The Authors. All rights reserved.
// Use of this source code is governed by a BSD-style license.

// Package strutil implements small string utilities for reports.
package strutil

// Reverse returns s with its runes in reverse order.
//
//go:noinline
func Reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// Pair holds two strings that belong together.
type Pair struct {
	A, B string
}

func undocumented() {}
'''


def fim_parts(segs):
    """(path, order, prefix, suffix, middle) of a single FIM example's segments."""
    assert segs[0] == FILE and segs[-1] == EOT, segs
    path = segs[1][:-1]
    if segs[2] == FIM_SUF:
        assert segs[4] == FIM_PRE and segs[6] == FIM_MID
        return path, "spm", segs[5], segs[3], segs[7]
    assert segs[2] == FIM_PRE and segs[4] == FIM_SUF and segs[6] == FIM_MID
    return path, "psm", segs[3], segs[5], segs[7]


def split_examples(segs):
    out, cur = [], []
    for s in segs:
        if s == FILE and cur:
            out.append(cur)
            cur = []
        cur.append(s)
    if cur:
        out.append(cur)
    return out


def extension_fim_prompt(path, prefix, suffix):
    """src/completion/prompt.ts fimTokens, as a segment list (each string encoded on its own)."""
    return [FILE, f"{path}\n", FIM_SUF, suffix, FIM_PRE, prefix, FIM_MID]


class FimLayout(unittest.TestCase):
    def test_spm_is_the_extension_prompt_then_middle(self):
        segs = T.fim_layout("src/math.ts", "  return ", ";\n}\n", "Math.min(hi, x)", spm=True)
        self.assertEqual(segs[:-2], extension_fim_prompt("src/math.ts", "  return ", ";\n}\n"))
        self.assertEqual(segs[-2:], ["Math.min(hi, x)", EOT])
        self.assertEqual(T.render(segs), "<|file|>src/math.ts\n<|fim_suffix|>;\n}\n<|fim_prefix|>  return "
                                         "<|fim_middle|>Math.min(hi, x)<|endoftext|>")

    def test_psm(self):
        self.assertEqual(T.render(T.fim_layout("a.py", "P", "S", "M", spm=False)),
                         "<|file|>a.py\n<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>M<|endoftext|>")

    def test_special_ids(self):
        self.assertEqual([T.SPECIALS[i] for i in (EOT, FILE, FIM_PRE, FIM_SUF, FIM_MID, SUMMARY)],
                         ["<|endoftext|>", "<|file|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>",
                          "<|summary|>"])

    def test_plain_file_is_one_string_like_the_workspace_context(self):
        self.assertEqual(T.plain_file("src/a.ts", "x\n"), [FILE, "src/a.ts\nx\n"])

    def test_cuts_match_the_extension(self):
        prefix = "".join(f"line {i}\n" for i in range(1000)) + "  ret"
        p = T.cut_prefix(prefix, 6000)
        self.assertTrue(prefix.endswith(p) and len(p) <= 6000 and prefix[len(prefix) - len(p) - 1] == "\n")
        self.assertEqual(T.cut_prefix("short", 6000), "short")
        suffix = "".join(f"line {i}\n" for i in range(1000))
        s = T.cut_suffix(suffix, 2000)
        self.assertTrue(suffix.startswith(s) and s.endswith("\n") and len(s) <= 2001)
        self.assertEqual(T.cut_suffix("a\nb", 2000), "a\nb")

    def test_fim_segments_reassemble_the_file(self):
        for seed in range(200):
            rng = random.Random(seed)
            segs = T.fim_segments("src/chunk.ts", TS, rng)
            (ex,) = split_examples(segs)
            path, order, prefix, suffix, middle = fim_parts(ex)
            self.assertEqual(path, "src/chunk.ts")
            self.assertEqual(prefix + middle + suffix, TS)  # short file: nothing cut away

    def test_both_orders_and_mostly_short_middles(self):
        text = "".join(f"    value_{i} = compute(value_{i - 1}, {i})\n" for i in range(400))
        orders, lines, chars = [], [], []
        stats = {}
        for seed in range(300):
            for ex in split_examples(T.fim_segments("m.py", text, random.Random(seed), stats=stats)):
                _, order, prefix, suffix, middle = fim_parts(ex)
                self.assertTrue(text.endswith(suffix) or suffix in text)
                self.assertIn(prefix + middle, text)
                orders.append(order)
                lines.append(middle.count("\n"))
                chars.append(len(middle))
        self.assertGreater(orders.count("spm"), 0.4 * len(orders))
        self.assertGreater(orders.count("psm"), 0.4 * len(orders))
        self.assertGreater(sum(n <= 1 for n in lines) / len(lines), 0.6)  # mostly one line
        self.assertGreater(sum(2 <= n <= 4 for n in lines) / len(lines), 0.1)  # some a few lines
        self.assertLess(sorted(chars)[len(chars) // 2], 60)  # median: part of a line
        self.assertGreater(lines.count(0) / len(lines), 0.3)  # within one line (character-level splits)
        self.assertEqual(stats["fim_examples"], len(orders))

    def test_long_file_gets_cut_prompts_like_the_extension(self):
        text = "".join(f"let x{i} = {i};\n" for i in range(3000))  # about 45K characters
        segs = T.fim_segments("big.ts", text, random.Random(1))
        exs = split_examples(segs)
        self.assertGreaterEqual(len(exs), 5)
        for ex in exs:
            _, _, prefix, suffix, middle = fim_parts(ex)
            self.assertLessEqual(len(prefix), 9000)
            self.assertLessEqual(len(suffix), 2001)
            self.assertIn(prefix + middle + suffix, text)


class CrossFile(unittest.TestCase):
    FILES = [
        {"path": "src/main.ts", "lang": "typescript",
         "text": "import { computeInvoiceTotals } from './zeta';\n\nconsole.log(computeInvoiceTotals([]));\n"},
        {"path": "src/zeta.ts", "lang": "typescript",
         "text": "export function computeInvoiceTotals(items: number[]): number {\n  return items.length;\n}\n"},
        {"path": "src/other.ts", "lang": "typescript", "text": "export const unrelated = 1;\n"},
    ]

    def test_candidates(self):
        cands = T.cross_file_candidates({f["path"]: (f["lang"], f["text"]) for f in self.FILES})
        (c,) = cands
        self.assertEqual((c.path, c.module, c.name), ("src/main.ts", "src/zeta.ts", "computeInvoiceTotals"))
        text = self.FILES[0]["text"]
        self.assertEqual(text[c.a:c.b], "computeInvoiceTotals")

    def test_module_moves_before_importer_and_name_is_the_middle(self):
        o = T.Options(fim_rate=0, summary_rate=0, xfile_rate=1.0, spm_rate=1.0)
        out = T.render(T.repo_segments(self.FILES, random.Random(0), o))
        ex = re.search(r"<\|file\|>src/main\.ts\n<\|fim_suffix\|>(.*?)<\|fim_prefix\|>(.*?)<\|fim_middle\|>(.*?)"
                       r"<\|endoftext\|>", out, re.S)
        self.assertIsNotNone(ex, out)
        suffix, prefix, middle = ex.groups()
        self.assertEqual(middle, "computeInvoiceTotals")
        self.assertEqual(prefix, "import { ")
        self.assertTrue(suffix.startswith(" } from './zeta';\n"))
        self.assertNotIn("computeInvoiceTotals", suffix)  # from the module, not from later uses
        self.assertLess(out.index("<|file|>src/zeta.ts\n"), ex.start())
        # the plain importer follows its example; the module stays plain
        self.assertIn("<|file|>src/main.ts\n" + self.FILES[0]["text"], out)
        self.assertIn("<|file|>src/zeta.ts\n" + self.FILES[1]["text"], out)
        self.assertTrue(out.endswith("<|endoftext|>"))

    def test_python_relative_import(self):
        files = {"pkg/app.py": ("python", "from .models import (\n    Invoice,\n    total as t,\n)\n"),
                 "pkg/models.py": ("python", "class Invoice:\n    pass\n\ndef total(xs):\n    return sum(xs)\n")}
        cands = T.cross_file_candidates(files)
        self.assertEqual(sorted(c.name for c in cands), ["Invoice", "total"])
        c = [c for c in cands if c.name == "total"][0]
        self.assertEqual(files["pkg/app.py"][1][c.a:c.b], "total as t")
        segs = T.cross_file_example(c, files["pkg/app.py"][1], random.Random(3), T.Options())
        _, _, prefix, suffix, middle = fim_parts(segs)
        self.assertEqual(middle, "total as t")
        self.assertTrue(prefix.startswith("from .models import ("))
        self.assertTrue(suffix.startswith(",\n)\n"))

    def test_unresolved_or_undefined_names_are_skipped(self):
        files = {"a.ts": ("typescript", "import { nope } from './b';\nimport { x } from 'lodash';\n"),
                 "b.ts": ("typescript", "export const yes = 1;\n")}
        self.assertEqual(T.cross_file_candidates(files), [])

    def test_nothing_on_means_plain_files(self):
        o = T.Options(fim_rate=0, summary_rate=0, xfile_rate=0)
        segs = T.repo_segments(self.FILES, random.Random(0), o)
        self.assertEqual(segs, [FILE, "src/main.ts\n" + self.FILES[0]["text"], FILE, "src/other.ts\n" +
                                self.FILES[2]["text"], FILE, "src/zeta.ts\n" + self.FILES[1]["text"], EOT])


class Summaries(unittest.TestCase):
    def check_no_leak(self, rendered):
        """Every summary's words appear nowhere before its <|summary|>."""
        for m in re.finditer(r"<\|summary\|>(.*?)<\|endoftext\|>", rendered, re.S):
            first = m.group(1).split("\n")[0]
            self.assertNotIn(first, rendered[:m.start()], first)

    def test_ts_docs(self):
        docs = T.find_docs("typescript", TS)
        kinds = [d.kind for d in docs]
        self.assertEqual(kinds, ["module", "symbol", "symbol"])
        mod, fn, meth = docs
        self.assertEqual(mod.words, "Small array helpers for the billing code.")
        self.assertEqual(fn.words, "Splits `items` into chunks of at most `size` elements.\nSee Invoice for the element type.")
        self.assertEqual(TS[fn.code[0]:fn.code[1]].splitlines()[0], "export function chunk<T>(items: T[], size: number): T[][] {")
        self.assertTrue(TS[fn.code[0]:fn.code[1]].endswith("return out;\n}\n"))
        self.assertEqual(meth.words, "Adds an entry, returning the new balance in cents.")
        self.assertTrue(TS[meth.code[0]:meth.code[1]].endswith("return this.total;\n  }\n"))
        self.assertEqual(fn.lines, (13, 17))

    def test_ts_summary_segments_layout(self):
        docs = T.find_docs("typescript", TS)
        segs = T.summary_segments("src/chunk.ts", TS, docs, random.Random(0), T.Options(max_symbols=4))
        out = T.render(segs)
        body = ("import { Invoice } from './invoice';\n\n"
                "export function chunk<T>(items: T[], size: number): T[][] {\n")
        # whole-file summary: the file without its module comment (and without the chosen docs)
        self.assertTrue(out.startswith("<|file|>src/chunk.ts\n" + body), out[:300])
        self.assertIn("}\n<|summary|>Small array helpers for the billing code.<|endoftext|>", out)
        self.assertIn("<|file|>src/chunk.ts:13-17\nexport function chunk<T>(items: T[], size: number): T[][] {\n", out)
        self.assertIn("  return out;\n}\n<|summary|>Splits `items` into chunks of at most `size` elements.\n"
                      "See Invoice for the element type.<|endoftext|>", out)
        self.assertIn("<|file|>src/chunk.ts:21-25\n  add({ amount }: { amount: number }): number {\n", out)
        self.assertNotIn("/**", out)
        self.assertNotIn("@param", out)
        self.assertEqual(out.count("<|summary|>"), 3)
        self.check_no_leak(out)

    def test_python_docs(self):
        docs = T.find_docs("python", PY)
        by = {d.words.split("\n")[0]: d for d in docs}
        self.assertEqual(by["Text helpers for the billing reports."].kind, "module")
        self.assertEqual(by["Text helpers for the billing reports."].words,
                         "Text helpers for the billing reports.\n\nMore words about the module.")
        slug = by["Lower-case the value and replace runs of non-alphanumerics with dashes."]
        self.assertEqual(slug.words, "Lower-case the value and replace runs of non-alphanumerics with dashes.")  # no Args:
        self.assertIn("A printable report made of sections.", by)
        self.assertIn("Join the sections into one text block.", by)
        self.assertNotIn("Only a docstring here, nothing to summarize.", by)  # body would be empty

        segs = T.summary_segments("util/text.py", PY, docs, random.Random(0), T.Options(max_symbols=4))
        out = T.render(segs)
        self.assertTrue(out.startswith("<|file|>util/text.py\nimport re\n"), out[:200])
        self.assertIn("<|file|>util/text.py:9-15\ndef slugify(value: str) -> str:\n    return re.sub(", out)
        self.assertIn('.strip("-")\n<|summary|>Lower-case the value and replace runs of non-alphanumerics with '
                      'dashes.<|endoftext|>', out)
        self.assertNotIn('"""Lower-case', out)
        self.check_no_leak(out)

    def test_go_docs(self):
        docs = T.find_docs("go", GO)
        self.assertEqual([d.kind for d in docs], ["module", "symbol", "symbol"])
        mod, rev, pair = docs
        self.assertEqual(mod.words, "Package strutil implements small string utilities for reports.")
        self.assertEqual(rev.words, "Reverse returns s with its runes in reverse order.")  # no //go: directive
        self.assertEqual(pair.words, "Pair holds two strings that belong together.")
        self.assertEqual(GO[pair.code[0]:pair.code[1]], "type Pair struct {\n\tA, B string\n}\n")
        segs = T.summary_segments("strutil/reverse.go", GO, docs, random.Random(0), T.Options(max_symbols=4))
        out = T.render(segs)
        # the copyright header stays as code; only the package comment moves behind <|summary|>
        self.assertTrue(out.startswith("<|file|>strutil/reverse.go\n// Copyright 2024"), out[:100])
        self.assertIn("\npackage strutil\n\nfunc Reverse(s string) string {", out)
        self.assertIn("<|summary|>Package strutil implements small string utilities for reports.<|endoftext|>", out)
        self.assertIn("<|file|>strutil/reverse.go:10-16\nfunc Reverse(s string) string {\n", out)
        self.assertIn("\treturn string(r)\n}\n<|summary|>Reverse returns s with its runes in reverse order."
                      "<|endoftext|>", out)
        self.assertNotIn("Copyright", out.split("<|summary|>")[1])
        self.check_no_leak(out)

    def test_license_headers_are_not_summaries(self):
        js = "/*!\n * foo v1.0\n * Copyright (c) 2020 Someone. Released under the MIT License.\n */\n\nvar a = 1;\n"
        self.assertEqual(T.find_docs("javascript", js), [])

    def test_repo_segments_with_summaries(self):
        files = [{"path": "src/chunk.ts", "lang": "typescript", "text": TS},
                 {"path": "util/text.py", "lang": "python", "text": PY},
                 {"path": "strutil/reverse.go", "lang": "go", "text": GO}]
        stats = {}
        out = T.render(T.repo_segments(files, random.Random(0), T.Options(summary_rate=1.0, xfile_rate=0), stats))
        self.assertEqual(stats["summary_files"], 3)
        self.assertGreaterEqual(out.count("<|summary|>"), 9)
        self.check_no_leak(out)


class BlockEnd(unittest.TestCase):
    def test_strings_templates_comments_and_destructuring(self):
        src = ("function f({ a }, [b] = [`${'}'}`]) {\n  const s = \"}\"; // }\n  /* } */\n"
               "  return `x ${ { y: `${a}}` }.y } }`;\n}\nrest();\n")
        end = T.block_end(src, 0)
        self.assertEqual(src[:end], src[:src.index("\nrest")])

    def test_statement_without_body(self):
        src = "export declare function g(x: number): void;\nnext();\n"
        self.assertEqual(src[:T.block_end(src, 0)], "export declare function g(x: number): void;")

    def test_go_single_line_type(self):
        src = "type Celsius float64\nfunc x() {}\n"
        self.assertEqual(src[:T.block_end(src, 0, go=True)], "type Celsius float64\n")

    def test_unbalanced_is_none(self):
        self.assertIsNone(T.block_end("function f() {\n  return 1;\n", 0))


class NoTorch(unittest.TestCase):
    def test_transforms_does_not_import_torch(self):
        code = "import sys; sys.path.insert(0, %r); import transforms; print('torch' in sys.modules)" % HERE
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        self.assertEqual(r.stdout.strip(), "False")


if __name__ == "__main__":
    unittest.main()
