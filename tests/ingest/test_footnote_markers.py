"""A footnote marker is known by being raised and small (issue 11), a sign as a number: the
layout writes a raised digit as its superscript character and a raised "*", "†", "‡" or "§"
as the text renditions write one ("^{*}"); the same signs set on the line stay as printed.

Lines are built from glyphs placed at random sizes, so no PDF and no database is needed."""

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers import layout
from ingest.parsers.activity_report_text import clean

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9)
SIZES = st.sampled_from([8.0, 9.0, 10.0, 11.0, 12.0])


def glyphs(word: str, x: float, size: float, raised: bool = False) -> list:
    """A word's glyphs from x on, on a baseline at 100 (raised: smaller, and set higher)."""
    scale = 0.6 if raised else 1.0
    top = 100 - size - (0.45 * size if raised else 0)
    bottom = top + size * scale * 1.2
    w = 0.5 * size * scale  # a glyph's width
    return [
        layout._Glyph(c, x + i * w, x + (i + 1) * w, top, bottom, size * scale, False, False)
        for i, c in enumerate(word)
    ]


def line_text(*parts: tuple[str, bool], size: float) -> str:
    out: list = []
    for word, raised in parts:
        x = out[-1].x1 + (0.0 if raised else 0.3 * size) if out else 72.0  # a raised marker
        out += glyphs(word, x, size, raised)  # sits against its word
    (line,) = layout.page_lines(out, 1, 595, 842)
    return line.text


@given(WORDS, WORDS, st.sampled_from("*†‡§"), SIZES)
def test_a_raised_small_sign_is_a_footnote_marker(before, after, sign, size):
    text = line_text((before, False), (sign, True), (after, False), size=size)
    assert text == f"{before}^{{{sign}}} {after}"
    assert clean(text) == f"{before} {after}"  # the report's reader drops it from the text


@given(WORDS, st.sampled_from(["**", "†‡", "***"]), SIZES)
def test_raised_signs_side_by_side_are_one_marker(word, signs, size):
    assert line_text((word, False), (signs, True), size=size) == f"{word}^{{{signs}}}"


@given(WORDS, st.integers(1, 99), SIZES)
def test_a_raised_small_number_is_a_footnote_marker(word, number, size):
    superscript = str(number).translate(layout.SUPERSCRIPT_OF)
    assert line_text((word, False), (str(number), True), size=size) == f"{word}{superscript}"


@given(WORDS, WORDS, st.sampled_from("*†‡§"), SIZES)
def test_a_sign_set_on_the_line_is_printed_as_is(before, after, sign, size):
    assert line_text((before, False), (sign, False), (after, False), size=size) == (
        f"{before} {sign} {after}"
    )
