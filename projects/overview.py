"""The overview's figures: totals, the shortfall map, the chart by section, the largest gaps
and the sources.

They are the same for every visitor and change only with the data, so they are rendered once
per data version and language (projects/data_version.py) and kept in the cache: a change shows
at once, and most requests render only the page around them. A cache that fails is skipped,
never an error.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from projects.charts import bar_chart
from projects.data_version import data_version
from projects.freshness import freshness
from projects.maps import shortfall_map

logger = logging.getLogger("portal.cache")

TEMPLATE = "projects/overview.html"
# The template's partials rendered here; the page puts them in place.
PARTS = ("description", "content")
LARGEST_GAPS = 10


def figures_context() -> dict:
    from ingest.models import SourceDocument
    from projects.filters import ProjectFilter
    from projects.models import Project
    from projects.querysets import funding_totals

    programmes = Project.objects.programmes()
    by_section = programmes.funding_by("section")
    sources = list(SourceDocument.objects.order_by("-edition", "kind"))
    brochures = [doc for doc in sources if doc.kind == SourceDocument.Kind.BROCHURE]
    # The totals and the map are the unfiltered list's: one statement, cached and kept warm.
    counted = ProjectFilter({}).counts()
    totals, by_country = funding_totals(counted.totals), counted.by_country
    return {
        "totals": totals,
        "by_section": by_section,
        "chart": bar_chart(by_section, "region_name", "shortfall_sum"),
        "world_map": shortfall_map(by_country),
        "largest_gaps": programmes.for_listing().largest_gaps(LARGEST_GAPS),
        "sources": sources,
        "brochure": brochures[0] if brochures else None,
        # The latest UNODC update of a programme's figures, if any (one statement).
        "freshness": freshness(programmes),
    }


def cache_key(version: int, language: str) -> str:
    return f"portal:overview:{version}:{language}"


def cached_figures() -> tuple[str, dict[str, str] | None]:
    """The cache key of the figures in this language (empty when not caching) and what the
    cache holds under it."""
    if settings.OVERVIEW_CACHE_SECONDS <= 0:
        return "", None
    try:
        key = cache_key(data_version(cache), get_language())
        return key, cache.get(key)
    except Exception:
        logger.warning("Overview cache unavailable", exc_info=True)
        return "", None


def rendered_figures() -> dict[str, str]:
    """The overview's parts as HTML, from the cache or rendered (without the request: nothing
    in them depends on the visitor).

    After a change, the threads of a process that all find the cache empty render the figures
    once: the others wait for it rather than each running the same statements at once.
    """
    key, cached = cached_figures()
    if cached is not None:
        return cached
    if not key:
        return render_figures("")
    with _rendering:
        key, cached = cached_figures()  # rendered by another thread meanwhile?
        return cached if cached is not None else render_figures(key)


_rendering = threading.Lock()


def render_figures(key: str) -> dict[str, str]:
    context = figures_context()
    rendered = {part: render_to_string(f"{TEMPLATE}#{part}", context) for part in PARTS}
    if key:
        try:
            cache.set(key, rendered, settings.OVERVIEW_CACHE_SECONDS)
        except Exception:
            logger.warning("Could not store the overview's figures", exc_info=True)
    return rendered


@task
def warm_overview(version: int) -> int:
    """After a data change: render the overview's figures in every language, so no visitor
    pays for them. Skipped when the data moved on again meanwhile (a later task warms that
    version). Returns the languages rendered."""
    if settings.OVERVIEW_CACHE_SECONDS <= 0 or data_version(cache) != version:
        return 0
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            rendered_figures()
    return len(settings.LANGUAGES)
