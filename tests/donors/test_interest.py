"""Registering interest: one record per submission, committed before any e-mail goes out."""

import csv
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from donors.forms import InterestForm
from donors.interest import (
    RateLimited,
    client_address,
    resend_failed_mail,
    submit_interest,
)
from donors.models import Interest, InterestNote
from tests import factories
from tests.donors.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    p = factories.project(title="Border training", budget="1000", code="XAMT14")
    factories.focal_point(p, "hq", name="Silke Example", email="silke@unodc.example")
    factories.focal_point(p, "field", name="Leif Example", email="leif@unodc.example")
    return p


def valid_form(project, **changes):
    form = InterestForm(data=factories.interest_form_data(project, **changes))
    assert form.is_valid(), form.errors
    return form


def test_a_valid_submission_is_saved_then_both_emails_go_out_on_the_worker(
    project, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        interest, created = submit_interest(valid_form(project), "192.0.2.1")
    assert created
    assert mail.outbox == []  # nothing is sent in the request: two tasks wait for the worker
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "donors.interest.send_donor_confirmation",
        "donors.interest.send_staff_notification",
    ]
    run_tasks()
    interest.refresh_from_db()
    assert interest.reference.startswith("PO-")
    assert interest.amount == Decimal("250000")
    assert list(interest.projects.all()) == [project]
    assert interest.notification == interest.confirmation == Interest.Notification.SENT
    assert interest.notified_at and interest.confirmed_at
    confirmation, notification = sorted(mail.outbox, key=lambda m: m.to != ["kari@mfa.example"])
    assert confirmation.to == ["kari@mfa.example"]
    assert interest.reference in confirmation.subject
    assert "Border training" in confirmation.body
    assert set(notification.to) == {"cps@unodc.org", "silke@unodc.example", "leif@unodc.example"}
    assert notification.reply_to == ["kari@mfa.example"]
    assert "Ministry of Foreign Affairs" in notification.body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "Enter an e-mail address"),
        ("amount", "a lot", "Enter the amount as a number"),
        ("projects", [], "Select at least one project."),
        ("consent", "", "agree to be contacted"),
        ("organisation", "", "This field is required."),
        ("contact_name", "x" * 201, "at most 200 characters"),
        ("currency", "", "Say which currency"),
    ],
)
def test_each_bad_field_gets_its_own_message(project, field, value, message):
    form = InterestForm(data=factories.interest_form_data(project, **{field: value}))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_a_reposted_form_creates_one_record(project, django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = submit_interest(valid_form(project), "192.0.2.1")
        second, created_second = submit_interest(valid_form(project), "192.0.2.1")
    run_tasks()
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Interest.objects.count() == 1
    assert len(mail.outbox) == 2


def test_the_rate_limit_refuses_the_sixth_submission_in_an_hour(project, settings):
    settings.INTEREST_RATE_LIMIT = 5
    for n in range(5):
        submit_interest(valid_form(project, token=f"t{n}"), "192.0.2.7")
    with pytest.raises(RateLimited, match="At most 5 registrations an hour"):
        submit_interest(valid_form(project, token="t5"), "192.0.2.7")
    submit_interest(valid_form(project, token="t6"), "198.51.100.1")  # another address is fine
    assert Interest.objects.count() == 6


def test_the_honeypot_marks_a_bot(project):
    assert InterestForm(
        data=factories.interest_form_data(project, website="http://spam.example")
    ).is_bot
    assert not InterestForm(data=factories.interest_form_data(project)).is_bot


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def due_now() -> None:
    """Bring the retries the worker deferred forward to now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_failing_mail_server_is_retried_with_backoff_then_marked_failed(
    project, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.donors.test_interest.BrokenMailBackend"}}
    settings.INTEREST_MAIL_RETRY_DELAYS = [60, 600]
    with django_capture_on_commit_callbacks(execute=True):
        interest, created = submit_interest(valid_form(project), "192.0.2.1")
    started = timezone.now()
    run_tasks()
    interest.refresh_from_db()
    assert created
    assert interest.confirmation == interest.notification == Interest.Notification.RETRYING
    assert "mail server down (attempt 1; trying again in 0:01:00)" in interest.notification_error
    deferred = DBTaskResult.objects.filter(status="READY")
    assert deferred.count() == 2
    assert all(
        59 <= (t.run_after - started).total_seconds() <= 61 for t in deferred
    )  # backoff: the first delay
    due_now()
    run_tasks()
    interest.refresh_from_db()
    assert "attempt 2; trying again in 0:10:00" in interest.confirmation_error
    due_now()
    run_tasks()  # the third attempt is the last
    interest.refresh_from_db()
    assert interest.confirmation == interest.notification == Interest.Notification.FAILED
    assert "mail server down" in interest.notification_error
    assert not DBTaskResult.objects.filter(status="READY").exists()

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert resend_failed_mail(Interest.objects.all()) == (1, 1)
    run_tasks()
    interest.refresh_from_db()
    assert interest.confirmation == interest.notification == Interest.Notification.SENT
    assert len(mail.outbox) == 2


def test_a_refused_donor_address_never_stops_the_staff_notification(
    project, settings, django_capture_on_commit_callbacks, run_tasks
):
    with SMTPServer(refuse={"kari@mfa.example"}) as server:
        settings.MAILERS = server.mailers()
        with django_capture_on_commit_callbacks(execute=True):
            interest, _ = submit_interest(valid_form(project), "192.0.2.1")
        run_tasks()
    interest.refresh_from_db()
    assert interest.confirmation == Interest.Notification.FAILED  # at once: no retry
    assert "refused the address (kari@mfa.example: 550 5.1.1 No such mailbox)" in (
        interest.confirmation_error
    )
    assert interest.notification == Interest.Notification.SENT
    [staff_mail] = server.received
    assert set(staff_mail.recipients) == {
        "cps@unodc.org",
        "silke@unodc.example",
        "leif@unodc.example",
    }
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_resend_sends_only_what_failed(
    project, settings, django_capture_on_commit_callbacks, run_tasks
):
    with SMTPServer(refuse={"kari@mfa.example"}) as server:
        settings.MAILERS = server.mailers()
        with django_capture_on_commit_callbacks(execute=True):
            interest, _ = submit_interest(valid_form(project), "192.0.2.1")
        run_tasks()
        server.refuse.clear()  # the donor's mailbox works again
        assert resend_failed_mail(Interest.objects.all()) == (1, 0)
        run_tasks()
    interest.refresh_from_db()
    assert interest.confirmation == interest.notification == Interest.Notification.SENT
    staff_mail, confirmation = server.received  # the staff were not mailed twice
    assert confirmation.recipients == ["kari@mfa.example"]
    assert resend_failed_mail(Interest.objects.all()) == (0, 0)


def test_a_stalled_mail_server_is_retried_not_waited_for(
    project, settings, django_capture_on_commit_callbacks, run_tasks
):
    with SMTPServer(stall=True) as server:
        settings.MAILERS = server.mailers(timeout=0.3)
        with django_capture_on_commit_callbacks(execute=True):
            interest, _ = submit_interest(valid_form(project), "192.0.2.1")
        run_tasks()
    interest.refresh_from_db()
    assert interest.confirmation == interest.notification == Interest.Notification.RETRYING
    assert "timed out" in interest.confirmation_error


def interest_for(project, **fields):
    interest, _ = submit_interest(valid_form(project, **fields), None)
    return interest


def test_staff_move_an_interest_through_its_statuses(staff_client, project):
    interest = interest_for(project)
    url = reverse("admin:donors_interest_change", args=[interest.pk])
    form = staff_client.get(url).context["adminform"].form
    base = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    base["projects"] = [project.pk]
    base |= {"notes-TOTAL_FORMS": 0, "notes-INITIAL_FORMS": 0}
    for status in ("contacted", "in_discussion", "pledged"):
        response = staff_client.post(
            url, base | {"status": status, "follow_up_note": f"now {status}"}
        )
        assert response.status_code == 302, response.context["errors"]
        notes = list(InterestNote.objects.values_list("pk", flat=True))
        base["notes-TOTAL_FORMS"] = base["notes-INITIAL_FORMS"] = len(notes)
        base |= {f"notes-{i}-id": pk for i, pk in enumerate(notes)}
        base |= {f"notes-{i}-interest": interest.pk for i in range(len(notes))}
    interest.refresh_from_db()
    assert interest.status == "pledged"
    assert interest.handled_by.username == "staff"
    assert list(interest.notes.values_list("status", "note", "author__username")) == [
        ("contacted", "now contacted", "staff"),
        ("in_discussion", "now in_discussion", "staff"),
        ("pledged", "now pledged", "staff"),
    ]


def test_staff_export_selected_interests_as_csv_without_formulas(staff_client, project):
    interest = interest_for(project, organisation='=HYPERLINK("http://evil")')
    response = staff_client.post(
        reverse("admin:donors_interest_changelist"),
        {"action": "export_csv", "_selected_action": [interest.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["reference", "submitted", "status", "organisation"]
    assert rows[1][0] == interest.reference
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    assert rows[1][9] == "Border training"


def test_the_interest_admin_lists_with_bounded_queries(
    staff_client, project, django_assert_max_num_queries
):
    for n in range(20):
        interest_for(project, token=f"list-{n}")
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:donors_interest_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "198.51.100.7", "10.0.0.2", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "10.0.0.2", "198.51.100.7"),  # a spoofed first hop
        (2, "198.51.100.7", "10.0.0.2", "10.0.0.2"),  # fewer hops than proxies: not trusted
        (1, "not-an-address", "10.0.0.2", None),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    rf, settings, proxies, forwarded, remote, expected
):
    settings.PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_address(request) == expected


def test_a_taken_reference_is_drawn_again(project, monkeypatch):
    first = interest_for(project, token="first")
    draws = iter([first.reference, "PO-2026-FRESH1"])
    monkeypatch.setattr("donors.interest.new_reference", lambda: next(draws))
    second = interest_for(project, token="second")
    assert second.reference == "PO-2026-FRESH1"
    assert Interest.objects.count() == 2
