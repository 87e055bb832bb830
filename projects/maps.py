"""The shortfall map: committed country outlines shaded by the shortfall per country.

The outlines (projects/data/world-110m.json, written once by `manage.py build_world_map`) are
read once per process; a page adds one aggregate query (`ProjectQuerySet.funding_by_country`).
Pages do not carry the outlines: each country is a link around `<use href="…svg#KEN">` into the
same outlines as a static SVG sprite (static/img/world-110m.svg, fingerprinted and cached for a
year by WhiteNoise), shaded by the link's class; the page carries only links, shades and names.
A programme covering several countries counts in full in each of them, as on country pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from projects.templatetags.figures import grouped, keep_currency_with_amount, shortfall
from projects.un_names import un_name

SHAPES_FILE = Path(__file__).resolve().parent / "data" / "world-110m.json"
SPRITE = "img/world-110m.svg"
SPRITE_FILE = Path(settings.BASE_DIR) / "static" / SPRITE
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
QUANTILES = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"))
NO_PROGRAMME = "shade-none"
NO_SHORTFALL = "shade-0"
LARGEST_NAMED = 5


@cache
def world_shapes() -> dict:
    return json.loads(SHAPES_FILE.read_text())


@dataclass(frozen=True)
class CountryFigures:
    iso3: str
    name: str
    url: str
    projects: int
    budget: Decimal | None
    pledged: Decimal | None
    shortfall: Decimal | None
    shade: str
    drawn: bool


@dataclass(frozen=True)
class MapCountry:
    iso3: str
    url: str
    outline: str  # the sprite's URL with this country's fragment: …/world-110m.<hash>.svg#KEN
    shade: str
    figures: CountryFigures | None = None  # None: no published programme there

    @property
    def title(self) -> str:
        """What hovering a shaded country says; worded only where a map shows it (the list's
        map shows no titles, and words a shortfall for each of up to 250 countries)."""
        return map_title(self.figures) if self.figures is not None else ""


@dataclass(frozen=True)
class LegendEntry:
    shade: str
    label: str


@dataclass(frozen=True)
class ShortfallMap:
    width: int
    height: int
    blank: list[MapCountry]
    shaded: list[MapCountry]
    legend: list[LegendEntry]
    rows: list[CountryFigures]

    @property
    def not_drawn(self) -> list[CountryFigures]:
        """Countries with figures that are too small to draw at this scale (table only)."""
        return [row for row in self.rows if not row.drawn]

    @property
    def largest(self) -> list[CountryFigures]:
        return [row for row in self.rows if row.shortfall and row.shortfall > 0][:LARGEST_NAMED]


def nice(amount: Decimal) -> Decimal:
    """The round figure (1, 2, 2.5 or 5 times a power of ten) nearest to `amount`."""
    power = Decimal(10) ** (len(str(int(amount))) - 1) if amount >= 1 else Decimal(1)
    candidates = [step * power for step in NICE_STEPS]
    return min(candidates, key=lambda c: max(c, amount) / min(c, amount))


def breaks(shortfalls: list[Decimal]) -> list[Decimal]:
    """Up to three thresholds splitting the positive shortfalls into roughly equal groups."""
    positive = sorted(s for s in shortfalls if s > 0)
    if len(positive) < 2:
        return []
    found: list[Decimal] = []
    for q in QUANTILES:
        value = nice(positive[min(int(len(positive) * q), len(positive) - 1)])
        if value > positive[0] and value not in found:
            found.append(value)
    return found


def in_words(amount: Decimal) -> str:
    """US$ 500,000 · US$ 2.5 million · US$ 1 billion (in the page's language)."""
    if amount >= Decimal(10) ** 9:
        words = _("US$ %(n)s billion") % {"n": short_number(amount / Decimal(10) ** 9)}
    elif amount >= Decimal(10) ** 6:
        words = _("US$ %(n)s million") % {"n": short_number(amount / Decimal(10) ** 6)}
    else:
        words = f"US$ {grouped(amount)}"
    return keep_currency_with_amount(words)


def short_number(value: Decimal) -> str:
    """2.5, as the page's language writes it (2,5 in French and Spanish)."""
    value = value.normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, places, use_l10n=True)


def legend(thresholds: list[Decimal]) -> list[LegendEntry]:
    entries = [
        LegendEntry(NO_PROGRAMME, _("No published programme")),
        LegendEntry(NO_SHORTFALL, _("No shortfall: fully pledged, or no budget stated")),
    ]
    if not thresholds:
        return [*entries, LegendEntry("shade-4", _("A shortfall"))]
    bounds = [None, *thresholds, None]
    shades = shade_names(len(thresholds) + 1)
    for shade, low, high in zip(shades, bounds, bounds[1:], strict=False):
        if low is None:
            label = _("Under %(high)s") % {"high": in_words(high)}
        elif high is None:
            label = _("%(low)s or more") % {"low": in_words(low)}
        else:
            label = _("%(low)s to under %(high)s") % {"low": in_words(low), "high": in_words(high)}
        entries.append(LegendEntry(shade, label))
    return entries


def shade_names(classes: int) -> list[str]:
    """The darkest shade always marks the largest class, however many classes there are."""
    return [f"shade-{4 - classes + 1 + i}" for i in range(classes)]


def shade_of(shortfall: Decimal | None, thresholds: list[Decimal]) -> str:
    if shortfall is None or shortfall <= 0:
        return NO_SHORTFALL
    shades = shade_names(len(thresholds) + 1)
    return shades[sum(1 for t in thresholds if shortfall >= t)]


def map_title(row: CountryFigures) -> str:
    """What hovering (or a screen reader touching) a shaded country says."""
    programmes = f"{row.projects} programme{'' if row.projects == 1 else 's'}"
    return f"{row.name}: {shortfall(row.shortfall)} shortfall, {programmes}"


def shortfall_map(rows: list[dict]) -> ShortfallMap:
    """The map and its table from `funding_by_country()` rows."""
    world = world_shapes()
    outlines = world["countries"]
    thresholds = breaks([row["shortfall_sum"] for row in rows if row["shortfall_sum"] is not None])
    url = reverse("country_detail", args=["XXX"]).replace("XXX", "{}")
    language = (get_language() or "en")[:2]
    figures = {
        row["iso3"]: CountryFigures(
            iso3=row["iso3"],
            name=un_name(row["iso3"], language) or row["country_name"],
            url=url.format(row["iso3"]),
            projects=row["project_count"],
            budget=row["budget_sum"],
            pledged=row["pledged_sum"],
            shortfall=row["shortfall_sum"],
            shade=shade_of(row["shortfall_sum"], thresholds),
            drawn=row["iso3"] in outlines,
        )
        for row in rows
    }
    sprite = static(SPRITE) + "#"
    blank = [
        MapCountry(iso3, url.format(iso3), sprite + iso3, NO_PROGRAMME)
        for iso3 in outlines
        if iso3 not in figures
    ]
    shaded = [
        MapCountry(row.iso3, row.url, sprite + row.iso3, row.shade, row)
        for row in figures.values()
        if row.drawn
    ]
    return ShortfallMap(
        width=world["width"],
        height=world["height"],
        blank=blank,
        shaded=shaded,
        legend=legend(thresholds),
        rows=list(figures.values()),
    )
