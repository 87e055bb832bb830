"""The XLSX's formulas, computed by LibreOffice, give the portal's figures — also after a
person re-sorts the rows or filters some out.

LibreOffice (Debian package libreoffice-calc-nogui, installed by .ci/run) recalculates the
file headless: `soffice --convert-to xlsx` writes the computed values, which openpyxl reads.
The expected figures are summed here from the figures the test data is built from.
"""

import io
import os
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from projects import exports
from projects.filters import ProjectFilter
from tests import factories

pytestmark = pytest.mark.django_db

SECTIONS = ["Africa and Middle East", "Global", "Europe and Central Asia"]
DONORS = ["Germany", "Norway", "European Commission", None]  # None: a donor not named


def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        reason = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
        if os.environ.get("PORTAL_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def libreoffice_profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("libreoffice-profile")


def recalculated(files: dict[str, bytes], directory: Path, profile: Path) -> dict:
    """Each workbook as LibreOffice computes it (values, not formulas), in one run."""
    sources = []
    for name, data in files.items():
        sources.append(directory / f"{name}.xlsx")
        sources[-1].write_bytes(data)
    out = directory / "computed"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {name: openpyxl.load_workbook(out / f"{name}.xlsx", data_only=True) for name in files}


def made_up_figures(rng: random.Random, n: int) -> list[dict]:
    """Projects with budgets (some with cents, one unknown), pledges (some over the budget)."""
    figures = []
    for i in range(n):
        budget = Decimal(rng.randrange(10_000, 3_000_000, 500))
        if i % 4 == 1:
            budget += Decimal(rng.randrange(1, 99)) / 100
        pledges = [
            (DONORS[(i + k) % len(DONORS)], Decimal(rng.randrange(1_000, 600_000, 250)))
            for k in range(i % 4)
        ]
        figures.append(
            {
                "title": f"Programme {i:02d}",
                "section": SECTIONS[i % len(SECTIONS)],
                "budget": None if i == 5 else budget,
                "pledges": pledges,
            }
        )
    return figures


@pytest.fixture
def figures():
    figures = made_up_figures(random.Random(13), 16)
    donors = {name: factories.donor(name) for name in DONORS if name}
    for spec in figures:
        factories.project(
            title=spec["title"],
            budget=spec["budget"],
            section=factories.section(spec["section"]),
            pledges=tuple((donors.get(d), amount) for d, amount in spec["pledges"]),
        )
    return figures


def expected_totals(figures: list[dict]) -> dict:
    budgeted = [f for f in figures if f["budget"] is not None]
    budget = sum((f["budget"] for f in budgeted), Decimal(0))
    pledged = sum((a for f in budgeted for _, a in f["pledges"]), Decimal(0))
    return {"projects": len(figures), "budget": budget, "pledged": pledged}


def approx(value: Decimal):
    return pytest.approx(float(value), abs=0.005)


def table(sheet) -> tuple[list[str], int, int]:
    """The header, first data row and totals row of the projects' table."""
    rows = [r[0].value for r in sheet.iter_rows(max_col=1)]
    header_row = rows.index("Code") + 1
    totals_row = rows.index("Total") + 1
    header = [c.value for c in sheet[header_row]]
    return header, header_row + 1, totals_row


def check_totals(book: openpyxl.Workbook, figures: list[dict]) -> None:
    sheet = book["Shortfalls"]
    header, _, totals_row = table(sheet)
    totals = dict(zip(header, (c.value for c in sheet[totals_row]), strict=True))
    expected = expected_totals(figures)
    assert totals["Project"] == f"{expected['projects']} projects shown"
    assert totals["Budget (US$)"] == approx(expected["budget"])
    assert totals["Pledged (US$)"] == approx(expected["pledged"])
    assert totals["Shortfall (US$)"] == approx(expected["budget"] - expected["pledged"])
    assert totals["Funded (%)"] == pytest.approx(float(expected["pledged"] / expected["budget"]))


def resorted_and_filtered(data: bytes, hide_section: str | None) -> bytes:
    """The file after a person sorts the projects by title, Z to A, and (optionally) hides one
    section's rows as a filter would."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Shortfalls"]
    header, first, totals_row = table(sheet)
    rows = [[c.value for c in sheet[n]] for n in range(first, totals_row)]
    rows.sort(key=lambda r: r[header.index("Project")], reverse=True)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=first + offset, column=column).value = value
        if hide_section and values[header.index("Section")] == hide_section:
            sheet.row_dimensions[first + offset].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_libreoffice_computes_the_portals_figures_also_after_sorting_and_filtering(
    figures, tmp_path, libreoffice_profile
):
    projects = ProjectFilter({}).qs
    data = exports.xlsx_bytes(projects)
    hidden = "Global"
    books = recalculated(  # one LibreOffice run for the three files
        {
            "export": data,
            "sorted": resorted_and_filtered(data, None),
            "filtered": resorted_and_filtered(data, hidden),
        },
        tmp_path,
        libreoffice_profile,
    )
    book = books["export"]
    check_totals(book, figures)
    portal = projects.totals()
    expected = expected_totals(figures)
    assert (portal["budget"], portal["pledged"]) == (expected["budget"], expected["pledged"])

    summary = list(book["Summary"].iter_rows(values_only=True))
    by_name = {row[0]: row for row in summary if row[0]}
    for section in SECTIONS:
        mine = [f for f in figures if f["section"] == section]
        totals = expected_totals(mine)
        unbudgeted = sum(
            (a for f in mine if f["budget"] is None for _, a in f["pledges"]), Decimal(0)
        )
        name, count, budget, pledged, shortfall, funded, elsewhere = by_name[section][:7]
        assert count == len(mine)
        assert budget == approx(totals["budget"])
        assert pledged == approx(totals["pledged"])
        assert shortfall == approx(totals["budget"] - totals["pledged"])
        assert funded == pytest.approx(float(totals["pledged"] / totals["budget"]))
        assert (elsewhere or 0) == approx(unbudgeted)
    section_total = next(r for r in summary if r[0] == "Total")
    assert section_total[2] == approx(expected["budget"])

    pledges = [(d or exports.UNNAMED_DONOR, a) for f in figures for d, a in f["pledges"]]
    for donor in {d for d, _ in pledges}:
        mine = [a for d, a in pledges if d == donor]
        assert by_name[donor][1] == len(mine)
        assert by_name[donor][2] == approx(sum(mine, Decimal(0)))
    donor_total = [r for r in summary if r[0] == "Total"][1]
    assert donor_total[2] == approx(sum((a for _, a in pledges), Decimal(0)))

    # Re-sorted by a person: the rows moved, the totals did not change.
    sorted_book, filtered = books["sorted"], books["filtered"]
    header, first, totals_row = table(sorted_book["Shortfalls"])
    titles = [
        sorted_book["Shortfalls"].cell(row=n, column=2).value for n in range(first, totals_row)
    ]
    assert titles == sorted((f["title"] for f in figures), reverse=True)
    check_totals(sorted_book, figures)
    # Filtered: the totals count the rows still shown.
    check_totals(filtered, [f for f in figures if f["section"] != hidden])
    # The summary still counts every project of the file.
    summary = {r[0]: r for r in filtered["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary[hidden][1] == sum(1 for f in figures if f["section"] == hidden)
