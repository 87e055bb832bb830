"""Freshness in Chromium: each page with figures names their document and edition and, where
UNODC updated a project's figures, when."""

import datetime

import pytest
from playwright.sync_api import expect

from projects.models import ProjectRevision
from tests.browser.support import screenshot
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_with_figures_says_how_fresh_they_are(open_tab, portal, axe_source, width):
    kenya = portal["kenya"]
    kenya.edited_fields = ["budget"]
    kenya.save(update_fields=["edited_fields"])
    ProjectRevision.objects.create(
        project=kenya, changed_at=datetime.datetime(2026, 11, 29, 9, tzinfo=datetime.UTC)
    )
    tab = open_tab(width=width)
    tab.goto("/projects/")
    tab.get_by_role("button", name="Add Data collection in Nepal to shortlist").click()
    published = "Figures as published in Partnership Opportunities (January 2010)."
    updated = "Updated by UNODC on 29 November 2026 (the figures of 1 project)."
    for url, says_update in [
        ("/projects/", True),
        ("/countries/KEN/", True),
        ("/regions/africa-and-middle-east/", True),
        ("/shortlist/", False),  # Nepal's figures are as published
    ]:
        tab.goto(url)
        freshness = tab.locator(".freshness")
        expect(freshness).to_contain_text(published)
        if says_update:
            expect(freshness).to_contain_text(updated)
        else:
            expect(freshness).not_to_contain_text("Updated by UNODC")
        assert violations(tab, axe_source) == [], f"{url} at {width}px"
    tab.goto("/")
    expect(tab.locator(".freshness")).to_have_text(updated)
    tab.goto("/fr/countries/KEN/")
    expect(tab.locator(".freshness")).to_contain_text("le 29 novembre 2026")
    screenshot(tab, f"freshness-country-fr-{width}", full_page=False)
    tab.goto("/projects/")
    tab.locator(".freshness").scroll_into_view_if_needed()
    screenshot(tab, f"freshness-list-{width}", full_page=False)
    assert tab.console_errors == []
