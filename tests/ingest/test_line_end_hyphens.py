"""A hyphen at a line end (the report's PDF lines): removed when the joined word occurs
elsewhere in the document, kept as printed when the hyphenated word does (issue 11).

Words are drawn at random, so no rule can rest on one document's vocabulary."""

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.activity_report_layout import DocumentWords

WORDS = st.text(alphabet="bcdfghklmnprstvz", min_size=3, max_size=5).map(lambda w: w + "ae")
PROSE = st.lists(WORDS, min_size=3, max_size=8, unique=True)


def lines_of(*texts: str) -> list[str]:
    return [f"The {text} here" for text in texts]


@given(PROSE, WORDS, st.integers(2, 3))
def test_a_word_printed_elsewhere_is_joined_where_a_line_end_broke_it(prose, word, cut):
    words = DocumentWords(lines_of(" ".join(prose), f"and {word} too"))
    head, tail = f"one {word[:cut]}-", f"{word[cut:]} more"
    assert words.join(head, tail) == f"one {word} more"


@given(PROSE, WORDS, WORDS)
def test_a_compound_printed_elsewhere_keeps_its_hyphen(prose, first, second):
    words = DocumentWords(lines_of(" ".join(prose), f"and {first}-{second} too"))
    assert words.join(f"one {first}-", f"{second} more") == f"one {first}-{second} more"


@given(PROSE, WORDS, WORDS)
def test_a_word_printed_nowhere_else_keeps_its_hyphen_in_a_typesetting_that_breaks_none(
    prose, first, second
):
    words = DocumentWords(lines_of(" ".join(prose)))
    assert not words.hyphenates
    assert words.join(f"one {first}-", f"{second} more") == f"one {first}-{second} more"


@given(PROSE, WORDS, st.integers(2, 3))
def test_a_soft_hyphen_is_always_the_typesetters(prose, word, cut):
    words = DocumentWords(lines_of(" ".join(prose)))
    assert words.join(f"one {word[:cut]}\u00ad", f"{word[cut:]} more") == f"one {word} more"


def test_another_form_of_the_joined_word_printed_elsewhere_is_enough():
    words = DocumentWords(lines_of("views were expressed", "three other words"))
    assert words.join("people to ex-", "press their") == "people to express their"


def test_a_compound_printed_once_is_not_taken_for_a_typesetters_break():
    """In a typesetting that breaks words, a hyphen where English hyphenation allows no break
    ("longterm") is the text's own."""
    words = DocumentWords(["The cooperation of", "with cooper-", "ation of States"])
    assert words.hyphenates
    assert words.join("stages of long-", "term policy") == "stages of long-term policy"
    assert words.join("the Sin-", "gapore office") == "the Singapore office"
    assert words.join("were in-", "vited to") == "were invited to"


def test_an_abbreviation_before_a_number_as_the_document_sets_it():
    run_on = DocumentWords(lines_of("documents CTOC/COP/WG.4/2015/5 and WG.4 again"))
    assert run_on.join("(CTOC/COP/WG.4/2015/5 and Add.", "1).") == (
        "(CTOC/COP/WG.4/2015/5 and Add.1)."
    )
    spaced = DocumentWords(lines_of("see No. 5 and No. 6 of the series"))
    assert spaced.join("as in No.", "7 of the series") == "as in No. 7 of the series"


@given(
    name=st.from_regex(r"[A-Z][a-z]{0,8}", fullmatch=True),
    count=st.integers(min_value=0, max_value=10**6),
    noun=st.from_regex(r"[a-z]{2,12}", fullmatch=True),
)
def test_a_sentence_ending_before_a_count_keeps_its_space(name, count, noun):
    """Where the document sets its symbols run on ("WG.4"), a sentence that ends in a name
    before a line starting with a count is not taken for an abbreviation and its number."""
    run_on = DocumentWords(lines_of("documents CTOC/COP/WG.4/2015/5 and WG.4 again"))
    assert run_on.abbreviation_runs_on
    assert run_on.join(f"trained in {name}.", f"{count} {noun} took part") == (
        f"trained in {name}. {count} {noun} took part"
    )


def test_english_decides_what_the_document_does_not_print():
    """In a typesetting that breaks words, a word printed once, nowhere else whole or
    hyphenated: halves that make an English word are joined, a word before a participle
    keeps its hyphen (hyphens.english_break)."""
    words = DocumentWords(["The cooperation of", "with cooper-", "ation of States"])
    assert words.hyphenates
    assert words.join("brought to-", "gether again") == "brought together again"
    assert words.join("for problem-", "solving work") == "for problem-solving work"


SYMBOL_PARTS = st.lists(
    st.from_regex(r"[A-Z]{2,5}(?:\.\d{1,2})?|\d{4}|\d", fullmatch=True), min_size=3, max_size=6
)


@given(PROSE, SYMBOL_PARTS, st.data())
def test_a_symbol_broken_after_a_slash_runs_on_over_a_page_break(prose, parts, data):
    """ "(CTOC/COP/" at a page's foot, "WG.4/2015/4)." at the next one's head: the
    reader keeps one block, and the symbol has no space in it."""
    words = DocumentWords(lines_of(" ".join(prose)))
    cut = data.draw(st.integers(1, len(parts) - 1))
    head = f"see ({'/'.join(parts[:cut])}/"
    tail = f"{'/'.join(parts[cut:])}). More"
    assert words.runs_on(head, tail)
    assert words.join(head, tail) == f"see ({'/'.join(parts)}). More"
    assert not words.runs_on(f"see {prose[0]}", tail)  # a line ending in a word: a space
    # a paragraph's number after a symbol ending a sentence: the next paragraph
    number = data.draw(st.integers(1, 999))
    assert not words.runs_on(f"as its resolution {'/'.join(parts)}.", f"{number}. Also")
