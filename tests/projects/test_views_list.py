"""The project list page: a GET form whose URL holds every filter, with facet counts."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    africa, asia = factories.section("Africa"), factories.section("Asia")
    norway = factories.donor("Norway")
    factories.project(
        "Kenya victims support",
        budget="1000",
        pledges=((norway, "1000"),),
        countries=("KEN",),
        section=africa,
    )
    factories.project(
        "Ethiopia border training",
        budget="2000",
        pledges=((norway, "499.50"),),
        countries=("ETH", "KEN"),
        section=africa,
    )
    factories.project("Nepal data collection", budget="5000", countries=("NPL",), section=asia)


def rows(response) -> list[str]:
    return re.findall(
        r'<th scope="row" class="project-cell">\s*<a href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    )


def checkbox(response, name: str, value: str) -> str:
    """A facet option's checkbox tag."""
    html = response.content.decode()
    return re.search(rf'<input type="checkbox" name="{name}" value="{value}"[^>]*>', html).group(0)


def option(response, name: str, value: str) -> str:
    """A facet option's label: its name and count."""
    html = response.content.decode()
    label = re.search(
        rf'<label><input type="\w+" name="{name}" value="{value}"[^>]*>(.*?)</label>', html, re.S
    ).group(1)
    return unescape(re.sub(r"<[^>]+>", "", label)).strip()


def test_lists_projects_with_formatted_figures(client, projects):
    response = client.get(reverse("project_list"))
    html = response.content.decode()
    assert rows(response) == [
        "Nepal data collection",
        "Ethiopia border training",
        "Kenya victims support",
    ]
    assert "US$\u00a01,500.50" in html  # Ethiopia's shortfall, cents kept
    assert "3 projects" in html


def test_filters_combine_and_stay_in_the_form(client, projects):
    response = client.get(reverse("project_list"), {"country": "KEN", "status": "partly"})
    assert rows(response) == ["Ethiopia border training"]
    html = response.content.decode()
    assert checkbox(response, "country", "KEN").endswith(" checked>")
    assert checkbox(response, "status", "partly").endswith(" checked>")
    assert not checkbox(response, "country", "ETH").endswith(" checked>")
    assert 'method="get"' in html


def test_several_values_of_a_facet_stay_ticked_and_in_the_links(client, projects):
    response = client.get(reverse("project_list") + "?country=NPL&country=KEN&sort=title")
    assert rows(response) == [
        "Ethiopia border training",
        "Kenya victims support",
        "Nepal data collection",
    ]
    html = unescape(response.content.decode())
    for iso3 in ("KEN", "NPL"):
        assert checkbox(response, "country", iso3).endswith(" checked>")
    assert 'aria-label="Remove filter Country: Nepal"' in html
    assert re.search(
        r'href="\?country=KEN&sort=title" aria-label="Remove filter Country: Nepal"', html
    )
    # The downloads and the canonical link hold both, sorted; the canonical leaves out the sort.
    assert "/projects/export.csv?country=KEN&country=NPL&sort=title" in html
    assert (
        '<link rel="canonical" href="http://testserver/projects/?country=KEN&country=NPL">' in html
    )
    assert 'Filters</span> <span id="active-count">(2)</span>' in html


def test_every_filtered_page_has_a_canonical_link(client, projects):
    html = unescape(
        client.get(reverse("project_list") + "?status=x&q=+&sort=title").content.decode()
    )
    assert '<link rel="canonical" href="http://testserver/projects/">' in html


def test_apply_label_counts_what_the_filters_would_give(
    client, projects, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(
            reverse("project_list") + "?country=KEN&country=NPL&status=unfunded",
            headers={"HX-Request": "true", "HX-Target": "apply-label"},
        )
    assert response.content.decode().strip() == "Show 1 project"
    assert "HX-Target" in response.headers["Vary"]


def test_subregions_are_grouped_under_their_section(client, projects):
    from projects.models import Region

    africa = Region.objects.get(slug="africa")
    west = factories.subregion(africa, "West Africa")
    factories.project("Sahel route", section=africa, subregion=west)
    html = client.get(reverse("project_list")).content.decode()
    assert re.search(r'class="facet-group-name"[^>]*>Africa</span><div role="group"', html)


def test_facet_counts_beside_options_follow_the_other_filters(client, projects):
    response = client.get(reverse("project_list"), {"country": "KEN", "status": "partly"})
    # Country counts keep status=partly: only Ethiopia's two countries.
    assert option(response, "country", "KEN") == "Kenya (1)"
    assert option(response, "country", "ETH") == "Ethiopia (1)"
    assert "Nepal (" not in response.content.decode()
    # Status counts keep country=KEN: one funded, one partly funded, none unfunded.
    assert option(response, "status", "funded") == "Funded (1)"
    assert option(response, "status", "partly") == "Partly funded (1)"
    assert option(response, "status", "unfunded") == "Unfunded (0)"
    assert checkbox(response, "status", "unfunded").endswith(" disabled>")


def test_search_and_shortfall_range(client, projects):
    response = client.get(reverse("project_list"), {"q": "norway", "min_shortfall": "1"})
    assert rows(response) == ["Ethiopia border training"]
    assert 'value="norway"' in response.content.decode()


def test_sorting(client, projects):
    response = client.get(reverse("project_list"), {"sort": "title"})
    assert rows(response) == [
        "Ethiopia border training",
        "Kenya victims support",
        "Nepal data collection",
    ]
    assert '<option value="title" selected>' in response.content.decode()


def test_active_filters_can_be_removed_one_by_one(client, projects):
    response = client.get(reverse("project_list"), {"country": "KEN", "sort": "title"})
    html = response.content.decode()
    assert re.search(r'<a href="\?sort=title" aria-label="Remove filter Country: Kenya">', html)


def test_pagination_keeps_the_query_string(client):
    for n in range(25):
        factories.project(f"Training {n:02}", budget=str(100 + n), countries=("KEN",))
    response = client.get(reverse("project_list"), {"country": "KEN", "sort": "title"})
    html = unescape(response.content.decode())
    assert len(rows(response)) == 20
    assert "Page 1 of 2" in html
    assert 'href="?country=KEN&sort=title&page=2"' in html
    second = client.get(reverse("project_list"), {"country": "KEN", "sort": "title", "page": 2})
    assert rows(second) == [f"Training {n}" for n in range(20, 25)]
    assert 'href="?country=KEN&sort=title&page=1"' in unescape(second.content.decode())


def test_out_of_range_page_shows_the_last(client, projects):
    response = client.get(reverse("project_list"), {"page": "99"})
    assert response.status_code == 200 and len(rows(response)) == 3


def test_invalid_filter_values_do_not_break_the_page(client, projects):
    response = client.get(reverse("project_list"), {"min_shortfall": "lots", "status": "x"})
    assert response.status_code == 200
    assert len(rows(response)) == 3
    assert 'aria-invalid="true"' in response.content.decode()


def test_no_match_says_so(client, projects):
    response = client.get(reverse("project_list"), {"q": "zzz"})
    assert "No project matches these filters" in response.content.decode()


def test_htmx_refresh_returns_the_results_partial_with_updated_facets(client, projects):
    response = client.get(
        reverse("project_list"),
        {"country": "NPL"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert rows(response) == ["Nepal data collection"]
    assert '<div id="facets" hx-swap-oob="true">' in html
    assert '<div id="results-status" hx-swap-oob="innerHTML">1 project found</div>' in html
    assert "HX-Request" in response.headers["Vary"]


def test_full_page_has_the_htmx_script_from_our_static_files(client, projects):
    html = client.get(reverse("project_list")).content.decode()
    assert re.search(r'<script src="/static/vendor/htmx\.min\.js" defer></script>', html)
    assert "hx-swap-oob" not in html


def test_vendored_htmx_is_the_locked_npm_release():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    installed = root / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
    if not installed.exists():
        pytest.skip("node_modules is not installed (make test runs npm ci)")
    vendored = root / "static" / "vendor" / "htmx.min.js"
    assert vendored.read_bytes() == installed.read_bytes(), "run `make vendor`"
