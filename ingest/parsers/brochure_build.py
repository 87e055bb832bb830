"""Blocks → ParsedBrochure: the one builder behind both the text and the PDF reader.

The structure it looks for (no project, donor, country or figure is named here):

1. the main table of contents: the first run of paragraphs carrying page numbers;
2. each of its entries printed again as a section heading further on;
3. in a section, a project is a heading paragraph followed by a table of at least two
   known fields (Country/Region/Budget/Pledges/Shortfall/Focal Point …); everything up
   to the next project heading is its description;
4. between a section heading and its first project, the section's own table of
   contents: entries with page numbers, under subheadings (the subregions). A
   subheading and an entry wrapped over several paragraphs are told apart by which
   reading best matches a project heading of the section;
5. inside a description, a heading followed by a lone "Budget:" line is a partnership
   example: a child project of the programme.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from ingest.parsers.brochure_blocks import Block, loose_title, norm_title, superscript_number
from ingest.parsers.brochure_fields import section_name, unodc_code
from ingest.parsers.brochure_project import (
    FOOTNOTE_RE,
    ProjectSpan,
    TableField,
    TocEntry,
    as_field,
    is_heading,
    projects_of,
)
from ingest.parsers.brochure_unreadable import (
    examples_under_headings,
    headings_without_table,
    set_apart,
    unread_heading,
)
from ingest.parsers.runs import cut_runs, strip_runs
from ingest.parsers.types import (
    ParsedBrochure,
    ParsedProject,
    ParsedSection,
    ParsedSubregion,
    ParseError,
    UnreadableProject,
)

_SIMILAR = 0.75  # least similarity for a table of contents entry to match a heading
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_YEAR_LINE_RE = re.compile(r"^(?:[^\W\d][^\d,]{0,40},\s*)?((?:19|20)\d{2})\.?$")
_CLOSING_RE = re.compile(r"^(?:for\s+(?:more\s+|further\s+)?information|please\s+contact)\b", re.I)
_LEADERS_END_RE = re.compile(r"(?:\s*[·…‧∙]|\s*\.{2,})+\s*$")
_TRAILING_PAGE_RE = re.compile(r"^(?P<title>.*\S)(?:\s+|(?<=[^\d\s]))(?P<page>\d{1,3})$")


class _Similarity:
    """Best similarity of a candidate title to a set of headings (exact match → 1.0)."""

    def __init__(self, headings: list[str]):
        self.exact = {norm_title(h) for h in headings}
        self.loose = [loose_title(h) for h in headings]

    def score(self, candidate: str) -> float:
        if norm_title(candidate) in self.exact:
            return 1.0
        cand = loose_title(candidate)
        best = 0.0
        for heading in self.loose:
            matcher = SequenceMatcher(None, cand, heading, autojunk=False)
            if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                continue
            best = max(best, matcher.ratio())
        return best


# ------------------------------------------------------------------ the builder


def build_brochure(
    blocks: list[Block], source: str, source_format: str, extent: str = ""
) -> ParsedBrochure:
    """The brochure the blocks print. `extent` names what was read ("lines 1–1018")."""
    if not blocks:
        raise ParseError(f"{source}: no text found (expected a Partnership Opportunities brochure)")
    warnings: list[str] = []
    extent = extent or f"{blocks[0].where}–{blocks[-1].where}"
    _attached_contents(blocks)
    toc_start, toc = _main_toc(blocks)
    set_aside = ""  # why a printed contents list was not used
    if toc:
        front = blocks[:toc_start]
        missing: list[str] = []
        sections = _find_sections(blocks, toc_start + len(toc), toc, missing)
        if sections:
            warnings += missing
        else:
            # a contents list that names no heading printed: read as if there were none
            listed = ", ".join(f"'{b.text}'" for b in toc)
            set_aside = (
                f"the table of contents ({toc[0].where}) lists {listed}, but none of these is "
                "printed as a section heading"
            )
            warnings.append(f"{set_aside}: sections are read from the headings' typography")
            toc = []
            sections = _sections_by_typography(blocks)
    else:
        sections = _sections_by_typography(blocks)
        front = blocks[: sections[0][0]] if sections else blocks
    title, edition = _title_and_edition(front, warnings, blocks)
    parsed_sections: list[ParsedSection] = []
    projects: list[ParsedProject] = []
    unreadable: list[UnreadableProject] = []
    footnotes_all: dict[int, str] = {}
    for b in blocks:
        if b.kind == "para" and FOOTNOTE_RE.match(b.text):
            number = superscript_number(FOOTNOTE_RE.match(b.text).group(1))
            if number is not None:
                footnotes_all.setdefault(number, FOOTNOTE_RE.sub("", b.text))
    for heading_index, end, entry in sections:
        name = section_name(blocks[heading_index].text)
        if toc:
            spans = _project_spans(blocks, heading_index + 1, end)
            toc_end = _section_toc_end(
                blocks, heading_index + 1, spans[0].heading if spans else end
            )
            toc_blocks = [b for b in blocks[heading_index + 1 : toc_end] if b.kind == "para"]
            headings = [blocks[s.heading].text for s in spans]
            entries, _ = _section_toc(toc_blocks, headings, name, [])
            _match_toc(entries, headings)
            # headings the contents list names, printed without a table: not read, and the
            # project before each ends there; the contents list is then read with them
            heads = [i for i, _ in headings_without_table(blocks, toc_end, end, spans, entries)]
            if heads:
                spans = _project_spans(blocks, heading_index + 1, end, stops=heads)
                headings = [blocks[s.heading].text for s in spans]
                unreadable += [unread_heading(blocks[i], name) for i in heads]
                unreadable += examples_under_headings(blocks, spans, heads, end, name)
            unread_titles = [blocks[i].text for i in heads]
            entries, subregions = _section_toc(
                toc_blocks, headings + unread_titles, name, warnings if spans else []
            )
            matches = _match_toc(entries, headings + unread_titles)
            if not spans:
                continue
            for entry_ in entries:
                if not entry_.used:
                    warnings.append(
                        f"{entry_.where}: the table of contents of '{name}' lists "
                        f"'{entry_.title}' (page {entry_.page}) but no project heading matches it"
                    )
            listed: dict[int, tuple[TocEntry, str] | None] = {
                k: matches.get(k) for k in range(len(spans))
            }
        else:
            spans, subregion_of = _spans_under_headings(blocks, heading_index + 1, end)
            if not spans:
                continue
            subregions = list(dict.fromkeys(sub for sub in subregion_of if sub))
            listed = {
                k: (TocEntry(blocks[span.heading].text, None, subregion_of[k], ""), "")
                for k, span in enumerate(spans)
            }
        parsed_sections.append(
            ParsedSection(
                name=name,
                order=len(parsed_sections) + 1,
                page=entry.page_ref if entry is not None else None,
                subregions=tuple(ParsedSubregion(sub, i) for i, sub in enumerate(subregions, 1)),
            )
        )
        for k, span in enumerate(spans):
            read = projects_of(blocks, span, name, listed[k], footnotes_all, bool(toc))
            readable, unread = set_apart(read, name)
            projects.extend(readable)
            unreadable.extend(unread)
    if not projects and unreadable:
        where = ", ".join(u.problem.where for u in unreadable[:5])
        raise ParseError(
            f"{source}: nothing could be read: {len(unreadable)} project heading(s) found "
            f"({where}{', …' if len(unreadable) > 5 else ''}) but none of their figures"
        )
    if not projects and set_aside:
        raise ParseError(f"{source}: {set_aside}, and the headings' typography shows no project")
    if not projects:
        raise ParseError(
            f"{source}: no project found: expected, under a section heading, a title followed "
            "by a table of 'Country:', 'Region:', 'Budget:', 'Total Pledges:', 'Shortfall:' "
            f"lines; none in {extent}"
        )
    if not edition:
        # The edition is how editions are told apart (and older ones withdrawn): never guess it.
        where = f"before the table of contents ({toc[0].where})" if toc else "on its cover"
        raise ParseError(
            f"{source}: no date printed {where}; the edition (month and year) cannot be told"
        )
    return ParsedBrochure(
        title=title,
        edition=edition,
        sections=tuple(parsed_sections),
        projects=tuple(projects),
        warnings=tuple(warnings),
        kind="brochure",
        source_format=source_format,
        unreadable=tuple(unreadable),
    )


_ATTACHED_PAGE_RE = _TRAILING_PAGE_RE


def _attached_contents(blocks: list[Block]) -> None:
    """Contents entries printed without leaders ("GLOBAL PROJECTS 3"): a paragraph ending in
    a number whose words before it are printed again further on, as a paragraph of their own
    (the heading the entry points to). The number is set apart as the entry's page_ref; a
    number the typesetter wrapped onto a line of its own, below such a title or among
    other entries, is the entry's too."""
    last_at = _last_at(blocks)
    blocks[:] = _run_together_entries(blocks, last_at)
    last_at = _last_at(blocks)
    for i, b in enumerate(blocks):
        if b.kind != "para" or b.page_ref is not None:
            continue
        m = _ATTACHED_PAGE_RE.match(b.text)
        if not m or last_at.get(norm_title(m.group("title")), -1) <= i:
            continue
        raw = "".join(r.text for r in b.runs)
        number = re.search(r"\s*\d{1,3}\s*$", raw)
        if number:
            b.runs = strip_runs(cut_runs(b.runs, 0, number.start()))
            b.page_ref = int(m.group("page"))
    _wrapped_page_numbers(blocks, last_at)


def _last_at(blocks: list[Block]) -> dict[str, int]:
    """Each paragraph's words (as a title) → where they are printed last."""
    return {
        norm_title(b.text): i
        for i, b in enumerate(blocks)
        if b.kind == "para" and b.page_ref is None
    }


def _run_together_entries(blocks: list[Block], last_at: dict[str, int]) -> list[Block]:
    """Contents entries without leaders read as one paragraph, the first title filling its
    line ("… sub-region (I) 28" | "… sub-region (II) 28"): cut after each number whose words
    before it are a title printed again further on."""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        while b.kind == "para" and b.page_ref is None:
            raw = "".join(r.text for r in b.runs)
            cut = next(
                (
                    m
                    for m in re.finditer(r"(?<=\S)\s+\d{1,3}\s+(?=\S)", raw)
                    if last_at.get(norm_title(raw[: m.start()]), -1) > i
                ),
                None,
            )
            if cut is None:
                break
            out.append(replace(b, runs=strip_runs(cut_runs(b.runs, 0, cut.end()))))
            b = replace(b, runs=strip_runs(cut_runs(b.runs, cut.end())))
        out.append(b)
    return out


def _wrapped_page_numbers(blocks: list[Block], last_at: dict[str, int]) -> None:
    """A contents entry whose title filled its line, its page number alone on the next
    ("… Labour Exploitation" | "32"): the number is the title's page_ref when the title is
    printed again further on, or when a contents entry is printed just before or after
    (one whose number was found so too)."""

    def entry(at: int) -> bool:
        return (
            0 <= at < len(blocks)
            and blocks[at].kind == "para"
            and (blocks[at].page_ref is not None)
        )

    while True:  # an entry found makes its neighbour's number the neighbour's
        wrapped: list[int] = []
        for i in range(1, len(blocks)):
            b, above = blocks[i], blocks[i - 1]
            if not (b.kind == above.kind == "para" and re.fullmatch(r"\d{1,3}", b.text)):
                continue
            if b.page_ref is not None or above.page_ref is not None or i - 1 in wrapped:
                continue
            printed_again = last_at.get(norm_title(above.text), -1) > i
            # the two paragraphs before the title and after the number, numbers alone (other
            # entries' wrapped numbers) aside
            near = [
                k
                for k in range(max(0, i - 6), min(len(blocks), i + 5))
                if k not in (i - 1, i) and not re.fullmatch(r"\d{1,3}", blocks[k].text)
            ]
            around = [k for k in near if k < i][-2:] + [k for k in near if k > i][:2]
            if printed_again or any(entry(k) for k in around):
                above.page_ref = int(b.text)
                wrapped.append(i)
        for i in reversed(wrapped):
            del blocks[i]
        if not wrapped:
            return


def _main_toc(blocks: list[Block]) -> tuple[int, list[Block]]:
    """The first run of at least two contents entries, or (0, []) when none is printed."""
    for i, b in enumerate(blocks):
        if b.kind == "para" and b.page_ref is not None:
            run = []
            for nb in blocks[i:]:
                if nb.kind != "para" or nb.page_ref is None:
                    break
                run.append(nb)
            if len(run) >= 2:
                return i, run
    return 0, []


def _section_toc_end(blocks: list[Block], start: int, end: int) -> int:
    """Where a section's contents list ends: after its last entry (a paragraph carrying a page
    number) before the first project. What follows is the section's text, such as a project
    printed without its table."""
    last = start - 1
    for i in range(start, end):
        b = blocks[i]
        if b.kind == "para" and (b.page_ref is not None or _TRAILING_PAGE_RE.match(b.text)):
            last = i
    return last + 1 if last >= start else end


def _join_wrapped(parts: list[str], blocks: list[Block]) -> str:
    """A cover's lines, set as paragraphs of their own: a word the typesetter broke at a line
    end ("Mi-" | "grants") is joined when the whole word is printed elsewhere."""
    out = ""
    words: set[str] | None = None
    for part in parts:
        broken = re.search(r"(\w+)[-\u2010\u00ad]$", out)
        rest = re.match(r"(\w+)", part)
        if broken and rest:
            if words is None:
                words = {w.lower() for b in blocks for w in re.findall(r"\w+", b.text)}
            if (broken.group(1) + rest.group(1)).lower() in words:
                out = out[:-1] + part
                continue
        out = f"{out} {part}" if out else part
    return out


def _title_and_edition(
    front: list[Block], warnings: list[str], blocks: list[Block]
) -> tuple[str, str]:
    title = ""
    for i, b in enumerate(front):
        if re.search(r"partnership\s+opportunit", b.text, re.IGNORECASE):
            subtitle = []
            for nb in front[i + 1 :]:
                text = nb.text
                if text.isupper() or re.search(r"[\d©]", text) or len(text) > 80:
                    break
                subtitle.append(text)
            title = f"{b.text}: {_join_wrapped(subtitle, blocks)}" if subtitle else b.text
            break
    if not title:
        title = next((b.text for b in front if not b.text.isupper()), "")
        warnings.append("the brochure's title was not found on its cover")
    edition = ""
    month_re = re.compile(rf"\b({'|'.join(_MONTHS)})\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
    for b in front:
        m = month_re.search(b.text)
        if m:
            edition = f"{m.group(2)}-{_MONTHS.index(m.group(1).lower()) + 1:02d}"
            break
    if not edition:
        # a cover that prints only a year ("Vienna, 2010"): that year, and a warning saying so;
        # never a year read out of a sentence
        for b in front:
            m = _YEAR_LINE_RE.match(b.text)
            if m:
                edition = f"{m.group(1)}-01"
                warnings.append(f"no month printed with the year: edition taken as {edition}")
                break
    return title, edition


def _find_sections(
    blocks: list[Block], start: int, toc: list[Block], warnings: list[str]
) -> list[tuple[int, int, Block]]:
    found: list[tuple[int, Block]] = []
    position = start
    for entry in toc:
        key = norm_title(entry.text)
        hit = next(
            (
                i
                for i in range(position, len(blocks))
                if is_heading(blocks[i]) and norm_title(blocks[i].text) == key
            ),
            None,
        )
        if hit is None:
            warnings.append(
                f"{entry.where}: the table of contents lists '{entry.text}' (page "
                f"{entry.page_ref}) but no such heading is printed"
            )
            continue
        found.append((hit, entry))
        position = hit + 1
    return [
        (hit, found[k + 1][0] if k + 1 < len(found) else len(blocks), entry)
        for k, (hit, entry) in enumerate(found)
    ]


def _table_at(blocks: list[Block], i: int, end: int) -> list[TableField]:
    """The table's rows from block i: known fields, and rows whose label the grammar does not
    know ("Implementing Partner:") between them — kept, and reported by the project."""
    table: list[TableField] = []
    unknown: list[TableField] = []
    while i < end:
        f = as_field(blocks[i])
        if f is None or (f.key is None and blocks[i].kind != "field"):
            break
        if f.key is None:
            unknown.append(f)
        else:
            table += [*unknown, f]
            unknown = []
        i += 1
    return table


def _known(table: list[TableField]) -> set[str]:
    return {f.key for f in table if f.key is not None}


def _project_spans(
    blocks: list[Block],
    start: int,
    end: int,
    leads: list[int] | None = None,
    stops: list[int] | None = None,
) -> list[ProjectSpan]:
    """Projects: a heading followed by at least two known fields. `leads` (when given) are
    where each project's printed lead-in (its subregion heading) starts, ending the
    description before it; `stops`, headings of projects that could not be read, end the
    description before them too."""
    spans: list[ProjectSpan] = []
    i = start + 1
    while i < end:
        if is_heading(blocks[i - 1]) and as_field(blocks[i]) is not None:
            table = _table_at(blocks, i, end)
            known = [f for f in table if f.key is not None]
            if len(known) >= 2 and not _example_table(table):
                spans.append(ProjectSpan(i - 1, table))
                i += len(table)
                continue
        i += 1
    for k, span in enumerate(spans):
        body_start = span.heading + 1 + len(span.table)
        body_end = spans[k + 1].heading if k + 1 < len(spans) else end
        if leads is not None and k + 1 < len(spans):
            body_end = leads[k + 1]
        body_end = min([body_end, *(i for i in stops or () if i > span.heading)])
        _split_children(span, blocks[body_start:body_end])
    return spans


_HEADING_MAX_WORDS = 16


def _structural(block: Block) -> bool:
    """A heading set apart by its type — larger, bold, italic or capitals — not a sentence."""
    text = block.text
    if not is_heading(block) or FOOTNOTE_RE.match(text) or not text:
        return False
    if len(text.split()) > _HEADING_MAX_WORDS or re.search(r"[.:;,]$", text):
        return False
    letters = [c for c in text if c.isalpha()]
    caps = bool(letters) and not any(c.islower() for c in letters) and len(letters) > 2
    return caps or block.size >= 1.08 or block.bold or block.italic


def _style(block: Block) -> tuple[bool, float, bool]:
    letters = [c for c in block.text if c.isalpha()]
    caps = bool(letters) and not any(c.islower() for c in letters)
    return caps, round(block.size, 1), block.bold


def _sections_by_typography(blocks: list[Block]) -> list[tuple[int, int, Block | None]]:
    """Without a contents list: the first section heading is the first of the headings printed
    just before the first project's heading (its subregion may follow it); every later heading
    set in the same style (case, size, weight) between two projects starts a section."""
    spans = _project_spans(blocks, 0, len(blocks))
    if not spans:
        return []
    floors = _floors(spans)
    first = next(
        (run for span, floor in floors if (run := _lead_run(blocks, span.heading, floor))), None
    )
    if first is None:
        return []
    style = _style(blocks[first[0]])
    starts: list[int] = []
    for span, floor in floors:
        found = [
            i
            for i in range(floor, span.heading)
            if _structural(blocks[i]) and _style(blocks[i]) == style
        ]
        if found and found[-1] not in starts:
            starts.append(found[-1])
    return [
        (start, starts[k + 1] if k + 1 < len(starts) else len(blocks), None)
        for k, start in enumerate(starts)
    ]


def _floors(spans: list[ProjectSpan]) -> list[tuple[ProjectSpan, int]]:
    """Each span with the first index its lead-in may start at (after the previous table)."""
    out, floor = [], 0
    for span in spans:
        out.append((span, floor))
        floor = span.heading + 1 + len(span.table)
    return out


def _lead_run(blocks: list[Block], heading: int, floor: int) -> list[int]:
    """The headings printed just before a project's heading (section, subregion); a
    footnote set at the foot of the page between them is passed over."""
    i = heading - 1
    while i >= floor and (_structural(blocks[i]) or _footnote(blocks[i])):
        i -= 1
    return [k for k in range(i + 1, heading) if not _footnote(blocks[k])]


def _footnote(block: Block) -> bool:
    return block.kind == "para" and block.size < 1.0 and bool(FOOTNOTE_RE.match(block.text))


def _spans_under_headings(
    blocks: list[Block], start: int, end: int
) -> tuple[list[ProjectSpan], list[str | None]]:
    """A section's projects without a contents list, each with the subregion heading printed
    above it (or above an earlier project of the section)."""
    found = _project_spans(blocks, start, end)
    leads, subregion_of, current = [], [], None
    for span, floor in _floors(found):
        run = _lead_run(blocks, span.heading, max(floor, start))
        leads.append(run[0] if run else span.heading)
        if run:
            current = blocks[run[-1]].text
        subregion_of.append(current)
    return _project_spans(blocks, start, end, leads), subregion_of


def _example_table(table: list[TableField]) -> bool:
    """A partnership example's rows: a budget (maybe its pledges, shortfall…), but no
    country or region — those are its programme's."""
    keys = _known(table)
    return "budget" in keys and not keys & {"country", "region"}


def _split_children(span: ProjectSpan, body: list[Block]) -> None:
    """Partnership examples: a heading followed by a Budget line, alone or with other rows
    of their own (pledges, shortfall), never a country or region."""
    starts: list[tuple[int, list[TableField]]] = []
    for j in range(len(body) - 1):
        if not is_heading(body[j]) or as_field(body[j + 1]) is None:
            continue
        table = _table_at(body, j + 1, len(body))
        if table and _example_table(table):
            starts.append((j, table))
    if not starts:
        span.body = body
        return
    span.body = body[: starts[0][0]]
    for n, (j, table) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(body)
        child_body = body[j + 1 + len(table) : end]
        if n + 1 == len(starts):  # closing remarks belong to the programme
            cut = len(child_body)
            while cut > 0 and _CLOSING_RE.match(child_body[cut - 1].text):
                cut -= 1
            span.body = span.body + child_body[cut:]
            child_body = child_body[:cut]
        span.children.append(ProjectSpan(-1, table, child_body, heading_block=body[j]))


def _section_toc(
    paras: list[Block], headings: list[str], section: str, warnings: list[str]
) -> tuple[list[TocEntry], list[str]]:
    sim = _Similarity(headings)
    codes = {unodc_code(h) for h in headings} - {None}
    entries: list[TocEntry] = []
    subregions: list[str] = []
    current: str | None = None
    pending: list[Block] = []
    for b in paras:
        title, page = b.text, b.page_ref
        if page is None:
            m = _TRAILING_PAGE_RE.match(title)
            if m:
                # an entry without leaders: its words (with the lines before it, when it
                # wrapped) must read as one of the section's project headings
                lead = [p.text for p in pending]
                best = max(
                    sim.score(" ".join([*lead[j:], m.group("title")])) for j in range(len(lead) + 1)
                )
                code = unodc_code(m.group("title"))
                if best >= _SIMILAR or (code and code in codes):
                    title, page = m.group("title"), int(m.group("page"))
        if page is None:
            pending.append(b)
            continue
        best_j, best = len(pending), sim.score(title)
        for j in range(len(pending) - 1, -1, -1):
            candidate = " ".join([p.text for p in pending[j:]] + [title])
            score = sim.score(candidate)
            if score > best + 1e-9:
                best_j, best = j, score
        for p in pending[:best_j]:
            if p.text not in subregions:
                subregions.append(p.text)
            current = p.text
        full = " ".join([p.text for p in pending[best_j:]] + [title])
        full = _LEADERS_END_RE.sub("", full)  # a leader left over where the number wrapped
        where = (pending[best_j] if best_j < len(pending) else b).where
        entries.append(TocEntry(full, page, current, where))
        pending = []
    for p in pending:
        warnings.append(
            f"{p.where}: '{p.text}' in the table of contents of '{section}' lists no entry"
        )
    return entries, subregions


def _match_toc(entries: list[TocEntry], headings: list[str]) -> dict[int, tuple[TocEntry, str]]:
    """heading index → (entry, how): how is "" for an exact match, else a reason."""
    matches: dict[int, tuple[TocEntry, str]] = {}
    for k, heading in enumerate(headings):
        key = norm_title(heading)
        for e in entries:
            if not e.used and norm_title(e.title) == key:
                e.used = True
                matches[k] = (e, "")
                break
    for k, heading in enumerate(headings):
        code = unodc_code(heading)
        if k in matches or not code:
            continue
        for e in entries:
            if not e.used and unodc_code(e.title) == code:
                e.used = True
                matches[k] = (e, f"matched by its code {code}")
                break
    pairs = []
    for k, heading in enumerate(headings):
        if k in matches:
            continue
        for e in entries:
            if not e.used:
                ratio = SequenceMatcher(None, loose_title(heading), loose_title(e.title)).ratio()
                if ratio >= _SIMILAR:
                    pairs.append((ratio, k, e))
    for ratio, k, e in sorted(pairs, key=lambda p: -p[0]):
        if k not in matches and not e.used:
            e.used = True
            matches[k] = (e, f"similarity {ratio:.2f}")
    return matches
