"""A slash joining two words or names, wherever a line end falls (issue 11: any typesetting
reads the same). A typesetter may break a line after a slash whether or not a space followed
it, and the line end cannot show which: the slash joins its words, in prose and in a table's
list alike, and a country line reads the same with or without a space after its slashes."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.brochure import parse_brochure_text
from ingest.parsers.brochure_layout import _Words
from ingest.parsers.runs import Run, plain

TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "partnership-opportunities-2010.txt"
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)
NAMES = WORDS.map(str.capitalize)


@given(st.lists(WORDS, max_size=4), st.one_of(WORDS, NAMES), st.one_of(WORDS, NAMES))
def test_a_line_broken_after_a_slash_joins_its_two_words(before, first, second):
    words = _Words([])
    head = [Run(" ".join([*before, f"{first}/"]))]
    joined = words.join(head, [Run(f"{second} and more")])
    assert plain(joined) == " ".join([*before, f"{first}/{second} and more"])


def test_a_country_line_reads_the_same_with_or_without_a_space_after_its_slashes():
    text = TEXT.read_text(encoding="utf-8")
    spaced = [line for line in text.splitlines() if "/ " in line and "\t" in line]
    assert spaced, "the fixture prints a country list with a space after a slash"
    brochure = parse_brochure_text(text, str(TEXT))
    unspaced = parse_brochure_text(text.replace("/ ", "/"), str(TEXT))
    for a, b in zip(brochure.projects, unspaced.projects, strict=True):
        assert (a.country_label, a.countries) == (b.country_label, b.countries)
        assert "/ " not in a.country_label
