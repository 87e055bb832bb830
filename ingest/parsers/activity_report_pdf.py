"""The typeset (PDF) rendition of the report as layout-neutral blocks.

Each page's characters are read once (pdfplumber), grouped into printed lines by
their baseline, and the lines into blocks by the vertical space between them: a
gap clearly wider than the line spacing, a change of type size, or a numbered
line set out to the left of the line above starts a new block. Nothing depends on
this edition's coordinates, fonts or page breaks; page furniture is recognised by
what it says (job number, running head, page number) or by being small type in
the top or bottom margin.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .activity_report_text import (
    FOOTNOTE_RE,
    SYMBOL_RE,
    Block,
    Furniture,
    clean,
    is_furniture,
    join_lines,
    printed_page,
)
from .types import ParseError

GAP_FACTOR = 1.75  # a baseline step above this many type sizes separates blocks
MARGIN = 0.08  # top and bottom share of the page where small type is furniture


@dataclass
class _Line:
    text: str
    top: float
    x0: float
    size: float


def _lines(chars: list[dict]) -> list[_Line]:
    """Printed lines, top to bottom, each with its text, left edge and type size."""
    rows: list[list[dict]] = []
    row_top = None
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if not char.get("upright", True):
            continue
        if row_top is not None and char["top"] - row_top <= 0.5 * char["size"]:
            rows[-1].append(char)
        else:
            rows.append([char])
            row_top = char["top"]
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        previous = None
        for char in row:
            gap = previous is not None and char["x0"] - previous["x1"] > 0.15 * char["size"]
            if gap and parts[-1] != " " and char["text"] != " ":
                parts.append(" ")
            parts.append(char["text"])
            previous = char
        text = "".join(parts).strip()
        if text:
            sizes = Counter(round(c["size"], 1) for c in row if c["text"].strip())
            size = sizes.most_common(1)[0][0] if sizes else row[0]["size"]
            lines.append(_Line(text, row[0]["top"], row[0]["x0"], size))
    return lines


def _page_blocks(
    lines: list[_Line], height: float, number: int, furniture: Furniture
) -> list[tuple[list[_Line], int]]:
    body = Counter(line.size for line in lines).most_common(1)[0][0] if lines else 0
    content: list[_Line] = []
    for line in lines:
        in_margin = line.top < MARGIN * height or line.top > (1 - MARGIN) * height
        if is_furniture(line.text):
            if SYMBOL_RE.match(line.text) and not furniture.symbol:
                furniture.symbol = line.text
            page = printed_page(line.text)
            if page is not None and in_margin:
                furniture.printed_pages[number] = page  # type: ignore[index]
            continue
        if in_margin and line.size < body - 0.5:
            continue
        content.append(line)
    groups: list[list[_Line]] = []
    for line in content:
        if groups:
            above = groups[-1][-1]
            step = line.top - above.top
            new = (
                step > GAP_FACTOR * max(line.size, above.size)
                or abs(line.size - above.size) > 0.5
                or (re.match(r"\d{1,3}\.\s", line.text) and line.x0 < above.x0 - 2)
            )
            if not new:
                groups[-1].append(line)
                continue
        groups.append([line])
    return [(group, number) for group in groups]


def pdf_blocks(
    path: str | Path, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Block], Furniture, str]:
    """Blocks of the PDF, the furniture it carried, and the text of its first pages."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    from .activity_report import looks_like_activity_report, missing_markers

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read the file ({exc.strerror})") from exc
    if not data.strip():
        raise ParseError(f"{path}, page 1: empty file")
    if not data.lstrip().startswith(b"%PDF"):
        raise ParseError(f"{path}, page 1: not a PDF (no %PDF header)")
    furniture = Furniture(printed_pages={})
    groups: list[tuple[list[_Line], int]] = []
    first_pages: list[str] = []
    page_number = 0
    errors = (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError)
    try:
        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
            for page_number, page in enumerate(pdf.pages, 1):
                lines = _lines(page.chars)
                groups += _page_blocks(lines, float(page.height), page_number, furniture)
                if page_number <= 2:
                    first_pages += [line.text for line in lines]
                    if page_number == min(2, total) and not looks_like_activity_report(
                        "\n".join(first_pages)
                    ):
                        missing = ", ".join(missing_markers("\n".join(first_pages)))
                        raise ParseError(
                            f"{path}, pages 1-{page_number}: not a report on UNODC activities"
                            f" under the Trafficking in Persons Protocol (missing {missing})"
                        )
                page.close()
                if progress is not None:
                    progress(page_number, total)
    except ParseError:
        raise
    except errors as exc:
        where = f"page {page_number}" if page_number else "page 1"
        raise ParseError(f"{path}, {where}: unreadable or truncated PDF") from exc
    if not any(group for group, _ in groups):
        raise ParseError(f"{path}, page 1: no text in the PDF (scanned image?)")
    blocks = []
    for group, number in groups:
        raw = join_lines([line.text for line in group])
        if FOOTNOTE_RE.match(raw):
            continue
        text = clean(raw)
        if text:
            page = (furniture.printed_pages or {}).get(number, number)
            blocks.append(Block(text, f"page {number}", page))
    return blocks, furniture, "\n".join(first_pages)
