"""Country names as the United Nations writes them, from projects/data/un-country-names.csv.

The short names of UNTERM (the UN's terminology database) without their trailing article
("Republic of Korea (the)" → "Republic of Korea"; "Afghanistan (l')" → "Afghanistan"), and
the M49 name of the UN Statistics Division where UNTERM has none ("Türkiye", "Côte d’Ivoire").
Django-free: the ingest parsers read it too. Keyed by ISO 3166 alpha-3.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "un-country-names.csv"
LANGUAGES = ("en", "fr", "es")
# "(the)", "(l')", "(le)", "(la)", "(les)", "(el)", "(los)", "(las)" closing a UNTERM short name.
# A footnote star may follow it: "State of Palestine (the) *".
_ARTICLE = re.compile(r"\s*\((?:the|l['’]|le|la|les|el|los|las)\)\s*$", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\s*\*+\s*$")


@dataclass(frozen=True)
class UNCountry:
    iso3: str
    iso2: str
    names: dict[str, str]
    region: str
    subregion: str
    intermediate_region: str

    @property
    def name(self) -> str:
        return self.names["en"]

    @property
    def area(self) -> str:
        """The narrowest M49 grouping: "Western Africa" rather than "Sub-Saharan Africa"."""
        return self.intermediate_region or self.subregion


def short_name(unterm: str, m49: str) -> str:
    return _ARTICLE.sub("", _FOOTNOTE.sub("", unterm)).strip() or m49.strip()


@cache
def un_countries() -> dict[str, UNCountry]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["iso3"]: UNCountry(
            iso3=row["iso3"],
            iso2=row["iso2"],
            names={
                lang: short_name(row[f"unterm_{lang}_short"], row[f"m49_name_{lang}"])
                for lang in LANGUAGES
            },
            region=row["m49_region"],
            subregion=row["m49_subregion"],
            intermediate_region=row["m49_intermediate_region"],
        )
        for row in rows
    }


def un_name(iso3: str, language: str = "en") -> str | None:
    country = un_countries().get(iso3)
    return country.names.get(language) if country else None
