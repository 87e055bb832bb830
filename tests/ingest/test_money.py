"""read_money: amounts as the brochure prints them, and its promise never to raise."""

import re
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.parsers import money
from ingest.parsers.money import MoneyReading, read_money
from ingest.parsers.types import Problem


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("US\\$ 6,576,097", Decimal("6576097")),
        ("US$ 6,576,097", Decimal("6576097")),
        ("US $ 2,000,000", Decimal("2000000")),
        ("US$358,210", Decimal("358210")),
        ("US$0", Decimal("0")),
        ("US\\$ 0", Decimal("0")),
        ("US$ 1,000,000", Decimal("1000000")),
        ("US$ 12.5", Decimal("12.5")),
        ("US$ 3.5 million", Decimal("3500000")),
        ("1,391,000", Decimal("1391000")),
        # more digits than Decimal's default 28 of precision: every one kept (found by Hypothesis)
        ("US$ 10000000000000000000000000001", Decimal("10000000000000000000000000001")),
        ("US$ ૦", Decimal("0")),  # any script's digits (found by Hypothesis)
    ],
)
def test_literal_figures_have_no_problem(text, value):
    reading = read_money(text)
    assert reading.value == value
    assert isinstance(reading.value, Decimal)
    assert reading.problem is None
    assert reading.text == text


def test_doubled_currency_sign_is_read_and_flagged():
    reading = read_money("US\\$ \\$745,574.00")
    assert reading.value == Decimal("745574.00")
    assert reading.problem.code == "malformed_amount"
    assert "745,574.00" in reading.problem.message
    assert "currency sign is printed twice" in reading.problem.message


def test_decimal_comma_with_million_and_phases_after_it():
    text = (
        "US\\$ 3,5 million (phase I 2009-10 US\\$ 368,800 and phase II 2011-12 US\\$ 3,2 million)"
    )
    reading = read_money(text)
    assert reading.value == Decimal("3500000")
    assert reading.problem.code == "malformed_amount"
    assert "3,500,000" in reading.problem.message and "decimal comma" in reading.problem.message
    assert reading.note == "phase I 2009-10 US$ 368,800 and phase II 2011-12 US$ 3,2 million"


def test_stray_point_for_a_comma():
    reading = read_money("US\\$ 1,906.876")
    assert reading.value == Decimal("1906876")
    assert reading.problem.code == "malformed_amount"
    assert "1,906,876" in reading.problem.message
    assert "point" in reading.problem.message


def test_truncated_figure_keeps_the_printed_digits():
    reading = read_money("US\\$ 756,00")
    assert reading.value == Decimal("75600")
    assert reading.problem.code == "malformed_amount"
    assert "'756,00'" in reading.problem.message and "truncated" in reading.problem.message


def test_varies_is_none_with_a_note():
    reading = read_money("Varies by programme")
    assert reading.value is None
    assert reading.varies
    assert reading.note == "Varies by programme"
    assert reading.problem is None


def test_a_sum_is_read_and_flagged():
    reading = read_money("US\\$ 135,600 + US \\$ 2,000,000")
    assert reading.value == Decimal("2135600")
    assert reading.parts == (Decimal("135600"), Decimal("2000000"))
    assert reading.problem.code == "malformed_amount"
    assert "sum" in reading.problem.message and "2,135,600" in reading.problem.message


def test_labelled_parts_are_a_sum_too():
    reading = read_money(
        "US\\$ 135,600 (feasibility study); approx. US\\$ 2,000,000 (implementation phase)"
    )
    assert reading.value == Decimal("2135600")
    assert reading.parts == (Decimal("135600"), Decimal("2000000"))
    assert reading.problem.code == "malformed_amount"


def test_amount_with_words_after_it():
    reading = read_money("US\\$ 368,800, which has allowed for phase I to start")
    assert reading.value == Decimal("368800")
    assert reading.note == "which has allowed for phase I to start"
    assert reading.problem is None
    assert read_money("US\\$ 2,831,200 needed for phase II").note == "needed for phase II"


def test_bracketed_note():
    reading = read_money("US\\$ 570,000 (no current pledges)")
    assert reading.value == Decimal("570000")
    assert reading.note == "no current pledges"
    assert reading.problem is None


@pytest.mark.parametrize("text", ["", "   ", "to be confirmed", "n/a"])
def test_no_figure_is_a_problem(text):
    reading = read_money(text)
    assert reading.value is None
    assert reading.problem.code == "malformed_amount"


_SCALED = re.compile(r"million|mn|billion|bn|thousand", re.IGNORECASE)


def _check(text: str, reading: MoneyReading) -> None:
    """What any reading of any text must satisfy, whatever the text: a figure is read exactly
    when the text prints a digit, and a figure read without a problem is printed in it. A
    reader that hides failures behind a plausible reading (a catch-all returning "malformed",
    or a default figure) breaks these, as the test below shows."""
    assert isinstance(reading, MoneyReading)
    # any script's decimal digits ("૦" reads as 0), as ASCII digits
    printed_digits = "".join(str(unicodedata.digit(c)) for c in re.findall(r"\d", text))
    if reading.value is None:
        assert not printed_digits, "a printed figure was not read"
        # either a structured problem, or the documented "varies" reading with its note
        assert isinstance(reading.problem, Problem) or (reading.varies and reading.note)
    else:
        assert isinstance(reading.value, Decimal)
        assert printed_digits, "a figure was read from text that prints none"
        if reading.problem is None and not _SCALED.search(text):
            digits = format(reading.value, "f").replace(".", "").lstrip("0") or "0"
            assert digits in printed_digits, "the figure read is not the one printed"
    if reading.problem is not None:
        assert reading.problem.code in ("malformed_amount", "non_usd_amount")
        assert reading.problem.message


def test_the_checks_fail_for_a_broken_reader(monkeypatch):
    """The "never raises" properties below would catch a reader that swallows its failures."""
    catch_all = MoneyReading(None, Problem("malformed_amount", "could not be read"))
    for text, reading in [
        ("US$ 1,906,876", catch_all),  # a catch-all's plausible "malformed" reading
        ("US$ 1,956,875", MoneyReading(Decimal(0))),  # a default figure
        ("no figure here", MoneyReading(Decimal(5))),  # a figure out of nowhere
    ]:
        with pytest.raises(AssertionError):
            _check(text, reading)

    # and the reader itself has no catch-all: a slip inside it raises as itself
    def slip(*args):
        raise TypeError("a bug in the money reader")

    monkeypatch.setattr(money, "_read_number_raw", slip)
    with pytest.raises(TypeError, match="a bug in the money reader"):
        read_money("US$ 1,906,876")


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text):
    _check(text, read_money(text))


money_like = st.lists(
    st.sampled_from(
        ["US", "$", "\\$", " ", ",", ".", "0", "1", "5", "9", "million", "+", "(", ")", "varies"]
        + ["from", ";", "approx.", "¹", "\t", "USD", "€", "-", "123,456", "1.906.876"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(money_like)
def test_never_raises_on_money_like_text(text):
    _check(text, read_money(text))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separated_integers_read_literally(n):
    reading = read_money(f"US$ {n:,}")
    assert reading.value == Decimal(n)
    assert reading.problem is None


def test_another_currency_is_kept_as_printed_and_flagged():
    reading = read_money("EUR 250,000")
    assert reading.value == Decimal("250000")
    assert reading.currency == "EUR"
    assert reading.problem is not None and reading.problem.code == "non_usd_amount"
    assert read_money("€ 1,000").problem.code == "non_usd_amount"
    assert read_money("US$ 1,000").problem is None
