"""The portal in English, French and Spanish: URLs, the language switch, hreflang links."""

from __future__ import annotations

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix, language", [("", "en"), ("/fr", "fr"), ("/es", "es")])
def test_every_donor_page_answers_in_each_language(client, prefix, language):
    project = factories.project("Border posts", countries=("SEN",))
    pages = ["/", "/projects/", project.get_absolute_url(), "/countries/SEN/", "/donors/"]
    for page in pages:
        response = client.get(prefix + page)
        assert response.status_code == 200, prefix + page
        assert f'<html lang="{language}">' in response.content.decode()


def test_each_page_links_its_other_languages(client):
    factories.section("Global")
    html = client.get("/projects/?section=global").content.decode()
    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)
    )
    assert alternates == {
        "en": "http://testserver/projects/?section=global",
        "x-default": "http://testserver/projects/?section=global",
        "fr": "http://testserver/fr/projects/?section=global",
        "es": "http://testserver/es/projects/?section=global",
    }
    switch = re.search(r'<nav aria-label="Language" class="languages">(.*?)</nav>', html, re.S)
    links = re.findall(
        r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+"( aria-current="true")?>', switch.group(1)
    )
    assert links == [
        ("/projects/?section=global", "en", ' aria-current="true"'),
        ("/fr/projects/?section=global", "fr", ""),
        ("/es/projects/?section=global", "es", ""),
    ]


def test_api_and_admin_keep_their_addresses(client):
    assert client.get("/api/projects/").status_code == 200
    assert client.get("/fr/api/projects/").status_code == 404
    assert client.get("/admin/login/").status_code == 200
