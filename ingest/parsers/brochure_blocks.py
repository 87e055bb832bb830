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

from ingest.parsers.runs import Run


@dataclass
class Block:
    kind: str  # "para" | "item" | "field"
    runs: list[Run]
    where: str
    label: str = ""
    depth: int = 0
    page_ref: int | None = None
    # typography, when the block was typeset (PDF); a text rendition marks none of it
    size: float = 1.0  # type size relative to the body text
    bold: bool = False
    italic: bool = False
    caps: bool = False
    page: int | None = None

    @property
    def text(self) -> str:
        return collapse("".join(r.text for r in self.runs))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


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
