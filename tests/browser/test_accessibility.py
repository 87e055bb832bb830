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
