"""One project of a brochure, from its heading, its table and its description blocks.

Also the table fields and spans brochure_build finds, and the description as safe HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ingest.parsers.brochure_blocks import SUPERSCRIPTS, Block, runs_html, superscript_number
from ingest.parsers.brochure_fields import (
    duration_of,
    label_key,
    read_countries,
    read_focal_points,
    read_phases,
    theme_of,
    unodc_code,
)
from ingest.parsers.donors import parse_pledges
from ingest.parsers.money import read_money
from ingest.parsers.runs import cut_runs, strip_runs
from ingest.parsers.types import ParsedProject, Problem

_FIELD_PARA_RE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z .&/-]{0,30}?)\s*:\s*(?P<value>.*)$")
_NUMBERED_RE = re.compile(r"^(\d{1,2})\.\s+")
_SLASH_SPACE_RE = re.compile(r"(?<=\w)/\s+(?=\w)")
FOOTNOTE_RE = re.compile(rf"^([{SUPERSCRIPTS}]+)\s*")
_EXAMPLE_PREFIX_RE = re.compile(r"^[A-Z][a-z]+\s+\d{1,2}\s*[:.\u2013-]\s*")


@dataclass
class TableField:
    key: str | None
    label: str
    text: str
    where: str
    block: Block


@dataclass
class TocEntry:
    title: str
    page: int | None
    subregion: str | None
    where: str
    used: bool = False


@dataclass
class ProjectSpan:
    heading: int  # block index of the heading
    table: list[TableField]
    body: list[Block] = field(default_factory=list)
    children: list[ProjectSpan] = field(default_factory=list)
    heading_block: Block | None = None  # a child's heading (children have no index)


# ------------------------------------------------------------------ small helpers


def as_field(block: Block) -> TableField | None:
    if block.kind == "field":
        return TableField(label_key(block.label), block.label, block.text, block.where, block)
    if block.kind == "para" and block.page_ref is None:
        m = _FIELD_PARA_RE.match(block.text)
        if m and label_key(m.group("label")):
            return TableField(
                label_key(m.group("label")), m.group("label"), m.group("value"), block.where, block
            )
    return None


def is_heading(block: Block) -> bool:
    return block.kind == "para" and block.page_ref is None and as_field(block) is None


def _fmt(value: Decimal) -> str:
    return f"{value:,}"


# ------------------------------------------------------------------ projects


def projects_of(
    blocks: list[Block],
    span: ProjectSpan,
    section: str,
    match: tuple[TocEntry, str] | None,
    footnotes_all: dict[int, str],
    has_toc: bool = True,
) -> list[ParsedProject]:
    heading = blocks[span.heading]
    title = heading.text
    issues: list[Problem] = []
    subregion = page = None
    toc_title = ""
    if match is None and has_toc:
        issues.append(
            Problem(
                "toc_missing",
                "the project is not listed in its section's table of contents",
                raw=title,
                field="title",
                where=heading.where,
            )
        )
    elif match is not None:
        entry, how = match
        subregion, page, toc_title = entry.subregion, entry.page, entry.title if has_toc else ""
        if how:
            issues.append(
                Problem(
                    "toc_mismatch",
                    f"the heading '{title}' is listed in the table of contents as "
                    f"'{entry.title}' ({how})",
                    raw=entry.title,
                    field="title",
                    where=entry.where,
                )
            )
    parent = _project(title, section, span.table, span.body, heading.where, footnotes_all, issues)
    parent = replace(parent, subregion=subregion, page=page, toc_title=toc_title)
    out = [parent]
    for child in span.children:
        child_heading = child.heading_block
        child_title = _EXAMPLE_PREFIX_RE.sub("", child_heading.text)
        project = _project(
            child_title, section, child.table, child.body, child_heading.where, footnotes_all, []
        )
        out.append(
            replace(
                project,
                subregion=subregion,
                parent_code=parent.code,
                parent_title=parent.title,
                country_label=parent.country_label,
                region_label=parent.region_label,
                countries=parent.countries,
                coverage_note=parent.coverage_note,
            )
        )
    return out


def _project(
    title: str,
    section: str,
    table: list[TableField],
    body: list[Block],
    where: str,
    footnotes_all: dict[int, str],
    issues: list[Problem],
) -> ParsedProject:
    fields: dict[str, list[TableField]] = {}
    extras = [f for f in table if not f.key]
    for f in table:
        if f.key:
            fields.setdefault(f.key, []).append(f)
    for f in extras:
        issues.append(
            Problem(
                "unknown_field",
                f"the table's row '{f.label}' is not a field the portal reads: "
                "kept as printed, at the start of the description",
                raw=f.text,
                field=f.label,
                where=f.where,
            )
        )
    first = {key: values[0] for key, values in fields.items()}
    footnotes: dict[int, str] = {}
    content: list[Block] = []
    notes: list[Block] = []
    for b in body:
        m = FOOTNOTE_RE.match(b.text) if b.kind == "para" else None
        number = superscript_number(m.group(1)) if m else None
        if m and number is not None:
            footnotes[number] = FOOTNOTE_RE.sub("", b.text)
            notes.append(b)
        else:
            content.append(b)
    lookup = {**footnotes_all, **footnotes}

    country_label = first["country"].text if "country" in first else ""
    # names joined by a slash, with or without a space after it ("A/B", "A/ B"): a line end
    # after the slash cannot show which, so the label reads as one way in every typesetting
    country_label = _SLASH_SPACE_RE.sub("/", country_label)
    countries, coverage, country_problems = read_countries(country_label, lookup)
    for p in country_problems:
        issues.append(replace(p, field=first["country"].label, where=first["country"].where))

    budget = stated = None
    budget_text = budget_note = pledges_text = shortfall_text = ""
    phases: tuple = ()
    varies = False
    if "budget" in first:
        f = first["budget"]
        budget_text = f.text
        reading = read_money(budget_text)
        budget, budget_note, varies = reading.value, reading.note, reading.varies
        if reading.value is None and reading.varies:
            issues.append(
                Problem(
                    "budget_varies",
                    f"the budget is printed as '{budget_text}': no single figure",
                    raw=budget_text,
                    field=f.label,
                    where=f.where,
                )
            )
        elif reading.problem:
            issues.append(replace(reading.problem, field=f.label, where=f.where))
        phases, whys = read_phases(budget_text, len(reading.parts))
        for why in whys:
            issues.append(
                Problem(
                    "malformed_amount",
                    f"phase {why}",
                    raw=budget_text,
                    field=f.label,
                    where=f.where,
                )
            )
        amounts = [ph.amount for ph in phases]
        if budget is not None and len(reading.parts) < 2 and amounts and None not in amounts:
            total = sum(amounts, Decimal(0))
            if total != budget:
                issues.append(
                    Problem(
                        "phase_mismatch",
                        f"the phases add up to {_fmt(total)} but the budget is {_fmt(budget)}",
                        raw=budget_text,
                        field=f.label,
                        where=f.where,
                    )
                )
    else:
        issues.append(Problem("missing_field", "no budget is printed", raw=title, where=where))

    pledges: tuple = ()
    if "pledges" in first:
        f = first["pledges"]
        pledges_text = f.text
        pledges, problems = parse_pledges(pledges_text)
        issues.extend(replace(p, field=f.label, where=f.where) for p in problems)

    if "shortfall" in first:
        f = first["shortfall"]
        shortfall_text = f.text
        reading = read_money(shortfall_text)
        stated = reading.value
        if reading.value is None and reading.varies:
            if not varies:
                issues.append(
                    Problem(
                        "budget_varies",
                        f"the shortfall is printed as '{shortfall_text}': no single figure",
                        raw=shortfall_text,
                        field=f.label,
                        where=f.where,
                    )
                )
        elif reading.problem:
            issues.append(replace(reading.problem, field=f.label, where=f.where))
        if budget is not None and stated is not None:
            pledged = sum((p.amount for p in pledges), Decimal(0))
            computed = budget - pledged
            if computed != stated:
                issues.append(
                    Problem(
                        "shortfall_mismatch",
                        f"budget {_fmt(budget)} − pledges {_fmt(pledged)} = {_fmt(computed)}, "
                        f"but the shortfall is printed as {_fmt(stated)} "
                        f"(difference {_fmt(computed - stated)})",
                        raw=shortfall_text,
                        field=f.label,
                        where=f.where,
                    )
                )

    focal_points: list = []
    for key in ("hq", "field"):
        for f in fields.get(key, []):
            focal_points.extend(read_focal_points(f.text, key))

    duration = duration_of(title) or (first["duration"].text if "duration" in first else "")
    content = [f.block for f in extras] + content  # nothing printed is dropped
    description_text = " ".join(b.text for b in content)
    return ParsedProject(
        title=title,
        section=section,
        code=unodc_code(title),
        country_label=country_label,
        region_label=first["region"].text if "region" in first else "",
        countries=countries,
        coverage_note=coverage,
        theme=theme_of(title, description_text),
        budget=budget,
        budget_text=budget_text,
        budget_note=budget_note,
        phases=phases,
        pledges=pledges,
        pledges_text=pledges_text,
        stated_shortfall=stated,
        shortfall_text=shortfall_text,
        duration=duration,
        description=description_html(content, notes),
        focal_points=tuple(focal_points),
        extra_fields=tuple((f.label, f.text) for f in extras),
        issues=tuple(issues),
        where=where,
    )


# ------------------------------------------------------------------ description HTML


@dataclass
class _Item:
    depth: int
    tag: str
    html: str
    number: int | None = None


def description_html(content: list[Block], notes: list[Block]) -> str:
    """Safe HTML: <p>, <ul>/<ol> (nested) with <li>, <strong>, <em>; footnotes last."""
    parts: list[str] = []
    items: list[_Item] = []

    def flush() -> None:
        if items:
            parts.append(_list_html(_normalise_depths(items)))
            items.clear()

    for b in content:
        if b.kind == "item":
            items.append(_Item(b.depth, "ul", runs_html(b.runs)))
            continue
        m = _NUMBERED_RE.match(b.text) if b.kind == "para" else None
        if m:
            offset = len("".join(r.text for r in b.runs)) - len(
                "".join(r.text for r in b.runs).lstrip()
            )
            runs = strip_runs(cut_runs(b.runs, offset + m.end()))
            items.append(_Item(0, "ol", runs_html(runs), int(m.group(1))))
            continue
        flush()
        if b.kind == "field":
            label = html.escape(b.label, quote=False)
            parts.append(f"<p><strong>{label}:</strong> {runs_html(b.runs)}</p>")
        else:
            parts.append(f"<p>{runs_html(b.runs)}</p>")
    flush()
    for b in notes:
        parts.append(f'<p class="footnote">{runs_html(b.runs)}</p>')
    return "\n".join(parts)


def _normalise_depths(items: list[_Item]) -> list[_Item]:
    out, prev = [], -1
    for it in items:
        depth = max(0, min(it.depth, prev + 1))
        out.append(_Item(depth, it.tag, it.html, it.number))
        prev = depth
    return out


def _list_html(items: list[_Item]) -> str:
    base = items[0].depth
    out: list[str] = []
    open_tag = None
    k = 0
    while k < len(items):
        it = items[k]
        m = k + 1
        while m < len(items) and items[m].depth > base:
            m += 1
        if open_tag != it.tag:
            if open_tag:
                out.append(f"</{open_tag}>")
            start = f' start="{it.number}"' if it.tag == "ol" and it.number not in (None, 1) else ""
            out.append(f"<{it.tag}{start}>")
            open_tag = it.tag
        children = _list_html(items[k + 1 : m]) if m > k + 1 else ""
        out.append(f"<li>{it.html}{children}</li>")
        k = m
    out.append(f"</{open_tag}>")
    return "".join(out)
