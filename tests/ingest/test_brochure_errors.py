"""Files the brochure parsers must refuse, with a message naming the file and where."""

from pathlib import Path

import pdfplumber
import pytest

from ingest.parsers.brochure import parse_brochure_pdf, parse_brochure_text
from ingest.parsers.types import ParseError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PDF = FIXTURES / "partnership-opportunities-2010.pdf"


def test_empty_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ParseError, match=r"empty\.pdf, page 1: the file is empty"):
        parse_brochure_pdf(path)


def test_not_a_pdf(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("Partnership Opportunities\nBudget: US$ 5\n")
    with pytest.raises(ParseError, match=r"notes\.pdf, page 1: not a PDF"):
        parse_brochure_pdf(path)


def test_truncated_pdf(tmp_path):
    data = PDF.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError) as caught:
        parse_brochure_pdf(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, page 1:")
    assert "before page 1" in message and "truncated or corrupt" in message


def test_a_page_that_cannot_be_read_is_named(tmp_path, monkeypatch):
    """pdfminer failing inside a page (a damaged content stream) names that page."""
    original = pdfplumber.page.Page.layout

    def layout(page):
        if page.page_number == 3:
            raise ValueError("damaged content stream")
        return original.fget(page)

    monkeypatch.setattr(pdfplumber.page.Page, "layout", property(layout))
    with pytest.raises(ParseError, match=r"page 3 of 56 cannot be read; the PDF looks") as caught:
        parse_brochure_pdf(PDF)
    # The reader's own error is kept for the log, never put in the message staff see.
    assert "damaged content stream" not in str(caught.value)
    assert str(caught.value.__cause__) == "damaged content stream"


def test_a_pdf_of_something_else():
    path = FIXTURES / "tip-protocol-activities-report-2016.pdf"
    with pytest.raises(ParseError) as caught:
        parse_brochure_pdf(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, pages 1–2: not a Partnership Opportunities brochure")


def test_empty_text():
    with pytest.raises(ParseError, match=r"b\.txt: the text is empty"):
        parse_brochure_text("  \n\n", "b.txt")


def test_text_of_something_else():
    text = (FIXTURES / "tip-protocol-activities-report-2016.txt").read_text(encoding="utf-8")
    with pytest.raises(ParseError, match=r"r\.txt: no project found.*lines 1–"):
        parse_brochure_text(text, "r.txt")


def test_text_with_contents_but_no_projects():
    text = (
        "Partnership Opportunities\n\nTable of Contents\n\nGLOBAL.....3\nAFRICA.....9\n\nGLOBAL\n"
    )
    with pytest.raises(ParseError, match=r"x\.txt: no project found"):
        parse_brochure_text(text, "x.txt")


def test_text_whose_sections_are_never_printed():
    text = "Table of Contents\n\nGLOBAL.....3\nAFRICA.....9\n\nSomething else\n"
    with pytest.raises(ParseError, match=r"x\.txt: the table of contents \(line 3\) lists"):
        parse_brochure_text(text, "x.txt")


def test_text_without_a_date_on_its_cover(tmp_path):
    text = (
        Path(__file__).resolve().parents[2] / "fixtures" / "partnership-opportunities-2010.txt"
    ).read_text()
    undated = text.replace("January 2010", "").replace("Vienna, 2010", "Vienna")
    with pytest.raises(ParseError, match=r"undated\.txt: no date printed .* edition"):
        parse_brochure_text(undated, "undated.txt")
