"""A donor registers interest in Chromium: from a project page, and from the list's selection."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from donors.models import Interest
from tests.browser.support import screenshot
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def fill_in_the_form(tab, email: str) -> None:
    tab.get_by_label("Organisation").fill("Ministry of Foreign Affairs <Norway>")
    tab.get_by_label("Kind of donor").select_option("government")
    tab.get_by_label("Country").select_option("NOR")
    tab.get_by_label("Contact name").fill("Kari Nordmann")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Indicative amount").fill("250000")
    tab.get_by_label("Currency").select_option("USD")
    tab.get_by_label("Message").fill("We would like to discuss the second phase.")
    tab.get_by_label("I agree to be contacted").check()


def test_register_interest_from_a_project_page(
    open_tab, portal, axe_source, screenshots, run_tasks
):
    kenya = portal["kenya"]
    tab = open_tab()
    tab.goto(kenya.get_absolute_url())
    tab.get_by_role("link", name="Register interest in this project").click()
    tab.wait_for_url(re.compile(r"/interest/$"))
    assert tab.get_by_role("checkbox", name=re.compile("Strengthening the criminal")).is_checked()

    fill_in_the_form(tab, email="kari@")
    tab.get_by_role("button", name="Register interest").click()
    tab.wait_for_selector(".error-summary")
    email = tab.get_by_label("Email")
    assert email.get_attribute("aria-invalid") == "true"
    assert tab.locator("#id_email_error").text_content() == (
        "Error: Enter an e-mail address such as name@ministry.gov."
    )
    assert tab.evaluate("document.activeElement.className") == "error-summary"
    assert tab.get_by_label("Organisation").input_value() == "Ministry of Foreign Affairs <Norway>"
    assert violations(tab, axe_source) == []
    tab.screenshot(path=str(screenshots / "interest-errors.png"), full_page=True)

    tab.get_by_role("link", name="Enter an e-mail address such as name@ministry.gov.").click()
    assert tab.evaluate("document.activeElement.id") == "id_email"
    email.fill("kari@mfa.example")
    tab.get_by_role("button", name="Register interest").click()
    tab.wait_for_url(re.compile(r"/interest/[\w-]{43}/$"))

    interest = Interest.objects.get()
    assert tab.locator(".reference").inner_text() == interest.reference
    page = tab.locator("main").inner_text()
    assert "Strengthening the criminal justice response to trafficking in Kenya" in page
    assert "kari@mfa.example" not in page and "Kari Nordmann" not in page
    assert interest.organisation == "Ministry of Foreign Affairs <Norway>"
    assert "A confirmation e-mail to the address you gave is being sent" in page
    run_tasks()  # the worker sends the e-mail
    assert ["kari@mfa.example"] in [m.to for m in mail.outbox]
    tab.reload()
    assert "We have sent a confirmation e-mail" in tab.locator("main").inner_text()
    assert violations(tab, axe_source) == []
    tab.screenshot(path=str(screenshots / "interest-confirmation.png"), full_page=True)
    assert tab.console_errors == []


@pytest.mark.parametrize(("width", "javascript"), [(375, True), (1280, True), (1280, False)])
def test_shortlist_survives_filters_and_starts_the_interest_form(
    open_tab, portal, width, javascript
):
    tab = open_tab(width=width, javascript=javascript)
    tab.goto("/projects/?sort=title")
    tab.get_by_role(
        "button", name="Add Border training for Ethiopian officers to shortlist"
    ).click()
    tab.wait_for_url(re.compile(r"/projects/\?sort=title#row-\d+$"))
    tab.get_by_role("button", name="Add Data collection in Nepal to shortlist").click()
    bar = tab.get_by_role("complementary", name="Shortlist")
    expect(bar).to_contain_text("2 shortlisted")
    # The bar stays on screen, at the bottom, while the donor scrolls.
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= 900 + 1
    # It survives another filter, sort and page.
    tab.goto("/projects/?country=KEN&sort=-budget")
    expect(bar).to_contain_text("2 shortlisted")
    screenshot(tab, f"shortlist-bar-{width}{'' if javascript else '-nojs'}", full_page=False)

    bar.get_by_role("link", name="Compare").click()
    tab.wait_for_url(re.compile(r"/shortlist/$"))
    headers = tab.locator("table.compare thead th").all_inner_texts()
    assert [h.strip() for h in headers] == [
        "Border training for Ethiopian officers",
        "Data collection in Nepal",
    ]
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(tab, f"shortlist-compare-{width}{'' if javascript else '-nojs'}")
    with tab.expect_download() as download:
        tab.get_by_role("link", name="CSV").first.click()
    assert download.value.suggested_filename.startswith("shortlist")

    tab.get_by_role("link", name="Register interest in these projects").click()
    tab.wait_for_url(re.compile(r"/interest/\?projects=\d+&projects=\d+$"))
    ticked = tab.locator(".choices.ticked label").all_inner_texts()
    assert ticked == ["Border training for Ethiopian officers", "Data collection in Nepal"]
    assert tab.locator("input[name=projects]:checked").count() == 2
    assert tab.console_errors == []


def test_the_form_fits_a_phone(open_tab, portal, screenshots):
    tab = open_tab(width=375)
    for url in ("/interest/", "/projects/"):
        tab.goto(url)
        tab.screenshot(path=str(screenshots / f"interest-{url.strip('/')}-375.png"), full_page=True)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375, url
