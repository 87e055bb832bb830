"""Pages donors browse: the overview, the project list and page, regions, countries, people.

Figures come from QuerySet methods (projects/querysets.py); each page runs a fixed number
of queries however many projects there are.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from donors.models import Donor
from ingest.models import DataIssue, ReportParagraph
from projects import brief, exports, history, iati, maps, markup, models, shortlist
from projects.api import invalid_filters
from projects.data_version import data_version
from projects.filters import (
    FINDABLE,
    SORT_CHOICES,
    ProjectFilter,
    cached_many,
    findable_facets,
    keep,
)
from projects.freshness import freshness, freshness_of_projects, latest_staff_update
from projects.history import figure_sources
from projects.maps import SPRITE, shortfall_map
from projects.models import (
    BudgetPhase,
    Country,
    FocalPoint,
    Pledge,
    Project,
    ProjectFocalPoint,
    ProjectRevision,
    Region,
    Theme,
    themes_in_words,
)
from projects.numbers import NumberError, parse_integer
from projects.overview import rendered_figures
from projects.people import index_letter
from projects.people import sort_key as people_sort_key
from projects.prepared import CompiledQueries, PreparedObjects, PreparedQuery
from projects.querysets import LONG_TEXT, funding_totals
from projects.templatetags import facets as facet_tags
from projects.templatetags import figures, html_text, sharing
from projects.templatetags import project_page as project_page_tags
from projects.templatetags import world_map as world_map_tags

logger = logging.getLogger("portal.cache")

PROJECTS_PER_PAGE = 20
INLINE_COUNTRY_ROWS = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CountedPaginator(Paginator):
    """A paginator told the number of items, so it does not run a COUNT query of its own."""

    def __init__(self, object_list: QuerySet, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the `count` cached_property


def interest_mailto(project: Project) -> str:
    """The e-mail offered beside the interest form: to the co-financing section, project named."""
    name = project.title if project.code in project.title else f"{project.title} ({project.code})"
    subject = urlencode({"subject": f"Partnership interest: {name}"}, quote_via=quote)
    return f"mailto:{settings.CO_FINANCING_EMAIL}?{subject}"


def overview(request: HttpRequest) -> HttpResponse:
    # The figures are the same for everyone: rendered once per data version and language.
    return render(request, "projects/overview.html", {"figures": rendered_figures()})


def page_asked(request: HttpRequest) -> int:
    """The page number in the query string; anything but a page number shows the first."""
    try:
        return parse_integer(request.GET.get("page", ""), low=1)
    except NumberError:
        return 1


def fragment_key(filterset: ProjectFilter, part: str) -> str | None:
    """The cache key of a part of the list drawn from its filter set's counts alone: under
    the data version (a change shows at once), the filter set and the page's language, and
    the templates and code it is drawn with (a deployment never serves the one before's);
    None when it is not to be cached."""
    key = filterset.fragment_key(part)
    return None if key is None else f"{key}:{drawing_version()}"


def cached_html(key: str | None, render: Callable[[], str], found: dict[str, object]) -> str:
    """The part under `key` as `found` in the cache, else rendered (and kept there)."""
    html = found.get(key) if key is not None else None
    if html is None:
        html = render()
        if key is not None:
            keep(key, html)
    return mark_safe(html)  # noqa: S308 — rendered by the template engine


@functools.cache
def drawing_version() -> str:
    """What cached parts of the list are drawn with: their templates, the map's code and the
    fingerprinted URL of its outlines."""
    digest = hashlib.sha256(static(SPRITE).encode())
    for name in ("projects/project_list.html", "includes/world_map.html"):
        digest.update(Path(get_template(name).origin.name).read_bytes())
    for module in (maps, figures, world_map_tags, facet_tags, html_text):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


# The list's pages of rows, their SQL compiled once per filter set, sort and page.
LISTING = CompiledQueries(Project)
# The countries of a page's projects (what a row shows of them), each with the project it is
# listed under, in the order prefetch_related("countries") gives (names are unique).
LISTED_COUNTRIES = PreparedObjects(
    lambda ids: (
        Country.objects.filter(projects__in=ids)
        .annotate(listed_under=F("projects"))
        .only("iso3", "name", "name_fr", "name_es")
        .order_by("name")
    ),
    many=True,
)


class ListedProjects:
    """The filter set's projects as the list shows them, for its paginator: a page (a slice)
    is read with the countries of its rows and, for its freshness line, their source
    documents and latest staff updates. The query is built and compiled only the first time
    a thread's connection reads that page of that filter set and sort."""

    def __init__(self, filterset: ProjectFilter) -> None:
        self.filterset = filterset
        self.key = (tuple(filterset.query_items()), filterset.sort_order)

    def build(self, rows: slice) -> QuerySet:
        return (
            self.filterset.qs.for_listing(countries=False)
            .select_related("source_document")
            .annotate(staff_update=latest_staff_update())[rows]
        )

    def __getitem__(self, rows: slice) -> list[Project]:
        if rows.start == rows.stop:
            return []  # no query, as an empty slice of a queryset
        projects = LISTING.objects((self.key, rows.start, rows.stop), lambda: self.build(rows))
        by_project: dict[int, list[Country]] = {project.pk: [] for project in projects}
        for country in LISTED_COUNTRIES.objects_in(list(by_project)):
            by_project[country.listed_under].append(country)
        for project in projects:
            project.listed_countries = by_project[project.pk]
        return projects


def project_list(request: HttpRequest) -> HttpResponse:
    filterset = ProjectFilter(request.GET)
    template = "projects/project_list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "apply-label":
        # The Apply button's live label while filters are being chosen: one COUNT query.
        response = render(request, template + "#apply_label", {"count": filterset.qs.count()})
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response
    finds = [request.GET.get(field, "").strip() for field in FINDABLE.values()]
    table_open = request.GET.get("table") == "countries"
    # The counts, the facet panel and the map from the cache in one round trip.
    counts_key = filterset.counts_key()
    panel_key = fragment_key(
        filterset, "panel:" + hashlib.sha256(json.dumps(finds).encode()).hexdigest()[:16]
    )
    map_key = fragment_key(filterset, "map:open" if table_open else "map")
    found = cached_many([counts_key, panel_key, map_key])
    if counts_key in found:
        filterset.use_counts(found[counts_key])
    counted = filterset.counts()
    totals, map_countries = funding_totals(counted.totals), counted.countries_on_map
    # The facets themselves (hundreds of options) are drawn only when the panel is not in the
    # cache or a chip needs an option's name.
    facets = SimpleLazyObject(lambda: filterset.facets_of(counted))
    world_map = SimpleLazyObject(lambda: shortfall_map(counted.by_country))
    # A long table of countries is a link away (the page with it unfolded), a short one folded.
    table_linked = map_countries > INLINE_COUNTRY_ROWS and not table_open
    table_query = request.GET.copy()
    table_query["table"] = "countries"
    paginator = CountedPaginator(ListedProjects(filterset), PROJECTS_PER_PAGE, totals["projects"])
    page = paginator.get_page(page_asked(request))
    canonical = filterset.query_items(sort=False)
    if page.number > 1:
        canonical.append(("page", str(page.number)))
    context = {
        # The filters as the page applied them: an invalid value it ignored is not passed on.
        "export_query": urlencode(filterset.query_items()),
        "canonical_url": request.build_absolute_uri(request.path)
        + (f"?{urlencode(canonical)}" if canonical else ""),
        "filterset": filterset,
        "facets": facets,
        # Drawn from the filter set's counts alone: rendered once per filter set, data version
        # and language, then kept as HTML beside the counts.
        "facet_panel": cached_html(
            panel_key,
            lambda: render_to_string(
                "projects/project_list.html#panel",
                {"facets": findable_facets(facets, request.GET)},
            ),
            found,
        ),
        "map_html": cached_html(
            map_key,
            lambda: (
                render_to_string(
                    "includes/world_map.html",
                    {
                        "world_map": world_map,
                        "table_closed": True,
                        "table_open": table_open,
                        "table_linked": table_linked,
                    },
                )
                if totals["projects"]
                else ""
            ),
            found,
        ),
        "map_countries": map_countries,
        "table_link": f"?{table_query.urlencode()}#map-table" if table_linked else "",
        "active_count": sum(len(filterset.values(name)) for name in filterset.active_filters),
        "chips": filterset.chips(facets) if filterset.active_filters else [],
        "sort_choices": SORT_CHOICES,
        "page": page,
        "totals": totals,
        "brief_ok": totals["projects"] <= brief.BRIEF_MAX_PROJECTS,
        "world_map": world_map,
        # The documents and UNODC updates of the rows shown, read with them.
        "freshness": freshness_of_projects(page.object_list),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template += "#results"
        context["refreshing"] = True
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def project_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The list's projects, filtered and sorted exactly as on the page, as CSV (streamed) or
    XLSX, in a file whose name says what it holds."""
    filterset = ProjectFilter(request.GET)
    if not filterset.is_valid():
        return invalid_filters(filterset)
    projects = filterset.qs
    chosen = exports.selection(filterset)
    base_url = request.build_absolute_uri("/")
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(projects, base_url), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(projects, chosen, base_url), content_type=XLSX_TYPE
        )
    name = chosen.file_name("shortfalls", fmt, timezone.localdate())
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def iati_activities(request: HttpRequest) -> StreamingHttpResponse:
    """Every published project as IATI 2.03 activities, for aid-data tools to harvest."""
    chunks = iati.iter_activities(request.build_absolute_uri("/"))
    return StreamingHttpResponse(chunks, content_type="application/xml; charset=utf-8")


def brief_projects(request: HttpRequest) -> tuple[ProjectFilter, QuerySet[Project]]:
    """The projects a brief is asked for: the list's filters, over the donor's shortlist when
    `?shortlist=1` asks for it."""
    if request.GET.get("shortlist") == "1":
        chosen = (
            Project.objects.published().with_totals().filter(pk__in=shortlist.project_ids(request))
        )
        filterset = ProjectFilter(request.GET, queryset=chosen)
    else:
        filterset = ProjectFilter(request.GET)
    return filterset, filterset.qs


def project_brief(request: HttpRequest) -> HttpResponseBase:
    """A PDF brief, one page per project, of the projects the list's filters select."""
    filterset, projects = brief_projects(request)
    if not filterset.is_valid():
        return invalid_filters(filterset)
    count = projects.count()
    if not count:
        return HttpResponseNotFound(
            "No published project matches these filters.", content_type="text/plain"
        )
    try:
        brief.check_size(count, ValueError)
    except ValueError as too_many:
        return HttpResponseBadRequest(str(too_many), content_type="text/plain")
    chosen = exports.selection(filterset)
    pdf = brief.brief_pdf(projects, chosen, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = chosen.file_name("brief", "pdf", timezone.localdate())
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response


# What a data issue means for a donor, in words. The issue's own message (contents mismatches,
# similarity scores, line numbers, codes) is for staff and shows in the admin only; issues not
# listed here say nothing a donor needs. A shortfall mismatch is explained beside the figure.
DONOR_NOTES = {
    "non_usd_amount": _(
        "An amount is printed in another currency than US dollars; it is shown "
        "as printed and not counted in US$ totals."
    ),
    "malformed_amount": _("An amount could not be read as a figure; it is shown as printed."),
    "budget_varies": _(
        "The budget varies or is not stated as one figure, so no shortfall is computed from it."
    ),
    "phase_mismatch": _("The budget phases printed do not add up to the total budget printed."),
    "unnamed_donor": _("A pledge is printed without naming its donor."),
}


def figure_notes(issues) -> list[str]:
    notes = []
    for issue in issues:
        note = DONOR_NOTES.get(issue.code)
        if note and note not in notes:
            notes.append(note)
    return notes


# What a project's page lists: each list's model and the field linking a row to the project.
PROJECT_LISTS = {
    "pledges": (Pledge, "project"),
    "phases": (BudgetPhase, "project"),
    "children": (Project, "parent"),
    "focal_roles": (ProjectFocalPoint, "project"),
    "issues": (DataIssue, "project"),
    "revisions": (ProjectRevision, "project"),
}
# Lists most projects do not have: the project's query says whether each has rows, so an
# empty one costs no query of its own (asking costs more than it saves for the others).
RARE_LISTS = ("phases", "children", "issues", "revisions")


@functools.cache
def project_list_rows(name: str) -> QuerySet:
    """The rows of one of a project's lists, ordered within the one project (the models'
    default orders start with the project's section, subregion and title, which would join
    the project back in). Built once per process: each page only filters a copy."""
    match name:
        case "pledges":
            return Pledge.objects.select_related("donor").order_by("order", "pk")
        case "phases":
            return BudgetPhase.objects.order_by("order", "pk")
        case "children":  # its partnership examples: published, under a programme that is
            return Project.objects.filter(published=True).defer(*LONG_TEXT).order_by("pk")
        case "focal_roles":
            return ProjectFocalPoint.objects.select_related("focal_point").order_by(
                "role", "order", "pk"
            )
        case "issues":
            return DataIssue.objects.only("project", "code").order_by("code", "pk")
        case "revisions":
            return ProjectRevision.objects.select_related("document").order_by("changed_at", "pk")
    raise ValueError(f"a project's page has no list {name!r}")


@functools.cache
def project_page_queryset() -> QuerySet[Project]:
    """A published project with what its page shows beside its lists, and whether it has
    each of the rarer lists. Built once per process (building it costs more than running
    it); its figures come from the stored columns (Project.with_figures), not annotations."""
    return (
        Project.objects.published()
        .select_related("section", "subregion", "source_document", "parent")
        .defer(*(f"parent__{name}" for name in LONG_TEXT))
        .annotate(
            **{
                f"has_{name}": Exists(model.objects.filter(**{link: OuterRef("pk")}))
                for name, (model, link) in PROJECT_LISTS.items()
                if name in RARE_LISTS
            }
        )
    )


# What every project's page looks up, compiled once (projects.prepared): the project by its
# slug, each of its lists, its countries and themes by its id, and the report's paragraphs
# naming one of its countries.
PROJECT_PAGE = PreparedObjects(lambda slug: project_page_queryset().filter(slug=slug))
PROJECT_LIST_ROWS = {
    name: PreparedObjects(
        functools.partial(
            lambda name, link, pk: project_list_rows(name).filter(**{link: pk}), name, link
        )
    )
    for name, (_, link) in PROJECT_LISTS.items()
}
PROJECT_COUNTRIES = PreparedQuery(
    lambda pk: Country.objects.filter(projects=pk), ("iso3", "name", "name_fr", "name_es")
)
PROJECT_THEMES = PreparedQuery(lambda pk: Theme.objects.filter(projects=pk), ("slug", "name"))
# The report's paragraphs naming one of these countries (their codes), with every country
# each names: one row per paragraph and country, in the paragraphs' order and then the
# countries'. Compiled once per number of countries.
PROJECT_PARAGRAPHS = PreparedObjects(
    lambda iso3s: (
        ReportParagraph.countries.through.objects.filter(
            reportparagraph__in=ReportParagraph.countries.through.objects.filter(
                country__in=iso3s
            ).values("reportparagraph")
        )
        .select_related("reportparagraph__document", "country")
        .order_by(
            "-reportparagraph__document__edition",
            "reportparagraph__number",
            "reportparagraph",
            "country__name",
            "country",
        )
    ),
    many=True,
)


# A project's page is drawn from its data alone but for the shortlist button: the parts around
# it (and the one-line summary the page's description and link preview use) are rendered once
# per data version, language and drawing, and kept in the cache.
PROJECT_TEMPLATE = "projects/project_detail.html"
PROJECT_PARTS = ("top", "rest")


@functools.cache
def project_drawing_version() -> str:
    """What a project page's cached parts are drawn with: their templates and code."""
    digest = hashlib.sha256()
    for name in (
        PROJECT_TEMPLATE,
        "projects/includes/figure_sources.html",
        "projects/includes/figures_over_time.html",
    ):
        digest.update(Path(get_template(name).origin.name).read_bytes())
    modules = (figures, sharing, markup, history, models, project_page_tags, html_text)
    for module in (*modules, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def project_parts_key(slug: str) -> str | None:
    """The cache key of a project page's parts in the page's language; None when they are not
    cached (PROJECT_CACHE_SECONDS is 0, or the cache cannot be reached)."""
    if settings.PROJECT_CACHE_SECONDS <= 0:
        return None
    try:
        version = data_version(cache)
    except Exception:
        logger.warning("Project page cache unavailable", exc_info=True)
        return None
    return f"portal:project:{version}:{project_drawing_version()}:{get_language() or ''}:{slug}"


def cached_parts(key: str | None) -> dict[str, str] | None:
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Project page cache unavailable", exc_info=True)
        return None


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    key = project_parts_key(slug)
    parts = cached_parts(key)
    found = PROJECT_PAGE.objects(slug)
    if not found:
        raise Http404(f"No {Project._meta.object_name} matches the given query.")
    project = found[0].with_figures()
    around = {
        "project": project,
        "co_financing_email": settings.CO_FINANCING_EMAIL,
        "interest_mailto": interest_mailto(project),
    }
    if parts is not None:
        parts = {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 — ours
        context = around | {"parts": parts, "share_text": parts["share_text"]}
        return render(request, PROJECT_TEMPLATE, context)
    context = around | page_context(project)
    if key is None:
        # Nothing to keep: the parts are drawn inline, in the one pass that draws the page.
        return render(request, PROJECT_TEMPLATE, context)
    parts = {
        name: render_to_string(f"{PROJECT_TEMPLATE}#{name}", context) for name in PROJECT_PARTS
    } | {"share_text": context["share_text"]}
    try:
        cache.set(
            key, {name: str(html) for name, html in parts.items()}, settings.PROJECT_CACHE_SECONDS
        )
    except Exception:
        logger.warning("Could not store a project page's parts", exc_info=True)
    return render(request, PROJECT_TEMPLATE, context | {"parts": parts})


def page_context(project: Project) -> dict:
    """What a project page's parts are drawn from: its lists, countries, themes and the
    report's paragraphs naming its countries."""
    # Each list in one query of its own (or none when it is empty); no prefetching machinery
    # for a single project.
    lists = {
        name: PROJECT_LIST_ROWS[name].objects(project.pk)
        if getattr(project, f"has_{name}", True)
        else []
        for name in PROJECT_LISTS
    }
    for child in lists["children"]:
        child.with_figures()
    revisions, issues = lists["revisions"], lists["issues"]
    countries = PROJECT_COUNTRIES.instances(project.pk)
    # The report's paragraphs naming one of its countries, with every country each names.
    # Each paragraph gets its edition in words and its countries' names in the page's
    # language, each with whether it is one of the project's (shown in bold).
    paragraphs: dict[int, ReportParagraph] = {}
    ours = {country.pk for country in countries}
    language = (get_language() or "en")[:2]
    editions: dict[int, str] = {}
    for link in PROJECT_PARAGRAPHS.objects_in([country.pk for country in countries]):
        paragraph = paragraphs.get(link.reportparagraph_id)
        if paragraph is None:
            paragraph = paragraphs[link.reportparagraph_id] = link.reportparagraph
            document = paragraph.document
            if document.pk not in editions:
                editions[document.pk] = figures.edition(document)
            paragraph.edition_words = editions[document.pk]
            paragraph.named_countries = []
        paragraph.named_countries.append((link.country.name_in(language), link.country_id in ours))
    return {
        "theme_names": themes_in_words(PROJECT_THEMES.instances(project.pk)),
        "lists": lists,
        # The page's description and its link preview's, rendered once for the three.
        "share_text": sharing.share_text(project),
        "countries": countries,
        "paragraphs": list(paragraphs.values()),
        "figure_notes": figure_notes(issues),
        # Each figure as published or as updated by UNODC, and every edition and update.
        "figure_sources": figure_sources(project, revisions),
        "revisions": revisions,
    }


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.select_related("parent"), slug=slug)
    programmes = Project.objects.programmes().filter(Q(section=region) | Q(subregion=region))
    is_section = region.kind == Region.Kind.SECTION
    totals = programmes.summary()
    projects = list(programmes.with_totals().for_listing().by_largest_shortfall())
    context = {
        "region": region,
        "totals": totals,
        "projects": projects,
        "freshness": freshness(project.pk for project in projects),
        "by_subregion": programmes.funding_by("subregion") if is_section else [],
        "export_query": urlencode({region.kind: region.slug}),
        "brief_ok": totals["projects"] <= brief.BRIEF_MAX_PROJECTS,
    }
    return render(request, "projects/region_detail.html", context)


def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    country = get_object_or_404(Country, iso3=iso3.upper())
    programmes = Project.objects.programmes().filter(countries=country)
    totals = programmes.summary()
    projects = list(programmes.with_totals().for_listing().by_largest_shortfall())
    context = {
        "country": country,
        "totals": totals,
        "projects": projects,
        "freshness": freshness(project.pk for project in projects),
        "paragraphs": country.paragraphs.select_related("document").order_by(
            "-document__edition", "number"
        ),
        "donors": Donor.objects.filter(country=country),
        "export_query": urlencode({"country": country.iso3}),
        "brief_ok": totals["projects"] <= brief.BRIEF_MAX_PROJECTS,
    }
    return render(request, "projects/country_detail.html", context)


LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


def focal_point_list(request: HttpRequest) -> HttpResponse:
    """The people to contact, by surname under an A–Z index, narrowed to one section by a
    GET form; a section the page does not know shows everyone."""
    sections = list(Region.objects.filter(kind=Region.Kind.SECTION).order_by("order", "name"))
    section = next((s for s in sections if s.slug == request.GET.get("section")), None)
    published_roles = ProjectFocalPoint.objects.filter(project__published=True).select_related(
        "project"
    )
    people = FocalPoint.objects.filter(roles__project__published=True)
    if section is not None:
        people = people.filter(roles__project__section=section)
        published_roles = published_roles.filter(project__section=section)
    people = people.distinct().prefetch_related(
        Prefetch("roles", queryset=published_roles.order_by("project__title", "pk"))
    )
    by_letter: dict[str, list[FocalPoint]] = {}
    for person in sorted(people, key=lambda person: people_sort_key(person.name)):
        by_letter.setdefault(index_letter(person.name), []).append(person)
    context = {
        "groups": list(by_letter.items()),
        "letters": [(letter, letter in by_letter) for letter in LETTERS]
        + ([("#", True)] if "#" in by_letter else []),
        "sections": sections,
        "section": section,
        "people_count": sum(len(group) for group in by_letter.values()),
    }
    return render(request, "projects/focal_point_list.html", context)


def shortlisted_projects(ids: list[int]) -> list[Project]:
    """The shortlisted projects still published, in the order the donor added them."""
    found = (
        Project.objects.published()
        .with_totals()
        .filter(pk__in=ids)
        .select_related("section", "subregion", "source_document", "parent")
        .prefetch_related(
            "countries",
            "themes",
            Prefetch(
                "focal_roles",
                queryset=ProjectFocalPoint.objects.select_related("focal_point").order_by(
                    "role", "order"
                ),
            ),
        )
    )
    by_pk = {project.pk: project for project in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def shortlist_page(request: HttpRequest) -> HttpResponse:
    """The shortlisted projects side by side, with downloads and one "Register interest"."""
    projects = shortlisted_projects(shortlist.project_ids(request))
    context = {"projects": projects, "freshness": freshness(p.pk for p in projects)}
    return render(request, "projects/shortlist.html", context)


# A session cookie is SameSite=Lax, so a cross-site POST arrives without the session and changes
# nothing; the form carries no CSRF token so that pages with the button stay cacheable.
@csrf_exempt
@require_POST
def shortlist_change(request: HttpRequest) -> HttpResponse:
    """Adds or removes a project (`add=<id>`, `remove=<id>`, `clear`), then goes back."""
    if "clear" in request.POST:
        shortlist.clear(request)
    for action, change in (("add", shortlist.add), ("remove", shortlist.remove)):
        if action in request.POST:
            try:
                pk = parse_integer(request.POST[action], low=1)
            except NumberError as error:
                return HttpResponseBadRequest(f"{action}: {error}")
            if action == "remove" or Project.objects.published().filter(pk=pk).exists():
                change(request, pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("shortlist")
    changed = request.POST.get("add") or request.POST.get("remove")
    # A URL, never a view name: redirect("²") would look for a view of that name and fail.
    return HttpResponseRedirect(f"{back}#row-{changed}" if changed and "#" not in back else back)


def shortlist_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The shortlisted projects as CSV or XLSX, in the columns of the list's downloads."""
    ids = [p.pk for p in shortlisted_projects(shortlist.project_ids(request))]
    projects = Project.objects.published().with_totals().filter(pk__in=ids)
    chosen = exports.Selection(
        [("Shortlist", f"{len(ids)} projects chosen on the portal")], ["shortlist"]
    )
    base_url = request.build_absolute_uri("/")
    if fmt == "csv":
        response = HttpResponse(
            "".join(exports.csv_lines(projects, base_url)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(projects, chosen, base_url), content_type=XLSX_TYPE
        )
    name = chosen.file_name("shortlist", fmt, timezone.localdate())
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response
