"""The text rendition of a brochure → blocks (see brochure_blocks).

The text format (see the source documents' README): blank lines between paragraphs,
a tab between a table label and its value ("Budget:<TAB>US\\$ 1,000"), a line
starting with a tab continuing the previous value, ``\\$`` for ``$``, ``**bold**``,
``*italic*``, ``<i>`` in the tables of contents, ``- `` for bullets (indented for
nested bullets), dot leaders before a table of contents' page numbers.
"""

from __future__ import annotations

import re

from ingest.parsers.brochure_blocks import SUPERSCRIPTS, Block
from ingest.parsers.brochure_fields import label_key
from ingest.parsers.runs import Run, join_runs

_ESCAPES = {c: chr(0xE000 + i) for i, c in enumerate("\\`*_{}[]()#+-.!$<>|")}
_UNESCAPE = str.maketrans({v: k for k, v in _ESCAPES.items()})
_RULE_RE = re.compile(r"^[\s|:+]*-{2,}[\s|:+\-]*$")
_LEADERS_RE = re.compile(r"^(?P<title>.*?\S)\s*(?:\.\s*){3,}\s*(?P<page>\d{1,4})\s*$")
_ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)[-•▪*]\s+(?P<body>\S.*)$")
_NUMBERED_RE = re.compile(r"^\d{1,2}[.)]\s+\S")
_FOOTNOTE_RE = re.compile(rf"^[{SUPERSCRIPTS}]+\s*\S")
# "Pledges:   US$ 5" — a known table label followed by spaces instead of a tab
_SPACED_FIELD_RE = re.compile(
    r"^\s*(?:\*\*?)?(?P<label>[A-Za-z][A-Za-z .&/-]{0,30}?)\s*:\s*(?:\*\*?)?\s+(?P<value>\S.*)$"
)


def _prepare(line: str) -> str:
    line = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), line)
    line = re.sub(r"</?i>", "*", line, flags=re.IGNORECASE)
    line = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"\1", line)
    return line


def markup_runs(text: str) -> list[Run]:
    """``**bold**`` and ``*italic*`` → runs; unmatched markers stay literal."""
    runs: list[Run] = []
    bold = italic = False
    buf: list[str] = []
    i, n = 0, len(text)

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf).translate(_UNESCAPE), bold, italic))
            buf.clear()

    while i < n:
        if text.startswith("**", i) and (bold or "**" in text[i + 2 :]):
            flush()
            bold = not bold
            i += 2
            continue
        if text[i] == "*" and (italic or _closing_star(text, i + 1)):
            flush()
            italic = not italic
            i += 1
            continue
        buf.append(text[i])
        i += 1
    flush()
    return runs


def _closing_star(text: str, start: int) -> bool:
    return any(len(m.group(0)) != 2 for m in re.finditer(r"\*+", text[start:]))


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines; a word broken after a hyphen is joined without a space."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif re.search(r"\w-$", out) and re.match(r"\w", line):
            out += line
        else:
            out += " " + line
    return out


def _plain(text: str) -> str:
    return "".join(r.text for r in markup_runs(text)).strip()


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    open_block: Block | None = None  # the paragraph or item lines are being added to
    open_lines: list[str] = []

    def flush() -> None:
        nonlocal open_block
        if open_block is not None:
            # markup may span lines ("**Example 1: …\n… (2 years)**"): join, then parse
            open_block.runs = markup_runs(join_lines(open_lines))
            if "".join(r.text for r in open_block.runs).strip():
                blocks.append(open_block)
        open_block = None
        open_lines.clear()

    def start(kind: str, line: str, where: str, **kw) -> None:
        nonlocal open_block
        flush()
        open_block = Block(kind, [], where, **kw)
        open_lines.append(line)

    for number, raw in enumerate(text.splitlines(), 1):
        where = f"line {number}"
        line = _prepare(raw.rstrip())
        if not line.strip() or _RULE_RE.match(line):
            flush()
            continue
        if "\t" in line:
            flush()
            left, _, right = line.partition("\t")
            left, right = left.strip(), right.strip()
            plain_left = _plain(left)
            if not plain_left:
                last = blocks[-1] if blocks else None
                if last is not None and last.kind == "field" and right:
                    last.runs = join_runs(last.runs, markup_runs(right))
                elif right:
                    start("para", right, where)
                    flush()
                continue
            if plain_left.endswith(":"):
                blocks.append(
                    Block("field", markup_runs(right), where, label=plain_left[:-1].strip())
                )
                continue
            page = _plain(right)
            m = _LEADERS_RE.match(left + (f" ...{page}" if page.isdigit() else ""))
            if m:
                start("para", m.group("title"), where, page_ref=int(m.group("page")))
            else:
                start("para", f"{left} {right}".strip(), where)
            flush()
            continue
        m = _SPACED_FIELD_RE.match(line)
        if m and label_key(m.group("label")):
            flush()
            label = m.group("label").strip()
            blocks.append(Block("field", markup_runs(m.group("value").strip()), where, label=label))
            continue
        m = _LEADERS_RE.match(line)
        if m:
            start("para", m.group("title"), where, page_ref=int(m.group("page")))
            flush()
            continue
        m = _ITEM_RE.match(line)
        if m:
            indent = len(m.group("indent").expandtabs(2))
            start("item", m.group("body"), where, depth=(indent + 1) // 2)
            continue
        if _NUMBERED_RE.match(line) or _FOOTNOTE_RE.match(line):
            start("para", line.strip(), where)
            continue
        if open_block is None:
            start("para", line.strip(), where)
        else:
            open_lines.append(line.strip())
    flush()
    return blocks
