"""The 2010-style "Partnership Opportunities" brochure, from its text rendition or its PDF.

Public API:

- ``parse_brochure_text(text, source="<text>") -> ParsedBrochure``
- ``parse_brochure_pdf(path, progress=None) -> ParsedBrochure`` (``progress(done, total)``
  is called after each page is read)
- ``looks_like_brochure(text) -> bool`` (on the first pages' text)

Both formats are turned into the same list of blocks (brochure_text / brochure_pdf) and
one builder (brochure_build) makes the projects, so they give the same results. Nothing
here names a project, a donor, a country or a figure of a particular edition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ingest.parsers.brochure_build import build_brochure
from ingest.parsers.brochure_layout import layout_blocks
from ingest.parsers.brochure_text import text_blocks
from ingest.parsers.layout import Layout
from ingest.parsers.types import ParsedBrochure, ParseError

__all__ = [
    "brochure_from_layout",
    "looks_like_brochure",
    "parse_brochure_pdf",
    "parse_brochure_text",
]

_TITLE_RE = re.compile(r"partnership\s+opportunit", re.IGNORECASE)
_STRUCTURE_RE = re.compile(
    r"table\s+of\s+contents|\bbudget\s*:|\bpledges\b|\bfocal\s+point\b|\bshortfall\b",
    re.IGNORECASE,
)


def looks_like_brochure(text: str) -> bool:
    """True when the first pages' text reads like a Partnership Opportunities brochure:
    its title, plus a table of contents or the project table's labels."""
    head = text[:20000]
    # a word the typesetter broke at a line end ("fo-" | "cal point") is read whole
    head = re.sub(r"(?<=\w)[-\u2010\u00ad]\s*\n\s*(?=\w)", "", head)
    return bool(_TITLE_RE.search(head) and _STRUCTURE_RE.search(head))


def parse_brochure_text(text: str, source: str = "<text>") -> ParsedBrochure:
    if not text or not text.strip():
        raise ParseError(f"{source}: the text is empty (expected a brochure)")
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return build_brochure(text_blocks(text), source, "text", f"lines 1–{lines}")


def parse_brochure_pdf(
    path: str | Path, progress: Callable[[int, int], None] | None = None
) -> ParsedBrochure:
    from ingest.parsers.layout import read_pdf

    return brochure_from_layout(read_pdf(path, progress))


def brochure_from_layout(layout: Layout) -> ParsedBrochure:
    """The brochure a PDF's layout prints (the PDF read once, by ingest.parsers.layout)."""
    if not layout.lines:
        raise ParseError(
            f"{layout.source}, page 1: no text on any page "
            "(expected a typeset brochure, not a scan)"
        )
    if not looks_like_brochure(layout.first_pages_text()):
        raise ParseError(
            f"{layout.source}, pages 1–{min(2, layout.pages)}: not a Partnership Opportunities "
            "brochure (no title page with a contents list or a project table was found)"
        )
    blocks = layout_blocks(layout)
    return build_brochure(blocks, layout.source, "pdf", f"pages 1–{layout.pages}")
