"""A project's label/value table as typesetters print it, read from drawn glyphs (no PDF, no
database): labels wrapped or broken in a narrow cell, labels in small capitals run in, values
broken at a line end, and tables set below two text columns."""

from __future__ import annotations

from dataclasses import replace

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


RIGHT = 535.0  # the text's right edge in the drawings below
PITCH = 12.0  # their line pitch, for type of size 10


def _width(text: str, size: float = 10.0) -> float:
    return sum(SPACE * size if c == " " else ADVANCE * size for c in text)


def _run_in(label: str, value: str, top: float, value_x: float = VALUE_X) -> list[_Glyph]:
    """A row whose label ends one word space before its value (a right-aligned label before
    a tab stop, or a table cell set tight): no wide gap parts them."""
    return glyphs(f"{label}: {value}", value_x - _width(f"{label}: "), top)


def _prose(top: float, count: int, x: float = LABEL_X, right: float = RIGHT) -> list[list]:
    """`count` justified lines of text from x to `right`, one pitch apart."""
    line = "words of the text that follows the table and fills its measure"
    out = []
    for k in range(count):
        text = line
        while _width(text + " more") <= right - x:
            text += " more"
        out.append(glyphs(text, x, top + k * PITCH))
    return out


def _full(text: str, x: float) -> str:
    """`text` lengthened with words until the next word would not fit before RIGHT."""
    while _width(text + " words") <= RIGHT - x:
        text += " words"
    return text


def test_text_after_a_table_whose_values_wrap_into_their_column_ends_the_table():
    """A table's rows set tight (no wide gap between label and value) whose values wrap into
    the value column; the last row's value fills its last line at a page's foot; the next
    page starts at the text's edge: that line starts the text after the table, it does not go
    on with the last value — a value's lines go on in its column, not left of it."""
    value = _full("Mr. Bo Example, Regional Office Tel.: +1 2 3 E-mail:", VALUE_X)
    page_one = [
        *_prose(600, 4),
        _run_in("Budget", "US$ 500", 660),
        _run_in("HQ Focal Point", _full("Ms. Anne Example, Anti-Human Trafficking", VALUE_X), 672),
        glyphs("Unit Tel.: +1 2 4 E-mail: anne.example@example.org", VALUE_X, 684),
        _run_in("Field Office", value, 696),
        glyphs(_full("+1 2 5 E-mail: bo.example@example.org and", VALUE_X), VALUE_X, 708),
    ]
    blocks = blocks_of(*page_one, next_page=_prose(60, 4))
    fields = [b for b in blocks if b[0] == "field"]
    assert [b[1] for b in fields] == ["Budget", "HQ Focal Point", "Field Office"]
    assert "bo.example@example.org" in fields[-1][2]
    assert "follows" not in fields[-1][2]
    after = blocks[blocks.index(fields[-1]) + 1]
    assert after[0] == "para" and after[2].startswith("words of the text that follows")


def test_a_value_run_in_wraps_back_to_the_edge_over_a_page_break():
    """Rows run in after their labels, their values wrapping back to the text's edge: the
    line at the next page's edge goes on with the value the page break interrupted."""
    first = _full("Ms. Anne Example, Anti-Human Trafficking Unit", LABEL_X + _width("Field: "))
    blocks = blocks_of(
        *_prose(600, 4),
        glyphs("Budget: US$ 500", LABEL_X, 660),
        glyphs(f"Field Office: {first}", LABEL_X, 672),
        next_page=[
            glyphs("Tel.: +1 2 4 E-mail: anne.example@example.org", LABEL_X, 60),
            *_prose(80, 4),
        ],
    )
    field = next(b for b in blocks if b[1] == "Field Office")
    assert field[2].endswith("Tel.: +1 2 4 E-mail: anne.example@example.org")


def test_text_set_in_columns_after_a_table_run_in_ends_the_table():
    """Rows run in across the page's full measure, the text after them in two columns,
    following at the table's own pitch: a line of the left column is set to another measure
    than the value above it and does not go on with it."""
    columns = []
    for k in range(5):
        top = 700 + k * PITCH
        columns += glyphs("words of the left column text here", LABEL_X, top)
        columns += glyphs("words of the right column text too", 320, top)
    blocks = blocks_of(
        *_prose(600, 4),
        glyphs("Budget: US$ 500", LABEL_X, 652),
        glyphs(f"Field Office: {_full('Ms. Anne Example, Regional Office', 130)}", LABEL_X, 664),
        glyphs(_full("Tel.: +1 2 4 E-mail: anne.example@example.org", LABEL_X), LABEL_X, 676),
        glyphs(_full("and more", LABEL_X), LABEL_X, 688),
        columns,
    )
    field = next(b for b in blocks if b[1] == "Field Office")
    assert "left column" not in field[2]
    assert any(b[0] == "para" and b[2].startswith("words of the left column") for b in blocks)


@given(st.sampled_from([("Field", "Office"), ("Total", "Pledges"), ("Field", "Office:")]))
def test_a_label_wrapped_after_a_word_that_is_a_label_itself(words):
    """ "Field" | "Office" in a narrow label cell: the first word alone is a label too, but
    the words below it before the value column make a longer one — one row, its value whole;
    a row whose own label is below a whole label stays a row of its own."""
    head, tail = words
    label = f"{head} {tail}".rstrip(":")
    blocks = blocks_of(
        row(100, (LABEL_X, "Budget"), (VALUE_X, "US$ 500")),
        row(114, (LABEL_X, head), (VALUE_X, "Ms. Anne Example, Project Manager,")),
        row(128, (LABEL_X, tail), (VALUE_X, "Regional Office Tel.: +1 2 E-mail:")),
        glyphs("anne.example@example.org", VALUE_X, 142),
        row(156, (LABEL_X, "Shortfall"), (VALUE_X, "US$ 300")),
    )
    assert blocks == [
        ("field", "Budget", "US$ 500"),
        (
            "field",
            label,
            "Ms. Anne Example, Project Manager, Regional Office Tel.: +1 2 E-mail: "
            "anne.example@example.org",
        ),
        ("field", "Shortfall", "US$ 300"),
    ]


def test_a_title_after_a_page_break_is_not_the_last_sentence_s_next_line():
    """A paragraph ends a sentence on its page's last line, full; the next page opens with a
    project's title set like the body text (same size, weight and font) and its table: the
    title is a paragraph of its own, not the sentence's next line."""
    last = _full("and the text goes on to its end", LABEL_X)
    last = last.rsplit(" ", 1)[0] + " end."
    blocks = blocks_of(
        *_prose(660, 4),
        glyphs(last, LABEL_X, 660 + 4 * PITCH),
        next_page=[
            glyphs("Programme Example Title (ABC12)", LABEL_X, 60),
            row(60 + PITCH + 4, (LABEL_X, "Country:"), (VALUE_X, "Global")),
            row(60 + 2 * PITCH + 4, (LABEL_X, "Budget:"), (VALUE_X, "US$ 500")),
            *_prose(60 + 4 * PITCH, 4),
        ],
    )
    first = next(i for i, b in enumerate(blocks) if b[0] == "field")
    assert blocks[first - 1] == ("para", "", "Programme Example Title (ABC12)")
    assert blocks[first - 2][2].endswith(" end.")


def test_a_list_item_ends_at_its_short_last_line_before_a_page_break():
    """A list's last item ends on a short line at a page's foot; the facing page, its margin
    further right, opens with a bold title at its edge — right of the item's indent on the
    page before — and a table: the title starts a block, it does not go on with the item.
    An item whose line is full goes on over the break."""
    shift = 40.0  # the facing page's margin, further right
    item = "that fills the item's line"

    def page_one(last: str) -> list:
        return [
            *_prose(640, 4),
            glyphs("• First item of the list", LABEL_X, 640 + 4 * PITCH),
            glyphs(_full(f"• Second item {item}", LABEL_X), LABEL_X, 640 + 5 * PITCH),
            glyphs(last, LABEL_X + 8, 640 + 6 * PITCH),
        ]

    page_two = [
        glyphs("Programme Example Title (ABC12)", LABEL_X + shift, 60),
        row(60 + PITCH + 4, (LABEL_X + shift, "Country:"), (VALUE_X + shift, "Global")),
        row(60 + 2 * PITCH + 4, (LABEL_X + shift, "Budget:"), (VALUE_X + shift, "US$ 500")),
        *_prose(60 + 4 * PITCH, 4, x=LABEL_X + shift),
    ]
    for g in page_two[0]:
        g.bold = True
    blocks = blocks_of(*page_one("of the list."), next_page=page_two)
    items = [b for b in blocks if b[0] == "item"]
    assert items[-1][2].endswith("of the list.")
    first = next(i for i, b in enumerate(blocks) if b[0] == "field")
    assert blocks[first - 1] == ("para", "", "Programme Example Title (ABC12)")


ROWS_BY_WORDS = [
    ("countries", "Argentina/Bolivia; Burundi"),
    ("countries", "Sub-Region – West Central Africa"),
    ("region", "Global"),
    ("budget", "US$ 1,200,000"),
    ("total pledges", "US$ 700,000 (Belgium)"),
    ("shortfall", "US$ 500,000"),
    ("hq focal point", "Mr. Martin Fowke, Anti-Human Trafficking Unit"),
    ("field office", "Anand Chaudhuri, Project Coordinator"),
]
LABEL_CASES = st.sampled_from([str.lower, str.title, str.capitalize])


@given(
    LABEL_CASES,
    st.lists(st.sampled_from(ROWS_BY_WORDS), min_size=3, max_size=7, unique_by=lambda r: r[0]),
)
def test_labels_told_by_their_words_alone(case, rows):
    """Labels run in before their values, set as the values are (no colon, no column, no
    change of style: "countries Argentina/Bolivia"), under a title whose second line opens
    with a label's word: a table of several fields is read by its labels' words; a label
    ends where the labels' words end ("field office Anand"); the title stays a title."""
    title = [_full("Joint Programmes to Combat Smuggling in the", LABEL_X), "region (XAWT24)"]
    drawn = [
        [replace(g, bold=True) for g in glyphs(text, LABEL_X, 72.0 + 14 * k)]
        for k, text in enumerate(title)
    ]
    for k, (label, value) in enumerate(rows):
        drawn.append(glyphs(f"{case(label)} {value}", LABEL_X, 100.0 + 14 * k))
    blocks = blocks_of(*drawn)
    assert blocks[0] == ("para", "", " ".join(title))
    assert blocks[1:] == [("field", case(label), value) for label, value in rows]


def test_a_sentence_opening_a_line_with_a_labels_word_is_no_row():
    """Prose whose lines open with "budget" or "region": one paragraph, no table; a sum's
    label before an amount alone on its line is a row (a partnership example's budget)."""
    blocks = blocks_of(
        glyphs(_full("The programme's activities are funded from its", LABEL_X), LABEL_X, 100),
        glyphs(_full("budget of the year, which the", LABEL_X), LABEL_X, 100 + PITCH),
        glyphs("region shares with its partners.", LABEL_X, 100 + 2 * PITCH),
        glyphs("Example 1: Training of officers (2 years)", LABEL_X, 160),
        glyphs("budget US$ 300,000 (no current pledges)", LABEL_X, 174),
    )
    assert [kind for kind, _, _ in blocks[:1]] == ["para"]
    assert "budget of the year" in blocks[0][2] and "region shares" in blocks[0][2]
    assert blocks[-1] == ("field", "budget", "US$ 300,000 (no current pledges)")


def test_a_value_going_on_with_a_labels_word_after_labels_set_apart():
    """Bold labels with colons: a focal point's value that goes on on a line opening with
    "Country Office" goes on; no table by words alone is read where labels are set apart."""
    bold = [
        [
            replace(g, bold=g.x0 < LABEL_X + _width(label))
            for g in glyphs(f"{label} {value}", LABEL_X, top)
        ]
        for top, (label, value) in [
            (100, ("Budget:", "US$ 500")),
            (114, ("Shortfall:", "US$ 300")),
            (128, ("Field Office:", "Mr. Matteo Pasquali, Criminal Justice Expert, Afghanistan")),
        ]
    ]
    blocks = blocks_of(*bold, glyphs("Country Office Tel.: (+93-20) 230-2233", LABEL_X, 142))
    assert blocks[-1] == (
        "field",
        "Field Office",
        "Mr. Matteo Pasquali, Criminal Justice Expert, Afghanistan Country Office Tel.: (+93-20)"
        " 230-2233",
    )


@given(
    st.lists(
        st.from_regex(r"US\$ [1-9]\d{0,2},\d{3} from [A-Z][a-z]{3,9}", fullmatch=True),
        min_size=2,
        max_size=5,
    )
)
def test_a_value_wraps_into_the_column_after_a_label_set_apart_by_a_space(pledges):
    """ "TOTAL PLEDGES US$ 125,000 from Turkey" with the label in italic, right-aligned a word
    space before the value (no gap, no colon): the value's next lines, set where it began,
    go on with it, though the table spaces its lines wider than the text's pitch."""

    def label_row(label: str, value: str, top: float) -> list:
        drawn = glyphs(f"{label} {value}", VALUE_X - _width(f"{label} "), top)
        return [replace(g, italic=g.x0 < VALUE_X - 1) for g in drawn]

    step = 1.4 * PITCH
    drawn = [*_prose(300, 6), label_row("BUDGET", "US$ 6,576,097", 100)]
    drawn.append(label_row("TOTAL PLEDGES", pledges[0], 100 + step))
    drawn += [glyphs(p, VALUE_X, 100 + step * (k + 2)) for k, p in enumerate(pledges[1:])]
    drawn.append(label_row("SHORTFALL", "US$ 4,475,605", 100 + step * (len(pledges) + 1)))
    assert blocks_of(*drawn)[:3] == [
        ("field", "BUDGET", "US$ 6,576,097"),
        ("field", "TOTAL PLEDGES", " ".join(pledges)),
        ("field", "SHORTFALL", "US$ 4,475,605"),
    ]


def _justified(words: list[str], x: float, right: float, top: float) -> list:
    """`words` set from x to `right`, their spaces stretched alike to fill the measure."""
    inner = (right - x - sum(_width(w) for w in words)) / max(1, len(words) - 1)
    out, at = [], x
    for word in words:
        out += glyphs(word, at, top)
        at += _width(word) + inner
    return out


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["countries", "region", "budget", "location", "shortfall"]),
            st.lists(st.from_regex(r"[a-z]{2,8}", fullmatch=True), min_size=1, max_size=2),
        ),
        min_size=4,
        max_size=8,
    )
)
def test_a_justified_narrow_column_whose_lines_open_with_labels_words_is_prose(lines):
    """A narrow justified column ("countries      adopted      in"): its spaces are stretched
    alike, none parts a label from a value, however many lines open with a label's word."""
    drawn = []
    for k, (first, rest) in enumerate(lines):  # each after a line of the text's own words
        filler = ["and", "some" + "s" * (k % 4), "people", "whose" + "e" * (k * 3 % 5)]
        drawn.append(_justified(filler, LABEL_X, LABEL_X + 150, 100 + PITCH * 2 * k))
        drawn.append(_justified([first, *rest], LABEL_X, LABEL_X + 150, 100 + PITCH * (2 * k + 1)))
    assert all(kind == "para" for kind, _, _ in blocks_of(*drawn))


@given(st.sampled_from([("HQ FOCAL", "POINT"), ("Total", "Pledges"), ("FIELD", "OFFICE:")]))
def test_a_label_wrapped_in_its_cell_with_its_value_on_the_next_page(words):
    """ "HQ FOCAL" | "POINT" at a page's foot, nothing beside them, the value at the next
    page's head in the value column: one field; two short lines of a paragraph that only
    mention a contact are no label."""
    first, second = words
    blocks = blocks_of(
        row(700, (LABEL_X, "Budget"), (VALUE_X, "US$ 500")),
        glyphs(first, LABEL_X, 712),
        glyphs(second, LABEL_X, 722),
        next_page=[
            glyphs("Ms. Anne Example, Project Unit", VALUE_X, 60),
            glyphs("Tel.: +43 1 2 E-mail: anne@example.org", VALUE_X, 72),
            *_prose(100, 3),  # the description, from the text's edge
        ],
    )
    label = f"{first} {second}".rstrip(":")
    assert blocks[:2] == [
        ("field", "Budget", "US$ 500"),
        ("field", label, "Ms. Anne Example, Project Unit Tel.: +43 1 2 E-mail: anne@example.org"),
    ]
    prose = blocks_of(
        glyphs("For details please", LABEL_X, 100), glyphs("contact us", LABEL_X, 110)
    )
    assert [kind for kind, _, _ in prose] == ["para"]


@given(
    st.lists(st.from_regex(r"[A-Z][a-z]{3,9}", fullmatch=True), min_size=4, max_size=8),
    st.data(),
)
def test_a_footnote_broken_off_in_mid_sentence_goes_on_at_the_next_pages_foot(names, data):
    """ "² Member States …: Albania, Greece," at one page's foot, "Moldova, Romania and
    Ukraine." at the next one's: one note, whether or not the text it belongs to was placed
    before the page break ended."""
    cut = data.draw(st.integers(1, len(names) - 1))
    head = f"² Member States: {', '.join(names[:cut])},"
    tail = f"{', '.join(names[cut:])}."
    blocks = blocks_of(
        *_prose(100, 3),
        row(150, (LABEL_X, "Country"), (VALUE_X, "Member States of BSEC ²")),
        glyphs(head, LABEL_X, 780, size=8.0),
        next_page=[*_prose(100, 4), glyphs(tail, LABEL_X, 780, size=8.0)],
    )
    notes = [text for kind, _, text in blocks if text.startswith("²")]
    assert notes == [f"{head} {tail}"]
    assert not any(text == tail for _, _, text in blocks)


@given(st.sampled_from([("total", "pledges"), ("TOTAL", "PLEDGES:"), ("Field", "Office")]))
def test_a_labels_last_word_alone_at_the_next_pages_head(words):
    """ "total US$ 0" at a page's foot, "pledges" alone at the next page's head: the label
    is "total pledges", its value the one beside its first words."""
    first, second = words
    blocks = blocks_of(
        row(700, (LABEL_X, "Budget"), (VALUE_X, "US$ 500")),
        row(712, (LABEL_X, first), (VALUE_X, "US$ 0")),
        next_page=[
            glyphs(second, LABEL_X, 60),
            row(72, (LABEL_X, "Shortfall"), (VALUE_X, "US$ 500")),
        ],
    )
    assert blocks == [
        ("field", "Budget", "US$ 500"),
        ("field", f"{first} {second}".rstrip(":"), "US$ 0"),
        ("field", "Shortfall", "US$ 500"),
    ]


def _entry(title: str, page: int, top: float) -> list:
    """A contents entry's line: its title, middle-dot leaders and its page number at RIGHT."""
    number = str(page)
    dots = "·" * int((RIGHT - LABEL_X - _width(title) - _width(number)) / _width("·") - 1)
    return glyphs(f"{title}{dots}{number}", LABEL_X, top)


@given(
    st.lists(
        st.from_regex(r"[A-Z][a-z]{3,9}( [a-z]{2,9}){2,6}", fullmatch=True), min_size=2, max_size=5
    ),
    st.integers(5, 90),
)
def test_contents_entries_set_close_take_no_line_after_their_page_number(titles, first_page):
    """Entries set at the text's pitch, one with its leaders and number wrapped onto a line
    of their own: each entry ends at its page number; the next entry's first line does not
    join it."""
    drawn, top = [], 100.0
    for k, title in enumerate(titles):
        if k % 2:  # the title alone, its leaders and number on the next line
            drawn.append(glyphs(title, LABEL_X, top))
            drawn.append(_entry("", first_page + k, top + PITCH))
            top += 2 * PITCH
        else:
            drawn.append(_entry(title, first_page + k, top))
            top += PITCH
    lines = page_lines([g for r in drawn for g in r], 1, *PAGE)
    blocks = layout_blocks(Layout("drawn.pdf", 1, lines, []))
    assert [(b.text, b.page_ref) for b in blocks] == [
        (title, first_page + k) for k, title in enumerate(titles)
    ]


def test_a_label_in_small_capitals_at_a_pages_foot_is_no_footnotes_end():
    """After a note broken off in mid-sentence, the next page's foot opens a table with a
    label in small capitals (its letters smaller than the text's): a row, not the note's
    end; nor is a small line two pages on."""
    head = "² Member States: Albania, Greece,"
    blocks = blocks_of(
        *_prose(100, 3),
        glyphs(head, LABEL_X, 780, size=8.0),
        next_page=[*_prose(100, 4), glyphs("country Albania", LABEL_X, 780, small=7.2, upto=7)],
    )
    assert [text for _, _, text in blocks if text.startswith("²")] == [head]
    assert ("field", "country", "Albania") in blocks


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[A-Z][a-z]{3,9}( [a-z]{2,9}){2,5}", fullmatch=True),
            st.from_regex(r"[a-z]{3,9}( [a-z]{2,9}){0,3}", fullmatch=True),
        ),
        min_size=2,
        max_size=5,
    ),
    st.integers(5, 90),
)
def test_contents_entries_numbered_on_their_first_line_take_their_titles_rest(entries, page):
    """Entries whose number ends their first line, the title going on below it (as the 2010
    brochure sets them): each entry is its two lines, with its number."""
    drawn, top = [], 100.0
    for k, (first, rest) in enumerate(entries):
        drawn.append(
            glyphs(first, LABEL_X, top) + glyphs(str(page + k), RIGHT - _width(str(page + k)), top)
        )
        drawn.append(glyphs(rest, LABEL_X, top + PITCH))
        top += 2 * PITCH
    lines = page_lines([g for r in drawn for g in r], 1, *PAGE)
    blocks = layout_blocks(Layout("drawn.pdf", 1, lines, []))
    assert [(b.text, b.page_ref) for b in blocks] == [
        (f"{first} {rest}", page + k) for k, (first, rest) in enumerate(entries)
    ]
