"""On PostgreSQL each project carries its donors, focal points, countries and themes as arrays
(projects/migrations/0012_project_link_arrays.py), which the list's facet counts unnest. The
link tables' triggers keep them right whoever writes the links: pledges saved one by one or in
bulk (the ingest), moved or deleted, the admin's change form, many-to-many changes from either
side, a focal point deleted with their roles. Each test compares the arrays with what the link
tables hold, read through the ORM."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from projects.facet_counts import ARRAYS
from projects.models import Country, FocalPoint, Pledge, Project, ProjectFocalPoint
from tests import factories
from tests.projects.test_staff_updates import add_pledge, change_url, form_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the arrays are PostgreSQL's (SQLite's facet counts join the link tables)",
    ),
]


def stored(project: Project) -> dict[str, list]:
    columns = ", ".join(ARRAYS.values())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM projects_project WHERE id = %s", [project.pk])
        row = cursor.fetchone()
    return dict(zip(ARRAYS.values(), row, strict=True))


def linked(project: Project) -> dict[str, list]:
    """What the link tables say, as the arrays should hold it: distinct values in order."""
    pledges = Pledge.objects.filter(project=project, donor__isnull=False)
    roles = ProjectFocalPoint.objects.filter(project=project)
    return {
        "country_ids": sorted(set(project.countries.values_list("iso3", flat=True))),
        "theme_ids": sorted(set(project.themes.values_list("slug", flat=True))),
        "donor_ids": sorted(set(pledges.values_list("donor_id", flat=True))),
        "focal_point_ids": sorted(set(roles.values_list("focal_point_id", flat=True))),
    }


def stale() -> list[int]:
    """The projects whose arrays disagree with their links."""
    return [p.pk for p in Project.objects.all() if stored(p) != linked(p)]


def test_pledges_saved_moved_and_deleted_keep_the_donors():
    project, other = factories.project(title="A"), factories.project(title="B")
    norway, sweden = factories.donor("Norway"), factories.donor("Sweden")
    first = Pledge.objects.create(project=project, donor=norway, amount=Decimal("10"))
    Pledge.objects.create(project=project, donor=norway, amount=Decimal("5"), order=1)
    Pledge.objects.create(project=project, donor=None, amount=Decimal("1"), order=2)
    assert stored(project)["donor_ids"] == [norway.pk]  # once, however many pledges
    first.donor = sweden
    first.save()
    assert stored(project)["donor_ids"] == sorted([norway.pk, sweden.pk])
    first.project = other  # moved: both projects change
    first.save()
    assert stored(project)["donor_ids"] == [norway.pk]
    assert stored(other)["donor_ids"] == [sweden.pk]
    Pledge.objects.filter(project=project).delete()
    assert stored(project)["donor_ids"] == []
    assert stale() == []


def test_bulk_writes_keep_the_arrays():
    project = factories.project(title="A")
    donors = [factories.donor(f"Donor {i}") for i in range(3)]
    Pledge.objects.bulk_create(
        Pledge(project=project, donor=donor, amount=Decimal("1"), order=i)
        for i, donor in enumerate(donors)
    )
    assert stored(project)["donor_ids"] == sorted(d.pk for d in donors)
    Pledge.objects.filter(donor=donors[0]).update(donor=donors[1])
    assert stored(project)["donor_ids"] == sorted(d.pk for d in donors[1:])
    factories.portfolio(30)
    assert stale() == []


def test_countries_and_themes_from_either_side():
    project = factories.project(title="A", countries=("KEN",))
    assert stored(project)["country_ids"] == ["KEN"]
    project.countries.add("UGA", "ETH")
    assert stored(project)["country_ids"] == ["ETH", "KEN", "UGA"]
    project.countries.remove("KEN")
    Country.objects.get(iso3="TZA").projects.add(project)  # the reverse side
    assert stored(project)["country_ids"] == ["ETH", "TZA", "UGA"]
    project.themes.set(factories.themes("trafficking", "smuggling"))
    assert stored(project)["theme_ids"] == ["smuggling", "trafficking"]
    project.countries.clear()
    project.themes.remove("smuggling")
    assert stored(project)["country_ids"] == [] and stored(project)["theme_ids"] == ["trafficking"]
    assert stale() == []


def test_focal_points_in_two_roles_once_and_gone_with_the_person():
    project = factories.project(title="A")
    role = factories.focal_point(project, "hq", name="Ana Example", email="ana@unodc.example")
    ProjectFocalPoint.objects.create(project=project, focal_point=role.focal_point, role="field")
    assert stored(project)["focal_point_ids"] == [role.focal_point_id]
    other = factories.focal_point(project, "field", name="Bo Field", email="bo@unodc.example")
    assert stored(project)["focal_point_ids"] == sorted([role.focal_point_id, other.focal_point_id])
    FocalPoint.objects.filter(pk=role.focal_point_id).delete()  # their roles go with them
    assert stored(project)["focal_point_ids"] == [other.focal_point_id]
    assert stale() == []


def test_the_admins_change_form_keeps_the_arrays(staff_client):
    project = factories.project(title="Border training", budget="1000", countries=("KEN",))
    factories.focal_point(project, "hq", name="Ana Example", email="ana@unodc.example")
    norway = factories.donor("Norway")
    data = add_pledge(form_data(staff_client.get(change_url(project))), norway, "100")
    data |= {"countries": ["KEN", "UGA"]}
    response = staff_client.post(change_url(project), data)
    assert response.status_code == 302, response.content[:2000]
    assert stored(project)["donor_ids"] == [norway.pk]
    assert stored(project)["country_ids"] == ["KEN", "UGA"]
    assert stale() == []
    # Deleting the pledge in the admin takes the donor off.
    data = form_data(staff_client.get(change_url(project)))
    data["pledges-0-DELETE"] = "on"
    staff_client.post(change_url(project), data)
    assert not Pledge.objects.filter(project=project).exists()
    assert stored(project)["donor_ids"] == []


def test_the_ingest_keeps_the_arrays():
    from dataclasses import replace

    from ingest.loader import load_brochure
    from tests.ingest.test_loader import brochure

    load_brochure(brochure())
    assert Project.objects.filter(pledges__donor__isnull=False).exists()
    assert stale() == []
    parsed = brochure()
    programme = parsed.projects[0]
    fewer = replace(programme, pledges=programme.pledges[:1])  # one donor left
    load_brochure(replace(parsed, projects=(fewer, *parsed.projects[1:])), overwrite_edits=True)
    assert stale() == []


def test_a_bulk_writer_may_defer_the_arrays_and_refresh_them_once():
    project = factories.project(title="A")
    norway = factories.donor("Norway")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL projects.defer_links = on")
        Pledge.objects.create(project=project, donor=norway, amount=Decimal("1"))
        assert stored(project)["donor_ids"] == []  # deferred
        cursor.execute("SET LOCAL projects.defer_links = off")
        cursor.execute("SELECT projects_refresh_links(NULL)")
        assert cursor.fetchone()[0] == 1  # only the row that changed is written
        cursor.execute("SELECT projects_refresh_links(NULL)")
        assert cursor.fetchone()[0] == 0
    assert stored(project)["donor_ids"] == [norway.pk]
