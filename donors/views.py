"""Donor pages: who has pledged what, and which gaps are close to what they already fund."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from donors.models import Donor
from projects.brief import BRIEF_MAX_PROJECTS
from projects.freshness import freshness
from projects.models import Pledge, Project
from projects.querysets import MONEY

SUGGESTIONS = 5


def pledged_by(donor: Donor) -> Subquery:
    amounts = (
        Pledge.objects.filter(project=OuterRef("pk"), donor=donor)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(amounts, output_field=MONEY)


def donor_list(request: HttpRequest) -> HttpResponse:
    """Every donor by name, with its pledges to published projects: one query."""
    published = Q(pledges__project__published=True)
    donors = (
        Donor.objects.select_related("country")
        # An aggregating query drops Meta.ordering, so the order is asked for here.
        .order_by(Lower("name"), "pk")
        .annotate(
            pledged=Coalesce(
                Sum("pledges__amount", filter=published),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
            project_count=Count("pledges__project", filter=published, distinct=True),
        )
    )
    pledged_to = Project.objects.published().filter(
        Exists(Pledge.objects.filter(project=OuterRef("pk")))
    )
    context = {"donors": donors, "freshness": freshness(pledged_to)}
    return render(request, "donors/donor_list.html", context)


def donor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    donor = get_object_or_404(Donor.objects.select_related("country"), slug=slug)
    supported = Project.objects.published().filter(
        Exists(Pledge.objects.filter(project=OuterRef("pk"), donor=donor))
    )
    figures = Pledge.objects.filter(donor=donor, project__published=True).aggregate(
        pledged=Coalesce(Sum("amount"), Value(Decimal(0)), output_field=MONEY),
        project_count=Count("project", distinct=True),
    )
    # Gaps in the sections this donor already funds, among projects it does not fund yet.
    nearby_gaps = (
        Project.objects.programmes()
        .filter(section__in=supported.values("section"))
        .exclude(pk__in=supported.values("pk"))
        .largest_gaps(SUGGESTIONS)
    )
    projects = list(
        supported.with_totals()
        .annotate(donor_pledged=pledged_by(donor))
        .for_listing()
        .order_by("-donor_pledged", "title", "pk")
    )
    context = {
        "donor": donor,
        "figures": figures,
        "projects": projects,
        "nearby_gaps": nearby_gaps,
        "export_query": urlencode({"donor": donor.slug}),
        # The brief holds its programmes (not their examples): at most as many as listed here.
        "brief_ok": len(projects) <= BRIEF_MAX_PROJECTS,
        "freshness": freshness(project.pk for project in projects),
    }
    return render(request, "donors/donor_detail.html", context)
