"""How layout.py reads a PDF: the same characters as pdfplumber's `page.chars`, each page once.

The layout reads pdfminer's layout objects itself (through `page.layout`) rather than
pdfplumber's per-object dictionaries, for speed; these tests hold it to pdfplumber's reading,
also on a page whose MediaBox does not start at the origin.
"""

from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFPageInterpreter

from ingest.parsers import layout
from ingest.parsers.files import parse_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BROCHURE_PDF = FIXTURES / "partnership-opportunities-2010.pdf"
REPORT_PDF = FIXTURES / "tip-protocol-activities-report-2016.pdf"


def plumber_glyphs(page) -> list[tuple]:
    """What pdfplumber's own `page.chars` says of the printed (upright, non-blank) characters."""
    return [
        (c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"])
        for c in page.chars
        if c["upright"] and c["text"].strip()
    ]


def layout_glyphs(page) -> list[tuple]:
    left, top = page.mediabox[:2]
    glyphs = layout._glyphs(page.layout._objs, LTChar, float(page.height), left, top)
    return [(g.text, g.x0, g.x1, g.top, g.bottom, g.size) for g in glyphs]


def assert_same_characters(path: Path, pages: range | None = None) -> int:
    compared = 0
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if pages is not None and number not in pages:
                continue
            expected = [row[:6] for row in plumber_glyphs(page)]
            assert layout_glyphs(page) == expected, (path.name, number)
            compared += len(expected)
    return compared


@pytest.mark.parametrize("path", [BROCHURE_PDF, REPORT_PDF], ids=["brochure", "report"])
def test_the_layout_reads_the_characters_pdfplumber_reads(path):
    assert assert_same_characters(path, range(1, 9)) > 5000


def test_a_mediabox_away_from_the_origin_gives_pdfplumbers_coordinates(tmp_path):
    shifted = tmp_path / "shifted.pdf"
    document = pypdfium2.PdfDocument(BROCHURE_PDF)
    keep = pypdfium2.PdfDocument.new()
    keep.import_pages(document, [0, 4, 5])
    for index in range(len(keep)):
        page = keep[index]
        x0, y0, x1, y1 = page.get_mediabox()
        page.set_mediabox(x0 - 37, y0 + 53, x1 - 37, y1 + 21)  # origin moved, page cropped
    keep.save(shifted)
    with pdfplumber.open(shifted) as pdf:
        assert pdf.pages[0].mediabox[:2] != (0, 0)
    assert assert_same_characters(shifted) > 1000
    read = layout.read_pdf(shifted)
    with pdfplumber.open(shifted) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars = plumber_glyphs(page)
            lines = [ln for ln in read.lines + read.furniture if ln.page == number]
            assert min(ln.x0 for ln in lines) == min(c[1] for c in chars)
            assert min(ln.top for ln in lines) == min(c[3] for c in chars)


@pytest.mark.parametrize("path", [BROCHURE_PDF, REPORT_PDF], ids=["brochure", "report"])
def test_each_pdf_is_opened_once_and_each_page_read_once(path, monkeypatch):
    opened: list[str] = []
    pages_read: list[int] = []
    real_open = pdfplumber.open
    real_process = PDFPageInterpreter.process_page

    def counting_open(*args, **kwargs):
        opened.append(str(args[0]))
        return real_open(*args, **kwargs)

    def counting_process(self, page):
        pages_read.append(id(page))
        return real_process(self, page)

    monkeypatch.setattr(pdfplumber, "open", counting_open)
    monkeypatch.setattr(PDFPageInterpreter, "process_page", counting_process)
    parsed = parse_file(path)
    assert opened == [str(path)]
    with real_open(path) as pdf:
        total = len(pdf.pages)
    assert len(pages_read) == total  # every page interpreted, none twice
    assert len(set(pages_read)) == total
    assert parsed.format == "pdf"
