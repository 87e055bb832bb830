"""The brochure grammar on generated variations of the text rendition (no database).

Rows the grammar does not know are kept and reported, never end the table; a partnership
example may print several rows of its own. Each case edits the 2010 text rendition where
Hypothesis says and compares the parse with the unedited one, field by field.
"""

import dataclasses
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ingest.parsers.brochure import parse_brochure_text
from ingest.parsers.brochure_blocks import norm_title
from ingest.parsers.brochure_fields import label_key

TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "partnership-opportunities-2010.txt"
LINES = TEXT.read_text(encoding="utf-8").splitlines()

UNKNOWN_LABELS = ["Implementing Partner", "Executing Agency", "Counterparts", "Start Date"]
VALUES = ["Ministry of Justice", "IOM and UNICEF", "January 2011", "National NGOs (three)"]
GENEROUS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a parse per case: no shrinking
)


@cache
def original():
    return parse_brochure_text("\n".join(LINES))


def _line_of(project) -> int:
    return int(re.search(r"line (\d+)", project.where).group(1))


def _table_rows(heading_line: int) -> list[int]:
    """0-based indexes of the table rows printed under the heading at `heading_line`."""
    rows, i = [], heading_line  # the line after the heading (1-based → 0-based + 1)
    while i < len(LINES) and not LINES[i].strip():
        i += 1
    while i < len(LINES) and "\t" in LINES[i]:
        rows.append(i)
        i += 1
    return rows


def _issues(project) -> list:
    """Issues without their line: the inserted row moves the lines after it."""
    return [dataclasses.replace(i, where="") for i in project.issues]


def _same_except(a, b, *names: str) -> None:
    for f in dataclasses.fields(a):
        if f.name in ("where", "description", *names):
            continue
        if f.name == "issues":
            assert _issues(a) == _issues(b), a.title
            continue
        assert getattr(a, f.name) == getattr(b, f.name), (a.title, f.name)


def _top_level():
    return [p for p in original().projects if not p.parent_title]


@GENEROUS
@given(
    project=st.integers(0, len(_top_level()) - 1),
    after=st.integers(0, 8),
    label=st.sampled_from(UNKNOWN_LABELS),
    value=st.sampled_from(VALUES),
    colon_case=st.sampled_from(["as-is", "upper"]),
)
def test_an_unknown_row_is_kept_and_reported_and_the_table_still_read(
    project, after, label, value, colon_case
):
    assert label_key(label) is None
    target = _top_level()[project]
    # before a row of the table's (not a value's continuation line): a known row follows
    rows = [r for r in _table_rows(_line_of(target))[1:] if not LINES[r].startswith("\t")]
    at = rows[min(after, len(rows) - 1)]
    printed = label.upper() if colon_case == "upper" else label
    lines = [*LINES[:at], f"{printed}:\t{value}", *LINES[at:]]
    parsed = parse_brochure_text("\n".join(lines))

    assert len(parsed.projects) == len(original().projects)
    for before, now in zip(original().projects, parsed.projects, strict=True):
        if before.title != target.title:
            _same_except(before, now)
            continue
        _same_except(before, now, "issues", "extra_fields")
        assert now.extra_fields == ((printed, value),)
        unknown = [i for i in now.issues if i.code == "unknown_field"]
        assert [(i.field, i.raw) for i in unknown] == [(printed, value)]
        assert [i for i in _issues(now) if i.code != "unknown_field"] == _issues(before)
        assert value in now.description  # nothing printed is dropped


def _examples():
    return [p for p in original().projects if p.parent_title and p.budget is not None]


@GENEROUS
@given(
    example=st.integers(0, len(_examples()) - 1),
    rows=st.sets(st.sampled_from(["pledges", "shortfall"]), min_size=1),
)
def test_a_partnership_example_may_print_several_rows(example, rows):
    target = _examples()[example]
    budget_row = _table_rows(_line_of(target))
    if not budget_row:  # "Budget: …" set with spaces, not a tab: the line after the heading
        budget_row = [i for i in range(_line_of(target), len(LINES)) if LINES[i].strip()][:1]
    at = budget_row[-1] + 1
    extra = []
    if "pledges" in rows:
        extra.append("Total Pledges:\tUS\\$ 0")
    if "shortfall" in rows:
        extra.append(f"Shortfall:\tUS\\$ {target.budget:,}")
    parsed = parse_brochure_text("\n".join([*LINES[:at], *extra, *LINES[at:]]))

    assert [p.title for p in parsed.projects] == [p.title for p in original().projects]
    now = next(p for p in parsed.projects if p.title == target.title)
    assert now.parent_title == target.parent_title and now.parent_code == target.parent_code
    assert now.budget == target.budget and now.pledges == ()
    if "shortfall" in rows:
        assert now.stated_shortfall == target.budget
        assert now.computed_shortfall == target.budget - Decimal(0)
    assert "unknown_field" not in {i.code for i in now.issues}


_ENTRY_RE = re.compile(r"^(?P<title>.*?\S)(?:\.{3,}|…)\s*(?P<page>\d{1,3})$")
_ENTRIES = [i for i, line in enumerate(LINES) if _ENTRY_RE.match(line)]


@GENEROUS
@given(entries=st.sets(st.sampled_from(_ENTRIES), min_size=1, max_size=4))
def test_a_contents_entrys_number_wrapped_onto_a_line_of_its_own_is_the_entrys(entries):
    """A title that fills its line pushes the page number onto the next, alone ("… Labour
    Exploitation" | "32"): the entry, its section and subregion read as when the number
    follows its title."""
    lines = []
    for i, line in enumerate(LINES):
        m = _ENTRY_RE.match(line) if i in entries else None
        lines += ["", m["title"], "", m["page"], ""] if m else [line]
    parsed = parse_brochure_text("\n".join(lines))

    assert len(parsed.projects) == len(original().projects)
    for now, before in zip(parsed.projects, original().projects, strict=True):
        _same_except(now, before)


# pairs of entries, the first's title printed again as its project's heading (the evidence
# the cut rests on; a title the contents list words otherwise tells nothing)
_PAIRS = [
    i
    for i in _ENTRIES
    if i + 1 in _ENTRIES
    and norm_title(_ENTRY_RE.match(LINES[i])["title"]) in {norm_title(x) for x in LINES[i + 2 :]}
]


@GENEROUS
@given(first=st.sampled_from(_PAIRS))
def test_contents_entries_read_as_one_paragraph_are_cut_at_their_numbers(first):
    """Two entries without leaders, the first title filling its line, read as one paragraph
    ("… (I) 28 Measures … (II) 28"): each title printed again further on, the paragraph is
    cut after its number and reads as the two entries."""
    a, b = _ENTRY_RE.match(LINES[first]), _ENTRY_RE.match(LINES[first + 1])
    run_together = f"{a['title']} {a['page']} {b['title']} {b['page']}"
    lines = [*LINES[:first], "", run_together, "", *LINES[first + 2 :]]
    parsed = parse_brochure_text("\n".join(lines))

    assert len(parsed.projects) == len(original().projects)
    for now, before in zip(parsed.projects, original().projects, strict=True):
        _same_except(now, before)
