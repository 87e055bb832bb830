"""Shortfall lists for donor meetings: the same rows as CSV (streamed), XLSX and a PDF brief.

The rows are the project list's, filtered and sorted by its filterset. They are read as plain
values in chunks of CHUNK projects, with their countries, pledges, focal points and data issues
read per chunk, so an export of any size never holds every project in memory and builds no
model instance per row (10,000 projects stream in well under two seconds).
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from donors.models import Donor
from ingest.models import DataIssue, SourceDocument
from projects.filters import DEFAULT_SORT, SORT_CHOICES, SORTS, ProjectFilter
from projects.formulas import neutralise
from projects.models import Country, FocalPoint, FundingStatus, Pledge, Project, Region, Theme
from projects.models import ProjectFocalPoint as Role
from projects.templatetags.figures import edition, money

CHUNK = 500
PORTAL_NAME = "UNODC Partnership Opportunities"
UNNAMED_DONOR = "Unnamed donor"
# Edited-field names (projects.admin) as a reader says them.
EDITED_LABELS = {
    "budget": "budget",
    "stated_shortfall": "stated shortfall",
    "pledges": "pledges",
    "phases": "budget phases",
    "title": "title",
    "countries": "countries",
    "focal_roles": "focal points",
    "description": "description",
}


@dataclass(frozen=True)
class Record:
    """One project as every export shows it."""

    code: str
    title: str
    section: str
    subregion: str
    countries: list[str]
    budget: Decimal | None
    pledged: Decimal
    stated_shortfall: Decimal | None
    computed_shortfall: Decimal | None
    percent_funded: Decimal | None
    funding_status: str
    pledges: list[tuple[str, Decimal]]
    issues: list[str]
    hq: list[str]
    field: list[str]
    source: str
    url: str

    @property
    def donors(self) -> str:
        """ "Germany US$ 500,000; Norway US$ 100,000.50" """
        return "; ".join(f"{donor} {money(amount)}" for donor, amount in self.pledges)


@dataclass(frozen=True)
class Column:
    label: str  # in English: the key the spreadsheet's formulas look columns up by
    value: object  # a function of a Record
    kind: str = "text"  # text, money, percent, link
    width: int = 12

    @property
    def heading(self) -> str:
        """The label in the active language, as the file shows it."""
        return gettext(self.label)


COLUMNS = [
    Column(gettext_noop("Code"), lambda r: r.code, width=9),
    Column(gettext_noop("Project"), lambda r: r.title, "link", 34),
    Column(gettext_noop("Section"), lambda r: r.section, width=14),
    Column(gettext_noop("Subregion"), lambda r: r.subregion, width=14),
    Column(gettext_noop("Countries"), lambda r: "; ".join(r.countries), width=16),
    Column(gettext_noop("Budget (US$)"), lambda r: r.budget, "money", 12),
    Column(gettext_noop("Pledged (US$)"), lambda r: r.pledged, "money", 12),
    Column(gettext_noop("Shortfall as published (US$)"), lambda r: r.stated_shortfall, "money", 12),
    Column(gettext_noop("Shortfall (US$)"), lambda r: r.computed_shortfall, "money", 12),
    Column(gettext_noop("Funded (%)"), lambda r: r.percent_funded, "percent", 8),
    Column(gettext_noop("Funding status"), lambda r: r.funding_status, width=10),
    Column(gettext_noop("Donors"), lambda r: r.donors, width=26),
    Column(gettext_noop("Data issues"), lambda r: "; ".join(r.issues), width=28),
    Column(gettext_noop("HQ focal points"), lambda r: "; ".join(r.hq), width=20),
    Column(gettext_noop("Field focal points"), lambda r: "; ".join(r.field), width=20),
    Column(gettext_noop("Source"), lambda r: r.source, width=20),
    Column(gettext_noop("Portal page"), lambda r: r.url, "link", 24),
]


def header() -> list[str]:
    return [c.heading for c in COLUMNS]


def sorted_like_the_list(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects in their own order, or in the list's default one when they have none."""
    projects = projects.with_totals()
    if projects.query.order_by:
        return projects
    return projects.order_by(*SORTS[DEFAULT_SORT], "title", "pk")


def source_of(values: dict, documents: dict[int, str]) -> str:
    document = documents.get(values["source_document_id"])
    parts = []
    if document:
        page = f", page {values['source_page']}" if values["source_page"] else ""
        parts.append(f"{document}{page}")
    edited = [EDITED_LABELS.get(name, name) for name in values["edited_fields"] or []]
    if edited:
        parts.append("updated by UNODC: " + ", ".join(edited))
    return "; ".join(parts)


def person(name: str, email: str) -> str:
    return f"{name} <{email}>" if email else name


def complete(chunk: list[dict], base_url: str, documents: dict[int, str]) -> Iterator[Record]:
    """Records for a chunk of projects, their related rows read in one query per relation."""
    pks = [values["pk"] for values in chunk]
    countries = defaultdict(list)
    through = Project.countries.through.objects.filter(project_id__in=pks)
    for pk, name in through.order_by("country__name").values_list("project_id", "country__name"):
        countries[pk].append(name)
    pledges = defaultdict(list)
    rows = Pledge.objects.filter(project_id__in=pks).order_by("project_id", "order", "pk")
    for pk, donor, amount in rows.values_list("project_id", "donor__name", "amount"):
        pledges[pk].append((donor or UNNAMED_DONOR, amount))
    people = {"hq": defaultdict(list), "field": defaultdict(list)}
    roles = Role.objects.filter(project_id__in=pks).order_by("project_id", "role", "order", "pk")
    for pk, role, name, email in roles.values_list(
        "project_id", "role", "focal_point__name", "focal_point__email"
    ):
        people[role][pk].append(person(name, email))
    issues = defaultdict(list)
    rows = DataIssue.objects.filter(project_id__in=pks).order_by("project_id", "pk")
    for pk, message in rows.values_list("project_id", "message"):
        if message not in issues[pk]:
            issues[pk].append(message)
    # The page of a project is this prefix and its slug: one reverse() for the whole chunk.
    project_url = base_url.rstrip("/") + reverse("project_detail", args=["-"]).removesuffix("-/")
    for values in chunk:
        pk = values["pk"]
        yield Record(
            code=values["code"],
            title=values["title"],
            section=values["section__name"],
            subregion=values["subregion__name"] or "",
            countries=countries[pk],
            budget=values["budget"],
            pledged=values["pledged"],
            stated_shortfall=values["stated_shortfall"],
            computed_shortfall=values["computed_shortfall"],
            percent_funded=values["percent_funded"],
            funding_status=FundingStatus(values["funding_status"]).label,
            pledges=pledges[pk],
            issues=issues[pk],
            hq=people["hq"][pk],
            field=people["field"][pk],
            source=source_of(values, documents),
            url=f"{project_url}{values['slug']}/",
        )


FIELDS = (
    *("pk", "code", "title", "slug", "section__name", "subregion__name", "budget", "pledged"),
    *("stated_shortfall", "computed_shortfall", "percent_funded", "funding_status"),
    *("source_document_id", "source_page", "edited_fields"),
)


def records(projects: QuerySet[Project], base_url: str | None = None) -> Iterator[Record]:
    base_url = base_url or settings.PORTAL_BASE_URL
    documents = {d.pk: f"{d.title}, {edition(d)}" for d in SourceDocument.objects.all()}
    chunk: list[dict] = []
    for values in sorted_like_the_list(projects).values(*FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(values)
        if len(chunk) == CHUNK:
            yield from complete(chunk, base_url, documents)
            chunk = []
    yield from complete(chunk, base_url, documents)


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
    yield "\ufeff" + writer.writerow(header())
    for record in records(projects, base_url):
        yield writer.writerow([text_cell(column.value(record)) for column in COLUMNS])


# What is exported, in words: the title block of the spreadsheet and brief, and the file name.

FILTER_LABELS = {
    "q": _("Search"),
    "section": _("Section"),
    "subregion": _("Subregion"),
    "country": _("Country"),
    "theme": _("Theme"),
    "status": _("Funding status"),
    "donor": _("Donor"),
    "focal_point": _("Focal point"),
    "min_shortfall": _("Shortfall at least"),
    "max_shortfall": _("Shortfall at most"),
    "has_issue": _("Data issues"),
}
NAMED_BY = {
    "section": lambda values: Region.objects.filter(slug__in=values).values_list("slug", "name"),
    "subregion": lambda values: Region.objects.filter(slug__in=values).values_list("slug", "name"),
    "country": lambda values: Country.objects.filter(iso3__in=values).values_list("iso3", "name"),
    "donor": lambda values: Donor.objects.filter(slug__in=values).values_list("slug", "name"),
    "theme": lambda values: Theme.objects.filter(slug__in=values).values_list("slug", "name"),
    "focal_point": lambda values: FocalPoint.objects.filter(pk__in=values).values_list(
        "pk", "name"
    ),
}


def as_list(value: object) -> list:
    """A cleaned filter value as a list: one value, or several once a filter takes several."""
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple | set | QuerySet):
        return list(value)
    return [value]


@dataclass(frozen=True)
class Selection:
    """Which projects an export holds, said in words."""

    filters: list[tuple[str, str]]  # (label, values in words), the sort last
    slug_parts: list[str] = field(default_factory=list)

    @property
    def in_words(self) -> str:
        chosen = [f"{label}: {words}" for label, words in self.filters if label != "Sorted by"]
        return "; ".join(chosen) if chosen else str(_("none: every published programme"))

    @property
    def sort_words(self) -> str:
        return dict(self.filters).get("Sorted by", "")

    def file_name(self, kind: str, extension: str, day: datetime.date) -> str:
        """shortfalls-africa-and-middle-east-partly-funded-2026-11-29.xlsx"""
        words = "-".join(part for part in self.slug_parts if part)
        if len(words) > 80:
            words = words[:80].rsplit("-", 1)[0]
        return "-".join(part for part in (kind, words, day.isoformat()) if part) + f".{extension}"


def words_for(filterset: ProjectFilter, name: str, values: list) -> list[str]:
    if name in NAMED_BY:
        keys = [v.pk if isinstance(v, models.Model) else v for v in values]
        names = {str(key): label for key, label in NAMED_BY[name](keys)}
        return [names.get(str(key), str(key)) for key in keys]
    choices = dict(filterset.filters[name].extra.get("choices") or ())
    if choices:
        return [str(choices.get(value, value)) for value in values]
    if isinstance(values[0], Decimal):
        return [money(value) for value in values]
    if name == "q":
        return [f"“{value}”" for value in values]
    return [str(value) for value in values]


def selection(filterset: ProjectFilter) -> Selection:
    """The valid filters of `filterset` in words, as a person chose them on the list."""
    filterset.is_valid()
    cleaned = filterset.form.cleaned_data
    filters, parts = [], []
    for name in filterset.filters:
        values = as_list(cleaned.get(name))
        if name == "sort" or not values:
            continue
        label = str(FILTER_LABELS.get(name) or filterset.filters[name].label or name)
        words = words_for(filterset, name, values)
        filters.append((label, ", ".join(words)))
        if name in {"min_shortfall", "max_shortfall", "q", "focal_point"}:
            parts.append(slugify(f"{label} {' '.join(words)}"))
        else:
            parts.extend(slugify(word) for word in words)
    filters.append(("Sorted by", str(dict(SORT_CHOICES)[filterset.sort_order])))
    return Selection(filters, parts)


@dataclass(frozen=True)
class Heading:
    """The title block: what the file holds, from which editions, as of when."""

    title: str
    selection: Selection
    editions: list[str]
    made_at: datetime.datetime

    @property
    def as_of(self) -> str:
        return date_format(timezone.localtime(self.made_at), "j F Y")

    @property
    def sources(self) -> str:
        if not self.editions:
            return str(_("Figures entered by UNODC staff"))
        return str(_("Figures as published in %(editions)s, and UNODC's updates")) % {
            "editions": "; ".join(self.editions)
        }

    @property
    def lines(self) -> list[str]:
        return [
            f"{PORTAL_NAME}: {self.title}",
            str(_("Filters: %(filters)s. Sorted by %(sort)s."))
            % {"filters": self.selection.in_words, "sort": self.selection.sort_words.lower()},
            str(_("%(sources)s, as of %(date)s.")) % {"sources": self.sources, "date": self.as_of},
        ]


def heading(projects: QuerySet[Project], chosen: Selection, title: str) -> Heading:
    documents = SourceDocument.objects.filter(
        pk__in=projects.order_by().values("source_document")
    ).order_by("-edition", "kind")
    return Heading(
        title=title,
        selection=chosen,
        editions=[f"{d.title}, {edition(d)}" for d in documents],
        made_at=timezone.now(),
    )


def xlsx_bytes(
    projects: QuerySet[Project],
    chosen: Selection | None = None,
    base_url: str | None = None,
) -> bytes:
    from projects.spreadsheet import ShortfallWorkbook

    chosen = chosen or selection(ProjectFilter({}))
    book = ShortfallWorkbook(heading(projects, chosen, "funding shortfalls"), COLUMNS)
    for record in records(projects, base_url):
        book.add(record)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
