"""Funding figures computed in SQL, so lists, facets and exports agree to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now, Round
from django.utils.translation import gettext_lazy as _

MONEY = DecimalField(max_digits=16, decimal_places=2)
PERCENT = DecimalField(max_digits=9, decimal_places=2)
# Budget minus pledges; NULL when the budget is not known (it varies).
SHORTFALL = ExpressionWrapper(F("budget") - F("pledged_total"), output_field=MONEY)
# Read on a project's page only: lists and exports never load (or sort) them.
LONG_TEXT = ("description", "coverage_note", "budget_note", "pledges_text")


class FundingStatus(models.TextChoices):
    UNFUNDED = "unfunded", _("Unfunded")
    PARTLY_FUNDED = "partly", _("Partly funded")
    FUNDED = "funded", _("Funded")
    UNKNOWN = "unknown", _("Unknown")


def pledged_subquery() -> Subquery:
    from projects.models import Pledge

    total = (
        Pledge.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(total, output_field=MONEY)


CENT = Decimal("0.01")


def project_figures(budget: Decimal | None, pledged: Decimal) -> dict[str, object]:
    """What with_totals() annotates, computed in Python from a project's stored budget and
    pledged total: one project's page reads them without the annotations' SQL (building it
    costs more than the query). The same rules as with_totals(), which tests check."""
    if budget is None:
        shortfall, percent, status = None, None, FundingStatus.UNKNOWN
    else:
        shortfall = budget - pledged
        # Rounded half away from zero, as SQL's ROUND.
        percent = (pledged * 100 / budget).quantize(CENT, ROUND_HALF_UP) if budget else None
        if pledged <= 0:
            status = FundingStatus.UNFUNDED
        elif pledged >= budget:
            status = FundingStatus.FUNDED
        else:
            status = FundingStatus.PARTLY_FUNDED
    return {
        "pledged": pledged,
        "computed_shortfall": shortfall,
        "percent_funded": percent,
        "funding_status": status.value,
    }


def funding_totals(totals: dict) -> dict:
    """Budget, pledged and shortfall sums with the percentage funded they give."""
    budget = totals["budget"]
    percent = (totals["pledged"] * 100 / budget).quantize(Decimal("0.01")) if budget else None
    return totals | {"percent_funded": percent}


class ProjectQuerySet(models.QuerySet):
    def published(self) -> ProjectQuerySet:
        """Shown to the public: published, and a partnership example only under a published
        programme."""
        return self.filter(Q(parent__isnull=True) | Q(parent__published=True), published=True)

    def top_level(self) -> ProjectQuerySet:
        return self.filter(parent__isnull=True)

    def programmes(self) -> ProjectQuerySet:
        """Published programmes: `published().top_level()` without the join to the parent
        that published() needs for partnership examples, so the partial indexes on
        (published, no parent) serve it."""
        return self.filter(published=True, parent__isnull=True)

    def refresh_pledged_totals(self) -> int:
        """Store each project's sum of pledges (`pledged_total`), computed in SQL.

        Pledge saves and deletes call this for their project; bulk writes (the ingest, test
        data) call it themselves. Pages then read one column instead of summing per row.
        An update rewrites the whole row (a new row version in PostgreSQL), so rewriting
        unchanged rows after a bulk load would double the table.
        """
        zero = Value(Decimal("0"), output_field=MONEY)
        total = Coalesce(pledged_subquery(), zero, output_field=MONEY)
        # Only rows whose total changed are written, and their `updated_at` moves with it:
        # feeds and alerts see a changed shortfall as a changed project.
        return self.exclude(pledged_total=total).update(pledged_total=total, updated_at=Now())

    def with_totals(self) -> ProjectQuerySet:
        """Annotate pledged, computed_shortfall, percent_funded and funding_status.

        `pledged` is the stored sum of pledges, so it stays right when joins (countries,
        focal points) are added to the same queryset and costs nothing per row.
        """
        if "pledged" in self.query.annotations:  # already annotated: chaining it again is free
            return self
        return self.annotate(
            pledged=F("pledged_total"),
        ).annotate(
            # NULL when the budget is unknown. The same expression as the index that serves
            # the default sort (projects.models.SHORTFALL), so PostgreSQL matches the two.
            computed_shortfall=SHORTFALL,
            percent_funded=Case(
                When(Q(budget__isnull=True) | Q(budget=0), then=Value(None, output_field=PERCENT)),
                # 100.0 as a decimal keeps SQLite from integer division on whole amounts.
                default=Round(
                    F("pledged") * Value(Decimal("100.00"), output_field=MONEY) / F("budget"), 2
                ),
                output_field=PERCENT,
            ),
            # PostgreSQL keeps statistics on this very expression (migration 0013): a change
            # here wants a migration with the new one, or filtered lists lose their estimates.
            funding_status=Case(
                When(budget__isnull=True, then=Value(FundingStatus.UNKNOWN)),
                When(pledged__lte=0, then=Value(FundingStatus.UNFUNDED)),
                When(pledged__gte=F("budget"), then=Value(FundingStatus.FUNDED)),
                default=Value(FundingStatus.PARTLY_FUNDED),
                output_field=models.CharField(max_length=10),
            ),
        )

    def totals(self) -> dict[str, Decimal]:
        """Budget, pledged and shortfall over the projects whose budget is known.

        Pledges to projects whose budget varies are summed apart (`pledged_unbudgeted`)
        so that budget − pledged = shortfall holds for the figures shown together.
        """
        return self._funding_figures()

    def summary(self) -> dict[str, Decimal | int | None]:
        """totals() plus the number of projects (`projects`), in the same single query."""
        return self._funding_figures(projects=Count("pk"))

    def _funding_figures(self, **extra: Count) -> dict:
        zero = Value(Decimal("0"), output_field=MONEY)
        known = Q(budget__isnull=False)
        # Aliases must not reuse the annotation names they sum.
        figures = self.with_totals().aggregate(
            total_budget=Coalesce(Sum("budget"), zero, output_field=MONEY),
            total_pledged=Coalesce(Sum("pledged", filter=known), zero, output_field=MONEY),
            total_shortfall=Coalesce(Sum("computed_shortfall"), zero, output_field=MONEY),
            total_pledged_unbudgeted=Coalesce(
                Sum("pledged", filter=~known), zero, output_field=MONEY
            ),
            **extra,
        )
        return funding_totals(
            {
                key.removeprefix("total_"): Decimal(value) if key.startswith("total_") else value
                for key, value in figures.items()
            }
        )

    def funding_by(self, region_field: str) -> list[dict]:
        """Budget, pledged and shortfall per section or subregion, largest shortfall first.

        `region_field` is "section" or "subregion"; projects without one are left out.
        """
        if region_field not in {"section", "subregion"}:
            raise ValueError(f"cannot group projects by {region_field!r}")
        known = Q(budget__isnull=False)
        return list(
            self.with_totals()
            .filter(**{f"{region_field}__isnull": False})
            .order_by()
            .values(region_name=F(f"{region_field}__name"), region_slug=F(f"{region_field}__slug"))
            .annotate(
                budget_sum=Sum("budget"),
                pledged_sum=Sum("pledged", filter=known),
                shortfall_sum=Sum("computed_shortfall"),
                project_count=Count("pk"),
            )
            .order_by(F("shortfall_sum").desc(nulls_last=True), "region_name")
        )

    def funding_by_country(self) -> list[dict]:
        """Budget, pledged, shortfall and projects per country (ISO alpha-3), in one query.

        A project covering several countries counts in full in each, as on country pages.
        The projects are taken by id, so joins a filter made cannot narrow their countries.
        """
        from projects.models import Project

        known = Q(budget__isnull=False)
        return list(
            Project.objects.filter(pk__in=self.order_by().values("pk"))
            .with_totals()
            .filter(countries__isnull=False)
            .order_by()
            .values(iso3=F("countries__iso3"), country_name=F("countries__name"))
            .annotate(
                budget_sum=Sum("budget"),
                pledged_sum=Sum("pledged", filter=known),
                shortfall_sum=Sum("computed_shortfall"),
                project_count=Count("pk"),
            )
            .order_by(F("shortfall_sum").desc(nulls_last=True), "country_name")
        )

    def largest_gaps(self, limit: int = 10) -> ProjectQuerySet:
        return (
            self.with_totals()
            .filter(computed_shortfall__gt=0)
            .select_related("section", "subregion")
            # No NULL passes the filter: NULLS LAST only lets the shortfall index serve it.
            .order_by(F("computed_shortfall").desc(nulls_last=True), "title", "pk")[:limit]
        )

    def search(self, text: str) -> ProjectQuerySet:
        """Every word must appear in the title, code, description, a country or donor name,
        or the title of one of the project's partnership examples."""
        from projects.models import Country, Pledge, Project

        queryset = self
        for word in text.split()[:12]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(code__icontains=word)
                | Q(description__icontains=word)
                | Q(country_label__icontains=word)
                | Exists(Country.objects.filter(projects=OuterRef("pk"), name__icontains=word))
                | Exists(Pledge.objects.filter(project=OuterRef("pk"), donor__name__icontains=word))
                | Exists(
                    Project.objects.filter(
                        parent=OuterRef("pk"), published=True, title__icontains=word
                    )
                )
            )
        return queryset

    def with_data_issues(self, present: bool = True) -> ProjectQuerySet:
        from ingest.models import DataIssue

        has_issues = Exists(DataIssue.objects.filter(project=OuterRef("pk")))
        return self.filter(has_issues if present else ~has_issues)

    def for_listing(self, countries: bool = True) -> ProjectQuerySet:
        """What a row of a project table shows, without a query per row; `countries=False`
        when the caller reads the rows' countries itself (as `listed_countries`)."""
        from ingest.models import DataIssue
        from projects.models import Project

        examples = (
            Project.objects.filter(parent=OuterRef("pk"), published=True)
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        listing = self.select_related("section", "subregion", "parent").defer(
            *LONG_TEXT, *(f"parent__{name}" for name in LONG_TEXT)
        )
        if countries:
            listing = listing.prefetch_related("countries")
        return listing.annotate(
            has_issues=Exists(DataIssue.objects.filter(project=OuterRef("pk"))),
            example_count=Coalesce(Subquery(examples, output_field=IntegerField()), Value(0)),
        )

    def by_largest_shortfall(self) -> ProjectQuerySet:
        return self.order_by(F("computed_shortfall").desc(nulls_last=True), "title", "pk")
