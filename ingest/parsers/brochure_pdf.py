"""A typeset brochure (PDF) → blocks (see brochure_blocks). The only module using pdfplumber.

Each page's characters are read once (``page.chars``); lines are rebuilt from them:

- a row is the characters sharing a baseline; spaces come from the gaps between glyphs;
- page furniture is dropped: a lone page number in the top or bottom tenth of the page;
- a table row starts with a bold label ending in ":" at the left margin followed by a
  regular value; lines indented well past the margin continue the value;
- a table of contents' page number is a number set apart at the right of its line;
- bullets are "•"-like glyphs; the bullet's indent gives the list depth;
- a line continues the paragraph above when it follows at the document's line pitch
  (learnt from the pages: the commonest tight distance between lines, relative to the
  font size) in the same font size; across a page break, when the last line of the
  page was full (the next line's first word would not have fitted on it);
- bold and italic come from the font names.

Nothing depends on this edition's coordinates, fonts or page breaks: margins, pitch
and column positions are measured on the document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.parsers.brochure_blocks import Block, Run, join_runs
from ingest.parsers.brochure_fields import label_key
from ingest.parsers.types import ParseError

BULLETS = "•▪◦●‣∙"
_FURNITURE_RE = re.compile(r"^(?:page\s*)?[-–—\s]*\d{1,4}[-–—\s]*$", re.IGNORECASE)


@dataclass
class _Line:
    page: int
    top: float
    x0: float
    x1: float
    size: float
    runs: list[Run]
    first_word: float  # width of the first word, for the line-fit rule
    label: str | None = None
    page_ref: int | None = None
    bullet: bool = False
    right_edge: float = 0.0  # the page's text right edge
    full_runs: list[Run] = field(default_factory=list)  # the runs before a label was cut

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs).strip()


@dataclass
class _Glyph:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    bold: bool
    italic: bool


@dataclass
class _Assembler:
    pitch: float  # line pitch relative to font size
    margin: float
    blocks: list[Block] = field(default_factory=list)
    last: _Line | None = None
    first_x: float = 0.0  # x of the current block's first line
    item_xs: list[float] = field(default_factory=list)

    def add(self, ln: _Line) -> None:
        cur = self.blocks[-1] if self.blocks else None
        last = self.last
        self.last = ln
        same_size = last is not None and abs(ln.size - last.size) < 0.5
        tight = (
            last is not None
            and ln.page == last.page
            and same_size
            and 0 < ln.top - last.top <= self.pitch * 1.1 * max(ln.size, last.size)
        )
        new_page = last is not None and ln.page != last.page and same_size
        fitted = new_page and last is not None and self._was_full(last, ln)
        where = f"page {ln.page}"
        if cur is not None and cur.kind == "para" and not ln.bullet and ln.page_ref is None:
            in_column = self.margin - ln.size <= ln.x0 <= self.first_x + ln.size
            # a bold lead-in ("Outcome: …") at the start of a wrapped line is not a table row
            if in_column and (tight or (fitted and ln.label is None)):
                cur.runs = join_runs(cur.runs, ln.full_runs)
                return
        if ln.label is not None and abs(ln.x0 - self.margin) <= ln.size:
            self._start(Block("field", ln.runs, where, label=ln.label), ln)
            return
        if ln.label is not None:  # a bold lead-in inside the text, not a table row
            ln.runs, ln.label = ln.full_runs, None
        if ln.bullet:
            self.item_xs = [x for x in self.item_xs if x < ln.x0 - ln.size * 0.5]
            depth = len(self.item_xs)
            self.item_xs.append(ln.x0)
            self._start(Block("item", ln.runs, where, depth=depth), ln, keep_items=True)
            return
        if ln.page_ref is not None:
            self._start(Block("para", ln.runs, where, page_ref=ln.page_ref), ln)
            return
        if cur is not None and (tight or new_page):
            if cur.kind == "field" and ln.x0 > self.margin + 2 * ln.size:
                cur.runs = join_runs(cur.runs, ln.runs)
                return
            if cur.kind == "item" and self.item_xs and ln.x0 > self.item_xs[-1] + ln.size * 0.3:
                cur.runs = join_runs(cur.runs, ln.runs)
                return
        self._start(Block("para", ln.runs, where), ln)

    def _start(self, block: Block, ln: _Line, keep_items: bool = False) -> None:
        if not keep_items:
            self.item_xs = []
        self.blocks.append(block)
        self.first_x = ln.x0

    @staticmethod
    def _was_full(last: _Line, ln: _Line) -> bool:
        """Line-fit rule: the next line's first word would not have fitted on the last."""
        room = last.right_edge - last.x1
        return ln.first_word + 0.35 * ln.size > room


def _glyphs(chars: list[dict]) -> list[_Glyph]:
    out = []
    for c in chars:
        text = c.get("text") or ""
        if not text.strip() or not c.get("upright", True):
            continue
        font = str(c.get("fontname", "")).lower()
        out.append(
            _Glyph(
                text,
                float(c["x0"]),
                float(c["x1"]),
                float(c["top"]),
                float(c.get("size") or 0) or float(c["bottom"]) - float(c["top"]),
                "bold" in font or "black" in font or "heavy" in font,
                "italic" in font or "oblique" in font,
            )
        )
    return out


def _rows(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    rows: list[list[_Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.top, g.x0)):
        if rows and g.top - rows[-1][0].top <= 0.35 * max(g.size, rows[-1][0].size):
            rows[-1].append(g)
        else:
            rows.append([g])
    return [sorted(r, key=lambda g: g.x0) for r in rows]


def _line(row: list[_Glyph], page: int, width: float) -> _Line:
    size = Counter(round(g.size, 1) for g in row).most_common(1)[0][0]
    runs: list[Run] = []
    pieces: list[tuple[str, bool, bool]] = []
    gaps: list[tuple[int, float]] = []  # (index in text, gap width) of wide gaps
    text_len = 0
    first_word = None
    prev = None
    for g in row:
        if prev is not None:
            gap = g.x0 - prev.x1
            if gap > 0.2 * size:
                pieces.append((" ", prev.bold and g.bold, prev.italic and g.italic))
                if first_word is None:
                    first_word = prev.x1 - row[0].x0
                if gap > 1.0 * size:
                    gaps.append((text_len + 1, gap))
                text_len += 1
        pieces.append((g.text, g.bold, g.italic))
        text_len += len(g.text)
        prev = g
    for text, bold, italic in pieces:
        if runs and (runs[-1].bold, runs[-1].italic) == (bold, italic):
            runs[-1] = Run(runs[-1].text + text, bold, italic)
        else:
            runs.append(Run(text, bold, italic))
    ln = _Line(
        page,
        row[0].top,
        row[0].x0,
        row[-1].x1,
        size,
        runs,
        first_word if first_word is not None else row[-1].x1 - row[0].x0,
    )
    _classify(ln, row, gaps, width)
    return ln


def _classify(ln: _Line, row: list[_Glyph], gaps: list[tuple[int, float]], width: float) -> None:
    text = "".join(r.text for r in ln.runs)
    ln.full_runs = ln.runs
    # a table of contents' page number, set apart at the right
    m = re.search(r"(\d{1,4})$", text)
    set_apart = bool(m and gaps and gaps[-1][0] == m.start())
    leaders = bool(m and re.search(r"(?:[.·…]\s*){3,}$", text[: m.start()]))
    if m and (set_apart or leaders) and row[-1].x1 > 0.6 * width:
        title = re.sub(r"[\s.·…]+$", "", text[: m.start()])
        if title:
            ln.page_ref = int(m.group(1))
            ln.runs = _cut(ln.runs, len(title))
            return
    if row[0].text[:1] in BULLETS:
        ln.bullet = True
        ln.runs = _cut(ln.runs, None, len(row[0].text))
        return
    # a table row: bold label ending in ":" then a regular value, or a known label
    colon = text.find(":")
    known = 0 < colon <= 40 and label_key(text[:colon]) is not None
    if 0 < colon <= 40 and (known or _all_bold(ln.runs, colon + 1)):
        after = text[colon + 1 :]
        value_at = colon + 1 + (len(after) - len(after.lstrip()))
        label = text[:colon].strip()
        regular_value = known or value_at >= len(text) or not _style_at(ln.runs, value_at)
        if regular_value and re.search(r"[^\W\d_]", label) and len(label.split()) <= 5:
            ln.label = label
            ln.runs = _cut(ln.runs, None, colon + 1)


def _all_bold(runs: list[Run], end: int) -> bool:
    pos = 0
    for r in runs:
        if pos >= end:
            break
        if not r.bold and r.text.strip():
            return False
        pos += len(r.text)
    return True


def _style_at(runs: list[Run], index: int) -> bool:
    pos = 0
    for r in runs:
        if pos <= index < pos + len(r.text):
            return r.bold
        pos += len(r.text)
    return False


def _cut(runs: list[Run], end: int | None, start: int = 0) -> list[Run]:
    out, pos = [], 0
    if end is None:
        end = sum(len(r.text) for r in runs)
    for r in runs:
        a, b = pos, pos + len(r.text)
        pos = b
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            out.append(Run(r.text[lo - a : hi - a], r.bold, r.italic))
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic)
    return [r for r in out if r.text]


def _page_lines(chars: list[dict], page: int, width: float, height: float) -> list[_Line]:
    lines = [_line(row, page, width) for row in _rows(_glyphs(chars))]
    kept = [
        ln
        for ln in lines
        if not (_FURNITURE_RE.match(ln.text) and (ln.top > 0.9 * height or ln.top < 0.1 * height))
    ]
    right = max((ln.x1 for ln in kept), default=width)
    for ln in kept:
        ln.right_edge = right
    return kept


def _pitch(lines: list[_Line]) -> float:
    """The document's tight line pitch relative to the font size (e.g. 1.35)."""
    ratios: Counter[float] = Counter()
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page == b.page and abs(a.size - b.size) < 0.5 and b.top > a.top and a.size > 0:
            ratios[round((b.top - a.top) / a.size, 2)] += 1
    common = sorted(r for r, n in ratios.items() if n >= 3 and r >= 0.9)
    return common[0] if common else 1.25


def read_pdf_lines(
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    max_pages: int | None = None,
) -> list[_Line]:
    import pdfplumber  # only this module touches pdfplumber

    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ParseError(f"{name}: cannot be read ({exc.strerror})") from exc
    if not head:
        raise ParseError(f"{name}: the file is empty (expected a PDF)")
    if b"%PDF-" not in head:
        raise ParseError(f"{name}: not a PDF (no '%PDF-' header in the first bytes)")
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:
        raise ParseError(
            f"{name}: the PDF cannot be opened, before page 1; it looks truncated or corrupt"
        ) from exc
    lines: list[_Line] = []
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise ParseError(
                f"{name}: the PDF's page tree cannot be read, before page 1; "
                "it looks truncated or corrupt"
            ) from exc
        total = len(pages)
        if total == 0:
            raise ParseError(f"{name}: the PDF has no pages")
        for number, page in enumerate(pages, 1):
            if max_pages is not None and number > max_pages:
                break
            try:
                chars = page.chars
                width, height = float(page.width), float(page.height)
            except Exception as exc:
                raise ParseError(
                    f"{name}: page {number} of {total} cannot be read; "
                    "the PDF looks truncated or corrupt"
                ) from exc
            lines.extend(_page_lines(chars, number, width, height))
            page.close()
            if progress is not None:
                progress(number, total)
    return lines


def _without_running_heads(lines: list[_Line]) -> list[_Line]:
    """Drop running heads and feet: a line at the top or bottom of its page whose text
    (numbers aside) comes back on at least three pages and a quarter of them."""
    pages = len({ln.page for ln in lines})
    first = {}
    last = {}
    for ln in lines:
        first.setdefault(ln.page, ln)
        last[ln.page] = ln
    edge = [ln for ln in list(first.values()) + list(last.values())]
    keys = Counter(re.sub(r"\d+", "#", ln.text) for ln in {id(ln): ln for ln in edge}.values())
    repeated = {k for k, n in keys.items() if n >= max(3, pages // 4)}
    if not repeated:
        return lines
    return [
        ln
        for ln in lines
        if not (
            (ln is first[ln.page] or ln is last[ln.page])
            and re.sub(r"\d+", "#", ln.text) in repeated
        )
    ]


def lines_to_blocks(lines: list[_Line]) -> list[Block]:
    if not lines:
        return []
    lines = _without_running_heads(lines)
    margin = Counter(round(ln.x0, 1) for ln in lines).most_common(1)[0][0]
    assembler = _Assembler(pitch=_pitch(lines), margin=margin)
    for ln in lines:
        assembler.add(ln)
    return assembler.blocks


def pdf_blocks(
    path: str | Path, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Block], int]:
    """The blocks of a PDF, and how many pages it has."""
    pages = 0

    def count(done: int, total: int) -> None:
        nonlocal pages
        pages = total
        if progress is not None:
            progress(done, total)

    return lines_to_blocks(read_pdf_lines(path, count)), pages


def first_pages_text(path: str | Path, pages: int = 3) -> str:
    """Plain text of the first pages (lines rebuilt as above), for looks_like_brochure."""
    return "\n".join(ln.text for ln in read_pdf_lines(path, max_pages=pages))
