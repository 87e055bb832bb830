"""The common intermediate form of a brochure: a flat list of blocks.

Both readers (text and PDF) turn their input into the same kinds of block, and one
builder (brochure_build) makes the projects from them, which is how the two formats
give identical results:

- ``para``  a paragraph (lines joined), possibly carrying the page number a table of
  contents prints at its right (``page_ref``);
- ``item``  a bulleted list item, with its nesting ``depth``;
- ``field`` a row of a label/value table ("Budget:" → value), continuation lines joined.

Inline style is kept as runs (bold / italic) so the description can be rebuilt as
safe HTML.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    kind: str  # "para" | "item" | "field"
    runs: list[Run]
    where: str
    label: str = ""
    depth: int = 0
    page_ref: int | None = None

    @property
    def text(self) -> str:
        return collapse("".join(r.text for r in self.runs))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def join_runs(first: list[Run], second: list[Run]) -> list[Run]:
    """Join two wrapped lines: a word broken after a hyphen is joined without a space."""
    head = "".join(r.text for r in first).rstrip()
    tail = "".join(r.text for r in second).lstrip()
    if not head:
        return list(second)
    if not tail:
        return list(first)
    glue = "" if re.search(r"\w-$", head) and re.match(r"\w", tail) else " "
    out = _rstrip_runs(first)
    if glue:
        out.append(Run(glue, out[-1].bold if out else False, out[-1].italic if out else False))
    out.extend(_lstrip_runs(second))
    return out


def _rstrip_runs(runs: list[Run]) -> list[Run]:
    out = list(runs)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        last = out[-1]
        out[-1] = Run(last.text.rstrip(), last.bold, last.italic)
    return out


def _lstrip_runs(runs: list[Run]) -> list[Run]:
    out = list(runs)
    while out and not out[0].text.strip():
        out.pop(0)
    if out:
        first = out[0]
        out[0] = Run(first.text.lstrip(), first.bold, first.italic)
    return out


def strip_runs(runs: list[Run]) -> list[Run]:
    return _lstrip_runs(_rstrip_runs(runs))


def cut_runs(runs: list[Run], start: int, end: int | None = None) -> list[Run]:
    """The runs covering characters [start, end) of their concatenated text."""
    out, pos = [], 0
    for r in runs:
        a, b = pos, pos + len(r.text)
        pos = b
        lo, hi = max(a, start), b if end is None else min(b, end)
        if lo < hi:
            out.append(Run(r.text[lo - a : hi - a], r.bold, r.italic))
    return out


def runs_html(runs: list[Run]) -> str:
    """Safe inline HTML: every character escaped, bold → <strong>, italic → <em>."""
    merged: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic)
        else:
            merged.append(r)
    out = []
    for r in merged:
        text = re.sub(r"\s+", " ", r.text)
        core = text.strip()
        if not core or not (r.bold or r.italic):
            out.append(html.escape(text, quote=False))
            continue
        lead = " " if text[:1] == " " else ""
        trail = " " if text[-1:] == " " else ""
        inner = html.escape(core, quote=False)
        if r.italic:
            inner = f"<em>{inner}</em>"
        if r.bold:
            inner = f"<strong>{inner}</strong>"
        out.append(f"{lead}{inner}{trail}")
    result = re.sub(r"\s+", " ", "".join(out)).strip()
    return result.replace("</strong><strong>", "").replace("</em><em>", "")


SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUPER_DIGITS = str.maketrans(SUPERSCRIPTS, "1234567890")


def superscript_number(marker: str) -> int | None:
    digits = marker.translate(_SUPER_DIGITS)
    return int(digits) if digits.isdigit() else None


def norm_title(text: str) -> str:
    """Case-, accent-, quote-, dash- and whitespace-insensitive key of a title."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u00b4]", "", text)
    text = re.sub(r"[\u2010-\u2015\u2212-]", "", text)
    return re.sub(r"[\s.,;:]+", "", text)


def loose_title(text: str) -> str:
    """Like norm_title but keeping word breaks, for similarity scores."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u00b4]", "", text)
    text = re.sub(r"[\u2010-\u2015\u2212-]", " ", text)
    return re.sub(r"[\s.,;:]+", " ", text).strip()
