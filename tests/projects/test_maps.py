"""The shortfall map: its scale, legend and shading, and the pages that draw it."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.filters import ProjectFilter
from projects.map_shapes import sprite_svg
from projects.maps import (
    NO_PROGRAMME,
    NO_SHORTFALL,
    SPRITE_FILE,
    breaks,
    in_words,
    legend,
    nice,
    shade_of,
    shortfall_map,
    world_shapes,
)
from projects.models import Country, Project
from tests import factories

D = Decimal


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1", "1"),
        ("180000", "200000"),
        ("420000", "500000"),
        ("2300000", "2500000"),
        ("7600000", "10000000"),
    ],
)
def test_thresholds_are_round_figures(amount, expected):
    assert nice(D(amount)) == D(expected)


def test_breaks_split_the_positive_shortfalls_into_groups():
    shortfalls = [D(n) for n in (-5, 0, 90_000, 120_000, 450_000, 600_000, 1_900_000, 2_400_000)]
    thresholds = breaks(shortfalls)
    assert thresholds == sorted(thresholds) and len(thresholds) == len(set(thresholds))
    groups = {shade_of(s, thresholds) for s in shortfalls if s > 0}
    assert len(groups) == len(thresholds) + 1 == 4
    assert shade_of(D(2_400_000), thresholds) == "shade-4"  # the largest is always darkest
    assert shade_of(D(0), thresholds) == shade_of(None, thresholds) == NO_SHORTFALL
    assert breaks([D(5)]) == [] and shade_of(D(5), []) == "shade-4"


def test_the_legend_says_the_scale_in_words():
    labels = [entry.label for entry in legend([D(500_000), D(1_000_000), D(2_500_000)])]
    assert labels == [
        "No published programme",
        "No shortfall: fully pledged, or no budget stated",
        "Under US$\u00a0500,000",
        "US$\u00a0500,000 to under US$\u00a01 million",
        "US$\u00a01 million to under US$\u00a02.5 million",
        "US$\u00a02.5 million or more",
    ]
    assert in_words(D(10_000_000)) == "US$\u00a010 million"
    assert in_words(D(1_500_000_000)) == "US$\u00a01.5 billion"


def row(iso3, name, shortfall, projects=1):
    return {
        "iso3": iso3,
        "country_name": name,
        "budget_sum": None,
        "pledged_sum": None,
        "shortfall_sum": None if shortfall is None else D(shortfall),
        "project_count": projects,
    }


def test_every_country_is_drawn_and_linked_shaded_only_with_figures():
    rows = [
        row("KEN", "Kenya", "900000", 2),
        row("MUS", "Mauritius", "20000"),
        row("NPL", "Nepal", None),
    ]
    world = shortfall_map(rows)
    outlines = world_shapes()["countries"]
    assert {c.iso3 for c in world.blank} | {c.iso3 for c in world.shaded} == set(outlines)
    assert {c.iso3 for c in world.shaded} == {"KEN", "NPL"}
    assert all(c.shade == NO_PROGRAMME for c in world.blank)
    kenya = next(c for c in world.shaded if c.iso3 == "KEN")
    assert kenya.url == reverse("country_detail", args=["KEN"])
    assert kenya.title == "Kenya: US$\u00a0900,000 shortfall, 2 programmes"
    assert [r.name for r in world.not_drawn] == ["Mauritius"]  # too small at 1:110m: table only
    assert [r.iso3 for r in world.rows] == ["KEN", "MUS", "NPL"]


@pytest.fixture
def portfolio(db):
    return factories.portfolio(60)


@pytest.mark.django_db
def test_each_countrys_figures_are_those_of_its_country_page(portfolio):
    programmes = Project.objects.published().top_level()
    rows = programmes.funding_by_country()
    assert len(rows) > 5
    for figures in rows:
        page = programmes.filter(countries=figures["iso3"]).summary()
        assert figures["shortfall_sum"] == (page["shortfall"] if page["budget"] else None)
        assert figures["project_count"] == page["projects"]
        assert figures["country_name"] == Country.objects.get(iso3=figures["iso3"]).name
    shortfalls = [r["shortfall_sum"] for r in rows if r["shortfall_sum"] is not None]
    assert shortfalls == sorted(shortfalls, reverse=True)


@pytest.mark.django_db
def test_a_country_filter_does_not_hide_the_other_countries_of_its_projects():
    factories.project("Sahel route", budget="1000", countries=("MLI", "NER", "SEN"))
    factories.project("Elsewhere", budget="1000", countries=("NPL",))
    filtered = ProjectFilter({"country": "MLI"}).qs
    assert {r["iso3"] for r in filtered.funding_by_country()} == {"MLI", "NER", "SEN"}


def map_queries(queries) -> list[str]:
    """The queries summing figures per country (the country facet's counts are another)."""
    return [
        q["sql"]
        for q in queries
        # On its own, or a branch of the list's one statement (projects/facet_counts.py).
        if ('AS "country_name"' in q["sql"] and "SUM(" in q["sql"]) or "'map', " in q["sql"]
    ]


@pytest.mark.django_db
# The list links to its long table of countries (the page with it unfolded, ?table=countries).
@pytest.mark.parametrize(
    "url",
    ["/", "/projects/?table=countries", "/projects/?sort=title&status=partly&table=countries"],
)
def test_the_map_costs_one_query_however_many_countries(client, portfolio, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(map_queries(captured.captured_queries)) == 1
    html = response.content.decode()
    world = response.context["world_map"]
    assert len(world.shaded) > 5
    for country in world.shaded:
        assert f'<a href="{country.url}" tabindex="-1" class="{country.shade}">' in html
    for figures in world.rows:  # the table: every country with figures, linked
        assert f'<a href="{figures.url}">{figures.name}</a>' in html


@pytest.mark.django_db
def test_the_list_links_to_a_long_table_and_folds_a_short_one(client, portfolio):
    rows = Project.objects.programmes().funding_by_country()
    assert len(rows) > 20
    html = client.get("/projects/?sort=title").content.decode()
    link = f'table=countries#map-table">Shortfall by country as a table ({len(rows)}'
    assert "?sort=title&amp;table=countries#map-table" in html
    assert link in html and "<caption>Shortfall by country</caption>" not in html
    unfolded = client.get("/projects/?sort=title&table=countries").content.decode()
    assert '<details class="map-table-toggle" id="map-table" open>' in unfolded
    assert unfolded.count('<tr><th scope="row"><a href="/countries/') == len(rows)
    few = ProjectFilter({"country": rows[0]["iso3"]}).qs.funding_by_country()
    assert len(few) <= 20
    folded = client.get(f"/projects/?country={rows[0]['iso3']}").content.decode()
    assert '<details class="map-table-toggle" id="map-table">' in folded
    assert "table=countries" not in folded


@pytest.mark.django_db
def test_the_map_svg_has_a_title_a_description_and_named_links(client, portfolio):
    response = client.get("/")
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<title id="world-map-title">Shortfall by country</title>' in svg
    assert re.search(r'<desc id="world-map-desc">World map shading \d+ countries', svg)
    links = re.findall(
        r'<a href="/countries/(\w+)/"[^>]*>(?:<title>([^<]+)</title>)?'
        r'<use href="/static/img/world-110m.svg#(\w+)"/></a>',
        svg,
    )
    outlines = world_shapes()["countries"]
    assert len(links) == len(outlines)  # every country drawn is a link to its page
    assert {drawn for _, _, drawn in links} == set(outlines)
    assert all(linked == drawn for linked, _, drawn in links)
    named = [name for _, name, _ in links if name]  # those with figures; the others are hidden
    assert len(named) == len(response.context["world_map"].shaded)
    assert '<g class="shade-none" aria-hidden="true">' in svg
    # The outlines are in the static sprite, not in the page: only links and names here.
    assert "<path" not in svg and len(svg) < 20_000


def test_the_sprite_draws_every_outline_by_its_code():
    sprite = SPRITE_FILE.read_text()
    assert sprite == sprite_svg(world_shapes())  # what build_world_map wrote from the outlines
    drawn = dict(re.findall(r'<path id="(\w+)" d="([^"]+)"/>', sprite))
    assert drawn == world_shapes()["countries"]
    # No colour of their own: each takes the fill and stroke of the <use> drawing it.
    assert "fill" not in sprite and "stroke" not in sprite and "style" not in sprite


@pytest.mark.django_db
def test_no_map_when_nothing_is_published(client):
    html = client.get("/").content.decode()
    assert "No projects have been published yet" in html
    assert 'class="map"' not in html
