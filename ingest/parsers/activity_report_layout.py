"""A typeset report's lines (from layout) → layout-neutral blocks (see activity_report_text).

Lines become blocks by the space between them and their style: a step clearly wider than
the document's line pitch (learnt from the pages), a change of type size or of weight (a
heading set in bold or small capitals at body size), or a line starting with a paragraph
number ("12." hanging in the margin, or inline before a tab) after a line that ended a
sentence starts a new block. The document symbol is read from the page furniture the layout
set apart (the running head); lines that print only a job number or a symbol, and small type
in the page margins, are not content.
"""

from __future__ import annotations

import re
from collections import Counter

from .activity_report_text import (
    FOOTNOTE_RE,
    SYMBOL_RE,
    Block,
    Furniture,
    clean,
    is_furniture,
    join_lines,
)
from .layout import Layout, Line

_NUMBERED_RE = re.compile(r"^\(?\d{1,3}[.)]\s")
_ENDS_RE = re.compile(r"[.:;!?][\"'\u201d)]?$")


def _pitch(lines: list[Line]) -> float:
    """The commonest tight step between consecutive lines, relative to the type size."""
    ratios: Counter[float] = Counter()
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.5 and a.size:
            step = (b.top - a.top) / a.size
            if step >= 0.9:
                ratios[round(step, 1)] += 1
    common = sorted(r for r, n in ratios.items() if n >= 3)
    return common[0] if common else 1.2


def _starts_block(line: Line, above: Line, pitch: float) -> bool:
    if line.page != above.page or line.column != above.column:
        return False
    step = line.top - above.top
    if step > max(1.35 * pitch, pitch + 0.25) * max(line.size, above.size) or step < 0:
        return True
    if abs(line.size - above.size) > 0.5 or line.bold != above.bold:
        return True
    if _NUMBERED_RE.match(line.text):
        return line.x0 < above.x0 - 2 or bool(_ENDS_RE.search(above.text))
    return False


def report_blocks(layout: Layout) -> tuple[list[Block], Furniture]:
    """The report's blocks and what its furniture says (the document symbol)."""
    furniture = Furniture(printed_pages={})
    for line in layout.furniture:
        for text in [line.text, *re.split(r"\s{2,}", line.text)]:
            if SYMBOL_RE.match(text.strip()) and not furniture.symbol:
                furniture.symbol = text.strip()
    body = layout.body_size
    content = []
    for line in layout.lines:
        if is_furniture(line.text):
            if SYMBOL_RE.match(line.text) and not furniture.symbol:
                furniture.symbol = line.text
            continue
        height = line.page_height or 1
        in_margin = line.top < 0.08 * height or line.bottom > (1 - 0.08) * height
        if in_margin and line.size < body - 0.5:
            continue
        content.append(line)
    pitch = _pitch(content)
    groups: list[list[Line]] = []
    for line in content:
        if groups and not _starts_block(line, groups[-1][-1], pitch):
            above = groups[-1][-1]
            if line.page == above.page and line.column == above.column:
                groups[-1].append(line)
                continue
        groups.append([line])
    blocks = []
    for group in groups:
        raw = join_lines([line.text for line in group])
        if FOOTNOTE_RE.match(raw):
            continue
        text = clean(raw)
        if text:
            page = group[0].page
            blocks.append(Block(text, f"page {page}", page))
    return blocks, furniture
