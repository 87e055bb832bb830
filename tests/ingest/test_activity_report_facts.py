"""The trust fund's opportunity read by meaning: its need, its reach and its theme, whatever a
year's report says in its own words. Paragraphs are generated (Hypothesis); no database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.activity_report_facts import NEED_LABEL, extract_facts, fund_opportunity

FUNDS = [
    "United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, "
    "Especially Women and Children",
    "Voluntary Trust Fund for Victims of Trafficking in Persons",
    "United Nations Trust Fund for Victims of Migrant Smuggling",
]

# Ways a report may say that a sum is still needed ({sum} is the printed amount).
NEED_PHRASES = [
    "A minimum of an additional {sum} will be needed for the issuance of a new call for proposals.",
    "An additional {sum} is needed to continue the grants.",
    "The Trust Fund requires a further {sum} to issue a new call for proposals.",
    "A further {sum} is required for new grants.",
    "The Trust Fund still requires {sum} to meet the requests received.",
    "The Fund still needs at least {sum} for its next call for proposals.",
    "Another {sum} must be raised before a new call for proposals.",
    "Some {sum} more is needed for the next grant cycle.",
    "{sum} remains to be raised for the next call for proposals.",
    "The Fund faces a shortfall of {sum} for its next grant cycle.",
    "To issue a new call for proposals, the Fund needs {sum}.",
    "A funding gap of approximately {sum} remains.",
]
# Sums a report states that are not a need: they must never be taken for one.
OTHER_PHRASES = [
    "Since its inception, the Trust Fund has received {sum} in paid contributions.",
    "In 2015, the Trust Fund received {sum}.",
    "The Trust Fund has a balance of {sum} available for new grants.",
    "The Trust Fund had supported 30 projects with paid and committed grants worth {sum}.",
    "Donors pledged {sum} to the Trust Fund in 2015.",
    "So far {sum} has been raised for the Trust Fund.",
]


@st.composite
def printed_sums(draw) -> tuple[str, Decimal]:
    """A sum as UN reports print it, and its value."""
    scale = draw(st.sampled_from(["", " million"]))
    if scale:
        value = draw(st.decimals(min_value="0.1", max_value="20", places=1))
        number = f"{value}"
    else:
        value = Decimal(draw(st.integers(min_value=1_000, max_value=9_999_999)))
        number = f"{value:,}"
    form = draw(st.sampled_from(["${}", "US${}", "US$ {}", "USD {}", "{} United States dollars"]))
    return form.format(number + scale), value * (1_000_000 if scale else 1)


def _paragraphs(fund: str, sentences: list[str]) -> list[tuple[int, str, int | None]]:
    opening = f"UNODC also continues to manage the {fund}, established in 2010."
    later = "Member States and private donors have contributed to the Trust Fund."
    return [
        (70, " ".join([opening, *sentences[:1]]), None),
        (71, " ".join([later, *sentences[1:]]), None),
    ]


def _read(paragraphs):
    facts = extract_facts([(n, text) for n, text, _ in paragraphs])
    return fund_opportunity(paragraphs, facts)


@given(
    fund=st.sampled_from(FUNDS),
    need=st.sampled_from(NEED_PHRASES),
    others=st.lists(st.sampled_from(OTHER_PHRASES), min_size=1, max_size=4, unique=True),
    sums=st.lists(printed_sums(), min_size=5, max_size=5),
    at=st.integers(min_value=0, max_value=4),
)
def test_the_need_is_read_whatever_the_wording(fund, need, others, sums, at):
    (need_sum, need_value), *other_sums = sums
    sentences = [p.format(sum=s) for p, (s, _) in zip(others, other_sums, strict=False)]
    sentences.insert(min(at, len(sentences)), need.format(sum=need_sum))
    opportunity, warnings = _read(_paragraphs(fund, sentences))
    assert opportunity is not None and warnings == []
    assert opportunity.stated_shortfall == need_value
    assert opportunity.shortfall_text == need.format(sum=need_sum)
    assert f"<strong>{NEED_LABEL.capitalize()}</strong>" in opportunity.description


@given(
    fund=st.sampled_from(FUNDS),
    others=st.lists(st.sampled_from(OTHER_PHRASES), min_size=1, max_size=6, unique=True),
    sums=st.lists(printed_sums(), min_size=6, max_size=6),
)
def test_sums_that_are_not_a_need_are_never_taken_for_one(fund, others, sums):
    sentences = [p.format(sum=s) for p, (s, _) in zip(others, sums, strict=False)]
    opportunity, warnings = _read(_paragraphs(fund, sentences))
    assert opportunity is not None
    assert opportunity.stated_shortfall is None and opportunity.shortfall_text == ""
    assert warnings == [f"{opportunity.title}: no additional need stated"]


@given(fund=st.sampled_from(FUNDS), need=st.sampled_from(NEED_PHRASES), sum_=printed_sums())
def test_theme_is_the_crime_the_fund_is_for(fund, need, sum_):
    opportunity, _ = _read(_paragraphs(fund, [need.format(sum=sum_[0])]))
    assert opportunity is not None and opportunity.title == fund
    assert opportunity.theme == ("smuggling" if "Smuggling" in fund else "trafficking")


REACHES = [
    # (what the paragraphs say of where the fund works, section, coverage, countries)
    ("Global calls for proposals were issued in 2011 and 2014.", "Global", "Global", ()),
    ("It supported projects worldwide.", "Global", "Global", ()),
    (
        "It supported shelters in Nigeria, Ghana and Benin.",
        "Africa",
        "Nigeria, Ghana, Benin",
        ("NGA", "GHA", "BEN"),
    ),
    ("It supported shelters in Peru and Colombia.", "Americas", "Peru, Colombia", ("PER", "COL")),
    (
        "It supported shelters in Nepal and Peru.",
        "Global",
        "Nepal, Peru",
        ("NPL", "PER"),
    ),
]


@given(reach=st.sampled_from(REACHES), need=st.sampled_from(NEED_PHRASES), sum_=printed_sums())
def test_section_and_coverage_are_where_the_paragraphs_say_it_works(reach, need, sum_):
    said, section, coverage, countries = reach
    paragraphs = _paragraphs(FUNDS[0], [f"{said} {need.format(sum=sum_[0])}"])
    opportunity, _ = _read(paragraphs)
    assert opportunity is not None
    assert (opportunity.section, opportunity.coverage_note) == (section, coverage)
    assert opportunity.countries == countries
