"""The loader, with the database, on small parsed brochures built here."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import IntegrityError

from donors.models import Donor
from ingest.loader import load_brochure
from ingest.models import DataIssue, SourceDocument
from ingest.parsers.types import (
    ParsedBrochure,
    ParsedFocalPoint,
    ParsedPhase,
    ParsedPledge,
    ParsedProject,
    ParsedSection,
    ParsedSubregion,
    Problem,
)
from projects.models import FocalPoint, Project, Region

pytestmark = pytest.mark.django_db

PERSON = ParsedFocalPoint(role="hq", name="Ana Example", honorific="Ms.", email="ana@example.org")


def brochure(edition="2010-01", projects=None) -> ParsedBrochure:
    programme = ParsedProject(
        title="Global Programme X (ABCD12)",
        code="ABCD12",
        section="Global",
        countries=(),
        coverage_note="Global",
        budget=Decimal("1000"),
        pledges=(
            ParsedPledge("Norway", Decimal("100")),
            ParsedPledge("European Commission", Decimal("50.50"), note="phase I"),
            ParsedPledge(None, Decimal("25")),
        ),
        stated_shortfall=Decimal("900"),
        focal_points=(PERSON,),
        issues=(
            Problem("shortfall_mismatch", "900 stated, 824.50 computed", "US$ 900", "Shortfall"),
        ),
    )
    example = ParsedProject(
        title="Example: training",
        section="Global",
        budget=Decimal("300"),
        duration="2 years",
        parent_code="ABCD12",
    )
    country_project = ParsedProject(
        title="Support in two countries",
        section="Africa & Middle East",
        subregion="North Africa",
        page=21,
        countries=("MAR", "DZA"),
        budget=None,
        budget_text="Varies by programme",
        phases=(ParsedPhase("Phase I", "2010-2011", Decimal("1500000")),),
        focal_points=(
            PERSON,
            replace(PERSON, role="field", name="Bo Field", email="bo@example.org"),
        ),
    )
    return ParsedBrochure(
        title="Partnership Opportunities",
        edition=edition,
        sections=(
            ParsedSection("Global", 0, 3),
            ParsedSection("Africa & Middle East", 1, 11, (ParsedSubregion("North Africa", 0),)),
        ),
        projects=tuple(projects) if projects is not None else (programme, example, country_project),
    )


def test_first_load_creates_everything():
    result = load_brochure(brochure(), file_name="b.txt", file_hash="abc")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    programme = Project.objects.with_totals().get(code="ABCD12")
    assert programme.pledged == Decimal("175.50")
    assert programme.computed_shortfall == Decimal("824.50")
    assert programme.stated_shortfall == Decimal("900")
    assert [p.donor.name if p.donor else None for p in programme.pledges.all()] == [
        "Norway",
        "European Commission",
        None,
    ]
    assert Donor.objects.get(name="Norway").kind == Donor.Kind.GOVERNMENT
    assert Donor.objects.get(name="Norway").country_id == "NOR"
    assert Donor.objects.get(name="European Commission").kind == Donor.Kind.INTERGOVERNMENTAL
    assert programme.children.get().title == "Example: training"
    other = Project.objects.get(title="Support in two countries")
    assert other.subregion.name == "North Africa"
    assert other.subregion.parent == other.section
    assert set(other.countries.values_list("iso3", flat=True)) == {"MAR", "DZA"}
    assert other.phases.get().amount == Decimal("1500000")
    assert FocalPoint.objects.count() == 2  # Ana is one person on two projects
    assert DataIssue.objects.get().project == programme
    assert SourceDocument.objects.get().edition_date.isoformat() == "2010-01-01"


def test_second_run_changes_nothing():
    load_brochure(brochure(), file_hash="abc")
    before = list(Project.objects.values_list("pk", "updated_at"))
    issues = list(DataIssue.objects.values_list("pk", flat=True))
    result = load_brochure(brochure(), file_hash="abc")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Project.objects.values_list("pk", "updated_at")) == before
    assert list(DataIssue.objects.values_list("pk", flat=True)) == issues
    assert Region.objects.count() == 3


def test_changed_figures_update_only_what_changed():
    load_brochure(brochure())
    parsed = brochure()
    changed = replace(
        parsed.projects[0], budget=Decimal("2000"), pledges=(ParsedPledge("Sweden", Decimal("10")),)
    )
    result = load_brochure(replace(parsed, projects=(changed, *parsed.projects[1:])))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    programme = Project.objects.with_totals().get(code="ABCD12")
    assert programme.budget == Decimal("2000")
    assert programme.pledged == Decimal("10")


def test_staff_edits_are_kept_unless_overwritten():
    load_brochure(brochure())
    Project.objects.filter(code="ABCD12").update(title="Staff title", edited_fields=["title"])
    result = load_brochure(brochure())
    assert Project.objects.get(code="ABCD12").title == "Staff title"
    assert result.kept_edits == ["global-programme-x-abcd12: title"]
    load_brochure(brochure(), overwrite_edits=True)
    project = Project.objects.get(code="ABCD12")
    assert project.title == "Global Programme X (ABCD12)"
    assert project.edited_fields == []


def test_a_newer_edition_withdraws_projects_it_no_longer_lists():
    load_brochure(brochure())
    older = brochure()
    newer = brochure("2012-06", projects=older.projects[:2])
    result = load_brochure(newer)
    assert result.withdrawn == 1
    assert not Project.objects.get(title="Support in two countries").published
    assert Project.objects.get(code="ABCD12").source_document.edition == "2012-06"


def test_a_failure_mid_load_leaves_the_database_as_it_was():
    load_brochure(brochure())
    snapshot = list(Project.objects.values_list("pk", "title", "budget"))
    parsed = brochure()
    renamed = replace(parsed.projects[0], title="New title", budget=Decimal("5"))
    # A negative pledge breaks a database constraint after the first project was written.
    broken = replace(parsed.projects[2], pledges=(ParsedPledge("Norway", Decimal("-5")),))
    with pytest.raises(IntegrityError):
        load_brochure(replace(parsed, projects=(renamed, broken)))
    assert list(Project.objects.values_list("pk", "title", "budget")) == snapshot


def test_pledges_staff_edited_in_the_admin_are_kept():
    load_brochure(brochure())
    programme = Project.objects.get(code="ABCD12")
    norway = programme.pledges.get(donor__name="Norway")
    norway.amount = Decimal("999")
    norway.save()
    Project.objects.filter(pk=programme.pk).update(edited_fields=["pledges"])
    result = load_brochure(brochure())
    assert programme.pledges.get(donor__name="Norway").amount == Decimal("999")
    assert result.unchanged == 3
    load_brochure(brochure(), overwrite_edits=True)
    assert programme.pledges.get(donor__name="Norway").amount == Decimal("100")


def test_a_withdrawn_project_listed_again_is_published_again():
    load_brochure(brochure())
    load_brochure(brochure("2012-06", projects=brochure().projects[:2]))
    assert not Project.objects.get(title="Support in two countries").published
    load_brochure(brochure("2014-01"))
    assert Project.objects.get(title="Support in two countries").published


def test_an_older_edition_does_not_overwrite_a_newer_one():
    newer = brochure("2012-06")
    changed = replace(newer.projects[0], budget=Decimal("5000"))
    load_brochure(replace(newer, projects=(changed, *newer.projects[1:])))
    result = load_brochure(brochure("2010-01"))
    programme = Project.objects.get(code="ABCD12")
    assert programme.budget == Decimal("5000")
    assert programme.source_document.edition == "2012-06"
    assert "global-programme-x-abcd12" in result.superseded


def test_a_newer_edition_replaces_the_data_issues_of_the_older_one():
    load_brochure(brochure())
    assert Project.objects.get(code="ABCD12").issues.count() == 1
    newer = brochure("2012-06")
    fixed = replace(newer.projects[0], issues=())
    load_brochure(replace(newer, projects=(fixed, *newer.projects[1:])))
    assert Project.objects.get(code="ABCD12").issues.count() == 0


def test_a_pledge_keeps_the_donor_as_printed_beside_the_un_name():
    korea = ParsedPledge("Republic of Korea", Decimal("21050"), donor_as_printed="South Korea")
    programme = replace(brochure().projects[0], pledges=(korea,))
    load_brochure(brochure(projects=[programme]), file_hash="abc")
    pledge = Project.objects.get(code="ABCD12").pledges.get()
    assert pledge.donor.name == "Republic of Korea"
    assert pledge.donor.country_id == "KOR"
    assert pledge.donor_as_printed == "South Korea"
