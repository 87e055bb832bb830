"""Figures the report states, read with generic patterns, and the trust fund they describe.

A fact is a quantity printed in running text: a count ("Thirty-six … activities",
"over 60 countries", "1,311 … cases") whose noun is one of UNITS, or a sum of money
("$2.3 million", "$357,701"). Nothing here knows a paragraph number or a figure of
a particular edition; the labels come from the words around each figure.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal

from projects.un_names import un_countries, un_name

from .brochure_fields import theme_of
from .countries import find_countries
from .types import ParsedProject

# Counted nouns worth reporting, as printed (plural) -> unit. Two-word nouns first.
UNITS: dict[str, str] = {
    "case briefs": "case briefs",
    "member states": "member states",
    "states parties": "parties",
    "parties": "parties",
    "cases": "cases",
    "jurisdictions": "jurisdictions",
    "activities": "activities",
    "countries": "countries",
    "practitioners": "practitioners",
    "officials": "officials",
    "tools": "tools",
    "donors": "donors",
    "projects": "projects",
    "survivors": "survivors",
    "victims": "victims",
    "organizations": "organizations",
    "workshops": "workshops",
    "papers": "papers",
    "reports": "reports",
    "publications": "publications",
    "participants": "participants",
    "people": "people",
}
# Words that end the search for a counted noun: the figure counts something else.
_STOP = {
    "in", "of", "from", "to", "with", "were", "was", "is", "are", "be", "been", "have", "has",
    "had", "the", "a", "an", "for", "on", "at", "by", "as", "that", "which", "who", "each", "per",
    "during", "including", "between", "into", "than", "before", "after", "since", "until",
    "where", "when", "out", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "years", "year", "months",
    "month", "days", "day", "weeks", "hours", "cent", "percent",
}  # fmt: skip
_UNITS_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_DIGITS = "one|" + "|".join(k for k, v in _UNITS_WORDS.items() if v < 10)
_WORD_NUMBER = (
    rf"(?:{'|'.join(_TENS)})(?:-(?:{_DIGITS}))?|{'|'.join(sorted(_UNITS_WORDS, key=len)[::-1])}"
)
_ONES = {"one": 1, **{k: v for k, v in _UNITS_WORDS.items() if v < 10}}
_NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s+(?P<scale>million|billion|thousand))?"
COUNT_RE = re.compile(
    rf"(?<![\w./$#-])(?P<num>{_NUMERAL}|{_WORD_NUMBER}){_SCALE}(?![\w/%-]|[.,]\d)", re.I
)
MONEY_RE = re.compile(
    rf"(?:(?:US)?\$\s?|\bUSD\s?)(?P<num>{_NUMERAL}){_SCALE}(?![\w%-]|[.,]\d)"
    rf"|(?P<num2>{_NUMERAL}){_SCALE.replace('scale', 'scale2')}\s+(?:United States |US )dollars"
)
_SCALES = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# Words before "of"/"worth" that end a money label ("a balance of" -> "balance").
_LABEL_STOP = {
    "a", "an", "the", "with", "has", "had", "have", "of", "its", "their", "is", "was", "are",
    "were", "by", "for", "in", "at", "on", "to", "from",
}  # fmt: skip
_SENTENCE_RE = re.compile(r"(?<=[.;:!?])\s+(?=[A-Z0-9(\"\u201c$])|\n")


@dataclass(frozen=True)
class ReportFact:
    label: str  # what is counted or what the sum is ("case briefs", "paid contributions")
    value: Decimal
    unit: str  # "parties", "cases", "countries", …, or "USD"
    paragraph: int
    text: str  # the sentence (or list item) that states it, as printed


def number_value(printed: str, scale: str | None = None) -> Decimal:
    """ "1,311" -> 1311; "Thirty-six" -> 36; ("2.3", "million") -> 2300000."""
    word = printed.lower()
    if word[0].isdigit():
        value = Decimal(word.replace(",", ""))
    else:
        tens, _, unit = word.partition("-")
        value = Decimal(_TENS.get(tens, 0) + _UNITS_WORDS.get(tens, 0) + _ONES.get(unit, 0))
    if scale:
        value *= _SCALES[scale.lower()]
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_RE.split(text) if s.strip()]


def _counted(after: str) -> tuple[str, str] | None:
    """(label, unit) when the words after a figure name a counted noun of UNITS."""
    words = re.findall(r"[\w'-]+(?:/[\w'-]+)?|[^\w\s]", after[:160])
    for i, word in enumerate(words[:8]):
        low = word.lower()
        pair = f"{low} {words[i + 1].lower()}" if i + 1 < len(words) else ""
        for key in (pair, low):
            if key in UNITS:
                label = " ".join(words[: i + 1 + (key == pair)]).replace(" ,", ",")
                return label, UNITS[key]
        if low == ",":
            continue
        if low in _STOP or re.fullmatch(r"[\d.,]+", low) or not low[0].isalnum():
            return None
        if re.fullmatch(_WORD_NUMBER, low, re.I):
            return None
    return None


# What marks a sum as money still needed, whatever the year's wording: "an additional $X",
# "a further $X", "another $X", "still requires $X", "needs at least $X", "$X will be
# needed", "$X more is required", "a shortfall of $X", "a funding gap of $X".
NEED_LABEL = "additional funding needed"
_ABOUT = (
    r"(?:(?:a\s+(?:minimum|total|sum)\s+of|at\s+least|some|about|around|approximately"
    r"|an\s+estimated|over|more\s+than|up\s+to)\s+)?"
)
_NEED_BEFORE = re.compile(
    rf"(?:\b(?:additional|further|extra|another|more)\s+{_ABOUT}"
    rf"|\b(?:requires?|required|needs?|needed|lacks?|lacking|seeks?|seeking|short\s+(?:of|by))"
    rf"\s+(?:a\s+further\s+|an\s+additional\s+|another\s+)?{_ABOUT}"
    rf"|\b(?:shortfall|gap|deficit|need|needs|requirement|requirements)\s+"
    rf"(?:of|amounting\s+to|totall?ing|estimated\s+at)\s+{_ABOUT})$",
    re.I,
)
_NEED_AFTER = re.compile(
    r"^\s+(?:more\s+|extra\s+|in\s+(?:additional|further|new)\s+(?:funding|funds)\s+)?"
    r"(?:(?:is|are|was|were|will|would|remains?|remained|has|have|must|still)\b[\w\s]{0,30}?"
    r"\b(?:needed|required|sought|lacking|outstanding|missing|unfunded)\b"
    r"|(?:is\s+|are\s+)?(?:still|yet|remains?|must)\s+(?:to\s+)?be\s+"
    r"(?:raised|found|mobilized|secured)\b)",
    re.I,
)


def _needed(before: str, after: str) -> bool:
    """Whether the sentence around a sum says it is still needed (by meaning, not one wording)."""
    return bool(_NEED_BEFORE.search(before + " ") or _NEED_AFTER.match(after))


def _money_label(sentence: str, start: int, end: int) -> str:
    before, after = sentence[:start].rstrip(), sentence[end:]
    if _needed(before, after):
        return NEED_LABEL
    m = re.match(
        r"\s+in\s+((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s*(?:[,.;:]|$)|\s+(?:with|from|for|and|since)\b)",
        after,
    )  # noqa: E501
    if m and not re.fullmatch(r"\d{4}", m.group(1)):
        return m.group(1)
    m = re.search(r"\s(?:of|worth|totalling|totaling|amounting to)$", before)
    if m:
        words: list[str] = []
        for word in reversed(before[: m.start()].split()[-4:]):
            if word.lower() in _LABEL_STOP or not re.fullmatch(r"[A-Za-z-]+", word):
                break
            words.insert(0, word)
        if words:
            return " ".join(words)
    m = re.search(r"\b(received|raised|contributed|pledged|spent|allocated|disbursed)$", before)
    if m:
        year = re.search(r"\b(?:In|in|During|during) (\d{4})\b", sentence)
        return f"{m.group(1)} in {year.group(1)}" if year else m.group(1)
    return "amount"


def extract_facts(paragraphs: list[tuple[int, str]]) -> tuple[ReportFact, ...]:
    """Every count of a UNITS noun and every sum of money in the numbered paragraphs."""
    facts: list[ReportFact] = []
    for number, text in paragraphs:
        for sentence in _sentences(text):
            found: list[tuple[int, ReportFact]] = []
            money_spans = []
            for m in MONEY_RE.finditer(sentence):
                printed = m.group("num") or m.group("num2")
                value = number_value(printed, m.group("scale") or m.group("scale2"))
                label = _money_label(sentence, m.start(), m.end())
                found.append((m.start(), ReportFact(label, value, "USD", number, sentence)))
                money_spans.append(range(m.start(), m.end()))
            for m in COUNT_RE.finditer(sentence):
                if any(m.start() in span for span in money_spans):
                    continue
                printed = m.group("num")
                if re.fullmatch(r"(?:19|20)\d\d", printed):
                    continue  # a year
                counted = _counted(sentence[m.end() :])
                if counted:
                    value = number_value(printed, m.group("scale"))
                    fact = ReportFact(counted[0], value, counted[1], number, sentence)
                    found.append((m.start(), fact))
            facts += [fact for _, fact in sorted(found, key=lambda f: f[0])]
    return tuple(facts)


# A trust fund named in full ("United Nations Voluntary Trust Fund for Victims of …,
# Especially …"): capitalised words, "Trust Fund for", then capitalised words and small ones.
# The longest printed form is the title.
FUND_RE = re.compile(
    r"(?:United Nations\s+)?(?:[A-Z][a-z]+\s+){0,4}Trust\s+Fund\s+for"
    r"(?:\s+(?:[A-Z][a-z]+|of|in|and|on|the))+"
    r"(?:,\s+[Ee]specially(?:\s+[A-Za-z]+)+?(?=[,.;)]|\s+(?:established|has|had|was|is)\b))?"
)
_FUND_MENTION = re.compile(r"\bTrust Fund\b|\bthe Fund\b")


_WORLDWIDE_RE = re.compile(
    r"\b(?:global(?:ly)?|world-?wide|around the world|all (?:the )?regions)\b", re.I
)


def _reach(text: str, countries: tuple[str, ...]) -> tuple[str, str]:
    """(section, coverage note) as the fund's paragraphs state its reach: "Global" when they
    say it works worldwide ("global calls for proposals") or name no country; else the one
    region (UN M49) of the countries they name, with those countries as the coverage."""
    if not countries or _WORLDWIDE_RE.search(text):
        return "Global", "Global"
    known = un_countries()
    regions = {known[code].region for code in countries if code in known}
    names = ", ".join(un_name(code) or code for code in countries)
    return (regions.pop() if len(regions) == 1 else "Global"), names


def fund_opportunity(
    paragraphs: list[tuple[int, str, int | None]], facts: tuple[ReportFact, ...]
) -> tuple[ParsedProject | None, list[str]]:
    """The victims' trust fund as a funding opportunity, from the paragraphs that give its money.

    `paragraphs` are (number, text, printed page or None). The fund's paragraphs are
    those naming it (by name or as "the Trust Fund") and stating a sum of money.
    """
    names = [m.group(0) for _, text, _ in paragraphs for m in FUND_RE.finditer(text)]
    if not names:
        return None, []
    title = re.sub(r"\s+", " ", max(names, key=len))
    money = {f.paragraph for f in facts if f.unit == "USD"}
    chosen = [
        (n, text, page)
        for n, text, page in paragraphs
        if n in money and (FUND_RE.search(text) or _FUND_MENTION.search(text))
    ]
    if not chosen:
        return None, [f"{title}: named, but no paragraph states its funding"]
    numbers = [n for n, _, _ in chosen]
    fund_facts = [f for f in facts if f.paragraph in numbers and f.unit == "USD"]
    need = next((f for f in fund_facts if f.label == NEED_LABEL), None)
    warnings = [] if need else [f"{title}: no additional need stated"]
    items = "".join(
        f"<li><strong>{html.escape(f.label[:1].upper() + f.label[1:])}</strong>: "
        f"USD {f.value:,}</li>"
        for f in fund_facts
    )
    description = "".join(f"<p>{html.escape(text)}</p>" for _, text, _ in chosen)
    if items:
        description += f"<ul>{items}</ul>"
    where = ("paragraph " if len(numbers) == 1 else "paragraphs ") + ", ".join(map(str, numbers))
    text = " ".join(text for _, text, _ in chosen)
    countries = find_countries(MONEY_RE.sub(" ", text))  # not "United States" dollars
    section, coverage = _reach(text, countries)
    project = ParsedProject(
        title=title,
        section=section,
        code=None,
        # Cited by paragraph: the text rendition's page footers do not match the printed pages,
        # and both formats must give the same result.
        page=None,
        countries=countries,
        coverage_note=coverage,
        theme=theme_of(title, text),  # the crime its name (or else its paragraphs) names
        budget=None,
        stated_shortfall=need.value if need else None,
        shortfall_text=need.text if need else "",
        description=description,
        where=where,
    )
    return project, warnings
