"""A read-only JSON API over the same querysets and filters as the pages.

Amounts are decimal strings (never floats); absent values are null. The OpenAPI description
is in projects/openapi.py and served at /api/schema/.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import resolve

from donors.models import Donor
from projects.filters import ProjectFilter
from projects.markup import clean_description
from projects.models import Pledge, Project, ProjectFocalPoint, Region
from projects.numbers import NumberError, parse_integer
from projects.openapi import MAX_PAGE, MAX_PAGE_SIZE, SCHEMA

DEFAULT_PAGE_SIZE = 20
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


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


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET, HEAD (the GET answer without its body) and OPTIONS (what is allowed); any other
    method is a 405 in the API's error shape."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return HttpResponse(headers={"Allow": ALLOWED_METHODS, "Content-Length": "0"})
        if request.method not in ("GET", "HEAD"):
            response = error(405, f"{request.method} is not allowed: this API is read-only")
            response["Allow"] = ALLOWED_METHODS
            return response
        response = view(request, *args, **kwargs)
        if request.method == "HEAD":
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return answer


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any address under /api/ that no endpoint answers (a missing slash is redirected)."""
    with_slash = request.path + "/"
    if not request.path.endswith("/") and resolve(request.path_info + "/").func is not not_found:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(with_slash + (f"?{query}" if query else ""))
    return error(404, "there is no API endpoint at this address; see /api/schema/")


def query_integer(request: HttpRequest, name: str, default: int, high: int) -> int:
    """A whole-number query parameter read by the portal's rule (projects/numbers.py)."""
    value = request.GET.get(name, "")
    return default if value == "" else parse_integer(value, low=1, high=high)


def invalid_filters(filterset: ProjectFilter) -> JsonResponse:
    """The 400 of the API and of the exports: which filters are wrong and why."""
    return error(400, "invalid filter", fields=filterset.errors.get_json_data())


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
        "themes": [t.slug for t in project.themes.all()],
        "budget": project.budget,
        "pledged": project.pledged,
        "stated_shortfall": project.stated_shortfall,
        "computed_shortfall": project.computed_shortfall,
        "percent_funded": project.percent_funded,
        "funding_status": project.funding_status,
        "has_data_issues": project.has_issues,
        "source": source(project),
    }


@read_only
def project_list(request: HttpRequest) -> JsonResponse:
    filterset = ProjectFilter(request.GET)
    if not filterset.is_valid():
        return invalid_filters(filterset)
    try:
        page_number = query_integer(request, "page", 1, MAX_PAGE)
        page_size = query_integer(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    except NumberError as refusal:
        return error(
            400,
            f"page must be between 1 and {MAX_PAGE:,} and page_size between 1 and "
            f"{MAX_PAGE_SIZE}: {refusal}",
        )
    projects = filterset.qs
    paginator = Paginator(
        projects.for_listing().select_related("source_document").prefetch_related("themes"),
        page_size,
    )
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


@read_only
def project_detail(request: HttpRequest, slug: str) -> JsonResponse:
    queryset = (
        Project.objects.published()
        .for_listing()
        .with_totals()
        .select_related("source_document")
        .prefetch_related(
            "themes",
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


@read_only
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


@read_only
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


@read_only
def schema(request: HttpRequest) -> JsonResponse:
    return json(SCHEMA)
