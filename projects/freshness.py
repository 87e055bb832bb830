"""How fresh the figures on a page are: the documents they were published in and, where staff
changed a project's figures since, the date of the latest such update.

One query for a page's projects (the ids it shows), so every page can say it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import DateTimeField, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from projects.history import FIGURE_FIELDS


@dataclass(frozen=True)
class Source:
    title: str
    kind: str
    edition: str
    edition_date: datetime.date | None


@dataclass(frozen=True)
class Freshness:
    sources: list[Source] = field(default_factory=list)
    updated_on: datetime.date | None = None  # the latest staff update of a figure shown
    updated_count: int = 0  # how many of the projects have figures updated by staff

    def __bool__(self) -> bool:
        return bool(self.sources or self.updated_on)


def freshness(projects: Iterable[int] | QuerySet) -> Freshness:
    """The sources and the latest UNODC update of the figures of these projects (their ids,
    or a QuerySet of them, read in the same query)."""
    from projects.models import Project

    if isinstance(projects, QuerySet):
        chosen = Project.objects.filter(pk__in=projects.order_by().values("pk"))
    else:
        ids = sorted(set(projects))
        if not ids:
            return Freshness()
        chosen = Project.objects.filter(pk__in=ids)
    rows = (
        chosen.order_by()
        .values(
            "pk",  # one row per project: `updated_count` counts projects
            "edited_fields",
            "source_document__title",
            "source_document__kind",
            "source_document__edition",
            "source_document__edition_date",
        )
        .annotate(
            staff_update=Max("revisions__changed_at", filter=Q(revisions__document__isnull=True))
        )
    )
    return summarise(rows)


def summarise(rows: Iterable[dict]) -> Freshness:
    """The Freshness of rows of freshness()'s query: one per project, with its source document
    and its latest staff update (`staff_update`)."""
    sources: dict[tuple[str, str], Source] = {}
    updates = []
    for row in rows:
        if row["source_document__edition"]:
            key = (row["source_document__kind"], row["source_document__edition"])
            sources[key] = Source(
                row["source_document__title"],
                row["source_document__kind"],
                row["source_document__edition"],
                row["source_document__edition_date"],
            )
        edited = set(row["edited_fields"] or ()) & set(FIGURE_FIELDS)
        if edited and row["staff_update"]:
            updates.append(timezone.localdate(row["staff_update"]))
    return Freshness(
        sources=sorted(sources.values(), key=lambda s: (s.edition, s.kind)),
        updated_on=max(updates) if updates else None,
        updated_count=len(updates),
    )


def latest_staff_update() -> Subquery:
    """A project's latest staff update (a revision no ingest made), for
    freshness_of_projects(): annotate it as `staff_update`."""
    from projects.models import ProjectRevision

    latest = (
        ProjectRevision.objects.filter(project=OuterRef("pk"), document__isnull=True)
        .order_by()
        .values("project")
        .annotate(latest=Max("changed_at"))
        .values("latest")
    )
    return Subquery(latest, output_field=DateTimeField())


def freshness_of_projects(projects: Iterable) -> Freshness:
    """freshness() of projects already read with their source document (select_related) and
    latest_staff_update() as `staff_update`, without a query: a row per project, as
    freshness()'s query gives them."""
    rows = []
    for project in projects:
        document = project.source_document
        rows.append(
            {
                "edited_fields": project.edited_fields,
                "source_document__title": document.title if document else None,
                "source_document__kind": document.kind if document else None,
                "source_document__edition": document.edition if document else None,
                "source_document__edition_date": document.edition_date if document else None,
                "staff_update": project.staff_update,
            }
        )
    return summarise(rows)
