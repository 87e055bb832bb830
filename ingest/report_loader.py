"""Load the activity report: its paragraphs, facts and the partnership opportunity it states."""

from __future__ import annotations

from ingest.loader import LoadResult


def load_report(
    report, *, file_name: str = "", file_hash: str = "", overwrite_edits: bool = False
) -> LoadResult:
    raise NotImplementedError("the activity report loader comes with its own issue")
