"""Donors and pledges as the brochure prints them.

A pledges line lists one or more amounts, each with its donor:
"US$ 125,000 from Turkey US$ 178,300 from France", "Serbia Joint Programme: US$ 700,000
(Belgium)", "US$0" (nothing pledged), or an amount whose donor is not named
("US$ 368,800, which has allowed for phase I to start").
"""

from __future__ import annotations

import re

import pycountry

from ingest.parsers.countries import EXTRA_COUNTRIES, resolve_country
from ingest.parsers.money import CURRENCY_AMOUNT_PATTERN, read_money
from ingest.parsers.types import ParsedPledge, Problem
from projects.un_names import un_name

_ARTICLE_RE = re.compile(r"^(?:the|la|le|les|el)\s+", re.IGNORECASE)
_AMOUNT_RE = re.compile(CURRENCY_AMOUNT_PATTERN, re.IGNORECASE)
_NONE_RE = re.compile(r"^\W*(?:none|nil|no(?:\s+\w+)*\s+pledges?|not\s+yet|n/?a)\W*$", re.I)
_FROM_RE = re.compile(r"^\s*[,;:]?\s*(?:from|by|of)\s+(?P<donor>.+?)\s*[,;.]?\s*$", re.IGNORECASE)
# "(Belgium)": a bracketed name after the amount (a capitalised one: "(pending)" is a note)
_PAREN_RE = re.compile(r"^\s*\((?P<donor>[A-Z][^()]*)\)\s*[,;.]?\s*$")


def normalise_donor(name: str) -> str:
    """A donor's name as the portal shows it.

    Countries take the UN's name ("Turkey" → "Türkiye", "the Republic of Korea" →
    "Republic of Korea", "Viet Nam"); other donors keep their printed name without a
    leading article ("the European Commission" → "European Commission").
    """
    cleaned = re.sub(r"\s+", " ", name).strip().strip(" ,;:.")
    code = resolve_country(cleaned)
    if code:
        if code in EXTRA_COUNTRIES:
            return EXTRA_COUNTRIES[code][1]
        un = un_name(code)
        if un:
            return un
        country = pycountry.countries.get(alpha_3=code)
        if country is not None:
            return getattr(country, "common_name", None) or country.name
    return _ARTICLE_RE.sub("", cleaned)


def _chunks(text: str) -> list[tuple[str, str, str]]:
    """(prefix, amount_text, suffix) for each amount printed with a currency sign.

    The prefix is the words before the first amount ("Serbia Joint Programme:"), the
    suffix the words after an amount up to the next one ("from France").
    """
    matches = list(_AMOUNT_RE.finditer(text))
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        prefix = text[: m.start()] if i == 0 else ""
        out.append((prefix, m.group(0), text[m.end() : end]))
    return out


def parse_pledges(text: str) -> tuple[tuple[ParsedPledge, ...], tuple[Problem, ...]]:
    """Pledges printed on one line, and the problems met reading them.

    Zero amounts ("US$0") are not pledges. An amount whose donor is not named gives a
    pledge with donor None and an ``unnamed_donor`` problem; a figure not read literally
    gives a ``malformed_amount`` problem.
    """
    clean = re.sub(r"\s+", " ", text.replace("\\$", "$")).strip()
    if not clean or _NONE_RE.match(clean):
        return (), ()
    pledges: list[ParsedPledge] = []
    problems: list[Problem] = []
    chunks = _chunks(clean)
    if not chunks:
        reading = read_money(clean)
        if reading.value is None:
            problems.append(
                Problem("malformed_amount", f"no pledged amount in '{clean}'", raw=text)
            )
            return (), tuple(problems)
        chunks = [("", clean, "")]
    for prefix, amount_text, suffix in chunks:
        reading = read_money(amount_text)
        raw = f"{prefix}{amount_text}{suffix}".strip()
        if reading.problem:
            problems.append(Problem("malformed_amount", reading.problem.message, raw=raw))
        if reading.value is None or reading.value == 0:
            continue
        donor, note, printed = None, "", ""
        m = _FROM_RE.match(suffix) or _PAREN_RE.match(suffix)
        if m:
            printed = m.group("donor").strip()
            donor = normalise_donor(printed)
        else:
            note = suffix.strip(" ,;:.")
        prefix_note = prefix.strip(" ,;:.")
        note = "; ".join(n for n in (prefix_note, note) if n)
        if donor is None:
            problems.append(
                Problem(
                    "unnamed_donor",
                    f"pledge of {reading.value:,} names no donor"
                    + (f" ('{note}')" if note else ""),
                    raw=raw,
                )
            )
        pledges.append(
            ParsedPledge(
                donor=donor,
                amount=reading.value,
                note=note or None,
                raw=raw,
                donor_as_printed=printed,
            )
        )
    return tuple(pledges), tuple(problems)
