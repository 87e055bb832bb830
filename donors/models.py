from __future__ import annotations

import datetime
import secrets

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Donor(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        MULTILATERAL = "multilateral", _("Multilateral")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental")
        FOUNDATION = "foundation", _("Foundation")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        "projects.Country", null=True, blank=True, on_delete=models.SET_NULL, related_name="donors"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("donor_detail", args=[self.slug])


def new_confirmation_token() -> str:
    """256 random bits: the confirmation page's address cannot be guessed or walked."""
    return secrets.token_urlsafe(32)


class Interest(models.Model):
    """A donor's registered interest in funding one or more projects, followed up by staff."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        IN_DISCUSSION = "in_discussion", _("In discussion")
        PLEDGED = "pledged", _("Pledged")
        DECLINED = "declined", _("Declined")

    class Notification(models.TextChoices):
        """Where one e-mail (the donor's confirmation, or the staff notification) stands."""

        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    class Currency(models.TextChoices):
        USD = "USD", _("US dollar")
        EUR = "EUR", _("Euro")
        GBP = "GBP", _("Pound sterling")
        CHF = "CHF", _("Swiss franc")
        JPY = "JPY", _("Japanese yen")
        SEK = "SEK", _("Swedish krona")
        NOK = "NOK", _("Norwegian krone")
        OTHER = "other", _("Other")

    reference = models.CharField(
        max_length=20, unique=True, editable=False, help_text="Short, for people to quote."
    )
    confirmation_token = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        default=new_confirmation_token,
        help_text="The secret part of the confirmation page's address.",
    )
    submission_token = models.CharField(
        max_length=64, unique=True, editable=False, help_text="Makes a re-posted form a no-op."
    )
    organisation = models.CharField(max_length=200)
    donor_kind = models.CharField(max_length=20, choices=Donor.Kind.choices)
    country = models.ForeignKey(
        "projects.Country", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=50, blank=True)
    projects = models.ManyToManyField("projects.Project", related_name="interests")
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=5, choices=Currency.choices, blank=True)
    message = models.TextField(max_length=5000, blank=True)
    consent = models.BooleanField(help_text="Agreed to be contacted about these projects.")
    client_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    language = models.CharField(
        max_length=8, default="en", editable=False, help_text="The language of the page used."
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NEW)
    handled_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmation = models.CharField(
        "confirmation e-mail",
        max_length=10,
        choices=Notification.choices,
        default=Notification.PENDING,
        help_text="The e-mail confirming the registration to the donor.",
    )
    confirmation_error = models.TextField(blank=True, editable=False)
    confirmed_at = models.DateTimeField("confirmation sent", null=True, blank=True, editable=False)
    notification = models.CharField(
        "staff notification",
        max_length=10,
        choices=Notification.choices,
        default=Notification.PENDING,
        help_text="The e-mail telling the co-financing section and the focal points.",
    )
    notification_error = models.TextField(blank=True, editable=False)
    notified_at = models.DateTimeField("notification sent", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["client_address", "submitted_at"])]
        permissions = [("export_interest", "Can export interests as CSV")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("interest_confirmation", args=[self.confirmation_token])


class InterestAmount(models.Model):
    """The amount a donor has in mind for one of the projects of an interest (optional; in
    the interest's currency)."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="amounts")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["interest", "project__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interest", "project"], name="interest_amount_one_per_project"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="interest_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.interest.currency} for project {self.project_id}"


class InterestNote(models.Model):
    """One step of the follow-up: who moved the interest to which status, and why."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="notes")
    status = models.CharField(max_length=15, choices=Interest.Status.choices)
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.created_at:%Y-%m-%d})"


class AddressLimitQuerySet(models.QuerySet):
    def lock(self, address: str, purpose: str) -> None:
        """Hold the row of (address, purpose) until the transaction ends, creating it if need be.

        One upsert statement: requests from one address for one purpose then run one after
        the other (a row lock on PostgreSQL; SQLite has one writer at a time anyway).
        Call it inside transaction.atomic().
        """
        now = timezone.now()
        self.bulk_create(
            [AddressLimit(address=address, purpose=purpose, touched_at=now, window_start=now)],
            update_conflicts=True,
            unique_fields=["address", "purpose"],
            update_fields=["touched_at"],
        )

    def count_hit(self, address: str, purpose: str, window: datetime.timedelta) -> int:
        """Count one request in the fixed window of (address, purpose); returns the count."""
        with transaction.atomic():
            self.lock(address, purpose)
            row = self.get(address=address, purpose=purpose)
            now = timezone.now()
            if row.window_start <= now - window:
                row.window_start, row.hits = now, 0
            row.hits += 1
            row.save(update_fields=["window_start", "hits"])
            return row.hits


class AddressLimit(models.Model):
    """Per client address and purpose: the row concurrent requests lock, and a request count.

    The interest rate limit locks it while it counts the saved interests and saves a new one,
    so simultaneous submissions cannot all pass the check; the confirmation pages count hits.
    """

    class Purpose(models.TextChoices):
        INTEREST = "interest", "Registering interest"
        CONFIRMATION = "confirmation", "Confirmation pages"

    address = models.GenericIPAddressField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    touched_at = models.DateTimeField()
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    objects = AddressLimitQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "purpose"], name="one_limit_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.purpose})"


class Alert(models.Model):
    """A saved search a donor follows by e-mail: a digest when a matching project appears or
    its shortfall changes. The address serves nothing else and goes with the unsubscribe."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As soon as something changes")
        WEEKLY = "weekly", _("At most once a week")

    email = models.EmailField(max_length=254)
    query = models.CharField(
        max_length=2000, blank=True, help_text="The project list's filters, as in its address."
    )
    description = models.CharField(max_length=500, help_text="The filters in words.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    language = models.CharField(max_length=8, default="en")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    snapshot = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Each matching project's shortfall when the donor was last told.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="alert_unique_search"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.description}"
