"""Template filters that format figures and published text for people."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.models import SourceDocument
from projects.templatetags.figures import (
    edition,
    grouped,
    meter_value,
    money,
    percent,
    printed_differs,
    sanitised,
    shortfall,
    status_label,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("4475605"), "US$\u00a04,475,605"),
        (Decimal("4475605.00"), "US$\u00a04,475,605"),
        (Decimal("745574.50"), "US$\u00a0745,574.50"),
        (Decimal("0.10"), "US$\u00a00.10"),
        (Decimal("0"), "US$\u00a00"),
        (Decimal("-100"), "−US$\u00a0100"),
        (12948, "US$\u00a012,948"),
        ("125000", "US$\u00a0125,000"),
        (None, "not stated"),
    ],
)
def test_money(value, text):
    assert money(value) == text


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        money(0.1)


def test_negative_shortfall_reads_as_over_pledged():
    assert shortfall(Decimal("-100.50")) == "US$\u00a0100.50 over-pledged"
    assert shortfall(Decimal("4475605")) == "US$\u00a04,475,605"
    assert shortfall(None) == "not stated"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("33.33"), "33.3%"),
        (Decimal("99.99"), "99.9%"),  # never rounded up to look fully funded
        (Decimal("100"), "100%"),
        (Decimal("0"), "0%"),
        (Decimal("120.00"), "120%"),
        (None, "unknown"),
    ],
)
def test_percent(value, text):
    assert percent(value) == text


def test_meter_value_is_a_plain_number_within_the_meter():
    assert meter_value(Decimal("33.33")) == "33.33"
    assert meter_value(Decimal("120")) == "100"
    assert meter_value(None) == "0"


@pytest.mark.parametrize(
    ("printed", "value", "differs"),
    [
        ("US$ 6,576,097", Decimal("6576097"), False),
        ("US$ 570,000 (no current pledges)", Decimal("570000"), False),
        ("US$ 745,574.50", Decimal("745574.5"), False),
        ("US$ 1.5 million", Decimal("1500000"), True),
        ("US$ 300,000 per year (2010-2011)", Decimal("300000"), True),
        ("Varies", None, True),
        ("", Decimal("1"), False),
    ],
)
def test_printed_differs(printed, value, differs):
    assert printed_differs(printed, value) is differs


def test_description_is_sanitised_on_output():
    html = (
        '<p onclick="x()">Hi <strong>there</strong><script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">bad</a><a href="https://unodc.org">good</a>'
        '<img src="x" onerror="y()"><ul><li><em>one</em></li></ul><div style="color:red">d</div>'
    )
    clean = sanitised(html)
    assert "<script" not in clean and "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "style=" not in clean and "<img" not in clean
    assert "<strong>there</strong>" in clean and "<li><em>one</em></li>" in clean
    assert 'href="https://unodc.org"' in clean


def test_edition_reads_as_a_month():
    assert edition(SourceDocument(edition="2010-01")) == "January 2010"
    assert edition(SourceDocument(edition="2016-06", edition_date=date(2016, 6, 30))) == "June 2016"
    assert edition(SourceDocument(edition="2016")) == "2016"


def test_status_label():
    assert status_label("partly") == "Partly funded"
    assert status_label("bogus") == "Unknown"


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False),
    language=st.sampled_from(["en", "fr", "es"]),
)
def test_amounts_are_grouped_as_django_formats_them_in_each_language(amount, language):
    with translation.override(language):
        places = 0 if amount == amount.to_integral_value() else 2
        expected = number_format(abs(amount), places, use_l10n=True, force_grouping=True)
        assert grouped(amount) == expected
