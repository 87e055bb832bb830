"""What pages say about themselves: meta descriptions for search results, previews for links.

Lighthouse (`make lighthouse`) checks the same in a browser; these run with every `make test`.
"""

import gzip
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from projects.templatetags.figures import money
from tests import factories

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The <meta> elements of a page, by name or property, and whether it says noindex."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("name") or attrs.get("property")
        if tag == "meta" and key:
            self.meta.setdefault(key, []).append(attrs.get("content") or "")

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    @property
    def indexable(self) -> bool:
        return "noindex" not in " ".join(self.meta.get("robots", []))


@pytest.fixture
def portal():
    africa = factories.section("Africa and Middle East", order=1)
    east = factories.subregion(africa, "East Africa")
    norway = factories.donor("Norway")
    project = factories.project(
        'Protecting "victims" & witnesses <in Kenya>',
        code="KENT01",
        budget="1250000",
        pledges=((norway, "350000.50"),),
        countries=("KEN",),
        section=africa,
        subregion=east,
        description="<p>Training for <strong>judges &amp; prosecutors</strong> in Kenya.</p>",
    )
    factories.focal_point(project, name="Ana Example")
    return {"project": project, "section": africa, "subregion": east, "donor": norway}


def public_pages(portal) -> dict[str, str]:
    project = portal["project"]
    return {
        "overview": reverse("overview"),
        "list": reverse("project_list"),
        "list filtered": reverse("project_list") + "?country=KEN",
        "project": project.get_absolute_url(),
        "section": portal["section"].get_absolute_url(),
        "subregion": portal["subregion"].get_absolute_url(),
        "country": reverse("country_detail", args=["KEN"]),
        "country without projects": reverse("country_detail", args=["FRA"]),
        "donors": reverse("donor_list"),
        "donor": portal["donor"].get_absolute_url(),
        "focal points": reverse("focal_point_list"),
        "shortlist": reverse("shortlist"),
        "interest form": reverse("register_interest"),
        "project interest form": reverse("project_interest", args=[project.slug]),
    }


def test_every_public_page_has_its_own_meta_description(client, portal):
    default = Head(client.get(reverse("overview") + "nowhere/").content.decode())
    default_text = default.one("description")
    assert default_text  # even a page with nothing of its own (a 404) describes the portal
    seen = {}
    for name, url in public_pages(portal).items():
        response = client.get(url)
        assert response.status_code == 200, name
        head = Head(response.content.decode())
        description = head.one("description")
        assert 50 <= len(description) <= 320, (name, description)
        if head.indexable:
            assert description != default_text, name
        if name != "list filtered":  # the list's own description, with the figures it shows
            assert description not in seen, (name, seen.get(description))
            seen[description] = name


def test_descriptions_give_the_figures(client, portal):
    overview = Head(client.get(reverse("overview")).content.decode()).one("description")
    assert "1 UNODC programme " in overview and money(Decimal("899999.50")) in overview
    country = Head(client.get("/countries/KEN/").content.decode()).one("description")
    assert country.startswith("Kenya: 1 UNODC programme") and "US$\u00a0899,999.50" in country


def test_a_shared_project_link_shows_its_title_figures_and_address(client, portal):
    project = portal["project"]
    head = Head(client.get(project.get_absolute_url()).content.decode())
    # The parser has unescaped the attributes: quotes, & and < in the title came through whole.
    assert head.one("og:title") == head.one("twitter:title") == project.title
    assert head.one("og:url") == f"http://testserver{project.get_absolute_url()}"
    assert head.one("og:type") == "website"
    assert head.one("twitter:card") == "summary_large_image"
    image = head.one("og:image")
    assert image.startswith("http://testserver/static/img/share-card") and image.endswith(".png")
    assert finders.find("img/share-card.png")
    summary = head.one("og:description")
    assert summary == head.one("twitter:description") == head.one("description")
    assert summary.startswith(
        "Budget US$\u00a01,250,000 · pledged US$\u00a0350,000.50 · shortfall US$\u00a0899,999.50. "
    )
    assert summary.endswith("Training for judges & prosecutors in Kenya.")
    assert head.one("twitter:label1") == "Shortfall"
    assert head.one("twitter:data1") == "US$\u00a0899,999.50"
    assert head.one("twitter:data2") == "US$\u00a01,250,000 · US$\u00a0350,000.50"


def test_a_project_without_a_budget_shares_the_published_shortfall(client):
    project = factories.project(
        "Varying budget", budget=None, stated_shortfall="200000", description=""
    )
    head = Head(client.get(project.get_absolute_url()).content.decode())
    assert head.one("og:description") == (
        "Budget not stated · pledged US$\u00a00 · shortfall US$\u00a0200,000 as published."
    )
    assert head.one("twitter:data1") == "US$\u00a0200,000"


def test_pages_are_compressed_for_browsers_that_accept_it(client, portal):
    plain = client.get(reverse("project_list"))
    assert "Content-Encoding" not in plain
    packed = client.get(reverse("project_list"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content)
    assert b'class="map"' in page and len(packed.content) < len(page) / 3
