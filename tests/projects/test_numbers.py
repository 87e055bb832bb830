"""One rule reads every number typed into a URL or a form (projects/numbers.py).

The findings: an amount of 27 digits or more (or 1e27) made the project list a 500, and digits
that `str.isdigit()` accepts but `int()` refuses ("²") made the API and the interest form 500s.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.numbers import MAX_AMOUNT, NumberError, parse_amount, parse_integer
from tests import factories

BAD_AMOUNTS = [
    "1e27",
    "9" * 27,
    "1E5",
    "NaN",
    "Infinity",
    "-5",
    "٣٠٠",
    "１２",
    "²",
    "1,000",
    "0x10",
]
BAD_INTEGERS = ["²", "¹", "٣", "１", "-1", "1e3", "1.0", "9" * 30, "0", " "]


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=0, max_value=99))
def test_amounts_written_in_ascii_digits_read_exactly(whole, cents):
    assert parse_amount(f"{whole}.{cents:02d}") == Decimal(whole) + Decimal(cents) / 100
    assert parse_amount(f" {whole} ") == Decimal(whole)


@given(st.text(max_size=40))
def test_whatever_reads_as_an_amount_is_ascii_digits_within_bounds(text):
    try:
        amount = parse_amount(text)
    except NumberError:
        return
    assert set(text.strip(" \t\r\n")) <= set("0123456789.")
    assert Decimal(0) <= amount <= MAX_AMOUNT


@given(st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=5))
def test_digits_other_than_ascii_are_refused(text):
    if set(text) <= set("0123456789"):
        return
    with pytest.raises(NumberError):
        parse_integer(text)
    with pytest.raises(NumberError):
        parse_amount(text)


@pytest.mark.parametrize("text", BAD_AMOUNTS)
def test_amounts_that_are_not_plain_digits_are_refused(text):
    with pytest.raises(NumberError):
        parse_amount(text)


@pytest.mark.parametrize("text", BAD_INTEGERS)
def test_integers_that_are_not_plain_digits_in_range_are_refused(text):
    with pytest.raises(NumberError):
        parse_integer(text, low=1)


@pytest.fixture
def project(db):
    return factories.project(title="Border training", budget="5000", countries=("ETH",))


@pytest.mark.parametrize("value", ["1e27", "9" * 27, "٣٠٠"])
@pytest.mark.parametrize("name", ["min_shortfall", "max_shortfall"])
@pytest.mark.parametrize("htmx", [False, True])
def test_the_list_page_ignores_a_bad_amount_and_says_so_beside_the_field(
    client, project, name, value, htmx
):
    headers = {"HX-Request": "true", "HX-Target": "results"} if htmx else {}
    response = client.get("/projects/", {name: value}, headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Border training" in html  # the filter was not applied
    if not htmx:  # the range inputs are outside the refreshed results
        side = name.split("_")[0]
        assert f'aria-describedby="{side}-error"' in html
        assert "This filter was ignored." in html.split(f'id="{side}-error">')[1].split("</p>")[0]


def test_the_list_page_ignores_a_bad_focal_point_and_says_so_beside_its_menu(client, project):
    response = client.get("/projects/", {"focal_point": "²"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-describedby="focal_point-error"' in html
    assert "This filter was ignored." in html.split('id="focal_point-error">')[1]


@pytest.mark.parametrize("page", ["²", "٣", "9" * 40, "-1", "1e3"])
def test_the_list_page_shows_the_first_page_for_a_page_that_is_not_a_number(client, project, page):
    response = client.get("/projects/", {"page": page})
    assert response.status_code == 200
    assert "Border training" in response.content.decode()


@pytest.mark.parametrize("value", ["1e27", "9" * 27, "٣٠٠", "NaN"])
@pytest.mark.parametrize("url", ["/projects/export.csv", "/projects/export.xlsx", "/api/projects/"])
def test_exports_and_api_refuse_a_bad_amount_with_a_json_400(client, project, url, value):
    response = client.get(url, {"min_shortfall": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "invalid filter"
    assert "min_shortfall" in body["fields"]


@pytest.mark.parametrize("params", [{"page": "²"}, {"page_size": "¹"}, {"page": "٣"}])
def test_the_api_refuses_page_numbers_that_are_not_ascii_digits(client, project, params):
    response = client.get("/api/projects/", params)
    assert response.status_code == 400
    assert "page" in response.json()["error"]


def test_the_api_still_reads_plain_amounts(client, project):
    body = client.get("/api/projects/", {"min_shortfall": "4999.50", "page_size": "5"}).json()
    assert [row["title"] for row in body["results"]] == ["Border training"]
    assert client.get("/api/projects/", {"min_shortfall": "5000.01"}).json()["count"] == 0


@pytest.mark.parametrize("value", ["²", "٣", "9" * 40])
def test_the_interest_form_ignores_a_preselected_project_that_is_not_an_id(client, project, value):
    response = client.get("/interest/", {"projects": [value, str(project.pk)]})
    assert response.status_code == 200
    assert f'value="{project.pk}"' in response.content.decode()


@pytest.mark.parametrize("value", ["²", "٣", "9" * 40])
def test_the_interest_form_refuses_a_posted_project_that_is_not_an_id(client, project, value):
    data = factories.interest_form_data(project, projects=[value])
    response = client.post("/interest/", data)
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()


@pytest.mark.parametrize("amount", ["٣٠٠", "1e27", "9" * 27])
def test_the_interest_form_refuses_an_amount_that_is_not_plain_digits(client, project, amount):
    response = client.post("/interest/", factories.interest_form_data(project, amount=amount))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_amount_error"' in html
    from donors.models import Interest

    assert not Interest.objects.exists()
