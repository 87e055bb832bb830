"""Registering interest: commit the submission first, then tell people by e-mail.

The record is saved before any mail is sent, so a failing mail server never loses it. The donor's
confirmation and the staff notification are separate tasks on the worker, each with its own
status on the record (sent, retrying, failed with the reason), so one never stops the other and
the request never waits for a mail server.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from donors.forms import InterestForm
from donors.models import AddressLimit, Interest, InterestAmount

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


LOGIN_NAME_LENGTH = 255  # django-axes's AccessAttempt.username


def login_name(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The name an admin login tried, as django-axes records it: cut to the length its table
    holds (a longer name would end the login in a database error instead of a refusal)."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    name = source.get("username")
    return name[:LOGIN_NAME_LENGTH] if isinstance(name, str) else name


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
            _(
                "At most %(limit)s registrations an hour can come from one address. Please try "
                "again later, or write to %(email)s."
            )
            % {"limit": settings.INTEREST_RATE_LIMIT, "email": settings.CO_FINANCING_EMAIL}
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
                interest.language = get_language() or settings.LANGUAGE_CODE
                interest.save()
                form.save_m2m()
                InterestAmount.objects.bulk_create(
                    InterestAmount(interest=interest, project_id=pk, amount=amount)
                    for pk, amount in form.project_amounts().items()
                )
            break
        except IntegrityError:
            raced = Interest.objects.filter(submission_token=token).first()
            if raced:  # two requests with the same token: the other one won
                return raced, False
            # Otherwise the random reference was taken: draw another one.
    else:
        raise IntegrityError("no free reference number after three draws")
    transaction.on_commit(lambda: send_interest_mail(interest.pk))
    return interest, True


def donor_confirmation(interest: Interest) -> EmailMessage:
    """In the language of the page the donor used."""
    context = {"interest": interest, "projects": list(interest.projects.all())}
    with translation.override(interest.language or settings.LANGUAGE_CODE):
        return EmailMessage(
            subject=_("Your interest in UNODC partnership opportunities (%(reference)s)")
            % {"reference": interest.reference},
            body=render_to_string("donors/email/confirmation.txt", context),
            to=[interest.email],
        )


def staff_notification(interest: Interest) -> EmailMessage:
    projects = list(interest.projects.prefetch_related("focal_roles__focal_point"))
    amounts = {row.project_id: row.amount for row in interest.amounts.all()}
    for project in projects:
        project.interest_amount = amounts.get(project.pk)
    staff = {settings.CO_FINANCING_EMAIL}
    for project in projects:
        staff |= {r.focal_point.email for r in project.focal_roles.all() if r.focal_point.email}
    return EmailMessage(
        subject=f"Donor interest {interest.reference}: {interest.organisation}",
        body=render_to_string(
            "donors/email/notification.txt", {"interest": interest, "projects": projects}
        ),
        to=sorted(staff),
        reply_to=[interest.email],
    )


def is_permanent(error: Exception) -> bool:
    """A refusal the mail server will repeat (an address it rejects, a 5xx reply)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return True
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


def as_text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def failure_reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {as_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        return f"The mail server refused the address ({refused})"[:2000]
    return f"{type(error).__name__}: {error}"[:2000]


@dataclass(frozen=True)
class Mail:
    """One of the two e-mails of an interest, with the fields that record how it went."""

    build: Callable[[Interest], EmailMessage]
    status: str
    error: str
    sent_at: str


CONFIRMATION = Mail(donor_confirmation, "confirmation", "confirmation_error", "confirmed_at")
NOTIFICATION = Mail(staff_notification, "notification", "notification_error", "notified_at")


def deliver(mail: Mail, interest_id: int, attempt: int, retry) -> str:
    """Send one e-mail and record the outcome; a passing failure is tried again later."""
    interest = Interest.objects.filter(pk=interest_id).first()
    if interest is None:
        return "gone"
    record = Interest.objects.filter(pk=interest_id)
    try:
        mail.build(interest).send()
    except Exception as error:  # any mail failure must leave a visible trace, not a lost record
        reason = failure_reason(error)
        delays = settings.INTEREST_MAIL_RETRY_DELAYS
        if is_permanent(error) or attempt > len(delays):
            logger.warning("%s for %s failed: %s", mail.status, interest.reference, reason)
            record.update(**{mail.status: Interest.Notification.FAILED, mail.error: reason})
            return Interest.Notification.FAILED
        delay = datetime.timedelta(seconds=delays[attempt - 1])
        record.update(
            **{
                mail.status: Interest.Notification.RETRYING,
                mail.error: f"{reason} (attempt {attempt}; trying again in {delay})",
            }
        )
        retry.using(run_after=timezone.now() + delay).enqueue(interest_id, attempt + 1)
        return Interest.Notification.RETRYING
    record.update(
        **{mail.status: Interest.Notification.SENT, mail.error: "", mail.sent_at: timezone.now()}
    )
    return Interest.Notification.SENT


@task
def send_donor_confirmation(interest_id: int, attempt: int = 1) -> str:
    """The donor's confirmation; a refused donor address never holds up the staff's mail."""
    return deliver(CONFIRMATION, interest_id, attempt, send_donor_confirmation)


@task
def send_staff_notification(interest_id: int, attempt: int = 1) -> str:
    return deliver(NOTIFICATION, interest_id, attempt, send_staff_notification)


def send_interest_mail(interest_id: int) -> None:
    """Queue both e-mails of a new interest, each a task of its own."""
    send_donor_confirmation.enqueue(interest_id)
    send_staff_notification.enqueue(interest_id)


def resend_failed_mail(interests) -> tuple[int, int]:
    """Queue again only the e-mails that failed; returns (confirmations, notifications)."""
    failed = Interest.Notification.FAILED
    confirmations = list(interests.filter(confirmation=failed).values_list("pk", flat=True))
    notifications = list(interests.filter(notification=failed).values_list("pk", flat=True))
    Interest.objects.filter(pk__in=confirmations).update(confirmation=Interest.Notification.PENDING)
    Interest.objects.filter(pk__in=notifications).update(notification=Interest.Notification.PENDING)
    for pk in confirmations:
        send_donor_confirmation.enqueue(pk)
    for pk in notifications:
        send_staff_notification.enqueue(pk)
    return len(confirmations), len(notifications)
