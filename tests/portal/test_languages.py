"""The portal in English, French and Spanish: URLs, the language switch, hreflang links."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_a_donor_gets_the_confirmation_in_the_language_of_the_page_used(
    client, django_capture_on_commit_callbacks, run_tasks
):
    from django.core import mail

    project = factories.project("Border posts")
    data = factories.interest_form_data(project)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/projects/{project.slug}/interest/", data)
    assert response.status_code == 302
    run_tasks()
    confirmation = next(m for m in mail.outbox if m.to == ["kari@mfa.example"])
    assert confirmation.subject.startswith("Votre intérêt pour les possibilités de partenariat")
    assert "Bonjour Kari Nordmann," in confirmation.body
    notification = next(m for m in mail.outbox if m.to != ["kari@mfa.example"])
    assert notification.subject.startswith("Donor interest")  # staff read English


def test_the_list_speaks_the_page_language(client):
    factories.project("Border posts", budget="1758800", countries=("CIV",))
    html = client.get("/fr/projects/").content.decode()
    assert "Déficit le plus important d’abord" in html  # the sort, in French
    assert "US$\xa01\xa0758\xa0800" in html  # grouped by (no-break) spaces, as UN French does
    assert "Côte d’Ivoire" in html
    spanish = client.get("/es/projects/").content.decode()
    assert "US$\xa01\xa0758\xa0800" in spanish


def test_an_export_from_a_spanish_page_has_spanish_headers(client):
    import csv
    import io

    factories.project("Border posts", budget="1000")
    content = b"".join(client.get("/es/projects/export.csv").streaming_content).decode()
    header = next(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert header[:2] == ["Código", "Proyecto"]
    assert "Presupuesto (US$)" in header
    english = b"".join(client.get("/projects/export.csv").streaming_content).decode()
    assert english.lstrip("\ufeff").startswith("Code,Project,")


def test_the_admin_speaks_french_and_spanish_too(client):
    french = client.get("/fr/admin/login/").content.decode()
    assert '<html lang="fr"' in french and "Nom d’utilisateur" in french
    spanish = client.get("/es/admin/login/").content.decode()
    assert "Nombre de usuario" in spanish
    assert "Username" in client.get("/admin/login/").content.decode()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/", "/projects/", "/donors/", "/projects/export.csv", "/api/projects/"]),
    query=st.text(alphabet="ab=&%é +/?#", max_size=12),
    language=st.sampled_from(["en", "fr", "es"]),
)
def test_each_language_version_is_what_translate_url_gives(rf, path, query, language):
    """The header's language links come from the URL Django resolved for the request: the
    same as resolving it again with translate_url()."""
    from django.urls import resolve, translate_url
    from django.utils import translation

    from projects.templatetags.languages import in_language

    with translation.override(language):  # as LocaleMiddleware sets it from the path
        if language != "en" and not path.startswith("/api/"):
            path = f"/{language}{path}"
        request = rf.get(path, QUERY_STRING=query)
        request.resolver_match = resolve(request.path_info)
        here = request.get_full_path()
        for code in ("en", "fr", "es"):
            assert in_language(request, here, code) == translate_url(here, code)
