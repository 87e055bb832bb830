"""Registering interest: commit the submission first, then tell people by e-mail.

The record is saved before any mail is sent, so a failing mail server never loses it; the
notification state on the record tells staff what still has to go out.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string

from donors.forms import InterestForm
from donors.models import AddressLimit, Interest

logger = logging.getLogger(__name__)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RateLimited(Exception):
    """Too many submissions from one address within the window."""


def client_address(request: HttpRequest) -> str | None:
    """The donor's address, also behind `PROXY_COUNT` trusted proxies (X-Forwarded-For).

    The admin login lockout (django-axes) uses this too, so both limits count the same
    address.
    """
    address = request.META.get("REMOTE_ADDR") or None
    if settings.PROXY_COUNT:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= settings.PROXY_COUNT:
            address = hops[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def new_reference() -> str:
    return f"PO-{timezone.now():%Y}-{get_random_string(6, REFERENCE_ALPHABET)}"


def check_rate_limit(address: str | None) -> None:
    """Refuse a registration past the hourly limit of its address. Inside a transaction, it
    holds the address's lock until the new interest is saved, so simultaneous submissions
    from one address are counted one after the other."""
    if not address:
        return
    AddressLimit.objects.lock(address, AddressLimit.Purpose.INTEREST)
    window = timezone.now() - datetime.timedelta(seconds=settings.INTEREST_RATE_WINDOW_SECONDS)
    recent = Interest.objects.filter(client_address=address, submitted_at__gte=window).count()
    if recent >= settings.INTEREST_RATE_LIMIT:
        raise RateLimited(
            f"At most {settings.INTEREST_RATE_LIMIT} registrations an hour can come from one "
            "address. Please try again later, or write to "
            f"{settings.CO_FINANCING_EMAIL}."
        )


def submit_interest(form: InterestForm, address: str | None) -> tuple[Interest, bool]:
    """Save a valid form once; a re-post of the same form returns the first record.

    Returns the interest and whether it was created by this call.
    """
    token = form.cleaned_data["token"]
    existing = Interest.objects.filter(submission_token=token).first()
    if existing:
        return existing, False
    for _attempt in range(3):
        try:
            with transaction.atomic():
                check_rate_limit(address)
                interest = form.save(commit=False)
                interest.submission_token = token
                interest.reference = new_reference()
                interest.client_address = address
                interest.save()
                form.save_m2m()
            break
        except IntegrityError:
            raced = Interest.objects.filter(submission_token=token).first()
            if raced:  # two requests with the same token: the other one won
                return raced, False
            # Otherwise the random reference was taken: draw another one.
    else:
        raise IntegrityError("no free reference number after three draws")
    transaction.on_commit(lambda: send_interest_notifications.enqueue(interest.pk))
    return interest, True


def notification_messages(interest: Interest) -> list[EmailMessage]:
    projects = list(interest.projects.prefetch_related("focal_roles__focal_point"))
    context = {"interest": interest, "projects": projects}
    staff = {settings.CO_FINANCING_EMAIL}
    for project in projects:
        staff |= {r.focal_point.email for r in project.focal_roles.all() if r.focal_point.email}
    return [
        EmailMessage(
            subject=f"Your interest in UNODC partnership opportunities ({interest.reference})",
            body=render_to_string("donors/email/confirmation.txt", context),
            to=[interest.email],
        ),
        EmailMessage(
            subject=f"Donor interest {interest.reference}: {interest.organisation}",
            body=render_to_string("donors/email/notification.txt", context),
            to=sorted(staff),
            reply_to=[interest.email],
        ),
    ]


@task
def send_interest_notifications(interest_id: int) -> str:
    """Send the donor's confirmation and the staff notification; record how it went."""
    interest = Interest.objects.get(pk=interest_id)
    try:
        for message in notification_messages(interest):
            message.send()
    except Exception as error:  # any mail failure must leave a visible trace, not a lost record
        logger.exception("Notification for %s failed", interest.reference)
        Interest.objects.filter(pk=interest.pk).update(
            notification=Interest.Notification.FAILED,
            notification_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return Interest.Notification.FAILED
    Interest.objects.filter(pk=interest.pk).update(
        notification=Interest.Notification.SENT, notification_error="", notified_at=timezone.now()
    )
    return Interest.Notification.SENT
