"""Degrade, don't refuse: a brochure with projects that cannot be read loads the others.

Damaged brochures are generated from the text rendition (Hypothesis): random projects lose
their table of figures, or have a figure printed with characters that cannot be read. The
damaged projects (and their partnership examples) are reported as `unreadable_project` where
their heading is printed; every other project reads exactly as from the undamaged document.
No database: the loader's part is in test_loader.py and test_command.py.
"""

import dataclasses
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.parsers.brochure import parse_brochure_text
from ingest.parsers.brochure_unreadable import figures_problem
from ingest.parsers.types import ParsedBrochure, ParsedProject, ParseError
from ingest.summary import document_summary

TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "partnership-opportunities-2010.txt"
TABLE_ROW_RE = re.compile(r"^[A-Za-z][A-Za-z .&/-]{0,30}:\t")
FIGURE_ROW_RE = re.compile(r"^(?:Budget|Total Pledges|Pledges|Shortfall):\t")
# What a PDF reader gives for glyphs it cannot map to text (private-use characters are left
# out here: the text rendition uses them for its own escapes).
UNREADABLE_GLYPHS = ["\ufffd", "(cid:17)"]


@cache
def original() -> tuple[str, ParsedBrochure]:
    text = TEXT.read_text(encoding="utf-8")
    return text, parse_brochure_text(text, "brochure.txt")


def line_of(project: ParsedProject) -> int:
    """The 0-based index of the project's heading line in the text rendition."""
    return int(project.where.removeprefix("line ")) - 1


def table_rows(lines: list[str], heading: int) -> range:
    """The lines of the table printed under a heading (blank lines before it skipped)."""
    start = heading + 1
    while not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and TABLE_ROW_RE.match(lines[end]):
        end += 1
    return range(start, end)


def without_positions(project: ParsedProject) -> ParsedProject:
    """Line numbers move when lines are dropped; what was read must not."""
    issues = tuple(dataclasses.replace(i, where="") for i in project.issues)
    return dataclasses.replace(project, where="", issues=issues)


def programmes() -> list[ParsedProject]:
    return [p for p in original()[1].projects if p.parent_title is None]


Damage = tuple[int, str, int]  # (programme index, "drop" or "garble", which figure / glyph)

damages = st.dictionaries(
    st.integers(0, len(programmes()) - 1),
    st.tuples(st.sampled_from(["drop", "garble", "hash"]), st.integers(0, 8)),
    min_size=1,
    max_size=6,
)


def damage(plan: dict[int, tuple[str, int]]) -> tuple[str, set[str]]:
    """The text rendition with the planned damage, and the titles of the damaged programmes."""
    text, _ = original()
    lines = text.split("\n")
    chosen = programmes()
    damaged: set[str] = set()
    drop: set[int] = set()
    for index, (how, pick) in plan.items():
        project = chosen[index]
        rows = table_rows(lines, line_of(project))
        if how == "drop":
            drop.update(rows)
            damaged.add(project.title)
            continue
        figures = [r for r in rows if FIGURE_ROW_RE.match(lines[r]) and re.search(r"\d", lines[r])]
        if not figures:
            continue  # "Varies by programme": no figure to garble
        row = figures[pick % len(figures)]
        label, value = lines[row].split("\t", 1)
        if how == "hash":
            value = re.sub(r"\d", "#", value)  # every digit a placeholder
        else:
            glyph = UNREADABLE_GLYPHS[pick % len(UNREADABLE_GLYPHS)]
            value = re.sub(r"\d", glyph, value, count=1)  # one glyph not mapped to text
        lines[row] = f"{label}\t{value}"
        damaged.add(project.title)
    kept = [line for k, line in enumerate(lines) if k not in drop]
    return "\n".join(kept), damaged


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damages)
def test_damaged_projects_are_set_apart_and_the_rest_reads_as_before(plan):
    _, before = original()
    text, damaged = damage(plan)
    after = parse_brochure_text(text, "brochure.txt")
    # the damaged programmes and their partnership examples are set apart...
    expected_out = {
        p.title for p in before.projects if p.title in damaged or p.parent_title in damaged
    }
    assert {u.title for u in after.unreadable} == expected_out
    for unread in after.unreadable:
        assert unread.problem.code == "unreadable_project"
        assert re.fullmatch(r"line \d+", unread.problem.where)
        printed = text.split("\n")[int(unread.problem.where.split()[1]) - 1]
        assert " ".join(unread.title.split()[:3]) in printed  # where its heading starts
        assert "the portal keeps what it had for it" in unread.problem.message
    # ...and every other project reads exactly as from the undamaged brochure
    assert [without_positions(p) for p in after.projects] == [
        without_positions(p) for p in before.projects if p.title not in expected_out
    ]
    assert after.warnings == before.warnings
    assert (after.title, after.edition) == (before.title, before.edition)


def test_the_report_json_lists_what_could_not_be_read():
    text, _ = damage({1: ("drop", 0), 10: ("garble", 0)})
    report = document_summary(parse_brochure_text(text, "brochure.txt"))
    unreadable = report["unreadable"]
    assert [u["title"] for u in unreadable][:1] == [programmes()[1].title]
    assert programmes()[10].title in [u["title"] for u in unreadable]
    assert {u["issue"] for u in unreadable} == {"unreadable_project"}
    assert all(re.fullmatch(r"line \d+", u["where"]) for u in unreadable)
    assert not {u["title"] for u in unreadable} & {p["title"] for p in report["projects"]}


READINGS = ["to be confirmed", "Varies by programme", "US$ varies", "US$ (to be confirmed)"]
READINGS += ["US$ to be confirmed", "US\\$ 6,576,097", "US$ 1,000*", "none", ""]
FAILURES = ["US$ #,###", "US$#,###,###", "US\\$ ###,### from Turkey", "US$ 1,\ufffd00"]
FAILURES += ["US$ (cid:20)(cid:21)", "US$ \ue001", "US$ 100 from Norway US$ ## from Japan"]


@pytest.mark.parametrize("text", READINGS)
def test_words_instead_of_a_figure_are_a_reading_not_a_failure(text):
    for field in ("budget_text", "pledges_text", "shortfall_text"):
        assert figures_problem(ParsedProject("P", "S", **{field: text})) == ""


@pytest.mark.parametrize("text", FAILURES)
def test_a_figure_that_cannot_be_read_is_named(text):
    for field, name in [("budget_text", "budget"), ("pledges_text", "pledges")]:
        assert f"its {name} prints" in figures_problem(ParsedProject("P", "S", **{field: text}))


def test_nothing_readable_is_refused():
    text, _ = damage({k: ("drop", 0) for k in range(len(programmes()))})
    with pytest.raises(ParseError, match=r"nothing could be read: \d+ project heading"):
        parse_brochure_text(text, "brochure.txt")


# ------------------------------------------------------------ a typeset PDF


def test_a_typeset_brochure_reports_the_unreadable_project_on_its_page(tmp_path):
    """The damage typeset (WeasyPrint, one style of the typesetting generator): a programme
    printed without its table and one whose budget prints placeholders instead of digits are
    reported on the page their heading is printed on; the rest loads."""
    import pdfplumber

    from ingest.parsers.files import parse_file
    from tests.typesetting.document import Span, brochure
    from tests.typesetting.html import render_pdf
    from tests.typesetting.styles import draw_style

    document = brochure()
    elements = list(document.elements)
    projects = [k for k, e in enumerate(elements) if e.role == "project"]
    dropped, garbled = elements[projects[1]].text, elements[projects[7]].text
    start = projects[1] + 1
    end = start
    while elements[end].role == "field":
        end += 1
    assert end - start >= 2
    budget = next(k for k in range(projects[7] + 1, len(elements)) if elements[k].label == "Budget")
    elements[budget] = dataclasses.replace(
        elements[budget], spans=[Span(re.sub(r"\d", "#", elements[budget].text))]
    )
    del elements[start:end]
    style = dataclasses.replace(draw_style(7, "weasyprint", "brochure"), contents=True)
    pdf = render_pdf(dataclasses.replace(document, elements=elements), style, tmp_path / "b.pdf")

    parsed = parse_file(pdf).document
    found = {u.title: u.problem.where for u in parsed.unreadable}
    assert {dropped, garbled} <= set(found)
    with pdfplumber.open(pdf) as reader:
        for title in (dropped, garbled):
            assert re.fullmatch(r"page \d+", found[title])
            page = reader.pages[int(found[title].split()[1]) - 1]
            assert " ".join(title.split()[:3]) in " ".join(page.extract_text().split())
    _, text = original()
    assert len(parsed.projects) + len(parsed.unreadable) == len(text.projects)
    assert not {u.title for u in parsed.unreadable} & {p.title for p in parsed.projects}


def test_a_contents_list_naming_no_printed_heading_is_read_without_it():
    """Degrade, don't refuse: a main contents list none of whose entries is printed as a
    heading (here, every entry reworded) is set aside with a warning; the sections come from
    the headings' typography, as for a brochure printed without one."""
    text, before = original()
    head, rest = text.split("Table of Contents", 1)
    contents, body = rest.split("\nINTRODUCTION\n", 1)
    contents = re.sub(r"<i>([A-Z&, ]+)</i>\t", r"<i>\1 OVERVIEW</i>\t", contents)
    body = re.sub(r"\n[^\n]*\.{5} ?\d+\n", "\n", body)  # and no section lists its projects
    after = parse_brochure_text(f"{head}Table of Contents{contents}\nINTRODUCTION\n{body}")
    assert "none of these is printed as a section heading: sections are read" in after.warnings[0]
    assert [(p.title, p.section, p.budget, p.pledges) for p in after.projects] == [
        (p.title, p.section, p.budget, p.pledges) for p in before.projects
    ]
    assert (after.title, after.edition) == (before.title, before.edition)
