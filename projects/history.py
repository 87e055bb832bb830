"""A project's state compared on normalised values, and the revisions that record its changes.

A staff edit counts only when a value really changed: descriptions are compared as sanitised
HTML, text with its line endings and surrounding spaces normalised, amounts as decimals, related
rows (countries, pledges, phases, focal points) as what they say. Each real change to a figure
or to the project's identity is kept as a ProjectRevision: who (a staff user or the ingest of a
document), when, old → new.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.text import Truncator

from projects.markup import clean_description
from projects.models import Project, ProjectFocalPoint, ProjectRevision
from projects.templatetags.figures import money

FIELD_LABELS = {
    "title": "Title",
    "code": "UNODC code",
    "section": "Section",
    "subregion": "Subregion",
    "parent": "Programme",
    "region_label": "Region (as printed)",
    "country_label": "Countries (as printed)",
    "countries": "Countries",
    "coverage_note": "Coverage note",
    "themes": "Themes",
    "duration": "Duration",
    "budget": "Budget",
    "budget_text": "Budget (as printed)",
    "budget_note": "Budget note",
    "phases": "Budget phases",
    "pledges": "Pledges",
    "pledges_text": "Pledges (as printed)",
    "stated_shortfall": "Stated shortfall",
    "shortfall_text": "Shortfall (as printed)",
    "description": "Description",
    "focal_roles": "Focal points",
    "source_page": "Page",
    "published": "Published",
}
# The fields whose every change is kept in the project's history.
HISTORY_FIELDS = (
    "title",
    "budget",
    "phases",
    "pledges",
    "stated_shortfall",
    "countries",
    "focal_roles",
)
# The figures a donor reads; each is either as published or a UNODC update.
FIGURE_FIELDS = ("budget", "phases", "pledges", "stated_shortfall")
MONEY_FIELDS = {"budget", "stated_shortfall"}
RELATED_FIELDS = {"countries", "themes", "pledges", "phases", "focal_roles"}
ROLE_LABELS = dict(ProjectFocalPoint.Role.choices)


def plain(value: str | None) -> str:
    """Text as people read it: the same whatever line endings or outer spaces a form sent."""
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def amount(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value).normalize()


def project_state(project: Project) -> dict[str, Any]:
    """Every field an ingest writes, normalised, including the related rows."""
    state: dict[str, Any] = {}
    for name in FIELD_LABELS:
        if name in RELATED_FIELDS:
            continue
        value = getattr(project, name)
        if name in MONEY_FIELDS:
            state[name] = amount(value)
        elif name == "description":
            state[name] = plain(clean_description(value))
        elif name in {"section", "subregion"}:
            state[name] = value.name if value else ""
        elif name == "parent":
            state[name] = value.title if value else ""
        elif isinstance(value, str):
            state[name] = plain(value)
        else:
            state[name] = value
    if project.pk is None:
        return state | {name: () for name in RELATED_FIELDS}
    state["countries"] = tuple(sorted(project.countries.values_list("name", flat=True)))
    state["themes"] = tuple(sorted(project.themes.values_list("name", flat=True)))
    state["pledges"] = tuple(
        (donor or "", amount(value), plain(note))
        for donor, value, note in project.pledges.order_by("order", "pk").values_list(
            "donor__name", "amount", "note"
        )
    )
    state["phases"] = tuple(
        (plain(label), plain(period), amount(value))
        for label, period, value in project.phases.order_by("order", "pk").values_list(
            "label", "period", "amount"
        )
    )
    state["focal_roles"] = tuple(
        sorted(project.focal_roles.values_list("focal_point__name", "role"))
    )
    return state


def display(field: str, value: Any) -> str:
    """A state value as the portal shows it: "US$ 2,000,000", "Germany US$ 500,000; …"."""
    if field in MONEY_FIELDS:
        return money(value)
    if field == "pledges":
        return (
            "; ".join(
                f"{donor or 'Donor not named'} {money(value)}" + (f" ({note})" if note else "")
                for donor, value, note in value
            )
            or "none"
        )
    if field == "phases":
        return (
            "; ".join(
                " ".join(part for part in (label, period) if part) + f": {money(value)}"
                for label, period, value in value
            )
            or "none"
        )
    if field in {"countries", "themes"}:
        return ", ".join(value) or "none"
    if field == "focal_roles":
        return "; ".join(f"{name} ({ROLE_LABELS.get(role, role)})" for name, role in value) or (
            "none"
        )
    if field == "description":
        return Truncator(strip_tags(value)).chars(160) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "—" if value in (None, "") else str(value)


def differing(before: dict[str, Any], after: dict[str, Any], fields=None) -> list[str]:
    """The fields whose normalised values differ, in the order people read them."""
    return [name for name in (fields or FIELD_LABELS) if before.get(name) != after.get(name)]


def changes(before: dict[str, Any] | None, after: dict[str, Any], fields=None) -> list[dict]:
    """Each differing field as {"field", "label", "old", "new"}; `old` is None for a new row.

    Rows (pledges, phases, countries, focal points) also get a "summary" of what was added
    and removed, which reads better than two long lists.
    """
    base = before or {}
    found = []
    for name in differing(base, after, fields):
        if before is None and after.get(name) in (None, "", ()):
            continue
        change = {
            "field": name,
            "label": FIELD_LABELS[name],
            "old": None if before is None else display(name, base.get(name)),
            "new": display(name, after.get(name)),
        }
        if before is not None and name in RELATED_FIELDS:
            change["summary"] = rows_summary(name, base.get(name) or (), after.get(name) or ())
        if before is not None and name == "description":
            change["old"], change["new"] = where_texts_differ(base[name], after[name])
        found.append(change)
    return found


def where_texts_differ(old: str, new: str, context: int = 60, length: int = 200) -> tuple:
    """The two texts from just before their first difference, so a long text's change shows."""
    old, new = strip_tags(old), strip_tags(new)
    pairs = enumerate(zip(old, new, strict=False))
    first = next((i for i, (a, b) in pairs if a != b), min(len(old), len(new)))
    start = max(0, first - context)

    def excerpt(text: str) -> str:
        part = text[start : start + length]
        return ("…" if start else "") + part + ("…" if start + length < len(text) else "") or "—"

    return excerpt(old), excerpt(new)


def rows_summary(name: str, old: tuple, new: tuple) -> str:
    """ "added Norway US$ 500,000; removed Sweden US$ 10" """
    added, removed = Counter(new) - Counter(old), Counter(old) - Counter(new)
    parts = [
        f"{verb} {display(name, tuple(rows.elements()))}"
        for verb, rows in (("added", added), ("removed", removed))
        if rows
    ]
    return "; ".join(parts) or "reordered"


def pledged_sum(state: dict[str, Any]) -> Decimal:
    return sum((value for _, value, _ in state.get("pledges", ())), Decimal(0))


def record_revision(
    project: Project,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    *,
    user=None,
    document=None,
    page: int | None = None,
) -> ProjectRevision | None:
    """Keep the changes to the history's fields; an ingest also keeps each new edition's
    figures, changed or not, so the project's page can show every edition side by side."""
    changed = changes(before, after, HISTORY_FIELDS)
    if document is not None:
        last = project.revisions.order_by("-changed_at", "-pk").first()
        new_edition = last is None or last.document_id != document.pk
        if not changed and not new_edition:
            return None
    elif not changed:
        return None
    return ProjectRevision.objects.create(
        project=project,
        user=user,
        document=document,
        page=page,
        changes=changed,
        budget=after.get("budget"),
        pledged=pledged_sum(after),
        stated_shortfall=after.get("stated_shortfall"),
    )


def figure_sources(project: Project, revisions) -> list[dict[str, Any]]:
    """Where each figure a donor reads comes from: the document, or a UNODC update (its date).

    `revisions` are the project's revisions, oldest first (prefetched by the page).
    """
    updated_on: dict[str, Any] = {}
    for revision in revisions:
        if revision.document_id is None:
            for change in revision.changes:
                updated_on[change["field"]] = revision.changed_at
    return [
        {
            "field": name,
            "label": FIELD_LABELS[name],
            "updated_on": updated_on.get(name) if name in project.edited_fields else None,
        }
        for name in FIGURE_FIELDS
        if name != "phases" or "phases" in updated_on
    ]
