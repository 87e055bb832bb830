"""Line-end hyphens: what both readers (brochure and report) decide the same way.

A typesetter may break any word at a line end with a hyphen; whether the hyphen stays is
decided from the document's own words (brochure_layout, activity_report_layout). This module
holds the rules that need nothing but the two halves.
"""

from __future__ import annotations

from collections.abc import Callable


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
