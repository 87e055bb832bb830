"""Ingest files end to end: parse every file, then load them all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ingest.loader import LoadResult, load_brochure
from ingest.parsers.files import ParsedFile, parse_file
from ingest.parsers.types import ParsedBrochure
from ingest.report_loader import load_report
from ingest.summary import document_summary
from projects.data_version import data_changed


@dataclass
class IngestOutcome:
    files: list[ParsedFile]
    results: list[LoadResult]
    dry_run: bool

    def report(self) -> dict[str, Any] | list[dict[str, Any]]:
        reports = [document_summary(f.document) for f in self.files]
        return reports[0] if len(reports) == 1 else reports

    def lines(self) -> list[str]:
        lines = []
        for parsed, result in zip(self.files, self.results, strict=True):
            doc = parsed.document
            lines.append(f"{parsed.path} ({parsed.format}): {doc.title}, edition {doc.edition}")
            lines.append(
                f"  created {result.created}, updated {result.updated}, "
                f"unchanged {result.unchanged}, withdrawn {result.withdrawn}"
            )
            if result.unreadable:
                lines.append(
                    f"  not read: {len(result.unreadable)} project(s) whose heading was found "
                    "but not their figures (unreadable_project below); the portal keeps what "
                    "it had for them: not withdrawn, not changed"
                )
            if result.superseded:
                lines.append(
                    f"  left {len(result.superseded)} project(s) as a newer edition has them: "
                    + ", ".join(result.superseded)
                )
            for edit in result.kept_edits:
                lines.append(f"  kept staff edit {edit} (use --overwrite-edits to replace)")
            lines.append(f"  data issues: {len(result.issues)}")
            for problem in result.issues:
                where = f" ({problem.where})" if problem.where else ""
                lines.append(f"    {problem.code}{where}: {problem.message}")
            lines += [f"  warning: {w}" for w in doc.warnings]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return lines


def ingest_files(
    paths, *, dry_run: bool = False, overwrite_edits: bool = False, progress=None
) -> IngestOutcome:
    """Parse every file first, then load them all in one transaction (rolled back on a dry run)."""
    files = [parse_file(path, progress) for path in paths]
    return load_files(files, dry_run=dry_run, overwrite_edits=overwrite_edits)


def load_files(
    files: list[ParsedFile], *, dry_run: bool = False, overwrite_edits: bool = False
) -> IngestOutcome:
    results = []
    with transaction.atomic():
        for parsed in files:
            load = load_brochure if isinstance(parsed.document, ParsedBrochure) else load_report
            results.append(
                load(
                    parsed.document,
                    file_name=parsed.path.name,
                    file_hash=parsed.sha256,
                    file_format=parsed.format,
                    overwrite_edits=overwrite_edits,
                )
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            data_changed()  # bulk writes send no signals: pages and facet panels show it at once
    return IngestOutcome(files, results, dry_run)
