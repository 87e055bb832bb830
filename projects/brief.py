"""A PDF brief for a donor meeting: one page per project, rendered with WeasyPrint.

Each page has the project's title, code, figures and where each comes from, pledges,
countries, focal points and description. A project whose page would overflow is laid out
again with less of its long parts (description, pledges, countries, people), so the brief
always has exactly one page per project; what is left out is counted on the page and is on
the portal, whose address the page gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator

from projects.exports import (
    EDITED_LABELS,
    PORTAL_NAME,
    Heading,
    Selection,
    heading,
    sorted_like_the_list,
)
from projects.history import figure_sources
from projects.markup import clean_description
from projects.models import Pledge, Project, ProjectFocalPoint
from projects.templatetags.figures import edition

if TYPE_CHECKING:
    from weasyprint.document import Document

# Laid out in the request, at a few pages a second: a brief is for a meeting, not a catalogue.
BRIEF_MAX_PROJECTS = 30


@dataclass(frozen=True)
class Fit:
    """How much of a project's long parts one page shows."""

    description_chars: int
    pledges: int
    countries: int
    people: int
    issues: int
    compact: bool = False


FITS = [
    Fit(description_chars=2200, pledges=14, countries=40, people=6, issues=4),
    Fit(description_chars=1000, pledges=8, countries=20, people=4, issues=2, compact=True),
    Fit(description_chars=300, pledges=4, countries=8, people=2, issues=1, compact=True),
    Fit(description_chars=0, pledges=2, countries=4, people=1, issues=0, compact=True),
]


def check_size(count: int, error: Callable[[str], Exception]) -> None:
    if count > BRIEF_MAX_PROJECTS:
        raise error(
            f"A brief holds at most {BRIEF_MAX_PROJECTS} projects, one page each; these"
            f" filters select {count}. Narrow them (a section, a country, a donor…)."
        )


def brief_queryset(projects: QuerySet[Project]) -> QuerySet[Project]:
    return (
        sorted_like_the_list(projects)
        .select_related("section", "subregion", "source_document")
        .prefetch_related(
            "countries",
            "themes",
            "issues",
            "phases",
            "revisions",
            Prefetch("pledges", Pledge.objects.select_related("donor").order_by("order", "pk")),
            Prefetch(
                "focal_roles",
                ProjectFocalPoint.objects.select_related("focal_point").order_by("order", "pk"),
            ),
        )
    )


def published_in(project: Project) -> str:
    document = project.source_document
    if not document:
        return ""
    where = f"{document.title}, {edition(document)}"
    if project.source_page:
        where += f", page {project.source_page}"
    if project.source_paragraph:
        where += f", paragraph {project.source_paragraph}"
    return where


def figure_source(project: Project, field: str) -> str:
    """Where one figure comes from: the document that printed it, or a UNODC update (dated by
    the project's history, projects/history.py)."""
    if field in project.edited_fields:
        updated = {
            source["field"]: source["updated_on"]
            for source in figure_sources(project, project.revisions.all())
        }
        when = timezone.localtime(updated.get(field) or project.updated_at)
        return f"UNODC update, {date_format(when, 'j F Y')}"
    where = published_in(project)
    return f"As published: {where}" if where else "Entered by UNODC staff"


@dataclass
class Page:
    project: Project
    fit: Fit
    base_url: str

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + self.project.get_absolute_url()

    def shown(self, items: list, limit: int) -> tuple[list, int]:
        return items[:limit], max(len(items) - limit, 0)

    def context(self) -> dict:
        project, fit = self.project, self.fit
        pledges, more_pledges = self.shown(list(project.pledges.all()), fit.pledges)
        countries, more_countries = self.shown(list(project.countries.all()), fit.countries)
        headquarters_first = sorted(project.focal_roles.all(), key=lambda r: r.role != "hq")
        people, more_people = self.shown(headquarters_first, fit.people)
        issues, more_issues = self.shown(
            list(dict.fromkeys(i.message for i in project.issues.all())), fit.issues
        )
        description = clean_description(project.description)
        text_length = len(strip_tags(description))
        if text_length > fit.description_chars:
            description = Truncator(description).chars(fit.description_chars, html=True)
        pledges_source = (
            figure_source(project, "pledges") if project.pledges.all() else "No pledge recorded"
        )
        return {
            "project": project,
            "fit": fit,
            "url": self.url,
            "countries": countries,
            "more_countries": more_countries,
            "pledges": pledges,
            "more_pledges": more_pledges,
            "people": people,
            "more_people": more_people,
            "issues": issues,
            "more_issues": more_issues,
            "description": description,
            "description_cut": text_length > fit.description_chars,
            "sources": {
                "budget": figure_source(project, "budget"),
                "pledged": pledges_source,
                "stated_shortfall": figure_source(project, "stated_shortfall"),
            },
            "edited": [EDITED_LABELS.get(f, f) for f in project.edited_fields],
        }


def render(pages: list[Page], head: Heading) -> tuple[Document, list[list]]:
    """The laid-out document and, for each project, the pages it takes."""
    from weasyprint import HTML

    html = render_to_string(
        "projects/brief.html",
        {"pages": [page.context() for page in pages], "heading": head, "portal": PORTAL_NAME},
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    owners: list[list] = [[] for _ in pages]
    index = -1
    for rendered in document.pages:
        starts = [name for name in rendered.anchors if name.startswith("project-")]
        if starts:
            index = int(starts[0].removeprefix("project-"))
        owners[index].append(rendered)
    return document, owners


def brief_pdf(projects: QuerySet[Project], chosen: Selection, base_url: str | None = None) -> bytes:
    base_url = base_url or settings.PORTAL_BASE_URL
    head = heading(projects, chosen, "brief")
    pages = [Page(project, FITS[0], base_url) for project in brief_queryset(projects)]
    document, owners = render(pages, head)
    for level in FITS[1:]:
        overflowing = [i for i, owned in enumerate(owners) if len(owned) > 1]
        if not overflowing:
            break
        for i in overflowing:
            pages[i].fit = level
        document, owners = render(pages, head)
    # Whatever still overflows at the tightest fit keeps its first page only.
    first_pages = [owned[0] for owned in owners if owned]
    return document.copy(first_pages).write_pdf()
