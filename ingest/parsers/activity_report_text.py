"""Layout-neutral blocks of a UN report, and how its text rendition becomes them.

Both renditions of the report (text and PDF) are reduced to the same thing: a list
of `Block`s, one per printed paragraph-or-heading, with page furniture (job
numbers, running heads, page numbers) and footnotes removed and inline markup
(``**bold**``, ``*italic*``, ``\\$``, footnote markers) undone. The assembly in
activity_report.py then works on blocks alone, so both renditions give one result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    text: str  # one paragraph or heading, markup removed, whitespace collapsed
    where: str  # "line 12" or "page 3"
    page: int | None = None  # printed page number when known (PDF only)
    plain: bool | None = None  # PDF: set as the body text is (size, weight); text: unknown


@dataclass
class Furniture:
    """What the page furniture says about the document (not content, but useful)."""

    symbol: str = ""  # running head such as "CTOC/COP/2016/5"
    printed_pages: dict[int, int] | None = None  # physical page -> printed number


# UN job number ("V.16-03496"), optionally with language, dates and a page number.
_JOB = r"[A-Z]{1,2}\.\d{2}-\d{5}"
FURNITURE_RES = (
    re.compile(rf"^(?:\d{{1,4}}\s+)?{_JOB}(?:\s+\([A-Z]\))?(?:\s+\d{{1,6}})*$"),
    re.compile(r"^\d{1,4}$"),  # a bare page number
    re.compile(r"^\*\d{5,}\*$"),  # bar-code text
)
# A document symbol on a line of its own is the running head: "CTOC/COP/2016/5".
SYMBOL_RE = re.compile(r"^[A-Z]{2,}(?:/[A-Z0-9.]+)+/[\w.]+$")
_PAGE_IN_FURNITURE = re.compile(rf"^(\d{{1,4}})\s+{_JOB}$|^{_JOB}\s+(\d{{1,4}})$|^(\d{{1,4}})$")

# A footnote starts with its marker: "^{*} …", "¹ …", "* …", "1/ …".
FOOTNOTE_RE = re.compile(r"^(?:\^\{[^}]*\}|[\u00b9\u00b2\u00b3\u2070-\u2079]+|\*+|\d{1,2}/)\s")
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"


def is_furniture(line: str) -> bool:
    return any(r.match(line) for r in FURNITURE_RES) or bool(SYMBOL_RE.match(line))


def printed_page(line: str) -> int | None:
    """The page number a furniture line prints, if it prints one."""
    m = _PAGE_IN_FURNITURE.match(line)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def clean(text: str) -> str:
    """One block's text without list bullets, markup or footnote markers."""
    text = re.sub(r"^[-\u2022]\s+", "", text.strip())
    text = text.replace("\\$", "$").replace("\u00ad", "")
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"\^\{[^}]*\}", "", text)  # "^{*}" footnote reference
    text = re.sub(rf"\s*[{_SUPERSCRIPTS}]+", "", text)  # "¹" footnote reference
    text = re.sub(r"(?<=[\w.,;:)])\*+(?=\s|$)", "", text)  # "agenda*" footnote reference
    return re.sub(r"\s+", " ", text).strip()


def text_blocks(text: str) -> tuple[list[Block], Furniture]:
    """Blocks of the text rendition: one non-empty line each, furniture and footnotes dropped."""
    blocks: list[Block] = []
    furniture = Furniture()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if is_furniture(line):
            if SYMBOL_RE.match(line) and not furniture.symbol:
                furniture.symbol = line
            continue
        if FOOTNOTE_RE.match(line):
            continue
        cleaned = clean(line)
        if cleaned:
            blocks.append(Block(cleaned, f"line {number}"))
    return blocks, furniture
