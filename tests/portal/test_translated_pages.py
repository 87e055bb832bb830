"""The donor pages in French and Spanish: headings translated, the documents' English marked."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "prefix, overview_heading, list_heading, pledges, count",
    [
        (
            "/fr",
            "Possibilités de partenariat contre la traite des personnes et le trafic illicite"
            " de migrants",
            "Projets en quête de financement",
            "Annonces de contributions",
            "2 projets",
        ),
        (
            "/es",
            "Oportunidades de asociación contra la trata de personas y el tráfico ilícito"
            " de migrantes",
            "Proyectos que buscan financiación",
            "Promesas de contribución",
            "2 proyectos",
        ),
        (
            "",
            "Partnership opportunities against trafficking in persons and smuggling of migrants",
            "Projects seeking funding",
            "Pledges",
            "2 projects",
        ),
    ],
)
def test_donor_pages_are_in_the_page_language(
    client, prefix, overview_heading, list_heading, pledges, count
):
    donor = factories.donor("Norway")
    project = factories.project(
        "Border posts in Senegal",
        budget="1000000",
        pledges=((donor, "250000"),),
        countries=("SEN",),
        description="<p>Training for border officers.</p>",
    )
    factories.project("Data collection in Nepal", budget="450000", countries=("NPL",))

    overview = page(client, prefix + "/")
    assert f"<h1>{overview_heading}</h1>" in overview

    listing = page(client, prefix + "/projects/")
    assert f"<h1>{list_heading}</h1>" in listing
    assert f'tabindex="-1">{count}</h2>' in listing  # the plural form of the language
    title = ' lang="en"' if prefix else ""  # English pages need no mark
    assert re.search(rf'<a href="[^"]+"{title}>Border posts in Senegal</a>', listing)

    detail = page(client, f"{prefix}/projects/{project.slug}/")
    assert f"<h1{title}>Border posts in Senegal</h1>" in detail
    assert f'<h2 id="pledges-title">{pledges}</h2>' in detail
    assert f"<div{title}><p>Training for border officers.</p></div>" in detail


@pytest.mark.parametrize(
    "prefix, senegal", [("/fr", "Sénégal"), ("/es", "Senegal"), ("", "Senegal")]
)
def test_countries_are_named_in_the_page_language(client, prefix, senegal):
    project = factories.project("Border posts", countries=("SEN",))
    detail = page(client, f"{prefix}/projects/{project.slug}/")
    assert f'/countries/SEN/">{senegal}</a>' in detail
    assert f"<h1>{senegal}</h1>" in page(client, prefix + "/countries/SEN/")


def test_the_french_map_and_chart_keep_plain_numbers(client):
    """SVG lengths never take the page's decimal comma."""
    factories.project("Border posts", budget="1000000", countries=("SEN",))
    overview = page(client, "/fr/")
    svg_numbers = re.findall(r'(?:width|height|x|y)="([^"]*)"', overview)
    assert svg_numbers and not [n for n in svg_numbers if "," in n]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_plural_form_is_filled(language):
    """French and Spanish have three plural forms in Django's catalogues (one, many, other):
    a form left empty shows the English to a donor counting 3 projects."""
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    forms = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    incomplete = [
        e.msgid
        for e in po
        if e.msgid_plural and not e.obsolete
        if [i for i in range(forms) if not e.msgstr_plural.get(i)]
    ]
    assert incomplete == []
