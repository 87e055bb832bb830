"""Set a document in DOCX with python-docx and print it with LibreOffice (its own text engine).

`render_docx` writes the .docx; `convert` turns many of them into PDFs in one soffice call,
with a private user profile so that parallel runs do not share (and lock) one.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from tests.typesetting.document import SUPERSCRIPT_DIGITS, Document, Element, Span, arrange
from tests.typesetting.styles import PAGES_MM, Style

_FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)
_PLAIN_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "1234567890")
_LEADERS = {
    "dots": WD_TAB_LEADER.DOTS,
    "middots": WD_TAB_LEADER.MIDDLE_DOT,
    "tab": WD_TAB_LEADER.SPACES,
}


def _font(run, name: str) -> None:
    run.font.name = name
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _field(paragraph, instruction: str, placeholder: str, size: float | None = None) -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF …) LibreOffice computes when it lays out."""

    def run_with(child):
        run = paragraph.add_run()
        if size:
            run.font.size = Pt(size)
        run._element.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = paragraph.add_run(placeholder)
    if size:
        result.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _bookmark(paragraph, name: str, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _language(tag: str):
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    return lang


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _columns(section, number: int) -> None:
    sect = section._sectPr
    for old in sect.findall(qn("w:cols")):
        sect.remove(old)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(number))
    cols.set(qn("w:space"), str(int(6 / 25.4 * 1440)))
    sect.append(cols)


class _Writer:
    def __init__(self, document: Document, style: Style):
        self.source = document
        self.style = style
        self.doc = new_docx()
        self.bookmarks = 0
        self.columns = 1
        self.pending: dict[str, Element] = {}  # notes whose marker is still to be printed
        self.footnotes = None  # the footnotes part, made with the first footnote
        self._setup()

    # page, fonts, running heads -----------------------------------------------------
    def _setup(self) -> None:
        style = self.style
        width, height = PAGES_MM[style.page]
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(style.margin_top), Mm(style.margin_bottom)
        section.left_margin = Mm(style.margin_inner)
        section.right_margin = Mm(style.margin_outer)
        section.header_distance = Mm(max(style.margin_top / 2.5, 5))
        section.footer_distance = Mm(max(style.margin_bottom / 2.5, 5))
        normal = self.doc.styles["Normal"]
        normal.font.name = style.font_family
        normal.font.size = Pt(style.font_size)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), style.font_family)
        normal.paragraph_format.line_spacing = style.line_height
        normal.paragraph_format.space_after = Pt(style.font_size * 0.5)
        normal.paragraph_format.space_before = Pt(0)
        self.text_width = Mm(width - style.margin_inner - style.margin_outer)
        if style.page_number_align == "outside":
            self.doc.settings.odd_and_even_pages_header_footer = True
        self.furniture(section)
        if style.hyphenate:
            hyphenation = OxmlElement("w:autoHyphenation")
            self.doc.settings.element.append(hyphenation)
            normal.element.get_or_add_rPr().append(_language("en-US"))

    def furniture(self, section, head: str | None = None) -> None:
        outside = self.style.page_number_align == "outside"
        align = "left" if outside else self.style.page_number_align
        for part in (
            section.header,
            section.footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            part.is_linked_to_previous = False
        self._furniture(section, align, odd=True, head=head)
        if outside:
            self._furniture(section, "left", odd=False, head=head)

    def _furniture(self, section, align: str, *, odd: bool, head: str | None = None) -> None:
        style = self.style
        head, foot = style.running_head if head is None else head, style.running_foot
        if self.source.kind == "report":
            head = style.report_symbol
            foot = self.source.job_number if style.job_in_footer else ""
        if style.page_number_align == "outside":
            align = "right" if odd else "left"
        header = section.header if odd else section.even_page_header
        footer = section.footer if odd else section.even_page_footer
        size = max(style.font_size - 1.5, 7)
        for box, text, has_number in (
            (header, head, style.page_number_at == "header"),
            (footer, foot, style.page_number_at == "footer"),
        ):
            paragraph = box.paragraphs[0]
            number_first = align == "left"
            alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}
            paragraph.alignment = alignment.get(align, WD_ALIGN_PARAGRAPH.RIGHT)
            if has_number and style.page_number and not number_first:
                if text:
                    paragraph.add_run(text).font.size = Pt(size)
                    paragraph.add_run("    ")
                self._page_number(paragraph, size)
            elif has_number and style.page_number:
                self._page_number(paragraph, size)
                if text:
                    paragraph.add_run("    ")
                    paragraph.add_run(text).font.size = Pt(size)
            elif text:
                paragraph.add_run(text).font.size = Pt(size)

    def _page_number(self, paragraph, size: float) -> None:
        pattern = self.style.page_number
        pieces = pattern.replace("{n}", "\0N\0").replace("{total}", "\0T\0").split("\0")
        for piece in pieces:
            if piece == "N":
                _field(paragraph, "PAGE", "1", size)
            elif piece == "T":
                _field(paragraph, "NUMPAGES", "1", size)
            elif piece:
                paragraph.add_run(piece).font.size = Pt(size)

    # text -----------------------------------------------------------------------------
    def spans(self, paragraph, spans: list[Span], *, bold=None, italic=None, size=None) -> None:
        for span in spans:
            text = span.text
            raised = span.sup and (
                self.style.footnote_marker == "raised"
                or not any(c in SUPERSCRIPT_DIGITS for c in text)
            )
            if raised:
                text = text.translate(_PLAIN_DIGITS)
            if span.sup and span.text in self.pending:
                self.footnote(paragraph, text, raised, self.pending.pop(span.text))
                continue
            run = paragraph.add_run(text)
            run.bold = span.bold if bold is None else (bold or span.bold)
            run.italic = span.italic if italic is None else (italic or span.italic)
            if raised:
                run.font.superscript = True
            if size:
                run.font.size = Pt(size)

    def paragraph(self, spans=(), *, align=None, size=None, bold=None, italic=None):
        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        elif self.style.justify:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self.spans(paragraph, list(spans), bold=bold, italic=italic, size=size)
        return paragraph

    def footnote(self, paragraph, mark: str, raised: bool, note: Element) -> None:
        """A footnote at the foot of the page, called by its own mark ("*", "¹" or a raised 1)."""
        if self.footnotes is None:
            self.footnotes = XmlPart(
                PackURI("/word/footnotes.xml"),
                CT.WML_FOOTNOTES,
                parse_xml(_FOOTNOTES_XML),
                self.doc.part.package,
            )
            self.doc.part.relate_to(self.footnotes, RT.FOOTNOTES)
        number = str(len(self.footnotes.element) - 1)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:customMarkFollows"), "1")
        reference.set(qn("w:id"), number)
        call = paragraph.add_run()
        call.font.superscript = raised
        call._element.append(reference)
        text = OxmlElement("w:t")
        text.text = mark
        call._element.append(text)  # the custom mark follows the reference in its run
        body = OxmlElement("w:footnote")
        body.set(qn("w:id"), number)
        self.footnotes.element.append(body)
        note_paragraph = Paragraph(OxmlElement("w:p"), None)
        body.append(note_paragraph._p)
        size = self.style.font_size * 0.8
        reference_mark = note_paragraph.add_run()
        reference_mark.font.superscript = raised
        reference_mark.font.size = Pt(size)
        reference_mark._element.append(OxmlElement("w:footnoteRef"))
        rest = [Span(" "), *note.spans[1:]]
        for span in rest:
            run = note_paragraph.add_run(span.text)
            run.bold, run.italic, run.font.size = span.bold, span.italic, Pt(size)

    def notes(self, element: Element) -> None:
        """Notes whose mark was not printed as a footnote call: set after the element."""
        for note in element.footnotes:
            if note.spans[0].text not in self.pending:
                continue
            del self.pending[note.spans[0].text]
            paragraph = self.paragraph(
                note.spans, align=WD_ALIGN_PARAGRAPH.LEFT, size=self.style.font_size * 0.8
            )
            paragraph.paragraph_format.space_before = Pt(self.style.font_size * 0.5)

    def set_columns(self, number: int) -> None:
        if number == self.columns:
            return
        section = self.doc.add_section(WD_SECTION.CONTINUOUS)
        _columns(section, number)
        self.columns = number

    def heading(self, element: Element, *, scale: float, bold: bool, upper=False, italic=False):
        self.set_columns(1)
        spans = [
            Span(s.text.upper() if upper else s.text, s.bold, s.italic, s.sup)
            for s in element.spans
        ]
        paragraph = self.paragraph(
            spans,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            size=self.style.font_size * scale,
            bold=bold,
            italic=italic,
        )
        for run in paragraph.runs:
            _font(run, self.style.heading_font_family)
        # Keep-with-next across the continuous section breaks that switch the descriptions'
        # columns makes LibreOffice lay a section over the page's text (words printed on top
        # of each other, some lost): with columns, headings are not kept with what follows.
        paragraph.paragraph_format.keep_with_next = self.style.columns == 1
        paragraph.paragraph_format.space_before = Pt(self.style.font_size * 1.0)
        if element.anchor:
            self.bookmarks += 1
            _bookmark(paragraph, f"_Ref{element.anchor}", self.bookmarks)
        return paragraph

    def label_runs(self, paragraph, label: str) -> None:
        style = self.style
        text = label + (":" if style.label_colon else "")
        if style.label_case == "lower":
            text = text.lower()
        run = paragraph.add_run(text)
        run.bold = style.label_weight == "bold"
        run.italic = style.label_style == "italic"
        run.font.small_caps = style.label_style == "small-caps"
        run.font.all_caps = style.label_case == "upper"

    def fields(self, rows: list[Element]) -> None:
        style = self.style
        self.set_columns(1)
        label_width = Mm(32 if style.page != "A5" else 26)
        if style.label_container == "runin":
            for row in rows:
                paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
                self.label_runs(paragraph, row.label)
                paragraph.add_run(" ")
                self.spans(paragraph, row.spans)
                paragraph.paragraph_format.space_after = Pt(style.font_size * 0.2)
            return
        if style.label_container == "tabs":
            for row in rows:
                paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
                fmt = paragraph.paragraph_format
                fmt.left_indent = label_width + Mm(3)
                fmt.first_line_indent = -(label_width + Mm(3))
                fmt.space_after = Pt(style.font_size * 0.2)
                if style.label_align == "right":
                    fmt.tab_stops.add_tab_stop(label_width, WD_TAB_ALIGNMENT.RIGHT)
                    paragraph.add_run("\t")
                fmt.tab_stops.add_tab_stop(label_width + Mm(3))
                self.label_runs(paragraph, row.label)
                paragraph.add_run("\t")
                self.spans(paragraph, row.spans)
            return
        table = self.doc.add_table(rows=len(rows), cols=2)
        if style.label_container == "bordered":
            table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        value_width = self.text_width - label_width
        table.columns[0].width, table.columns[1].width = label_width, value_width
        for row, element in zip(table.rows, rows, strict=True):
            label_cell, value_cell = row.cells
            label_cell.width, value_cell.width = label_width, value_width
            paragraph = label_cell.paragraphs[0]
            if style.label_align == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.label_runs(paragraph, element.label)
            value = value_cell.paragraphs[0]
            value.alignment = WD_ALIGN_PARAGRAPH.LEFT
            self.spans(value, element.spans)
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.space_after = Pt(1)
            if style.label_container == "shaded":
                _shade(label_cell, "D9D9D9")
                _shade(value_cell, "F0F0F0")
        self.paragraph().paragraph_format.space_after = Pt(0)

    def toc_entry(self, element: Element) -> None:
        style = self.style
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.space_after = Pt(style.font_size * 0.2)
        self.spans(paragraph, element.spans)
        if style.leader in _LEADERS:
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                self.text_width, WD_TAB_ALIGNMENT.RIGHT, _LEADERS[style.leader]
            )
            paragraph.add_run("\t")
        else:
            paragraph.add_run({"ellipsis": " … ", "spaces": "   ", "none": " "}[style.leader])
        if element.target:
            _field(paragraph, f"PAGEREF _Ref{element.target} \\h", str(element.page_ref))
        else:
            paragraph.add_run(str(element.page_ref))

    # documents ------------------------------------------------------------------------
    def brochure(self) -> None:
        style = self.style
        elements = arrange(self.source, contents=style.contents)
        cover = True
        page_break_next = False
        i = 0
        while i < len(elements):
            element = elements[i]
            role = element.role
            self.pending = {n.spans[0].text: n for n in element.footnotes}
            if cover and role in ("toc_heading", "section", "main_toc_entry"):
                cover = False
                page_break_next = True
            if role == "field":
                rows = []
                while i < len(elements) and elements[i].role == "field":
                    rows.append(elements[i])
                    i += 1
                self.pending = {n.spans[0].text: n for r in rows for n in r.footnotes}
                self.fields(rows)
                for row in rows:
                    self.notes(row)
                if style.columns == 2:
                    self.set_columns(2)
                continue
            paragraph = None
            if role == "section":
                if style.section_head:  # a section of the document: its own running head
                    kind = (
                        WD_SECTION.NEW_PAGE if style.break_before_section else WD_SECTION.CONTINUOUS
                    )
                    self.columns = 1
                    section = self.doc.add_section(kind)
                    _columns(section, 1)
                    self.furniture(section, head=element.text)
                paragraph = self.heading(
                    element,
                    scale=style.heading_scale,
                    bold=style.heading_weight == "bold",
                    upper=style.heading_case == "upper",
                )
                paragraph.paragraph_format.page_break_before = style.break_before_section
            elif role == "toc_heading":
                paragraph = self.heading(element, scale=style.heading_scale, bold=True)
            elif role == "project":
                paragraph = self.heading(
                    element, scale=style.title_scale, bold=style.title_weight == "bold"
                )
                paragraph.paragraph_format.page_break_before = style.break_before_project
            elif role == "example_title":
                paragraph = self.heading(element, scale=1.0, bold=True)
            elif role == "subregion":
                paragraph = self.heading(
                    element, scale=max(style.heading_scale * 0.85, 1.05), bold=False, italic=True
                )
            elif role in ("main_toc_entry", "toc_entry"):
                self.toc_entry(element)
            elif role == "toc_sub":
                paragraph = self.paragraph(
                    element.spans, align=WD_ALIGN_PARAGRAPH.LEFT, italic=True
                )
                paragraph.paragraph_format.space_before = Pt(style.font_size * 0.4)
            elif role == "item" and style.native_lists:
                paragraph = self.paragraph(element.spans, align=WD_ALIGN_PARAGRAPH.LEFT)
                paragraph.style = self.doc.styles["List Bullet" + (" 2" if element.depth else "")]
                paragraph.paragraph_format.space_after = Pt(style.font_size * 0.2)
            elif role == "item":
                paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
                fmt = paragraph.paragraph_format
                indent = Mm(5 * (element.depth + 1))
                fmt.left_indent, fmt.first_line_indent = indent, -Mm(5)
                fmt.tab_stops.add_tab_stop(indent)
                fmt.space_after = Pt(style.font_size * 0.2)
                paragraph.add_run(f"{style.bullet}\t")
                self.spans(paragraph, element.spans)
            elif role == "footnote":
                paragraph = self.paragraph(
                    element.spans, align=WD_ALIGN_PARAGRAPH.LEFT, size=style.font_size * 0.8
                )
            elif cover:
                paragraph = self.paragraph(
                    element.spans,
                    align=WD_ALIGN_PARAGRAPH.CENTER,
                    size=style.font_size * (1.8 if 1 <= i <= 2 else 1.0),
                    bold=1 <= i <= 2,
                )
            else:
                paragraph = self.paragraph(element.spans)
            if paragraph is not None and page_break_next:
                paragraph.paragraph_format.page_break_before = True
                page_break_next = False
            self.notes(element)
            i += 1

    def report(self) -> None:
        style = self.style
        hanging = style.para_numbers == "hanging"
        number_width = Mm(12)
        for element in arrange(self.source, contents=True):
            role = element.role
            self.pending = {n.spans[0].text: n for n in element.footnotes}
            if role in ("front", "front_body", "front_subject", "title"):
                size = {"front_body": 1.3, "title": 1.25}.get(role, 1.0) * style.font_size
                paragraph = self.paragraph(
                    element.spans, align=WD_ALIGN_PARAGRAPH.LEFT, size=size, bold=role != "front"
                )
                if role == "title":
                    paragraph.paragraph_format.space_before = Pt(style.font_size * 1.5)
            elif role == "heading":
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.space_before = Pt(style.font_size)
                fmt = paragraph.paragraph_format
                fmt.tab_stops.add_tab_stop(number_width if not hanging else Mm(0))
                if hanging:
                    fmt.first_line_indent = -number_width
                    fmt.left_indent = Mm(0)
                size = style.font_size * (1.15 if element.level == 1 else 1.0)
                bold = style.report_heading == "bold"
                run = paragraph.add_run(f"{element.number}\t")
                run.bold, run.font.size = bold, Pt(size)
                run.font.small_caps = not bold
                self.spans(paragraph, element.spans, bold=bold, size=size)
                if not bold:
                    for run in paragraph.runs:
                        run.font.small_caps = True
            elif role in ("numbered", "subitem"):
                paragraph = self.paragraph()
                fmt = paragraph.paragraph_format
                indent = Mm(10) if role == "subitem" else Mm(0)
                if hanging:
                    fmt.left_indent = indent
                    fmt.first_line_indent = -number_width
                    fmt.tab_stops.add_tab_stop(indent)
                else:
                    fmt.left_indent = indent
                    fmt.tab_stops.add_tab_stop(indent + number_width)
                paragraph.add_run(f"{element.number}\t")
                self.spans(paragraph, element.spans)
            elif role == "footnote":
                paragraph = self.paragraph(
                    element.spans, align=WD_ALIGN_PARAGRAPH.LEFT, size=style.font_size * 0.8
                )
            else:
                paragraph = self.paragraph(element.spans)
            self.notes(element)


def render_docx(document: Document, style: Style, target: Path) -> Path:
    writer = _Writer(document, style)
    if document.kind == "report":
        writer.report()
    else:
        writer.brochure()
    writer.doc.save(target)
    return target


def convert(docx_files: list[Path], outdir: Path, timeout: int = 600) -> list[Path]:
    """Many DOCX → PDF in one LibreOffice run (it starts once: most of its cost)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice is needed: apt-get install libreoffice-writer-nogui")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(outdir),
                *map(str, docx_files),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    pdfs = [outdir / (path.stem + ".pdf") for path in docx_files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {', '.join(missing)}")
    return pdfs
