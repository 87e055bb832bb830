"""A read-only JSON API over the same querysets and filters as the pages.

Amounts are decimal strings (never floats); absent values are null. The OpenAPI description
is in projects/openapi.py and served at /api/schema/.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from donors.models import Donor
from projects.filters import ProjectFilter
from projects.markup import clean_description
from projects.models import Pledge, Project, ProjectFocalPoint, Region
from projects.openapi import MAX_PAGE_SIZE, SCHEMA

DEFAULT_PAGE_SIZE = 20


class MoneyEncoder(DjangoJSONEncoder):
    """Decimals as plain strings with cents: "4475605.00", never 4.47e6 or a float.

    Every amount the portal stores has at most two decimals, so this shows them exactly.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return f"{o:.2f}"
        return super().default(o)


def json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, encoder=MoneyEncoder, safe=False)


def error(status: int, message: str, **details: Any) -> JsonResponse:
    return json({"error": message, **details}, status=status)


def bounded_int(value: str | None, default: int, low: int, high: int) -> int | None:
    if value in (None, ""):
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        return None
    return int(value)


def source(project: Project) -> dict[str, Any] | None:
    document = project.source_document
    if document is None:
        return None
    return {
        "title": document.title,
        "edition": document.edition,
        "page": project.source_page,
        "paragraph": project.source_paragraph,
    }


def project_summary(project: Project, request: HttpRequest) -> dict[str, Any]:
    return {
        "slug": project.slug,
        "url": request.build_absolute_uri(project.get_absolute_url()),
        "title": project.title,
        "code": project.code or None,
        "section": project.section.name,
        "subregion": project.subregion.name if project.subregion else None,
        "countries": [c.iso3 for c in project.countries.all()],
        "theme": project.theme,
        "budget": project.budget,
        "pledged": project.pledged,
        "stated_shortfall": project.stated_shortfall,
        "computed_shortfall": project.computed_shortfall,
        "percent_funded": project.percent_funded,
        "funding_status": project.funding_status,
        "has_data_issues": project.has_issues,
        "source": source(project),
    }


@require_GET
def project_list(request: HttpRequest) -> JsonResponse:
    filterset = ProjectFilter(request.GET)
    if not filterset.is_valid():
        return error(400, "invalid filter", fields=filterset.errors.get_json_data())
    page_number = bounded_int(request.GET.get("page"), 1, 1, 10**6)
    page_size = bounded_int(request.GET.get("page_size"), DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if page_number is None or page_size is None:
        return error(400, f"page must be ≥ 1 and page_size between 1 and {MAX_PAGE_SIZE}")
    projects = filterset.qs
    paginator = Paginator(projects.for_listing().select_related("source_document"), page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        return error(404, f"there is no page {page_number}")
    return json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "totals": projects.totals(),
            "results": [project_summary(p, request) for p in page.object_list],
        }
    )


@require_GET
def project_detail(request: HttpRequest, slug: str) -> JsonResponse:
    queryset = (
        Project.objects.published()
        .for_listing()
        .with_totals()
        .select_related("source_document")
        .prefetch_related(
            "phases",
            "issues",
            Prefetch("pledges", Pledge.objects.select_related("donor").order_by("order")),
            Prefetch(
                "focal_roles",
                ProjectFocalPoint.objects.select_related("focal_point").order_by("role", "order"),
            ),
            Prefetch("children", Project.objects.published().with_totals().order_by("title")),
        )
    )
    project = queryset.filter(slug=slug).first()
    if project is None:
        return error(404, f"no published project has the slug {slug!r}")
    data = project_summary(project, request) | {
        "description_html": clean_description(project.description),
        "region_label": project.region_label,
        "country_label": project.country_label,
        "coverage_note": project.coverage_note,
        "budget_text": project.budget_text,
        "shortfall_text": project.shortfall_text,
        "duration": project.duration,
        "parent": project.parent.slug if project.parent else None,
        "pledges": [
            {
                "donor": p.donor.name if p.donor else None,
                "donor_slug": p.donor.slug if p.donor else None,
                "amount": p.amount,
                "note": p.note or None,
            }
            for p in project.pledges.all()
        ],
        "phases": [
            {"label": p.label, "period": p.period, "amount": p.amount} for p in project.phases.all()
        ],
        "focal_points": [
            {
                "role": r.role,
                "name": r.focal_point.name,
                "honorific": r.focal_point.honorific,
                "position": r.focal_point.position,
                "unit": r.focal_point.unit,
                "phone": r.focal_point.phone,
                "email": r.focal_point.email or None,
            }
            for r in project.focal_roles.all()
        ],
        "examples": [
            {"slug": c.slug, "title": c.title, "budget": c.budget, "duration": c.duration}
            for c in project.children.all()
        ],
        "data_issues": [{"code": i.code, "message": i.message} for i in project.issues.all()],
    }
    return json(data)


@require_GET
def region_list(request: HttpRequest) -> JsonResponse:
    funding = {
        row["region_slug"]: row
        for field in ("section", "subregion")
        for row in Project.objects.programmes().funding_by(field)
    }
    regions = Region.objects.select_related("parent").order_by("kind", "order", "name")
    return json(
        [
            {
                "slug": r.slug,
                "name": r.name,
                "kind": r.kind,
                "parent": r.parent.slug if r.parent else None,
                "projects": funding.get(r.slug, {}).get("project_count", 0),
                "budget": funding.get(r.slug, {}).get("budget_sum"),
                "pledged": funding.get(r.slug, {}).get("pledged_sum"),
                "shortfall": funding.get(r.slug, {}).get("shortfall_sum"),
            }
            for r in regions
        ]
    )


@require_GET
def donor_list(request: HttpRequest) -> JsonResponse:
    published = Q(pledges__project__published=True)
    donors = (
        Donor.objects.select_related("country")
        .annotate(
            pledged=Sum("pledges__amount", filter=published),
            projects=Count("pledges__project", filter=published, distinct=True),
        )
        .order_by("name")
    )
    return json(
        [
            {
                "slug": d.slug,
                "name": d.name,
                "kind": d.kind,
                "country": d.country_id,
                "pledged": d.pledged,
                "projects": d.projects,
            }
            for d in donors
        ]
    )


@require_GET
def schema(request: HttpRequest) -> JsonResponse:
    return json(SCHEMA)
