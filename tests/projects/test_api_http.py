"""The API speaks HTTP: HEAD like GET without a body, OPTIONS with Allow, JSON 404 and 405."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/projects/", "/api/regions/", "/api/donors/", "/api/schema/"]


@pytest.fixture
def project():
    return factories.project(title="Border training", budget="5000", countries=("ETH",))


def endpoints(project) -> list[str]:
    return [*ENDPOINTS, f"/api/projects/{project.slug}/"]


def test_head_answers_like_get_without_a_body(client, project):
    for url in endpoints(project):
        got = client.get(url)
        head = client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head["Content-Type"] == got["Content-Type"] == "application/json"
        assert int(head["Content-Length"]) == len(got.content) > 0
        assert head.content == b""


def test_head_of_a_missing_project_is_the_same_404(client):
    assert client.head("/api/projects/no-such-project/").status_code == 404


def test_options_says_which_methods_are_allowed(client, project):
    for url in endpoints(project):
        response = client.options(url)
        assert response.status_code == 200, url
        assert {m.strip() for m in response["Allow"].split(",")} == {"GET", "HEAD", "OPTIONS"}
        assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_methods_are_refused_in_the_error_shape(client, method):
    response = getattr(client, method)("/api/projects/")
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "read-only" in response.json()["error"]


@pytest.mark.parametrize(
    "url", ["/api/", "/api/nothing/", "/api/projects/a/b/", "/api/projects/<x>/", "/api/x.php"]
)
def test_an_unknown_api_address_is_a_json_404(client, url):
    for response in (client.get(url), client.post(url), client.head(url)):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    assert "no API endpoint" in client.get(url).json()["error"]


def test_a_missing_slash_is_redirected_with_its_query(client, project):
    response = client.get("/api/projects", {"country": "ETH"})
    assert response.status_code == 301
    assert response["Location"] == "/api/projects/?country=ETH"
