"""Alerts for a saved search: double opt-in, digests from the worker, one-click unsubscribe."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from donors.models import Alert
from projects.models import Pledge
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def africa(db):
    section = factories.section("Africa and Middle East")
    gap = factories.project("Border posts", budget="1000000", section=section, countries=("SEN",))
    factories.project("Elsewhere", budget="5000", section=factories.section("Europe"))
    return section, gap


def link(message, name: str) -> str:
    return re.search(rf"http://\S+/alerts/{name}/[\w-]+/", message.body).group(0)


def subscribe(client, django_capture_on_commit_callbacks, section, **fields):
    data = {
        "email": "kari@mfa.example",
        "frequency": "immediate",
        "query": f"section={section.slug}",
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/alerts/", data | fields)


def start_alert(client, django_capture_on_commit_callbacks, run_tasks, section) -> Alert:
    response = subscribe(client, django_capture_on_commit_callbacks, section)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    run_tasks()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["kari@mfa.example"]
    confirm_url = link(confirmation, "confirm")
    path = confirm_url.split("8000", 1)[1]
    assert "Start the alert" in client.get(path).content.decode()  # GET changes nothing
    assert Alert.objects.get().confirmed_at is None
    assert "Alert started" in client.post(path).content.decode()
    mail.outbox.clear()
    return Alert.objects.get()


def test_an_alert_starts_only_after_its_address_is_confirmed(
    client, africa, django_capture_on_commit_callbacks, run_tasks
):
    section, gap = africa
    response = subscribe(client, django_capture_on_commit_callbacks, section)
    assert response.status_code == 200
    alert = Alert.objects.get()
    assert alert.description == "Section: Africa and Middle East"
    assert alert.query == f"section={section.slug}"
    # Before confirmation a change sends nothing but the confirmation itself.
    with django_capture_on_commit_callbacks(execute=True):
        Pledge.objects.create(project=gap, amount=Decimal("10"))
    run_tasks()
    assert [m.subject for m in mail.outbox] == [
        "Confirm your alert for UNODC partnership opportunities"
    ]


def test_a_changed_shortfall_and_a_new_project_send_one_digest(
    client, africa, django_capture_on_commit_callbacks, run_tasks
):
    section, gap = africa
    alert = start_alert(client, django_capture_on_commit_callbacks, run_tasks, section)
    assert alert.snapshot == {str(gap.pk): "1000000.00"}

    with django_capture_on_commit_callbacks(execute=True):
        Pledge.objects.create(project=gap, amount=Decimal("250000"))
        factories.project("Shelters", budget="300000", section=section)
        factories.project("Not in the search", budget="1", section=factories.section("Europe"))
    run_tasks()
    (digest,) = mail.outbox
    assert digest.to == ["kari@mfa.example"]
    body = digest.body
    assert "New projects:\n- Shelters: shortfall US$\u00a0300,000" in body
    assert "Border posts: US$\u00a01,000,000 → US$\u00a0750,000" in body
    assert "Not in the search" not in body
    unsubscribe = link(digest, "unsubscribe")
    assert digest.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Told once: the worker running again sends nothing more.
    mail.outbox.clear()
    gap.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        gap.save()
    run_tasks()
    assert mail.outbox == []


def test_a_weekly_alert_waits_a_week_after_its_last_digest(
    client, africa, django_capture_on_commit_callbacks, run_tasks
):
    section, gap = africa
    alert = start_alert(client, django_capture_on_commit_callbacks, run_tasks, section)
    Alert.objects.filter(pk=alert.pk).update(
        frequency=Alert.Frequency.WEEKLY, last_sent_at=timezone.now() - datetime.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        Pledge.objects.create(project=gap, amount=Decimal("1"))
    run_tasks()
    assert mail.outbox == []  # deferred to the end of the week
    Alert.objects.filter(pk=alert.pk).update(
        last_sent_at=timezone.now() - datetime.timedelta(days=8)
    )
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe_deletes_the_address(
    client, africa, django_capture_on_commit_callbacks, run_tasks
):
    section, _ = africa
    alert = start_alert(client, django_capture_on_commit_callbacks, run_tasks, section)
    path = f"/alerts/unsubscribe/{alert.token}/"
    assert "Unsubscribe" in client.get(path).content.decode()
    # A mail client's RFC 8058 POST carries no CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Alert.objects.filter(email="kari@mfa.example").exists()
    # Replayed: a clear page, nothing to change.
    again = client.post(path)
    assert again.status_code == 404
    assert "matches no alert" in again.content.decode()


def test_bad_input_gets_a_clear_page_and_changes_nothing(
    client, africa, django_capture_on_commit_callbacks, run_tasks
):
    section, _ = africa
    response = subscribe(
        client, django_capture_on_commit_callbacks, section, email="not-an-address"
    )
    assert response.status_code == 400
    assert "E-mail address: Enter a valid email address." in response.content.decode()
    assert not Alert.objects.exists()

    subscribe(client, django_capture_on_commit_callbacks, section)
    again = subscribe(client, django_capture_on_commit_callbacks, section, email="KARI@mfa.example")
    assert again.status_code == 409
    assert "already follows this search" in again.content.decode()
    assert Alert.objects.count() == 1

    # An expired confirmation link starts nothing.
    alert = Alert.objects.get()
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    expired = client.post(f"/alerts/confirm/{alert.token}/")
    assert expired.status_code == 404
    assert "expired" in expired.content.decode()
    assert Alert.objects.get().confirmed_at is None
    assert client.post("/alerts/confirm/not-a-token/").status_code == 404

    # A confirmed one, confirmed again, changes nothing.
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now())
    client.post(f"/alerts/confirm/{alert.token}/")
    first = Alert.objects.get().confirmed_at
    replay = client.post(f"/alerts/confirm/{alert.token}/")
    assert "already" in replay.content.decode()
    assert Alert.objects.get().confirmed_at == first


def test_the_list_offers_alerts_for_its_search(client, africa):
    section, _ = africa
    page = client.get(f"/projects/?section={section.slug}").content.decode()
    assert f'href="/alerts/?section={section.slug}"' in page
    form = client.get(f"/alerts/?section={section.slug}").content.decode()
    assert "Section: Africa and Middle East" in form


def test_staff_see_subscriptions_in_the_admin(staff_client, africa):
    section, _ = africa
    Alert.objects.create(
        email="kari@mfa.example",
        query=f"section={section.slug}",
        description="Section: Africa and Middle East",
        frequency="weekly",
        token="t" * 20,
    )
    page = staff_client.get("/admin/donors/alert/").content.decode()
    assert "kari@mfa.example" in page and "Section: Africa and Middle East" in page
    detail = staff_client.get(f"/admin/donors/alert/{Alert.objects.get().pk}/change/")
    assert detail.status_code == 200 and "kari@mfa.example" in detail.content.decode()
