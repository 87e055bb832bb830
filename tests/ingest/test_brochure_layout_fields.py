"""A project's label/value table as typesetters print it, read from drawn glyphs (no PDF, no
database): labels wrapped or broken in a narrow cell, labels in small capitals run in, values
broken at a line end, and tables set below two text columns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.brochure_layout import _Words, layout_blocks
from ingest.parsers.layout import Layout, _Glyph, page_lines
from ingest.parsers.runs import Run, plain

PAGE = (595.0, 842.0)
ADVANCE = 0.5  # a glyph's width, relative to its size
SPACE = 0.28  # a word space's


def glyphs(
    text: str, x: float, top: float, size: float = 10.0, small: float | None = None, upto=None
) -> list[_Glyph]:
    """`text` drawn from x on the line whose top is `top`; with `small`, its lower-case
    letters (up to index `upto`) drawn as capitals of that size (small capitals)."""
    out, space = [], False
    for k, char in enumerate(text):
        small_here = small if upto is None or k < upto else None
        if char == " ":
            x += SPACE * size
            space = True
            continue
        glyph_size = small_here if small_here and char.islower() else size
        drawn = char.upper() if small_here else char
        width = ADVANCE * glyph_size
        bottom = top + size
        out.append(
            _Glyph(
                drawn, x, x + width, bottom - glyph_size, bottom, glyph_size, False, False, space
            )
        )
        x += width
        space = False
    return out


def row(top: float, *cells: tuple[float, str], small_label: float | None = None) -> list[_Glyph]:
    """A table row: cells (x, text); the first cell in small capitals with `small_label`."""
    out = []
    for k, (x, text) in enumerate(cells):
        out += glyphs(text, x, top, small=small_label if k == 0 else None)
    return out


def blocks_of(*rows: list[_Glyph], next_page: tuple = ()) -> list[tuple[str, str, str]]:
    """The blocks read from rows drawn on a page (and `next_page`'s on the page after)."""
    lines = page_lines([g for r in rows for g in r], 1, *PAGE)
    if next_page:
        lines += page_lines([g for r in next_page for g in r], 2, *PAGE)
    layout = Layout("drawn.pdf", 2 if next_page else 1, lines, [])
    return [(b.kind, b.label, b.text) for b in layout_blocks(layout)]


LABEL_X, VALUE_X = 60.0, 150.0


def test_a_label_wrapped_in_its_cell_whose_value_did_not_wrap():
    """ "TOTAL" | "PLEDGES" in a narrow label cell, the value on the first line only: the
    label's last word alone on its line (here in small capitals, smaller than the value's
    type) neither ends the table nor becomes a paragraph."""
    blocks = blocks_of(
        row(100, (LABEL_X, "Budget"), (VALUE_X, "US$ 500")),
        row(114, (LABEL_X, "Total"), (VALUE_X, "US$ 200 from Norway")),
        glyphs("Pledges", LABEL_X, 128, small=8.0),
        row(142, (LABEL_X, "Shortfall"), (VALUE_X, "US$ 300")),
    )
    assert blocks == [
        ("field", "Budget", "US$ 500"),
        ("field", "Total Pledges", "US$ 200 from Norway"),
        ("field", "Shortfall", "US$ 300"),
    ]


def test_a_value_goes_on_beside_a_wrapped_label_in_small_capitals():
    """ "TOTAL" | "PLEDGES" in small capitals, the value wrapping beside both: the second
    line, measured smaller for its small capitals, still goes on with the value."""
    blocks = blocks_of(
        row(100, (LABEL_X, "Budget"), (VALUE_X, "US$ 500")),
        row(114, (LABEL_X, "Total"), (VALUE_X, "US$ 200 from Nor-")),
        glyphs("Pledges", LABEL_X, 128, small=8.0) + glyphs("way", VALUE_X, 128),
        row(142, (LABEL_X, "Shortfall"), (VALUE_X, "US$ 300")),
    )
    assert blocks[1] == ("field", "Total Pledges", "US$ 200 from Norway")
    assert blocks[2] == ("field", "Shortfall", "US$ 300")


@given(st.sampled_from(["Field Office", "Focal Point", "Shortfall"]), st.integers(2, 6))
def test_a_label_word_broken_with_a_hyphen_in_a_narrow_cell(label, cut):
    """ "Field Of-" | "fice:": the label is read whole, the value's lines joined."""
    head, last = label.rsplit(" ", 1) if " " in label else ("", label)
    cut = min(cut, len(last) - 2)
    first = f"{head} {last[:cut]}-".strip()
    blocks = blocks_of(
        row(100, (LABEL_X, "Budget:"), (VALUE_X, "US$ 500")),
        row(112, (LABEL_X, first), (VALUE_X, "Ms. Anne Example, Project")),
        row(124, (LABEL_X, f"{last[cut:]}:"), (VALUE_X, "Manager, Regional Office")),
    )
    assert blocks[-1] == ("field", label, "Ms. Anne Example, Project Manager, Regional Office")


def test_a_label_wrapped_over_a_page_break():
    """ "HQ Focal" at a page's foot, "Point" at the next page's head, the value beside both:
    one field, its value whole; the shortfall above keeps its own value."""
    blocks = blocks_of(
        row(700, (LABEL_X, "Budget"), (VALUE_X, "US$ 500")),
        row(712, (LABEL_X, "Shortfall"), (VALUE_X, "US$ 300")),
        row(724, (LABEL_X, "HQ Focal"), (VALUE_X, "Ms. Anne Example, Project Unit")),
        next_page=[
            row(60, (LABEL_X, "Point"), (VALUE_X, "Tel.: +43 1 2 E-mail: anne@example.org")),
            row(72, (LABEL_X, "Field Office"), (VALUE_X, "Mr. Bo Example")),
        ],
    )
    assert blocks == [
        ("field", "Budget", "US$ 500"),
        ("field", "Shortfall", "US$ 300"),
        (
            "field",
            "HQ Focal Point",
            "Ms. Anne Example, Project Unit Tel.: +43 1 2 E-mail: anne@example.org",
        ),
        ("field", "Field Office", "Mr. Bo Example"),
    ]


def test_a_small_capital_label_run_in_without_colon_or_column():
    """ "COUNTRY Global", the label in small capitals and the value in the body's type: the
    change to small capitals sets the label apart, and only the label's words are taken."""
    blocks = blocks_of(
        glyphs("Country Global", LABEL_X, 100, small=7.5, upto=7),
        glyphs("Budget US$ 500", LABEL_X, 112, small=7.5, upto=6),
        glyphs("Field Office Anand Example, UNODC", LABEL_X, 124, small=7.5, upto=12),
    )
    assert blocks == [
        ("field", "Country", "Global"),
        ("field", "Budget", "US$ 500"),
        ("field", "Field Office", "Anand Example, UNODC"),
    ]


def test_a_country_broken_at_a_line_end_is_joined_by_its_name():
    """ "the United King-" | "dom": "Kingdom" printed nowhere else in the document, but
    "United Kingdom" names a country: the typesetter's hyphen goes."""
    words = _Words([])
    joined = words.join([Run("US$ 5 from the United King-")], [Run("dom US$ 7 from Japan")])
    assert plain(joined) == "US$ 5 from the United Kingdom US$ 7 from Japan"
    kept = words.join([Run("a well-")], [Run("known US$ 7")])
    assert plain(kept) == "a well-known US$ 7"


def _two_columns(top: float, count: int, pitch: float) -> list[_Glyph]:
    out = []
    for k in range(count):
        out += glyphs("words of the left column text here", 60, top + k * pitch)
        out += glyphs("words of the right column text too", 320, top + k * pitch)
    return out


def test_a_table_below_two_columns_is_not_read_as_their_left_column():
    """Two description columns, a running head and a page footer alone at the right, and
    the next project's table below the columns, its rows short enough to fit in the left
    column: the table is read after both columns, in its own order."""
    head = glyphs("Partnership Section", 420, 30)
    columns = _two_columns(80, 6, 14)
    table = [
        glyphs("Next Project Title", 60, 80 + 6 * 14 + 20),
        row(80 + 6 * 14 + 38, (LABEL_X, "Country:"), (VALUE_X, "Colombia")),
        row(80 + 6 * 14 + 52, (LABEL_X, "Budget:"), (VALUE_X, "US$ 500")),
    ]
    foot = glyphs("Page 31 of 34", 470, 800)
    lines = page_lines(head + columns + [g for r in table for g in r] + foot, 1, *PAGE)
    texts = [ln.text for ln in lines]
    right = max(i for i, t in enumerate(texts) if t.startswith("words of the right"))
    assert texts.index("Next Project Title") > right
    assert texts[-3:] == ["Country: Colombia", "Budget: US$ 500", "Page 31 of 34"]
