"""Line-end hyphens: what both readers (brochure and report) decide the same way.

A typesetter may break any word at a line end with a hyphen; whether the hyphen stays is
decided from the document's own words first (brochure_layout, activity_report_layout): the
joined word printed elsewhere, and the compound not, is a typesetter's break. This module holds
the rules that need nothing of the document but the two halves: an acronym broken in two, and
what English says when the document prints neither form (`english_break`).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources

# the shortest half that tells a compound's word from a typesetter's piece ("an-" | "other")
_SHORTEST_WORD = 3
# a participle ("making", "based", "centred"): the second word of the compounds English
# writes with a hyphen, a noun before it ("decision-making", "evidence-based")
_PARTICIPLE_RE = re.compile(r"(?:ing|ed)$", re.IGNORECASE)
# numbers written in words: English joins them to what follows with a hyphen ("twenty-one",
# "three-year"); a word that merely starts like one joins up as an English word first
_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
    ]
)


# first pieces English writes with a hyphen before a word, prefixes and particles ("multi-year",
# "pre-departure", "socio-economic", "in-depth", "on-site"), in the spelling of the UN's
# editorial style; prefixes it closes up ("interregional", "subregional", "transnational")
# are not among them
_HYPHENATED_PREFIXES = frozenset(
    ["anti", "co", "cross", "mid", "multi", "non", "post", "pre", "pro", "re", "self", "semi"]
    + ["socio", "ultra", "vice", "in", "on", "off", "out", "up"]
)


def broken_acronym(head: str, tail: str, is_word: Callable[[str], bool]) -> bool:
    """An upper-case word broken at a line end ("IN-" + "TERPOL", "PA-" + "TROL"): acronyms
    are not written with a hyphen inside them, so the hyphen is a typesetter's, unless both
    halves are words the document prints (a pair of acronyms, "UNODC-UNHCR"; a compound set
    in capitals, "LONG-TERM")."""
    if not (head.isalpha() and tail.isalpha() and head.isupper() and tail.isupper()):
        return False
    if len(head) + len(tail) < 4:
        return False
    return not (is_word(head) and is_word(tail))


@cache
def english_words() -> frozenset[str]:
    """English words in lower case, inflected forms included: pyspellchecker's English word
    list (about 160,000 words, from subtitles and Wiktionary, US spelling). Read once, and only
    when a hyphen is left for English to decide."""
    data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
    return frozenset(json.loads(gzip.decompress(data)))


def is_english(word: str) -> bool:
    return word.lower() in english_words()


def english_break(
    head: str,
    tail: str,
    printed: Callable[[str], bool],
    english: Callable[[str], bool] = is_english,
) -> bool | None:
    """Whether "head-" at a line end and "tail" starting the next are one word a typesetter
    broke (True) or a compound whose hyphen the text prints (False), when the document prints
    neither the joined word nor the compound anywhere else; None when English does not tell.

    English is then the wider document. A hyphen between like vowels after a prefix is the
    text's ("re-" + "edited"): English writes one there to keep them apart. Else the joined
    letters make an English word ("an-" + "other", "im-" + "migration"), so the typesetter
    broke it. Else English grammar writes a hyphen after a number in words ("three-" +
    "year", "seventy-" + "fifth") and between a word and a participle ("decision-" +
    "making", "victim-" + "centred"), each a word of three letters or more, in English or in
    the document's own words (`printed`: the document's spelling, "centred", besides the
    word list's "centered"); two nouns are as often written joined ("work-" + "plan" was
    "workplan"), so they tell nothing. Else a prefix or particle English writes with a hyphen
    before a word ("multi-" + "year", "in-" + "depth") keeps it: the joined letters are no
    English word. Pieces that are no words ("Ander-" + "sson") are left to the reader's own
    rules. A compound the language also
    writes joined ("grass-roots", "grassroots") is read joined: nothing in the print or the
    language tells which the text meant."""

    def is_word(word: str) -> bool:
        return english(word) or printed(word.lower())

    if _doubled_vowel(head, tail) and len(tail) > _SHORTEST_WORD and is_word(tail):
        return False  # "re-" + "edited", "co-" + "owner", "pre-" + "empt"
    if english(head + tail):
        return True
    if head.lower() in _NUMBER_WORDS:
        return False  # "three-" + "year", "seventy-" + "fifth"
    if _PARTICIPLE_RE.search(tail) and all(
        len(h) >= _SHORTEST_WORD and is_word(h) for h in (head, tail)
    ):
        return False
    if head.lower() in _HYPHENATED_PREFIXES and len(tail) > _SHORTEST_WORD and is_word(tail):
        return False  # "multi-" + "year", "in-" + "depth", "re-" + "victimization"
    return None


def _doubled_vowel(head: str, tail: str) -> bool:
    """The seam doubles a vowel ("re" | "edited"): English writes a hyphen there after a
    prefix, to keep the two vowels apart (a suffix's piece, "ski" | "ing", is too short to be
    taken for the word after a prefix)."""
    return head[-1:].lower() in "aeiou" and head[-1:].lower() == tail[:1].lower()
