"""axe-core finds no accessibility violation on the pages donors use most."""

import pytest

pytestmark = pytest.mark.browser


def violations(tab, axe_source: str) -> list[str]:
    # Evaluated through the DevTools protocol, so the page's CSP does not block it.
    tab.evaluate(axe_source)
    found = tab.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in found
    ]


def test_main_pages_have_no_axe_violations(open_tab, portal, axe_source):
    pages = [
        "/",
        "/projects/?country=ETH&status=partly&sort=title",
        portal["kenya"].get_absolute_url(),
        "/countries/KEN/",
        portal["norway"].get_absolute_url(),
    ]
    tab = open_tab()
    for url in pages:
        tab.goto(url)
        assert violations(tab, axe_source) == [], url
    assert tab.console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_type_with_a_shortlist_has_no_axe_violations(
    open_tab, portal, axe_source, width
):
    """With a shortlist (its bar on every page), the filter drawer open, at both widths."""
    tab = open_tab(width=width)
    tab.goto("/projects/")
    tab.get_by_role("button", name="Add Data collection in Nepal to shortlist").click()
    tab.get_by_role(
        "button", name="Add Border training for Ethiopian officers to shortlist"
    ).click()
    pages = [
        "/",
        "/projects/?country=ETH&country=KEN&theme=trafficking",
        portal["kenya"].get_absolute_url(),
        "/countries/KEN/",
        "/regions/africa-and-middle-east/",
        portal["norway"].get_absolute_url(),
        "/donors/",
        "/focal-points/",
        "/shortlist/",
        "/interest/",
    ]
    for url in pages:
        tab.goto(url)
        if tab.locator("#filters > summary").is_visible():
            tab.locator("#filters > summary").click()
        assert violations(tab, axe_source) == [], f"{url} at {width}px"
    tab.goto("/shortlist/")
    tab.get_by_role("button", name="Empty the shortlist").click()
    assert "Your shortlist is empty" in tab.content()
    assert violations(tab, axe_source) == [], f"empty shortlist at {width}px"
    assert tab.console_errors == []
