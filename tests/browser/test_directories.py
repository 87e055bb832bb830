"""The directories in Chromium: focal points by surname with an A–Z index and a section
filter that works without JavaScript; donors by name with their pledges."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import ProjectFocalPoint
from tests import factories
from tests.browser.support import screenshot
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def people(portal):
    kenya = portal["kenya"]
    nepal = factories.project(
        "Victim support in Nepal", section=factories.section("South and East Asia", order=2)
    )
    factories.focal_point(nepal, name="Zoe Zulu", email="zoe@unodc.example")
    bo = factories.focal_point(
        nepal, "field", name="Felipe De La Torre", email="fdlt@unodc.example"
    )
    ProjectFocalPoint.objects.create(project=kenya, focal_point=bo.focal_point, role="hq")
    factories.focal_point(kenya, "field", name="Bo Brown", email="bo@unodc.example")
    return portal


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [375, 1280])
def test_focal_points_by_surname_with_an_index_and_a_section_filter(
    open_tab, people, axe_source, width, javascript
):
    tab = open_tab(width=width, javascript=javascript)
    tab.goto("/focal-points/")
    names = tab.locator(".directory h3").all_inner_texts()
    assert names == ["Bo Brown", "Ana Example", "Felipe De La Torre", "Zoe Zulu"]
    index = tab.get_by_role("navigation", name="Surnames from A to Z")
    assert index.get_by_role("link").all_inner_texts() == ["B", "E", "T", "Z"]
    if javascript:
        assert violations(tab, axe_source) == [], f"directory at {width}px"
    index.get_by_role("link", name="T").click()
    expect(tab).to_have_url(re.compile(r"#letter-T$"))
    heading = tab.get_by_role("heading", name="T", exact=True)
    assert heading.bounding_box()["y"] >= 0 and heading.is_visible()
    screenshot(tab, f"directory-focal-points-{width}{'' if javascript else '-nojs'}", False)

    tab.get_by_label("Section").select_option(label="South and East Asia")
    tab.get_by_role("button", name="Show").click()
    expect(tab).to_have_url(re.compile(r"section=south-and-east-asia"))
    assert tab.locator(".directory h3").all_inner_texts() == ["Felipe De La Torre", "Zoe Zulu"]
    felipe = tab.locator(".directory > li", has_text="Felipe De La Torre")
    assert felipe.get_by_role("link", name=re.compile("Kenya")).count() == 0
    assert felipe.get_by_role("link", name="Victim support in Nepal").count() == 1
    if javascript:
        assert violations(tab, axe_source) == [], f"filtered directory at {width}px"
    screenshot(tab, f"directory-focal-points-asia-{width}{'' if javascript else '-nojs'}")
    assert tab.console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_donors_by_name_with_pledged_and_projects(open_tab, people, axe_source, width):
    factories.donor("Austria")
    tab = open_tab(width=width)
    tab.goto("/donors/")
    rows = tab.locator("table.donors tbody tr")
    assert rows.locator("th").all_inner_texts() == ["Austria", "Norway", "Sweden"]
    norway = rows.nth(1).inner_text()
    assert re.fullmatch(r"Norway\s+Other\s+2\s+US\$\s1,050,000", norway)
    assert violations(tab, axe_source) == []
    screenshot(tab, f"directory-donors-{width}")
