"""Two text columns on a page (layout.page_lines), read from drawn glyphs (no PDF): what is
set below the columns comes after both of them, also when a page footer prints at both
sides of the page below it. Words are drawn at random."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.layout import page_lines
from tests.ingest.test_brochure_line_fit import PAGE, glyphs, width

WORDS = st.text(alphabet="bcdfghklmnprtvz", min_size=3, max_size=6).map(lambda w: w + "ae")
LEFT, GUTTER, RIGHT = 60.0, 310.0, 540.0
SIZE, PITCH = 10.0, 12.0


def _column_line(words: list[str], x0: float, x1: float) -> str:
    """Words up to the column's width."""
    text = ""
    for word in words:
        if width(f"{text} {word}".strip(), SIZE) > x1 - x0:
            break
        text = f"{text} {word}".strip()
    return text


@given(
    st.lists(st.lists(WORDS, min_size=12, max_size=12), min_size=6, max_size=12),
    st.lists(WORDS, min_size=1, max_size=3),
    st.integers(2, 4),  # the gap above the heading, in lines
    st.integers(5, 40),  # the footer, in lines below the heading
    st.integers(1, 99),
)
def test_a_heading_below_two_columns_is_read_after_both(rows, heading, gap, below, number):
    drawn = []
    top = 100.0
    for words in rows:
        drawn += glyphs(_column_line(words, LEFT, GUTTER - 20), LEFT, top, SIZE)
        drawn += glyphs(_column_line(words[::-1], GUTTER, RIGHT), GUTTER, top, SIZE)
        top += PITCH
    title = " ".join(heading).upper()
    heading_top = top + gap * PITCH
    drawn += glyphs(title, LEFT, heading_top, SIZE, bold=True)
    footer_top = heading_top + below * PITCH
    drawn += glyphs("Running foot", LEFT, footer_top, 8.0)
    drawn += glyphs(str(number), RIGHT - width(str(number), 8.0), footer_top, 8.0)

    lines = page_lines(drawn, 1, *PAGE)
    texts = [line.text for line in lines]
    at = texts.index(title)
    column_lines = [k for k, line in enumerate(lines) if line.top < heading_top - 1]
    assert len(column_lines) == 2 * len(rows)
    assert max(column_lines) < at  # after the right column's last line, not inside the left
