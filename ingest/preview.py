"""What an ingest would change (or changed), as the admin shows it: a diff per project.

Built from the loader's own account of each project (ingest.loader.ProjectChange), so the
preview of a dry run is exactly what applying writes. Plain JSON, stored on the upload.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from ingest.pipeline import IngestOutcome


def page_number(where: str) -> int | None:
    words = where.split()
    return int(words[1]) if len(words) == 2 and words[0] == "page" and words[1].isdigit() else None


def grouped_issues(problems) -> list[dict[str, Any]]:
    """Data issues grouped by kind, each with where it was read."""
    groups: dict[str, list] = defaultdict(list)
    for problem in problems:
        groups[problem.code].append({"where": problem.where, "message": problem.message})
    return [
        {
            "code": code,
            "count": len(items),
            "pages": sorted({n for item in items if (n := page_number(item["where"]))}),
            "items": items,
        }
        for code, items in sorted(groups.items())
    ]


def diff_report(outcome: IngestOutcome) -> dict[str, Any]:
    """The one uploaded file's changes: document, counts, projects by what happens to them."""
    parsed, result = outcome.files[0], outcome.results[0]
    document = parsed.document
    projects = [asdict(change) for change in result.projects]
    return {
        "document": {
            "title": document.title,
            "edition": document.edition,
            "kind": result.document.get_kind_display(),
            "format": parsed.format.upper(),
        },
        "counts": {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "withdrawn": result.withdrawn,
        },
        "created": [p for p in projects if p["outcome"] == "created"],
        "renamed": [p for p in projects if p["renamed_from"]],
        "updated": [p for p in projects if p["outcome"] == "updated" and p["fields"]],
        "issues_only": [
            p
            for p in projects
            if p["outcome"] == "updated" and not p["fields"] and p["issues_changed"]
        ],
        "superseded": [p for p in projects if p["outcome"] == "superseded"],
        "withdrawn": result.withdrawn_projects,
        "unreadable": [
            {**unread, "page": page_number(unread["where"])} for unread in result.unreadable
        ],
        "kept": [p for p in projects if p["kept"]],
        "issues": grouped_issues(result.issues),
        "warnings": list(document.warnings),
        "dry_run": outcome.dry_run,
    }
