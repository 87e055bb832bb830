"""Load an activity report: its numbered paragraphs, its headline facts and the partnership
opportunity it states (a Project beside the brochure's, with its source paragraph)."""

from __future__ import annotations

from django.db import transaction

from ingest.loader import LoadResult, ProjectLoader, withdraw_older_editions
from ingest.models import ReportFact, ReportParagraph, SourceDocument
from ingest.upserts import upsert_document, upsert_region
from projects.models import Project


def load_report(
    report,
    *,
    file_name: str = "",
    file_hash: str = "",
    file_format: str = "",
    overwrite_edits: bool = False,
) -> LoadResult:
    with transaction.atomic():
        document = upsert_document(
            kind=SourceDocument.Kind.ACTIVITY_REPORT,
            title=report.title,
            edition=report.edition,
            file_name=file_name,
            file_format=file_format,
            file_hash=file_hash,
        )
        period = {"period_start": report.period_start, "period_end": report.period_end}
        if any(getattr(document, key) != value for key, value in period.items()):
            SourceDocument.objects.filter(pk=document.pk).update(**period)
        result = LoadResult(document=document)
        sync_paragraphs(document, report.paragraphs, result)
        sync_facts(document, report.facts)
        opportunity = report.opportunity
        loaded: set[int] = set()
        if opportunity is not None:
            section = upsert_region(opportunity.section, order=0, reorder=False)
            project = ProjectLoader(document, result, overwrite_edits).load(
                opportunity, section, None, None
            )
            loaded.add(project.pk)
            paragraph = source_paragraph(opportunity, report)
            if paragraph and project.source_paragraph != paragraph:
                Project.objects.filter(pk=project.pk).update(source_paragraph=paragraph)
        result.withdrawn_projects = withdraw_older_editions(document, loaded)
        result.withdrawn = len(result.withdrawn_projects)
    return result


def source_paragraph(opportunity, report) -> int | None:
    """The last paragraph that states the opportunity's shortfall, or None."""
    if opportunity.stated_shortfall is None:
        return None
    numbers = [
        fact.paragraph for fact in report.facts if fact.value == opportunity.stated_shortfall
    ]
    return numbers[-1] if numbers else None


def sync_paragraphs(document: SourceDocument, paragraphs, result: LoadResult) -> None:
    """Each paragraph counts as one item in the result's created/updated/unchanged."""
    existing = {p.number: p for p in document.paragraphs.prefetch_related("countries")}
    seen = set()
    for parsed in paragraphs:
        seen.add(parsed.number)
        wanted = {
            "outline": parsed.outline,
            "theme": parsed.theme,
            "text": parsed.text,
            "number_recovered": parsed.recovered,
            "location": parsed.where,
        }
        row = existing.get(parsed.number)
        outcome = "unchanged"
        if row is None:
            row = ReportParagraph.objects.create(document=document, number=parsed.number, **wanted)
            outcome = "created"
        elif any(getattr(row, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(row, key, value)
            row.save()
            outcome = "updated"
        if {c.pk for c in row.countries.all()} != set(parsed.countries):
            row.countries.set(parsed.countries)
            outcome = "created" if outcome == "created" else "updated"
        result.count(outcome)
    document.paragraphs.exclude(number__in=seen).delete()


def sync_facts(document: SourceDocument, facts) -> None:
    wanted = [(f.label, f.value, f.unit, f.paragraph, f.text) for f in facts]
    current = [
        (f.label, f.value, f.unit, f.paragraph_number, f.text)
        for f in document.facts.order_by("order")
    ]
    if current == wanted:
        return
    document.facts.all().delete()
    ReportFact.objects.bulk_create(
        ReportFact(
            document=document,
            label=label,
            value=value,
            unit=unit,
            paragraph_number=number,
            text=text,
            order=i,
        )
        for i, (label, value, unit, number, text) in enumerate(wanted)
    )
