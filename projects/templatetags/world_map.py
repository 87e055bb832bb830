"""The world map's countries and its table's rows (includes/world_map.html), drawn in Python:
the map links every country of the world (about 180 of them) on every list page drawn without
the cache, and a template loop spent most of that page's own Python time resolving each
country's few variables."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from projects.maps import CountryFigures, MapCountry
from projects.templatetags.figures import shortfall
from projects.templatetags.html_text import escaped

register = template.Library()


@register.simple_tag
def map_countries(
    countries: Iterable[MapCountry], shaded: bool = False, titled: bool = False
) -> SafeString:
    """One link a country, to its page, around its outline: out of the tab order (the table
    has the same links); `shaded` with its shade's class, `titled` with a title and a line of
    its own."""
    links = []
    for country in countries:
        shade = f' class="{escaped(country.shade)}"' if shaded else ""
        title = f"<title>{escaped(country.title)}</title>" if titled else ""
        links.append(
            f'<a href="{escaped(country.url)}" tabindex="-1"{shade}>{title}'
            f'<use href="{escaped(country.outline)}"/></a>{chr(10) if titled else ""}'
        )
    return mark_safe("".join(links))  # noqa: S308 — every value above is escaped


@register.simple_tag
def map_table_rows(rows: Iterable[CountryFigures]) -> SafeString:
    """The table's rows: the country (a link to its page), its programmes and its shortfall,
    marked when more was pledged than budgeted."""
    lines = []
    for row in rows:
        over = " over-pledged" if row.shortfall is not None and row.shortfall < 0 else ""
        lines.append(
            f'<tr><th scope="row"><a href="{escaped(row.url)}">{escaped(row.name)}</a></th>'
            f'<td class="num">{escaped(localize(row.projects))}</td>'
            f'<td class="num amount{over}">{escaped(shortfall(row.shortfall))}</td></tr>\n'
        )
    return mark_safe("".join(lines))  # noqa: S308 — every value above is escaped
