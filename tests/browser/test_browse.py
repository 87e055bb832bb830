"""A donor's path: filter the list by country and funding status, open a project, read it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import screenshot

pytestmark = pytest.mark.browser


def result_titles(tab) -> list[str]:
    return tab.locator("#results .project-cell > a").all_inner_texts()


@pytest.mark.parametrize("width", [375, 1280])
def test_filter_by_countries_and_status_then_open_a_project(open_tab, portal, width):
    tab = open_tab(width=width)
    tab.goto("/projects/")
    assert len(result_titles(tab)) == 3
    if width == 375:  # on a phone the filters are a closed drawer above the results
        drawer = tab.locator("#filters > summary")
        assert drawer.bounding_box()["y"] < tab.locator("#results-heading").bounding_box()["y"]
        assert tab.locator("input[name=country][value=ETH]").is_hidden()
        drawer.click()
    requests = []
    tab.on("request", lambda r: requests.append(r.url) if "/projects/" in r.url else None)

    # Ticking boxes only updates the Apply button's count: the results stay until Apply.
    tab.check("input[name=country][value=ETH]")
    expect(tab.locator("#apply-label")).to_have_text("Show 2 projects")
    tab.check("input[name=country][value=NPL]")
    expect(tab.locator("#apply-label")).to_have_text("Show 3 projects")
    tab.check("input[name=status][value=partly]")
    expect(tab.locator("#apply-label")).to_have_text("Show 1 project")
    assert len(result_titles(tab)) == 3
    screenshot(tab, f"filters-chosen-{width}")

    # Arrowing through the closed sort select sends nothing.
    sent = len(requests)
    tab.focus("#id_sort")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    tab.wait_for_timeout(600)
    assert len(requests) == sent
    tab.select_option("#id_sort", "-shortfall")

    tab.locator("#apply-label").click()
    tab.wait_for_url(re.compile(r"country=ETH&country=NPL&status=partly"))
    expect(tab.locator("#results .project-cell")).to_have_count(1)
    assert result_titles(tab) == [
        "Strengthening the criminal justice response to trafficking in Kenya"
    ]
    # Focus lands on the results heading; on a phone the drawer has closed.
    expect(tab.locator("#results-heading")).to_be_focused()
    assert tab.locator("#results-heading").inner_text() == "1 project"
    assert tab.locator("#filters").evaluate("d => d.open") == (width == 1280)
    assert tab.locator("#filters > summary").inner_text().endswith("(3)") or width == 1280
    # The refreshed facets keep the choices made.
    assert tab.is_checked("input[name=country][value=ETH]") and tab.is_checked(
        "input[name=country][value=NPL]"
    )
    screenshot(tab, f"filters-applied-{width}")

    tab.get_by_role("link", name="Strengthening the criminal justice response").click()
    tab.wait_for_url(re.compile(r"/projects/[\w-]+/$"))
    figures = tab.locator(".funding").inner_text()
    assert "US$\u00a01,250,000" in figures
    assert "US$\u00a0350,000.50" in figures
    assert tab.get_by_role("link", name="Register interest in this project").count() >= 1

    tab.go_back()  # the shared, filtered list comes back as it was
    tab.wait_for_url(re.compile(r"status=partly"))
    assert len(result_titles(tab)) == 1
    assert tab.console_errors == [], tab.url


@pytest.mark.parametrize("width", [375, 1280])
def test_filters_work_without_javascript(open_tab, portal, width):
    tab = open_tab(width=width, javascript=False)
    tab.goto("/projects/")
    if width == 375:
        tab.locator("#filters > summary").click()
    tab.check("input[name=country][value=NPL]")
    tab.check("input[name=country][value=KEN]")
    tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url(re.compile(r"country=KEN&country=NPL"))
    assert set(result_titles(tab)) == {
        "Data collection in Nepal",
        "Strengthening the criminal justice response to trafficking in Kenya",
    }
    assert tab.locator("#filters > summary").inner_text().endswith("(2)")
    tab.get_by_role("link", name="Remove filter Country: Nepal").click()
    assert len(result_titles(tab)) == 1
    assert tab.get_attribute("link[rel=canonical]", "href").endswith("/projects/?country=KEN")


def test_pages_fit_a_phone_and_a_desktop(open_tab, portal, screenshots):
    pages = {
        "overview": "/",
        "projects": "/projects/?country=ETH",
        "project": portal["kenya"].get_absolute_url(),
    }
    for width in (375, 1280):
        tab = open_tab(width=width)
        for name, url in pages.items():
            tab.goto(url)
            shot = screenshots / f"{name}-{width}.png"
            shot.unlink(missing_ok=True)
            tab.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 0
            scroll_width = tab.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} scrolls sideways at {width}px: {scroll_width}px"
        assert tab.console_errors == []


def test_project_page_prints_on_one_page_without_navigation(open_tab, portal):
    tab = open_tab()
    tab.goto(portal["kenya"].get_absolute_url())
    tab.emulate_media(media="print")
    assert tab.locator(".site-header").is_hidden()
    assert tab.locator(".breadcrumbs").is_hidden()
    assert tab.locator(".funding .figures").is_visible()
    pdf = tab.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
