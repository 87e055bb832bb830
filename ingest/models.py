from __future__ import annotations

from django.db import models


class SourceDocument(models.Model):
    class Kind(models.TextChoices):
        BROCHURE = "brochure", "Partnership Opportunities brochure"
        ACTIVITY_REPORT = "activity_report", "Report on UNODC activities"

    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    edition = models.CharField(max_length=7, help_text="YYYY-MM as printed.")
    edition_date = models.DateField(null=True, blank=True)
    period_start = models.CharField(
        max_length=7, blank=True, help_text="YYYY-MM: the start of the period a report covers."
    )
    period_end = models.CharField(max_length=7, blank=True, help_text="YYYY-MM, inclusive.")
    file_name = models.CharField(max_length=300, blank=True)
    file_format = models.CharField(max_length=4, blank=True)
    file_hash = models.CharField("SHA-256", max_length=64, blank=True)
    ingested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-edition", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "edition"], name="source_document_edition"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})"

    @property
    def period_years(self) -> str:
        """ "2014–2016" for a report covering October 2014 to April 2016; "" when unknown."""
        first, last = self.period_start[:4], self.period_end[:4]
        if not first or not last:
            return ""
        return first if first == last else f"{first}–{last}"


class DataIssue(models.Model):
    """What the ingest could not reconcile: the portal shows it instead of fixing it."""

    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="issues"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="issues"
    )
    code = models.CharField(max_length=40, db_index=True)
    field = models.CharField(max_length=100, blank=True)
    message = models.TextField()
    raw_text = models.TextField(blank=True)
    location = models.CharField(max_length=100, blank=True, help_text="Page or line.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "code", "pk"]

    def __str__(self) -> str:
        return f"{self.code}: {self.message[:80]}"


class ReportParagraph(models.Model):
    """A numbered paragraph of an activity report: what UNODC did, where."""

    document = models.ForeignKey(
        SourceDocument, on_delete=models.CASCADE, related_name="paragraphs"
    )
    number = models.PositiveIntegerField()
    outline = models.CharField(max_length=500, help_text="The headings it sits under.")
    theme = models.CharField(max_length=60, db_index=True)
    text = models.TextField()
    countries = models.ManyToManyField("projects.Country", blank=True, related_name="paragraphs")
    number_recovered = models.BooleanField(
        default=False, help_text="The number was lost in the source and inferred from the sequence."
    )
    location = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="paragraph_number_unique"),
        ]

    def __str__(self) -> str:
        return f"¶ {self.number}"


class ReportFact(models.Model):
    """A headline figure of a report, such as 169 parties or 1,311 cases."""

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="facts")
    label = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    unit = models.CharField(max_length=60)
    paragraph_number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}"


class PendingUpload(models.Model):
    """A file staff uploaded in the admin: read (a dry run) and applied by the task worker.

    Kept in the database, not on a server's disk, so the web instance that took the upload
    and the worker that reads it may be different machines. The state and the pages read
    are what the admin's progress page shows.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        PREVIEWING = "previewing", "Reading the file (dry run)"
        PREVIEWED = "previewed", "Ready to apply"
        APPLY_QUEUED = "apply_queued", "Waiting for the worker to apply"
        APPLYING = "applying", "Applying"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Refused"

    name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    pages_read = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    overwrite_edits = models.BooleanField(default=False)
    preview = models.JSONField(null=True, blank=True, help_text="What applying would change.")
    result = models.JSONField(null=True, blank=True, help_text="What applying changed.")
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def busy(self) -> bool:
        return self.state in {
            self.State.QUEUED,
            self.State.PREVIEWING,
            self.State.APPLY_QUEUED,
            self.State.APPLYING,
        }
