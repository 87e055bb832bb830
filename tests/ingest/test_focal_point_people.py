"""One person per focal point: the ingest matches a person by e-mail, and a name printed
without its e-mail onto the one person of that name who has one, whichever comes first."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.loader import load_brochure
from ingest.parsers.types import ParsedBrochure, ParsedFocalPoint, ParsedProject, ParsedSection
from projects.models import FocalPoint, Project, ProjectFocalPoint
from projects.people import merge_duplicate_people
from tests import factories

pytestmark = pytest.mark.django_db

WITH_EMAIL = ParsedFocalPoint(
    role="hq", name="Ana Example", honorific="Ms.", phone="+43 1", email="ana.example@unodc.org"
)
WITHOUT_EMAIL = replace(WITH_EMAIL, email=None, phone="")


def brochure(*people_per_project: tuple[ParsedFocalPoint, ...]) -> ParsedBrochure:
    projects = tuple(
        ParsedProject(
            title=f"Project {n}",
            code=f"ABCD{n:02d}",
            section="Global",
            budget=Decimal("1000"),
            focal_points=people,
        )
        for n, people in enumerate(people_per_project, start=1)
    )
    return ParsedBrochure(
        title="Partnership Opportunities",
        edition="2010-01",
        sections=(ParsedSection("Global", 0, 3),),
        projects=projects,
    )


def people() -> list[tuple[str, str, int]]:
    return [
        (p.name, p.email, p.roles.count()) for p in FocalPoint.objects.order_by("name", "email")
    ]


@pytest.mark.parametrize(
    "printed",
    [
        ((WITH_EMAIL,), (WITHOUT_EMAIL,)),
        ((WITHOUT_EMAIL,), (WITH_EMAIL,)),
        ((WITHOUT_EMAIL,), (WITH_EMAIL,), (WITHOUT_EMAIL,)),
        ((WITH_EMAIL,), (replace(WITH_EMAIL, email="ANA.Example@unodc.org"),)),
        ((replace(WITHOUT_EMAIL, name="Ana  example"),), (WITH_EMAIL,)),
    ],
    ids=["email-first", "email-second", "between", "email-case", "name-spacing-and-case"],
)
def test_a_person_printed_with_and_without_email_is_one_person(printed):
    load_brochure(brochure(*printed), file_hash="a")
    person = FocalPoint.objects.get()
    assert person.email.casefold() == "ana.example@unodc.org"
    assert person.phone == "+43 1"  # the fullest details seen are kept
    assert person.roles.count() == len(printed)


def test_a_second_run_changes_nothing():
    parsed = brochure(
        (WITHOUT_EMAIL,), (WITH_EMAIL,), (WITHOUT_EMAIL, replace(WITH_EMAIL, role="field"))
    )
    load_brochure(parsed, file_hash="a")
    before = people(), list(ProjectFocalPoint.objects.values_list("pk", "focal_point", "role"))
    updated = list(Project.objects.values_list("pk", "updated_at"))
    result = load_brochure(parsed, file_hash="a")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    after = people(), list(ProjectFocalPoint.objects.values_list("pk", "focal_point", "role"))
    assert after == before
    assert list(Project.objects.values_list("pk", "updated_at")) == updated
    assert before[0] == [("Ana Example", "ana.example@unodc.org", 4)]


def test_two_people_of_one_name_with_different_emails_stay_two():
    other = replace(WITH_EMAIL, email="ana.example2@unodc.org")
    load_brochure(brochure((WITH_EMAIL,), (other,), (WITHOUT_EMAIL,)), file_hash="a")
    # Printed without an e-mail, the name could be either of them: a third, separate entry.
    assert [email for _, email, _ in people()] == [
        "",
        "ana.example2@unodc.org",
        "ana.example@unodc.org",
    ]


def test_merging_folds_recorded_duplicates_and_keeps_their_projects():
    first, second, third = (factories.project(f"P{n}") for n in range(3))
    kept = factories.focal_point(first, name="Martin Example", email="martin@unodc.org")
    factories.focal_point(second, name="Martin Example", email="", phone="+1 2", unit="HQ")
    # The same project and role under both records: one role remains.
    factories.focal_point(first, name="Martin  example", email="")
    factories.focal_point(third, name="Other Person", email="")
    factories.focal_point(third, role="field", name="Other Person", email="")
    assert merge_duplicate_people(FocalPoint, ProjectFocalPoint) == 3
    martin = FocalPoint.objects.get(name="Martin Example")
    assert martin.pk == kept.focal_point_id
    assert (martin.email, martin.phone, martin.unit) == ("martin@unodc.org", "+1 2", "HQ")
    assert sorted(martin.roles.values_list("project__title", "role")) == [
        ("P0", "hq"),
        ("P1", "hq"),
    ]
    other = FocalPoint.objects.get(name="Other Person")
    assert sorted(other.roles.values_list("role", flat=True)) == ["field", "hq"]
    assert merge_duplicate_people(FocalPoint, ProjectFocalPoint) == 0  # a second run: nothing


def test_merging_keeps_the_person_with_the_email_and_the_other_details():
    project = factories.project("P")
    factories.focal_point(project, name="Bo Example", email="", position="Officer")
    emailed = factories.focal_point(project, "field", name="Bo Example", email="bo@unodc.org")
    merge_duplicate_people(FocalPoint, ProjectFocalPoint)
    person = FocalPoint.objects.get()
    assert person.pk == emailed.focal_point_id
    assert (person.email, person.position) == ("bo@unodc.org", "Officer")
    assert person.roles.count() == 2


@settings(max_examples=25, deadline=None)
@given(
    order=st.permutations(["with", "without", "without-other-case", "with-upper"]),
)
def test_any_printing_order_gives_one_person(order):
    variants = {
        "with": WITH_EMAIL,
        "without": WITHOUT_EMAIL,
        "without-other-case": replace(WITHOUT_EMAIL, name="ANA EXAMPLE"),
        "with-upper": replace(WITH_EMAIL, email="Ana.Example@UNODC.org"),
    }
    FocalPoint.objects.all().delete()
    Project.objects.all().delete()
    parsed = brochure(*((variants[name],) for name in order))
    load_brochure(parsed, file_hash="a")
    assert FocalPoint.objects.count() == 1
    assert FocalPoint.objects.get().roles.count() == 4
    result = load_brochure(parsed, file_hash="a")
    assert result.unchanged == 4 and FocalPoint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_folds_people_recorded_twice():
    """Migrating to projects 0009 on a database an earlier ingest filled with duplicates."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("projects", "0008_programme_shortfall_index")],
        [("projects", "0009_merge_duplicate_focal_points")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Region = apps.get_model("projects", "Region")
    OldProject = apps.get_model("projects", "Project")
    OldFocalPoint = apps.get_model("projects", "FocalPoint")
    OldRole = apps.get_model("projects", "ProjectFocalPoint")
    section = Region.objects.create(name="Global", slug="global-m", kind="section")
    one, two = (
        OldProject.objects.create(title=f"P{n}", slug=f"p-m-{n}", section=section) for n in (1, 2)
    )
    emailed = OldFocalPoint.objects.create(name="Martin Example", email="m@unodc.org")
    bare = OldFocalPoint.objects.create(name="Martin Example", email="", phone="+1")
    OldRole.objects.create(project=one, focal_point=emailed, role="hq")
    OldRole.objects.create(project=two, focal_point=bare, role="field")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    person = FocalPoint.objects.get(name="Martin Example")
    assert (person.pk, person.email, person.phone) == (emailed.pk, "m@unodc.org", "+1")
    assert sorted(person.roles.values_list("project__title", "role")) == [
        ("P1", "hq"),
        ("P2", "field"),
    ]
