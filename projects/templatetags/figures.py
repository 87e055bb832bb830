"""Amounts, percentages and published text formatted for people reading the portal."""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django import template
from django.utils.formats import date_format, get_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from projects.markup import clean_description
from projects.querysets import FundingStatus

register = template.Library()

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
PRINTED_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A currency and the amount after it: "US$ 250,000", "USD 1.2 million", "EUR 300".
CURRENCY_THEN_AMOUNT = re.compile(r"(US\$|USD|EUR|CHF|GBP|SEK|NOK|€|£)[ \t]+(?=[−-]?\d)")
NBSP = "\u00a0"


def keep_currency_with_amount(text: str) -> str:
    """A non-breaking space between a currency and its amount, so that no line ends
    between "US$" and the figure (in a page, a PDF or an e-mail)."""
    return CURRENCY_THEN_AMOUNT.sub(lambda m: m.group(1) + NBSP, text)


def as_decimal(value: object) -> Decimal | None:
    """Decimals stay exact; text and integers are read as decimals; floats are refused."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("money is never a float: pass a Decimal")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@functools.cache
def separators(language: str | None) -> tuple[str, str] | None:
    """The language's decimal and thousand separators, when it groups digits by threes (as
    Django's formats for English, French and Spanish do); None for any other grouping."""
    if get_format("NUMBER_GROUPING", language, use_l10n=True) != 3:
        return None
    return (
        str(get_format("DECIMAL_SEPARATOR", language, use_l10n=True)),
        str(get_format("THOUSAND_SEPARATOR", language, use_l10n=True)),
    )


def grouped(amount: Decimal) -> str:
    """4475605 → "4,475,605"; 745574.5 → "745,574.50": cents only when there are some.

    As Django's number_format() in the page's language ("4 475 605" in French, with narrow
    spaces; "4.475.605" in Spanish), without its per-call format lookups: an export formats
    every pledge of thousands of projects."""
    amount = abs(amount.quantize(CENT))
    return grouped_places(amount, 0 if amount == amount.to_integral_value() else 2)


def grouped_places(number: Decimal, places: int) -> str:
    """number_format(number, places, use_l10n=True, force_grouping=True) for a number with
    at most `places` decimals, without its per-call format lookups."""
    marks = separators(get_language())
    if marks is None:
        return number_format(number, places, use_l10n=True, force_grouping=True)
    decimal_mark, thousands = marks
    return f"{number:,.{places}f}".translate({ord(","): thousands, ord("."): decimal_mark})


@register.filter
def money(value: object) -> str:
    """US$ 4,475,605 — or −US$ 100 when negative; "not stated" when there is no figure.

    "US$" and the amount are joined by a non-breaking space: they never part at a line end.
    """
    amount = as_decimal(value)
    if amount is None:
        return gettext("not stated")
    sign = "−" if amount.quantize(CENT) < 0 else ""
    return f"{sign}US${NBSP}{grouped(amount)}"


@register.filter
def shortfall(value: object) -> str:
    """A shortfall; a negative one means more was pledged than the budget."""
    amount = as_decimal(value)
    if amount is not None and amount.quantize(CENT) < 0:
        over = gettext("US$ %(amount)s over-pledged") % {"amount": grouped(amount)}
        return keep_currency_with_amount(over)
    return money(amount)


@register.filter
def percent(value: object) -> str:
    """33.33 → "33.3%", never rounded up to a fuller figure than pledged."""
    number = as_decimal(value)
    if number is None:
        return gettext("unknown")
    shown = number.quantize(TENTH, rounding=ROUND_DOWN)
    return f"{grouped_places(shown, 0 if shown == shown.to_integral_value() else 1)}%"


@register.filter
def meter_value(value: object) -> str:
    """A percentage as a <meter>'s value attribute wants it: a plain number from 0 to 100."""
    number = as_decimal(value) or Decimal(0)
    return f"{min(max(number, Decimal(0)), Decimal(100)).normalize():f}"


@register.filter
def status_label(value: str) -> str:
    """The funding_status annotation in words."""
    return FundingStatus(value).label if value in FundingStatus.values else gettext("Unknown")


@register.filter
def edition(document: object) -> str:
    """A source document's edition as a reader says it: "January 2010"."""
    if document is None:
        return ""
    if getattr(document, "edition_date", None):
        return date_format(document.edition_date, "F Y")
    year, _, month = document.edition.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return date_format(date(int(year), int(month), 1), "F Y")
    return document.edition


@register.filter
def printed_differs(text: str, value: object) -> bool:
    """True when the figure as printed is not simply the amount we show (a range, words…)."""
    if not text or not text.strip():
        return False
    amount = as_decimal(value)
    numbers = PRINTED_NUMBER.findall(text)
    if amount is None or len(numbers) != 1:
        return True
    return as_decimal(numbers[0].replace(",", "")) != amount


@register.filter
def long_date(value: date | None) -> str:
    """A date written out in the page's language: "29 November 2026" (the UN's English
    style), "29 novembre 2026", "29 de noviembre de 2026"."""
    if not value:
        return ""
    english = (get_language() or "en").startswith("en")
    return date_format(value, "j F Y" if english else "DATE_FORMAT")


@register.filter
def printed(text: str) -> str:
    """Text as the document printed it, its amounts kept on one line with their currency."""
    return keep_currency_with_amount(text or "")


@register.filter
def sanitised(html: str) -> SafeString:
    """The parser's description HTML, cleaned again on output (defence in depth)."""
    return mark_safe(clean_description(html))
