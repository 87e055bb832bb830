"""Registering interest over HTTP: the form, its refusals and the public confirmation page.

Saving and e-mail live in donors/interest.py; these views turn their outcomes into pages.
The confirmation page is public by reference, so it never shows the donor's contact data.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from donors.forms import InterestForm, amount_in
from donors.interest import RateLimited, client_address, submit_interest
from donors.models import AddressLimit, Interest
from projects.models import Project, Region
from projects.numbers import is_id

FORM_TEMPLATE = "donors/interest_form.html"
MAX_PRESELECTED = 1000  # as many as Django lets a request send (DATA_UPLOAD_MAX_NUMBER_FIELDS)
MISSING_TOKEN = _(
    "This form could not be matched to the page it came from, so it was renewed: "
    "check your answers and send it again."
)


@dataclass
class ProjectChoices:
    """The projects a donor can tick: the ticked ones first, the others grouped by section."""

    ticked: list[Project]
    by_section: list[tuple[Region, list[Project]]] = field(default_factory=list)

    @property
    def ticked_ids(self) -> set[int]:
        return {project.pk for project in self.ticked}

    @property
    def other_count(self) -> int:
        return sum(len(projects) for _, projects in self.by_section)

    @property
    def first_id(self) -> int | None:
        """The first checkbox, where the error summary sends the donor."""
        first = self.ticked or [p for _, projects in self.by_section for p in projects]
        return first[0].pk if first else None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def project_ids(values: Iterable[str | int]) -> set[int]:
    """The well-formed project ids among submitted values; anything else is ignored."""
    ids = {int(value) for value in values if is_id(value)}
    return set(sorted(ids)[:MAX_PRESELECTED])


def project_choices(ticked_ids: set[int]) -> ProjectChoices:
    """All published programmes plus whatever is ticked (a partnership example may be), in
    one query."""
    projects = (
        Project.objects.published()
        .filter(Q(parent__isnull=True) | Q(pk__in=ticked_ids))
        .select_related("section")
        .only("title", "code", "section__name", "section__order")
        .order_by("section__order", "section__name", "section_id", "title", "pk")
    )
    ticked, others = [], []
    for project in projects:
        (ticked if project.pk in ticked_ids else others).append(project)
    return ProjectChoices(
        ticked=sorted(ticked, key=attrgetter("title")),
        by_section=[
            (section, list(group)) for section, group in groupby(others, key=attrgetter("section"))
        ],
    )


def render_form(
    request: HttpRequest,
    form: InterestForm,
    project: Project | None = None,
    refusal: str = "",
    status: int = 200,
    preview: bool = False,
) -> HttpResponse:
    if form.is_bound and form.has_error("token"):
        form.data = form.data.copy()
        form.data["token"] = new_token()
        form.add_error(None, MISSING_TOKEN)
    context = {
        "form": form,
        "project": project,
        "choices": project_choices(project_ids(form["projects"].value() or [])),
        "refusal": refusal,
        "preview": preview,
        "co_financing_email": settings.CO_FINANCING_EMAIL,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def interest_form_page(
    request: HttpRequest, preselected: set[int], project: Project | None = None
) -> HttpResponse:
    if request.method != "POST":
        form = InterestForm(initial={"token": new_token(), "projects": sorted(preselected)})
        return render_form(request, form, project)
    form = InterestForm(data=request.POST)
    if form.is_bot:
        context = {"co_financing_email": settings.CO_FINANCING_EMAIL}
        return render(request, "donors/interest_refused.html", context, status=400)
    if "check_amounts" in request.POST:
        # "Check the amounts" (no JavaScript needed): how each amount was read, and a box per
        # project now ticked; nothing is saved and only the amounts' errors are shown.
        form.is_valid()
        form.keep_only_amount_errors()
        return render_form(request, form, project, preview=True)
    if not form.is_valid():
        return render_form(request, form, project)
    try:
        interest, _created = submit_interest(form, client_address(request))
    except RateLimited as refusal:
        return render_form(request, form, project, refusal=str(refusal), status=429)
    # A re-posted form (double click, reload) comes back with the first record: same page.
    return redirect(interest)


@require_http_methods(["GET", "HEAD", "POST"])
def register_interest(request: HttpRequest) -> HttpResponse:
    """One form for several projects; `?projects=1&projects=2` ticks them in advance."""
    return interest_form_page(request, preselected=project_ids(request.GET.getlist("projects")))


@require_http_methods(["GET", "HEAD", "POST"])
def project_interest(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.published().only("title", "slug"), slug=slug)
    return interest_form_page(request, preselected={project.pk}, project=project)


def too_many_confirmations(request: HttpRequest) -> HttpResponse | None:
    """A 429 once an address has asked for more confirmation pages than an hour allows."""
    address = client_address(request)
    if not address:
        return None
    window = datetime.timedelta(seconds=settings.INTEREST_RATE_WINDOW_SECONDS)
    hits = AddressLimit.objects.count_hit(address, AddressLimit.Purpose.CONFIRMATION, window)
    if hits <= settings.CONFIRMATION_RATE_LIMIT:
        return None
    context = {
        "limit": settings.CONFIRMATION_RATE_LIMIT,
        "co_financing_email": settings.CO_FINANCING_EMAIL,
    }
    response = render(request, "donors/confirmation_limited.html", context, status=429)
    response["Retry-After"] = str(settings.INTEREST_RATE_WINDOW_SECONDS)
    return response


def interest_confirmation(request: HttpRequest, token: str) -> HttpResponse:
    """Public to whoever has the link (a random token); it names no contact data."""
    if refused := too_many_confirmations(request):
        return refused
    interest = get_object_or_404(
        Interest.objects.only(
            "reference",
            "submitted_at",
            "confirmation",
            "confirmation_error",
            "confirmed_at",
            "amount",
            "currency",
        ).prefetch_related(
            Prefetch(
                "projects",
                queryset=Project.objects.only("title", "slug", "published").order_by("title"),
            ),
            "amounts",
        ),
        confirmation_token=token,
    )
    amounts = {row.project_id: row.amount for row in interest.amounts.all()}
    currency = interest.currency
    context = {
        "interest": interest,
        "projects": [
            (p, amount_in(amounts[p.pk], currency) if p.pk in amounts else "")
            for p in interest.projects.all()
        ],
        "amount": "" if interest.amount is None else amount_in(interest.amount, currency),
        "co_financing_email": settings.CO_FINANCING_EMAIL,
    }
    return render(request, "donors/interest_confirmation.html", context)
