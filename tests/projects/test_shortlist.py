"""The shortlist: kept in the session, changed by form posts, compared and downloaded."""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    africa = factories.section("Africa")
    norway = factories.donor("Norway")
    return [
        factories.project(
            "Kenya victims support",
            budget="1000",
            pledges=((norway, "250"),),
            countries=("KEN",),
            section=africa,
            theme="both",
        ),
        factories.project("Ethiopia border training", budget="2000", section=africa),
        factories.project("Nepal data collection", budget="5000", section=africa),
    ]


def add(client, project, next_url=""):
    return client.post(reverse("shortlist_change"), {"add": project.pk, "next": next_url})


def test_adding_goes_back_to_the_page_and_survives_filters_sort_and_pages(client, three):
    kenya, ethiopia, _ = three
    response = add(client, kenya, "/projects/?sort=title&page=1")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/?sort=title&page=1#row-{kenya.pk}"
    add(client, ethiopia, "/projects/")
    for query in ("?sort=title", "?country=NPL", "?page=2", ""):
        html = client.get("/projects/" + query).content.decode()
        assert "2 shortlisted" in html, query
    html = client.get("/projects/").content.decode()
    assert re.search(rf'name="remove" value="{kenya.pk}"', html)
    assert re.search(rf'name="add" value="{three[2].pk}"', html)


def test_a_page_without_a_session_reads_no_session_and_stays_cacheable(client, three):
    response = client.get("/projects/")
    assert "shortlisted" not in response.content.decode()
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_an_unsafe_next_goes_to_the_shortlist_and_bad_ids_are_refused(client, three):
    response = add(client, three[0], "https://evil.example/")
    assert response["Location"].startswith(reverse("shortlist"))
    assert client.post(reverse("shortlist_change"), {"add": "x"}).status_code == 400
    assert client.get(reverse("shortlist_change")).status_code == 405
    unpublished = factories.project("Hidden", published=False)
    add(client, unpublished)
    assert "Hidden" not in client.get(reverse("shortlist")).content.decode()


def test_compare_page_shows_the_projects_side_by_side(client, three):
    kenya, ethiopia, _ = three
    add(client, ethiopia)
    add(client, kenya)
    html = client.get(reverse("shortlist")).content.decode()
    titles = re.findall(r'<th scope="col" id="row-\d+"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Ethiopia border training", "Kenya victims support"]  # order added
    for row in ("Budget", "Pledged", "Shortfall", "Funded", "Countries", "Theme", "Focal points"):
        assert f'<th scope="row">{row}</th>' in html
    assert "US$\u00a0750" in html and "Kenya</td>" in html
    assert "Smuggling of migrants and Trafficking in persons" in html
    assert f"projects={ethiopia.pk}&amp;projects={kenya.pk}" in html  # Register interest


def test_removing_and_emptying(client, three):
    kenya, ethiopia, _ = three
    add(client, kenya)
    add(client, ethiopia)
    client.post(reverse("shortlist_change"), {"remove": kenya.pk})
    html = client.get(reverse("shortlist")).content.decode()
    assert "Kenya victims support" not in html and "Ethiopia border training" in html
    client.post(reverse("shortlist_change"), {"clear": "1"})
    assert "Your shortlist is empty" in client.get(reverse("shortlist")).content.decode()


def test_downloads_hold_the_shortlisted_projects(client, three):
    kenya, _, nepal = three
    add(client, kenya)
    add(client, nepal)
    response = client.get(reverse("shortlist_export", args=["csv"]))
    assert response.status_code == 200
    assert "shortlist" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["Project"] for r in rows} == {"Kenya victims support", "Nepal data collection"}
    xlsx = client.get(reverse("shortlist_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_shortlist_pages_keep_a_fixed_number_of_queries(
    client, three, django_assert_max_num_queries
):
    for project in three:
        add(client, project)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("shortlist")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("project_list")).status_code == 200


def test_the_pdf_brief_of_the_shortlist_has_its_projects(client, three):
    import pdfplumber

    kenya, _, nepal = three
    add(client, kenya)
    add(client, nepal)
    page = client.get(reverse("shortlist")).content.decode()
    assert 'href="/projects/brief.pdf?shortlist=1"' in page
    response = client.get("/projects/brief.pdf?shortlist=1")
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
    assert len(texts) == 2
    assert any("Kenya victims support" in t for t in texts)
    assert any("Nepal data collection" in t for t in texts)
    assert not any("Ethiopia border training" in t for t in texts)
