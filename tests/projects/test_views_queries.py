"""Every page runs a fixed number of queries, however many projects there are."""

import pytest
from django.urls import reverse

from donors.models import Donor
from projects.models import FocalPoint, Project
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
    focal = FocalPoint.objects.order_by("pk").first()
    return {
        "overview": reverse("overview"),
        "list": reverse("project_list"),
        "list filtered": reverse("project_list")
        + f"?q=programme&section={programme.section.slug}&country={country.iso3}"
        f"&status=partly&donor={Donor.objects.first().slug}&focal_point={focal.pk}"
        "&theme=trafficking&has_issue=yes&min_shortfall=1&max_shortfall=999999&sort=title",
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
    url = page_urls()[page]
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    if page in ("list", "list page 5", "list with rows"):
        # A full page of rows, so a query per row would have shown in the count.
        assert len(response.context["page"].object_list) == 20


def test_a_page_with_everything_shows_it(client, portfolio):
    programme = Project.objects.filter(parent__isnull=True).order_by("pk").first()
    html = client.get(programme.get_absolute_url()).content.decode()
    for expected in ("Example of programme", "Portfolio donor", "Phase I", "mailto:portfolio"):
        assert expected in html
    assert "UNODC activity in these countries" in html and 'id="shortfall-note"' in html
    assert "Differs" not in html  # the data issue's staff wording stays in the admin
