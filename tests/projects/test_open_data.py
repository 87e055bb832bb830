"""IATI XML and Atom feeds: valid against IATI's own schema, figures as the portal shows them."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from lxml import etree

from projects.models import Pledge
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "projects" / "data" / "iati-2.03"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def iati_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def two_projects():
    brochure = factories.source_document(edition_date="2010-01-15")
    germany = factories.donor("Germany", kind="government")
    fund = factories.donor("A Foundation", kind="other")
    first = factories.project(
        "Border & coast <guards>",
        budget="1758800",
        code="XAWX55",
        pledges=((germany, "500000"), (fund, "250000.50")),
        countries=("SEN", "MLI"),
        theme="both",
        source_document=brochure,
        description="<p>Train <em>officers</em>.</p>",
    )
    factories.focal_point(first, name="Ana Example", phone="+43 1 26060", position="Officer")
    second = factories.project("Unbudgeted", budget=None, source_document=brochure)
    factories.project("Withdrawn", budget="99", published=False)
    return first, second


def test_iati_file_validates_and_carries_the_portals_figures(client, iati_schema):
    first, second = two_projects()
    response = client.get("/open-data/iati-activities.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(b"".join(response.streaming_content))
    iati_schema.assertValid(document)

    activities = document.findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == [
        "XM-DAC-41128-XAWX55",
        f"XM-DAC-41128-{second.slug}",
    ]
    one = activities[0]
    assert one.find("title/narrative").text == "Border & coast <guards>"
    assert one.find("description/narrative").text == "Train officers."
    assert one.find("activity-status").get("code") == "1"
    assert one.find("reporting-org").get("ref") == "XM-DAC-41128"
    assert sorted(c.get("code") for c in one.findall("recipient-country")) == ["ML", "SN"]
    assert sorted(s.get("code") for s in one.findall("sector")) == ["15130", "15190"]
    funders = [p.find("narrative").text for p in one.findall("participating-org[@role='1']")]
    assert funders == ["A Foundation", "Germany"]
    assert one.find("budget/value").text == "1758800.00"
    pledges = one.findall("transaction")
    assert {t.find("transaction-type").get("code") for t in pledges} == {"13"}
    assert sum(Decimal(t.find("value").text) for t in pledges) == Decimal("750000.50")
    assert pledges[0].find("value").get("value-date") == "2010-01-15"
    contact = one.find("contact-info")
    assert contact.find("person-name/narrative").text == "Ana Example"
    assert contact.findtext("telephone") == "+43 1 26060"
    assert one.find("document-link").get("url").endswith(first.get_absolute_url())
    # A project without a budget has no budget element, and the unpublished one is absent.
    assert activities[1].find("budget") is None


def test_export_iati_command_writes_the_same_activities(tmp_path, iati_schema):
    two_projects()
    target = tmp_path / "activities.xml"
    call_command("export_iati", "-o", str(target), stderr=StringIO())
    document = etree.parse(str(target))
    iati_schema.assertValid(document)
    assert len(document.findall("iati-activity")) == 2


def test_feeds_list_new_and_changed_projects(client):
    first, second = two_projects()
    feed = ElementTree.fromstring(client.get("/feeds/projects.atom").content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert set(titles) == {str(first), str(second)}

    # A new pledge changes the first project's shortfall: its entry comes first, updated.
    Pledge.objects.create(project=second, donor=None, amount=Decimal("1"))
    Pledge.objects.create(project=first, donor=None, amount=Decimal("8800"))
    feed = ElementTree.fromstring(client.get("/feeds/projects.atom").content)
    entry = feed.findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == str(first)
    assert "shortfall US$\u00a0999,999.50" in entry.findtext(f"{ATOM}summary")


def test_feeds_per_section_country_and_theme(client):
    first, second = two_projects()
    section = first.section.slug

    def titles(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ElementTree.fromstring(response.content)
        return [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]

    assert str(first) in titles(f"/feeds/regions/{section}.atom")
    assert titles("/feeds/countries/sen.atom") == [str(first)]
    assert titles("/feeds/countries/FRA.atom") == []
    assert titles("/feeds/themes/smuggling.atom") == [str(first)]
    assert client.get("/feeds/themes/drugs.atom").status_code == 404
    assert client.get("/feeds/countries/XXX.atom").status_code == 404


def test_pages_announce_their_feeds(client):
    first, _ = two_projects()
    pages = {
        "/projects/": "/feeds/projects.atom",
        "/": "/feeds/projects.atom",
        f"/regions/{first.section.slug}/": f"/feeds/regions/{first.section.slug}.atom",
        "/countries/SEN/": "/feeds/countries/SEN.atom",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html, page
        assert f'href="{feed}"' in html, page


def test_countries_and_government_donors_take_the_un_names(client):
    from ingest.upserts import upsert_donor
    from projects.models import Country

    names = dict(
        Country.objects.filter(iso3__in=["KOR", "USA", "BOL", "TUR", "CIV", "VNM"]).values_list(
            "iso3", "name"
        )
    )
    assert names == {
        "KOR": "Republic of Korea",
        "USA": "United States of America",
        "BOL": "Bolivia (Plurinational State of)",
        "TUR": "Türkiye",
        "CIV": "Côte d’Ivoire",
        "VNM": "Viet Nam",
    }
    senegal = Country.objects.get(iso3="SEN")
    assert (senegal.name_fr, senegal.name_es) == ("Sénégal", "Senegal")
    assert (senegal.m49_region, senegal.m49_subregion) == ("Africa", "Western Africa")
    page = client.get("/countries/SEN/").content.decode()
    assert "Africa › Western Africa" in page

    # A government donor is found by its country whatever name the document prints.
    korea = upsert_donor("Republic of Korea")
    assert korea.country_id == "KOR" and korea.kind == "government"
    assert upsert_donor("South Korea") == korea


def test_the_list_filters_by_un_region(client):
    west = factories.project("Coastal route", countries=("SEN",))
    factories.project("Balkan route", countries=("SRB",))
    page = client.get("/projects/?area=Western+Africa")
    assert [p.title for p in page.context["page"].object_list] == [west.title]
    assert "UN region: Western Africa" in page.content.decode()
    both = client.get("/projects/?area=Western+Africa&area=Europe")
    assert len(both.context["page"].object_list) == 2
