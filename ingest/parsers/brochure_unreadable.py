"""Projects whose heading was found but whose figures cannot be read: set apart, not guessed.

A brochure is loaded with what can be read; a project the grammar can name but not read is
reported (``unreadable_project``, with its page) and the portal keeps what it had for it.
Two ways a project is found but not read:

- its heading is printed (the section's contents list names it) but no table of figures
  follows it: the table was lost (set as an image, dropped, or cut beyond recognition);
- its table is there, but a figure field (budget, pledges, shortfall) prints characters the
  PDF could not map to text (U+FFFD, pdfminer's ``(cid:17)``, private-use glyphs) or a
  currency sign followed by placeholders instead of digits ("US$ #,###,###"). Words instead
  of a figure ("to be confirmed", "US$ varies", "none") are a reading, not a failure to read.

A partnership example of an unreadable programme is set apart with it: loaded alone it would
lose its programme.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ingest.parsers.brochure_blocks import Block, loose_title, norm_title
from ingest.parsers.brochure_fields import unodc_code
from ingest.parsers.brochure_project import (
    _EXAMPLE_PREFIX_RE,
    ProjectSpan,
    TocEntry,
    as_field,
    is_heading,
)
from ingest.parsers.types import (
    UNREADABLE_PROJECT,
    ParsedProject,
    Problem,
    UnreadableProject,
)

SIMILAR = 0.75  # least similarity for a contents entry to name a heading (as brochure_build)
_UNREADABLE_GLYPHS_RE = re.compile(r"\ufffd|\(cid:\d+\)|[\ue000-\uf8ff]")
# A currency sign followed by placeholders where the digits belong: "US$ #,###,###", "$ ??".
_PLACEHOLDER_RE = re.compile(r"(?:US\s*\\?\$|\bUSD|\bEUR|€|\$)\s*[^\s\w(]*[#?*_•·■□][^\s\w]*")
_FIGURE_FIELDS = (
    ("budget", "budget_text"),
    ("pledges", "pledges_text"),
    ("shortfall", "shortfall_text"),
)
KEPT = "the portal keeps what it had for it"


def figures_problem(project: ParsedProject) -> str:
    """Why the project's printed figures cannot be read, or "" when they can."""
    for name, attribute in _FIGURE_FIELDS:
        text = getattr(project, attribute)
        if _UNREADABLE_GLYPHS_RE.search(text):
            return f"its {name} prints characters that cannot be read ('{text}')"
        if _PLACEHOLDER_RE.search(text):
            return f"its {name} prints a currency but no figure ('{text}')"
    return ""


def set_apart(
    projects: list[ParsedProject], section: str
) -> tuple[list[ParsedProject], list[UnreadableProject]]:
    """(readable, unreadable) of one span's projects: the programme first, then its examples."""
    readable: list[ParsedProject] = []
    unreadable: list[UnreadableProject] = []
    programme_unreadable = False
    for k, project in enumerate(projects):
        why = figures_problem(project)
        if k > 0 and programme_unreadable:
            why = "its programme's figures cannot be read"
        if not why:
            readable.append(project)
            continue
        programme_unreadable = programme_unreadable or k == 0
        unreadable.append(
            UnreadableProject(
                title=project.title,
                section=section,
                problem=problem(project.title, why, project.where),
                code=project.code,
                parent_title=project.parent_title,
                parent_code=project.parent_code,
            )
        )
    return readable, unreadable


def problem(title: str, why: str, where: str) -> Problem:
    return Problem(
        UNREADABLE_PROJECT,
        f"'{title}': its heading was found but {why}; it is not loaded and {KEPT}",
        raw=title,
        field="title",
        where=where,
    )


def _names(entry: TocEntry, heading: str) -> bool:
    if norm_title(entry.title) == norm_title(heading):
        return True
    code = unodc_code(entry.title)
    if code and code == unodc_code(heading):
        return True
    if len(heading) > 2 * len(entry.title) + 20:
        return False  # a paragraph, not a heading
    return SequenceMatcher(None, loose_title(entry.title), loose_title(heading)).ratio() >= SIMILAR


def headings_without_table(
    blocks: list[Block], start: int, end: int, spans: list[ProjectSpan], entries: list[TocEntry]
) -> list[tuple[int, TocEntry]]:
    """Headings the section's contents list names (entries no project matched) printed in the
    section, from its first project on, without a table: (block index, entry), in order.
    Each entry found is marked used."""
    taken = {span.heading for span in spans}
    found: list[tuple[int, TocEntry]] = []
    for entry in entries:
        if entry.used:
            continue
        for i in range(start, end):
            if i in taken or not is_heading(blocks[i]) or not _names(entry, blocks[i].text):
                continue
            entry.used = True
            taken.add(i)
            found.append((i, entry))
            break
    return sorted(found, key=lambda pair: pair[0])


def examples_under_headings(
    blocks: list[Block], spans: list[ProjectSpan], heads: list[int], end: int, section: str
) -> list[UnreadableProject]:
    """The partnership examples printed under each heading without a table (up to the next
    project): the unread project's, so set apart with it, never loaded under another."""
    starts = sorted({span.heading for span in spans} | set(heads))
    dropped: list[UnreadableProject] = []
    for head in heads:
        boundary = next((i for i in starts if i > head), end)
        parent = blocks[head].text
        why = f"it is printed under '{parent}', whose figures cannot be read"
        for i in range(head + 1, boundary - 1):
            if not _example_at(blocks, i, boundary):
                continue
            title = _EXAMPLE_PREFIX_RE.sub("", blocks[i].text)
            dropped.append(
                UnreadableProject(
                    title=title,
                    section=section,
                    problem=problem(title, why, blocks[i].where),
                    code=unodc_code(title),
                    parent_title=parent,
                    parent_code=unodc_code(parent),
                )
            )
    return dropped


def _example_at(blocks: list[Block], i: int, end: int) -> bool:
    """A partnership example starts here: a heading followed by a lone Budget line (as
    brochure_build reads them in a programme's description)."""
    f = as_field(blocks[i + 1])
    lone = i + 2 >= end or as_field(blocks[i + 2]) is None
    return is_heading(blocks[i]) and f is not None and f.key == "budget" and lone


def unread_heading(block: Block, section: str) -> UnreadableProject:
    why = "no table of figures follows it"
    return UnreadableProject(
        title=block.text,
        section=section,
        problem=problem(block.text, why, block.where),
        code=unodc_code(block.text),
    )
