"""Line-end hyphen rules both readers share (ingest/parsers/hyphens.py), without a PDF."""

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers import hyphens
from ingest.parsers.brochure_layout import _Words
from ingest.parsers.hyphens import broken_acronym, english_break, is_english
from ingest.parsers.layout import Line
from ingest.parsers.runs import Run, plain

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


# english_break: what English says when the document prints neither the joined word nor the
# compound. Made-up words and a made-up lexicon: the rule rests on no vocabulary of its own.
PIECES = st.text(alphabet="bcdfghklmnprstvz", min_size=3, max_size=6).map(lambda w: w + "o")


@given(PIECES, PIECES)
def test_halves_that_join_into_an_english_word_are_a_typesetters_break(head, tail):
    lexicon = {head + tail, head, tail}
    assert english_break(head, tail, lambda w: True, lexicon.__contains__) is True


@given(PIECES, PIECES, st.sampled_from(["ing", "ed"]), st.booleans())
def test_a_word_and_a_participle_are_a_compound(head, stem, ending, in_document):
    """ "decision-" + "making": English hyphenates a word before a participle; the halves are
    words of English or, in the document's own spelling, of the document."""
    tail = stem + ending
    lexicon = {head} if in_document else {head, tail}
    printed = {tail} if in_document else set()
    assert english_break(head, tail, printed.__contains__, lexicon.__contains__) is False


@given(PIECES, PIECES)
def test_two_nouns_tell_nothing(head, tail):
    """ "work-" + "plan" may be "workplan" or "work-plan": English does not tell."""
    lexicon = {head, tail}
    assert english_break(head, tail, lambda w: False, lexicon.__contains__) is None


@given(st.sampled_from(["three", "Seventy", "twenty", "hundred"]), PIECES)
def test_a_number_in_words_starts_a_compound(number, tail):
    assert english_break(number, tail, lambda w: False, lambda w: False) is False
    # a word that starts like a number joins up as the English word it makes
    assert english_break(number, tail, lambda w: False, {number + tail}.__contains__) is True


@given(PIECES, PIECES.map(lambda w: w + "ing"))
def test_pieces_that_are_no_words_are_left_to_the_reader(head, tail):
    assert english_break(head, tail, lambda w: False, lambda w: False) is None
    short = head[:2]  # "in-", "an-": too short to be taken for a compound's word
    assert english_break(short, tail, lambda w: True, lambda w: w != short + tail) is None


@given(st.sampled_from(sorted(hyphens._HYPHENATED_PREFIXES)), PIECES, st.booleans())
def test_a_prefix_before_a_word_keeps_its_hyphen_unless_english_joins_them(prefix, word, cap):
    """ "multi-" + "year", "in-" + "depth": a prefix or particle English hyphenates, before a
    word, is a compound's first piece; where the joined letters are an English word
    ("in-" + "form") the typesetter broke that word."""
    head = prefix.capitalize() if cap else prefix
    assert english_break(head, word, lambda w: False, lambda w: w.lower() == word) is False
    joined = {word, prefix + word}
    assert english_break(head, word, lambda w: False, lambda w: w.lower() in joined) is True
    # no word after the piece ("in-" + "vited"): English does not tell
    assert english_break(head, word, lambda w: False, lambda w: False) is None


def test_the_english_word_list_knows_common_words_and_not_compounds():
    assert is_english("together") and is_english("Solving")
    assert not is_english("problemsolving")
    assert english_break("to", "gether", lambda w: False) is True
    assert english_break("problem", "solving", lambda w: False) is False
    assert english_break("fifty", "seventh", lambda w: False) is False
    assert english_break("multi", "year", lambda w: False) is False
    assert english_break("in", "depth", lambda w: False) is False


@given(st.sampled_from("aeiou"), PIECES, PIECES)
def test_like_vowels_at_a_prefix_seam_keep_their_hyphen(vowel, prefix, word):
    """ "re-" + "edited": English writes a hyphen to keep like vowels apart, even where the
    joined letters are listed as a word."""
    head, tail = prefix + vowel, vowel + word
    lexicon = {head + tail, tail}
    assert english_break(head, tail, lambda w: False, lexicon.__contains__) is False
    # a suffix's short piece ("ski-" + "ing") is no word after a prefix
    assert english_break(head, vowel + "ng", lambda w: True, lambda w: True) is True


def _lines(*texts: str) -> list[Line]:
    return [
        Line(
            page=1,
            top=12.0 * i,
            bottom=12.0 * i + 10,
            x0=0.0,
            x1=300.0,
            size=10.0,
            runs=[Run(text)],
            gaps=[],
            first_word=20.0,
        )
        for i, text in enumerate(texts)
    ]


@given(CAPITALS, st.data(), st.integers(0, 3))
def test_an_acronym_broken_again_elsewhere_is_still_joined(word, data, again):
    """The brochure reader: the halves of a word broken at line ends ("PA-" | "TROL", in a
    heading and again in the text, "Pa-" | "trol") are no words printed, however often the
    typesetter breaks it there."""
    cut = data.draw(st.integers(1, len(word) - 1))
    head, tail = word[:cut], word[cut:]
    texts = ["Some words here"]
    for _ in range(again):
        texts += [f"in the {head.capitalize()}-", f"{tail.lower()} and more"]
    words = _Words(_lines(*texts, f"the {head}-", f"{tail} again"))
    joined = words.join([Run(f"the {head}-")], [Run(f"{tail} again")])
    assert plain(joined) == f"the {word} again"
