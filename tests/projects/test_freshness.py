"""Every page with figures says where they were published and when UNODC last updated them."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.freshness import freshness
from projects.models import Project, ProjectRevision
from tests import factories

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", response.content.decode())).split())


@pytest.fixture
def published():
    brochure = factories.source_document(edition_date=datetime.date(2010, 1, 1))
    africa = factories.section("Africa", 1)
    kenya = factories.project(
        "Kenya work", section=africa, countries=("KEN",), source_document=brochure
    )
    other = factories.project("Other work", section=africa, source_document=brochure)
    return {"kenya": kenya, "other": other, "africa": africa}


def staff_update(project: Project, when: datetime.datetime, fields=("budget",)) -> None:
    project.edited_fields = list(fields)
    project.save(update_fields=["edited_fields"])
    ProjectRevision.objects.create(project=project, changed_at=when, changes=[])


def page_urls(published) -> list[str]:
    return [
        reverse("project_list"),
        published["africa"].get_absolute_url(),
        "/countries/KEN/",
    ]


def test_pages_name_the_document_and_its_edition(client, published):
    for url in page_urls(published):
        page = text(client.get(url))
        assert "Figures as published in Partnership Opportunities (January 2010)." in page, url
        assert "Updated by UNODC" not in page, url


def test_a_staff_update_of_figures_is_dated_in_the_pages_language(client, published):
    when = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=datetime.UTC)
    staff_update(published["kenya"], when)
    expected = "Updated by UNODC on 29 November 2026 (the figures of 1 project)."
    for url in [*page_urls(published), reverse("overview")]:
        assert expected in text(client.get(url)), url
    french = text(client.get("/fr" + reverse("project_list")))
    assert "Mis à jour par l’ONUDC le 29 novembre 2026" in french
    assert "Chiffres tels que publiés dans Partnership Opportunities (janvier 2010)" in french
    spanish = text(client.get("/es/countries/KEN/"))
    assert "Actualizado por la UNODC el 29 de noviembre de 2026" in spanish


def test_the_shortlist_says_it_too(client, published):
    staff_update(published["other"], timezone.now() - datetime.timedelta(days=3))
    client.post(reverse("shortlist_change"), {"add": published["other"].pk})
    page = text(client.get(reverse("shortlist")))
    assert "Figures as published in Partnership Opportunities (January 2010)." in page
    assert "Updated by UNODC on" in page


def test_only_figures_count_and_the_latest_update_is_given(published):
    early = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    late = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
    staff_update(published["kenya"], early)
    staff_update(published["other"], late, fields=("title",))  # not a figure
    found = freshness(Project.objects.all())
    assert (found.updated_on, found.updated_count) == (datetime.date(2026, 3, 1), 1)
    staff_update(published["other"], late, fields=("pledges",))
    found = freshness([published["kenya"].pk, published["other"].pk])
    assert (found.updated_on, found.updated_count) == (datetime.date(2026, 11, 29), 2)
    # An ingest's revision (it has a document) is not a UNODC update.
    ProjectRevision.objects.filter(project=published["other"]).update(
        document=published["other"].source_document
    )
    assert freshness([published["other"].pk]).updated_on is None
    assert not freshness([])


def test_the_donor_pages_say_it_for_the_projects_they_count(client, published):
    sweden = factories.donor("Sweden")
    brochure = published["kenya"].source_document
    factories.project("Funded work", pledges=((sweden, "500"),), source_document=brochure)
    staff_update(published["other"], timezone.now())  # not pledged to: not counted
    for url in (reverse("donor_list"), sweden.get_absolute_url()):
        page = text(client.get(url))
        assert "Figures as published in Partnership Opportunities (January 2010)." in page, url
        assert "Updated by UNODC" not in page, url


def test_the_list_reads_its_freshness_with_its_rows_as_the_query_gives_it(published):
    from projects.freshness import freshness_of_projects, latest_staff_update

    report = factories.source_document(kind="report", edition="2016-01")
    third = factories.project("Third work", section=published["africa"], source_document=report)
    unsourced = factories.project("No document", section=published["africa"])
    early = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    late = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
    staff_update(published["kenya"], early)
    staff_update(published["kenya"], late, fields=("budget",))
    staff_update(published["other"], early, fields=("pledges",))
    staff_update(third, late, fields=("title",))  # not a figure
    staff_update(unsourced, early)
    ids = [published["kenya"].pk, published["other"].pk, third.pk, unsourced.pk]
    for chosen in (ids, ids[:1], ids[1:3], ids[3:]):
        rows = (
            Project.objects.filter(pk__in=chosen)
            .select_related("source_document")
            .annotate(staff_update=latest_staff_update())
        )
        assert freshness_of_projects(rows) == freshness(chosen)
    # Rows sharing their edited fields and document count once, as freshness()'s query
    # groups them.
    staff_update(published["other"], late, fields=("budget",))
    rows = Project.objects.filter(pk__in=ids).select_related("source_document")
    found = freshness_of_projects(rows.annotate(staff_update=latest_staff_update()))
    assert found == freshness(ids)
    assert found.updated_on == datetime.date(2026, 11, 29)


def test_the_count_of_updated_projects_counts_projects_alike_in_fields_and_document(published):
    """Two projects of one document whose same figures staff changed are two projects."""
    when = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
    for project in (published["kenya"], published["other"]):
        staff_update(project, when, fields=("pledges",))
    assert freshness(Project.objects.all()).updated_count == 2
