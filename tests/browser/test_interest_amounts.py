"""A donor types amounts as people write them and sees how the portal read them; with several
projects ticked, an amount for each (with and without JavaScript)."""

import re

import pytest
from playwright.sync_api import expect

from donors.models import Interest, InterestAmount
from tests.browser.support import screenshot
from tests.browser.test_accessibility import violations
from tests.browser.test_interest import fill_in_the_form

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [375, 1280])
def test_amounts_are_read_back_and_given_per_project(
    open_tab, portal, axe_source, width, javascript
):
    kenya = portal["kenya"]
    tab = open_tab(width=width, javascript=javascript)
    tab.goto(f"/interest/?projects={kenya.pk}")
    assert tab.locator("input[name^=amount_for_]").count() == 0  # one project: one amount
    fill_in_the_form(tab, email="kari@mfa.example")
    tab.get_by_label("Indicative amount").fill("")
    # A second project ticked: "Check the amounts" gives it a box of its own.
    tab.get_by_text("Add other projects").click()
    tab.get_by_role("checkbox", name=re.compile("Data collection in Nepal")).check()
    tab.get_by_role("button", name="Check the amounts").click()
    boxes = tab.locator("input[name^=amount_for_]")
    expect(boxes).to_have_count(2)
    assert Interest.objects.count() == 0
    tab.get_by_label("Amount for Strengthening the criminal justice").fill("250 000")
    tab.get_by_label("Amount for Data collection in Nepal").fill("75,000.50")
    tab.get_by_role("button", name="Check the amounts").click()
    funding = tab.locator("#funding")
    expect(funding).to_contain_text("Read as US$\u00a0250,000")
    expect(funding).to_contain_text("Read as US$\u00a075,000.50")
    expect(funding.locator(".read-back")).to_have_count(2)  # the empty total is not "read"
    assert tab.get_by_label("Email").input_value() == "kari@mfa.example"  # nothing lost
    if javascript:
        assert violations(tab, axe_source) == [], f"amounts checked at {width}px"
    suffix = "" if javascript else "-nojs"
    screenshot(tab, f"interest-amounts-read-back-{width}{suffix}")

    tab.get_by_role("button", name="Register interest").click()
    tab.wait_for_url(re.compile(r"/interest/[\w-]{43}/$"))
    main = tab.locator("main")
    expect(main).to_contain_text("US$\u00a0250,000")
    expect(main).to_contain_text("Indicative amount, as we read it: US$\u00a0325,000.50")
    interest = Interest.objects.get()
    assert sorted(str(a) for a in InterestAmount.objects.values_list("amount", flat=True)) == [
        "250000.00",
        "75000.50",
    ]
    assert str(interest.amount) == "325000.50"
    if javascript:
        assert violations(tab, axe_source) == [], f"confirmation at {width}px"
    screenshot(tab, f"interest-amounts-confirmation-{width}{suffix}")
    assert tab.console_errors == []
