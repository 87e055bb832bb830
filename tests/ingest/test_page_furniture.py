"""Page furniture (layout.split_furniture), on pages drawn at random: running heads and footers
come back in the margins page after page, whatever their wording, and may wrap over two lines
with the page number on a line of its own."""

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.layout import Line, split_furniture
from ingest.parsers.runs import Run

HEIGHT = 595.0
SIZE = 10.0
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
PHRASES = st.lists(WORDS, min_size=2, max_size=6).map(" ".join)


def line(page: int, top: float, text: str, size: float = SIZE) -> Line:
    return Line(
        page=page,
        top=top,
        bottom=top + size,
        x0=60.0,
        x1=60.0 + 5.0 * len(text),
        size=size,
        runs=[Run(text)],
        gaps=[],
        first_word=20.0,
        page_height=HEIGHT,
    )


@given(
    pages=st.integers(5, 12),
    head=PHRASES,
    foot=st.tuples(PHRASES, PHRASES),
    number_between=st.booleans(),
    body=st.lists(PHRASES, min_size=3, max_size=30),
    short=st.sets(st.integers(1, 12), max_size=3),
)
def test_a_running_footer_wrapped_over_two_lines_and_a_page_number(
    pages, head, foot, number_between, body, short
):
    """Also on a short page (a section's last lines): its head's margin and its foot's are
    each its own."""
    lines, expected_furniture = [], []
    for page in range(1, pages + 1):
        furniture = [line(page, 20.0, head)]
        bottom = [foot[0], str(page), foot[1]] if number_between else [*foot, str(page)]
        furniture += [line(page, 540.0 + 8.0 * k, text, 7.0) for k, text in enumerate(bottom)]
        # the text differs from page to page (a word of letters naming the page and line)
        text = [
            line(page, 60.0 + 14.0 * k, f"{body[(page + k) % len(body)]} {_letters(page, k)}")
            for k in range(1 if page in short else 30)
        ]
        lines += [furniture[0], *text, *furniture[1:]]
        expected_furniture += furniture
    content, furniture = split_furniture(lines, pages)
    assert [ln.text for ln in furniture] == [ln.text for ln in expected_furniture]
    assert len(content) == sum(1 if page in short else 30 for page in range(1, pages + 1))


def _letters(page: int, k: int) -> str:
    return chr(ord("a") + page) + chr(ord("a") + k % 26) + chr(ord("a") + k // 26)


@given(pages=st.integers(5, 12), head=PHRASES, numbered=st.sets(st.integers(1, 12), max_size=4))
def test_a_lone_number_under_a_pages_first_line_of_text_is_text(pages, head, numbered):
    """A title's last line "(II)" under its first line, at the top of a page: furniture runs
    from the page's edge, and this line is past the text's first line."""
    lines, titles = [], []
    for page in range(1, pages + 1):
        lines.append(line(page, 20.0, head, 8.0))
        title = [line(page, 47.0, f"Measures to prevent trafficking {_letters(page, 0)}")]
        if page in numbered:
            title.append(line(page, 68.0, "(II)"))
        body = [
            line(page, 100.0 + 14.0 * k, f"text of the page {_letters(page, k)}") for k in range(20)
        ]
        lines += [*title, *body]
        titles += title
    content, furniture = split_furniture(lines, pages)
    assert [ln.text for ln in furniture] == [head] * pages
    assert all(t in content for t in titles)
