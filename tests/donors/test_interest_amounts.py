"""The interest form says how it read each amount, and takes one amount per chosen project."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from donors.interest import staff_notification
from donors.models import Interest, InterestAmount
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    return factories.project("Border training"), factories.project("Shelters for victims")


def page_text(response) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(text.split())


def post(client, data):
    return client.post(reverse("register_interest"), data, REMOTE_ADDR="192.0.2.7")


def summary(response) -> list[str]:
    html = response.content.decode()
    block = html[html.index('class="error-summary"') : html.index("</ul>", html.index("error"))]
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in block.split("<li>")[1:]]


@pytest.mark.parametrize(
    ("typed", "currency", "read"),
    [
        ("250,000", "USD", "Read as US$ 250,000"),
        ("250 000", "USD", "Read as US$ 250,000"),
        ("250000.00", "USD", "Read as US$ 250,000"),
        ("1,234.5", "EUR", "Read as EUR 1,234.50"),
        ("250 000", "", "Read as 250,000"),
    ],
)
def test_checking_the_amounts_shows_how_they_were_read_and_saves_nothing(
    client, two, typed, currency, read
):
    # Only the amount filled in: the other fields' errors wait for the real submit.
    response = post(
        client,
        {
            "token": "t1",
            "projects": [two[0].pk],
            "amount": typed,
            "currency": currency,
            "check_amounts": "1",
        },
    )
    assert response.status_code == 200
    text = page_text(response)
    assert read in text
    assert 'class="error-summary"' not in response.content.decode() or currency == ""
    assert Interest.objects.count() == 0
    assert "This field is required" not in text


def test_without_a_currency_the_check_asks_for_one(client, two):
    response = post(
        client, {"token": "t1", "projects": [two[0].pk], "amount": "5", "check_amounts": "1"}
    )
    assert summary(response) == ["Currency: say which currency the amount is in."]


def test_several_projects_get_an_amount_box_each(client, two):
    one = client.get(reverse("register_interest"), {"projects": [two[0].pk]}).content.decode()
    assert "amount_for_" not in one
    html = client.get(
        reverse("register_interest"), {"projects": [two[0].pk, two[1].pk]}
    ).content.decode()
    for project in two:
        assert f'name="amount_for_{project.pk}"' in html
        assert f"Amount for {project.title}" in html


def test_ticking_a_second_project_then_checking_adds_its_box_without_javascript(client, two):
    data = {"token": "t1", "projects": [p.pk for p in two], "check_amounts": "1"}
    html = post(client, data).content.decode()
    assert f'name="amount_for_{two[1].pk}"' in html


def test_amounts_per_project_are_stored_and_shown_as_read(client, two):
    border, shelters = two
    data = factories.interest_form_data(border, projects=[border.pk, shelters.pk], amount="")
    data |= {f"amount_for_{border.pk}": "100,000", f"amount_for_{shelters.pk}": "50 000.50"}
    response = post(client, data)
    assert response.status_code == 302, summary(response)
    interest = Interest.objects.get()
    assert interest.amount == Decimal("150000.50")  # the amounts per project give the whole
    assert dict(InterestAmount.objects.values_list("project__title", "amount")) == {
        "Border training": Decimal("100000"),
        "Shelters for victims": Decimal("50000.50"),
    }
    text = page_text(client.get(response["Location"]))
    assert re.search(r"Border training ?: US\$ 100,000\b", text)
    assert re.search(r"Shelters for victims ?: US\$ 50,000\.50", text)
    assert re.search(r"Indicative amount, as we read it: US\$ 150,000\.50 ?\.", text)
    body = staff_notification(interest).body
    assert "- Border training: 100000.00 USD" in body


def test_a_project_untick_drops_its_amount(client, two):
    border, shelters = two
    data = factories.interest_form_data(border, amount="")
    data |= {f"amount_for_{shelters.pk}": "5"}  # a box of a project no longer ticked
    assert post(client, data).status_code == 302
    assert InterestAmount.objects.count() == 0
    assert Interest.objects.get().amount is None


def test_amounts_per_project_are_validated_and_named_in_the_summary(client, two):
    border, shelters = two
    data = factories.interest_form_data(border, projects=[border.pk, shelters.pk])
    data |= {f"amount_for_{shelters.pk}": "lots"}
    response = post(client, data)
    assert summary(response) == [
        "Amount for Shelters for victims: enter the amount as a number, for example 250,000."
    ]
    assert f'id="id_amount_for_{shelters.pk}_error"' in response.content.decode()
    # What could be read is said back beside its box.
    assert "Read as US$ 250,000" in page_text(response)
    assert Interest.objects.count() == 0


def test_amounts_per_project_may_not_exceed_the_amount_given(client, two):
    border, shelters = two
    data = factories.interest_form_data(border, projects=[border.pk, shelters.pk], amount="100")
    data |= {f"amount_for_{border.pk}": "80", f"amount_for_{shelters.pk}": "30"}
    response = post(client, data)
    assert summary(response) == [
        "Indicative amount: the amounts per project add up to 110, more than this amount: "
        "change one or the other."
    ]


def test_the_error_summary_names_each_field(client, two):
    data = factories.interest_form_data(two[0], email="kari@", organisation="", consent="")
    assert summary(post(client, data)) == [
        "Organisation: this field is required.",
        "Email: enter an e-mail address such as name@ministry.gov.",
        "I agree to be contacted by UNODC about these projects.: we can only follow up if "
        "you agree to be contacted.",
    ]
