"""Small frictions a donor met: a currency parted from its amount, "these 1 project"."""

import re

import pytest
from django.urls import reverse

from projects.templatetags.figures import keep_currency_with_amount, money, printed, shortfall
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_amount_never_parts_from_its_currency():
    assert money("250000") == "US$\u00a0250,000"
    assert shortfall("-5") == "US$\u00a05 over-pledged"
    assert printed("US$ 300,000 per year; EUR  20 and US$ -5") == (
        "US$\u00a0300,000 per year; EUR\u00a020 and US$\u00a0-5"
    )
    # Only a currency followed by a figure is joined: words stay free to wrap.
    assert keep_currency_with_amount("in US$ terms, USD millions") == "in US$ terms, USD millions"


def test_pages_join_currency_and_amount_in_running_text(client):
    project = factories.project(
        "Varies", budget=None, budget_text="US$ 300,000 per year", stated_shortfall=None
    )
    html = client.get(project.get_absolute_url()).content.decode()
    assert "US$\u00a0300,000 per year" in html
    assert not re.search(r"US\$ \d", html)
    listing = client.get(reverse("project_list")).content.decode()
    assert not re.search(r"US\$ \d", listing)


@pytest.mark.parametrize(
    ("count", "language", "expected"),
    [
        (1, "", "Download this project for a meeting:"),
        (2, "", "Download these 2 projects for a meeting:"),
        (1, "/fr", "Télécharger ce projet pour une réunion :"),
        (2, "/es", "Descargar estos 2 proyectos para una reunión:"),
    ],
)
def test_the_download_line_says_one_project_or_several(client, count, language, expected):
    for n in range(count):
        factories.project(f"Project {n}")
    html = client.get(f"{language}/projects/").content.decode()
    assert expected in " ".join(html.replace("\u00a0", " ").split())
    assert "these 1 " not in html
