"""A text rendition → the typed elements a typesetter sets: what is a heading, a title, a row.

The brochure's structure is taken from the text reader's blocks (kinds para / item / field)
and its parse (which paragraph is a project or partnership-example title, which is a section
heading); the report's from its numbering (headings "II.", "A.", "1." and numbered paragraphs).
Only structure comes from here: every character printed is the text rendition's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ingest.parsers.activity_report import parse_activity_report_text
from ingest.parsers.brochure import parse_brochure_text
from ingest.parsers.brochure_blocks import norm_title
from ingest.parsers.brochure_text import text_blocks

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BROCHURE_TEXT = FIXTURES / "partnership-opportunities-2010.txt"
REPORT_TEXT = FIXTURES / "tip-protocol-activities-report-2016.txt"

SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False  # a footnote marker: raised and small


@dataclass
class Element:
    """One printed unit. `role` says what it is; the renderers decide how it looks."""

    role: str
    spans: list[Span]
    label: str = ""  # field rows: the label as printed, without its colon
    depth: int = 0  # list items: nesting
    page_ref: int | None = None  # contents entries: the page the text rendition prints
    target: str = ""  # contents entries: the anchor of the heading they point to
    anchor: str = ""  # headings contents entries point to
    number: str = ""  # report paragraphs and headings: "12" / "II." / "(a)"
    level: int = 0  # report headings: 1 (I.), 2 (A.), 3 (1.)
    subregion: str = ""  # brochure projects: the subregion their section's contents gives
    footnotes: list[Element] = field(default_factory=list)  # notes whose marker is here

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass
class Document:
    kind: str  # "brochure" or "report"
    source: Path
    elements: list[Element]
    job_number: str = ""  # report: the job number its footer prints
    extras: dict[str, str] = field(default_factory=dict)


def _spans(runs) -> list[Span]:
    """Runs → spans, Unicode superscript footnote markers split out as raised spans."""
    out: list[Span] = []
    for run in runs:
        for part in re.split(rf"([{SUPERSCRIPT_DIGITS}]+)", run.text):
            if not part:
                continue
            if part[0] in SUPERSCRIPT_DIGITS:
                out.append(Span(part, run.bold, run.italic, sup=True))
            else:
                out.append(Span(part, run.bold, run.italic))
    return out


def arrange(document: Document, *, contents: bool) -> list[Element]:
    """The elements in print order for one rendition: footnotes moved to their marker, and,
    without a contents list, the section's subheadings set above their projects instead."""
    out: list[Element] = []
    for element in document.elements:
        if element.role == "footnote":
            marker = element.spans[0].text
            owner = next(
                (e for e in reversed(out) if any(s.sup and s.text == marker for s in e.spans)),
                None,
            )
            if owner is not None:
                owner.footnotes.append(replace(element))
                continue
        out.append(replace(element, spans=list(element.spans), footnotes=[]))
    if contents:
        return out
    arranged: list[Element] = []
    current = None
    for element in out:
        if element.role in ("toc_heading", "main_toc_entry", "toc_entry", "toc_sub"):
            continue
        if element.role == "section":
            current = None
        if element.role == "project" and element.subregion and element.subregion != current:
            arranged.append(Element("subregion", [Span(element.subregion)]))
            current = element.subregion
        arranged.append(element)
    return arranged


@cache
def brochure() -> Document:
    text = BROCHURE_TEXT.read_text(encoding="utf-8")
    blocks = text_blocks(text)
    parsed = parse_brochure_text(text)
    projects = {p.where: p for p in parsed.projects}
    section_keys = {norm_title(s.name) for s in parsed.sections}
    elements: list[Element] = []
    seen_toc = False
    in_toc_run = False  # inside the main contents list
    section_anchor: dict[str, str] = {}
    project_anchor: dict[str, str] = {}
    for block in blocks:
        spans = _spans(block.runs)
        key = norm_title(block.text)
        if block.kind == "field":
            elements.append(Element("field", spans, label=block.label))
            continue
        if block.kind == "item":
            elements.append(Element("item", spans, depth=block.depth))
            continue
        if block.text[:1] in SUPERSCRIPT_DIGITS:
            marker, rest = block.text[0], block.text[1:].lstrip()
            elements.append(Element("footnote", [Span(marker, sup=True), Span(rest)]))
            continue
        if block.page_ref is not None:
            role = "toc_entry" if not in_toc_run and seen_toc else "main_toc_entry"
            if not seen_toc:
                seen_toc = in_toc_run = True
            elements.append(Element(role, spans, page_ref=block.page_ref))
            continue
        if in_toc_run:
            in_toc_run = False
        if key == "tableofcontents":
            elements.append(Element("toc_heading", spans))
            continue
        project = projects.get(block.where)
        if project is not None:
            role = "example_title" if project.parent_code or project.parent_title else "project"
            anchor = f"p{len(project_anchor)}"
            project_anchor[norm_title(project.toc_title or project.title)] = anchor
            elements.append(Element(role, spans, anchor=anchor))
            continue
        if seen_toc and _is_section_heading(key, section_keys, elements):
            anchor = f"s{len(section_anchor)}"
            section_anchor[key] = anchor
            elements.append(Element("section", spans, anchor=anchor))
            continue
        elements.append(Element("para", spans))
    # Contents entries before their first section heading: main entries; after it and before
    # the section's first project: the section's own list (subheadings are the paragraphs
    # in between carrying no page number).
    _mark_section_tocs(elements)
    for element in elements:
        key = norm_title(element.text)
        if element.role == "main_toc_entry":
            element.target = section_anchor.get(key, "")
        elif element.role == "toc_entry":
            element.target = project_anchor.get(key, "")
    _add_subregions(elements, parsed)
    return Document("brochure", BROCHURE_TEXT, elements)


def _is_section_heading(key: str, section_keys: set[str], elements: list[Element]) -> bool:
    """A paragraph repeating a main contents entry (after the contents list) is a heading."""
    mains = {norm_title(e.text) for e in elements if e.role == "main_toc_entry"}
    return key in mains and len(key) < 80


def _mark_section_tocs(elements: list[Element]) -> None:
    """Between a section heading and its first project, a section that lists its projects
    with page numbers has a contents list: its other paragraphs are its subheadings (or the
    first lines of an entry the text wraps)."""
    starts = [i for i, e in enumerate(elements) if e.role == "section"]
    for start in starts:
        end = start + 1
        while end < len(elements) and elements[end].role not in ("project", "section"):
            end += 1
        region = elements[start + 1 : end]
        if not any(e.role == "toc_entry" for e in region):
            continue
        for element in region:
            if element.role == "para":
                element.role = "toc_sub"


def _add_subregions(elements: list[Element], parsed) -> None:
    """Where the section's contents list is left out, its subheadings (the subregions) are
    printed as headings above their first project instead, so the text still says them."""
    by_anchor = {}
    project_titles = [e for e in elements if e.role == "project"]
    top_level = [p for p in parsed.projects if not (p.parent_code or p.parent_title)]
    for element, project in zip(project_titles, top_level, strict=True):
        by_anchor[element.anchor] = project.subregion or ""
    for element in elements:
        if element.role == "project":
            element.subregion = by_anchor[element.anchor]


# The report ---------------------------------------------------------------------------

_JOB_RE = re.compile(r"\b([A-Z]{1,2}\.\d{2}-\d{5})\b")
_ROMAN_RE = re.compile(r"^(?P<num>[IVXL]+\.)\s+(?P<title>\S.*)$")
_LETTER_RE = re.compile(r"^(?P<num>[A-Z]\.)\s+(?P<title>\S.*)$")
_NUMBER_RE = re.compile(r"^(?P<num>\d{1,3}\.)\s+(?P<title>\S.*)$")
_ITEM_RE = re.compile(r"^(?P<num>\((?:[a-z]{1,4}|\d{1,2})\))\s+(?P<title>\S.*)$")
_FURNITURE_RE = re.compile(r"^(?:\d{1,4}\s+)?[A-Z]{1,2}\.\d{2}-\d{5}\b.*$|^\d{1,4}$")
_FOOTNOTE_RE = re.compile(
    rf"^(?:\^\{{(?P<a>[^}}]*)\}}|(?P<b>[{SUPERSCRIPT_DIGITS}]+))\s+(?P<t>.*)$"
)


def _heading_shaped(title: str) -> bool:
    plain = re.sub(r"\*", "", title)
    return (
        len(plain.split()) <= 30
        and plain[:1].isupper()
        and not re.search(r"[.;:,]$", plain)
        and not re.search(r"[a-z)]\.\s+[A-Z]", plain)
    )


def _report_spans(text: str) -> list[Span]:
    """Inline markup of a report line → spans; "^{*}", "¹" and "agenda*" become raised markers."""
    text = text.replace("\\$", "$")
    out: list[Span] = []
    pattern = re.compile(
        rf"\*\*(?P<bold>.+?)\*\*|(?<![\w*])\*(?P<it>(?=\S)[^*]+?(?<=\S))\*(?![\w*])"
        rf"|\^\{{(?P<sup>[^}}]*)\}}|(?P<uni>[{SUPERSCRIPT_DIGITS}]+)|(?<=[\w.,;:)])(?P<star>\*+)(?=\s|$)"
    )
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append(Span(text[pos : m.start()]))
        if m["bold"] is not None:
            out.append(Span(m["bold"], bold=True))
        elif m["it"] is not None:
            out.append(Span(m["it"], italic=True))
        else:
            out.append(Span(m["sup"] or m["uni"] or m["star"], sup=True))
        pos = m.end()
    if pos < len(text):
        out.append(Span(text[pos:]))
    return out


def _last_text(elements: list[Element]) -> Element | None:
    for element in reversed(elements):
        if element.role in ("numbered", "para", "subitem"):
            return element
        if element.role != "footnote":
            return None
    return None


@cache
def report() -> Document:
    text = REPORT_TEXT.read_text(encoding="utf-8")
    elements: list[Element] = []
    job = ""
    started = False
    lines = [re.sub(r"^-\s+", "", raw.strip()) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        following = next(
            (n for n in lines[i + 1 :] if not _FURNITURE_RE.match(n) and not _FOOTNOTE_RE.match(n)),
            "",
        )
        if _FURNITURE_RE.match(line):
            if not job and (m := _JOB_RE.search(line)):
                job = m[1]
            continue
        if m := _FOOTNOTE_RE.match(line):
            marker = m["a"] or m["b"]
            elements.append(Element("footnote", [Span(marker, sup=True), *_report_spans(m["t"])]))
            continue
        heading = None
        for level, regex in ((1, _ROMAN_RE), (2, _LETTER_RE), (3, _NUMBER_RE)):
            m = regex.match(line)
            if m and _heading_shaped(m["title"]) and not following[:1].islower():
                heading = Element(
                    "heading", _report_spans(m["title"]), number=m["num"], level=level
                )
                break
        if heading is not None:
            started = True
            elements.append(heading)
            continue
        if not started:
            elements.append(Element("front", _report_spans(line)))
            continue
        if m := _NUMBER_RE.match(line):
            elements.append(Element("numbered", _report_spans(m["title"]), number=m["num"]))
        elif m := _ITEM_RE.match(line):
            elements.append(Element("subitem", _report_spans(m["title"]), number=m["num"]))
        elif (previous := _last_text(elements)) is not None and (
            line[:1].islower() or not re.search(r"[.:;!?)\"”]$", previous.text.rstrip())
        ):
            # a paragraph the original's page break split: one paragraph here
            previous.spans = [*previous.spans, Span(" "), *_report_spans(line)]
        else:
            elements.append(Element("para", _report_spans(line)))
    _mark_front(elements, parse_activity_report_text(text).title)
    return Document("report", REPORT_TEXT, elements, job_number=job)


def _mark_front(elements: list[Element], title: str) -> None:
    """The title page's parts: the body's name, the agenda item's subject, the title."""
    front = [e for e in elements if e.role == "front"]
    if front:
        front[0].role = "front_body"
    agenda = False
    for element in front[1:]:
        if element.text == title:
            element.role = "title"
            agenda = False
        elif agenda:
            element.role = "front_subject"
        elif re.match(r"^Item \d", element.text):
            agenda = True
