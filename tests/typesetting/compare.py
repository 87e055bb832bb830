"""What a rendition must read as: the text rendition's report, field by field, pages aside."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from ingest.parsers.files import parse_file
from ingest.summary import document_summary

_POSITION_RE = re.compile(r"\b(?:lines?|pages?) \d+(?:\s*[–-]\s*\d+)?")


def _without_positions(value: Any) -> Any:
    """Page numbers (and the text's line numbers) say where, not what: they are left out."""
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k != "page"}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    if isinstance(value, str):
        return _POSITION_RE.sub("<where>", value)
    return value


def report_of(path: Path) -> dict[str, Any]:
    """The report JSON `manage.py ingest --dry-run --report-json` writes for this one file."""
    return _without_positions(document_summary(parse_file(path).document))


@cache
def expected(text_path: Path) -> dict[str, Any]:
    return report_of(text_path)


def first_difference(expected: Any, actual: Any, where: str = "") -> str | None:
    """The first field where two reports differ, as "projects[3].budget: '1' ≠ '2'"."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected:
            if key not in actual:
                return f"{where}.{key}: missing"
            found = first_difference(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        extra = sorted(set(actual) - set(expected))
        return f"{where}.{extra[0]}: unexpected" if extra else None
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (a, b) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{where}: {len(expected)} items expected, {len(actual)} read"
        return None
    if expected != actual:
        return f"{where}: {_short(expected)} expected, {_short(actual)} read"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."
