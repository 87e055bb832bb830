"""Country names as documents print them, resolved to ISO 3166 alpha-3.

pycountry knows the official and common names; the aliases below are the other
spellings UN documents use (older names, short forms, articles).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry

from projects.un_names import un_countries, un_name

ALIASES: dict[str, str] = {
    "viet nam": "VNM",
    "vietnam": "VNM",
    "lao pdr": "LAO",
    "laos": "LAO",
    "lao people's democratic republic": "LAO",
    "cote d'ivoire": "CIV",
    "ivory coast": "CIV",
    "guinea conakry": "GIN",
    "guinea-conakry": "GIN",
    "guinea bissau": "GNB",
    "swaziland": "SWZ",
    "eswatini": "SWZ",
    "democratic republic of congo": "COD",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "republic of congo": "COG",
    "congo": "COG",
    "united republic of tanzania": "TZA",
    "tanzania": "TZA",
    "cap verde": "CPV",
    "cape verde": "CPV",
    "cabo verde": "CPV",
    "russia": "RUS",
    "russian federation": "RUS",
    "moldova": "MDA",
    "republic of moldova": "MDA",
    "syria": "SYR",
    "syrian arab republic": "SYR",
    "iran": "IRN",
    "iran (islamic republic of)": "IRN",
    "bolivia": "BOL",
    "bolivia (plurinational state of)": "BOL",
    "plurinational state of bolivia": "BOL",
    "venezuela": "VEN",
    "venezuela (bolivarian republic of)": "VEN",
    "the former yugoslav republic of macedonia": "MKD",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "kosovo": "XKX",
    "turkey": "TUR",
    "turkiye": "TUR",
    "united kingdom": "GBR",
    "united kingdom of great britain and northern ireland": "GBR",
    "united states": "USA",
    "united states of america": "USA",
    "usa": "USA",
    "korea": "KOR",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "democratic people's republic of korea": "PRK",
    "north korea": "PRK",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "czech republic": "CZE",
    "czechia": "CZE",
    "kyrgyz republic": "KGZ",
    "burma": "MMR",
    "micronesia": "FSM",
    "micronesia (federated states of)": "FSM",
    "holy see": "VAT",
    "brunei": "BRN",
    "brunei darussalam": "BRN",
    "timor leste": "TLS",
    "timor-leste": "TLS",
    "east timor": "TLS",
    "sudan": "SDN",
    "south sudan": "SSD",
    "libya": "LBY",
    "libyan arab jamahiriya": "LBY",
    "gambia": "GMB",
    "bahamas": "BHS",
    "netherlands": "NLD",
    "philippines": "PHL",
    "comoros": "COM",
    "maldives": "MDV",
    "niger": "NER",
    "panama": "PAN",
}

# Alpha-3 codes pycountry does not carry but UN documents use.
EXTRA_COUNTRIES: dict[str, tuple[str, str]] = {"XKX": ("XK", "Kosovo")}


def fold(text: str) -> str:
    """Lower case, accents and curly quotes removed, a leading article dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    text = re.sub(r"\s+", " ", text).strip().strip(".,;:").strip().lower()
    return re.sub(r"^the ", "", text)


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in un_countries().values():
        index.setdefault(fold(country.name), country.iso3)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(fold(value), country.alpha_3)
    index.update(ALIASES)
    return index


def resolve_country(name: str) -> str | None:
    """The alpha-3 code of one printed country name, or None when it names no country."""
    return _index().get(fold(name))


@cache
def _finder() -> re.Pattern[str]:
    names = sorted(_index(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])(?:the )?({alternatives})(?![\w-])")


def find_countries(text: str) -> tuple[str, ...]:
    """Every country named in running text, in order of first mention, without repeats.

    Longer names win ("South Africa" is not also "Africa"; "Guinea Bissau" not "Guinea").
    """
    found: list[str] = []
    for match in _finder().finditer(fold_keep_length(text)):
        code = _index()[match.group(1)]
        if code not in found:
            found.append(code)
    return tuple(found)


def fold_keep_length(text: str) -> str:
    """Like fold() but without trimming, so the result can be searched as running text."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return re.sub(r"\s+", " ", text).lower()


def display_name(country) -> str:
    """The UN's name ("Republic of Korea", "Bolivia (Plurinational State of)"); for what the UN
    does not name, pycountry's, as people use it ("Congo, The …" turned round)."""
    un = un_name(country.alpha_3)
    if un:
        return un
    name = getattr(country, "common_name", None) or country.name
    if "," in name:
        head, tail = name.split(",", 1)
        name = getattr(country, "official_name", None) or f"{tail.strip()} {head}"
    return re.sub(r"^[Tt]he ", "", name)


def all_countries() -> list[tuple[str, str, str]]:
    """(alpha-3, alpha-2, name) for every country pycountry knows, plus EXTRA_COUNTRIES."""
    rows = [(c.alpha_3, c.alpha_2, display_name(c)) for c in pycountry.countries]
    rows += [(a3, a2, name) for a3, (a2, name) in EXTRA_COUNTRIES.items()]
    return rows


def plain_text(text: str) -> str:
    """Accents and curly quotes removed, case kept (the text country_spans indexes)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")


def country_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, alpha-3) of each country named in plain_text(text), in order.

    Like find_countries but keeping every mention and where it is, so a caller can
    see which words of a line are not country names.
    """
    plain = plain_text(text)
    lowered = plain.lower()
    if len(lowered) != len(plain):  # a character whose lower case is longer: index words
        lowered = "".join(c.lower()[:1] for c in plain)
    return [(m.start(), m.end(), _index()[m.group(1)]) for m in _finder().finditer(lowered)]
