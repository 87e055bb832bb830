"""Two rules of the brochure's PDF lines, read from drawn glyphs (no PDF, no database): a
heading wrapped where its next word fits only by a word processor's measuring error is one
heading; a word a line end broke is joined when another number of it is printed elsewhere.

Words are drawn at random, so no rule can rest on one document's vocabulary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.brochure_layout import _Words, layout_blocks
from ingest.parsers.layout import Layout, _Glyph, page_lines
from ingest.parsers.runs import Run, plain

PAGE = (595.0, 842.0)
LEFT = 60.0
ADVANCE = 0.5  # a glyph's width, relative to its size
SPACE = 0.3  # a word space's

WORDS = st.text(alphabet="bcdfghklmnprtvz", min_size=3, max_size=5).map(lambda w: w + "ae")
PROSE = st.lists(WORDS, min_size=3, max_size=8, unique=True)


def glyphs(text: str, x: float, top: float, size: float, bold: bool = False) -> list[_Glyph]:
    out, space = [], False
    for char in text:
        if char == " ":
            x += SPACE * size
            space = True
            continue
        width = ADVANCE * size
        out.append(_Glyph(char, x, x + width, top, top + size, size, bold, False, space))
        x += width
        space = False
    return out


def width(text: str, size: float) -> float:
    return sum(SPACE * size if c == " " else ADVANCE * size for c in text)


def lines_of(*texts: str) -> list:
    drawn = [g for k, text in enumerate(texts) for g in glyphs(text, LEFT, 100 + 14 * k, 10)]
    return page_lines(drawn, 1, *PAGE)


@given(st.floats(min_value=-0.3, max_value=0.08))
def test_a_heading_wrapped_where_its_next_word_just_fits_is_one_heading(spare):
    """A bold heading's first line stops short of the text's right edge by the next line's
    first word, a word space and `spare` em more: within a tenth of an em, the word processor
    wrapped it (it measures in its own units, with kerning), so the two lines are one heading."""
    body, size = 10.0, 14.0
    prose = "words of the body text set full across the whole measure of the page here"
    right = LEFT + width(prose, body)
    second = "Migrant Smuggling Routes"
    first_word = width("Migrant", size)
    # the first line: words up to where the room left is first_word + (0.35 + spare) em
    room = first_word + (0.35 + spare) * size
    first = "Strengthening"
    while width(first + " Responses", size) < right - LEFT - room:
        first += " Responses"
    pad = right - LEFT - room - width(first, size)  # a last glyph drawn wider to fill
    heading = glyphs(first, LEFT, 60, size, bold=True)
    last = heading[-1]
    heading[-1] = _Glyph(last.text, last.x0, last.x1 + pad, 60, 60 + size, size, True, False)
    heading += glyphs(second, LEFT, 60 + 1.2 * size, size, bold=True)
    text = [g for k in range(5) for g in glyphs(prose, LEFT, 120 + 12 * k, body)]
    lines = page_lines(heading + text, 1, *PAGE)
    assert abs(lines[0].right - lines[0].x1 - room) < 0.01
    blocks = layout_blocks(Layout("drawn.pdf", 1, lines, []))
    assert blocks[0].text == f"{first} {second}"
    assert blocks[1].text.startswith(prose)


def test_a_heading_whose_next_line_would_have_fitted_well_is_apart():
    """The next line's first word would have fitted on the last with room to spare: the
    heading ended there, and the next bold line is a heading of its own."""
    body, size = 10.0, 14.0
    prose = "words of the body text set full across the whole measure of the page here"
    heading = glyphs("Short Heading", LEFT, 60, size, bold=True)
    heading += glyphs("Another Heading", LEFT, 60 + 1.2 * size, size, bold=True)
    text = [g for k in range(5) for g in glyphs(prose, LEFT, 120 + 12 * k, body)]
    blocks = layout_blocks(Layout("drawn.pdf", 1, page_lines(heading + text, 1, *PAGE), []))
    assert [b.text for b in blocks[:2]] == ["Short Heading", "Another Heading"]


@given(PROSE, WORDS, st.integers(2, 3))
def test_a_plural_broken_at_a_line_end_is_joined_when_its_singular_is_printed(prose, word, cut):
    words = _Words(lines_of(" ".join(prose), f"the {word} here"))
    joined = words.join([Run(f"the {word[:cut]}-")], [Run(f"{word[cut:]}s here")])
    assert plain(joined) == f"the {word}s here"


@given(PROSE, WORDS, st.integers(2, 3))
def test_a_singular_broken_at_a_line_end_is_joined_when_its_plural_is_printed(prose, word, cut):
    words = _Words(lines_of(" ".join(prose), f"the {word}s here"))
    joined = words.join([Run(f"a {word[:cut]}-")], [Run(f"{word[cut:]} here")])
    assert plain(joined) == f"a {word} here"


@given(PROSE, WORDS, WORDS)
def test_a_compound_printed_in_no_number_keeps_its_hyphen(prose, first, second):
    words = _Words(lines_of(" ".join(prose)))
    kept = words.join([Run(f"a {first}-")], [Run(f"{second}s here")])
    assert plain(kept) == f"a {first}-{second}s here"


@given(PROSE, WORDS, WORDS, st.integers(2, 3))
def test_a_compound_broken_in_its_first_word_is_joined_by_that_word(prose, word, other, cut):
    """ "Transna-" | "tional-crime": the compound is printed once, its first word elsewhere."""
    words = _Words(lines_of(" ".join(prose), f"the {word} here"))
    joined = words.join([Run(f"the {word[:cut]}-")], [Run(f"{word[cut:]}-{other} here")])
    assert plain(joined) == f"the {word}-{other} here"


def _table_page(value_pitch: float) -> list[tuple[str, str, str]]:
    """Body text at a pitch of 1.2, then a table whose cells set a wrapped value's lines
    `value_pitch` (relative to the type size) apart."""
    prose = "words of the body text set full across the whole measure of the page here"
    drawn = [g for k in range(6) for g in glyphs(prose, LEFT, 60 + 12 * k, 10)]
    value_x, top = 150.0, 160.0
    rows = [
        ("Budget", "US$ 500"),
        ("Pledges", "US$ 100 from Austria US$"),
        (None, "200 from Norway"),
        ("Shortfall", "US$ 200"),
    ]
    for label, value in rows:
        if label:
            drawn += glyphs(label, LEFT, top, 10)
        drawn += glyphs(value, value_x, top, 10)
        top += value_pitch * 10 if label is None or label == "Pledges" else 15
    lines = page_lines(drawn, 1, *PAGE)
    return [(b.kind, b.label, b.text) for b in layout_blocks(Layout("drawn.pdf", 1, lines, []))]


@given(st.floats(min_value=1.2, max_value=2.3))
def test_a_value_wrapped_in_its_column_at_the_cells_own_pitch_goes_on(value_pitch):
    """A table cell may space its lines further apart than the body text: a line that starts
    where the value above started, within two body pitches, goes on with that value."""
    assert _table_page(value_pitch)[-3:] == [
        ("field", "Budget", "US$ 500"),
        ("field", "Pledges", "US$ 100 from Austria US$ 200 from Norway"),
        ("field", "Shortfall", "US$ 200"),
    ]


def test_a_line_in_the_value_column_further_than_two_pitches_is_apart():
    assert ("para", "", "200 from Norway") in _table_page(3.0)


def test_a_label_in_capitals_run_in_before_a_value_in_capitals_and_figures():
    """ "BUDGET US$ 500": a known label set in capitals, run in without colon, column or
    change of style, before a value that is not all capitals (figures, lower case) — even
    when the value starts with a capital ("COUNTRY Global", "BUDGET US$ …")."""
    drawn = []
    for k, text in enumerate(["COUNTRY Global", "BUDGET US$ 500", "TOTAL PLEDGES US$ 200"]):
        drawn += glyphs(text, LEFT, 100 + 14 * k, 10)
    drawn += glyphs("AFRICA AND THE MIDDLE EAST", LEFT, 160, 10)
    lines = page_lines(drawn, 1, *PAGE)
    blocks = [(b.kind, b.label, b.text) for b in layout_blocks(Layout("d.pdf", 1, lines, []))]
    assert blocks == [
        ("field", "COUNTRY", "Global"),
        ("field", "BUDGET", "US$ 500"),
        ("field", "TOTAL PLEDGES", "US$ 200"),
        ("para", "", "AFRICA AND THE MIDDLE EAST"),
    ]
