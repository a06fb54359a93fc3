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


def v2_parts(segs):
    """block snippets, path, linesBefore, suffix, lineHead, middleRest of one v2 completion example."""
    assert segs[-1] == EOT, segs
    i, block = 0, []
    while segs[i] == FILE and ":" in segs[i + 1].split("\n", 1)[0] and segs[i + 2] == FILE:
        head, text = segs[i + 1].split("\n", 1)
        path, lines = head.rsplit(":", 1)
        a, b = lines.split("-")
        block.append(T.Snippet(path, int(a), int(b), text))
        i += 2
    assert segs[i] == FILE and segs[i + 2] == FIM_PRE and segs[i + 4] == FIM_SUF and segs[i + 6] == FIM_MID, segs
    assert len(segs) == i + 10, segs
    return {"block": block, "path": segs[i + 1][:-1], "before": segs[i + 3], "suffix": segs[i + 5],
            "head": segs[i + 7], "middle": segs[i + 8]}


def split_v2(segs):
    """v2 completion examples of a target file's segments (each ends with <|endoftext|>)."""
    out, cur = [], []
    for s in segs:
        cur.append(s)
        if s == EOT:
            out.append(cur)
            cur = []
    return out


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

    def test_cross_file_example_in_the_v2_layout(self):
        files = [dict(f, path=f["path"].replace("zeta", "billing")) for f in self.FILES]
        files[0]["text"] = files[0]["text"].replace("./zeta", "./billing")
        found = 0
        for seed in range(60):
            stats = {}
            out = T.render(T.repo_segments(files, random.Random(seed), T.Options(qa_per_repo=0, xfile_rate=1.0), stats))
            if not stats.get("xfile_examples"):
                continue
            found += 1
            ex = re.search(r"<\|file\|>src/main\.ts\n<\|fim_prefix\|>(.*?)<\|fim_suffix\|>(.*?)<\|fim_middle\|>(.*?)"
                           r"<\|endoftext\|>", out, re.S)
            self.assertIsNotNone(ex, out)
            before, suffix, middle = ex.groups()
            self.assertEqual((before, middle), ("", "import { computeInvoiceTotals"))  # lineHead + middleRest
            self.assertEqual(suffix, " } from './billing';\n\nconsole.log(computeInvoiceTotals([]));\n")  # as cut
            # the module came before, as a plain file, and the importer itself is left out
            self.assertLess(out.index("<|file|>src/billing.ts\n" + files[1]["text"]), ex.start())
            self.assertNotIn("<|file|>src/main.ts\n" + files[0]["text"], out)
        self.assertGreater(found, 5)

    def test_python_relative_import(self):
        files = {"pkg/app.py": ("python", "from .models import (\n    Invoice,\n    total as t,\n)\n"),
                 "pkg/models.py": ("python", "class Invoice:\n    pass\n\ndef total(xs):\n    return sum(xs)\n")}
        cands = T.cross_file_candidates(files)
        self.assertEqual(sorted(c.name for c in cands), ["Invoice", "total"])
        c = [c for c in cands if c.name == "total"][0]
        text = files["pkg/app.py"][1]
        self.assertEqual(text[c.a:c.b], "total as t")
        segs = T.completion_examples("pkg/app.py", "python", text, T.RepoIndex(files), random.Random(3), T.Options(),
                                     {}, spans=[(c.a, c.b)])
        p = v2_parts(segs)
        self.assertEqual((p["before"], p["head"], p["middle"]), ("from .models import (\n    Invoice,\n", "    ", "total as t"))
        self.assertEqual(p["suffix"], ",\n)\n")
        # the block: the definition of what is still imported (Invoice), not of the name being typed
        self.assertIn(("pkg/models.py", 1, 2), [(s.path, s.start, s.end) for s in p["block"]])
        self.assertNotIn("def total", "".join(s.text for s in p["block"]))

    def test_unresolved_or_undefined_names_are_skipped(self):
        files = {"a.ts": ("typescript", "import { nope } from './b';\nimport { x } from 'lodash';\n"),
                 "b.ts": ("typescript", "export const yes = 1;\n")}
        self.assertEqual(T.cross_file_candidates(files), [])

    def test_prefix_layout_window_starts_where_the_extensions_prompt_does(self):
        # A cursor deep in a long file: the file comes from the prompt window's start (whole lines
        # within [max, 1.5 max] characters before the cursor's line), not from its first line.
        text = "".join(f"export const v{i} = {i} * 2;  // line {i}\n" for i in range(600))
        index = T.RepoIndex({"a.ts": ("typescript", text)})
        o = T.Options(max_prefix_chars=3000)
        cursor = text.index("export const v500 ")
        for seed in range(5):
            stats = {}
            segs, w = T.prefix_example("a.ts", "typescript", text, index, random.Random(seed), o, stats, cursor)
            self.assertEqual(segs[-2:], [FILE, "a.ts\n" + text[w:]])
            self.assertEqual(text[w - 1], "\n")
            self.assertTrue(3000 - 60 <= cursor - w <= 4500, cursor - w)
            self.assertEqual(stats["prefix_windowed"], 1)
        # a cursor near the top keeps the whole file
        segs, w = T.prefix_example("a.ts", "typescript", text, index, random.Random(0), o, {}, text.index("export const v3 "))
        self.assertEqual((w, segs[-1]), (0, "a.ts\n" + text))

    def test_prefix_layout_cursor_at_a_use_of_an_imported_name(self):
        # xfile: the cursor goes to a line below the import that uses the name (under its local
        # name), after the indentation, and the block holds the name's definition.
        lib = "export function area3(r: number) {\n  return r * r * 3;\n}\n"
        use = ("import { area3 as a3 } from '../lib/shapes';\n\nexport function big(): number {\n"
               "  const x = 1;\n  return a3(10) + x;\n}\n")
        files = {"lib/shapes.ts": ("typescript", lib), "src/use.ts": ("typescript", use)}
        [c] = T.cross_file_candidates(files)
        cursor = T.import_use_cursor(use, c, random.Random(0))
        self.assertEqual(use[cursor:cursor + 9], "return a3")
        self.assertIsNone(T.import_use_cursor(use.replace("a3(10)", "4"), c, random.Random(0)))
        o = T.Options(fim_rate=0, prefix_rate=1.0, old_fim_rate=0, summary_rate=0, xfile_rate=1.0, qa_per_repo=0)
        stats = {}
        segs = T.repo_segments([{"path": p, "lang": l, "text": t} for p, (l, t) in files.items()], random.Random(2), o, stats)
        self.assertEqual(stats["xfile_prefix"], 1)
        i = segs.index("src/use.ts\n" + use)
        self.assertIn("lib/shapes.ts:1-3\nexport function area3", "".join(x for x in segs[:i - 1] if isinstance(x, str)))

    def test_prefix_layout_examples_are_a_block_then_the_plain_file(self):
        # The extension's default completion prompt: [block] <|file|>path\n + the file (src/prompt/fim.ts prefix).
        files = [{"path": "lib/shapes.ts", "lang": "typescript", "text": "export function area3(r: number) {\n  return r * r * 3;\n}\n"},
                 {"path": "src/use.ts", "lang": "typescript", "text": "import { area3 } from '../lib/shapes';\n\nexport const big = area3(10) + area3(2);\n"}]
        o = T.Options(fim_rate=0, prefix_rate=1.0, old_fim_rate=0, summary_rate=0, xfile_rate=0, qa_per_repo=0)
        stats = {}
        segs = T.repo_segments(files, random.Random(1), o, stats)
        self.assertEqual(stats["prefix_examples"], 2)
        # each file is in the sequence whole, right after its block, as the workspace streams it
        for f in files:
            unit = f["path"] + "\n" + f["text"]
            i = segs.index(unit)
            self.assertEqual(segs[i - 1], FILE)
        # use.ts's block holds the definition it imports
        i = segs.index("src/use.ts\n" + files[1]["text"])
        before = "".join(x for x in segs[:i - 1] if isinstance(x, str))
        self.assertIn("lib/shapes.ts:1-3\nexport function area3", before)

    def test_nothing_on_means_plain_files(self):
        o = T.Options(fim_rate=0, prefix_rate=0, old_fim_rate=0, summary_rate=0, xfile_rate=0, qa_per_repo=0)
        marks = []
        segs = T.repo_segments(self.FILES, random.Random(0), o, marks=marks)
        self.assertEqual(marks, [0, 2, 4])
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
        out = T.render(T.repo_segments(files, random.Random(0), T.Options(fim_rate=0, prefix_rate=0, old_fim_rate=0, summary_rate=1.0,
                                                                          xfile_rate=0, qa_per_repo=0), stats))
        self.assertEqual(stats["summary_files"], 3)
        self.assertGreaterEqual(out.count("<|summary|>"), 9)
        self.check_no_leak(out)

BILLING = """/** An invoice line. */
export interface Invoice {
  id: string;
  amount: number;
}

export function computeInvoiceTotals(items: readonly Invoice[]): number {
  let total = 0;
  for (const item of items) total += item.amount;
  return total;
}

export const CURRENCY = 'EUR';
"""

MAIN = """import { computeInvoiceTotals, Invoice } from './billing';
import { formatMoney } from './format';

export function report(items: Invoice[]): string {
  const total = computeInvoiceTotals(items);
  return formatMoney(total);
}
"""

FORMAT = """export function formatMoney(cents: number): string {
  return (cents / 100).toFixed(2) + ' EUR';
}
"""

OTHER = "".join(f"export const unrelatedThing{i} = {i};\n" for i in range(70))


class LayoutV2(unittest.TestCase):
    """notes/layout.md: the pieces, the suffix cut, the block, the repository sequence."""

    def test_fim_pieces_render_as_the_layout(self):
        text = "function f() {\n  let x = 1;\n  return x;\n}\n"
        a = text.index("x = 1")
        b = text.index(";\n  return")
        segs = T.fim_v2_example("src/f.ts", text, a, b, random.Random(0), T.Options(), [T.Snippet("src/g.ts", 3, 4, "a\nb\n")])
        self.assertEqual(T.render(segs), "<|file|>src/g.ts:3-4\na\nb\n<|file|>src/f.ts\n<|fim_prefix|>function f() {\n"
                         "<|fim_suffix|>;\n  return x;\n}\n<|fim_middle|>  let x = 1<|endoftext|>")
        # lineHead and middleRest are separate pieces (lineHead encoded alone, as at inference)
        self.assertEqual(segs[-4:], [FIM_MID, "  let ", "x = 1", EOT])

    def test_window_edges_like_the_extension(self):
        self.assertEqual(T.last_lines_start("aa\nbbbbb\ncc\n", 9), 3)  # a line starting exactly max_chars back fits
        self.assertEqual(T.last_lines_start("x" * 20 + "\n", 9), 12)  # only one line: its last characters
        self.assertEqual(T.last_lines_start("short\n", 9), 0)
        self.assertEqual(T.block_pieces([T.Snippet("a.ts", 1, 1, "")]), [FILE, "a.ts:1-1\n"])  # no newline added to nothing
        self.assertEqual(T.block_pieces([T.Snippet("a.ts", 1, 1, "x")]), [FILE, "a.ts:1-1\nx\n"])

    def test_suffix_cut(self):
        lines = "".join(f"line {i}\n" for i in range(40))
        self.assertEqual(T.cut_suffix_lines("rest;\n" + lines), "rest;\n" + "".join(f"line {i}\n" for i in range(9)))
        long = "".join(f"{'x' * 99}\n" for i in range(9))
        self.assertEqual(T.cut_suffix_lines(long), long[:600])  # 6 whole lines of 100 characters
        self.assertEqual(T.cut_suffix_lines("y" * 700 + "\nnext\n"), "y" * 600)  # the current line's rest, capped
        self.assertEqual(T.cut_suffix_lines(""), "")
        self.assertEqual(T.cut_suffix_lines("a)\nb"), "a)\nb")

    def test_examples_reassemble_and_spans_are_mostly_one_line(self):
        text = "".join(f"    value_{i} = compute(value_{i - 1}, {i})\n" for i in range(400))
        files = {"m.py": ("python", text)}
        lines, heads = [], 0
        for seed in range(150):
            for ex in split_v2(T.completion_examples("m.py", "python", text, T.RepoIndex(files), random.Random(seed),
                                                     T.Options(), {})):
                p = v2_parts(ex)
                self.assertEqual(p["block"], [])  # no other file
                self.assertTrue(p["before"] == "" or p["before"].endswith("\n"))
                self.assertNotIn("\n", p["head"])
                whole = p["before"] + p["head"] + p["middle"] + p["suffix"]
                self.assertIn(whole, text)
                self.assertLessEqual(len(p["before"]), 9000)
                self.assertLessEqual(p["suffix"].count("\n"), 10)
                self.assertLessEqual(len(p["suffix"]), 600)
                lines.append(p["middle"].count("\n"))
                heads += p["head"] != ""
        self.assertGreater(sum(n == 0 for n in lines) / len(lines), 0.45)  # ends before the line's newline mostly
        self.assertGreater(sum(n >= 1 for n in lines) / len(lines), 0.2)
        self.assertGreater(heads / len(lines), 0.5)

    def test_block_holds_imported_definitions_last_then_similar_chunks(self):
        files = {"src/billing.ts": ("typescript", BILLING), "src/main.ts": ("typescript", MAIN),
                 "src/format.ts": ("typescript", FORMAT), "src/other.ts": ("typescript", OTHER)}
        index = T.RepoIndex(files)
        a = MAIN.index("return formatMoney")
        block = T.select_block("src/main.ts", "typescript", MAIN, T.query_before(MAIN, a), index, random.Random(0))
        got = [(s.path, s.start, s.end) for s in block]
        # most relevant last: the first import's definition nearest the cursor
        self.assertEqual(got[-1], ("src/billing.ts", 7, 11))
        self.assertEqual(block[-1].text, "\n".join(BILLING.split("\n")[6:11]) + "\n")
        self.assertIn(("src/billing.ts", 2, 5), got)  # interface Invoice
        self.assertIn(("src/format.ts", 1, 3), got)
        self.assertNotIn("src/main.ts", [s.path for s in block])  # never the target file
        self.assertNotIn("src/other.ts", [s.path for s in block])  # nothing in common with the query
        # a tight budget keeps the most relevant
        small = T.select_block("src/main.ts", "typescript", MAIN, T.query_before(MAIN, a), index, random.Random(0), 200)
        self.assertEqual([(s.path, s.start) for s in small], [("src/billing.ts", 7)])
        self.assertEqual(T.render(T.block_pieces(small)), "<|file|>src/billing.ts:7-11\n" + small[0].text)

    def test_block_ends_with_continuations_of_the_line_above(self):
        helper = "package semver\n\nfunc check(t *testing.T, v string) {\n\tparsed, err := NewVersion(v)\n" \
                 "\trequire.NoError(t, err)\n\tassert.Equal(t, v, parsed.Original())\n}\n"
        other = "package semver\n\nfunc other() {\n\tv := 1\n\tparsed, err := NewVersion(v)\n\tuse(parsed, err)\n}\n"
        doc = "package semver\n\nfunc TestX(t *testing.T) {\n\tparsed, err := NewVersion(v)\n\t\n}\n"
        files = {"helper_test.go": ("go", helper), "other.go": ("go", other), "x_test.go": ("go", doc)}
        a = doc.index("\t\n}") + 1
        block = T.select_block("x_test.go", "go", doc, T.query_before(doc, a), T.RepoIndex(files), random.Random(0))
        conts = [s for s in block if s.text.startswith("\tparsed, err := NewVersion(v)\n")]
        # both copies; the one whose line above matches too (`func ...(t *testing.T...` does not, so
        # by path) last, nearest the cursor; each its anchor line and what follows
        self.assertEqual([(s.path, s.start, s.end) for s in block[-2:]], [("other.go", 5, 7), ("helper_test.go", 4, 7)])
        self.assertEqual(len(conts), 2)
        self.assertIn("require.NoError(t, err)", block[-1].text)
        # an idiom (in more than CONT_MAX_PLACES places) anchors nothing
        many = {f"f{i}.go": ("go", "package semver\n\n\tparsed, err := NewVersion(v)\n\tuse()\n") for i in range(17)}
        idx = T.RepoIndex({**files, **many})
        self.assertEqual(idx.continuations("x_test.go", doc[:a].split("\n")[:-1]), [])

    def test_chunks_are_windows_every_step_lines(self):
        text = "".join(f"line_{i} = {i}\n" for i in range(50))
        got = [(c.start, c.end) for c in T.file_chunks("a.py", text)]
        self.assertEqual(got, [(1, 30), (16, 45), (31, 50)])  # as similar.ts: s + WINDOW - STEP < lines
        self.assertEqual([(c.start, c.end) for c in T.file_chunks("b.py", "x = 1\n")], [(1, 1)])

    def test_similar_chunks_rank_by_jaccard(self):
        files = {"a.py": ("python", "def alpha(beta, gamma):\n    return beta + gamma\n"),
                 "b.py": ("python", "def delta(beta):\n    return beta\n"),
                 "c.py": ("python", "x = alpha(beta, gamma)\n")}
        block = T.select_block("c.py", "python", files["c.py"][1], "x = alpha(beta, gamma)", T.RepoIndex(files),
                               random.Random(0))
        self.assertEqual([s.path for s in block], ["b.py", "a.py"])  # least similar first

    def test_go_and_python_absolute_imports(self):
        files = {"cmd/main.go": ("go", 'package main\n\nimport (\n\t"fmt"\n\t"example.com/m/strutil"\n)\n\n'
                                       'func main() { fmt.Println(strutil.Reverse("x")) }\n'),
                 "strutil/reverse.go": ("go", "package strutil\n\n// Reverse reverses.\nfunc Reverse(s string) string {\n"
                                              "\treturn s\n}\n"),
                 "app/run.py": ("python", "from pkg.util import helper\n\nhelper()\n"),
                 "src/pkg/util.py": ("python", "import os\n\n\ndef helper():\n    return os.sep\n\n\nX = 1\n")}
        paths = set(files)
        self.assertEqual(T.imported_names("cmd/main.go", "go", files["cmd/main.go"][1], paths),
                         [("strutil/reverse.go", "Reverse")])
        self.assertEqual(T.imported_names("app/run.py", "python", files["app/run.py"][1], paths),
                         [("src/pkg/util.py", "helper")])
        d = T.find_definition("strutil/reverse.go", "go", files["strutil/reverse.go"][1], "Reverse")
        self.assertEqual((d.start, d.end, d.text), (4, 6, "func Reverse(s string) string {\n\treturn s\n}\n"))
        d = T.find_definition("src/pkg/util.py", "python", files["src/pkg/util.py"][1], "helper")
        self.assertEqual((d.start, d.end), (4, 5))

    def test_repository_sequence(self):
        files = [{"path": "README.md", "lang": "markdown", "text": "# Billing\n\nTotals for invoices.\n"},
                 {"path": "src/billing.ts", "lang": "typescript", "text": BILLING},
                 {"path": "src/main.ts", "lang": "typescript", "text": MAIN},
                 {"path": "src/format.ts", "lang": "typescript", "text": FORMAT}]
        kinds = {}
        for seed in range(40):
            stats, marks = {}, []
            segs = T.repo_segments(files, random.Random(seed), T.Options(), stats, marks)
            out = T.render(segs)
            self.assertEqual(segs[-1], EOT)
            self.assertTrue(all(segs[m] == FILE for m in marks), marks)
            self.assertEqual(len(marks), 4 + (stats.get("qa_examples", 0) > 0))
            # sources before docs: README's unit is the last file's
            self.assertIn("<|file|>README.md\n", T.render(segs[marks[3]:marks[4] if len(marks) > 4 else None]))
            self.assertNotIn("<|file|>README.md\n", T.render(segs[:marks[3]]))
            for f in files:  # a completion target is left out of the sequence
                plain = f"<|file|>{f['path']}\n{f['text']}"
                if f"<|file|>{f['path']}\n<|fim_prefix|>" in out:
                    self.assertNotIn(plain, out)
            for k, v in stats.items():
                kinds[k] = kinds.get(k, 0) + v
        for k in ("v2_examples", "old_fim_files", "block_snippets", "qa_examples"):
            self.assertGreater(kinds.get(k, 0), 0, kinds)

    def test_qa_example_names_the_file_and_line(self):
        files = {"src/chunk.ts": ("typescript", TS), "util/text.py": ("python", PY)}
        segs = T.qa_examples(T.RepoIndex(files), random.Random(2), T.Options(qa_per_repo=2), {})
        out = T.render(segs)
        qs = re.findall(r"<\|question\|>(.*?)\n<\|answer\|>(.*?)<\|endoftext\|>", out, re.S)
        self.assertEqual(len(qs), 2, out)
        for q, a in qs:
            m = re.match(r"`(\w+)` in (\S+), line (\d+): ", a)
            self.assertIsNotNone(m, a)
            name, path, line = m.group(1), m.group(2), int(m.group(3))
            self.assertIn(name, files[path][1].split("\n")[line - 1])  # the line that defines it
            self.assertIn(f"<|file|>{path}:", out)  # its passage was retrieved


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


class ModelSize(unittest.TestCase):
    """training/train.py model_numbers: the parameter count the run logs next to PyTorch's."""

    def test_v1_count_and_v2_budget(self):
        import train
        n, _ = train.model_numbers(256, 8, 4, 2, 64, 576, 16384, 1024, 2048)
        self.assertEqual(n, 10_275_072)  # v1, as PyTorch counted it (training/runs/default-v1/results.json)
        n, flops = train.model_numbers(320, 8, 5, 1, 64, 640, 16384, 2048, 8192)  # v2 defaults
        self.assertEqual(n, 13_847_360)
        self.assertLessEqual(2 * n, 28_000_000 - 64_000)  # F16 weights (plus safetensors headers) within 28 MB
        # attention: 4 layers x 5 heads x 64 x keys per query (2048 after the first 2048 positions)
        keys = (2048 * 2049 / 2 + 6144 * 2048) / 8192
        self.assertAlmostEqual(flops, 6 * n + 12 * 4 * 5 * 64 * keys)


class NoTorch(unittest.TestCase):
    def test_transforms_does_not_import_torch(self):
        code = "import sys; sys.path.insert(0, %r); import transforms; print('torch' in sys.modules)" % HERE
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        self.assertEqual(r.stdout.strip(), "False")


if __name__ == "__main__":
    unittest.main()
