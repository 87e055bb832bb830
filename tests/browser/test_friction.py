"""Frictions met at a desk and on a phone: a sticky block hiding a filter's heading, a
currency parted from its amount."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import screenshot

pytestmark = pytest.mark.browser


COVERED_BY_APPLY_BLOCK = """heading => {
    const box = heading.getBoundingClientRect();
    const x = box.left + Math.min(box.width / 2, 40), y = box.top + box.height / 2;
    if (y < 0 || y > window.innerHeight) return false;  // off screen: nothing to hide
    // Scrolled out of the filters column (it scrolls on its own): not hidden by the block.
    const column = heading.closest(".filters-scroll").getBoundingClientRect();
    if (y < column.top || y > column.bottom) return false;
    const top = document.elementFromPoint(x, y);
    return Boolean(top && top.closest(".apply-row"));
}"""


@pytest.mark.parametrize("shortlisted", [False, True], ids=["plain", "with-shortlist-bar"])
def test_at_a_desk_the_apply_block_hides_no_filter_heading(open_tab, portal, shortlisted):
    """At 1280 px the filters are a column with the Apply block below the choices, which
    scroll inside it: at any scroll of the page or of the column no heading is under it."""
    tab = open_tab(width=1280)
    tab.goto("/projects/")
    if shortlisted:
        tab.get_by_role("button", name="Add Data collection in Nepal to shortlist").click()
        # The click posts (htmx swaps the bar in): wait for the bar rather than race it.
        expect(tab.locator(".action-bar")).to_be_visible()
    headings = tab.locator("#facets .facet > summary")
    assert headings.count() >= 6
    status = tab.locator("#facets .facet > summary", has_text="Funding status")
    screenshot(tab, f"friction-list-filters-1280{'-shortlist' if shortlisted else ''}", False)
    apply_button = tab.get_by_role("button", name="Apply filters")
    scroller = tab.locator(".filters-scroll")
    for page_scroll in range(0, 2400, 200):
        tab.evaluate(f"window.scrollTo(0, {page_scroll})")
        for column_scroll in range(0, 1600, 200):
            scroller.evaluate("(el, y) => { el.scrollTop = y; }", column_scroll)
            for i in range(headings.count()):
                heading = headings.nth(i)
                assert not heading.evaluate(COVERED_BY_APPLY_BLOCK), (
                    f"{heading.inner_text()} under the Apply block "
                    f"(page at {page_scroll}px, filters at {column_scroll}px)"
                )
            assert apply_button.is_visible()
    # The last filter's heading can be scrolled into view and clicked, the block still in view.
    status.scroll_into_view_if_needed()
    status.click()
    assert apply_button.is_visible()
    assert tab.console_errors == []
