"""Word spaces from the gaps between glyphs (layout.py), on glyphs drawn at random: a justified
line's letter spacing is no word space, even before the hyphen that ends it."""

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.layout import _Glyph, page_lines

SIZE = 8.0
ADVANCE = 0.55 * SIZE
WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9), min_size=3, max_size=9
)


def drawn(words: list[str], word_space: float, before_hyphen: float, printed_space: bool):
    """The words set on one line with `word_space` between them, the last one followed by a
    hyphen `before_hyphen` apart (a space character printed before it with `printed_space`)."""
    glyphs, x = [], 50.0
    for k, word in enumerate(words):
        for i, char in enumerate(word):
            space = k > 0 and i == 0
            glyphs.append(
                _Glyph(char, x, x + ADVANCE, 100.0, 100.0 + SIZE, SIZE, False, False, space)
            )
            x += ADVANCE
        x += word_space
    x += before_hyphen - word_space
    glyphs.append(
        _Glyph("-", x, x + 0.35 * SIZE, 100.0, 100.0 + SIZE, SIZE, False, False, printed_space)
    )
    return page_lines(glyphs, 1, 595.0, 842.0)


@given(WORDS, st.floats(0.3, 0.8), st.data())
def test_a_hyphen_spaced_out_in_a_justified_line_stays_on_its_word(words, space, data):
    """Closer to its word than the line's word spaces are, and than a third of an em."""
    apart = data.draw(st.floats(0.21, min(0.34, space - 0.06)))
    (line,) = drawn(words, space * SIZE, apart * SIZE, printed_space=False)
    assert line.text == " ".join(words) + "-"


@given(WORDS, st.floats(0.3, 0.8))
def test_a_hyphen_after_a_printed_space_or_a_word_space_is_a_dash(words, space):
    (printed,) = drawn(words, space * SIZE, 0.25 * SIZE, printed_space=True)
    assert printed.text == " ".join(words) + " -"
    (spaced,) = drawn(words, space * SIZE, space * SIZE, printed_space=False)
    assert spaced.text == " ".join(words) + " -"
