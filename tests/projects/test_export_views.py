"""Exports from the project list: exactly the projects its filters select, same totals."""

import csv
import io
import re
from collections import defaultdict
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


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
    assert sorted(r["title"] for r in rows) == sorted(r["title"] for r in expected)
    assert sum(Decimal(r["budget"]) for r in rows) == budget
    assert sum(Decimal(r["pledged"]) for r in rows) == pledged
    assert sum(Decimal(r["computed shortfall"]) for r in rows) == shortfall

    response = client.get(reverse("project_export", args=["xlsx"]), filters)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = list(book["Shortfalls"].iter_rows(values_only=True))
    header, grand = sheet[0], sheet[-1]
    assert grand[header.index("title")] == "Grand total"
    assert money(grand[header.index("budget")]) == budget
    assert money(grand[header.index("pledged")]) == pledged
    assert money(grand[header.index("computed shortfall")]) == shortfall
    listed = {row[header.index("title")] for row in sheet[1:]}
    assert {r["title"] for r in expected} <= listed
    used = dict(book["Filters"].iter_rows(values_only=True))
    for name, value in filters.items():
        assert used[name] == (f"{Decimal(value).normalize():f}" if "shortfall" in name else value)


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
    response = client.get(reverse("project_export", args=["xlsx"]), {"q": "\x01=border\x1f"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert dict(book["Filters"].iter_rows(values_only=True))["q"] == "'=border"
    response = client.get(reverse("project_export", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    titles = [row[1] for row in book["Shortfalls"].iter_rows(values_only=True)]
    assert "Bordertraining" in titles
