"""A donor's path: filter the list by country and funding status, open a project, read it."""

import re

import pytest

pytestmark = pytest.mark.browser


def result_titles(tab) -> list[str]:
    return tab.locator("#results .project-cell > a").all_inner_texts()


def test_filter_by_country_and_status_then_open_a_project(open_tab, portal):
    tab = open_tab()
    tab.goto("/projects/")
    assert len(result_titles(tab)) == 3

    tab.select_option("#id_country", "ETH")
    tab.wait_for_url(re.compile(r"country=ETH"))
    tab.wait_for_function("document.querySelectorAll('#results .project-cell').length === 2")
    assert tab.locator("#id_status option[value=funded]").inner_text() == "Funded (1)"

    tab.focus("#id_status")
    tab.select_option("#id_status", "partly")
    tab.wait_for_url(re.compile(r"/projects/\?sort=-shortfall&country=ETH&status=partly$"))
    tab.wait_for_function("document.querySelectorAll('#results .project-cell').length === 1")
    assert result_titles(tab) == [
        "Strengthening the criminal justice response to trafficking in Kenya"
    ]
    # The refreshed facets keep the choices made and keep focus where the donor was.
    assert tab.locator("#id_country").input_value() == "ETH"
    assert tab.evaluate("document.activeElement.id") == "id_status"

    tab.get_by_role("link", name="Strengthening the criminal justice response").click()
    tab.wait_for_url(re.compile(r"/projects/[\w-]+/$"))
    figures = tab.locator(".funding").inner_text()
    assert "US$ 1,250,000" in figures
    assert "US$ 350,000.50" in figures
    assert "US$ 900,000" in figures and "US$ 899,999.50" in figures
    assert "not budget minus pledges" in figures
    assert "Figures as published in Partnership Opportunities, January 2010, page 21" in figures
    assert tab.get_by_role("link", name="Register interest in this project").count() == 1

    tab.go_back()  # the shared, filtered list comes back as it was
    tab.wait_for_url(re.compile(r"status=partly"))
    assert len(result_titles(tab)) == 1
    assert tab.console_errors == []


def test_filters_work_without_javascript(open_tab, portal):
    tab = open_tab(javascript=False)
    tab.goto("/projects/")
    tab.select_option("#id_country", "NPL")
    tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url(re.compile(r"country=NPL"))
    assert result_titles(tab) == ["Data collection in Nepal"]
    tab.get_by_role("link", name="Remove filter Country: Nepal").click()
    assert len(result_titles(tab)) == 3


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
