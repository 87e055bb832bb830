"""Registering interest through the pages: nothing lost, no spam, no duplicates."""

import re
import time
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from donors.models import Interest
from tests import factories
from tests.donors.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db

INVALID_FIELDS = [
    ("email", "not-an-address", "Enter an e-mail address such as name@ministry.gov."),
    ("amount", "a lot", "Enter the amount as a number, for example 250,000 or 250000.50."),
    ("projects", [], "Select at least one project."),
    ("consent", "", "We can only follow up if you agree to be contacted."),
    ("organisation", "", "This field is required."),
    ("contact_name", "x" * 201, "at most 200 characters"),
    ("currency", "", "Say which currency the amount is in."),
]


@pytest.fixture
def project():
    p = factories.project(title="Border training", code="XAMT14", slug="border-training")
    factories.focal_point(p, "hq", name="Silke Example", email="silke@unodc.example")
    return p


def page_text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def form_url(project) -> str:
    return reverse("project_interest", args=[project.slug])


def post(client, project, **changes):
    return client.post(
        form_url(project), factories.interest_form_data(project, **changes), REMOTE_ADDR="192.0.2.1"
    )


def test_the_project_page_links_to_the_form_which_ticks_that_project(client, project):
    other = factories.project(title="Shelters for victims")
    detail = client.get(project.get_absolute_url()).content.decode()
    assert f'href="{form_url(project)}"' in detail
    assert "mailto:cps@unodc.org?subject=" in detail  # still offered, as a second way

    html = client.get(form_url(project)).content.decode()
    assert re.search(rf'value="{project.pk}" id="id_projects_{project.pk}" checked', html)
    assert re.search(rf'value="{other.pk}" id="id_projects_{other.pk}">', html)
    token = re.search(r'name="token" value="([\w-]+)"', html).group(1)
    assert len(token) >= 40
    assert token not in client.get(form_url(project)).content.decode()  # fresh on every GET
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_valid_submission_is_saved_mailed_and_confirmed(
    client, project, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, project)
    interest = Interest.objects.get()
    before = page_text(client.get(response["Location"]))
    assert "A confirmation e-mail to the address you gave is being sent" in before
    run_tasks()
    assert response.status_code == 302
    assert response["Location"] == f"/interest/{interest.confirmation_token}/"
    assert list(interest.projects.all()) == [project]
    assert interest.client_address == "192.0.2.1"
    confirmation, notification = sorted(mail.outbox, key=lambda m: m.to != ["kari@mfa.example"])
    assert confirmation.to == ["kari@mfa.example"]
    assert "silke@unodc.example" in notification.to

    page = page_text(client.get(response["Location"]))
    assert interest.reference in page
    assert "Border training" in page
    assert "We have sent a confirmation e-mail" in page
    assert "What happens next" in page


def test_the_confirmation_page_shows_no_contact_data(client, project):
    post(client, project)
    interest = Interest.objects.get()
    html = client.get(interest.get_absolute_url()).content
    assert interest.reference.encode() in html
    for private in ("kari@mfa.example", "Kari Nordmann", "+47 22", "Ministry of Foreign", "II."):
        assert private.encode() not in html
    assert client.get(reverse("interest_confirmation", args=["PO-2000-NOSUCH"])).status_code == 404


@pytest.mark.parametrize(("field", "value", "message"), INVALID_FIELDS)
def test_each_invalid_field_shows_its_message_beside_it_and_keeps_what_was_typed(
    client, project, field, value, message
):
    typed = {"organisation": "Ministry <of> Foreign Affairs", field: value}
    response = post(client, project, **typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert Interest.objects.count() == 0
    field_error = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', html).group(1)
    assert message in unescape(field_error)
    # The error summary links to the field, and the field says it is invalid and why.
    anchor = f"id_projects_{project.pk}" if field == "projects" else f"id_{field}"
    assert f'<a href="#{anchor}">' in html
    assert "There is a problem" in html and html.count("autofocus") == 1
    if field == "projects":
        assert 'aria-describedby="projects_helptext id_projects_error"' in html
    else:
        control = re.search(rf'<(?:input|select|textarea)[^>]*id="id_{field}"[^>]*>', html).group()
        assert 'aria-invalid="true"' in control
        assert f"id_{field}_error" in control
    # What was typed stays, escaped.
    assert 'value="token-1"' in html
    assert "We would like to discuss phase II." in html
    if field != "organisation":
        assert 'value="Ministry &lt;of&gt; Foreign Affairs"' in html
    if field != "email":
        assert 'value="kari@mfa.example"' in html
    if field not in ("amount", "currency"):
        assert 'value="250000"' in html
    if field != "projects":
        assert re.search(rf'id="id_projects_{project.pk}" checked', html)


def test_an_invalid_amount_keeps_exactly_what_was_typed(client, project):
    html = post(client, project, amount="250.000,00").content.decode()
    assert 'value="250.000,00"' in html
    assert (
        "Indicative amount: enter the amount as a number, for example 250,000 or 250000.50." in html
    )


def test_line_breaks_cannot_reach_the_mail_headers(client, project):
    post(client, project, organisation="Evil\r\nBcc: victim@spam.example")
    interest = Interest.objects.get()
    assert interest.organisation == "Evil Bcc: victim@spam.example"


def test_a_double_submit_gives_one_record_and_the_same_confirmation(
    client, project, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, project)
        second = post(client, project)
    run_tasks()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Interest.objects.count() == 1
    assert len(mail.outbox) == 2


def test_the_sixth_registration_in_an_hour_from_one_address_is_refused(client, project, settings):
    settings.INTEREST_RATE_LIMIT = 5
    for n in range(5):
        assert post(client, project, token=f"t{n}").status_code == 302
    response = post(client, project, token="t5")
    html = response.content.decode()
    assert response.status_code == 429
    assert "At most 5 registrations an hour can come from one address" in page_text(response)
    assert "cps@unodc.org" in html
    assert 'value="Ministry of Foreign Affairs"' in html  # the form is kept
    assert 'value="t5"' in html
    assert Interest.objects.count() == 5
    other = client.post(
        form_url(project),
        factories.interest_form_data(project, token="t6"),
        REMOTE_ADDR="192.0.2.9",
    )
    assert other.status_code == 302


def test_a_filled_honeypot_is_refused_and_nothing_is_saved(client, project, settings):
    settings.CO_FINANCING_EMAIL = "cps@example.org"
    response = post(client, project, website="http://spam.example")
    page = page_text(response)
    assert response.status_code == 400
    assert "refused" in page
    assert "a field meant to stay empty was filled in" in page
    assert "If you are a person, write to cps@example.org" in page
    assert Interest.objects.count() == 0
    assert mail.outbox == []


def test_the_honeypot_is_hidden_by_a_class_from_eyes_and_assistive_technology(client, project):
    html = client.get(form_url(project)).content.decode()
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">(.*?)</div>', html, re.S)
    assert '<label for="id_website">Leave this field empty</label>' in honeypot.group(1)
    assert 'tabindex="-1"' in honeypot.group(1)
    assert "style=" not in html


def test_a_stalled_mail_server_never_holds_the_registration(
    client, project, settings, django_capture_on_commit_callbacks
):
    """A server that accepts connections and never answers: the page answers at once."""
    stall = 10  # seconds the mailer would wait on the silent server
    with SMTPServer(stall=True) as server:
        settings.MAILERS = server.mailers(timeout=stall)
        post(client, project, token="warm-up")  # first-request costs (URLs, templates) aside
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, project)
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    # Far below the mailer's wait even on a loaded machine (tests run one per CPU): the
    # registration never waited on the mail server.
    assert elapsed < stall / 5, f"registering took {elapsed:.3f} s"


def test_the_confirmation_page_tells_the_truth_about_the_donors_email(
    client, project, settings, django_capture_on_commit_callbacks, run_tasks
):
    with SMTPServer(refuse={"kari@mfa.example"}) as server:
        settings.MAILERS = server.mailers()
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, project)
        run_tasks()
    interest = Interest.objects.get()
    assert interest.notification == Interest.Notification.SENT
    page = page_text(client.get(response["Location"]))
    assert interest.reference in page
    assert "We could not send a confirmation e-mail to the address you gave" in page
    assert "our mail server refused that address" in page
    assert "We have sent" not in page


def test_a_post_without_the_csrf_token_is_refused(project):
    response = Client(enforce_csrf_checks=True).post(
        form_url(project), factories.interest_form_data(project)
    )
    assert response.status_code == 403
    assert Interest.objects.count() == 0


def test_a_missing_token_renews_the_form_instead_of_saving(client, project):
    data = factories.interest_form_data(project)
    del data["token"]
    html = client.post(form_url(project), data).content.decode()
    assert "This form could not be matched to the page it came from" in html
    token = re.search(r'name="token" value="([\w-]+)"', html).group(1)
    assert len(token) >= 40
    assert Interest.objects.count() == 0


def test_the_shortlist_ticks_its_projects_in_one_form(client, project):
    second = factories.project(title="Shelters for victims")
    third = factories.project(title="Data collection")
    for pk in (project.pk, second.pk):
        client.post(reverse("shortlist_change"), {"add": pk})
    shortlist_html = client.get(reverse("shortlist")).content.decode()
    link = f'href="{reverse("register_interest")}?projects={project.pk}&amp;projects={second.pk}"'
    assert link in shortlist_html

    url = reverse("register_interest")
    html = client.get(f"{url}?projects={project.pk}&projects={second.pk}&projects=x").content
    html = html.decode()
    assert re.search(rf'id="id_projects_{project.pk}" checked', html)
    assert re.search(rf'id="id_projects_{second.pk}" checked', html)
    assert re.search(rf'id="id_projects_{third.pk}">', html)
    response = client.post(
        url,
        factories.interest_form_data(project, projects=[project.pk, second.pk]),
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302
    assert set(Interest.objects.get().projects.all()) == {project, second}


def test_a_partnership_example_can_be_chosen_from_its_own_page(client, project):
    example = factories.project(title="Example 1: Shelters", parent=project)
    html = client.get(form_url(example)).content.decode()
    assert re.search(rf'id="id_projects_{example.pk}" checked', html)
    unpublished = factories.project(title="Draft", published=False)
    assert client.get(form_url(unpublished)).status_code == 404


def test_unknown_or_huge_project_ids_are_ignored_or_refused(client, project):
    url = reverse("register_interest")
    assert client.get(f"{url}?projects=99999999999999999999999&projects=-1").status_code == 200
    response = post(client, project, projects=["99999999999999999999999"])
    assert response.status_code == 200
    assert Interest.objects.count() == 0


@pytest.mark.parametrize("url_name", ["register_interest", "project_interest"])
def test_the_form_page_runs_few_queries_with_200_projects(
    client, django_assert_max_num_queries, url_name
):
    programmes = factories.portfolio(200)
    args = [programmes[0].slug] if url_name == "project_interest" else []
    ticked = "&".join(f"projects={p.pk}" for p in programmes[:5])
    with django_assert_max_num_queries(12):
        response = client.get(f"{reverse(url_name, args=args)}?{ticked}")
    assert response.status_code == 200
    assert response.content.decode().count('name="projects"') >= 200


def test_a_form_with_errors_runs_few_queries_with_200_projects(
    client, django_assert_max_num_queries
):
    programmes = factories.portfolio(200)
    data = factories.interest_form_data(
        programmes[0], projects=[p.pk for p in programmes[:20]], email="x"
    )
    with django_assert_max_num_queries(12):
        response = client.post(reverse("register_interest"), data)
    assert response.status_code == 200


def test_the_confirmation_address_is_a_random_token_not_the_reference(client, project):
    post(client, project)
    post(client, project, token="token-2")
    first, second = Interest.objects.order_by("pk")
    for interest in (first, second):
        # At least 128 random bits, URL-safe base64 (6 bits a character).
        assert re.fullmatch(r"[\w-]{22,}", interest.confirmation_token)
        assert len(interest.confirmation_token) * 6 >= 128
        assert client.get(interest.get_absolute_url()).status_code == 200
        # The short reference stays for the phone, but it opens nothing.
        assert client.get(f"/interest/{interest.reference}/").status_code == 404
    assert first.confirmation_token != second.confirmation_token


def test_confirmation_pages_are_rate_limited_per_address(client, project, settings):
    settings.CONFIRMATION_RATE_LIMIT = 3
    post(client, project)
    url = Interest.objects.get().get_absolute_url()
    walker = {"REMOTE_ADDR": "203.0.113.50"}
    statuses = [client.get(url, **walker).status_code for _ in range(2)]
    statuses += [client.get("/interest/guessed-token/", **walker).status_code]
    refused = client.get(url, **walker)
    assert statuses == [200, 200, 404]  # guesses count too
    assert refused.status_code == 429
    assert "At most 3 confirmation pages an hour" in page_text(refused)
    assert int(refused["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="198.51.100.8").status_code == 200  # another address
