"""Alerts for a saved search: double opt-in, digests from the worker, one-click unsubscribe.

A donor saves the project list's filters with an address. Nothing is sent to the address but
the confirmation until its link is followed; then the worker compares the matching projects
with what the donor was last told (`Alert.snapshot`) whenever the data change, and sends a
digest of new projects and changed shortfalls — at once, or at most once a week. The address
is deleted with the alert on unsubscribe.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.tasks import TaskResultStatus, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from donors.models import Alert
from projects.filters import ProjectFilter
from projects.models import Project

logger = logging.getLogger(__name__)
CONFIRMATION_DAYS = 7
WEEK = datetime.timedelta(days=7)
IGNORED_PARAMETERS = {"sort", "page"}


class AlreadySubscribed(Exception):
    """This address already follows this search (or has a confirmation waiting)."""


class InvalidLink(Exception):
    """A confirmation or unsubscribe link that matches no alert, or is too old."""


def normalised_query(data: QueryDict) -> tuple[str, ProjectFilter]:
    """The filters of a project-list query in a stable order, without sort and page; unknown
    parameters and values the list would ignore are dropped."""
    filterset = ProjectFilter(data)
    filterset.is_valid()
    kept = [
        (name, value)
        for name in sorted(filterset.filters)
        if name not in IGNORED_PARAMETERS and name not in filterset.errors
        for value in sorted(data.getlist(name))
        if value.strip()
    ]
    query = QueryDict(mutable=True)
    for name, value in kept:
        query.appendlist(name, value)
    return query.urlencode(), ProjectFilter(query)


def describe(filterset: ProjectFilter) -> str:
    chips = filterset.chips(filterset.facets())
    if not chips:
        return "All projects"
    return "; ".join(f"{chip.label}: {chip.value}" for chip in chips)[:500]


def one_shortfall(project: Project) -> Decimal | None:
    """The shortfall donors are shown: budget − pledged where the budget is known, otherwise
    the published figure."""
    computed = getattr(project, "computed_shortfall", None)
    return computed if computed is not None else project.stated_shortfall


def current_state(alert: Alert) -> dict[str, str]:
    """{project id: shortfall} for every project the alert's search finds now."""
    projects = ProjectFilter(QueryDict(alert.query)).qs.order_by()
    return {
        str(project.pk): "" if (value := one_shortfall(project)) is None else f"{value:.2f}"
        for project in projects.only("pk", "budget", "pledged_total", "stated_shortfall")
    }


def subscribe(email: str, data: QueryDict, frequency: str, language: str) -> Alert:
    query, filterset = normalised_query(data)
    if Alert.objects.filter(email__iexact=email, query=query).exists():
        raise AlreadySubscribed(email)
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                email=email,
                query=query,
                description=describe(filterset),
                frequency=frequency,
                language=language,
                token=secrets.token_urlsafe(32),
            )
    except IntegrityError as error:  # the same address and search, sent twice at once
        raise AlreadySubscribed(email) from error
    transaction.on_commit(lambda: send_alert_confirmation.enqueue(alert.pk))
    return alert


def alert_for(token: str, *, confirmed: bool | None = None) -> Alert:
    alert = Alert.objects.filter(token=token).first() if token else None
    if alert is None:
        raise InvalidLink("This link matches no alert: it may have been unsubscribed already.")
    if confirmed is False and alert.confirmed_at is None:
        deadline = alert.created_at + datetime.timedelta(days=CONFIRMATION_DAYS)
        if timezone.now() > deadline:
            raise InvalidLink(
                f"This confirmation link was valid for {CONFIRMATION_DAYS} days and has "
                "expired. Save the search again to receive a new one."
            )
    return alert


def confirm(alert: Alert) -> bool:
    """Start the alert from what its search finds now; False when it was confirmed already."""
    updated = Alert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), snapshot=current_state(alert)
    )
    return bool(updated)


def unsubscribe(alert: Alert) -> None:
    Alert.objects.filter(pk=alert.pk).delete()


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def unsubscribe_url(alert: Alert) -> str:
    return absolute(reverse("alert_unsubscribe", args=[alert.token]))


def list_headers(alert: Alert) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe button."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(alert)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@task
def send_alert_confirmation(alert_id: int) -> str:
    alert = Alert.objects.filter(pk=alert_id, confirmed_at__isnull=True).first()
    if alert is None:
        return "gone"
    with translation.override(alert.language):
        context = {
            "alert": alert,
            "confirm_url": absolute(reverse("alert_confirm", args=[alert.token])),
            "days": CONFIRMATION_DAYS,
        }
        EmailMessage(
            subject="Confirm your alert for UNODC partnership opportunities",
            body=render_to_string("donors/email/alert_confirmation.txt", context),
            to=[alert.email],
        ).send()
    return "sent"


@dataclass(frozen=True)
class Change:
    project: Project
    before: Decimal | None
    after: Decimal | None

    @property
    def is_new(self) -> bool:
        return self.before is None


def changes(alert: Alert, state: dict[str, str]) -> list[Change]:
    def amount(text: str | None) -> Decimal | None:
        return Decimal(text) if text else None

    changed_ids = [pk for pk, value in state.items() if alert.snapshot.get(pk) != value]
    projects = Project.objects.with_totals().in_bulk([int(pk) for pk in changed_ids])
    found = [
        Change(projects[int(pk)], amount(alert.snapshot.get(pk)), amount(state[pk]))
        for pk in changed_ids
        if int(pk) in projects
    ]
    return sorted(found, key=lambda change: (not change.is_new, change.project.title))


def digest(alert: Alert, found: list[Change]) -> EmailMessage:
    with translation.override(alert.language):
        context = {
            "alert": alert,
            "new": [c for c in found if c.is_new],
            "changed": [c for c in found if not c.is_new],
            "list_url": absolute(
                reverse("project_list") + (f"?{alert.query}" if alert.query else "")
            ),
            "unsubscribe_url": unsubscribe_url(alert),
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
        }
        return EmailMessage(
            subject=f"UNODC partnership opportunities: {len(found)} update"
            + ("s" if len(found) != 1 else ""),
            body=render_to_string("donors/email/alert_digest.txt", context),
            to=[alert.email],
            headers=list_headers(alert),
        )


@task
def check_alerts() -> dict[str, int]:
    """Send a digest to each confirmed alert whose search found something new, when due."""
    now = timezone.now()
    sent = deferred = 0
    for alert in Alert.objects.filter(confirmed_at__isnull=False).order_by("pk"):
        state = current_state(alert)
        found = changes(alert, state)
        if not found:
            if state != alert.snapshot:  # projects left the search: nothing to tell
                Alert.objects.filter(pk=alert.pk).update(snapshot=state)
            continue
        due = (
            alert.last_sent_at + WEEK
            if alert.frequency == Alert.Frequency.WEEKLY and alert.last_sent_at
            else now
        )
        if due > now:
            check_alerts.using(run_after=due).enqueue()
            deferred += 1
            continue
        digest(alert, found).send()
        Alert.objects.filter(pk=alert.pk).update(snapshot=state, last_sent_at=now)
        sent += 1
    return {"sent": sent, "deferred": deferred}


def request_alert_check() -> None:
    """After a change to the data, have the worker check the alerts once (not once a row)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not Alert.objects.filter(confirmed_at__isnull=False).exists():
        return
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=check_alerts.module_path,
        run_after=get_date_max(),  # queued to run as soon as a worker is free
    )
    if not waiting.exists():
        check_alerts.enqueue()


def data_changed(sender, **kwargs) -> None:
    transaction.on_commit(request_alert_check)
