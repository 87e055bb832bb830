"""Open a file, tell its format (PDF or text) and kind (brochure or activity report), parse it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.parsers.activity_report import (
    ParsedReport,
    looks_like_activity_report,
    parse_activity_report_pdf,
    parse_activity_report_text,
)
from ingest.parsers.brochure import looks_like_brochure, parse_brochure_pdf, parse_brochure_text
from ingest.parsers.brochure_pdf import first_pages_text
from ingest.parsers.types import ParsedBrochure, ParseError

Progress = Callable[[int, int], None]
KINDS = "a Partnership Opportunities brochure or a report on UNODC activities"
# The reader's own exception (its class or text) says nothing to staff and much about the server.
UNREADABLE_PDF = "not a readable PDF (damaged, encrypted or not a PDF at all)"


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
    try:
        head = first_pages_text(path, pages=2)
    except ParseError:
        raise
    except Exception as error:  # pdfminer raises many types on damaged files
        raise ParseError(f"{path}, page 1: {UNREADABLE_PDF}") from error
    if looks_like_brochure(head):
        return parse_brochure_pdf(path, progress)
    if looks_like_activity_report(head):
        return parse_activity_report_pdf(path, progress)
    raise ParseError(f"{path}, page 1: not {KINDS} (no title page of either was found)")


def count_pdf_pages(path: str | Path) -> int:
    """The number of pages a PDF declares, read without parsing their content."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    path = Path(path)
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            return sum(1 for _ in PDFPage.create_pages(document))
    except Exception as error:  # pdfminer raises many types on damaged files
        raise ParseError(f"{path.name}: {UNREADABLE_PDF}") from error
