"""UNODC's report to the Conference of the Parties on its activities under the Trafficking
in Persons Protocol, read from its text rendition or its PDF into plain records.

Both renditions become the same layout-neutral blocks (activity_report_text.py,
activity_report_pdf.py); this module turns blocks into numbered paragraphs under their
headings, with theme, countries, facts and the victims' trust fund as an opportunity.

Paragraphs. A block "N. text" is paragraph N; "(a) …" blocks belong to the paragraph
before. An unnumbered block continues the paragraph before it (a page or column break
split it) unless it follows a heading, or the text before it ends a sentence and it
starts one — then it is a paragraph whose number was lost, and it takes the next free
number if the printed sequence leaves one (recovered=True). A numbered block shaped
like a heading (short, no closing punctuation, no sentence inside) is a sub-heading.

Themes. Each paragraph's heading chain is read from the outermost heading inward; the
first heading containing a THEMES keyword gives the theme (the keyword printed first
wins within a heading), so sub-headings under "Normative work" stay normative work.
Paragraphs under no themed heading (the introduction, a section's opening paragraphs)
take the theme of the next themed paragraph — the work they introduce — or, at the
end of the document, of the previous one; "normative work" if no heading has a theme.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .activity_report_facts import ReportFact, extract_facts, fund_opportunity
from .activity_report_layout import report_blocks
from .activity_report_text import Block, Furniture, text_blocks
from .countries import find_countries
from .layout import Layout
from .types import ParsedProject, ParseError

__all__ = [
    "ParsedReport",
    "ReportFact",
    "ReportParagraph",
    "looks_like_activity_report",
    "parse_activity_report_pdf",
    "parse_activity_report_text",
    "report_from_layout",
]

THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("normative work", ("normative",)),
    ("legislative assistance", ("legislative", "legislation", "legal framework")),
    ("criminal justice responses", ("criminal justice response", "law enforcement")),
    ("international cooperation", ("international cooperation", "mutual legal assistance")),
    ("data collection and research", ("data collection", "research", "data")),
    ("prevention and awareness-raising", ("prevention", "awareness")),
    ("victim protection and support", ("victim",)),
    ("conclusions", ("conclusion",)),
)
DEFAULT_THEME = "normative work"

# What the first pages of such a report say; all must be present.
MARKERS: tuple[tuple[str, str], ...] = (
    ('"Conference of the Parties"', r"Conference of the Parties"),
    ('"Trafficking in Persons"', r"Trafficking in Persons"),
    (
        '"Report of the Secretariat" (or Note by / Secretary-General)',
        r"\b(?:Report|Note) (?:of|by) the (?:Secretariat|Secretary-General)\b",
    ),
    ('"activities"', r"\bactivities\b"),
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.split("|"), 1)}
ROMAN_RE = re.compile(r"^(?P<num>[IVXL]+)\.\s+(?P<title>\S.*)$")
LETTER_RE = re.compile(r"^(?P<num>[A-Z])\.\s+(?P<title>\S.*)$")
NUMBER_RE = re.compile(r"^(?P<num>\d{1,3})\.\s+(?P<title>\S.*)$")
ITEM_RE = re.compile(r"^\((?:[a-z]{1,4}|\d{1,2})\)\s")
REPORT_LINE_RE = re.compile(r"^(?:Report|Note) (?:of|by) the (?:Secretariat|Secretary-General)$")
PERIOD_RE = re.compile(rf"\b[Ff]rom ({_MONTHS}) (\d{{4}}) to ({_MONTHS}) (\d{{4}})")
DATE_RE = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS}) (\d{{4}})\b")


@dataclass(frozen=True)
class ReportParagraph:
    number: int
    outline: str  # "II. B. 2. Strengthening criminal justice responses"
    theme: str  # one of THEMES' names
    countries: tuple[str, ...]  # ISO alpha-3, in order of first mention
    text: str  # without its number; "(a) …" items on lines of their own
    recovered: bool = False  # the number was not printed; inferred from the sequence
    where: str = ""  # "line 41" or "page 2"


@dataclass(frozen=True)
class ParsedReport:
    title: str
    symbol: str  # "CTOC/COP/2016/5" when a running head prints it, else ""
    date: datetime.date
    edition: str  # "YYYY-MM"
    session: str  # "Eighth session"
    period_start: str  # "YYYY-MM"
    period_end: str  # "YYYY-MM"
    paragraphs: tuple[ReportParagraph, ...]
    facts: tuple[ReportFact, ...]
    opportunity: ParsedProject | None
    warnings: tuple[str, ...] = field(default=())
    kind: str = "activity_report"


def missing_markers(text: str) -> list[str]:
    return [name for name, pattern in MARKERS if not re.search(pattern, text, re.I)]


def looks_like_activity_report(text: str) -> bool:
    """Whether the first pages' text are those of a report on activities under the Protocol."""
    return not missing_markers(text)


def parse_activity_report_text(text: str, source: str = "<text>") -> ParsedReport:
    """The report from its text rendition."""
    lines = text.splitlines()
    if not text.strip():
        raise ParseError(f"{source}, line 1: empty document")
    if "\x00" in text:
        raise ParseError(f"{source}, line 1: binary data, not a text rendition")
    head = [i for i, line in enumerate(lines, 1) if line.strip()][:60]
    first = "\n".join(lines[: head[-1]])
    if not looks_like_activity_report(first):
        raise ParseError(
            f"{source}, lines 1-{head[-1]}: not a report on UNODC activities under the"
            f" Trafficking in Persons Protocol (missing {', '.join(missing_markers(first))})"
        )
    blocks, furniture = text_blocks(text)
    return _assemble(blocks, furniture, source)


def parse_activity_report_pdf(
    path: str | Path, progress: Callable[[int, int], None] | None = None
) -> ParsedReport:
    """The report from its PDF; `progress(done, total)` is called after each page."""
    from .layout import read_pdf

    return report_from_layout(read_pdf(path, progress))


def report_from_layout(layout: Layout) -> ParsedReport:
    """The report a PDF's layout prints (the PDF read once, by ingest.parsers.layout)."""
    first = layout.first_pages_text()
    if not looks_like_activity_report(first):
        missing = ", ".join(missing_markers(first))
        raise ParseError(
            f"{layout.source}, pages 1-{min(2, layout.pages)}: not a report on UNODC activities"
            f" under the Trafficking in Persons Protocol (missing {missing})"
        )
    blocks, furniture = report_blocks(layout)
    if not blocks:
        raise ParseError(f"{layout.source}, page 1: no text in the PDF (scanned image?)")
    return _assemble(blocks, furniture, layout.source)


@dataclass
class _Entry:
    number: int | None
    parts: list[str]
    block: Block
    heads: tuple[tuple[str, str], ...]
    after_heading: bool

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _heading_shaped(title: str) -> bool:
    return (
        len(title) <= 200
        and len(title.split()) <= 30
        and title[:1].isupper()
        and not re.search(r"[.;:,]$", title)
        and not re.search(r"[a-z)]\.\s+[A-Z]", title)
    )


def _structure(blocks: list[Block]) -> tuple[list[Block], list[_Entry]]:
    """Front matter, and the body as entries (numbered or not) under their headings."""
    front: list[Block] = []
    entries: list[_Entry] = []
    chain: list[tuple[str, str] | None] = [None, None, None]
    started = after_heading = False
    for i, block in enumerate(blocks):
        text = block.text
        level = match = None
        if (m := ROMAN_RE.match(text)) and _heading_shaped(m["title"]):
            successor = chain[1] and ord(m["num"][0]) == ord(chain[1][0]) + 1
            level, match = (1, m) if not (len(m["num"]) == 1 and successor) else (2, m)
        elif (m := LETTER_RE.match(text)) and _heading_shaped(m["title"]):
            level, match = 2, m
        elif (m := NUMBER_RE.match(text)) and _heading_shaped(m["title"]):
            last = max((e.number or 0 for e in entries), default=0)
            following = blocks[i + 1].text if i + 1 < len(blocks) else ""
            # a paragraph a page break cut short of its sentence: its number goes on from the
            # last paragraph's, its text goes on in lower case or it is set as the body is
            cut = following[:1].islower() or block.plain
            if not (int(m["num"]) > last and cut):
                level, match = 3, m
        if level and match:
            chain[level - 1] = (match["num"], match["title"])
            chain[level:] = [None] * (3 - level)
            started = after_heading = True
            continue
        heads = tuple(h for h in chain if h)
        if m := NUMBER_RE.match(text):
            entries.append(_Entry(int(m["num"]), [m["title"]], block, heads, after_heading))
        elif not started:
            front.append(block)
            continue
        elif ITEM_RE.match(text) and entries:
            entries[-1].parts.append("\n" + text)
        else:
            entries.append(_Entry(None, [text], block, heads, after_heading))
        started, after_heading = True, False
    return front, entries


def _number(entries: list[_Entry], warnings: list[str]) -> list[tuple[_Entry, bool]]:
    """Numbered paragraphs: lost numbers recovered from the sequence, continuations joined."""
    out: list[tuple[_Entry, bool]] = []
    for i, entry in enumerate(entries):
        if entry.number is not None:
            out.append((entry, False))
            continue
        previous = out[-1][0] if out else None
        starts = previous is None or entry.after_heading
        if not starts:
            ends = re.search(r"[.!?][\"'\u201d)]?$", entries[i - 1].text.rstrip())
            starts = bool(ends and re.match(r"[A-Z0-9\"\u201c(]", entry.text))
        prev_number = previous.number if previous and previous.number is not None else 0
        later = entries[i + 1 :]
        ahead = next((j for j, e in enumerate(later) if e.number is not None), None)
        if ahead is None:
            new = starts and entry.after_heading
        else:
            forced = sum(1 for e in later[:ahead] if e.after_heading)
            free = later[ahead].number - prev_number - 1 - forced  # type: ignore[operator]
            new = starts and (free > 0 or entry.after_heading)
        if new:
            entry.number = prev_number + 1
            out.append((entry, True))
            warnings.append(
                f"paragraph {entry.number}: number not printed; inferred from the sequence"
            )
        elif previous is not None and not entry.after_heading:
            hyphen = re.search(r"\w-$", previous.text)  # "grass-" | page break | "roots"
            previous.parts.append(("" if hyphen else " ") + entry.text)
        else:
            warnings.append(f"unnumbered text at {entry.block.where} left out: {entry.text[:60]}")
    expected = 1
    for entry, _ in out:
        assert entry.number is not None
        if entry.number > expected:
            gap = (
                f"{expected}" if entry.number == expected + 1 else f"{expected}-{entry.number - 1}"
            )
            warnings.append(f"paragraph(s) {gap} missing from the sequence")
        elif entry.number < expected:
            warnings.append(f"paragraph {entry.number} out of sequence at {entry.block.where}")
        expected = max(expected, entry.number + 1)
    return out


def _theme(heads: tuple[tuple[str, str], ...]) -> str | None:
    for _, title in heads:
        low = title.lower()
        hits = [
            (m.start(), name)
            for name, words in THEMES
            for word in words
            if (m := re.search(rf"\b{re.escape(word)}", low))
        ]
        if hits:
            return min(hits)[1]
    return None


def _outline(heads: tuple[tuple[str, str], ...]) -> str:
    if not heads:
        return ""
    return " ".join(f"{num}." for num, _ in heads) + " " + heads[-1][1]


def _metadata(front: list[Block], source: str) -> tuple[str, datetime.date, str]:
    text = "\n".join(b.text for b in front)
    title = ""
    for i, block in enumerate(front):
        if REPORT_LINE_RE.match(block.text) and i:
            title = front[i - 1].text
    title = title or max((b.text for b in front), key=len, default="")
    dated = re.search(rf"Distr\.?:?\s*\w+\s+{DATE_RE.pattern}", text) or DATE_RE.search(text)
    if not dated:
        raise ParseError(f"{source}, {front[0].where if front else 'line 1'}: no date printed")
    day, month, year = dated.groups()
    date = datetime.date(int(year), _MONTH_NUMBER[month], int(day))
    session = re.search(r"\b([A-Z][a-z]+(?:-[a-z]+)? (?:special )?session)\b", text)
    return title, date, session.group(1) if session else ""


def _assemble(blocks: list[Block], furniture: Furniture, source: str) -> ParsedReport:
    warnings: list[str] = []
    front, entries = _structure(blocks)
    numbered = _number(entries, warnings)
    if not numbered:
        raise ParseError(f"{source}, {blocks[0].where if blocks else 'line 1'}: no paragraphs")
    title, date, session = _metadata(front, source)
    themes = [_theme(entry.heads) for entry, _ in numbered]
    resolved: list[str] = []
    for i, theme in enumerate(themes):
        later = next((t for t in themes[i + 1 :] if t), None)
        earlier = next((t for t in reversed(resolved) if t), None)
        resolved.append(theme or later or earlier or DEFAULT_THEME)
    paragraphs = tuple(
        ReportParagraph(
            number=entry.number or 0,
            outline=_outline(entry.heads),
            theme=theme,
            countries=find_countries(entry.text),
            text=entry.text.strip(),
            recovered=recovered,
            where=entry.block.where,
        )
        for (entry, recovered), theme in zip(numbered, resolved, strict=True)
    )
    period = next((m for p in paragraphs if (m := PERIOD_RE.search(p.text))), None)
    if period:
        m1, y1, m2, y2 = period.groups()
        start, end = f"{y1}-{_MONTH_NUMBER[m1]:02d}", f"{y2}-{_MONTH_NUMBER[m2]:02d}"
    else:
        start = end = ""
        warnings.append("reporting period (from <month> <year> to <month> <year>) not found")
    facts = extract_facts([(p.number, p.text) for p in paragraphs])
    pages = [entry.block.page for entry, _ in numbered]
    opportunity, fund_warnings = fund_opportunity(
        [(p.number, p.text, page) for p, page in zip(paragraphs, pages, strict=True)], facts
    )
    return ParsedReport(
        title=title,
        symbol=furniture.symbol,
        date=date,
        edition=f"{date.year}-{date.month:02d}",
        session=session,
        period_start=start,
        period_end=end,
        paragraphs=paragraphs,
        facts=facts,
        opportunity=opportunity,
        warnings=tuple(warnings + fund_warnings),
    )
