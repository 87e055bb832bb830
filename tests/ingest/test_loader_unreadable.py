"""The loader and projects a brochure names but could not read: left as the portal has them.

With the database (SQLite and PostgreSQL): such a project, with its partnership examples, is
never withdrawn, unpublished or changed by a newer edition that could not read it; it is
reported; a second run changes nothing. The command, its JSON report and the admin's preview
say so, on a damaged text rendition.
"""

import json
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ingest.loader import load_brochure
from ingest.models import DataIssue, PendingUpload
from ingest.parsers.types import UNREADABLE_PROJECT, Problem, UnreadableProject
from ingest.pipeline import ingest_files
from ingest.preview import diff_report
from projects.history import project_state
from projects.models import Project
from tests.ingest.test_brochure_unreadable import damage, programmes
from tests.ingest.test_loader import brochure

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def unread(title: str, code: str | None = None, where: str = "page 4") -> UnreadableProject:
    why = f"'{title}': its heading was found but no table of figures follows it"
    return UnreadableProject(title, "Global", Problem(UNREADABLE_PROJECT, why, where=where), code)


def portal_state() -> list:
    return [
        (p.pk, p.published, p.updated_at, project_state(p)) for p in Project.objects.order_by("pk")
    ]


def newer_without_the_programme(**changes):
    """A newer edition that names the programme but could not read it."""
    older = brochure()
    return replace(
        older,
        edition="2012-06",
        projects=older.projects[2:],  # the country project only
        **{"unreadable": (unread("Global Programme X (ABCD12)", "ABCD12"),), **changes},
    )


def test_an_unreadable_project_and_its_examples_are_kept_as_the_portal_has_them():
    load_brochure(brochure())
    programme = Project.objects.get(code="ABCD12")
    kept = [p for p in portal_state() if p[0] in {programme.pk, programme.children.get().pk}]
    issues = sorted(DataIssue.objects.values_list("pk", "code", "message"))
    result = load_brochure(newer_without_the_programme())
    assert result.withdrawn == 0
    assert [p for p in portal_state() if p[0] in {k[0] for k in kept}] == kept
    assert all(published for _, published, *_ in kept)
    assert sorted(DataIssue.objects.values_list("pk", "code", "message")) == issues
    assert result.unreadable == [
        {
            "title": "Global Programme X (ABCD12)",
            "code": "ABCD12",
            "where": "page 4",
            "message": "'Global Programme X (ABCD12)': its heading was found but no table of "
            "figures follows it",
            "in_portal": True,
        }
    ]
    assert [i.code for i in result.issues] == [UNREADABLE_PROJECT]


def test_without_the_protection_the_same_edition_would_withdraw_them():
    """The contrast: a newer edition that does not name the programme at all withdraws it."""
    load_brochure(brochure())
    result = load_brochure(newer_without_the_programme(unreadable=()))
    assert result.withdrawn == 2
    assert not Project.objects.get(code="ABCD12").published


def test_a_second_run_of_the_damaged_edition_changes_nothing():
    load_brochure(brochure())
    load_brochure(newer_without_the_programme())
    state = portal_state()
    issues = sorted(DataIssue.objects.values_list("pk", flat=True))
    result = load_brochure(newer_without_the_programme())
    assert (result.created, result.updated, result.unchanged, result.withdrawn) == (0, 0, 1, 0)
    assert portal_state() == state
    assert sorted(DataIssue.objects.values_list("pk", flat=True)) == issues


def test_a_project_found_by_its_title_and_an_example_by_its_programme():
    load_brochure(brochure())
    example = Project.objects.get(title="Example: training")
    before = portal_state()
    child = replace(
        unread("Example: training"),
        parent_title="Global Programme X (ABCD12)",
        parent_code="ABCD12",
    )
    result = load_brochure(
        replace(brochure("2012-06"), projects=brochure().projects[::2], unreadable=(child,))
    )
    assert result.withdrawn == 0
    assert Project.objects.get(pk=example.pk).published
    assert [s for s in portal_state() if s[0] == example.pk] == [
        s for s in before if s[0] == example.pk
    ]
    assert result.unreadable[0]["in_portal"] is True


def test_an_unreadable_project_new_to_the_portal_is_not_created():
    load_brochure(brochure())
    count = Project.objects.count()
    result = load_brochure(
        replace(brochure(), unreadable=(unread("A programme never loaded (ZZZZ99)", "ZZZZ99"),))
    )
    assert Project.objects.count() == count
    assert result.unreadable[0]["in_portal"] is False


# ------------------------------------------------------------ command, JSON and preview


def damaged_edition(tmp_path: Path) -> tuple[Path, str]:
    """The text rendition as a later edition, one programme without its table of figures."""
    text, damaged = damage({1: ("drop", 0)})
    text = text.replace("January 2010", "March 2011", 1)
    path = tmp_path / "brochure-2011.txt"
    path.write_text(text, encoding="utf-8")
    return path, damaged.pop()


def ingest(*paths, **options) -> str:
    out = StringIO()
    call_command("ingest", *map(str, paths), stdout=out, verbosity=0, **options)
    return out.getvalue()


def test_the_command_loads_the_rest_and_reports_the_unreadable_one(tmp_path):
    ingest(FIXTURES / "partnership-opportunities-2010.txt")
    path, title = damaged_edition(tmp_path)
    target = Project.objects.get(title=title)
    family = [target.pk, *target.children.values_list("pk", flat=True)]
    before = [s for s in portal_state() if s[0] in family]
    output = ingest(path, report_json=tmp_path / "report.json")
    assert "withdrawn 0" in output
    assert "not read: 4 project(s) whose heading was found but not their figures" in output
    assert f"unreadable_project (line {programmes()[1].where.split()[1]}): '{title}'" in output
    assert [s for s in portal_state() if s[0] in family] == before  # kept, published
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["unreadable"][0]["title"] == title
    assert report["unreadable"][0]["issue"] == "unreadable_project"
    assert len(report["projects"]) == 44
    state = portal_state()
    again = ingest(path)
    assert "created 0, updated 0, unchanged 44, withdrawn 0" in again
    assert portal_state() == state


def test_the_preview_says_the_portal_keeps_them(tmp_path, staff_client, run_tasks):
    ingest(FIXTURES / "partnership-opportunities-2010.txt")
    path, title = damaged_edition(tmp_path)
    report = diff_report(ingest_files([path], dry_run=True))
    assert report["counts"]["withdrawn"] == 0
    assert [u["title"] for u in report["unreadable"]][0] == title
    assert all(u["in_portal"] for u in report["unreadable"])
    assert "unreadable_project" in [group["code"] for group in report["issues"]]

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = staff_client.post(
        reverse("admin:ingest_upload"),
        {"document": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    run_tasks()
    page = staff_client.get(response["Location"]).content.decode()
    assert PendingUpload.objects.get().state == PendingUpload.State.PREVIEWED
    assert "Projects that could not be read (4)" in page
    assert "nothing the portal has for them is changed, unpublished or withdrawn" in page
    assert page.count("the portal keeps what it has for it.") == 4
    french = staff_client.get("/fr" + response["Location"]).content.decode()
    assert "Projets qui n’ont pas pu être lus (4)" in french
