"""Line-end hyphen rules both readers share (ingest/parsers/hyphens.py), without a PDF."""

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.hyphens import broken_acronym

CAPITALS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=12)


@given(CAPITALS, st.data())
def test_an_acronym_broken_anywhere_is_joined_unless_both_halves_are_words(word, data):
    cut = data.draw(st.integers(1, len(word) - 1))
    head, tail = word[:cut], word[cut:]
    assert broken_acronym(head, tail, lambda w: False)
    assert not broken_acronym(head, tail, lambda w: True)  # "UNODC-UNHCR", "LONG-TERM"


@given(st.sampled_from(["cooper", "Inter", "PA", "in"]), st.sampled_from(["ation", "agency"]))
def test_words_not_all_in_capitals_are_left_to_the_readers_rules(head, tail):
    assert not broken_acronym(head, tail, lambda w: False)


def test_a_break_in_a_short_word_is_not_called_an_acronym_break():
    assert not broken_acronym("U", "N", lambda w: False)  # too short to tell ("U-N")
    assert not broken_acronym("G7", "G20", lambda w: False)  # digits: not a word
