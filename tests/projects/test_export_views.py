"""Exports from the project list: exactly the projects its filters select, same totals."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from projects.filters import ProjectFilter
from tests import factories

pytestmark = pytest.mark.django_db

BUDGET, PLEDGED, SHORTFALL = "Budget (US$)", "Pledged (US$)", "Shortfall (US$)"


@pytest.fixture
def portfolio():
    return factories.portfolio(60)


def money(value) -> Decimal:
    return Decimal(str(value))


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "partly"},
        {"section": "portfolio-section-1", "sort": "title"},
        {"min_shortfall": "20000", "has_issue": "no"},
    ],
    ids=["everything", "partly-funded", "one-section", "big-gaps-without-issues"],
)
def test_exports_hold_the_listed_projects_with_the_pages_totals(client, portfolio, filters):
    page = client.get(reverse("project_list"), filters)
    listed_totals = page.context["totals"]
    expected = ProjectFilter(filters).qs.totals()
    assert listed_totals["shortfall"] == expected["shortfall"]

    response = client.get(reverse("project_export", args=["csv"]), filters)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == listed_totals["projects"]
    assert [r["Project"] for r in rows] == [p.title for p in ProjectFilter(filters).qs]
    budgeted = [r for r in rows if r[BUDGET]]
    assert sum(Decimal(r[BUDGET]) for r in budgeted) == listed_totals["budget"]
    assert sum(Decimal(r[PLEDGED]) for r in budgeted) == listed_totals["pledged"]
    assert sum(Decimal(r[SHORTFALL]) for r in budgeted) == listed_totals["shortfall"]

    response = client.get(reverse("project_export", args=["xlsx"]), filters)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Shortfalls"]
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(values) if row[0] == "Code")
    header, *table, totals = values[header_at:]
    assert totals[0] == "Total"
    column = {name: [row[header.index(name)] for row in table] for name in header}
    assert column["Project"] == [r["Project"] for r in rows]
    budgets = [money(b) for b in column[BUDGET] if b is not None]
    assert sum(budgets) == listed_totals["budget"]
    shortfalls = [money(s) for s in column[SHORTFALL] if s is not None]
    assert sum(shortfalls) == listed_totals["shortfall"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_file_names_say_what_is_in_them(client, portfolio, fmt):
    region = factories.section("Africa and Middle East")
    factories.project(title="In Africa", section=region)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("project_export", args=[fmt]), {"section": region.slug})
    assert response["Content-Disposition"] == (
        f'attachment; filename="shortfalls-africa-and-middle-east-{today}.{fmt}"'
    )
    response = client.get(
        reverse("project_export", args=[fmt]),
        {"section": region.slug, "status": "unfunded", "sort": "title"},
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="shortfalls-africa-and-middle-east-unfunded-{today}.{fmt}"'
    )
    response = client.get(reverse("project_export", args=[fmt]))
    assert response["Content-Disposition"] == f'attachment; filename="shortfalls-{today}.{fmt}"'


def test_the_list_links_to_exports_of_its_filters(client, portfolio):
    page = client.get(reverse("project_list"), {"status": "partly", "page": "2"})
    links = re.findall(r'href="(/projects/export\.[a-z]+[^"]*)"', page.content.decode())
    # The page number is not a filter: the export holds every page.
    assert links == ["/projects/export.csv?status=partly", "/projects/export.xlsx?status=partly"]


def test_invalid_filters_are_refused(client, portfolio):
    response = client.get(reverse("project_export", args=["csv"]), {"min_shortfall": "a lot"})
    assert response.status_code == 400


def test_an_invalid_filter_the_list_ignored_is_not_passed_to_the_export(client, portfolio):
    page = client.get(reverse("project_list"), {"status": "partly", "min_shortfall": "lots"})
    links = re.findall(r'href="(/projects/export\.[a-z]+[^"]*)"', page.content.decode())
    assert links == ["/projects/export.csv?status=partly", "/projects/export.xlsx?status=partly"]
    assert client.get(links[0]).status_code == 200


def test_region_country_and_donor_pages_link_to_downloads_of_their_programmes(client, portfolio):
    from projects.models import Project, Region

    section = Region.objects.get(slug="portfolio-section-1")
    subregion = section.subregions.get()
    country = Project.objects.filter(title="Programme 1").get().countries.first()
    donor = Project.objects.filter(title="Programme 1").get().pledges.first().donor
    pages = {
        section.get_absolute_url(): Project.objects.published().top_level().filter(section=section),
        subregion.get_absolute_url(): Project.objects.published()
        .top_level()
        .filter(subregion=subregion),
        country.get_absolute_url(): Project.objects.published()
        .top_level()
        .filter(countries=country),
        donor.get_absolute_url(): Project.objects.published()
        .top_level()
        .filter(pledges__donor=donor)
        .distinct(),
    }
    for url, programmes in pages.items():
        page = client.get(url).content.decode()
        links = re.findall(r'href="(/projects/export\.[a-z]+\?[^"]*)"', page)
        assert [link.split("?")[0] for link in links] == [
            "/projects/export.csv",
            "/projects/export.xlsx",
        ], url
        response = client.get(links[0].replace("&amp;", "&"))
        text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
        titles = {row["Project"] for row in csv.DictReader(io.StringIO(text))}
        assert titles == {p.title for p in programmes}, url
