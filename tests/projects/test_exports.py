"""Shortfall exports: CSV and XLSX rows, totals equal to the portal's, formulas neutralised."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest.models import DataIssue
from projects import exports
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    africa = factories.section("Africa & Middle East", order=1)
    world = factories.section("Global", order=0)
    norway, spain = factories.donor("Norway"), factories.donor("Spain")
    a = factories.project(
        title="Measures in Côte d'Ivoire",
        code="XAWT24",
        budget="655000",
        pledges=((norway, "100000.50"),),
        countries=("CIV", "GIN"),
        section=africa,
        stated_shortfall=Decimal("554999.50"),
    )
    factories.focal_point(a, "hq", name="Silke Albert", email="silke.albert@unodc.example")
    factories.focal_point(a, "field", name="Babacar Ndiaye", email="babacar@unodc.example")
    b = factories.project(
        title="=cmd|' /C calc'!A0", budget="1000", pledges=((spain, "1500"),), section=africa
    )
    DataIssue.objects.create(project=b, code="shortfall_mismatch", message="does not add up")
    factories.project(title="Global programme", budget="6576097", section=world)
    factories.project(title="Varies", budget=None, pledges=((norway, "700000"),), section=world)
    return Project.objects.published()


def read_csv(lines):
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_every_column_and_keeps_non_ascii_names(projects):
    rows = read_csv(exports.csv_lines(projects, "https://portal.example"))
    assert list(rows[0]) == exports.COLUMNS
    by_title = {r["title"]: r for r in rows}
    row = by_title["Measures in Côte d'Ivoire"]
    assert row["countries"] == "Côte d’Ivoire; Guinea"
    assert row["budget"] == "655000.00"
    assert row["pledged"] == "100000.50"
    assert row["computed shortfall"] == "554999.50"
    assert row["funding status"] == "Partly funded"
    assert row["donors"] == "Norway: 100000.50"
    assert row["HQ focal points"] == "Silke Albert <silke.albert@unodc.example>"
    assert row["field focal points"] == "Babacar Ndiaye <babacar@unodc.example>"
    assert row["portal URL"].startswith("https://portal.example/projects/")
    assert [r["section"] for r in rows] == ["Global", "Global", *["Africa & Middle East"] * 2]


def test_csv_neutralises_formulas(projects):
    rows = read_csv(exports.csv_lines(projects))
    titles = [r["title"] for r in rows]
    assert "'=cmd|' /C calc'!A0" in titles
    assert not any(t.startswith("=") for t in titles)


def test_xlsx_round_trips_with_totals_equal_to_the_portal(projects):
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(projects, [("q", "test")])))
    sheet = book["Shortfalls"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    assert header == exports.COLUMNS
    rows = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    titles = [r["title"] for r in rows]
    assert titles == [
        "Global programme",
        "Varies",
        "Subtotal Global",
        "'=cmd|' /C calc'!A0",
        "Measures in Côte d'Ivoire",
        "Subtotal Africa & Middle East",
        "Grand total",
    ]
    measures = rows[4]
    assert isinstance(measures["budget"], int | float) and measures["budget"] == 655000
    assert measures["pledged"] == pytest.approx(100000.50)
    assert sheet.cell(row=6, column=header.index("budget") + 1).number_format.startswith("#,##0")
    totals = projects.totals()
    grand = rows[-1]
    assert Decimal(str(grand["budget"])) == totals["budget"]
    assert Decimal(str(grand["pledged"])) == totals["pledged"]
    assert Decimal(str(grand["computed shortfall"])) == totals["shortfall"]
    africa = Project.objects.filter(section__name="Africa & Middle East").totals()
    assert Decimal(str(rows[5]["computed shortfall"])) == africa["shortfall"]
    about = {r[0].value: r[1].value for r in book["Filters"].iter_rows()}
    assert about["q"] == "test"
    assert about["Projects"] == 4


def test_export_command_writes_both_formats(projects, tmp_path):
    call_command(
        "export_shortfalls", "--format", "csv", "--country", "civ", "-o", tmp_path / "a.csv"
    )
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Measures in Côte d'Ivoire"]
    call_command(
        "export_shortfalls", "--format", "xlsx", "--section", "Global", "-o", tmp_path / "b.xlsx"
    )
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["Shortfalls"]
    assert [r[1].value for r in sheet.iter_rows(min_row=2)][-1] == "Grand total"
    assert sheet.max_row == 1 + 2 + 2  # header, two projects, subtotal, grand total


def test_export_reads_projects_in_chunks(settings):
    world = factories.section("Global")
    donor = factories.donor()
    created = Project.objects.bulk_create(
        Project(title=f"P{n}", slug=f"p{n}", section=world, budget=Decimal(n)) for n in range(1100)
    )
    factories.project(title="with pledge", pledges=((donor, "5"),), section=world)
    with CaptureQueriesContext(connection) as queries:
        count = sum(1 for _ in exports.rows(Project.objects.all(), "http://x"))
    assert count == len(created) + 1
    pledge_queries = [
        q
        for q in queries.captured_queries
        if 'FROM "projects_pledge"' in q["sql"] and 'project_id" IN' in q["sql"]
    ]
    # One prefetch per chunk of 500: the rows never all sit in memory at once.
    assert len(pledge_queries) == 3


def test_export_command_leaves_out_partnership_examples_and_unpublished(projects, tmp_path):
    programme = Project.objects.get(title="Global programme")
    factories.project(title="Example under it", budget="570000", parent=programme)
    factories.project(title="Withdrawn", budget="1", published=False)
    call_command("export_shortfalls", "--format", "csv", "-o", tmp_path / "all.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text("utf-8-sig"))))
    titles = {r["title"] for r in rows}
    assert "Example under it" not in titles and "Withdrawn" not in titles
    assert len(rows) == 4


def test_xlsx_filter_values_cannot_be_formulas(projects):
    data = exports.xlsx_bytes(projects, [("q", "=1+1"), ("country", "@SUM(A1)")])
    about = openpyxl.load_workbook(io.BytesIO(data))["Filters"]
    cells = {row[0].value: row[1] for row in about.iter_rows()}
    assert cells["q"].value == "'=1+1" and cells["q"].data_type == "s"
    assert cells["country"].value == "'@SUM(A1)"
