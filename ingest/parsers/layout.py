"""A typeset PDF → its printed lines, each with its typography; page furniture set apart.

The one module that reads PDFs (pdfplumber); every document grammar reads its lines from here.
Each page is read once (pdfminer's layout objects, through ``page.layout``; the same characters
as pdfplumber's ``page.chars`` without its per-object dictionaries) and turned into lines:

- a line is the characters sharing a baseline (a raised, smaller digit is a footnote marker
  and is written as its superscript character; a raised, smaller "*", "†", "‡" or "§" is one
  too, written "^{*}" as the text renditions write it); spaces come from the gaps between glyphs,
  and a gap wider than the type size (a tab stop, a table's column, a leader of spaces) is
  recorded with its position;
- two text columns are found by the gutter that runs down between them: a strip no
  character crosses, with text of a column's width on both sides, over several lines; the
  left column is read before the right;
- each line carries its size, weight, slant and case, its left and right edge, and the page's
  text edges, so a grammar can tell a heading, an indent or a right-aligned label;
- page furniture is what comes back in the top or bottom margin of many pages — running heads
  and footers, page numbers in any form ("3", "Page 3", "– 3 –", "3 of 56"), a document
  symbol, a job number — compared with digits ignored, plus a lone number in a margin. It is
  kept apart (`Layout.furniture`) rather than dropped, for a grammar that reads a symbol there.

Errors: only pdfplumber/pdfminer's own failures become "cannot be read" messages (the calls
into them are the only code inside the guards); anything else is a bug and is raised as is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.parsers.runs import Run
from ingest.parsers.types import ParseError

SUPERSCRIPT_OF = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MARGIN_SHARE = 0.16  # the top and bottom share of a page where furniture is looked for
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_RE = re.compile(r"italic|oblique", re.IGNORECASE)
_LONE_NUMBER_RE = re.compile(
    r"^[\s\-–—()\[\]|•]*(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?"
    r"[\s\-–—()\[\]|•]*$",
    re.IGNORECASE,
)


@dataclass
class Line:
    """One printed line (or a column's part of it), left to right."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float  # the commonest type size on the line
    runs: list[Run]
    gaps: list[tuple[int, float, float]]  # wide gaps: (index of their space, width, x after)
    first_word: float  # the width of the first word
    first_gap: float = 0.0  # the space after the first glyph (a list marker's gap), else 0
    spaces: list[tuple[int, float, float]] = field(default_factory=list)  # (index, x after, width)
    column: int = 0  # 0: full width or left column, 1: right column
    left: float = 0.0  # the text area's left and right edges on this page (or column)
    right: float = 0.0
    page_width: float = 0.0
    page_height: float = 0.0
    small_caps: float = 0.0  # set in small capitals: the type size they are small against
    lowered: frozenset[int] = frozenset()  # where in the text letters are small capitals
    font: str = ""  # the commonest font family on the line ("NotoSerif"), style aside

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs).strip()

    @property
    def bold(self) -> bool:
        return all(r.bold for r in self.runs if r.text.strip())

    @property
    def italic(self) -> bool:
        return all(r.italic for r in self.runs if r.text.strip())

    @property
    def caps(self) -> bool:
        """Set in capitals (or small capitals): letters, and none of them lower case."""
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and not any(c.islower() for c in letters)


@dataclass
class Layout:
    """What a PDF prints: content lines in reading order, furniture apart, measured style."""

    source: str
    pages: int
    lines: list[Line]
    furniture: list[Line]
    first_lines: list[Line] = field(default_factory=list)  # every line of the first pages

    @property
    def body_size(self) -> float:
        sizes = Counter(round(ln.size, 1) for ln in self.lines for _ in ln.text)
        return sizes.most_common(1)[0][0] if sizes else 0.0

    def first_pages_text(self) -> str:
        return "\n".join(ln.text for ln in self.first_lines)


@dataclass(slots=True)
class _Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool
    space_before: bool = False  # the PDF prints a space character just before this glyph
    font: str = ""


Region = tuple[list[list[_Glyph]], float | None]  # rows, and the gutter's x if two columns


# ---------------------------------------------------------------- reading


def read_pdf(
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    max_pages: int | None = None,
    first_pages: int = 2,
) -> Layout:
    """Every page's lines. `progress(done, total)` after each page; `max_pages` stops early."""
    import pdfplumber  # only this module touches pdfplumber (and pdfminer)
    from pdfminer.layout import LTChar

    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ParseError(f"{name}: cannot be read ({exc.strerror})") from exc
    if not head.strip():
        raise ParseError(f"{name}, page 1: the file is empty (expected a PDF)")
    if b"%PDF-" not in head:
        raise ParseError(f"{name}, page 1: not a PDF (no '%PDF-' header in the first bytes)")
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # only pdfplumber.open runs here: the PDF's own failure
        raise ParseError(
            f"{name}, page 1: the PDF cannot be opened, before page 1; "
            "it looks truncated or corrupt"
        ) from exc
    lines: list[Line] = []
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:  # only pdfminer's page tree is read here
            raise ParseError(
                f"{name}, page 1: the PDF's page tree cannot be read, before page 1; "
                "it looks truncated or corrupt"
            ) from exc
        total = len(pages)
        if total == 0:
            raise ParseError(f"{name}, page 1: the PDF has no pages")
        for number, page in enumerate(pages, 1):
            if max_pages is not None and number > max_pages:
                break
            try:
                objects = page.layout._objs
                width, height = float(page.width), float(page.height)
                left, top = page.mediabox[:2]
            except Exception as exc:  # only pdfminer's reading of this page runs here
                raise ParseError(
                    f"{name}, page {number}: page {number} of {total} cannot be read; "
                    "the PDF looks truncated or corrupt"
                ) from exc
            glyphs = _glyphs(objects, LTChar, height, float(left), float(top))
            lines.extend(page_lines(glyphs, number, width, height))
            page.close()
            if progress is not None:
                progress(number, total)
    read = min(total, max_pages) if max_pages else total
    content, furniture = split_furniture(lines, read)
    first = [ln for ln in lines if ln.page <= first_pages]
    return Layout(name, total, content, furniture, first)


def page_lines(glyphs: list[_Glyph], page: int, width: float, height: float) -> list[Line]:
    """The lines of one page in reading order (columns: left, then right)."""
    if not glyphs:
        return []
    rows = _rows(glyphs)
    out: list[Line] = []
    full: list[Line] = []
    for region, gutter in _regions(rows, width):
        if gutter is None:
            lines = _lines(region, page)
            full.extend(lines)
            out.extend(lines)
            continue
        left = [g for row in region for g in row if g.x1 <= gutter]
        right = [g for row in region for g in row if g.x1 > gutter]
        for column, part in enumerate((left, right)):
            lines = _lines(_rows(part), page)
            for ln in lines:
                ln.column = column
            _edges(lines, width, height)  # a column's own edges
            out.extend(lines)
    _edges(full, width, height)
    return out


def _glyphs(objects: list, char_type: type, height: float, left: float, top: float) -> list[_Glyph]:
    """The page's upright characters, read from pdfminer's layout objects (`page.layout`).

    The same characters and coordinates as pdfplumber's `page.chars` (tests/ingest/
    test_layout_reading.py compares them), without building its dictionary of every
    attribute of every object on the page, which the layout never reads. Characters inside
    forms (containers) are read in the order the page draws them, as pdfplumber does."""
    out: list[_Glyph] = []
    fonts: dict[str, tuple[bool, bool, str]] = {}
    space_at = None  # the top of a space character just read
    stack = [iter(objects)]
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
            continue
        if not isinstance(obj, char_type):
            children = getattr(obj, "_objs", None)
            if children:
                stack.append(iter(children))
            continue
        if not obj.upright:
            continue
        text = obj._text
        glyph_top = height - obj.y1 + top
        if not text.strip():
            space_at = glyph_top
            continue
        font = obj.fontname
        style = fonts.get(font)
        if style is None:
            name = font.decode("latin-1") if isinstance(font, bytes) else str(font)
            style = fonts[font] = (
                bool(_BOLD_RE.search(name)),
                bool(_ITALIC_RE.search(name)),
                _family(name),
            )
        bottom = height - obj.y0 + top
        out.append(
            _Glyph(
                text,
                obj.x0 + left,
                obj.x1 + left,
                glyph_top,
                bottom,
                obj.size or bottom - glyph_top,
                style[0],
                style[1],
                space_at is not None and abs(space_at - glyph_top) < 0.5 * (bottom - glyph_top),
                style[2],
            )
        )
        space_at = None
    return out


def _rows(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs sharing a line: full-size glyphs by their baseline, then any smaller raised or
    lowered glyph (a footnote marker) joins the line whose body it overlaps."""
    if not glyphs:
        return []
    sizes = Counter(round(g.size) for g in glyphs)
    common = sizes.most_common(1)[0][0]
    small = [g for g in glyphs if g.size < 0.8 * common and _is_marker(g.text)]
    small_ids = {id(g) for g in small}
    rows: list[list[_Glyph]] = []
    bottoms: list[float] = []
    for g in sorted((g for g in glyphs if id(g) not in small_ids), key=lambda g: (g.top, g.x0)):
        if rows and g.top - rows[-1][0].top <= 0.35 * max(g.size, rows[-1][0].size):
            rows[-1].append(g)
        else:
            rows.append([g])
            bottoms.append(g.bottom)
    for g in small:
        middle = (g.top + g.bottom) / 2
        best = None
        for i, row in enumerate(rows):
            if row[0].top - 0.2 * row[0].size <= middle <= bottoms[i]:
                best = i
                break
        if best is None:
            rows.append([g])
            bottoms.append(g.bottom)
        else:
            rows[best].append(g)
    rows.sort(key=lambda r: min(g.top for g in r))
    return [sorted(r, key=lambda g: g.x0) for r in rows]


NOTE_SIGNS = "*†‡§"  # footnote markers that are not numbers


def _is_marker(text: str) -> bool:
    return text.isdigit() or text in NOTE_SIGNS


def _regions(rows: list[list[_Glyph]], width: float) -> list[Region]:
    """Runs of rows set in two columns (with the gutter's x), and the rows between them."""
    if len(rows) < 3:
        return [(rows, None)]
    xs0 = min(g.x0 for row in rows for g in row)
    xs1 = max(g.x1 for row in rows for g in row)
    text_width = xs1 - xs0
    candidates = _gutters(rows, xs0, text_width) if text_width > 0 else []
    if not candidates:
        return [(rows, None)]
    out: list[Region] = []
    plain: list[list[_Glyph]] = []
    i = 0
    while i < len(rows):
        best = None
        for gutter in candidates:
            end = _column_run(rows, i, gutter, text_width)
            if end is not None and (best is None or end > best[1]):
                best = (gutter, end)
        if best is None:
            plain.append(rows[i])
            i += 1
            continue
        if plain:
            out.append((plain, None))
            plain = []
        out.append((rows[i : best[1]], best[0]))
        i = best[1]
    if plain:
        out.append((plain, None))
    return out


def _sides(row: list[_Glyph], x: float) -> str:
    """ "both" when a gutter-wide gap at x parts the row, "left"/"right" when it lies to one
    side, "across" when text runs through x."""
    left = [g for g in row if g.x1 <= x]
    right = [g for g in row if g.x0 >= x]
    if len(left) + len(right) < len(row):
        return "across"
    if left and right:
        return "both" if right[0].x0 - left[-1].x1 > 0.8 * row[0].size else "across"
    return "left" if left else "right"


def _column_run(rows: list[list[_Glyph]], i: int, x: float, text_width: float) -> int | None:
    """The end of a run of two-column rows starting at row i, or None. The columns' lines
    may share baselines (rows printing on both sides) or not (a list in one column sets
    its lines at another pitch: rows alternate between the left and the right)."""
    if _sides(rows[i], x) not in ("both", "right"):
        return None
    j, last_both, both, starts = i, i, 0, Counter()
    sides: Counter[str] = Counter()
    while j < len(rows):
        side = _sides(rows[j], x)
        if side == "across":
            break
        sides[side] += 1
        # a line alone at the right far below the column's text (a page footer) is not its,
        # nor a footer printing at both sides ("Partnership Opportunities … 7"): text set
        # after the columns, above it, is not theirs either
        if (
            side in ("right", "both")
            and j > i
            and rows[j][0].top - rows[last_both][0].top > 4 * rows[j][0].size
        ):
            j += 1
            continue
        if side in ("both", "right"):
            both += side == "both"
            last_both = j
            right = [g for g in rows[j] if g.x0 >= x]
            if right[-1].x1 - right[0].x0 > 0.25 * text_width:
                starts[round(right[0].x0)] += 1
        j += 1
    alternating = sides["left"] >= 3 and sides["right"] + sides["both"] >= 3
    if (both < 3 and not alternating) or not starts or starts.most_common(1)[0][1] < 3:
        return None
    end = last_both + 1
    # the columns' own line pitch, from their first row printing on both sides: a running
    # head alone above the right column would widen it, and take in a table set below them
    first = next((k for k in range(i, last_both) if _sides(rows[k], x) == "both"), i)
    pitch = (rows[last_both][0].top - rows[first][0].top) / max(1, last_both - first)
    while end < j and rows[end][0].top - rows[end - 1][0].top <= 1.3 * pitch:
        end += 1
    return end


def _gutters(rows: list[list[_Glyph]], xs0: float, text_width: float) -> list[float]:
    """x positions in the middle of the text where a wide gap opens on many rows."""
    lo, hi = xs0 + 0.3 * text_width, xs0 + 0.7 * text_width
    found: Counter[int] = Counter()
    for row in rows:
        first = row[0]
        if lo <= first.x0 <= hi and row[-1].x1 - first.x0 > 0.25 * text_width:
            found[round(first.x0 - 0.4 * first.size)] += 1  # a right column's line alone
        for a, b in zip(row, row[1:], strict=False):
            wide = b.x0 - a.x1 > 0.8 * a.size and lo <= b.x0 <= hi
            if wide and min(a.x1 - row[0].x0, row[-1].x1 - b.x0) > 0.25 * text_width:
                found[round(b.x0 - 0.4 * a.size)] += 1  # just left of the right column
    return [float(x) for x, n in found.most_common(3) if n >= 3]


def _lines(rows: list[list[_Glyph]], page: int) -> list[Line]:
    """Rows → lines; a line set wholly in small capitals goes on from the small-capital line
    just above it (a heading's second line, "COORDINATION" under "Normative work … and")."""
    out: list[Line] = []
    for row in rows:
        above = out[-1] if out else None
        carried = None
        if above is not None and above.small_caps:
            step = min(g.top for g in row) - above.top
            if 0 < step <= 2.5 * above.small_caps:
                carried = (above.size, above.small_caps)
        out.append(_line(row, page, carried))
    return out


def _line(row: list[_Glyph], page: int, carried: tuple[float, float] | None = None) -> Line:
    sizes = Counter(round(g.size, 1) for g in row)
    size = sizes.most_common(1)[0][0]
    base = max(g.bottom for g in row if round(g.size, 1) == size)
    lowered, type_size = _small_capitals(row, size, carried)
    pieces: list[tuple[str, bool, bool]] = []
    gaps: list[tuple[int, float, float]] = []
    spaces: list[tuple[int, float, float]] = []
    text_len = 0
    first_word = None
    first_gap = 0.0
    prev = None
    small: set[int] = set()
    for g in row:
        text = g.text.lower() if id(g) in lowered else g.text
        raised = g.size < 0.8 * size and g.bottom < base - 0.15 * size
        if raised and text.isdigit():
            text = text.translate(SUPERSCRIPT_OF)  # a raised small digit: a footnote marker
        elif raised and text in NOTE_SIGNS:
            # a raised small sign: a footnote marker too, written as the text renditions
            # write one ("^{*}"), for Unicode has no superscript asterisk or dagger
            follows = prev is not None and g.x0 - prev.x1 <= 0.2 * size
            if follows and pieces and re.fullmatch(r"\^\{[^}]+\}", pieces[-1][0]):
                marker, bold, italic = pieces[-1]
                pieces[-1] = (marker[:-1] + text + "}", bold, italic)  # "^{**}"
                text_len += len(text)
                prev = g
                continue
            text = "^{" + text + "}"
        if prev is not None:
            gap = g.x0 - prev.x1
            if prev is row[0]:
                first_gap = gap
            if gap > 0.2 * size or (g.space_before and gap > -0.1 * size):
                pieces.append((" ", prev.bold and g.bold, prev.italic and g.italic))
                if first_word is None:
                    first_word = prev.x1 - row[0].x0
                if gap > 1.0 * size:
                    gaps.append((text_len, gap, g.x0))
                spaces.append((text_len, g.x0, gap))
                text_len += 1
        pieces.append((text, g.bold, g.italic))
        if id(g) in lowered:
            small.add(text_len)
        text_len += len(text)
        prev = g
    if _hyphen_set_apart(row, pieces, spaces, size):
        del pieces[-2]
        spaces.pop()
    runs: list[Run] = []
    for text, bold, italic in pieces:
        if runs and (runs[-1].bold, runs[-1].italic) == (bold, italic):
            runs[-1] = Run(runs[-1].text + text, bold, italic)
        else:
            runs.append(Run(text, bold, italic))
    return Line(
        page=page,
        top=min(g.top for g in row),
        bottom=base,
        x0=row[0].x0,
        x1=row[-1].x1,
        size=size,
        runs=runs,
        gaps=gaps,
        first_word=first_word if first_word is not None else row[-1].x1 - row[0].x0,
        first_gap=first_gap,
        spaces=spaces,
        small_caps=type_size,
        lowered=frozenset(small),
        font=Counter(g.font for g in row).most_common(1)[0][0],
    )


def _hyphen_set_apart(
    row: list[_Glyph], pieces: list[tuple[str, bool, bool]], spaces: list, size: float
) -> bool:
    """A hyphen ending the line a little apart from its word ("re" + " -": a justified line's
    letters spaced out), narrower than the line's narrowest word space and with no
    space printed before it: the word's own hyphen, no dash between words."""
    if len(row) < 2 or len(pieces) < 3 or not spaces or row[-1].space_before:
        return False
    if pieces[-1][0] not in "-\u2010" or pieces[-2][0] != " " or not pieces[-3][0][-1:].isalpha():
        return False
    width = spaces[-1][2]
    others = [w for _, _, w in spaces[:-1]]
    return bool(others) and width < min(others) - 0.05 * size and width < 0.35 * size


def _family(fontname: str) -> str:
    """ "ABCDEF+NotoSerif-BoldItalic" → "NotoSerif": the family, subset tag and style aside."""
    name = fontname.split("+", 1)[-1]
    return re.split(r"[-,]", name, maxsplit=1)[0]


def _small_capitals(
    row: list[_Glyph], size: float, carried: tuple[float, float] | None = None
) -> tuple[set[int], float]:
    """Glyphs set as small capitals, and the type size they are small against (0 if none):
    in words of capitals only, the capitals set clearly smaller than the line's largest
    capitals are lower-case letters ("INTRODUCTION" drawn as I + small NTRODUCTION, "OF" as
    two small capitals). `carried` is the (small, full) size of the small-capital line just
    above: a line of small capitals only has no full capital of its own to compare with."""
    capitals = [g for g in row if g.text.isalpha() and g.text.isupper()]
    if not capitals:
        return set(), 0.0
    big = max(g.size for g in capitals)
    if carried is not None and abs(big - carried[0]) <= 0.05 * carried[0] < carried[1] - big:
        big = carried[1]
    out: set[int] = set()
    word: list[_Glyph] = []

    def close() -> None:
        letters = [g for g in word if g.text.isalpha()]
        if letters and all(g.text.isupper() for g in letters):
            out.update(id(g) for g in letters if g.size < 0.9 * big)
        word.clear()

    prev = None
    for g in row:
        if prev is not None and (g.x0 - prev.x1 > 0.2 * size or g.space_before):
            close()
        word.append(g)
        prev = g
    close()
    return out, big if out else 0.0


def _edges(lines: list[Line], width: float, height: float) -> None:
    if not lines:
        return
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    for ln in lines:
        ln.left, ln.right = left, right
        ln.page_width, ln.page_height = width, height


def count_pdf_pages(path: str | Path) -> int:
    """The number of pages a PDF declares, read without parsing their content."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    path = Path(path)
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            return sum(1 for _ in PDFPage.create_pages(document))
    except Exception as error:  # only pdfminer runs here: the PDF's own failure
        # The reader's own exception stays in the chain (for logs), out of what staff see.
        raise ParseError(f"{path.name}: not a readable PDF (damaged or encrypted)") from error


# ---------------------------------------------------------------- furniture


def _furniture_key(text: str) -> str:
    """A margin line's text with its numbers (and their separators) ignored."""
    return re.sub(r"[\W\d_]+", "", text.lower())


# a page's lines at either edge that may be its furniture: a running head or footer wrapped
# over two lines, and the page number on a line of its own
_EDGE_LINES = 3


def split_furniture(lines: list[Line], pages: int) -> tuple[list[Line], list[Line]]:
    """(content, furniture): furniture is a line among the first or last three of its page, in
    the page's top or bottom margin, whose text (numbers aside) comes back at the same height
    on many pages (two in five), or that prints nothing but a page number."""
    by_page: dict[int, list[Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    edge: list[tuple[Line, str]] = []
    in_text: set[int] = set()  # lone numbers set close against the text: part of it
    for page_lines_ in by_page.values():
        ordered = sorted(page_lines_, key=lambda ln: ln.top)
        for k, ln in enumerate(ordered[:_EDGE_LINES]):
            if ln.bottom < MARGIN_SHARE * ln.page_height:
                edge.append((ln, "top"))
                if k + 1 < len(ordered) and _set_against(ln, ordered[k + 1]):
                    in_text.add(id(ln))
        last = max(0, len(ordered) - _EDGE_LINES)
        for k, ln in enumerate(ordered[last:], last):
            if ln.top > (1 - MARGIN_SHARE) * ln.page_height:
                edge.append((ln, "bottom"))
                if k > 0 and _set_against(ordered[k - 1], ln):
                    in_text.add(id(ln))
    # a running head or footer comes back at the same height on many pages
    tops: dict[tuple[str, str], dict[int, float]] = {}
    for ln, zone in edge:
        tops.setdefault((zone, _furniture_key(ln.text)), {}).setdefault(ln.page, ln.top)
    # on many pages: a table row or a heading may open a few pages at the same height too
    enough = max(2, min(pages, max(3, round(0.4 * pages))))
    repeated = set()
    for key, at in tops.items():
        heights = sorted(at.values())
        if key[1] and len(heights) >= enough:
            middle = heights[len(heights) // 2]
            if sum(1 for h in heights if abs(h - middle) <= 2.0) >= enough:
                repeated.add(key)
    furniture_ids = {id(ln) for ln in _running_slots(edge, enough)}
    for ln, zone in edge:
        lone_number = _LONE_NUMBER_RE.match(ln.text) and id(ln) not in in_text
        if lone_number or (zone, _furniture_key(ln.text)) in repeated:
            furniture_ids.add(id(ln))
    # furniture runs from the page's edge: a line past the text's first (or last) line is
    # text, whatever it prints (a title's last line "(II)" under its first)
    for page_lines_ in by_page.values():
        ordered = sorted(page_lines_, key=lambda ln: ln.top)
        for edge_lines, in_zone in (
            (ordered[:_EDGE_LINES], lambda ln: ln.bottom < MARGIN_SHARE * ln.page_height),
            (ordered[::-1][:_EDGE_LINES], lambda ln: ln.top > (1 - MARGIN_SHARE) * ln.page_height),
        ):
            inside = False
            for ln in edge_lines:
                inside = inside or id(ln) not in furniture_ids
                if inside and in_zone(ln):  # a short page's other margin keeps its own
                    furniture_ids.discard(id(ln))
    content = [ln for ln in lines if id(ln) not in furniture_ids]
    furniture = [ln for ln in lines if id(ln) in furniture_ids]
    return content, furniture


def _set_against(upper: Line, lower: Line) -> bool:
    """Two lines of one type size set at the text's own line spacing (a contents entry's
    page number wrapped below its title), not apart as a margin's line is."""
    return (
        upper.column == lower.column
        and abs(upper.size - lower.size) < 0.5
        and 0 <= lower.top - upper.bottom < 0.5 * lower.size
    )


def _running_slots(edge: list[tuple[Line, str]], enough: int) -> list[Line]:
    """Lines of a running head whose text changes along the document (the current section's
    name): a slot in the margin — one height, one type size — filled on many pages, where
    most texts come back on other pages. The first lines of the text area may share a height
    too, but what they print (headings, sentences) is not repeated page after page."""
    slots: dict[tuple[str, float], list[Line]] = {}
    for ln, zone in edge:
        slots.setdefault((zone, round(ln.size, 1)), []).append(ln)
    out: list[Line] = []
    for group in slots.values():
        group.sort(key=lambda ln: ln.top)
        cluster: list[Line] = []
        for ln in [*group, None]:
            if ln is not None and (not cluster or ln.top - cluster[-1].top <= 1.0):
                cluster.append(ln)
                continue
            pages = {c.page for c in cluster}
            if len(pages) >= enough:
                keys = Counter(_furniture_key(c.text) for c in cluster)
                again = sum(n for key, n in keys.items() if n >= 2 or not key)
                if again >= 0.75 * len(cluster):
                    out.extend(cluster)
            cluster = [ln] if ln is not None else []
    return out
