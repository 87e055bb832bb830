"""Open a file, tell its format (PDF or text) and kind (brochure or activity report), parse it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.parsers.activity_report import (
    ParsedReport,
    looks_like_activity_report,
    parse_activity_report_text,
    report_from_layout,
)
from ingest.parsers.brochure import brochure_from_layout, looks_like_brochure, parse_brochure_text
from ingest.parsers.layout import read_pdf
from ingest.parsers.types import ParsedBrochure, ParseError

Progress = Callable[[int, int], None]
KINDS = "a Partnership Opportunities brochure or a report on UNODC activities"


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    format: str  # "pdf" or "text"
    sha256: str
    document: ParsedBrochure | ParsedReport


def parse_file(path: str | Path, progress: Progress | None = None) -> ParsedFile:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(f"{path}: cannot be read ({error.strerror})") from error
    if not data.strip():
        raise ParseError(f"{path}: the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        return ParsedFile(path, "pdf", digest, parse_pdf(path, progress))
    if b"\0" in data[:4096]:
        raise ParseError(f"{path}: neither a PDF nor a text file (binary data on line 1)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(f"{path}, line {line}: not UTF-8 text ({error.reason})") from error
    return ParsedFile(path, "text", digest, parse_text(text, str(path)))


def parse_text(text: str, source: str) -> ParsedBrochure | ParsedReport:
    head = text[:20000]
    if looks_like_brochure(head):
        return parse_brochure_text(text, source)
    if looks_like_activity_report(head):
        return parse_activity_report_text(text, source)
    raise ParseError(f"{source}, line 1: not {KINDS} (no title page of either was found)")


def parse_pdf(path: Path, progress: Progress | None) -> ParsedBrochure | ParsedReport:
    """Read the PDF once (layout), then tell its kind from the first pages and parse that."""
    layout = read_pdf(path, progress)
    head = layout.first_pages_text()
    if looks_like_brochure(head):
        return brochure_from_layout(layout)
    if looks_like_activity_report(head):
        return report_from_layout(layout)
    if not layout.lines:
        raise ParseError(f"{path}, page 1: no text on any page (a scan?); not {KINDS}")
    raise ParseError(f"{path}, page 1: not {KINDS} (no title page of either was found)")
