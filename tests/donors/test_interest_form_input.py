"""The interest form reads amounts as people write them, offers every kind of donor and names
each field in its error summary."""

from decimal import Decimal

import pytest
from django.urls import reverse

from donors.forms import InterestForm
from donors.models import Donor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("250,000", Decimal("250000")),
        ("250 000", Decimal("250000")),
        ("250\u00a0000", Decimal("250000")),
        ("250000.00", Decimal("250000.00")),
        ("1,234,567.50", Decimal("1234567.50")),
    ],
)
def test_amounts_are_read_as_people_write_them(typed, read):
    project = factories.project("Shelters")
    form = InterestForm(data=factories.interest_form_data(project, amount=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == read


@pytest.mark.parametrize("typed", ["25,00", "250.000,00", "lots", "2,50,000"])
def test_ambiguous_amounts_are_refused_with_a_message(typed):
    project = factories.project("Shelters")
    form = InterestForm(data=factories.interest_form_data(project, amount=typed))
    assert not form.is_valid()
    assert "amount" in form.errors


def test_foundations_and_the_private_sector_are_kinds_of_donor():
    assert {"government", "multilateral", "foundation", "private_sector", "other"} <= set(
        Donor.Kind.values
    )
    project = factories.project("Shelters")
    form = InterestForm(data=factories.interest_form_data(project, donor_kind="foundation"))
    assert form.is_valid(), form.errors


def test_the_error_summary_names_each_field(client):
    project = factories.project("Shelters")
    response = client.post(reverse("register_interest"), {"token": "t"}, REMOTE_ADDR="192.0.2.9")
    html = response.content.decode()
    summary = html[
        html.index('class="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    assert summary.count("This field is required.") == 0
    assert "Organisation:" in summary or "Organisation name:" in summary
    assert "Email:" in summary or "E-mail:" in summary
    assert project.title  # the project list is offered again
