"""The 2016 report on UNODC activities under the Trafficking in Persons Protocol, from its
text rendition and its PDF: structure, themes, countries, facts, the trust fund, errors."""

from __future__ import annotations

import datetime
import re
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.activity_report import (
    ParsedReport,
    looks_like_activity_report,
    parse_activity_report_pdf,
    parse_activity_report_text,
)
from ingest.parsers.activity_report_facts import extract_facts, number_value
from ingest.parsers.types import ParseError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TEXT_PATH = FIXTURES / "tip-protocol-activities-report-2016.txt"
PDF_PATH = FIXTURES / "tip-protocol-activities-report-2016.pdf"
TEXT = TEXT_PATH.read_text(encoding="utf-8")
FUND = (
    "United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, "
    "Especially Women and Children"
)


@pytest.fixture(scope="module")
def text_report() -> ParsedReport:
    return parse_activity_report_text(TEXT, str(TEXT_PATH))


@pytest.fixture(scope="module")
def pdf_run() -> tuple[ParsedReport, float, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []
    start = time.perf_counter()
    report = parse_activity_report_pdf(
        PDF_PATH, progress=lambda done, total: calls.append((done, total))
    )
    return report, time.perf_counter() - start, calls


@pytest.fixture(scope="module")
def pdf_report(pdf_run) -> ParsedReport:
    return pdf_run[0]


def para(report: ParsedReport, number: int):
    (found,) = [p for p in report.paragraphs if p.number == number]
    return found


def facts(report: ParsedReport, unit: str) -> set[tuple[int, Decimal]]:
    return {(f.paragraph, f.value) for f in report.facts if f.unit == unit}


# --- the document as a whole -------------------------------------------------------------


def test_detects_the_kind_from_the_first_pages():
    assert looks_like_activity_report(TEXT[:6000])
    brochure = (FIXTURES / "partnership-opportunities-2010.txt").read_text(encoding="utf-8")
    assert not looks_like_activity_report(brochure)


def test_metadata(text_report, pdf_report):
    for report in (text_report, pdf_report):
        assert report.kind == "activity_report"
        assert report.title.startswith("Activities of the United Nations Office on Drugs and Crime")
        assert report.title.endswith(
            "supplementing the United Nations Convention against Transnational Organized Crime"
        )
        assert report.date == datetime.date(2016, 6, 14)
        assert report.edition == "2016-06"
        assert report.session == "Eighth session"
        assert (report.period_start, report.period_end) == ("2014-10", "2016-04")
    assert text_report.symbol == ""  # the text rendition prints no running head
    assert pdf_report.symbol == "CTOC/COP/2016/x"  # the PDF's running head, as printed


def test_paragraphs_1_to_74_in_order(text_report, pdf_report):
    for report in (text_report, pdf_report):
        assert len(report.paragraphs) == 74
        assert [p.number for p in report.paragraphs] == list(range(1, 75))


def test_two_numbers_recovered_from_the_sequence(text_report, pdf_report):
    for report in (text_report, pdf_report):
        assert [p.number for p in report.paragraphs if p.recovered] == [7, 65]
        assert para(report, 7).text.startswith("UNODC serviced and provided substantive support")
        assert para(report, 65).text.startswith("UNODC also runs the Blue Heart Campaign")
        assert para(report, 65).text.endswith("approximately 1,000 guests.")
        assert sum("number not printed" in w for w in report.warnings) == 2
    assert para(text_report, 7).where == "line 54"
    assert para(pdf_report, 7).where == "page 2"


def test_paragraphs_split_by_page_breaks_are_joined(text_report):
    assert "criminalize all forms of trafficking in persons" in para(text_report, 12).text
    assert "Iraq and the Levant, the Lord's Resistance Army" in para(text_report, 17).text
    assert "presenting the response of the UNODC Regional Office" in para(text_report, 28).text
    p64 = para(text_report, 64).text
    assert "solidarity with the victims of trafficking in persons. A Thunderclap" in p64
    assert p64.endswith("5.6 million people each year.")


def test_furniture_markup_and_footnotes_are_not_content(text_report, pdf_report):
    for report in (text_report, pdf_report):
        for p in report.paragraphs:
            assert not re.search(r"V\.16-03496|CTOC/COP/2016/[x1]\b|\^\{|\*|\\\$|¹", p.text), p
        assert "press release" not in " ".join(p.text for p in report.paragraphs)
        assert para(report, 52).text.endswith("acknowledged by partner organizations.")
        assert para(report, 52).countries == ()  # Bosnia and France are named in the footnote
        assert "Global Report on Trafficking in Persons;" in para(report, 4).text


def test_sub_items_stay_in_their_paragraph(text_report):
    text = para(text_report, 3).text
    assert text.startswith("The following key achievements were made")
    assert "\n(a) Thirty-six technical" in text and "\n(f) Some 179 case briefs" in text


def test_outlines_and_themes(text_report):
    expected = {
        1: ("I. Introduction", "normative work"),
        5: (
            "II. Activities to assist States in the implementation of the Protocol",
            "normative work",
        ),
        6: (
            "II. A. Normative work, servicing intergovernmental bodies and inter-agency "
            "cooperation and coordination",
            "normative work",
        ),
        9: ("II. A. 2. Commission on Crime Prevention and Criminal Justice", "normative work"),
        30: ("II. B. Technical assistance", "legislative assistance"),
        40: ("II. B. 1. Legislative assistance", "legislative assistance"),
        46: ("II. B. 2. Strengthening criminal justice responses", "criminal justice responses"),
        53: ("II. B. 3. International cooperation", "international cooperation"),
        60: ("II. B. 4. Data collection and research", "data collection and research"),
        65: ("II. B. 5. Prevention and awareness-raising", "prevention and awareness-raising"),
        72: ("II. B. 6. Victim protection and support", "victim protection and support"),
        74: ("III. Conclusions", "conclusions"),
    }
    for number, (outline, theme) in expected.items():
        assert (para(text_report, number).outline, para(text_report, number).theme) == (
            outline,
            theme,
        ), number


def test_paragraph_count_per_theme(text_report):
    assert Counter(p.theme for p in text_report.paragraphs) == {
        "normative work": 29,
        "legislative assistance": 11,
        "criminal justice responses": 10,
        "international cooperation": 3,
        "data collection and research": 7,
        "prevention and awareness-raising": 5,
        "victim protection and support": 7,
        "conclusions": 2,
    }


def test_countries_per_paragraph(text_report):
    expected = {
        2: ("BRB", "CZE", "KOR", "SGP", "LKA", "SDN"),
        33: ("CPV", "GEO", "ETH"),
        36: ("BTN", "COL", "SDN"),
        39: ("VNM",),
        43: ("MDA",),
        46: ("DZA", "EGY", "MAR", "JOR", "SDN", "TUN"),
        48: ("BIH", "BGR", "SRB", "MNE"),
        49: ("IND", "BTN"),
        62: ("BGD", "IND", "NPL"),
        65: ("PER", "COL", "MEX", "PAN"),
        68: ("IND", "NPL", "BGD"),
        69: ("KGZ", "MNE"),
        1: (),
        72: (),
    }
    for number, countries in expected.items():
        assert para(text_report, number).countries == countries, number


# --- facts and the trust fund ------------------------------------------------------------


def test_headline_counts(text_report):
    found = {(f.paragraph, f.value, f.unit) for f in text_report.facts}
    expected = {
        (2, 169, "parties"),
        (3, 36, "activities"),
        (3, 20, "countries"),
        (3, 900, "practitioners"),
        (3, 60, "countries"),
        (3, 4, "tools"),
        (3, 179, "case briefs"),
        (3, 1311, "cases"),
        (3, 94, "jurisdictions"),
        (10, 128, "countries"),
        (31, 36, "activities"),
        (31, 60, "countries"),
        (31, 900, "practitioners"),
        (56, 1311, "cases"),
        (56, 94, "jurisdictions"),
        (72, 19, "member states"),
    }
    assert {(p, Decimal(v), u) for p, v, u in expected} <= found
    (activities,) = [f for f in text_report.facts if f.paragraph == 3 and f.unit == "activities"]
    assert (
        activities.label == "technical, legislative assistance and/or capacity-building activities"
    )
    assert activities.text.startswith("(a) Thirty-six")
    assert not any(f.value in (2014, 2015, 2016) for f in text_report.facts)  # years are not counts


def test_trust_fund_figures(text_report):
    money = {f.label: (f.paragraph, f.value) for f in text_report.facts if f.unit == "USD"}
    assert money == {
        "paid and committed grants": (71, Decimal("1750000")),
        "paid contributions": (72, Decimal("2300000")),
        "annual average": (72, Decimal("400000")),
        "received in 2015": (72, Decimal("357701")),
        "balance": (72, Decimal("50000")),
        "additional funding needed": (72, Decimal("500000")),
    }
    assert all(isinstance(f.value, Decimal) for f in text_report.facts)


def test_trust_fund_opportunity(text_report, pdf_report):
    fund = text_report.opportunity
    assert fund is not None
    assert fund.title == FUND
    assert (fund.section, fund.code, fund.countries, fund.coverage_note) == (
        "Global",
        None,
        (),
        "Global",
    )
    assert (fund.theme, fund.budget, fund.stated_shortfall) == (
        "trafficking",
        None,
        Decimal(500000),
    )
    assert fund.shortfall_text.startswith("A minimum of an additional $500,000 will be needed")
    assert fund.where == "paragraphs 71, 72"
    assert fund.page is None
    assert pdf_report.opportunity is not None and pdf_report.opportunity.page is None
    assert fund.description.count("<p>") == 2
    assert "grants worth $1.75 million" in fund.description
    assert "<strong>Paid contributions</strong>: USD 2,300,000" in fund.description
    assert "<script" not in fund.description


def test_description_is_escaped():
    text = TEXT.replace("small stipends.", "small stipends <b>&</b> more.")
    fund = parse_activity_report_text(text).opportunity
    assert fund is not None and "stipends &lt;b&gt;&amp;&lt;/b&gt; more." in fund.description


# --- the two renditions agree ------------------------------------------------------------


def test_pdf_and_text_agree_field_by_field(text_report, pdf_report):
    for name in ("kind", "title", "date", "edition", "session", "period_start", "period_end"):
        assert getattr(pdf_report, name) == getattr(text_report, name), name
    assert pdf_report.facts == text_report.facts
    assert pdf_report.warnings == text_report.warnings
    assert len(pdf_report.paragraphs) == len(text_report.paragraphs)
    for ours, theirs in zip(pdf_report.paragraphs, text_report.paragraphs, strict=True):
        for name in ("number", "outline", "theme", "countries", "text", "recovered"):
            assert getattr(ours, name) == getattr(theirs, name), (ours.number, name)
        assert ours.where.startswith("page ") and theirs.where.startswith("line ")
    assert pdf_report.opportunity == text_report.opportunity


def test_pdf_progress_counts_every_page(pdf_run):
    """Speed is `make bench`'s business (PDF ingest against pdfplumber's own read), not a
    timed test's: here only the progress reported page by page."""
    _, _, calls = pdf_run
    with pdfplumber.open(PDF_PATH) as pdf:
        pages = len(pdf.pages)
    assert calls == [(n, pages) for n in range(1, pages + 1)]


# --- another edition ---------------------------------------------------------------------


def _other_edition() -> str:
    text = TEXT.replace("Distr.: General 14 June 2016", "Distr.: General 3 August 2018")
    text = text.replace("Eighth session", "Ninth session")
    text = text.replace("rom October 2014 to April 2016", "rom October 2016 to March 2018")
    text = text.replace("a total of 169 parties", "a total of 173 parties")
    text = text.replace("(a) Thirty-six technical", "(a) Forty-two technical")
    text = text.replace("received \\$2.3 million", "received \\$3.1 million")
    text = text.replace("additional \\$500,000", "additional \\$750,000")
    text = text.replace(
        "the Republic of Moldova, focusing", "the Republic of Moldova and Ukraine, focusing"
    )
    text = text.replace("- 40. Through a criminal law", "Through a criminal law")  # number lost
    lines = [line for line in text.splitlines() if not line.startswith("- 10. ")]  # dropped

    def renumber(m: re.Match[str]) -> str:
        number = int(m[2])
        return f"{m[1]}{number - 1 if number > 10 else number}. "

    return "\n".join(re.sub(r"^(- |)(\d+)\. ", renumber, line) for line in lines)


def test_another_edition_parsed_on_its_own_terms():
    report = parse_activity_report_text(_other_edition(), "other.txt")
    assert report.date == datetime.date(2018, 8, 3) and report.edition == "2018-08"
    assert report.session == "Ninth session"
    assert (report.period_start, report.period_end) == ("2016-10", "2018-03")
    assert [p.number for p in report.paragraphs] == list(range(1, 74))
    assert [p.number for p in report.paragraphs if p.recovered] == [7, 39, 64]
    assert para(report, 39).text.startswith("Through a criminal law amendment bill")
    assert para(report, 42).countries == ("MDA", "UKR")
    assert para(report, 64).countries == ("PER", "COL", "MEX", "PAN")
    found = {(f.paragraph, f.value, f.unit) for f in report.facts}
    assert {(2, 173, "parties"), (3, 42, "activities"), (71, 3100000, "USD")} <= found
    assert (10, Decimal(128), "countries") not in found
    fund = report.opportunity
    assert fund is not None and fund.stated_shortfall == Decimal(750000)
    assert fund.where == "paragraphs 70, 71"


def test_a_gap_in_the_numbers_is_reported():
    text = "\n".join(line for line in TEXT.splitlines() if not line.startswith("- 20. "))
    report = parse_activity_report_text(text)
    assert 20 not in [p.number for p in report.paragraphs] and len(report.paragraphs) == 73
    assert "paragraph(s) 20 missing from the sequence" in report.warnings


# --- numbers -----------------------------------------------------------------------------

_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"]
_TEENS += ["seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _in_words(n: int) -> str:
    if n < 10:
        return _WORDS[n - 2]
    if n < 20:
        return _TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + ("-" + (["one"] + _WORDS)[ones - 1] if ones else "")


@given(st.integers(min_value=2, max_value=99), st.booleans())
def test_counts_in_words_and_numerals(n, words):
    printed = _in_words(n).capitalize() if words else f"{n:,}"
    assert number_value(printed) == n
    (fact,) = extract_facts([(5, f"{printed} countries were assisted.")])
    assert (fact.value, fact.unit, fact.paragraph) == (n, "countries", 5)


@given(st.decimals(min_value=1, max_value=999, places=2), st.sampled_from(["", " million"]))
def test_money_is_decimal(amount, scale):
    (fact,) = extract_facts([(1, f"The fund received ${amount:,}{scale}.")])
    assert fact.unit == "USD" and fact.value == amount * (1_000_000 if scale else 1)
    assert isinstance(fact.value, Decimal)


# --- errors ------------------------------------------------------------------------------


def test_empty_text():
    with pytest.raises(ParseError, match=r"empty\.txt, line 1: empty"):
        parse_activity_report_text(" \n\n", "empty.txt")


def test_another_kind_of_document():
    path = FIXTURES / "partnership-opportunities-2010.txt"
    with pytest.raises(
        ParseError,
        match=r"partnership-opportunities-2010\.txt, lines 1-\d+: not a "
        r"report .*missing \"Conference of the Parties\"",
    ):
        parse_activity_report_text(path.read_text(encoding="utf-8"), str(path))
    with pytest.raises(ParseError, match=r"partnership-opportunities-2010\.pdf, pages 1-2: not a"):
        parse_activity_report_pdf(FIXTURES / "partnership-opportunities-2010.pdf")


def test_empty_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ParseError, match=r"empty\.pdf, page 1: the file is empty"):
        parse_activity_report_pdf(path)


def test_not_a_pdf(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(ParseError, match=r"report\.pdf, page 1: not a PDF"):
        parse_activity_report_pdf(path)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.95])
def test_truncated_pdf(tmp_path, fraction):
    data = PDF_PATH.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(ParseError, match=r"truncated\.pdf, page \d+: .*(?:truncated|corrupt)"):
        parse_activity_report_pdf(path)
