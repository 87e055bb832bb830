"""Reading the values of a brochure project's table: countries, focal points, phases, theme."""

from __future__ import annotations

import re

from ingest.parsers.brochure_blocks import SUPERSCRIPTS, superscript_number
from ingest.parsers.countries import country_spans, find_countries, fold, plain_text
from ingest.parsers.money import CURRENCY_AMOUNT_PATTERN, read_money
from ingest.parsers.types import ParsedFocalPoint, ParsedPhase, Problem

# ---------------------------------------------------------------- table labels

_LABELS = {
    "country": "country",
    "countries": "country",
    "subregion": "country",
    "sub-region": "country",
    "sub region": "country",
    "target countries": "country",
    "beneficiary countries": "country",
    "location": "country",
    "region": "region",
    "budget": "budget",
    "total budget": "budget",
    "project budget": "budget",
    "total pledges": "pledges",
    "pledges": "pledges",
    "pledged": "pledges",
    "pledge": "pledges",
    "funds pledged": "pledges",
    "shortfall": "shortfall",
    "funding shortfall": "shortfall",
    "funding gap": "shortfall",
    "duration": "duration",
}


# the words the labels above and the focal points' labels are made of
LABEL_WORDS = frozenset(
    word
    for label in [*_LABELS, "hq focal point", "headquarters", "field office", "contact person"]
    for word in label.replace("-", " ").split()
)


def label_key(label: str) -> str | None:
    """What a table label stands for: country, region, budget, pledges, shortfall,
    duration, hq or field (focal points); None for a label that is not a project field."""
    key = re.sub(r"\s+", " ", label).strip().strip(":").strip().lower()
    if key in _LABELS:
        return _LABELS[key]
    if "focal point" in key or "contact" in key or key in ("hq", "headquarters"):
        return "field" if "field" in key else "hq"
    if key.startswith("field office") or key == "field":
        return "field"
    return None


# ---------------------------------------------------------------- countries

_REGION_WORDS = re.compile(
    r"\b(?:africa|african|asia|asian|europe|european|america|american|caribbean|pacific|"
    r"middle|east|west|north|south|central|eastern|western|northern|southern|region|regional|"
    r"sub-?region|global|worldwide|gulf|balkans?|states|members?|countries|community|union|"
    r"organi[sz]ation|communities|programme|initially)\b",
    re.IGNORECASE,
)
_FOOTNOTE_MARK_RE = re.compile(rf"\s*([{SUPERSCRIPTS}]+)\s*$")


def read_countries(
    label: str, footnotes: dict[int, str]
) -> tuple[tuple[str, ...], str, list[Problem]]:
    """ISO alpha-3 codes named by a country line, the coverage note, and problems.

    A footnote marker at the end of the line ("Member States of BSEC Organization ²")
    is expanded with the footnote's text. Words that are not country names make the
    line a coverage note ("Global", "Nigeria and a maximum of six European countries");
    a short capitalised name that is no known country gives ``unknown_country``.
    """
    problems: list[Problem] = []
    text = label.strip()
    marker = _FOOTNOTE_MARK_RE.search(text)
    expansion = ""
    if marker:
        number = superscript_number(marker.group(1))
        text = text[: marker.start()].strip()
        if number is not None and number in footnotes:
            expansion = footnotes[number]
        else:
            problems.append(
                Problem(
                    "unknown_footnote",
                    f"footnote {marker.group(1)} on the country line is not printed on its page",
                    raw=label,
                )
            )
    plain = plain_text(text)
    spans = country_spans(text)
    codes: list[str] = []
    for code in [c for _, _, c in spans] + list(find_countries(expansion.split(":", 1)[-1])):
        if code not in codes:
            codes.append(code)
    rest, last = [], 0
    for start, end, _ in spans:
        rest.append(plain[last:start])
        last = end
    rest.append(plain[last:])
    descriptive = False
    for piece in re.split(r"\s*(?:[,;/&|]|\band\b)\s*", "|".join(rest)):
        piece = re.sub(r"^(?:the|and|of)\b\s*", "", piece.strip(" .()-"), flags=re.I).strip()
        if not piece:
            continue
        if _looks_like_country(piece):
            problems.append(
                Problem("unknown_country", f"'{piece}' is not a country we know", raw=label)
            )
        else:
            descriptive = True
    note = text.rstrip(" .;,") if descriptive or not (codes or problems) else ""
    return tuple(codes), note, problems


def _looks_like_country(piece: str) -> bool:
    words = piece.split()
    return (
        0 < len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and not _REGION_WORDS.search(piece)
        and not re.search(r"\d", piece)
    )


# ---------------------------------------------------------------- focal points

_HONORIFIC_RE = re.compile(r"\b(Ms|Mr|Mrs|Dr|Prof)\.\s*")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LABEL_RE = re.compile(r"\s*,?\s*\bE-?\s?mail\s*[.:]?\s*$", re.IGNORECASE)
_TEL_RE = re.compile(
    r"\bTel(?:ephone)?\s*\.?\s*:?\s*(?P<phone>.+?)\s*(?=,?\s*\bE-?\s?mail\b|[\w.+-]+@|$)",
    re.IGNORECASE,
)
_POSITION_RE = re.compile(
    r"\b(?:Coordinator|Officer|Expert|Manager|Advis[eo]r|Representative|Director|Chief|Head|"
    r"Consultant|Specialist|Assistant|Analyst)\b"
)
_UNIT_RE = re.compile(
    r"\b(?:Unit|Office|Centre|Center|Section|Branch|Division|UNODC|Programme|Project|"
    r"Regional|National|Country)\b"
)


def read_focal_points(text: str, role: str) -> tuple[ParsedFocalPoint, ...]:
    """People named in a focal point value: one or several, each with their details."""
    text = re.sub(r"\s+", " ", text).strip()
    cuts = {0, len(text)}
    cuts.update(m.start() for m in _HONORIFIC_RE.finditer(text))
    cuts.update(m.end() for m in _EMAIL_RE.finditer(text))
    points = []
    bounds = sorted(cuts)
    for a, b in zip(bounds, bounds[1:], strict=False):
        segment = text[a:b].strip(" ,;")
        segment = re.sub(r"^(?:and\b|&)", "", segment).strip(" ,;")
        if not re.search(r"[^\W\d_]{2,}", segment):
            continue
        point = _read_person(segment, role)
        if point is None:
            continue
        if points and not point.name and (point.phone or point.email):
            prev = points[-1]  # details printed apart from their name
            points[-1] = ParsedFocalPoint(
                prev.role,
                prev.name,
                prev.honorific,
                prev.position,
                prev.unit,
                prev.phone or point.phone,
                prev.email or point.email,
            )
            continue
        points.append(point)
    return tuple(points)


def _read_person(segment: str, role: str) -> ParsedFocalPoint | None:
    email_m = _EMAIL_RE.search(segment)
    email = email_m.group(0).rstrip(".") if email_m else None
    tel_m = _TEL_RE.search(segment)
    phone = tel_m.group("phone").strip(" ,;") if tel_m else ""
    ends = [m.start() for m in (tel_m, email_m) if m]
    head = segment[: min(ends)] if ends else segment
    head = _EMAIL_LABEL_RE.sub("", head).strip(" ,;")
    honorific = ""
    hm = _HONORIFIC_RE.match(head)
    if hm:
        honorific = f"{hm.group(1)}."
        head = head[hm.end() :]
    parts = [p.strip() for p in head.split(",") if p.strip()]
    if not parts:
        return ParsedFocalPoint(role, "", honorific, "", "", phone, email)
    name, rest = _split_name(parts[0], email)
    details = ([rest] if rest else []) + parts[1:]
    position, units = "", []
    for part in details:
        m = _POSITION_RE.search(part)
        if m and not position:
            after = part[m.end() :].strip()
            if after and after[0].isupper() and _UNIT_RE.search(after):
                position, after_unit = part[: m.end()].strip(), after
                units.append(after_unit)
            else:
                position = part
        else:
            units.append(part)
    return ParsedFocalPoint(role, name, honorific, position, ", ".join(units), phone, email)


def _split_name(first: str, email: str | None) -> tuple[str, str]:
    """A person's name at the start of `first`, and the words after it.

    A short phrase without office words is all name; otherwise the name is the words
    found in the e-mail address's local part ("Riikka Puttonen Anti-Human …" with
    riikka.puttonen@…), else the first two words.
    """
    words = first.split()
    if len(words) <= 4 and not _UNIT_RE.search(first) and not _POSITION_RE.search(first):
        return first, ""
    count = 0
    if email:
        tokens = [t for t in re.split(r"[^a-z]+", fold(email.split("@", 1)[0])) if t]
        for word in words[:5]:
            letters = re.sub(r"[^a-z]", "", fold(word))
            if len(letters) < 2 or not any(letters == t or letters in t for t in tokens):
                break
            count += 1
    if not count:
        count = min(2, len(words))
    return " ".join(words[:count]), " ".join(words[count:])


# ---------------------------------------------------------------- phases

_AMOUNT_RE = re.compile(CURRENCY_AMOUNT_PATTERN, re.IGNORECASE)
_PERIOD_RE = re.compile(r"\b(?:19|20)\d{2}\s*[-–/]\s*(?:(?:19|20)?\d{2})\b|\b(?:19|20)\d{2}\b")


def read_phases(budget_text: str, parts: int) -> tuple[tuple[ParsedPhase, ...], list[str]]:
    """Budgets printed by phase, and the reasons (messages) of figures not read literally.

    Two shapes: a total followed by its phases in brackets ("US$ 3,5 million (phase I
    2009-10 US$ 368,800 and phase II 2011-12 US$ 3,2 million)"), or several amounts
    each labelled ("US$ 135,600 (feasibility study); approx. US$ 2,000,000
    (implementation phase)") — `parts` says how many top-level figures the budget had.
    """
    text = re.sub(r"\s+", " ", budget_text.replace("\\$", "$")).strip()
    matches = list(_AMOUNT_RE.finditer(text))
    if len(matches) < 2:
        return (), []
    phases, whys = [], []
    if parts >= 2:
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            after = text[m.end() : end]
            label_m = re.match(r"\s*\(([^)]+)\)", after)
            label = label_m.group(1).strip() if label_m else f"part {i + 1}"
            reading = read_money(m.group(0))
            if reading.problem:
                whys.append(f"{label}: {reading.problem.message}")
            raw = m.group(0) + (label_m.group(0) if label_m else "")
            phases.append(ParsedPhase(label, "", reading.value, raw.strip()))
        return tuple(phases), whys
    first_paren = text.find("(", matches[0].end())
    inner_matches = [m for m in matches[1:] if first_paren != -1 and m.start() > first_paren]
    prev_end = first_paren + 1
    for m in inner_matches:
        chunk = text[prev_end : m.start()]
        chunk = re.sub(r"^\s*(?:and|,|;|\+)\s*", "", chunk).strip(" ,;")
        period_m = _PERIOD_RE.search(chunk)
        period = re.sub(r"\s+", "", period_m.group(0)) if period_m else ""
        label = (_PERIOD_RE.sub("", chunk) if period_m else chunk).strip(" ,;:-")
        reading = read_money(m.group(0))
        if reading.problem:
            whys.append(f"{label or 'phase'}: {reading.problem.message}")
        raw = f"{chunk} {m.group(0)}".strip()
        phases.append(ParsedPhase(label or f"phase {len(phases) + 1}", period, reading.value, raw))
        prev_end = m.end()
    return tuple(phases), whys


# ---------------------------------------------------------------- theme

_TRAFFICKING_RE = re.compile(r"(?i:traffick)|\bTIP\b|\bTHB\b")
_SMUGGLING_RE = re.compile(r"(?i:smuggl)|\bSoM\b")


def theme_of(title: str, description_text: str) -> str:
    """trafficking / smuggling / both.

    Rule: the title decides when it names either crime (both named → "both"). When it
    names neither, the description decides: counting mentions of each ("traffick…",
    TIP, THB vs "smuggl…", SoM), "both" when the rarer has at least half the mentions
    of the commoner, else the commoner; "trafficking" when neither is mentioned.
    """
    t_title = bool(_TRAFFICKING_RE.search(title))
    s_title = bool(_SMUGGLING_RE.search(title))
    if t_title or s_title:
        return "both" if t_title and s_title else ("trafficking" if t_title else "smuggling")
    t = len(_TRAFFICKING_RE.findall(description_text))
    s = len(_SMUGGLING_RE.findall(description_text))
    if t == 0 and s == 0:
        return "trafficking"
    if min(t, s) * 2 >= max(t, s):
        return "both"
    return "trafficking" if t > s else "smuggling"


# ---------------------------------------------------------------- titles

_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
_CODE_RE = re.compile(r"\(([A-Z]{3,5}\d{2,3}[A-Z]?)\)")
_DURATION_RE = re.compile(
    r"\((\d+(?:[.,]\d+)?\s*(?:-\s*\d+\s*)?(?:years?|months?|weeks?))\)", re.IGNORECASE
)


def section_name(heading: str) -> str:
    """A section heading as a donor reads it: "GLOBAL PROJECTS" → "Global",
    "SOUTH & EAST ASIA & THE PACIFIC" → "South & East Asia & the Pacific"."""
    text = re.sub(r"\s+", " ", heading).strip()
    text = re.sub(r"\s+(?:PROJECTS?|PROGRAMMES?|PROGRAMS?)$", "", text, flags=re.IGNORECASE)
    if text != text.upper():
        return text
    words = []
    for i, word in enumerate(text.split(" ")):
        lower = word.lower()
        if i and lower in _SMALL_WORDS:
            words.append(lower)
        else:
            words.append("-".join(p[:1].upper() + p[1:] for p in lower.split("-")))
    return " ".join(words)


def unodc_code(title: str) -> str | None:
    codes = _CODE_RE.findall(title)
    return codes[-1] if codes else None


def duration_of(title: str) -> str:
    m = _DURATION_RE.search(title)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""
