"""The shortfall map on the overview and above the project list, at a phone's and a desk's width."""

import re

import pytest

from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

SHADED = "svg.map a[class^=shade-]"


def shaded_countries(tab) -> dict[str, str]:
    """Shaded country links on the map: href → shade class."""
    return tab.evaluate(
        f"""() => Object.fromEntries([...document.querySelectorAll("{SHADED}")]
            .map(a => [a.getAttribute("href"), a.getAttribute("class")]))"""
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_overview_map_fits_links_and_has_its_table(
    open_tab, portal, axe_source, screenshots, width
):
    tab = open_tab(width=width)
    tab.goto("/")
    world = tab.locator("svg.map")
    box = world.bounding_box()
    assert box["width"] <= width - 16 and box["height"] > box["width"] / 3
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert set(shaded_countries(tab)) == {"/countries/KEN/", "/countries/ETH/", "/countries/NPL/"}
    assert tab.locator("svg.map a").count() > 150  # every country is drawn and linked
    table = tab.get_by_role("table", name="Shortfall by country")
    assert table.is_visible()
    rows = table.locator("tbody tr").all_inner_texts()
    assert [re.split(r"\s+", row.strip())[0] for row in rows] == [
        "Ethiopia",
        "Kenya",
        "Nepal",
    ]  # ties by name
    region = tab.get_by_role("region", name="Table of the shortfall by country")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")  # no sideways scrolling
    if width == 1280:  # beside the map on a desk, below it on a phone
        assert table.bounding_box()["x"] > box["x"] + box["width"]
    else:
        assert table.bounding_box()["y"] > box["y"] + box["height"]
    legend = tab.get_by_role("list", name="Shading: shortfall in the country").inner_text()
    assert "No published programme" in legend and "US$" in legend

    shot = screenshots / f"map-overview-{width}.png"
    tab.screenshot(path=str(shot), full_page=True)
    tab.locator("svg.map").screenshot(path=str(screenshots / f"map-only-{width}.png"))
    assert violations(tab, axe_source) == []

    tab.locator("svg.map a[href='/countries/KEN/']").click()
    tab.wait_for_url(re.compile(r"/countries/KEN/$"))
    assert tab.get_by_role("heading", level=1).inner_text().startswith("Kenya")
    assert tab.console_errors == []


def test_the_list_map_follows_the_filters(open_tab, portal, axe_source, screenshots):
    tab = open_tab(width=375)
    tab.goto("/projects/")
    assert set(shaded_countries(tab)) == {"/countries/KEN/", "/countries/ETH/", "/countries/NPL/"}
    tab.locator("#filters > summary").click()  # the filters' drawer, on a phone
    tab.check("input[name=country][value=NPL]")
    tab.get_by_role("button", name="Show 1 project").click()
    tab.wait_for_url(re.compile(r"country=NPL"))
    tab.wait_for_function("document.querySelectorAll('svg.map a[class^=shade-]').length === 1")
    assert list(shaded_countries(tab)) == ["/countries/NPL/"]

    table = tab.get_by_role("table", name="Shortfall by country")
    assert not table.is_visible()  # folded on the list, so the results stay near the top
    tab.get_by_text("Shortfall by country as a table").click()
    assert table.locator("tbody tr").all_inner_texts() == ["Nepal\t1\tUS$\u00a0450,000"]
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    tab.screenshot(path=str(screenshots / "map-list-375.png"), full_page=True)
    assert violations(tab, axe_source) == []
    assert tab.console_errors == []


def test_the_map_needs_no_javascript(open_tab, portal):
    tab = open_tab(width=1280, javascript=False)
    tab.goto("/projects/?country=ETH")
    assert set(shaded_countries(tab)) == {"/countries/KEN/", "/countries/ETH/"}
    tab.locator("svg.map a[href='/countries/ETH/']").click()
    tab.wait_for_url(re.compile(r"/countries/ETH/$"))
