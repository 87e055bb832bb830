"""The brochure's line pitch (brochure_layout._Pitch), learnt from drawn lines (no PDF): a
heading a little larger than the text under it, and spaced apart from it, does not teach
the reader that lines of the heading's size are set that far apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.brochure_layout import _Pitch
from ingest.parsers.layout import Line
from ingest.parsers.runs import Run


def _line(top: float, size: float) -> Line:
    return Line(
        page=1,
        top=top,
        bottom=top + size,
        x0=60.0,
        x1=400.0,
        size=size,
        runs=[Run("words")],
        gaps=[],
        first_word=20.0,
    )


@given(
    body=st.sampled_from([8.5, 9.0, 10.0, 11.0]),
    larger=st.floats(0.25, 0.45),  # the heading's size over the body's, in points
    leading=st.floats(1.15, 1.5),  # the body's line pitch, relative to its size
    apart=st.floats(1.9, 2.6),  # heading to the line under it, relative to the heading's size
    headings=st.integers(3, 8),
)
def test_a_heading_spaced_apart_teaches_no_pitch(body, larger, leading, apart, headings):
    size = body + larger
    lines, top = [], 60.0
    for _ in range(headings):
        lines.append(_line(top, size))
        top += apart * size
        for _ in range(4):  # a paragraph under it
            lines.append(_line(top, body))
            top += leading * body
        top += body
    pitch = _Pitch(lines)
    assert pitch.of(size) < apart * 0.9  # a heading and the line under it are not one block
    assert abs(pitch.of(body) - round(leading * body / body, 2)) < 0.05


@given(
    body=st.sampled_from([8.5, 9.0, 10.0, 11.0]),
    leading=st.floats(1.3, 1.8),  # the body's line pitch, relative to its size
    stray=st.floats(0.95, 1.25),  # a few marks printed off their lines' baselines
    strays=st.integers(3, 4),  # fewer than a twentieth of the pitches between lines
    paragraphs=st.integers(12, 30),
)
def test_a_few_lines_closer_than_the_text_teach_no_pitch(body, leading, stray, strays, paragraphs):
    """Three list markers set a little off their items' baselines, among many lines of text:
    the text's pitch is its lines', not theirs (its lines would each read as a paragraph)."""
    lines, top = [], 60.0
    for k in range(paragraphs):
        for _ in range(8):
            lines.append(_line(top, body))
            top += leading * body
        if k < strays:  # a mark just below the paragraph's last line
            lines.append(_line(lines[-1].top + stray * body, body))
        top += 2 * body
    assert abs(_Pitch(lines).of(body) - round(leading, 2)) < 0.05
