"""How every number typed into a URL or a form is read: one rule for the whole portal.

A number is ASCII digits (0–9), with a decimal point and at most two decimals for amounts, and a
bounded number of digits. Python's own readers are wider than that: `int()` takes Arabic-Indic
or full-width digits, `str.isdigit()` says yes to "²" that `int()` then refuses, and `Decimal()`
takes "1e27", "NaN" and any number of digits — each of which once reached a page as a 500.

The filters, the API, the exports and the interest form all read numbers through the fields and
functions below, so a value is either a number of the expected size or a clear error naming it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

# The largest amount anyone can type: twelve digits of US$ (about a trillion) and cents. Every
# amount column holds 14 digits with 2 decimals, so any amount that reads can be stored.
MAX_AMOUNT_DIGITS = 12
MAX_AMOUNT = Decimal("999999999999.99")
# A database id or a page number: PostgreSQL's integer (the ids of BigAutoField are far below).
MAX_ID = 2**31 - 1
MAX_INTEGER_DIGITS = len(str(MAX_ID))

INTEGER = re.compile(r"[0-9]+")
AMOUNT = re.compile(r"([0-9]+)(?:\.([0-9]*))?")
# What the OpenAPI description says of an amount in a query string.
AMOUNT_PATTERN = rf"^[0-9]{{1,{MAX_AMOUNT_DIGITS}}}(\.[0-9]{{0,2}})?$"
SPACES = " \t\r\n"


class NumberError(ValueError):
    """The text is not a number of the kind asked for; the message says what is expected.

    `malformed` tells text that is no number at all from a number out of range.
    """

    def __init__(self, message: str, *, malformed: bool) -> None:
        super().__init__(message)
        self.malformed = malformed


def quoted(text: str, limit: int = 20) -> str:
    """The value as typed, shortened, for a message that names it."""
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def parse_integer(text: str, *, low: int = 0, high: int = MAX_ID) -> int:
    """A whole number from ASCII digits, between `low` and `high`."""
    digits = text.strip(SPACES)
    if not INTEGER.fullmatch(digits):
        raise NumberError(
            f"{quoted(text)} is not a whole number written with the digits 0–9.", malformed=True
        )
    if len(digits.lstrip("0")) > MAX_INTEGER_DIGITS or not low <= int(digits) <= high:
        raise NumberError(f"{quoted(text)} is not between {low:,} and {high:,}.", malformed=False)
    return int(digits)


def is_id(value: object) -> bool:
    """Whether a submitted value is a database id by this rule (a query could find it)."""
    try:
        parse_integer(str(value), low=1)
    except NumberError:
        return False
    return True


def parse_amount(text: str) -> Decimal:
    """An amount of money from ASCII digits: at most twelve digits, then at most two decimals."""
    written = text.strip(SPACES)
    match = AMOUNT.fullmatch(written)
    if not match:
        raise NumberError(
            f"{quoted(text)} is not an amount written with the digits 0–9, "
            "for example 250000 or 250000.50.",
            malformed=True,
        )
    whole, cents = match.group(1).lstrip("0"), match.group(2) or ""
    if len(whole) > MAX_AMOUNT_DIGITS:
        raise NumberError(f"{quoted(text)} is more than {MAX_AMOUNT:,.2f}.", malformed=False)
    if len(cents) > 2:
        raise NumberError(f"{quoted(text)} has more than two decimals.", malformed=False)
    return Decimal(written)


class IntegerField(forms.IntegerField):
    """A form field for a whole number read by `parse_integer`, within its min and max."""

    def __init__(self, *, min_value: int = 1, max_value: int = MAX_ID, **kwargs) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: object) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise forms.ValidationError("Enter a whole number.", code="invalid")
        try:
            return parse_integer(value, low=self.min_value, high=self.max_value)
        except NumberError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class AmountField(forms.DecimalField):
    """A form field for an amount of money read by `parse_amount` (US$ or another currency)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault("max_digits", MAX_AMOUNT_DIGITS + 2)
        kwargs.setdefault("decimal_places", 2)
        self.malformed_message = kwargs.get("error_messages", {}).get("invalid")
        super().__init__(**kwargs)

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_amount(value)
        except NumberError as error:
            # A form may word "not a number" for its readers; a number out of range says so.
            message = (error.malformed and self.malformed_message) or str(error)
            raise forms.ValidationError(message, code="invalid") from error
