"""Every rendition of a fixed set of typesettings reads as the text rendition does.

The renditions are rendered once per session (tests/typesetting/conftest.py); each test
compares one rendition's report with the text rendition's, field by field, pages aside.
`make typesetting-sweep N=200` runs the same check on random typesettings.
"""

import pytest

from tests.typesetting.renditions import Spec
from tests.typesetting.styles import LABEL_CONTAINERS, LEADERS, PAGE_NUMBER_FORMATS, PAGES_MM

# One worker renders every rendition (in processes of its own) while the others run the rest.
pytestmark = [pytest.mark.typesetting, pytest.mark.xdist_group("typesetting")]

# Six seeds per document and producer: 12 renditions of each document from two engines.
# The seeds were picked (greedily, from the first 400) so that together they vary every
# dimension styles.py draws; test_the_fixed_seeds_cover_the_dimensions keeps that true.
_SEEDS = {
    ("brochure", "weasyprint"): (7, 45, 329, 11, 193, 97),
    ("brochure", "libreoffice"): (9, 29, 14, 257, 25, 331),
    ("report", "weasyprint"): (1, 112, 17, 31, 62, 10),
    ("report", "libreoffice"): (2, 117, 5, 12, 63, 16),
}
CI_SEEDS = [
    Spec(kind, producer, seed) for (kind, producer), seeds in _SEEDS.items() for seed in seeds
]
# Both documents' renditions run in `make test`; `-m report_typesetting` picks the report's.
RENDITIONS = [
    pytest.param(s, id=s.name, marks=[pytest.mark.report_typesetting] if s.kind == "report" else [])
    for s in CI_SEEDS
]


@pytest.mark.parametrize("spec", RENDITIONS)
def test_rendition_prints_every_word_of_the_text(spec, typeset):
    """The generator's own check (by poppler's pdftotext): only typesetting varies."""
    outcome = typeset[spec]
    assert not outcome.missing, f"{outcome.pdf} does not print {outcome.missing[:20]}"


@pytest.mark.parametrize("spec", RENDITIONS)
def test_rendition_reads_as_the_text(spec, typeset):
    outcome = typeset[spec]
    assert outcome.exact, (
        f"{outcome.pdf} reads differently from the text rendition: {outcome.difference}\n"
        f"typesetting: {spec.style.describe()}"
    )


def test_the_fixed_seeds_cover_the_dimensions():
    """The CI set is not twelve copies of one layout: the main dimensions all vary in it."""
    brochures = [s.style for s in CI_SEEDS if s.kind == "brochure"]
    reports = [s.style for s in CI_SEEDS if s.kind == "report"]
    assert {s.producer for s in brochures} == {"weasyprint", "libreoffice"}
    assert len({s.page for s in brochures}) == len(PAGES_MM)
    assert {s.contents for s in brochures} == {True, False}
    assert {s.leader for s in brochures if s.contents} == set(LEADERS)
    assert {s.label_container for s in brochures} == set(LABEL_CONTAINERS)
    assert {s.label_style for s in brochures} == {"normal", "italic", "small-caps"}
    assert {s.page_number for s in brochures} == set(PAGE_NUMBER_FORMATS)
    assert {s.columns for s in brochures} == {1, 2}
    for producer in ("weasyprint", "libreoffice"):
        made = [s for s in brochures if s.producer == producer]
        assert {s.contents for s in made} == {True, False}
        assert {s.hyphenate for s in made} == {True, False}
        assert {s.section_head for s in made} == {True, False}
        assert {s.native_lists for s in made} == {True, False}
        assert {s.break_before_project for s in made} == {True, False}
    assert {s.para_numbers for s in reports} == {"hanging", "inline"}
    assert {s.report_heading for s in reports} == {"bold", "small-caps"}
    assert {s.page for s in reports} == {"A4", "letter"}
    assert {s.job_in_footer for s in reports} == {True, False}
