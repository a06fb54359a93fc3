"""training/transforms.py builds the prompt pieces exactly as the extension does: the golden
vectors test/fixtures/prompt-golden.json (made from the TypeScript src/prompt/ with the default
tokenizer; format in notes/layout.md) are rebuilt here from each case's "input" and compared piece
by piece, and id by id where the `tokenizers` package imports (the GPU machine):

    python3 -m unittest training/test_prompt_golden.py
"""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import transforms as T  # noqa: E402

GOLDEN = os.path.join(ROOT, "test", "fixtures", "prompt-golden.json")


def snippet(s: dict) -> T.Snippet:
    return T.Snippet(s["path"], s["startLine"], s["endLine"], s["text"])


def build(kind: str, i: dict) -> list:
    """A case's segment list, from its input, with the functions training uses."""
    if kind == "file":
        return T.plain_file(i["path"], i["text"])
    if kind == "fim":
        c = T.split_cursor(i["path"], i["before"], i["after"], i.get("windowStart"))
        return T.fim_pieces(i["path"], c["linesBefore"], c["suffix"], c["lineHead"])
    if kind == "block":
        return T.block_pieces([snippet(s) for s in i["snippets"]])
    if kind == "summary":
        return T.summary_pieces(i["header"], i["text"], i.get("intro", ""))
    if kind == "question":
        return T.qa_pieces([(t["question"], t["answer"]) for t in i["history"]], [snippet(s) for s in i["passages"]],
                           i["question"])
    raise AssertionError(f"{GOLDEN}: unknown case kind {kind!r}; teach training/test_prompt_golden.py to build it")


def as_pieces(segs: list) -> list:
    """Segments as the fixture's pieces: ["special", name] / ["text", s]; empty text is no piece."""
    return [["special", T.SPECIALS[s]] if isinstance(s, int) else ["text", s] for s in segs if s != ""]


def tokenizer():
    try:
        from tokenizers import Tokenizer
    except ImportError:
        return None
    with open(GOLDEN) as f:
        tok = Tokenizer.from_file(os.path.join(ROOT, json.load(f)["tokenizer"]))
    tok.encode_special_tokens = True  # text never becomes a special id (training/train.py encodes so too)
    return tok


class PromptGolden(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(GOLDEN) as f:
            cls.cases = json.load(f)["cases"]

    def test_every_kind_is_covered(self):
        self.assertGreaterEqual({c["kind"] for c in self.cases}, {"file", "fim", "block", "summary", "question"})

    def test_pieces(self):
        for c in self.cases:
            with self.subTest(c["name"]):
                self.assertEqual(as_pieces(build(c["kind"], c["input"])), c["pieces"])

    def test_ids(self):
        tok = tokenizer()
        if tok is None:
            self.skipTest("the tokenizers package is not installed here (it is on the GPU machine)")
        for c in self.cases:
            with self.subTest(c["name"]):
                ids = []
                for s in build(c["kind"], c["input"]):
                    if isinstance(s, int):
                        ids.append(s)
                    elif s:
                        ids += tok.encode(s, add_special_tokens=False).ids
                self.assertEqual(ids, c["ids"])


if __name__ == "__main__":
    unittest.main()
