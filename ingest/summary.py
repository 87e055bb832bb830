"""The JSON report of an ingest: what was read, as the document printed it.

Built from the parse alone, so a dry run reports exactly what a real run would write.
Amounts are decimal strings, absent values null.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ingest.parsers.types import ParsedBrochure, ParsedProject


def money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text


def project_summary(project: ParsedProject) -> dict[str, Any]:
    return {
        "title": project.title,
        "code": project.code,
        "section": project.section,
        "subregion": project.subregion,
        "page": project.page,
        "countries": list(project.countries),
        "budget": money(project.budget),
        "pledges": [
            {
                "donor": p.donor,
                "donor_as_printed": p.donor_as_printed,
                "amount": money(p.amount),
                "note": p.note,
            }
            for p in project.pledges
        ],
        "stated_shortfall": money(project.stated_shortfall),
        "computed_shortfall": money(project.computed_shortfall),
        "issues": sorted({problem.code for problem in project.issues}),
        "parent_code": project.parent_code,
        "focal_points": [
            {"role": f.role, "name": f.name, "email": f.email} for f in project.focal_points
        ],
    }


def document_summary(document) -> dict[str, Any]:
    header = {"kind": document.kind, "title": document.title, "edition": document.edition}
    if isinstance(document, ParsedBrochure):
        return {
            "document": header,
            "projects": [project_summary(p) for p in document.projects],
            "unreadable": [
                {
                    "title": u.title,
                    "section": u.section,
                    "code": u.code,
                    "parent_code": u.parent_code,
                    "issue": u.problem.code,
                    "where": u.problem.where,
                    "message": u.problem.message,
                }
                for u in document.unreadable
            ],
            "warnings": list(document.warnings),
        }
    header |= {
        "date": document.date.isoformat(),
        "session": document.session,
        "period": {"start": document.period_start, "end": document.period_end},
    }
    return {
        "document": header,
        "paragraphs": [
            {
                "number": p.number,
                "outline": p.outline,
                "theme": p.theme,
                "countries": list(p.countries),
                "recovered": p.recovered,
                # as printed, whitespace aside: a word misread at a line end shows here
                "text": " ".join(p.text.split()),
            }
            for p in document.paragraphs
        ],
        "facts": [
            {"label": f.label, "value": money(f.value), "unit": f.unit, "paragraph": f.paragraph}
            for f in document.facts
        ],
        "projects": [project_summary(document.opportunity)] if document.opportunity else [],
        "warnings": list(document.warnings),
    }
