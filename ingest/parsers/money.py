"""Money as documents print it, read into Decimal without guessing silently.

`read_money` reads any text, without a catch-all: the cases below cover every text.
It returns a `MoneyReading` whose `value` is the amount
(Decimal, never float) or None, and whose `problem` says, in words, how a figure was
read when it could not be read literally (code ``malformed_amount``):

- ``US$ 1,906.876``  → 1906876, a stray point where the thousands comma belongs;
- ``US$ 756,00``     → 75600, the digits as printed (a group of two digits after a
  thousands separator: the figure looks truncated);
- ``US$ 3,5 million``→ 3500000, a decimal comma;
- ``US$ $745,574.00``→ 745574.00, the currency sign printed twice;
- ``US$ 135,600 + US $ 2,000,000`` → 2135600, a sum of the figures printed;
- text with no figure at all → value None and a problem.

Two readings carry no problem although the value is None or words are left over:

- "Varies by programme" (any text saying the amount *varies*) → value None,
  ``varies=True`` and the text as ``note``;
- words printed after or around a literal figure ("US$ 368,800, which has allowed for
  phase I to start") → the value, and the words as ``note``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from ingest.parsers.types import Problem

MALFORMED = "malformed_amount"

# A currency sign: "US$", "US\$", "US $", "USD", "$", "€", "EUR" (a doubled sign
# such as "US$ $" is caught separately).
_CURRENCY = r"(?:US\s*\\?\$|USD|EUR|€|\\?\$)"
_NUMBER = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:million|mn|billion|bn|thousand)"
# A printed amount that starts with a currency sign (used to split lines of pledges).
CURRENCY_AMOUNT_PATTERN = rf"{_CURRENCY}(?:\s*\\?\$)?\s*{_NUMBER}(?:\s*{_SCALE}\b)?"
_AMOUNT_RE = re.compile(
    rf"(?P<cur>{_CURRENCY}(?:\s*\\?\$)?)?\s*(?P<num>{_NUMBER})(?:\s*(?P<scale>{_SCALE})\b)?",
    re.IGNORECASE,
)
_SCALES = {
    "thousand": Decimal(1000),
    "million": Decimal(1000000),
    "mn": Decimal(1000000),
    "billion": Decimal(1000000000),
    "bn": Decimal(1000000000),
}
_VARIES_RE = re.compile(r"\bvar(?:y|ies|ying|iable)\b", re.IGNORECASE)
_JOINERS_RE = re.compile(r"^[\s;,+&]*(?:\band\b|\bplus\b|approx\.?|about|ca\.)?[\s;,+&]*$")


@dataclass(frozen=True)
class MoneyReading:
    """What one printed amount says.

    `value` is the amount (None when the text names none); `problem` is set whenever
    the value was not read literally. `parts` holds every figure read (two or more
    for a sum), `note` the words around the figure, `varies` says the text declares
    the amount variable, `currency` is "USD" when a dollar sign was printed.
    """

    value: Decimal | None
    problem: Problem | None = None
    text: str = ""
    note: str = ""
    parts: tuple[Decimal, ...] = ()
    varies: bool = False
    currency: str = ""


@dataclass(frozen=True)
class _Figure:
    value: Decimal
    start: int
    end: int
    literal: str
    currency: str
    why: str  # "" when read literally


def _clean(text: str) -> str:
    text = text.replace("\\$", "$").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def _depths(text: str) -> list[int]:
    """Parenthesis depth at each character (never negative)."""
    depth, out = 0, []
    for ch in text:
        if ch == "(":
            out.append(depth)
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
            out.append(depth)
        else:
            out.append(depth)
    return out


def _tidy(value: Decimal) -> Decimal:
    """3500000.0 → 3500000 (scaled figures); printed decimals such as 745574.00 stay."""
    integral = value.to_integral_value()
    return integral if value == integral else value


def _read_number(num: str, scale: str | None) -> tuple[Decimal, str]:
    """The value of one printed number and, when it was not read literally, why."""
    value, why = _read_number_raw(num, scale)
    return (_tidy(value) if scale else value), why


def _read_number_raw(num: str, scale: str | None) -> tuple[Decimal, str]:
    digits = re.sub(r"[.,]", "", num)
    groups = re.split(r"[.,]", num)
    seps = re.findall(r"[.,]", num)
    factor = _SCALES.get((scale or "").lower(), Decimal(1))
    if not seps:
        return Decimal(num) * factor, ""
    if scale:
        # "3,5 million": a comma before one or two digits is a decimal comma.
        if seps == [","] and len(groups[1]) in (1, 2):
            value = _tidy(Decimal(f"{groups[0]}.{groups[1]}") * factor)
            return value, (
                f"read '{num} {scale}' as {value:,}: the comma is a decimal comma "
                f"({groups[0]}.{groups[1]} {scale})"
            )
        if seps == ["."]:
            return Decimal(num) * factor, ""
        if all(s == "," for s in seps) and all(len(g) == 3 for g in groups[1:]):
            return Decimal(digits) * factor, ""
        value = _tidy(Decimal(digits) * factor)
        return value, f"read '{num} {scale}' as {value:,}: irregular separators, digits kept"
    first_ok = 1 <= len(groups[0]) <= 3
    commas = [g for s, g in zip(seps, groups[1:], strict=True) if s == ","]
    if all(s == "," for s in seps):
        if first_ok and all(len(g) == 3 for g in groups[1:]):
            return Decimal(digits), ""
        return Decimal(digits), (
            f"read '{num}' as {Decimal(digits):,}: a group of {len(groups[-1])} digit(s) after a "
            "thousands separator, so the figure looks truncated or mistyped; the digits are "
            "kept as printed"
        )
    if seps[-1] == "." and all(s == "," for s in seps[:-1]):
        head = groups[:-1]
        tail = groups[-1]
        head_ok = (1 <= len(head[0]) <= 3) and all(len(g) == 3 for g in head[1:])
        if head_ok and len(tail) in (1, 2):
            return Decimal(f"{''.join(head)}.{tail}"), ""  # 745,574.00
        if head_ok and len(tail) == 3 and commas:
            return Decimal(digits), (
                f"read '{num}' as {Decimal(digits):,}: the point stands where a thousands comma "
                "belongs (three digits follow it)"
            )
        if len(seps) == 1 and len(tail) != 3:
            return Decimal(num), ""  # plain decimal such as 12.5
        return Decimal(digits), (
            f"read '{num}' as {Decimal(digits):,}: a point used as a thousands separator"
        )
    if all(s == "." for s in seps) and first_ok and all(len(g) == 3 for g in groups[1:]):
        return Decimal(digits), (
            f"read '{num}' as {Decimal(digits):,}: points used as thousands separators"
        )
    if seps[-1] == "," and len(groups[-1]) in (1, 2) and all(s == "." for s in seps[:-1]):
        value = Decimal(f"{''.join(groups[:-1])}.{groups[-1]}")
        return value, f"read '{num}' as {value}: a decimal comma after point-separated thousands"
    return Decimal(
        digits
    ), f"read '{num}' as {Decimal(digits):,}: irregular separators, digits kept"


def _figures(text: str) -> list[_Figure]:
    found = []
    for m in _AMOUNT_RE.finditer(text):
        cur = m.group("cur") or ""
        value, why = _read_number(m.group("num"), m.group("scale"))
        if cur.count("$") > 1:
            extra = f"the currency sign is printed twice ('{cur.strip()}')"
            why = (
                f"{why}; {extra}" if why else f"read {value:,} from '{m.group(0).strip()}': {extra}"
            )
        found.append(
            _Figure(value, m.start(), m.end(), m.group(0).strip(), _currency_code(cur), why)
        )
    return found


def _note(text: str, figures: list[_Figure]) -> str:
    rest, last = [], 0
    for f in figures:
        rest.append(text[last : f.start])
        last = f.end
    rest.append(text[last:])
    note = " ".join(part.strip() for part in rest)
    note = re.sub(r"\(\s*\)", "", note)
    note = re.sub(r"\s+", " ", note).strip(" ,;:.+&")
    if _JOINERS_RE.match(note):
        return ""
    if note.startswith("(") and note.endswith(")") and note.count("(") == 1:
        note = note[1:-1].strip()
    return note


NON_USD = "non_usd_amount"


def _currency_code(sign: str) -> str:
    """ "USD", "EUR", or "" when no currency sign was printed."""
    if re.search(r"€|EUR", sign, re.IGNORECASE):
        return "EUR"
    return "USD" if re.search(r"\$|USD", sign, re.IGNORECASE) else ""


def _foreign_currency(currency: str, raw: str) -> Problem | None:
    """Amounts are US$ throughout the portal: another currency is kept as printed and flagged."""
    if currency in ("", "USD"):
        return None
    return Problem(
        NON_USD,
        f"the amount is printed in {currency}; it is kept as printed, not converted to US$",
        raw=raw,
    )


def read_money(text: str) -> MoneyReading:
    """Read one printed amount; any text gives a reading (see the module docstring).

    There is no catch-all here: every case is handled by the rules below, and a bug in them
    raises rather than hiding behind a plausible "malformed" reading. Figures are scaled and
    summed exactly, however many digits they print (the default context rounds to 28)."""
    with localcontext(Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)):
        return _read_money(text)


def _read_money(text: str) -> MoneyReading:
    raw = text if isinstance(text, str) else str(text)
    clean = _clean(raw)
    if not clean:
        return MoneyReading(None, Problem(MALFORMED, "no amount is printed", raw=raw), raw)
    figures = _figures(clean)
    varies = bool(_VARIES_RE.search(clean))
    if not figures:
        if varies:
            return MoneyReading(None, None, raw, note=clean, varies=True)
        return MoneyReading(
            None, Problem(MALFORMED, f"no figure in '{clean}'", raw=raw), raw, note=clean
        )
    depth = _depths(clean)
    with_currency = [f for f in figures if f.currency]
    candidates = with_currency or figures
    top = [f for f in candidates if depth[f.start] == 0] or candidates[:1]
    currency = next((f.currency for f in top if f.currency), "")
    note = _note(clean, top)
    if len(top) == 1:
        fig = top[0]
        problem = Problem(MALFORMED, fig.why, raw=raw) if fig.why else None
        problem = problem or _foreign_currency(currency, raw)
        return MoneyReading(fig.value, problem, raw, note, (fig.value,), varies, currency)
    total = sum((f.value for f in top), Decimal(0))
    between = [clean[a.end : b.start] for a, b in zip(top, top[1:], strict=False)]
    joined = " + ".join(f.literal for f in top)
    why = [
        f"read {joined} as the sum {total:,}: {len(top)} figures are printed where one "
        "amount is expected"
    ]
    if any(not _JOINERS_RE.match(re.sub(r"\([^)]*\)", "", b)) for b in between):
        why.append("words between the figures were left in the note")
    why += [f.why for f in top if f.why]
    return MoneyReading(
        total,
        Problem(MALFORMED, "; ".join(why), raw=raw),
        raw,
        note,
        tuple(f.value for f in top),
        varies,
        currency,
    )
