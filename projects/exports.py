"""Shortfall lists for donor meetings: the same rows as CSV (streamed) and XLSX.

Rows come from `.iterator()` in chunks with their pledges, countries, focal points and data
issues prefetched per chunk, so the CSV of any size never holds every project in memory. The
XLSX is built whole before it is sent (a spreadsheet file must be complete to be read).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from projects.formulas import neutralise
from projects.models import FundingStatus, Pledge, Project, ProjectFocalPoint
from projects.querysets import LONG_TEXT

CHUNK = 500
COLUMNS = [
    "code",
    "title",
    "section",
    "subregion",
    "countries",
    "budget",
    "pledged",
    "stated shortfall",
    "computed shortfall",
    "percent funded",
    "funding status",
    "data issues",
    "donors",
    "HQ focal points",
    "field focal points",
    "source",
    "portal URL",
]
MONEY_COLUMNS = {"budget", "pledged", "stated shortfall", "computed shortfall"}


def export_queryset(projects: QuerySet[Project]) -> QuerySet[Project]:
    return (
        projects.with_totals()
        .select_related("section", "subregion", "source_document")
        .defer(*LONG_TEXT)
        .prefetch_related(
            "countries",
            "issues",
            Prefetch("pledges", Pledge.objects.select_related("donor").order_by("order")),
            Prefetch(
                "focal_roles",
                ProjectFocalPoint.objects.select_related("focal_point").order_by("order"),
            ),
        )
        # Grouped by section (the spreadsheet subtotals them), in the list's order within.
        .order_by("section__order", "section__name", *projects.query.order_by, "title", "pk")
    )


def people(project: Project, role: str) -> str:
    return "; ".join(
        f"{r.focal_point.name} <{r.focal_point.email}>"
        if r.focal_point.email
        else r.focal_point.name
        for r in project.focal_roles.all()
        if r.role == role
    )


def row(project: Project, base_url: str) -> dict[str, object]:
    source = project.source_document
    return {
        "code": project.code,
        "title": project.title,
        "section": project.section.name,
        "subregion": project.subregion.name if project.subregion else "",
        "countries": "; ".join(c.name for c in project.countries.all()),
        "budget": project.budget,
        "pledged": project.pledged,
        "stated shortfall": project.stated_shortfall,
        "computed shortfall": project.computed_shortfall,
        "percent funded": project.percent_funded,
        "funding status": FundingStatus(project.funding_status).label,
        "data issues": "; ".join(sorted({i.code for i in project.issues.all()})),
        "donors": "; ".join(
            f"{p.donor.name if p.donor else 'unnamed donor'}: {p.amount}"
            for p in project.pledges.all()
        ),
        "HQ focal points": people(project, "hq"),
        "field focal points": people(project, "field"),
        "source": (
            f"{source.title}, {source.edition}"
            + (f", page {project.source_page}" if project.source_page else "")
            if source
            else ""
        ),
        "portal URL": base_url.rstrip("/") + project.get_absolute_url(),
    }


def rows(projects: QuerySet[Project], base_url: str | None = None) -> Iterator[dict[str, object]]:
    base_url = base_url or settings.PORTAL_BASE_URL
    for project in export_queryset(projects).iterator(chunk_size=CHUNK):
        yield row(project, base_url)


def text_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return neutralise(str(value))


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(projects: QuerySet[Project], base_url: str | None = None) -> Iterator[str]:
    """The CSV file line by line: a BOM so spreadsheets read UTF-8, then a header row."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for record in rows(projects, base_url):
        yield writer.writerow([text_cell(record[c]) for c in COLUMNS])


def xlsx_bytes(
    projects: QuerySet[Project],
    filters_used: Iterable[tuple[str, str]] = (),
    base_url: str | None = None,
) -> bytes:
    from projects.spreadsheet import ShortfallWorkbook

    book = ShortfallWorkbook(COLUMNS, MONEY_COLUMNS)
    for record in rows(projects, base_url):
        book.add(record)
    book.finish(filters_used, datetime.datetime.now(datetime.UTC))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
