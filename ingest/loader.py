"""Upsert parsed documents into the database on natural keys, in one transaction.

Natural keys: a source document by (kind, edition); a region by (kind, parent, name); a donor by
its normalised name; a focal point by e-mail (by name when it has none); a project by its UNODC
code, or by the slug of its title when it has none. Counts say what a run changed, so running the
same file twice reports everything unchanged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from donors.models import Donor
from ingest.models import DataIssue, SourceDocument
from ingest.parsers.countries import resolve_country
from ingest.parsers.types import ParsedBrochure, ParsedProject, Problem
from projects.models import (
    BudgetPhase,
    Country,
    FocalPoint,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
)

INTERGOVERNMENTAL_WORDS = ("commission", "union", "organization", "organisation", "community")


@dataclass
class LoadResult:
    document: SourceDocument
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    issues: list[Problem] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def edition_date(edition: str) -> datetime.date | None:
    try:
        year, month = edition.split("-")[:2]
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


def upsert_document(
    *, kind: str, title: str, edition: str, file_name: str, file_format: str, file_hash: str
) -> SourceDocument:
    document, created = SourceDocument.objects.get_or_create(
        kind=kind, edition=edition, defaults={"title": title}
    )
    wanted = {
        "title": title,
        "edition_date": edition_date(edition),
        "file_name": file_name,
        "file_format": file_format,
        "file_hash": file_hash,
    }
    if created or any(getattr(document, k) != v for k, v in wanted.items()):
        for key, value in wanted.items():
            setattr(document, key, value)
        document.ingested_at = timezone.now()
        document.save()
    return document


def unique_slug(model, base: str, max_length: int = 100) -> str:
    base = (slugify(base) or "item")[:max_length].rstrip("-")
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 4]}-{n}"
        n += 1
    return slug


def upsert_region(name: str, order: int, parent: Region | None = None) -> Region:
    kind = Region.Kind.SUBREGION if parent else Region.Kind.SECTION
    region = Region.objects.filter(kind=kind, parent=parent, name=name).first()
    if region is None:
        slug_base = f"{parent.slug} {name}" if parent else name
        return Region.objects.create(
            kind=kind, parent=parent, name=name, order=order, slug=unique_slug(Region, slug_base)
        )
    if region.order != order:
        region.order = order
        region.save(update_fields=["order"])
    return region


def upsert_donor(name: str) -> Donor:
    donor = Donor.objects.filter(name=name).first()
    if donor:
        return donor
    iso3 = resolve_country(name)
    if iso3:
        kind = Donor.Kind.GOVERNMENT
    elif any(word in name.lower() for word in INTERGOVERNMENTAL_WORDS):
        kind = Donor.Kind.INTERGOVERNMENTAL
    else:
        kind = Donor.Kind.OTHER
    country = Country.objects.filter(iso3=iso3).first() if iso3 else None
    return Donor.objects.create(
        name=name, slug=unique_slug(Donor, name), kind=kind, country=country
    )


def upsert_focal_point(person) -> FocalPoint:
    if person.email:
        focal = FocalPoint.objects.filter(email__iexact=person.email).first()
    else:
        focal = FocalPoint.objects.filter(email="", name=person.name).first()
    wanted = {
        "honorific": person.honorific,
        "name": person.name,
        "position": person.position,
        "unit": person.unit,
        "phone": person.phone,
        "email": person.email or "",
    }
    if focal is None:
        return FocalPoint.objects.create(**wanted)
    # A person printed several times keeps the fullest details seen.
    changed = {
        k: v for k, v in wanted.items() if v and getattr(focal, k) != v and not getattr(focal, k)
    }
    if changed:
        for key, value in changed.items():
            setattr(focal, key, value)
        focal.save(update_fields=list(changed))
    return focal


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
        "theme": parsed.theme,
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
        if "countries" not in kept:
            changed |= self.sync_countries(project, parsed)
        changed |= self.sync_pledges(project, parsed)
        changed |= self.sync_phases(project, parsed)
        changed |= self.sync_focal_points(project, parsed)
        changed |= self.sync_issues(project, parsed)
        self.result.issues += list(parsed.issues)
        self.result.count(outcome if changed else "unchanged")
        return project

    def sync_countries(self, project: Project, parsed: ParsedProject) -> bool:
        wanted = set(parsed.countries)
        if set(project.countries.values_list("iso3", flat=True)) == wanted:
            return False
        project.countries.set(Country.objects.filter(iso3__in=wanted))
        return True

    def sync_pledges(self, project: Project, parsed: ParsedProject) -> bool:
        wanted = [
            (upsert_donor(p.donor).pk if p.donor else None, Decimal(p.amount), p.note or "")
            for p in parsed.pledges
        ]
        current = [(p.donor_id, p.amount, p.note) for p in project.pledges.order_by("order")]
        if current == wanted:
            return False
        project.pledges.all().delete()
        Pledge.objects.bulk_create(
            Pledge(project=project, donor_id=donor_id, amount=amount, note=note, order=i)
            for i, (donor_id, amount, note) in enumerate(wanted)
        )
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
        wanted = [(p.code, p.field, p.message, p.raw, p.where) for p in parsed.issues]
        existing = project.issues.filter(document=self.document).order_by("pk")
        current = [(i.code, i.field, i.message, i.raw_text, i.location) for i in existing]
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
            for code, fld, message, raw, where in wanted
        )
        return True


def load_brochure(
    brochure: ParsedBrochure,
    *,
    file_name: str = "",
    file_hash: str = "",
    overwrite_edits: bool = False,
) -> LoadResult:
    with transaction.atomic():
        document = upsert_document(
            kind=SourceDocument.Kind.BROCHURE,
            title=brochure.title,
            edition=brochure.edition,
            file_name=file_name,
            file_format=brochure.source_format,
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
        result.withdrawn = withdraw_older_editions(document, {p.pk for p in by_key.values()})
    return result


def withdraw_older_editions(document: SourceDocument, loaded: set[int]) -> int:
    """Unpublish projects that an older edition of this kind listed and this one does not.

    A project whose publication staff set by hand is left alone.
    """
    stale = Project.objects.filter(
        published=True,
        source_document__kind=document.kind,
        source_document__edition__lt=document.edition,
    ).exclude(pk__in=loaded)
    ids = [p.pk for p in stale.only("pk", "edited_fields") if "published" not in p.edited_fields]
    return Project.objects.filter(pk__in=ids).update(published=False)
