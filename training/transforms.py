"""Training-data transforms for training/train.py: one repository as one training sequence, in
prompt layout v2 (notes/layout.md; the extension, `samba eval` and this file use exactly it).
Plain Python (no torch, no numpy), so that training/test_transforms.py runs anywhere.

A *segment list* holds ints (special-token ids, SPECIALS) and strings (text, each one encoded
separately by the tokenizer: pieces never merge across a boundary, and text never becomes a
special id):

workspace file (src/workspace/context.ts):   <|file|> "path\ntext"
completion example (v2):  BLOCK, then
    <|file|> "path\n" <|fim_prefix|> linesBefore <|fim_suffix|> suffix <|fim_middle|> lineHead
    middleRest <|endoftext|>
  BLOCK: per snippet, least relevant first: <|file|> "path:start-end\ntext" (select_block: what
  follows other files' copies of the line above the cursor, definitions of imported names, then the
  30-line chunks most similar to the lines before the cursor, within BLOCK_CHARS).
v1 FIM (kept at a lower rate so that both orders stay known):
    SPM: <|file|> "path\n" <|fim_suffix|> suffix <|fim_prefix|> prefix <|fim_middle|> middle <|endoftext|>
    PSM: <|file|> "path\n" <|fim_prefix|> prefix <|fim_suffix|> suffix <|fim_middle|> middle <|endoftext|>
summary (src/summarize/prompt.ts): <|file|> "path[:start-end]\ncode\n" <|summary|> "doc words" <|endoftext|>
Q&A: passages as block snippets, <|question|> "question\n" <|answer|> "answer\n" <|endoftext|>
"""

from __future__ import annotations

import ast
import inspect
import posixpath
import re
import warnings
from dataclasses import dataclass, field

SPECIALS = ["<|endoftext|>", "<|file|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>",
            "<|question|>", "<|answer|>", "<|summary|>"]
EOT, FILE, FIM_PRE, FIM_SUF, FIM_MID, QUESTION, ANSWER, SUMMARY = range(len(SPECIALS))

# the extension's defaults (src/completion/prompt.ts, src/summarize/prompt.ts)
MAX_PREFIX_CHARS = 6000
MAX_SUFFIX_CHARS = 2000
MAX_FILE_CHARS = 8000
MAX_SYMBOL_CHARS = 4000


@dataclass
class Options:
    fim_rate: float = 0.3          # files that become v2 completion targets (layout.md)
    prefix_rate: float = 0.15      # files that come as the prefix layout: block + the file from the prompt's window
    old_fim_rate: float = 0.1      # files that become v1-layout FIM examples (PSM/SPM), so both orders stay known
    spm_rate: float = 0.5          # of v1-layout FIM examples, the suffix-prefix-middle order
    summary_rate: float = 0.2      # files drawn for summary examples (those without a usable doc stay as they were)
    max_symbols: int = 4           # symbol summaries per summary file
    xfile_rate: float = 0.5        # targets / prefix files importing a repository name: one example on it / a cursor at its use
    qa_per_repo: int = 2           # Q&A examples at the end of each repository
    block_chars: int = 6300        # the in-window block's snippet characters (BLOCK_CHARS)
    max_prefix_chars: int = MAX_PREFIX_CHARS
    max_suffix_chars: int = MAX_SUFFIX_CHARS  # v1 layout's suffix
    suffix_lines: int = 10         # v2 layout's suffix (SUFFIX_LINES, SUFFIX_CHARS)
    suffix_chars: int = 600


# ----------------------------------------------------------------------------------------------
# plain files and the FIM layout
# ----------------------------------------------------------------------------------------------


def plain_file(path: str, text: str) -> list:
    return [FILE, f"{path}\n{text}"]


def fim_layout(path: str, prefix: str, suffix: str, middle: str, spm: bool = True) -> list:
    head = [FILE, path + "\n"]
    if spm:
        return head + [FIM_SUF, suffix, FIM_PRE, prefix, FIM_MID, middle, EOT]
    return head + [FIM_PRE, prefix, FIM_SUF, suffix, FIM_MID, middle, EOT]


def last_lines_start(text: str, max_chars: int) -> int:
    """Where the last whole lines of text within max_chars start (src/prompt/stop.ts lastLinesStart)."""
    if len(text) <= max_chars:
        return 0
    nl = text.find("\n", len(text) - max_chars - 1)
    return len(text) - max_chars if nl < 0 or nl + 1 >= len(text) else nl + 1


def cut_at_line_end(text: str, max_chars: int, max_lines: float = float("inf")) -> str:
    """The start of text: whole lines while at most max_lines lines and max_chars characters; a
    first line over max_chars is cut at max_chars (src/prompt/stop.ts cutAtLineEnd)."""
    end, lines = 0, 0
    while lines < max_lines and end < len(text):
        nl = text.find("\n", end)
        nxt = len(text) if nl < 0 else nl + 1
        if nxt > max_chars:
            break
        end = nxt
        lines += 1
    return text[:end] if end > 0 else text[:max_chars]


def cut_prefix(prefix: str, max_chars: int) -> str:
    """The extension's prefix window: the last lines within max_chars."""
    return prefix[last_lines_start(prefix, max_chars):]


def cut_suffix(suffix: str, max_chars: int) -> str:
    """v1 layout's suffix: whole lines within max_chars."""
    return cut_at_line_end(suffix, max_chars)


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text) if m.end() < len(text)]


def pick_span(text: str, rng, starts: list[int] | None = None, line: int | None = None) -> tuple[int, int]:
    """A cursor span [a, b) for a completion: mostly the rest of one line or a few lines.

    start: after the line's indentation (35%), at the line start (20%) or at a random character
    of the line (45%); lines: 1 (60%), 2-4 (25%), 5-12 (12%), 13-30 (3%); end: before the last
    line's newline (65%), after it (15%) or at a random character of the last line (20%)."""
    starts = starts if starts is not None else line_starts(text)
    if line is None:
        for _ in range(4):  # prefer lines with something on them
            line = rng.randrange(len(starts))
            if text[starts[line]:_line_end(text, starts[line])].strip():
                break
    s = starts[line]
    e = _line_end(text, s)
    body = text[s:e]
    indent = len(body) - len(body.lstrip(" \t"))
    r = rng.random()
    a = s + indent if r < 0.35 else s if r < 0.55 else rng.randint(s + indent, e)
    r = rng.random()
    k = 1 if r < 0.6 else rng.randint(2, 4) if r < 0.85 else rng.randint(5, 12) if r < 0.97 else rng.randint(13, 30)
    last = min(line + k - 1, len(starts) - 1)
    ls = starts[last]
    le = _line_end(text, ls)
    r = rng.random()
    if r < 0.65:
        b = le
    elif r < 0.8:
        b = min(le + 1, len(text))
    else:
        b = rng.randint(max(ls, a), le)
    return a, max(a, b)


def _line_end(text: str, s: int) -> int:
    e = text.find("\n", s)
    return len(text) if e < 0 else e


def fim_example(path, text, a, b, rng, o: Options, spm: bool | None = None) -> list:
    pmax = rng.randint(o.max_prefix_chars, o.max_prefix_chars * 3 // 2)  # the window stays put to 1.5x
    prefix = cut_prefix(text[:a], pmax)
    suffix = cut_suffix(text[b:], o.max_suffix_chars)
    if spm is None:
        spm = rng.random() < o.spm_rate
    return fim_layout(path, prefix, suffix, text[a:b], spm)


def fim_segments(path: str, text: str, rng, o: Options | None = None, stats: dict | None = None) -> list:
    """A file as FIM examples: one per (max_prefix + max_suffix) characters of it, cursors spread
    over the file (one in each equal run of lines), spans from pick_span."""
    o = o or Options()
    starts = line_starts(text)
    n = max(1, min(len(starts), -(-len(text) // (o.max_prefix_chars + o.max_suffix_chars))))
    segs = []
    for i in range(n):
        lo, hi = len(starts) * i // n, len(starts) * (i + 1) // n
        line = rng.randrange(lo, max(hi, lo + 1))
        a, b = pick_span(text, rng, starts, line)
        seg = fim_example(path, text, a, b, rng, o)
        segs += seg
        if stats is not None:
            stats["fim_examples"] = stats.get("fim_examples", 0) + 1
            stats["fim_spm"] = stats.get("fim_spm", 0) + (seg[2] == FIM_SUF)
            stats["fim_middle_chars"] = stats.get("fim_middle_chars", 0) + (b - a)
            nl = text.count("\n", a, b)
            key = "fim_middle_lines_" + ("0" if nl == 0 else "1" if nl == 1 else "2-4" if nl <= 4 else "5+")
            stats[key] = stats.get(key, 0) + 1
    return segs


# ----------------------------------------------------------------------------------------------
# cross-file: `import { X } from './m'` where X is defined in m, m earlier in the sequence
# ----------------------------------------------------------------------------------------------

TS_EXTS = (".ts", ".tsx", ".mts", ".cts", ".d.ts", ".js", ".jsx", ".mjs", ".cjs")
TS_IMPORT = re.compile(r"^[ \t]*import\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?\{([^{}]*)\}\s*from\s*(['\"])(\.{1,2}/[^'\"\n]+)\2",
                       re.M)
PY_IMPORT = re.compile(r"^[ \t]*from\s+(\.+)([\w.]*)\s+import\s+(\([^)]*\)|[^\n#;]*)", re.M)


@dataclass
class CrossFile:
    path: str          # the importing file
    module: str        # the imported file (must come earlier in the sequence)
    name: str          # the imported name, as defined in module
    a: int             # the middle: text[a:b] of the importing file (the name as written)
    b: int
    stmt_end: int      # end of the import statement's last line (before its newline)


def resolve_ts(importer: str, spec: str, paths: set[str]) -> str | None:
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    stem = re.sub(r"\.(m|c)?jsx?$", "", base)
    cands = [base] + [stem + e for e in TS_EXTS] + [base + e for e in TS_EXTS] + [base + "/index" + e for e in TS_EXTS]
    for c in cands:
        if c in paths and c != importer:
            return c
    return None


def resolve_py(importer: str, dots: str, mod: str, paths: set[str]) -> str | None:
    d = posixpath.dirname(importer)
    for _ in range(len(dots) - 1):
        d = posixpath.dirname(d)
    if not mod:
        return None  # `from . import x`: x is a module, not a name in one
    base = posixpath.join(d, *mod.split("."))
    for c in (base + ".py", base + "/__init__.py"):
        if c in paths and c != importer:
            return c
    return None


TS_EXPORT_DECL = re.compile(r"\bexport\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?"
                            r"(?:function\*?|class|const|let|var|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)")
TS_EXPORT_LIST = re.compile(r"\bexport\s*(?:type\s*)?\{([^}]*)\}")
TS_EXPORTS_DOT = re.compile(r"\bexports\.([A-Za-z_$][\w$]*)\s*=")
PY_TOP_DEF = re.compile(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*[:=]", re.M)


def ts_exports(text: str) -> set[str]:
    """Names a TS/JS module exports: declarations, export lists (the exported name), exports.X."""
    names = set(TS_EXPORT_DECL.findall(text)) | set(TS_EXPORTS_DOT.findall(text))
    for m in TS_EXPORT_LIST.finditer(text):
        for item in m.group(1).split(","):
            parts = item.split()
            if parts and parts[0] == "type":
                parts = parts[1:]
            if parts:
                names.add(parts[-1])
    return names


def py_exports(text: str) -> set[str]:
    return {a or b for a, b in PY_TOP_DEF.findall(text)}


def cross_file_candidates(files: dict[str, tuple[str, str]]) -> list[CrossFile]:
    """files: path -> (lang, text). Every (importer, module, name) where a relative import's name
    is defined in a file of the same repository."""
    paths = set(files)
    out = []
    cache = {}

    def exported(mod, fn):
        if mod not in cache:
            cache[mod] = fn(files[mod][1])
        return cache[mod]

    for path, (lang, text) in files.items():
        if lang in ("typescript", "javascript"):
            for m in TS_IMPORT.finditer(text):
                mod = resolve_ts(path, m.group(3), paths)
                if not mod:
                    continue
                out += _names(path, mod, text, m.start(1), m.group(1), exported(mod, ts_exports), m.end())
        elif lang == "python":
            for m in PY_IMPORT.finditer(text):
                mod = resolve_py(path, m.group(1), m.group(2), paths)
                if not mod:
                    continue
                out += _names(path, mod, text, m.start(3), m.group(3), exported(mod, py_exports), m.end())
    return out


NAME_ITEM = re.compile(r"(?<![\w$.])(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+[A-Za-z_$][\w$]*)?(?![\w$.])")


def _names(path, mod, text, at, names_text, defined, stmt_end):
    out = []
    le = _line_end(text, stmt_end)
    for m in NAME_ITEM.finditer(names_text):
        item, name = m.group(0), m.group(1)
        if name in ("as", "type", "default"):
            continue
        if name not in defined:
            continue
        a = at + m.start()
        out.append(CrossFile(path, mod, name, a, a + len(item), le))
    return out


# ----------------------------------------------------------------------------------------------
# doc comments: where they are, their words, and the code they describe
# ----------------------------------------------------------------------------------------------


@dataclass
class Doc:
    kind: str        # "symbol" or "module"
    cut: tuple       # (start, end): the characters (whole lines) removed from the file with the doc
    code: tuple      # (start, end): the code it describes (whole lines; for a module the whole file)
    words: str       # the doc's text without comment syntax
    lines: tuple = field(default=(0, 0))  # 1-based first and last line of the code in the file


NOT_DOC = re.compile(r"copyright|licen[cs]e|spdx|all rights reserved|eslint-|istanbul|prettier-ignore|tslint:|"
                     r"@ts-|jshint|jscs:|global |^\s*@flow|^#!|<\|", re.I)
WORD = re.compile(r"[A-Za-z]{2,}")


def usable(words: str) -> bool:
    return len(WORD.findall(words)) >= 3 and not NOT_DOC.search(words)


def cap_words(words: str, max_chars: int) -> str:
    """Whole paragraphs while they fit max_chars; the first one cut at a word if it alone does not."""
    words = re.sub(r"\n{3,}", "\n\n", words.strip())
    if len(words) <= max_chars:
        return words
    out = ""
    for p in words.split("\n\n"):
        if len(out) + len(p) + 2 > max_chars:
            break
        out = f"{out}\n\n{p}" if out else p
    if not out:
        out = words[:max_chars].rsplit(None, 1)[0]
    return out


def clean_block_comment(raw: str) -> str:
    """`/** ... */` or `/* ... */` -> its description: no comment syntax, no @tags after it,
    {@link X} -> X."""
    body = re.sub(r"^/\*+!?|\*+/$", "", raw.strip())
    lines = [re.sub(r"^\s*\*+ ?", "", ln).rstrip() for ln in body.split("\n")]
    desc = []
    for ln in lines:
        if re.match(r"\s*@(?!link)\w", ln):
            break
        desc.append(ln)
    text = "\n".join(desc)
    text = re.sub(r"\{@(?:link|linkcode|linkplain)\s+([^}|\s]+)(?:[ |]([^}]*))?\}",
                  lambda m: (m.group(2) or m.group(1)).strip(), text)
    return _dedent(text).strip()


def clean_line_comments(lines: list[str]) -> str:
    out = []
    for ln in lines:
        s = ln.strip()
        s = s[2:] if s.startswith("//") else s.lstrip("#")
        out.append(s[1:] if s.startswith(" ") else s)
    return _dedent("\n".join(out)).strip()


def _dedent(text: str) -> str:
    lines = text.split("\n")
    ind = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()), default=0)
    return "\n".join(ln[ind:] for ln in lines)


def _line_no(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _full_line_end(text: str, pos: int) -> int:
    """Index after the newline ending the line that holds pos (or len(text))."""
    e = text.find("\n", pos)
    return len(text) if e < 0 else e + 1


_C_STOP = re.compile(r"[\"'`(){}\[\];\n/]")
_GO_STOP = re.compile(r"[\"'`(){}\[\]\n/]")
_TMPL_STOP = re.compile(r"[\\`$]")


def block_end(text: str, start: int, go: bool = False, max_scan: int = 200_000) -> int | None:
    """End (index after the closing brace) of the definition starting at `start`: the first `{`
    at bracket depth 0 opens the body, matched while skipping strings, template literals and
    comments. A `;` at depth 0 before the body (or for Go a newline at depth 0) ends a body-less
    definition there. None when the scan is lost (unbalanced, a blank line before any body)."""
    n = min(len(text), start + max_scan)
    stop = _GO_STOP if go else _C_STOP
    stack = []       # open brackets; "$" for a template literal's `${`
    body = False
    in_tmpl = False
    i = start
    while i < n:
        if in_tmpl:
            m = _TMPL_STOP.search(text, i, n)
            if not m:
                return None
            i = m.start()
            c = text[i]
            if c == "\\":
                i += 2
            elif c == "`":
                in_tmpl = False
                i += 1
            elif text.startswith("${", i):
                stack.append("$")
                in_tmpl = False
                i += 2
            else:
                i += 1
            continue
        m = stop.search(text, i, n)
        if not m:
            return None
        i = m.start()
        c = text[i]
        if c == "/":
            if text.startswith("//", i):
                i = _line_end(text, i)
                continue
            if text.startswith("/*", i):
                j = text.find("*/", i + 2)
                if j < 0:
                    return None
                i = j + 2
                continue
        elif c in "\"'" or (go and c == "`"):
            j = i + 1
            while True:
                k = text.find(c, j, n)
                if k < 0:
                    return None
                if c != "`":
                    if "\n" in text[j:k]:
                        return None
                    bs = 0
                    while text[k - 1 - bs] == "\\":
                        bs += 1
                    if bs % 2:
                        j = k + 1
                        continue
                break
            i = k + 1
            continue
        elif c == "`":
            in_tmpl = True
        elif c in "([{":
            if c == "{" and not stack:
                body = True
            stack.append(c)
        elif c in ")]}":
            if not stack or {")": "(", "]": "[", "}": "{$"}[c].find(stack[-1]) < 0:
                return None
            top = stack.pop()
            if top == "$":
                in_tmpl = True
            elif not stack and body:
                return i + 1
        elif not stack and (c == ";" or (go and c == "\n")):
            return i + 1
        elif not stack and c == "\n" and text.startswith("\n", i + 1):
            return None
        i += 1
    return None


TS_DEF = re.compile(r"[ \t]*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?"
                    r"(?:function\b|class\b|interface\b|enum\b|namespace\b|type\s+[\w$]+\s*(?:<[^>\n]*>)?\s*=|"
                    r"(?:const|let|var)\s+[\w$]+\s*(?::[^=\n]+)?=\s*(?:async\s+)?(?:function\b|\(|[\w$]+\s*=>|<))")
TS_METHOD = re.compile(r"[ \t]*(?:(?:public|private|protected|static|readonly|override|abstract|async|get|set)\s+)*"
                       r"\*?\s*#?(?!(?:if|for|while|switch|catch|return|function|new|typeof|await|super)\b)"
                       r"[\w$]+\s*(?:<[^>\n]*>)?\s*\(")
JSDOC = re.compile(r"/\*\*(?!/)[\s\S]*?\*/")


def ts_docs(text: str) -> list[Doc]:
    docs = []
    for m in JSDOC.finditer(text):
        ls = text.rfind("\n", 0, m.start()) + 1
        if text[ls:m.start()].strip():
            continue  # not at the start of its line
        after = _full_line_end(text, m.end())
        if text[m.end():after].strip() or after >= len(text):
            continue  # code on the comment's last line, or nothing after it
        code = after
        if not (TS_DEF.match(text, code) or TS_METHOD.match(text, code)):
            continue
        end = block_end(text, code)
        if end is None:
            continue
        words = clean_block_comment(m.group(0))
        if not usable(words):
            continue
        ce = _full_line_end(text, end - 1)
        docs.append(Doc("symbol", (ls, code), (code, ce), words, (_line_no(text, code), _line_no(text, ce - 1))))
    mod = ts_module_doc(text, {d.cut for d in docs})
    return ([mod] if mod else []) + docs


def ts_module_doc(text: str, symbol_cuts=frozenset()) -> Doc | None:
    """The file's leading comment when it describes the file: a block or `//` run at the top
    (after a shebang or "use strict"), followed by a blank line or tagged @file/@fileoverview/
    @module/@packageDocumentation; licenses and tool directives are not."""
    i = 0
    while True:
        m = re.match(r"(?:#![^\n]*\n|[ \t]*['\"]use strict['\"];?[ \t]*\n|[ \t]*\n)", text[i:])
        if not m:
            break
        i += m.end()
    m = re.match(r"/\*[\s\S]*?\*/[ \t]*\n", text[i:])
    if m:
        raw = m.group(0).strip()
        tagged = re.search(r"@(file|fileoverview|overview|module|packageDocumentation)\b", raw)
        raw = re.sub(r"^\s*\*?\s*@(file|fileoverview|overview|module|packageDocumentation)\b[ \t]*", "", raw, flags=re.M)
        words = clean_block_comment(raw)
    else:
        m = re.match(r"(?:[ \t]*//[^\n]*\n)+", text[i:])
        if not m:
            return None
        tagged = None
        words = clean_line_comments(m.group(0).splitlines())
    end = i + m.end()
    blank = re.match(r"[ \t]*\n", text[end:])
    if not (tagged or blank) or (i, end) in symbol_cuts or not usable(words):
        return None
    cut_end = end + (blank.end() if blank else 0)
    return Doc("module", (i, cut_end), (0, len(text)), words)


GO_DEF = re.compile(r"(func|type)\s")
GO_DIRECTIVE = re.compile(r"\s*//(go:|line |export |nolint|\s*\+build)")


def go_docs(text: str) -> list[Doc]:
    lines = text.split("\n")
    offs = []
    o = 0
    for ln in lines:
        offs.append(o)
        o += len(ln) + 1
    docs = []
    for k, ln in enumerate(lines):
        if not GO_DEF.match(ln) or ln.startswith("type ("):
            continue
        j = k
        while j > 0 and lines[j - 1].startswith("//"):
            j -= 1
        if j == k:
            continue
        comment = [x for x in lines[j:k] if not GO_DIRECTIVE.match(x)]
        words = clean_line_comments(comment)
        if not usable(words):
            continue
        end = block_end(text, offs[k], go=True)
        if end is None:
            continue
        ce = _full_line_end(text, end - 1)
        docs.append(Doc("symbol", (offs[j], offs[k]), (offs[k], ce), words, (k + 1, _line_no(text, ce - 1))))
    # package comment: the `//` run (or /* */ block) right before the package clause, "Package x ..."
    m = re.search(r"^package\s+\w+", text, re.M)
    if m:
        k = _line_no(text, m.start()) - 1
        j = k
        while j > 0 and lines[j - 1].startswith("//"):
            j -= 1
        words = None
        if j < k:
            words = clean_line_comments([x for x in lines[j:k] if not GO_DIRECTIVE.match(x)])
        elif k > 0 and lines[k - 1].rstrip().endswith("*/"):
            s = text.rfind("/*", 0, offs[k])
            if s >= 0 and text.rfind("\n", 0, s) + 1 == s:
                j = _line_no(text, s) - 1
                words = clean_block_comment(text[s:offs[k]])
        if words and words.startswith("Package ") and usable(words):
            docs.insert(0, Doc("module", (offs[j], offs[k]), (0, len(text)), words))
    return docs


def py_docs(text: str) -> list[Doc]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    lines = text.split("\n")
    offs = []
    o = 0
    for ln in lines:
        offs.append(o)
        o += len(ln) + 1
    off = lambda ln: offs[ln - 1] if ln - 1 < len(offs) else len(text)  # noqa: E731

    def docstring(node):
        body = getattr(node, "body", None)
        if not body or not isinstance(body[0], ast.Expr) or not isinstance(getattr(body[0], "value", None), ast.Constant) \
                or not isinstance(body[0].value.value, str):
            return None
        e = body[0]
        first, last = lines[e.lineno - 1], lines[e.end_lineno - 1]
        if first.encode()[:e.col_offset].strip() or last.encode()[e.end_col_offset:].strip():
            return None  # shares its lines with other code
        return e

    docs = []
    e = docstring(tree)
    if e is not None:
        words = clean_docstring(e.value.value)
        if usable(words):
            s, t = off(e.lineno), off(e.end_lineno + 1)
            while t < len(text) and text.startswith("\n", t):  # and the blank lines after it
                t += 1
            docs.append(Doc("module", (s, t), (0, len(text)), words))
    for node in _statements(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        e = docstring(node)
        if e is None or len(node.body) < 2:
            continue  # no docstring, or nothing but the docstring
        words = clean_docstring(e.value.value)
        if not usable(words):
            continue
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        docs.append(Doc("symbol", (off(e.lineno), off(e.end_lineno + 1)), (off(first), off(node.end_lineno + 1)),
                        words, (first, node.end_lineno)))
    return docs


def _statements(tree):
    """Every statement of the tree (what ast.walk finds among statements, without visiting expressions)."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        for f in ("body", "orelse", "finalbody", "handlers", "cases"):
            sub = getattr(node, f, None)
            if isinstance(sub, list):
                todo.extend(sub)


PY_DOC_END = re.compile(r"^\s*(?:>>>|\.\. |:(?:param|type|returns?|rtype|raises?|ivar|cvar|var)\b|"
                        r"(?:Args|Arguments|Parameters|Returns|Return|Raises|Yields|Examples?|Attributes|Notes?|"
                        r"See Also|Keyword Arguments|Other Parameters|References)\s*:?\s*$)", re.M)


def clean_docstring(value: str) -> str:
    """A docstring's description: cleandoc'ed, up to its first section (Args:, Parameters with
    dashes, :param, doctest, reST directive)."""
    text = inspect.cleandoc(value)
    m = PY_DOC_END.search(text)
    return (text[:m.start()] if m else text).strip()


def find_docs(lang: str, text: str) -> list[Doc]:
    if lang in ("typescript", "javascript"):
        return ts_docs(text)
    if lang == "python":
        return py_docs(text)
    if lang == "go":
        return go_docs(text)
    return []


def remove_spans(text: str, spans) -> str:
    out, at = [], 0
    for s, e in sorted(spans):
        if s < at:
            continue
        out.append(text[at:s])
        at = e
    out.append(text[at:])
    return "".join(out)


def summary_pieces(header: str, content: str, intro: str = "") -> list:
    """src/prompt/assist.ts summaryPieces: intro, <|file|> header\n content\n, <|summary|>."""
    return [intro, FILE, f"{header}\n{with_newline(content)}", SUMMARY]


def summary_segment(header: str, code: str, words: str) -> list:
    """A summary example: the extension's summary prompt, then the summary and <|endoftext|>."""
    return summary_pieces(header, code)[1:] + [words, EOT]


def question_pieces(question: str) -> list:
    """src/prompt/assist.ts questionPieces: <|question|> question\n <|answer|>."""
    return [QUESTION, question.strip() + "\n", ANSWER]


def qa_pieces(history: list, passages: list[Snippet], question: str) -> list:
    """src/prompt/assist.ts qaPieces: earlier turns, the passages, the question."""
    out = []
    for q, ans in history:
        out += question_pieces(q) + [ans.strip() + "\n"]
    return out + block_pieces(passages) + question_pieces(question)


def clip(text: str, max_chars: int) -> str:
    """src/summarize/prompt.ts clip: the start of text within max_chars, cut at a line end."""
    if len(text) <= max_chars:
        return text
    nl = text.rfind("\n", 0, max_chars)
    return text[:nl + 1 if nl > 0 else max_chars]


def summary_segments(path: str, text: str, docs: list[Doc], rng, o: Options | None = None,
                     stats: dict | None = None) -> list:
    """A documented file as summary examples. The file first, as the sequence's plain file, with the
    chosen docs removed, so no later summary can be copied from it; then, for up to max_symbols
    documented functions/classes/methods, `<|file|>path:start-end\\n` + the definition without its
    doc + `<|summary|>` + the doc's words + `<|endoftext|>`. With a module comment, the file
    itself is the whole-file summary example instead of the plain file: `<|file|>path\\n` + the
    file without its module comment (and without the chosen docs) + `<|summary|>` + the module
    comment's words; a file over 8000 characters stays plain, and its first 8000 characters
    (the extension's clip) make the summary example after it."""
    o = o or Options()
    mods = [d for d in docs if d.kind == "module"]
    syms = [d for d in docs if d.kind == "symbol"]
    rng.shuffle(syms)
    chosen = []
    for d in syms:  # no nested pair: a class's doc and one of its methods' would leak into each other
        if len(chosen) >= o.max_symbols:
            break
        if all(d.code[1] <= c.code[0] or c.code[1] <= d.code[0] for c in chosen):
            chosen.append(d)
    chosen.sort(key=lambda d: d.code[0])
    body = remove_spans(text, [d.cut for d in chosen] + [d.cut for d in mods[:1]])
    if mods and len(body.strip()) < 80:  # next to nothing but the comment: no whole-file example
        mods = []
        body = remove_spans(text, [d.cut for d in chosen])
    segs = []
    if mods:
        words = cap_words(mods[0].words, 1500)
        if len(body) <= MAX_FILE_CHARS:
            segs += summary_segment(path, body, words)
        else:
            segs += plain_file(path, body) + summary_segment(path, clip(body, MAX_FILE_CHARS), words)
    else:
        segs += plain_file(path, body)
    for d in chosen:
        code = remove_spans(text[d.code[0]:d.code[1]],
                            [(c.cut[0] - d.code[0], c.cut[1] - d.code[0]) for c in chosen
                             if d.code[0] <= c.cut[0] and c.cut[1] <= d.code[1]])
        segs += summary_segment(f"{path}:{d.lines[0]}-{d.lines[1]}", clip(code, MAX_SYMBOL_CHARS),
                                cap_words(d.words, 800))
    if stats is not None:
        stats["summary_files"] = stats.get("summary_files", 0) + 1
        stats["summary_symbols"] = stats.get("summary_symbols", 0) + len(chosen)
        stats["summary_modules"] = stats.get("summary_modules", 0) + bool(mods)
    return segs


# ----------------------------------------------------------------------------------------------
# prompt layout v2 (notes: layout.md): the completion prompt's pieces, the in-window block
# ----------------------------------------------------------------------------------------------

SUFFIX_LINES = 10      # the v2 suffix: at most this many lines ...
SUFFIX_CHARS = 600     # ... and characters, cut at a line end
BLOCK_CHARS = 6300     # snippet text the block holds (about the extension's 2,048 tokens on a GPU)
QUERY_LINES = 30       # lines before the cursor that the block's similarity search compares against
CHUNK_LINES = 30       # the block's chunks of other files, one every CHUNK_STEP lines
CHUNK_STEP = 15
CONT_LINES = 8         # a continuation shows its copy of the anchor line and this many after it
CONT_LIMIT = 3         # continuations in a block at most (one per file)
CONT_MIN_CHARS = 8     # an anchor line has at least this many characters, squeezed, and a letter
CONT_MAX_PLACES = 16   # an anchor in more places than this is an idiom: no continuation
DEF_LINES = 60         # a definition in the block is cut to this many lines


@dataclass
class Snippet:
    path: str
    start: int         # 1-based first line
    end: int           # 1-based last line (inclusive)
    text: str          # those lines, ending with "\n"


def cut_suffix_lines(after: str, max_lines: int = SUFFIX_LINES, max_chars: int = SUFFIX_CHARS) -> str:
    """The v2 suffix (src/prompt/fim.ts cutSuffix): the rest of the cursor's line and the following
    lines, at most max_lines lines and max_chars characters, cut at a line end."""
    return cut_at_line_end(after, max_chars, max_lines)


def split_cursor(path: str, before: str, after: str, window_start: int | None = None,
                 max_prefix_chars: int = MAX_PREFIX_CHARS) -> dict:
    """The document around the cursor as the FIM prompt's inputs (src/prompt/fim.ts splitCursor):
    linesBefore = the lines before the cursor's line, windowed (a previous window start stays put
    while it is a line start and the window fits 1.5x), lineHead = the cursor's line up to it,
    suffix = after, cut."""
    ls = before.rfind("\n") + 1
    lines = before[:ls]
    s = window_start
    if not (s is not None and s <= len(lines) and (s == 0 or lines[s - 1] == "\n")
            and len(lines) - s <= max_prefix_chars * 1.5):
        s = last_lines_start(lines, max_prefix_chars)
    return {"path": path, "linesBefore": lines[s:], "lineHead": before[ls:], "suffix": cut_suffix_lines(after),
            "windowStart": s}


def with_newline(s: str) -> str:
    return s if s == "" or s.endswith("\n") else s + "\n"


def fim_pieces(path: str, lines_before: str, suffix: str, line_head: str) -> list:
    """The completion prompt after the block: <|file|> path, <|fim_prefix|> linesBefore,
    <|fim_suffix|> suffix, <|fim_middle|> lineHead (each text its own piece)."""
    return [FILE, path + "\n", FIM_PRE, lines_before, FIM_SUF, suffix, FIM_MID, line_head]


def block_pieces(snippets: list[Snippet]) -> list:
    """The block, snippets least relevant first: <|file|> "path:start-end\\ntext" each."""
    out = []
    for s in snippets:
        out += [FILE, f"{s.path}:{s.start}-{s.end}\n{with_newline(s.text)}"]
    return out


def fim_v2_example(path: str, text: str, a: int, b: int, rng, o: "Options", block: list[Snippet]) -> list:
    """BLOCK, the FIM pieces for a cursor at a with text[a:b] not yet typed (split_cursor of
    text[:a] and text[b:]), middleRest = text[a:b], <|endoftext|>. The prefix window is a random
    size in [max, 1.5 max] (the extension keeps an earlier window start while it fits 1.5x)."""
    pmax = rng.randint(o.max_prefix_chars, o.max_prefix_chars * 3 // 2)
    c = split_cursor(path, text[:a], text[b:], max_prefix_chars=pmax)
    return (block_pieces(block) + fim_pieces(path, c["linesBefore"], c["suffix"], c["lineHead"])
            + [text[a:b], EOT])


IDENT = re.compile(r"[A-Za-z_$][\w$]*")
# keywords of the corpus' languages say nothing about what a chunk is about
KEYWORDS = frozenset("""abstract as async await break case catch class const continue def default del do elif else
enum export extends false final finally fn for from func function go if impl import in interface is let match mod
new nil none not null of or package pass private protected pub public raise return self static struct super switch
this throw true try type typeof use var void while with yield None True False and lambda global""".split())


def identifiers(text: str) -> frozenset:
    return frozenset(IDENT.findall(text)) - KEYWORDS


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def lines_snippet(path: str, text: str, first: int, last: int) -> Snippet:
    """Lines first..last (1-based, inclusive) of text."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    last = min(last, len(lines))
    return Snippet(path, first, last, "\n".join(lines[first - 1:last]) + "\n")


def file_chunks(path: str, text: str, n: int = CHUNK_LINES, step: int = CHUNK_STEP) -> list[Snippet]:
    """n-line windows every `step` lines (src/completion/context-block/similar.ts WINDOW, STEP)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [Snippet(path, i + 1, min(i + n, len(lines)), "\n".join(lines[i:i + n]) + "\n")
            for i in range(0, max(1, len(lines) - n + step), step) if "".join(lines[i:i + n]).strip()]


def squeeze(line: str) -> str:
    return " ".join(line.split())


def anchor_line(line: str) -> str | None:
    """A line squeezed, if it can anchor a continuation (continuations.ts lineKeys)."""
    q = squeeze(line)
    return q if len(q) >= CONT_MIN_CHARS and re.search(r"[A-Za-z_]", q) else None


GO_IMPORT_LINE = re.compile(r'^\s*(?:import\s+)?(?:([A-Za-z_]\w*|\.)\s+)?"([^"\n]+)"', re.M)
GO_IMPORT_BLOCK = re.compile(r"^import\s*\(([^)]*)\)", re.M)
GO_IMPORT_ONE = re.compile(r'^import\s+(?:([A-Za-z_]\w*)\s+)?"([^"\n]+)"', re.M)
PY_ABS_IMPORT = re.compile(r"^[ \t]*from\s+([A-Za-z_][\w.]*)\s+import\s+(\([^)]*\)|[^\n#;]*)", re.M)


def imported_names(path: str, lang: str, text: str, paths: set[str], cache: dict | None = None) -> list[tuple[str, str]]:
    """(module path, name) for each name `text` imports from a file of the repository, in import
    order: TS/JS `import { X } from './m'`, Python `from .m import X` / `from pkg.m import X`,
    Go `pkg.X` where the package's directory is in the repository."""
    out = []
    if lang in ("typescript", "javascript"):
        for m in TS_IMPORT.finditer(text):
            mod = resolve_ts(path, m.group(3), paths)
            if mod:
                out += [(mod, n.group(1)) for n in NAME_ITEM.finditer(m.group(1))
                        if n.group(1) not in ("as", "type", "default")]
    elif lang == "python":
        for m in PY_IMPORT.finditer(text):
            mod = resolve_py(path, m.group(1), m.group(2), paths)
            if mod:
                out += [(mod, n.group(1)) for n in NAME_ITEM.finditer(m.group(3)) if n.group(1) != "as"]
        cache = cache if cache is not None else {}
        for m in PY_ABS_IMPORT.finditer(text):
            tail = "/".join(m.group(1).split("."))
            if ("py", tail) not in cache:
                cache[("py", tail)] = [p for p in sorted(paths) if p == tail + ".py" or p.endswith("/" + tail + ".py")
                                       or p == tail + "/__init__.py" or p.endswith("/" + tail + "/__init__.py")]
            mod = next((p for p in cache[("py", tail)] if p != path), None)
            if mod:
                out += [(mod, n.group(1)) for n in NAME_ITEM.finditer(m.group(2)) if n.group(1) != "as"]
    elif lang == "go":
        specs = []
        for blk in GO_IMPORT_BLOCK.finditer(text):
            specs += GO_IMPORT_LINE.findall(blk.group(1))
        specs += GO_IMPORT_ONE.findall(text)
        here = posixpath.dirname(path)
        cache = cache if cache is not None else {}
        for alias, ipath in specs:
            pkg = ipath.rstrip("/").split("/")[-1]
            if ("go", pkg) not in cache:
                cache[("go", pkg)] = {posixpath.dirname(p) for p in paths if p.endswith(".go")
                                      and (posixpath.dirname(p) == pkg or posixpath.dirname(p).endswith("/" + pkg))}
            dirs = sorted(cache[("go", pkg)] - {here})
            if not dirs or alias == ".":
                continue
            used = dict.fromkeys(re.findall(r"\b" + re.escape(alias or pkg) + r"\.([A-Z]\w*)", text))
            files = sorted(p for p in paths if p.endswith(".go") and posixpath.dirname(p) == dirs[0]
                           and not p.endswith("_test.go"))
            for name in used:
                out += [(f, name) for f in files]
    seen, uniq = set(), []
    for t in out:
        if t not in seen:
            seen.add(t)
            uniq.append(t)
    return uniq


def find_definition(path: str, lang: str, text: str, name: str, max_lines: int = DEF_LINES) -> Snippet | None:
    """The top-level definition of `name` in a module (whole lines, cut to max_lines), or None."""
    n = re.escape(name)
    if lang == "python":
        m = re.search(rf"^(?:async\s+def|def|class)\s+{n}\b|^{n}\s*[:=]", text, re.M)
        if not m:
            return None
        first = _line_no(text, m.start())
        # the definition runs to the next line at column 0 that is not a comment or a closer
        lines = text.split("\n")
        last = first
        for k in range(first, len(lines)):
            ln = lines[k]
            if ln.strip() and not ln[0].isspace() and not ln.startswith((")", "]", "}", "#")):
                break
            if ln.strip():
                last = k + 1
        return lines_snippet(path, text, first, min(last, first + max_lines - 1))
    if lang in ("typescript", "javascript"):
        m = re.search(rf"^[ \t]*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?"
                      rf"(?:function\*?|class|interface|type|enum|namespace|const|let|var)\s+{n}\b", text, re.M)
        go = False
    elif lang == "go":
        m = re.search(rf"^(?:func\s+(?:\([^)]*\)\s*)?{n}\b|type\s+{n}\b|(?:var|const)\s+{n}\b)", text, re.M)
        go = True
    else:
        return None
    if not m:
        return None
    end = block_end(text, m.start(), go=go)
    first = _line_no(text, m.start())
    last = _line_no(text, max(m.start(), (end or m.end()) - 1))
    return lines_snippet(path, text, first, min(last, first + max_lines - 1))


class RepoIndex:
    """A repository's files for block selection: chunk identifier sets, computed once per file."""

    def __init__(self, files: dict[str, tuple[str, str]]):
        self.files = files
        self.paths = set(files)
        self._chunks: dict[str, list[tuple[Snippet, frozenset]]] = {}
        self.resolved: dict = {}   # imported_names' module lookups
        self._defs: dict = {}
        self._by_dir: dict[str, list[str]] = {}
        self._places: dict[str, list[tuple[str, int]]] | None = None
        for p in sorted(files):
            self._by_dir.setdefault(posixpath.dirname(p), []).append(p)

    def lines(self, path: str) -> list[str]:
        ls = self.files[path][1].split("\n")
        return ls[:-1] if ls and ls[-1] == "" else ls

    def continuations(self, path: str, before: list[str]) -> list[Snippet]:
        """src/completion/context-block/continuations.ts: where the nearest anchor line of `before`
        (the lines above the cursor's line) stands in other files, that line and CONT_LINES after it;
        more matching lines above first, then path; one per file, CONT_LIMIT at most."""
        if self._places is None:
            self._places = {}
            for p in sorted(self.files):
                for i, l in enumerate(self.lines(p)):
                    k = anchor_line(l)
                    if k:
                        self._places.setdefault(k, []).append((p, i))
        k = next(((j, a) for j in range(len(before) - 1, -1, -1) if (a := anchor_line(before[j]))), None)
        if not k:
            return []
        j, want = k
        places = [(p, i) for p, i in self._places.get(want, []) if p != path]
        if len(places) > CONT_MAX_PLACES:
            return []
        hits = []
        for p, i in places:
            theirs = self.lines(p)
            m = 1
            while m < 4 and j - m >= 0 and i - m >= 0 and squeeze(before[j - m]) == squeeze(theirs[i - m]):
                m += 1
            hits.append((-m, p, i))
        out, seen = [], set()
        for _, p, i in sorted(hits):
            if p in seen:
                continue
            seen.add(p)
            theirs = self.lines(p)
            end = min(len(theirs), i + 1 + CONT_LINES)
            out.append(Snippet(p, i + 1, end, "\n".join(theirs[i:end]) + "\n"))
            if len(out) >= CONT_LIMIT:
                break
        return out

    def chunks(self, path: str) -> list[tuple[Snippet, frozenset]]:
        if path not in self._chunks:
            self._chunks[path] = [(c, identifiers(c.text)) for c in file_chunks(path, self.files[path][1])]
        return self._chunks[path]

    def definition(self, mod: str, name: str) -> Snippet | None:
        if (mod, name) not in self._defs:
            self._defs[(mod, name)] = find_definition(mod, self.files[mod][0], self.files[mod][1], name)
        return self._defs[(mod, name)]

    def candidates(self, path: str, modules: list[str], rng, max_files: int = 24) -> list[str]:
        """Files whose chunks compete for the block: all of a small repository; in a large one the
        target's directory, the modules it imports and a random sample of the rest."""
        others = sorted(self.paths - {path})
        if len(others) <= max_files:
            return others
        near = [p for p in self._by_dir.get(posixpath.dirname(path), []) if p != path][:max_files // 2]
        near += [m for m in modules if m not in near]
        rest = [p for p in others if p not in set(near)]
        return near + rng.sample(rest, max(0, min(len(rest), max_files - len(near))))


def import_spans(lang: str, text: str) -> list[tuple[int, int]]:
    """Where text's import statements are (a middle that touches one changes what is imported)."""
    pats = {"typescript": (TS_IMPORT,), "javascript": (TS_IMPORT,), "python": (PY_IMPORT, PY_ABS_IMPORT),
            "go": (GO_IMPORT_BLOCK, GO_IMPORT_ONE)}.get(lang, ())
    return [(m.start(), m.end()) for pat in pats for m in pat.finditer(text)]


def select_block(path: str, lang: str, doc: str, query: str, index: RepoIndex, rng,
                 budget: int = BLOCK_CHARS, imports: list | None = None) -> list[Snippet]:
    """The in-window block for a cursor in `path`, `doc` being the document as the user has it
    (the middle not yet typed; `imports`: imported_names of it, when known): what follows, in other
    files, a copy of the line above the cursor (continuations), definitions of the names it imports
    from the repository, then the chunks of other files most similar (identifier Jaccard) to `query`
    (the lines before the cursor and the cursor's line up to it). Most relevant first while they
    fit `budget` characters; returned least relevant first (the most relevant nearest the cursor)."""
    ranked: list[Snippet] = index.continuations(path, query.split("\n")[:-1])
    if imports is None:
        imports = imported_names(path, lang, doc, index.paths, index.resolved)
    for mod, name in imports:
        d = index.definition(mod, name)
        if d and not any(s.path == d.path and s.start <= d.end and d.start <= s.end for s in ranked):
            ranked.append(d)
    q = identifiers(query)
    nq = len(q)
    scored = []
    if nq:
        for p in index.candidates(path, sorted({m for m, _ in imports}), rng):
            for c, ids in index.chunks(p):
                inter = len(q & ids)
                if inter:
                    scored.append((-inter / (nq + len(ids) - inter), c.path, c.start, c))
    scored.sort(key=lambda t: t[:3])
    ranked += [c for *_, c in scored[:32]]
    chosen, used = [], 0
    for s in ranked:
        if used + len(s.text) > budget:
            continue
        if any(c.path == s.path and c.start <= s.end and s.start <= c.end for c in chosen):
            continue
        chosen.append(s)
        used += len(s.text)
    return chosen[::-1]


def prefix_example(path: str, lang: str, text: str, index: RepoIndex, rng, o: "Options", stats: dict,
                   cursor: int | None = None) -> tuple[list, int]:
    """The extension's default completion prompt (src/prompt/fim.ts, layout prefix) as training, for a
    cursor in the file (`cursor`, else a random one): the block chosen for it, then the file as the
    workspace streams it, from where the prompt's window starts (the last whole lines within a random
    [max, 1.5 max] characters before the cursor's line, as split_cursor cuts them) to the file's end.
    What follows the cursor is learnt with the block and window the extension gives it. Returns the
    segments and the window's start (0: the whole file is in the sequence)."""
    if cursor is None:
        cursor, _ = pick_span(text, rng, line_starts(text))
    block = select_block(path, lang, text, query_before(text, cursor), index, rng, o.block_chars)
    pmax = rng.randint(o.max_prefix_chars, o.max_prefix_chars * 3 // 2)
    w = last_lines_start(text[:text.rfind("\n", 0, cursor) + 1], pmax)
    stats["prefix_examples"] = stats.get("prefix_examples", 0) + 1
    stats["prefix_windowed"] = stats.get("prefix_windowed", 0) + (w > 0)
    stats["block_snippets"] = stats.get("block_snippets", 0) + len(block)
    return block_pieces(block) + plain_file(path, text[w:]), w


def import_use_cursor(text: str, c: CrossFile, rng) -> int | None:
    """A cursor after the indentation of a line, below c's import statement, that uses c's imported
    name (under its local name, `x as y` -> y): there the block's definition of it is what the line
    needs. None when the file never uses it."""
    local = text[c.a:c.b].split()[-1]
    uses = [m.start() for m in re.finditer(rf"(?<![\w$.]){re.escape(local)}(?![\w$])", text[c.stmt_end:])]
    if not uses:
        return None
    at = c.stmt_end + rng.choice(uses)
    s = text.rfind("\n", 0, at) + 1
    return s + len(text[s:at]) - len(text[s:at].lstrip(" \t"))


def query_before(text: str, a: int, n: int = QUERY_LINES) -> str:
    """The n lines before the cursor's line, and the cursor's line up to the cursor."""
    s = a
    for _ in range(n + 1):
        s = text.rfind("\n", 0, s)
        if s < 0:
            return text[:a]
    return text[s + 1:a]


def completion_examples(path: str, lang: str, text: str, index: RepoIndex, rng, o: "Options",
                        stats: dict, spans: list[tuple[int, int]] | None = None) -> list:
    """A target file as v2 completion examples (its text is not otherwise in the sequence): one per
    (max_prefix + max_suffix) characters, cursors spread over the file (pick_span), or the given
    spans (cross-file: an imported name)."""
    if spans is None:
        starts = line_starts(text)
        n = max(1, min(len(starts), -(-len(text) // (o.max_prefix_chars + o.max_suffix_chars))))
        spans = []
        for i in range(n):
            lo, hi = len(starts) * i // n, len(starts) * (i + 1) // n
            spans.append(pick_span(text, rng, starts, rng.randrange(lo, max(hi, lo + 1))))
    segs = []
    whole = imported_names(path, lang, text, index.paths, index.resolved)
    stmts = import_spans(lang, text)
    for a, b in spans:
        doc = text[:a] + text[b:]
        touched = any(s < b and a < e for s, e in stmts) or lang == "go" and a < b
        imports = imported_names(path, lang, doc, index.paths, index.resolved) if touched else whole
        block = select_block(path, lang, doc, query_before(text, a), index, rng, o.block_chars, imports)
        segs += fim_v2_example(path, text, a, b, rng, o, block)
        stats["v2_examples"] = stats.get("v2_examples", 0) + 1
        stats["block_snippets"] = stats.get("block_snippets", 0) + len(block)
        stats["block_chars"] = stats.get("block_chars", 0) + sum(len(s.text) for s in block)
        nl = text.count("\n", a, b)
        key = "v2_middle_lines_" + ("0" if nl == 0 else "1" if nl == 1 else "2-4" if nl <= 4 else "5+")
        stats[key] = stats.get(key, 0) + 1
    return segs


# ----------------------------------------------------------------------------------------------
# Q&A: a question from a doc comment or symbol name, the answer naming the file and line
# ----------------------------------------------------------------------------------------------

SYMBOL_NAME = re.compile(r"(?:function\*?|class|interface|type|enum|def|func|const|let|var)\s+(?:\([^)]*\)\s*)?"
                         r"([A-Za-z_$][\w$]*)|^[ \t]*(?:(?:public|private|protected|static|async|get|set)\s+)*"
                         r"#?([A-Za-z_$][\w$]*)\s*[(<]", re.M)


def question_for(name: str, words: str, rng) -> str:
    first = re.split(r"(?<=[.!?])\s", words.strip(), maxsplit=1)[0].rstrip(".")
    first = " ".join(first.split())
    if 3 <= len(first.split()) <= 24 and re.match(r"[A-Z][a-z]+s\b", first) and rng.random() < 0.6:
        return f"Where is the code that {first[0].lower()}{first[1:]}?"
    return rng.choice([f"What does `{name}` do?", f"Where is `{name}` defined and what is it for?",
                       f"How does `{name}` work?"])


def qa_examples(index: RepoIndex, rng, o: "Options", stats: dict) -> list:
    """Up to qa_per_repo examples: retrieved passages (the documented definition among chunks of
    other files, the definition last 70% of the time, as the panel lays out its best passage), <|question|> question,
    <|answer|> the file, the lines and what the doc says, <|endoftext|>."""
    paths = [p for p in sorted(index.files) if index.files[p][0] in ("typescript", "javascript", "python", "go")]
    rng.shuffle(paths)
    segs, made = [], 0
    for p in paths[:6]:
        if made >= o.qa_per_repo:
            break
        lang, text = index.files[p]
        docs = [d for d in find_docs(lang, text) if d.kind == "symbol"]
        if not docs:
            continue
        d = rng.choice(docs)
        m = SYMBOL_NAME.search(text, d.code[0], _full_line_end(text, d.code[0]))
        if not m:
            continue
        name = m.group(1) or m.group(2)
        first = _line_no(text, d.cut[0])
        ans = lines_snippet(p, text, first, min(d.lines[1], first + 39))
        passages = [ans]
        others = [q for q in paths if q != p]
        for q in rng.sample(others, min(2, len(others))):
            ch = index.chunks(q)
            if ch:
                c = rng.choice(ch)[0]
                passages.append(lines_snippet(q, index.files[q][1], c.start, min(c.end, c.start + 29)))
        # The panel lays passages out best last, right before the question (src/qa/conversation.ts):
        # the answer's passage goes last most of the time, anywhere otherwise (retrieval misranks).
        rest = passages[1:]
        rng.shuffle(rest)
        passages = rest + [ans] if rng.random() < 0.7 else rng.sample(passages, len(passages))
        words = cap_words(d.words, 600)
        answer = f"`{name}` in {p}, line {d.lines[0]}: {words}\n"
        segs += qa_pieces([], passages, question_for(name, d.words, rng)) + [answer, EOT]
        made += 1
    stats["qa_examples"] = stats.get("qa_examples", 0) + made
    return segs


# ----------------------------------------------------------------------------------------------
# one repository as one training sequence
# ----------------------------------------------------------------------------------------------

DOC_LANGS = ("markdown", "text", "rst", "restructuredtext", "asciidoc")
DOC_EXTS = (".md", ".markdown", ".rst", ".txt", ".adoc")


def workspace_order(files: list[dict]) -> list[dict]:
    """The order the workspace context reads a repository in. The extension reads least recently
    changed first; a corpus has no such times, so: sources before docs, then by path."""
    def is_doc(f):
        return f.get("lang") in DOC_LANGS or f["path"].lower().endswith(DOC_EXTS)
    return sorted(files, key=lambda f: (is_doc(f), f["path"]))


def repo_segments(files: list[dict], rng, o: Options | None = None, stats: dict | None = None,
                  marks: list | None = None) -> list:
    """files: [{"path", "lang", "text"}] of one repository -> its segment list, in layout v2:

    the files in workspace order; each one, by a draw per file:
      fim_rate: a completion target: it is left out, and in its place come its v2 examples
        (block + FIM pieces + middle + <|endoftext|>, completion_examples); for xfile_rate of the
        targets with an imported name defined in a file earlier in the sequence, that name is one
        example's middle (cross-file);
      prefix_rate: the block for a cursor in it (for xfile_rate of the files that import a name
        defined in the repository: a line that uses it), then the file from the start of the
        prompt's window for that cursor (prefix_example: the extension's default prompt layout);
      old_fim_rate: v1 FIM examples (PSM/SPM with the old pieces, fim_segments), the file left out;
      summary_rate (where it has usable doc comments): summary examples (summary_segments);
      otherwise the plain file.
    Then up to qa_per_repo Q&A examples (the whole repository before them), and <|endoftext|>.
    marks, when given, receives the index in the result of every unit's first segment (a place
    where a training window may start)."""
    o = o or Options()
    stats = stats if stats is not None else {}
    order = workspace_order(files)
    index = RepoIndex({f["path"]: (f["lang"], f["text"]) for f in files})
    xcands = {}
    if o.xfile_rate > 0:
        for c in cross_file_candidates(index.files):
            xcands.setdefault(c.path, []).append(c)
    present: set[str] = set()  # files whose text is in the sequence so far (a cross-file name comes from one)
    segs: list = []
    for f in order:
        p, text, lang = f["path"], f["text"], f["lang"]
        stats["files"] = stats.get("files", 0) + 1
        if marks is not None:
            marks.append(len(segs))
        r = rng.random()
        if text.strip() and r < o.fim_rate:
            stats["fim_files"] = stats.get("fim_files", 0) + 1
            xs = [c for c in xcands.get(p, []) if c.module in present]
            if xs and rng.random() < o.xfile_rate:
                c = rng.choice(xs)
                segs += completion_examples(p, lang, text, index, rng, o, stats, spans=[(c.a, c.b)])
                stats["xfile_examples"] = stats.get("xfile_examples", 0) + 1
            segs += completion_examples(p, lang, text, index, rng, o, stats)
        elif text.strip() and r < o.fim_rate + o.prefix_rate:
            cursor = None
            xs = xcands.get(p, [])
            if xs and rng.random() < o.xfile_rate:
                cursor = import_use_cursor(text, rng.choice(xs), rng)
                stats["xfile_prefix"] = stats.get("xfile_prefix", 0) + (cursor is not None)
            ex, w = prefix_example(p, lang, text, index, rng, o, stats, cursor)
            segs += ex
            if w == 0:
                present.add(p)
        elif text.strip() and r < o.fim_rate + o.prefix_rate + o.old_fim_rate:
            stats["old_fim_files"] = stats.get("old_fim_files", 0) + 1
            segs += fim_segments(p, text, rng, o, stats)
        elif r < o.fim_rate + o.prefix_rate + o.old_fim_rate + o.summary_rate and (docs := find_docs(lang, text)):
            segs += summary_segments(p, text, docs, rng, o, stats)
            present.add(p)
        else:
            segs += plain_file(p, text)
            present.add(p)
    if o.qa_per_repo > 0:
        qa = qa_examples(index, rng, o, stats)
        if qa and marks is not None:
            marks.append(len(segs))
        segs += qa
    if not segs or segs[-1] != EOT:
        segs.append(EOT)
    return segs

def render(segs: list) -> str:
    """A segment list as text with the special tokens written out (tests, inspection)."""
    return "".join(SPECIALS[s] if isinstance(s, int) else s for s in segs)
