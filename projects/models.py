from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from projects.querysets import FundingStatus, ProjectQuerySet, project_figures
from projects.templatetags.figures import money

__all__ = [
    "BudgetPhase",
    "Country",
    "FocalPoint",
    "FundingStatus",
    "Pledge",
    "Project",
    "ProjectFocalPoint",
    "ProjectRevision",
    "Region",
    "Theme",
]


class Region(models.Model):
    class Kind(models.TextChoices):
        SECTION = "section", "Section"
        SUBREGION = "subregion", "Subregion"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subregions",
        limit_choices_to={"kind": "section"},
        help_text="The section a subregion is listed under.",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "parent", "name"], name="region_unique_name"),
            models.CheckConstraint(
                condition=Q(kind="section", parent__isnull=True) | Q(kind="subregion"),
                name="region_section_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("region_detail", args=[self.slug])


class Country(models.Model):
    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, primary_key=True)
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    name = models.CharField(
        max_length=100, unique=True, help_text="The UN's short name (UNTERM, else M49)."
    )
    name_fr = models.CharField("name in French", max_length=100, blank=True)
    name_es = models.CharField("name in Spanish", max_length=100, blank=True)
    m49_region = models.CharField("M49 region", max_length=60, blank=True)
    m49_subregion = models.CharField(
        "M49 subregion",
        max_length=60,
        blank=True,
        help_text="The narrowest M49 grouping, such as “Western Africa”.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("country_detail", args=[self.iso3])

    def name_in(self, language: str) -> str:
        """The UN name in `language` ("fr", "es"), English where none is recorded."""
        return getattr(self, f"name_{language}", "") or self.name

    @property
    def local_name(self) -> str:
        """The UN name in the language of the page being rendered."""
        return self.name_in((get_language() or "en")[:2])


THEME_LABELS = {
    "trafficking": _("Trafficking in persons"),
    "smuggling": _("Smuggling of migrants"),
}


def theme_label(slug: str, name: str) -> str:
    """A theme's name in the active language (the table holds the English one)."""
    return str(THEME_LABELS.get(slug, name))


class Theme(models.Model):
    """What a project is about; a project has one or more (a set, so it is found under each)."""

    slug = models.SlugField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return theme_label(self.slug, self.name)


def themes_in_words(themes) -> str:
    """Themes in the active language, one "and" apart."""
    return str(_(" and ")).join(str(theme) for theme in themes)


# What a parsed document's theme ("trafficking", "smuggling" or "both") means as a set.
THEMES_OF = {"both": ("trafficking", "smuggling")}


def themes_of(printed_theme: str) -> tuple[str, ...]:
    return THEMES_OF.get(printed_theme, (printed_theme,))


class Project(models.Model):
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, unique=True)
    code = models.CharField(
        "UNODC code", max_length=20, blank=True, help_text="Such as GLOT59; unique when set."
    )
    section = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="section_projects",
        limit_choices_to={"kind": Region.Kind.SECTION},
    )
    subregion = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subregion_projects",
        limit_choices_to={"kind": Region.Kind.SUBREGION},
    )
    region_label = models.CharField(
        "region as printed",
        max_length=300,
        blank=True,
        help_text="The document's “Region:” line, word for word; shown where no subregion is set.",
    )
    country_label = models.TextField(
        "countries as printed",
        blank=True,
        help_text="The document's “Country:” / “Countries:” line, word for word. The portal "
        "files the project under the countries chosen below, not under this text.",
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="projects")
    coverage_note = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects")
    budget = models.DecimalField(
        "budget (US$)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The budget in US dollars, the figure every total and shortfall uses. "
        "Leave empty when it varies or is not stated.",
    )
    budget_text = models.CharField(
        "budget as printed",
        max_length=300,
        blank=True,
        help_text="The budget exactly as the document printed it (such as “US$ 1.76 million” "
        "or “varies”), kept as the source; shown to donors only beside the figure.",
    )
    budget_note = models.TextField(blank=True)
    pledges_text = models.TextField(
        "pledges as printed",
        blank=True,
        help_text="The pledges line exactly as printed; the pledges below are what counts.",
    )
    pledged_total = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        default=0,
        editable=False,
        help_text="The sum of the pledges, kept up to date when they change.",
    )
    stated_shortfall = models.DecimalField(
        "published shortfall (US$)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The shortfall the document states. The portal computes its own (budget − "
        "pledges) and shows this one only to point out a document that does not add up. When "
        "you change the budget or the pledges, clear it or set it to budget − pledged.",
    )
    shortfall_text = models.CharField(
        "shortfall as printed",
        max_length=300,
        blank=True,
        help_text="The shortfall line exactly as printed, kept as the source.",
    )
    duration = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True, help_text="Sanitised HTML.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text="The programme a partnership example belongs to.",
    )
    source_document = models.ForeignKey(
        "ingest.SourceDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    source_page = models.PositiveIntegerField(null=True, blank=True)
    source_paragraph = models.PositiveIntegerField(
        null=True, blank=True, help_text="The numbered paragraph of a report that states it."
    )
    published = models.BooleanField(default=True)
    edited_fields = models.JSONField(
        "fields updated by staff",
        default=list,
        blank=True,
        help_text="Fields whose value staff changed in the admin: the next ingest keeps them "
        "(unless told to replace them) and the portal shows them as UNODC updates.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["section__order", "subregion__order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="project_code_unique_when_set"
            ),
        ]
        # Plus, on PostgreSQL, project_programme_shortfall for the default order of the list
        # (migration 0004: SQLite cannot build it).
        indexes = [models.Index(fields=["published", "section"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})" if self.code else self.title

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.slug])

    def with_figures(self) -> Project:
        """Sets pledged, computed_shortfall, percent_funded and funding_status, the figures
        ProjectQuerySet.with_totals() annotates, from the stored columns."""
        self.__dict__.update(project_figures(self.budget, self.pledged_total))
        return self

    @property
    def theme_names(self) -> str:
        """The themes in words, one "and" apart; prefetch "themes" for a list."""
        return themes_in_words(self.themes.all())

    @property
    def updated_figures(self) -> list[str]:
        """The figures staff changed since the document published them."""
        return [
            name
            for name in ("budget", "phases", "pledges", "stated_shortfall")
            if name in self.edited_fields
        ]

    @property
    def shortfall_stale(self) -> bool:
        """The published shortfall predates a staff update of the budget or the pledges."""
        return (
            self.stated_shortfall is not None
            and bool({"budget", "pledges"} & set(self.edited_fields))
            and "stated_shortfall" not in self.edited_fields
        )

    @property
    def shortfall_differs(self) -> bool:
        """The document's own figures disagree: its shortfall is not its budget − pledges.

        Never true once staff updated a figure: an update is not the document's mistake.
        """
        computed = getattr(self, "computed_shortfall", None)
        return (
            not self.updated_figures
            and self.stated_shortfall is not None
            and computed is not None
            and Decimal(computed) != self.stated_shortfall
        )


class BudgetPhase(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    label = models.CharField(max_length=200)
    period = models.CharField(max_length=100, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project", "order"]

    def __str__(self) -> str:
        return self.label


class Pledge(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pledges")
    donor = models.ForeignKey(
        "donors.Donor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        help_text="Empty when the document names no donor.",
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    donor_as_printed = models.CharField(
        max_length=200, blank=True, help_text="The donor's name as the document prints it."
    )
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="pledge_amount_gte_0")
        ]
        # The list's donor facet reads the distinct project–donor pairs from this index alone,
        # in order (projects/facet_counts.py).
        indexes = [models.Index(fields=["project", "donor"], name="pledge_project_donor")]

    def __str__(self) -> str:
        return f"{money(self.amount)} from {self.donor or 'an unnamed donor'}"


@receiver([post_save, post_delete], sender=Pledge)
def keep_pledged_total(sender, instance: Pledge, **kwargs) -> None:
    Project.objects.filter(pk=instance.project_id).refresh_pledged_totals()


class FocalPoint(models.Model):
    honorific = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=300, blank=True)
    unit = models.CharField("unit or office", max_length=300, blank=True)
    phone = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="focal_point_email_unique_when_set"
            ),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.honorific, self.name) if part)

    @property
    def phone_uri(self) -> str:
        digits = "".join(c for c in self.phone.split("ext")[0] if c.isdigit() or c == "+")
        return f"tel:{digits}" if digits else ""


class ProjectFocalPoint(models.Model):
    class Role(models.TextChoices):
        HQ = "hq", _("Headquarters")
        FIELD = "field", _("Field office")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="focal_roles")
    focal_point = models.ForeignKey(FocalPoint, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=5, choices=Role.choices)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project", "role", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "focal_point", "role"], name="focal_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.focal_point} ({self.get_role_display()})"


class ProjectRevision(models.Model):
    """One change to a project's figures or identity, by staff in the admin or by an ingest.

    `changes` holds each changed field as shown to people: {"field", "label", "old", "new"};
    the budget, pledged total and stated shortfall after the change are kept as numbers.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="revisions")
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "ingest.SourceDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        help_text="Set when an ingest of this document made the change.",
    )
    page = models.PositiveIntegerField(null=True, blank=True)
    changes = models.JSONField(default=list)
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    pledged = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    stated_shortfall = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["project", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} by {self.who} at {self.changed_at:%Y-%m-%d %H:%M}"

    @property
    def is_published(self) -> bool:
        return self.document_id is not None

    @property
    def who(self) -> str:
        if self.document is not None:
            return f"ingest of {self.document.title}, {self.document.edition}"
        return self.user.get_username() if self.user else "staff (account removed)"
