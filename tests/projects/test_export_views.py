"""Exports from the project list: exactly the projects its filters select, same totals."""

import csv
import io
import re
from collections import defaultdict
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

BUDGET, PLEDGED, SHORTFALL = "Budget (US$)", "Pledged (US$)", "Shortfall (US$)"


@pytest.fixture
def portfolio():
    return factories.portfolio(60)


def money(value) -> Decimal:
    return Decimal(str(value))


def expected_programmes(filters: dict[str, str]) -> list[dict]:
    """The published programmes `filters` should select, worked out here from the stored rows
    (budgets, pledges, sections, data issues) without the portal's querysets or filters."""
    from ingest.models import DataIssue
    from projects.models import Pledge, Project

    pledged = defaultdict(Decimal)
    for project_id, amount in Pledge.objects.values_list("project_id", "amount"):
        pledged[project_id] += amount
    with_issues = set(DataIssue.objects.values_list("project_id", flat=True))
    rows = [
        {
            "title": title,
            "section": section,
            "budget": budget,
            "pledged": pledged[pk],
            "shortfall": budget - pledged[pk],
            "issues": pk in with_issues,
        }
        for pk, title, section, budget in Project.objects.filter(
            published=True, parent__isnull=True
        ).values_list("pk", "title", "section__slug", "budget")
    ]
    keep = {
        "status": lambda r, v: v == "partly" and 0 < r["pledged"] < r["budget"],
        "section": lambda r, v: r["section"] == v,
        "min_shortfall": lambda r, v: r["shortfall"] >= Decimal(v),
        "has_issue": lambda r, v: r["issues"] == (v == "yes"),
        "sort": lambda r, v: True,
    }
    return [r for r in rows if all(keep[name](r, value) for name, value in filters.items())]


@pytest.mark.parametrize(
    ("filters", "expected_count"),
    [
        ({}, 60),
        ({"status": "partly"}, 60),
        ({"section": "portfolio-section-1", "sort": "title"}, 15),
        ({"min_shortfall": "20000", "has_issue": "no"}, 32),
        ({"has_issue": "yes", "min_shortfall": "30000.50"}, 6),
    ],
    ids=["everything", "partly-funded", "one-section", "big-gaps-without-issues", "issues"],
)
def test_exports_hold_the_listed_projects_with_the_figures_summed_here(
    client, portfolio, filters, expected_count
):
    expected = expected_programmes(filters)
    assert len(expected) == expected_count  # the case selects what it is meant to
    budget = sum(r["budget"] for r in expected)
    pledged = sum(r["pledged"] for r in expected)
    shortfall = sum(r["shortfall"] for r in expected)

    listed_totals = client.get(reverse("project_list"), filters).context["totals"]
    assert listed_totals["projects"] == expected_count
    assert listed_totals["budget"] == budget
    assert listed_totals["pledged"] == pledged
    assert listed_totals["shortfall"] == shortfall

    response = client.get(reverse("project_export", args=["csv"]), filters)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert sorted(r["Project"] for r in rows) == sorted(r["title"] for r in expected)
    assert sum(Decimal(r[BUDGET]) for r in rows if r[BUDGET]) == budget
    assert sum(Decimal(r[PLEDGED]) for r in rows if r[PLEDGED]) == pledged
    assert sum(Decimal(r[SHORTFALL]) for r in rows if r[SHORTFALL]) == shortfall

    response = client.get(reverse("project_export", args=["xlsx"]), filters)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Shortfalls"]
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(values) if row[0] == "Code")
    header, *table, totals = values[header_at:]
    assert totals[0] == "Total"
    column = {name: [row[header.index(name)] for row in table] for name in header}
    assert sorted(column["Project"]) == sorted(r["title"] for r in expected)
    assert sum(money(b) for b in column[BUDGET] if b is not None) == budget
    assert sum(money(s) for s in column[SHORTFALL] if s is not None) == shortfall


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


def test_the_xlsx_export_drops_characters_a_spreadsheet_cannot_hold(client, db):
    """Control characters (in a filter typed into the URL, or in a printed title) used to make
    openpyxl raise, and the export a 500; found by tests/test_fuzz.py."""
    factories.project(title="Border\x0btraining", budget="100")
    for query in ({"q": "\x01border\x1f"}, {"q": "\x01=border"}, {}):
        response = client.get(reverse("project_export", args=["xlsx"]), query)
        assert response.status_code == 200, query
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", cell) for cell in cells)
        assert not any(cell.startswith("=border") for cell in cells)
    assert "Bordertraining" in cells


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
