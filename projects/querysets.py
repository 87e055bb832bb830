"""Funding figures computed in SQL, so lists, facets and exports agree to the cent."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Round

MONEY = DecimalField(max_digits=16, decimal_places=2)
PERCENT = DecimalField(max_digits=9, decimal_places=2)


class FundingStatus(models.TextChoices):
    UNFUNDED = "unfunded", "Unfunded"
    PARTLY_FUNDED = "partly", "Partly funded"
    FUNDED = "funded", "Funded"
    UNKNOWN = "unknown", "Unknown"


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


class ProjectQuerySet(models.QuerySet):
    def published(self) -> ProjectQuerySet:
        return self.filter(published=True)

    def top_level(self) -> ProjectQuerySet:
        return self.filter(parent__isnull=True)

    def with_totals(self) -> ProjectQuerySet:
        """Annotate pledged, computed_shortfall, percent_funded and funding_status.

        A subquery rather than a join keeps the sum right when other joins (countries,
        focal points) are added to the same queryset.
        """
        zero = Value(Decimal("0"), output_field=MONEY)
        return self.annotate(
            pledged=Coalesce(pledged_subquery(), zero, output_field=MONEY),
        ).annotate(
            computed_shortfall=Case(
                When(budget__isnull=True, then=Value(None, output_field=MONEY)),
                default=F("budget") - F("pledged"),
                output_field=MONEY,
            ),
            percent_funded=Case(
                When(Q(budget__isnull=True) | Q(budget=0), then=Value(None, output_field=PERCENT)),
                # 100.0 as a decimal keeps SQLite from integer division on whole amounts.
                default=Round(
                    F("pledged") * Value(Decimal("100.00"), output_field=MONEY) / F("budget"), 2
                ),
                output_field=PERCENT,
            ),
            funding_status=Case(
                When(budget__isnull=True, then=Value(FundingStatus.UNKNOWN)),
                When(pledged__lte=0, then=Value(FundingStatus.UNFUNDED)),
                When(pledged__gte=F("budget"), then=Value(FundingStatus.FUNDED)),
                default=Value(FundingStatus.PARTLY_FUNDED),
                output_field=models.CharField(max_length=10),
            ),
        )

    def with_funding_status(self, status: str) -> ProjectQuerySet:
        return self.with_totals().filter(funding_status=status)

    def totals(self) -> dict[str, Decimal]:
        """Budget, pledged and shortfall over the projects whose budget is known.

        Pledges to projects whose budget varies are summed apart (`pledged_unbudgeted`)
        so that budget − pledged = shortfall holds for the figures shown together.
        """
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
        )
        totals = {key.removeprefix("total_"): Decimal(value) for key, value in figures.items()}
        budget = totals["budget"]
        totals["percent_funded"] = (
            (totals["pledged"] * 100 / budget).quantize(Decimal("0.01")) if budget else None
        )
        return totals
