"""Exports from the project list: exactly the projects its filters select, same totals."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from projects.filters import ProjectFilter
from tests import factories

pytestmark = pytest.mark.django_db


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
    budgeted = [r for r in rows if r["budget"]]
    assert sum(Decimal(r["budget"]) for r in budgeted) == listed_totals["budget"]
    assert sum(Decimal(r["pledged"]) for r in budgeted) == listed_totals["pledged"]
    assert sum(Decimal(r["computed shortfall"]) for r in budgeted) == listed_totals["shortfall"]

    response = client.get(reverse("project_export", args=["xlsx"]), filters)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    grand = list(book["Shortfalls"].iter_rows(values_only=True))[-1]
    header = [c.value for c in book["Shortfalls"][1]]
    assert grand[header.index("title")] == "Grand total"
    assert money(grand[header.index("budget")]) == listed_totals["budget"]
    assert money(grand[header.index("computed shortfall")]) == listed_totals["shortfall"]
    used = dict(book["Filters"].iter_rows(values_only=True))
    for name, value in filters.items():
        assert used[name] == value


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
