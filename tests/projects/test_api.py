"""The JSON API: same filters and totals as the pages, decimal strings, a schema that holds."""

from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    africa = factories.section("Africa & Middle East", order=1)
    north = factories.subregion(africa, "North Africa")
    norway = factories.donor("Norway")
    programme = factories.project(
        title="Programme",
        code="XAMT14",
        budget="2705000",
        pledges=((norway, "2144559"), (None, "132626")),
        countries=("MAR", "EGY"),
        section=africa,
        subregion=north,
        stated_shortfall=Decimal("427814"),
    )
    factories.focal_point(programme, "hq", name="Silke Albert", email="silke@unodc.example")
    factories.project(title="Example", budget="570000", parent=programme, section=africa)
    factories.project(title="Elsewhere", budget="100", section=factories.section("Global"))
    return programme


def test_project_list_filters_and_totals(client, data):
    body = client.get("/api/projects/", {"country": "mar"}).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["code"] == "XAMT14"
    assert row["budget"] == "2705000.00"
    assert row["pledged"] == "2277185.00"
    assert row["computed_shortfall"] == "427815.00"
    assert row["stated_shortfall"] == "427814.00"
    assert sorted(row["countries"]) == ["EGY", "MAR"]
    assert body["totals"]["shortfall"] == "427815.00"
    everything = client.get("/api/projects/").json()
    assert everything["count"] == 2  # the partnership example is not a top-level project
    assert everything["totals"]["budget"] == "2705100.00"  # the programme and "Elsewhere"
    assert everything["totals"]["pledged"] == "2277185.00"


def test_project_list_paginates_and_refuses_bad_input(client, data):
    assert client.get("/api/projects/", {"page_size": 1, "page": 2}).json()["page"] == 2
    assert client.get("/api/projects/", {"page": 9}).status_code == 404
    assert client.get("/api/projects/", {"page_size": 1000}).status_code == 400
    bad = client.get("/api/projects/", {"min_shortfall": "lots"})
    assert bad.status_code == 400
    assert "min_shortfall" in bad.json()["fields"]


def test_project_detail(client, data):
    body = client.get(f"/api/projects/{data.slug}/").json()
    assert body["pledges"] == [
        {"donor": "Norway", "donor_slug": "norway", "amount": "2144559.00", "note": None},
        {"donor": None, "donor_slug": None, "amount": "132626.00", "note": None},
    ]
    assert body["focal_points"][0]["email"] == "silke@unodc.example"
    assert [e["title"] for e in body["examples"]] == ["Example"]
    assert client.get("/api/projects/nothing-here/").status_code == 404


def test_regions_and_donors(client, data):
    regions = {r["slug"]: r for r in client.get("/api/regions/").json()}
    assert regions["africa-middle-east"]["shortfall"] == "427815.00"
    assert regions[data.subregion.slug]["parent"] == "africa-middle-east"
    donors = client.get("/api/donors/").json()
    assert donors == [
        {
            "slug": "norway",
            "name": "Norway",
            "kind": "other",
            "country": None,
            "pledged": "2144559.00",
            "projects": 1,
        }
    ]


def check_operation(operation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def conforms(case):
        response = case.call()
        # Invalid input must be refused cleanly (a documented 4xx), never a server error.
        assert response.status_code < 500, (case.as_curl_command(), response.text[:300])
        if mode is GenerationMode.POSITIVE:
            case.validate_response(response)

    conforms()


@pytest.mark.django_db(transaction=True)
def test_the_api_conforms_to_its_schema(live_server, data):
    """schemathesis generates requests from /api/schema/ and checks every response against it."""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4
    for operation in operations:
        check_operation(operation, GenerationMode.POSITIVE)
        if operation.query or operation.path_parameters:
            check_operation(operation, GenerationMode.NEGATIVE)


def test_the_api_returns_description_markup_sanitised(client, data):
    data.description = (
        '<p class="footnote">Note</p><img src=x onerror="alert(1)"><script>x</script>'
    )
    data.save()
    body = client.get(f"/api/projects/{data.slug}/").json()
    assert body["description_html"] == '<p class="footnote">Note</p>'
