"""Shortfall exports: CSV and XLSX rows, a spreadsheet ready for a meeting, formulas that
LibreOffice computes to the portal's figures, and `export_shortfalls` matching the site."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from projects import exports
from projects.filters import ProjectFilter
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

BUDGET, PLEDGED, SHORTFALL = "Budget (US$)", "Pledged (US$)", "Shortfall (US$)"


@pytest.fixture
def projects():
    africa = factories.section("Africa & Middle East", order=1)
    world = factories.section("Global", order=0)
    norway, spain = factories.donor("Norway"), factories.donor("Spain")
    brochure = factories.source_document()
    a = factories.project(
        title="Measures in Côte d'Ivoire",
        code="XAWT24",
        budget="655000",
        pledges=((norway, "100000.50"),),
        countries=("CIV", "GIN"),
        section=africa,
        stated_shortfall=Decimal("554999.50"),
        source_document=brochure,
        source_page=26,
    )
    factories.focal_point(a, "hq", name="Silke Albert", email="silke.albert@unodc.example")
    factories.focal_point(a, "field", name="Babacar Ndiaye", email="babacar@unodc.example")
    b = factories.project(
        title="=cmd|' /C calc'!A0", budget="1000", pledges=((spain, "1500"),), section=africa
    )
    factories.data_issue(b, message="The printed shortfall does not add up.")
    factories.project(title="Global programme", budget="6576097", section=world)
    factories.project(title="Varies", budget=None, pledges=((norway, "700000"),), section=world)
    return ProjectFilter({}).qs


def read_csv(lines):
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_every_column_with_units_and_words(projects):
    rows = read_csv(exports.csv_lines(projects, "https://portal.example"))
    assert list(rows[0]) == exports.header()
    by_title = {r["Project"]: r for r in rows}
    row = by_title["Measures in Côte d'Ivoire"]
    assert row["Countries"] == "Côte d’Ivoire; Guinea"
    assert row[BUDGET] == "655000.00"
    assert row[PLEDGED] == "100000.50"
    assert row[SHORTFALL] == "554999.50"
    assert row["Funding status"] == "Partly funded"
    assert row["Donors"] == "Norway US$\u00a0100,000.50"
    assert row["HQ focal points"] == "Silke Albert <silke.albert@unodc.example>"
    assert row["Field focal points"] == "Babacar Ndiaye <babacar@unodc.example>"
    assert row["Source"] == "Partnership Opportunities, January 2010, page 26"
    page = projects.get(title="Measures in Côte d'Ivoire").get_absolute_url()
    assert row["Portal page"] == "https://portal.example" + page
    issue_row = by_title["'=cmd|' /C calc'!A0"]
    assert issue_row["Data issues"] == "The printed shortfall does not add up."
    assert by_title["Varies"]["Donors"] == "Norway US$\u00a0700,000"


def test_exports_sort_as_the_list_does_by_default(projects, client):
    page = client.get("/projects/")
    listed = [p.title for p in page.context["page"].object_list]
    rows = read_csv(exports.csv_lines(projects))
    # Largest shortfall first, then those without a known budget.
    assert listed == [
        "Global programme",
        "Measures in Côte d'Ivoire",
        "=cmd|' /C calc'!A0",
        "Varies",
    ]
    assert [r["Project"].removeprefix("'") for r in rows] == listed
    # An unordered queryset gets the same default order.
    unordered = Project.objects.published().top_level().order_by()
    assert [r.title for r in exports.records(unordered)] == listed


def test_csv_neutralises_formulas(projects):
    titles = [r["Project"] for r in read_csv(exports.csv_lines(projects))]
    assert "'=cmd|' /C calc'!A0" in titles
    assert not any(t.startswith("=") for t in titles)


def test_export_reads_projects_in_chunks():
    world = factories.section("Global")
    donor = factories.donor()
    created = Project.objects.bulk_create(
        Project(title=f"P{n}", slug=f"p{n}", section=world, budget=Decimal(n)) for n in range(1100)
    )
    factories.project(title="with pledge", pledges=((donor, "5"),), section=world)
    with CaptureQueriesContext(connection) as queries:
        count = sum(1 for _ in exports.records(Project.objects.all(), "http://x"))
    assert count == len(created) + 1
    pledge_queries = [
        q
        for q in queries.captured_queries
        if 'FROM "projects_pledge"' in q["sql"] and 'project_id" IN' in q["sql"]
    ]
    # One query per chunk of 500: the rows never all sit in memory at once.
    assert len(pledge_queries) == 3


def workbook(projects, filters=None):
    filterset = ProjectFilter(filters or {})
    data = exports.xlsx_bytes(filterset.qs, exports.selection(filterset), "https://portal.example")
    return openpyxl.load_workbook(io.BytesIO(data))


def table_rows(sheet):
    """The header row number and the rows of the projects' table as dicts, totals row last."""
    rows = list(sheet.iter_rows())
    header_index = next(i for i, r in enumerate(rows) if r[0].value == "Code")
    header = [c.value for c in rows[header_index]]
    cells = [dict(zip(header, r, strict=True)) for r in rows[header_index + 1 :]]
    return header_index + 1, cells


def test_xlsx_reads_like_a_meeting_document(projects):
    book = workbook(projects, {"section": "africa-middle-east"})
    sheet = book["Shortfalls"]
    assert book.sheetnames == ["Shortfalls", "Summary", "Pledges"]
    title, filters, sources = (sheet.cell(row=n, column=1).value for n in (1, 2, 3))
    assert title.startswith("UNODC Partnership Opportunities")
    assert "Section: Africa & Middle East" in filters
    assert "largest shortfall first" in filters
    assert "Partnership Opportunities, January 2010" in sources and "as of" in sources

    header_row, rows = table_rows(sheet)
    assert [c.value for c in sheet[header_row]] == exports.header()
    *projects_rows, totals = rows
    by_title = {r["Project"].value: r for r in projects_rows}
    assert list(by_title) == ["Measures in Côte d'Ivoire", "'=cmd|' /C calc'!A0"]
    measures = by_title["Measures in Côte d'Ivoire"]
    assert measures[BUDGET].value == 655000
    assert measures[BUDGET].number_format.startswith("#,##0;")  # whole dollars
    assert measures[PLEDGED].value == pytest.approx(100000.50)
    assert measures[PLEDGED].number_format.startswith("#,##0.00;")  # cents, as there are some
    assert measures["Funded (%)"].number_format == "0.0%"
    assert measures["Funded (%)"].value == pytest.approx(0.1527)
    page = projects.get(title="Measures in Côte d'Ivoire").get_absolute_url()
    assert measures["Project"].hyperlink.target == "https://portal.example" + page
    assert measures["Portal page"].hyperlink.target == measures["Project"].hyperlink.target
    assert measures["Donors"].value == "Norway US$\u00a0100,000.50"
    issues = by_title["'=cmd|' /C calc'!A0"]["Data issues"].value
    assert issues == "The printed shortfall does not add up."

    table = sheet.tables["Shortfalls"]
    last_data_row = header_row + len(projects_rows)
    assert table.totalsRowCount == 1
    assert table.ref.endswith(str(last_data_row + 1))
    assert table.autoFilter.ref.endswith(str(last_data_row))  # totals are not sorted with rows
    assert totals["Code"].value == "Total"
    assert totals[BUDGET].value.startswith("=SUBTOTAL(109,")
    assert totals[SHORTFALL].value.startswith("=SUBTOTAL(109,")
    assert "SUBTOTAL(109,OFFSET(" in totals[PLEDGED].value

    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert "&P" in sheet.oddFooter.right.text
    assert sheet.freeze_panes == f"C{header_row + 1}"


def test_xlsx_without_filters_says_so(projects):
    sheet = workbook(projects)["Shortfalls"]
    assert "every published programme" in sheet["A2"].value


def test_xlsx_text_cannot_be_formulas(projects):
    book = workbook(projects, {"q": "=cmd"})
    assert book["Shortfalls"]["A2"].data_type == "s"
    _, rows = table_rows(book["Shortfalls"])
    assert rows[0]["Project"].value == "'=cmd|' /C calc'!A0"
    assert rows[0]["Project"].data_type == "s"


def test_an_empty_selection_still_makes_a_valid_table(projects):
    book = workbook(projects, {"q": "nothing matches this"})
    _, rows = table_rows(book["Shortfalls"])
    assert rows[0]["Project"].value == "No project matches these filters."
    assert rows[-1]["Code"].value == "Total"


# export_shortfalls: the site's filters, order and files.


def site_csv(client, query):
    response = client.get("/projects/export.csv", query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize(
    "query, arguments",
    [
        ({}, []),
        ({"section": "africa-middle-east"}, ["--section", "Africa & Middle East"]),
        ({"country": "CIV"}, ["--country", "civ"]),
        ({"donor": "norway", "sort": "title"}, ["--donor", "Norway", "--sort", "title"]),
        (
            {"status": "partly", "theme": "trafficking"},
            ["--status", "partly", "--theme", "trafficking"],
        ),
    ],
    ids=["everything", "section-by-name", "country", "donor-sorted", "status-and-theme"],
)
def test_command_writes_what_the_site_exports(
    projects, client, settings, tmp_path, query, arguments
):
    settings.PORTAL_BASE_URL = "http://testserver"
    call_command("export_shortfalls", "--format", "csv", *arguments, "-o", tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes().decode("utf-8") == site_csv(client, query)


def test_command_names_its_file_by_what_it_holds(projects, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    call_command("export_shortfalls", "--format", "xlsx", "--section", "global", stdout=out)
    (written,) = tmp_path.glob("*.xlsx")
    assert written.name.startswith("shortfalls-global-") and written.name.endswith(".xlsx")
    assert "Wrote 2 projects" in out.getvalue()


@pytest.mark.parametrize(
    "arguments, listed",
    [
        (["--section", "Atlantis"], ["africa-middle-east", "Global"]),
        (["--status", "bankrupt"], ["partly", "Partly funded", "unfunded"]),
        (["--sort", "random"], ["-shortfall", "title"]),
        (["--country", "XXX"], ["CIV", "Côte d’Ivoire", "GIN"]),
        (["--donor", "Atlantis"], ["norway", "spain"]),
    ],
)
def test_command_refuses_an_unknown_value_and_lists_the_valid_ones(
    projects, tmp_path, arguments, listed
):
    with pytest.raises(Exception, match="Unknown") as refused:
        call_command("export_shortfalls", *arguments, "-o", tmp_path / "x.csv")
    for value in listed:
        assert value in str(refused.value)
    assert not (tmp_path / "x.csv").exists()


def test_command_takes_several_values_only_where_the_list_does(
    projects, client, settings, tmp_path
):
    settings.PORTAL_BASE_URL = "http://testserver"
    arguments = ["--country", "CIV", "--country", "GIN"]
    # Once the list's filters take several values (?country=CIV&country=GIN), so does this.
    filterset = ProjectFilter(QueryDict("country=CIV&country=GIN"))
    filterset.is_valid()
    if len(exports.as_list(filterset.form.cleaned_data["country"])) > 1:
        call_command("export_shortfalls", *arguments, "-o", tmp_path / "a.csv")
        assert (tmp_path / "a.csv").read_bytes().decode("utf-8") == site_csv(
            client, {"country": ["CIV", "GIN"]}
        )
    else:
        with pytest.raises(Exception, match="takes one value"):
            call_command("export_shortfalls", *arguments, "-o", tmp_path / "a.csv")


def test_command_leaves_out_partnership_examples_and_unpublished(projects, tmp_path):
    programme = Project.objects.get(title="Global programme")
    factories.project(title="Example under it", budget="570000", parent=programme)
    factories.project(title="Withdrawn", budget="1", published=False)
    call_command("export_shortfalls", "--format", "csv", "-o", tmp_path / "all.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text("utf-8-sig"))))
    titles = {r["Project"] for r in rows}
    assert "Example under it" not in titles and "Withdrawn" not in titles
    assert len(rows) == 4
