"""Upsert parsed documents into the database on natural keys, in one transaction.

Natural keys: a source document by (kind, edition); a region by (kind, parent, name); a donor by
its normalised name; a focal point by e-mail (by name when it has none); a project by its UNODC
code, or by the slug of its title when it has none. Counts say what a run changed, so running the
same file twice reports everything unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from ingest.models import DataIssue, SourceDocument
from ingest.parsers.types import ParsedBrochure, ParsedProject, Problem, UnreadableProject
from ingest.upserts import (
    unique_slug,
    upsert_document,
    upsert_donor,
    upsert_focal_point,
    upsert_region,
)
from projects.history import (
    FIELD_LABELS,
    RELATED_FIELDS,
    amount,
    changes,
    differing,
    display,
    plain,
    project_state,
    record_revision,
    rows_summary,
)
from projects.models import (
    BudgetPhase,
    Country,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
    Theme,
    themes_of,
)


@dataclass
class ProjectChange:
    """What loading one parsed project did, field by field, for the admin's preview."""

    title: str
    code: str
    outcome: str  # created, updated, unchanged or superseded
    page: int | None = None
    renamed_from: str = ""
    fields: list[dict] = field(default_factory=list)  # {"field", "label", "old", "new"}
    issues_changed: bool = False  # its data issues differ (e.g. read from another rendition)
    # Staff edits the ingest keeps: {"field", "label", "staff", "document"}.
    kept: list[dict] = field(default_factory=list)


@dataclass
class LoadResult:
    document: SourceDocument
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    issues: list[Problem] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    projects: list[ProjectChange] = field(default_factory=list)
    withdrawn_projects: list[dict] = field(default_factory=list)  # {"title", "code"}
    # Projects found but not read: {"title", "code", "where", "message", "in_portal"}; the
    # portal's own (when it has them) are left exactly as they are.
    unreadable: list[dict] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def project_fields(
    parsed: ParsedProject,
    section: Region,
    subregion: Region | None,
    parent: Project | None,
    document: SourceDocument,
) -> dict[str, Any]:
    return {
        "title": parsed.title,
        "code": parsed.code or "",
        "section": section,
        "subregion": subregion,
        "region_label": parsed.region_label,
        "country_label": parsed.country_label,
        "coverage_note": parsed.coverage_note,
        "budget": parsed.budget,
        "budget_text": parsed.budget_text,
        "budget_note": parsed.budget_note,
        "pledges_text": parsed.pledges_text,
        "stated_shortfall": parsed.stated_shortfall,
        "shortfall_text": parsed.shortfall_text,
        "duration": parsed.duration,
        "description": parsed.description,
        "parent": parent,
        "source_document": document,
        "source_page": parsed.page,
        # Listed again after a withdrawal: shown again (unless staff set it by hand).
        "published": True,
    }


def document_state(parsed: ParsedProject, wanted: dict[str, Any]) -> dict[str, Any]:
    """What the document says, in the shape of `project_state`, to compare with a project."""
    state = project_state(Project(**wanted))
    countries = Country.objects.filter(iso3__in=parsed.countries).values_list("name", flat=True)
    themes = Theme.objects.filter(slug__in=themes_of(parsed.theme)).values_list("name", flat=True)
    return state | {
        "countries": tuple(sorted(countries)),
        "themes": tuple(sorted(themes)),
        "pledges": tuple((p.donor or "", amount(p.amount), plain(p.note)) for p in parsed.pledges),
        "phases": tuple((plain(p.label), plain(p.period), amount(p.amount)) for p in parsed.phases),
        "focal_roles": tuple(sorted({(f.name, f.role) for f in parsed.focal_points})),
    }


def same(current: Any, wanted: Any) -> bool:
    if isinstance(current, Decimal) or isinstance(wanted, Decimal):
        return (current is None) == (wanted is None) and (
            current is None or Decimal(current) == Decimal(wanted)
        )
    return current == wanted


def find_project(parsed: ParsedProject, parent: Project | None) -> Project | None:
    if parsed.code:
        found = Project.objects.filter(code=parsed.code).first()
        if found:
            return found
    return Project.objects.filter(slug=project_slug(parsed, parent), code=parsed.code or "").first()


def project_slug(parsed: ParsedProject, parent: Project | None) -> str:
    base = f"{parent.slug} {parsed.title}" if parent else parsed.title
    return (slugify(base) or "project")[:100].rstrip("-")


class ProjectLoader:
    """Writes one parsed project and its pledges, phases, focal points and data issues."""

    def __init__(self, document: SourceDocument, result: LoadResult, overwrite_edits: bool):
        self.document = document
        self.result = result
        self.overwrite_edits = overwrite_edits

    def load(
        self,
        parsed: ParsedProject,
        section: Region,
        subregion: Region | None,
        parent: Project | None,
    ) -> Project:
        wanted = project_fields(parsed, section, subregion, parent, self.document)
        project = find_project(parsed, parent)
        if project is not None and self.is_newer_than_this(project):
            self.result.superseded.append(project.slug)
            self.result.count("unchanged")
            self.result.projects.append(
                ProjectChange(project.title, project.code, "superseded", parsed.page)
            )
            return project
        before = None if project is None else project_state(project)
        if project is None:
            slug = project_slug(parsed, parent)
            if Project.objects.filter(slug=slug).exists():
                slug = unique_slug(Project, slug)
            project = Project.objects.create(slug=slug, **wanted)
            changed, outcome = True, "created"
        else:
            kept = set() if self.overwrite_edits else set(project.edited_fields)
            self.result.kept_edits += [
                f"{project.slug}: {name}" for name in sorted(kept & set(wanted))
            ]
            differing = {
                k: v
                for k, v in wanted.items()
                if k not in kept and not same(getattr(project, k), v)
            }
            if self.overwrite_edits and project.edited_fields:
                differing["edited_fields"] = []
            for key, value in differing.items():
                setattr(project, key, value)
            if differing:
                project.save(update_fields=[*differing, "updated_at"])
            changed, outcome = bool(differing), "updated"
        kept = set() if self.overwrite_edits else set(project.edited_fields)
        # Related rows staff edited in the admin's inlines are kept like fields.
        for name, sync in (
            ("countries", self.sync_countries),
            ("themes", self.sync_themes),
            ("pledges", self.sync_pledges),
            ("phases", self.sync_phases),
            ("focal_roles", self.sync_focal_points),
        ):
            if name not in kept:
                changed |= sync(project, parsed)
        issues_changed = self.sync_issues(project, parsed)
        changed |= issues_changed
        self.result.issues += list(parsed.issues)
        self.result.count(outcome if changed else "unchanged")
        after = project_state(project)
        record_revision(project, before, after, document=self.document, page=parsed.page)
        self.result.projects.append(
            self.describe(project, parsed, wanted, before, after, kept, outcome, changed)
        )
        self.result.projects[-1].issues_changed = issues_changed and before is not None
        return project

    def describe(self, project, parsed, wanted, before, after, kept, outcome, changed):
        """The preview's account of one project: each field before → after, and the staff
        edits kept where the document says otherwise."""
        document = document_state(parsed, wanted)
        renamed_from = before["title"] if before and before["title"] != after["title"] else ""
        return ProjectChange(
            title=project.title,
            code=project.code,
            outcome=outcome if changed else "unchanged",
            page=parsed.page,
            renamed_from=renamed_from,
            fields=[] if before is None else changes(before, after),
            kept=[
                {
                    "field": name,
                    "label": FIELD_LABELS[name],
                    "staff": display(name, after[name]),
                    "document": display(name, document[name]),
                    "summary": rows_summary(name, document[name], after[name])
                    if name in RELATED_FIELDS
                    else "",
                }
                for name in differing(after, document)
                if name in kept
            ],
        )

    def is_newer_than_this(self, project: Project) -> bool:
        """The project was last read from a later edition of this kind of document."""
        source = project.source_document
        return (
            source is not None
            and source.kind == self.document.kind
            and source.edition > self.document.edition
        )

    def sync_countries(self, project: Project, parsed: ParsedProject) -> bool:
        wanted = set(parsed.countries)
        if set(project.countries.values_list("iso3", flat=True)) == wanted:
            return False
        project.countries.set(Country.objects.filter(iso3__in=wanted))
        return True

    def sync_themes(self, project: Project, parsed: ParsedProject) -> bool:
        wanted = set(themes_of(parsed.theme))
        if set(project.themes.values_list("slug", flat=True)) == wanted:
            return False
        project.themes.set(Theme.objects.filter(slug__in=wanted))
        return True

    def sync_pledges(self, project: Project, parsed: ParsedProject) -> bool:
        wanted = [
            (
                upsert_donor(p.donor).pk if p.donor else None,
                Decimal(p.amount),
                p.note or "",
                p.donor_as_printed,
            )
            for p in parsed.pledges
        ]
        current = [
            (p.donor_id, p.amount, p.note, p.donor_as_printed)
            for p in project.pledges.order_by("order")
        ]
        if current == wanted:
            return False
        project.pledges.all().delete()
        Pledge.objects.bulk_create(
            Pledge(
                project=project,
                donor_id=donor_id,
                amount=amount,
                note=note,
                donor_as_printed=printed,
                order=i,
            )
            for i, (donor_id, amount, note, printed) in enumerate(wanted)
        )
        Project.objects.filter(pk=project.pk).refresh_pledged_totals()
        return True

    def sync_phases(self, project: Project, parsed: ParsedProject) -> bool:
        wanted = [(p.label, p.period, p.amount) for p in parsed.phases]
        current = [(p.label, p.period, p.amount) for p in project.phases.order_by("order")]
        if len(current) == len(wanted) and all(
            c[:2] == w[:2] and same(c[2], w[2]) for c, w in zip(current, wanted, strict=True)
        ):
            return False
        project.phases.all().delete()
        BudgetPhase.objects.bulk_create(
            BudgetPhase(project=project, label=label, period=period, amount=amount, order=i)
            for i, (label, period, amount) in enumerate(wanted)
        )
        return True

    def sync_focal_points(self, project: Project, parsed: ParsedProject) -> bool:
        wanted = []
        for person in parsed.focal_points:
            row = (upsert_focal_point(person).pk, person.role)
            if row not in wanted:
                wanted.append(row)
        current = [(r.focal_point_id, r.role) for r in project.focal_roles.order_by("pk")]
        if current == wanted:
            return False
        project.focal_roles.all().delete()
        ProjectFocalPoint.objects.bulk_create(
            ProjectFocalPoint(project=project, focal_point_id=pk, role=role, order=i)
            for i, (pk, role) in enumerate(wanted)
        )
        return True

    def sync_issues(self, project: Project, parsed: ParsedProject) -> bool:
        """This document's issues replace those an earlier edition of its kind recorded."""
        wanted = [
            (self.document.pk, p.code, p.field, p.message, p.raw, p.where) for p in parsed.issues
        ]
        existing = project.issues.filter(document__kind=self.document.kind).order_by("pk")
        current = [
            (i.document_id, i.code, i.field, i.message, i.raw_text, i.location) for i in existing
        ]
        if current == wanted:
            return False
        existing.delete()
        DataIssue.objects.bulk_create(
            DataIssue(
                document=self.document,
                project=project,
                code=code,
                field=fld,
                message=message,
                raw_text=raw,
                location=where,
            )
            for _, code, fld, message, raw, where in wanted
        )
        return True


def load_brochure(
    brochure: ParsedBrochure,
    *,
    file_name: str = "",
    file_hash: str = "",
    file_format: str = "",
    overwrite_edits: bool = False,
) -> LoadResult:
    with transaction.atomic():
        document = upsert_document(
            kind=SourceDocument.Kind.BROCHURE,
            title=brochure.title,
            edition=brochure.edition,
            file_name=file_name,
            file_format=file_format,
            file_hash=file_hash,
        )
        result = LoadResult(document=document)
        sections: dict[str, Region] = {}
        subregions: dict[tuple[str, str], Region] = {}
        for parsed_section in brochure.sections:
            section = upsert_region(parsed_section.name, parsed_section.order)
            sections[parsed_section.name] = section
            for sub in parsed_section.subregions:
                subregions[parsed_section.name, sub.name] = upsert_region(
                    sub.name, sub.order, section
                )
        for parsed in brochure.projects:
            if parsed.section not in sections:
                sections[parsed.section] = upsert_region(parsed.section, len(sections))

        loader = ProjectLoader(document, result, overwrite_edits)
        by_key: dict[str, Project] = {}
        # Programmes before their partnership examples, so children can point at them.
        for parsed in sorted(
            brochure.projects, key=lambda p: p.parent_code is not None or p.parent_title is not None
        ):
            parent = by_key.get(parsed.parent_code or "") or by_key.get(parsed.parent_title or "")
            subregion = subregions.get((parsed.section, parsed.subregion or ""))
            project = loader.load(parsed, sections[parsed.section], subregion, parent)
            by_key[parsed.title] = project
            if parsed.code:
                by_key[parsed.code] = project
        kept = keep_unreadable(brochure.unreadable, result)
        result.withdrawn_projects = withdraw_older_editions(
            document, {p.pk for p in by_key.values()} | kept
        )
        result.withdrawn = len(result.withdrawn_projects)
    return result


def portal_project(unread: UnreadableProject) -> Project | None:
    """The portal's project for a project this document names but could not read."""
    parent = None
    if unread.parent_title is not None:
        programme = ParsedProject(unread.parent_title, unread.section, code=unread.parent_code)
        parent = find_project(programme, None)
        if parent is None:
            return None
    probe = ParsedProject(title=unread.title, section=unread.section, code=unread.code)
    return find_project(probe, parent)


def keep_unreadable(unreadable: tuple[UnreadableProject, ...], result: LoadResult) -> set[int]:
    """Projects the document names but could not read: reported, and what the portal has for
    them (with their partnership examples) left as it is: the pks to keep from withdrawal."""
    kept: set[int] = set()
    for unread in unreadable:
        project = portal_project(unread)
        result.issues.append(unread.problem)
        result.unreadable.append(
            {
                "title": unread.title,
                "code": unread.code or "",
                "where": unread.problem.where,
                "message": unread.problem.message,
                "in_portal": project is not None,
            }
        )
        if project is not None:
            kept.add(project.pk)
            kept.update(project.children.values_list("pk", flat=True))
    return kept


def withdraw_older_editions(document: SourceDocument, loaded: set[int]) -> list[dict]:
    """Unpublish projects that an older edition of this kind listed and this one does not.

    A project whose publication staff set by hand is left alone.
    """
    stale = Project.objects.filter(
        published=True,
        source_document__kind=document.kind,
        source_document__edition__lt=document.edition,
    ).exclude(pk__in=loaded)
    rows = [p for p in stale.only("pk", "title", "code", "edited_fields")]
    withdrawn = [p for p in rows if "published" not in p.edited_fields]
    Project.objects.filter(pk__in=[p.pk for p in withdrawn]).update(published=False)
    return [{"title": p.title, "code": p.code} for p in withdrawn]
