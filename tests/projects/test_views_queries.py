"""Every page runs a fixed number of queries, however many projects there are."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from donors.models import Donor
from projects.models import (
    Country,
    FocalPoint,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
)
from tests import factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


@pytest.fixture
def portfolio():
    projects = factories.portfolio(200)
    assert Project.objects.filter(parent__isnull=True).count() == 200
    return projects


def busiest(model, relation: str):
    from django.db.models import Count

    return model.objects.annotate(n=Count(relation)).order_by("-n").first()


def page_urls() -> dict[str, str]:
    programme = Project.objects.filter(parent__isnull=True).order_by("pk").first()
    country = busiest(Project.countries.field.related_model, "projects")
    return {
        "overview": reverse("overview"),
        "list": reverse("project_list"),
        "list filtered": "(made by every_filter_with_a_full_page)",
        "list page 5": reverse("project_list") + "?page=5",
        "list with rows": reverse("project_list")
        + f"?section={programme.section.slug}&status=partly&sort=title",
        "project": programme.get_absolute_url(),
        "section": programme.section.get_absolute_url(),
        "subregion": programme.subregion.get_absolute_url(),
        "country": country.get_absolute_url(),
        "donor": busiest(Donor, "pledges").get_absolute_url(),
        "donors": reverse("donor_list"),
        "focal points": reverse("focal_point_list"),
    }


@pytest.mark.parametrize(
    "page",
    [
        "overview",
        "list",
        "list filtered",
        "list page 5",
        "list with rows",
        "project",
        "section",
        "subregion",
        "country",
        "donor",
        "donors",
        "focal points",
    ],
)
def test_page_queries_stay_bounded_with_200_projects(
    client, portfolio, django_assert_max_num_queries, page
):
    url = every_filter_with_a_full_page() if page == "list filtered" else page_urls()[page]
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    if page == "list filtered":
        assert response.context["page"].paginator.count == EVERY_FILTER_MATCHES
    if page.startswith("list"):
        # A full page of rows, so a query per row would have shown in the count.
        assert len(response.context["page"].object_list) == 20


EVERY_FILTER_MATCHES = 25


def every_filter_with_a_full_page() -> str:
    """The list with every filter active that still selects more than a page: 25 programmes of
    one section without data issues get one more country, donor, focal point and one theme."""
    section = Region.objects.get(slug="portfolio-section-1")
    chosen = list(
        Project.objects.filter(parent__isnull=True, section=section, issues__isnull=True).order_by(
            "pk"
        )[:EVERY_FILTER_MATCHES]
    )
    assert len(chosen) == EVERY_FILTER_MATCHES
    ids = [p.pk for p in chosen]
    country = Country.objects.get(iso3="KEN")
    donor = factories.donor("Every filter donor")
    person = FocalPoint.objects.create(name="Every filter person")
    theme = factories.themes("trafficking")[0]
    Project.themes.through.objects.bulk_create(
        [Project.themes.through(project=p, theme=theme) for p in chosen], ignore_conflicts=True
    )
    Project.countries.through.objects.bulk_create(
        [Project.countries.through(project=p, country=country) for p in chosen],
        ignore_conflicts=True,
    )
    Pledge.objects.bulk_create(Pledge(project=p, donor=donor, amount=1, order=9) for p in chosen)
    Project.objects.filter(pk__in=ids).refresh_pledged_totals()
    ProjectFocalPoint.objects.bulk_create(
        ProjectFocalPoint(project=p, focal_point=person, role="field") for p in chosen
    )
    return (
        reverse("project_list")
        + "?"
        + urlencode(
            {
                "q": "programme",
                "section": section.slug,
                "country": country.iso3,
                "status": "partly",
                "donor": donor.slug,
                "focal_point": person.pk,
                "theme": theme.slug,
                "has_issue": "no",
                "min_shortfall": "1",
                "max_shortfall": "999999",
                "sort": "title",
            }
        )
    )


def test_a_page_with_everything_shows_it(client, portfolio):
    programme = Project.objects.filter(parent__isnull=True).order_by("pk").first()
    html = client.get(programme.get_absolute_url()).content.decode()
    for expected in ("Example of programme", "Portfolio donor", "Phase I", "mailto:portfolio"):
        assert expected in html
    assert "UNODC activity in these countries" in html and 'id="shortfall-note"' in html
    assert "Differs" not in html  # the data issue's staff wording stays in the admin


def test_a_project_page_asks_only_for_the_lists_it_has(
    client, portfolio, django_assert_num_queries
):
    """The project, its countries, themes, pledges and focal points, and the report's
    paragraphs on its countries with every country they name; phases, partnership examples,
    data issues and revisions each cost a query only when the project has some."""
    programmes = Project.objects.filter(parent__isnull=True).order_by("pk")
    everything, plain = programmes[0], programmes[1]  # every fifth has the rarer lists
    assert everything.phases.exists() and everything.children.exists()
    assert everything.issues.exists() and not everything.revisions.exists()
    assert not (plain.phases.exists() or plain.children.exists() or plain.issues.exists())
    with django_assert_num_queries(6):
        response = client.get(plain.get_absolute_url())
    assert response.status_code == 200
    assert response.context["paragraphs"] and response.context["lists"]["pledges"]
    with django_assert_num_queries(9):
        response = client.get(everything.get_absolute_url())
    html = response.content.decode()
    assert "Example of programme 0" in html and "Budget by phase" in html
    assert [issue.code for issue in response.context["lists"]["issues"]]


def test_the_overview_is_one_statement_per_figure_then_none(
    client, portfolio, django_assert_num_queries
):
    """The first visitor after a change: sections, sources, the unfiltered list's totals and
    map (one statement), the largest gaps and their countries, the latest UNODC update of a
    programme's figures; the next ones, nothing."""
    with django_assert_num_queries(6):
        assert client.get(reverse("overview")).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(reverse("overview")).status_code == 200


def test_a_project_page_draws_its_data_once_per_data_version(
    client, portfolio, django_assert_num_queries
):
    """Its parts drawn from the data alone are kept per data version and language: the next
    visitor's page asks for the project only, the shortlist button is still theirs, and a
    change shows at once."""
    programme = Project.objects.filter(parent__isnull=True).order_by("pk")[1]
    url = programme.get_absolute_url()
    first = client.get(url).content.decode()
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content.decode() == first
    french = client.get("/fr" + url).content.decode()
    with translation.override("fr"):
        pledges, where_and_what = gettext("Pledges"), gettext("Where and what")
    assert pledges != "Pledges" and f'<h2 id="pledges-title">{pledges}</h2>' in french
    assert where_and_what in french and "Where and what" not in french
    client.post(reverse("shortlist_change"), {"add": programme.pk, "next": url})
    shortlisted = client.get(url).content.decode()
    assert 'name="remove"' in shortlisted and 'name="remove"' not in first
    donor = factories.donor("A donor seen at once")
    Pledge.objects.create(project=programme, donor=donor, amount=5, order=99)
    assert "A donor seen at once" in client.get(url).content.decode()
