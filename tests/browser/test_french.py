"""A donor walks the portal in French, from the overview to a registered interest, in Chromium."""

import re

import pytest

from donors.models import Interest
from tests.browser.support import screenshot
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

KENYA = "Strengthening the criminal justice response to trafficking in Kenya"


def looks_right(tab, axe_source: str, name: str, width: int) -> None:
    """The page is French, keeps the document's own English marked as such, and passes axe."""
    assert tab.locator("html").get_attribute("lang") == "fr"
    assert violations(tab, axe_source) == []
    screenshot(tab, f"fr-{name}-{width}")


@pytest.mark.parametrize("width", [375, 1280])
def test_a_donor_registers_interest_in_french(open_tab, portal, axe_source, width):
    tab = open_tab(width=width)
    tab.goto("/fr/")
    assert tab.get_by_role("heading", level=1).inner_text() == (
        "Possibilités de partenariat contre la traite des personnes"
        " et le trafic illicite de migrants"
    )
    assert tab.get_by_role("heading", name="Déficit de financement par section").is_visible()
    footer = tab.locator(".site-footer").inner_text()
    assert footer.startswith("Les chiffres sont ceux publiés par l’ONUDC")
    looks_right(tab, axe_source, "overview", width)

    tab.get_by_role("link", name="Parcourir tous les projets").click()
    tab.wait_for_url(re.compile(r"/fr/projects/$"))
    assert tab.get_by_role("heading", level=1).inner_text() == "Projets en quête de financement"
    assert tab.locator("#results-heading").inner_text() == "3 projets"
    assert "Télécharger ces 3 projets pour une réunion" in tab.locator(".exports").inner_text()
    title_link = tab.locator("table.projects a", has_text=KENYA)
    assert title_link.get_attribute("lang") == "en"
    looks_right(tab, axe_source, "projects", width)

    title_link.click()
    tab.wait_for_url(re.compile(r"/fr/projects/[\w-]+/$"))
    heading = tab.get_by_role("heading", level=1)
    assert heading.inner_text() == KENYA and heading.get_attribute("lang") == "en"
    assert tab.get_by_role("heading", name="Annonces de contributions", exact=True).is_visible()
    figures = tab.locator("section.funding").inner_text()
    assert "Déficit de financement" in figures and "le chiffre affiché" in figures
    assert "Pays" in tab.locator("dl.facts").inner_text()
    assert tab.locator(".description > div").get_attribute("lang") == "en"
    looks_right(tab, axe_source, "project", width)

    tab.get_by_role("link", name="Manifester son intérêt pour ce projet").click()
    tab.wait_for_url(re.compile(r"/fr/projects/[\w-]+/interest/$"))
    assert tab.get_by_role("heading", level=1).inner_text() == "Manifester son intérêt"
    assert tab.get_by_role("group", name="Votre organisation").is_visible()
    assert tab.locator("#id_projects_{}".format(portal["kenya"].pk)).is_checked()
    looks_right(tab, axe_source, "interest-form", width)

    # By id: the fields' labels come from the form, which the Python catalogue translates.
    tab.locator("#id_organisation").fill("Ministère des affaires étrangères")
    tab.locator("#id_donor_kind").select_option("government")
    tab.locator("#id_country").select_option("FRA")
    tab.locator("#id_contact_name").fill("Claire Dupont")
    tab.locator("#id_email").fill("claire@diplomatie.example")
    tab.locator("#id_amount").fill("100000")
    tab.locator("#id_currency").select_option("EUR")
    tab.locator("#id_consent").check()
    tab.get_by_role("button", name="Manifester son intérêt").click()
    tab.wait_for_url(re.compile(r"/fr/interest/[\w-]+/$"))

    interest = Interest.objects.get()
    assert interest.organisation == "Ministère des affaires étrangères"
    assert tab.get_by_role("heading", level=1).inner_text() == (
        "Merci : votre intérêt est enregistré"
    )
    main = tab.locator("main").inner_text()
    assert interest.reference in main
    assert "Un courriel de confirmation est en cours d’envoi" in main
    assert tab.locator("main ul a", has_text=KENYA).get_attribute("lang") == "en"
    looks_right(tab, axe_source, "interest-confirmation", width)
    assert tab.console_errors == []
