"""The published projects as IATI 2.03 activities, the XML the aid world's tools read.

IATI wants facts the publications do not print (activity dates, budget periods). Where a date
is needed the edition date of the document that published the opportunity stands in, and the
activity says so in a narrative, rather than inventing a project calendar.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import strip_tags

from projects.models import Pledge, Project, ProjectFocalPoint

IATI_VERSION = "2.03"
# Codelists (IATI 2.03): ActivityStatus 1 = Pipeline/identification; OrganisationRole 1 =
# Funding, 2 = Accountable, 4 = Implementing; OrganisationType 10 = Government, 40 =
# Multilateral, 60 = Foundation, 70 = Private sector, 90 = Other; TransactionType 13 = Incoming
# Pledge; BudgetType 1 = Original; BudgetStatus 1 = Indicative; ActivityDateType 1 = Planned
# start; ContactType 1 = General enquiries; DocumentCategory A02 = Objectives / purpose.
PIPELINE = "1"
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
ORGANISATION_TYPES = {
    "government": "10",
    "multilateral": "40",
    "intergovernmental": "40",
    "foundation": "60",
    "private": "70",
}
INCOMING_PLEDGE = "13"
# DAC 5-digit purpose codes (sector vocabulary 1) for each theme of the portal.
THEME_SECTORS = {
    "trafficking": ("15130", "Legal and judicial development"),
    "smuggling": ("15190", "Facilitation of orderly, safe, regular and responsible migration"),
}


def project_themes(project: Project) -> list[str]:
    """The project's theme slugs ("smuggling", "trafficking")."""
    return sorted(theme.slug for theme in project.themes.all())


def iati_identifier(project: Project) -> str:
    return f"{settings.IATI_ORGANISATION_ID}-{project.code or project.slug}"


def activities_queryset():
    focal_roles = ProjectFocalPoint.objects.select_related("focal_point").order_by("role", "order")
    return (
        Project.objects.published()
        .with_totals()
        .select_related("section", "subregion", "source_document", "parent")
        .prefetch_related(
            "countries",
            "themes",
            "phases",
            Prefetch("pledges", queryset=Pledge.objects.select_related("donor")),
            Prefetch("focal_roles", queryset=focal_roles),
        )
        .order_by("pk")
    )


class _Writer:
    """Streaming XML with IATI's habit of putting text in <narrative> children."""

    def __init__(self, out) -> None:
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def start(self, name: str, **attrs: str | None) -> None:
        clean = {k.replace("__", ":").replace("_", "-"): v for k, v in attrs.items() if v}
        self.xml.startElement(name, clean)

    def end(self, name: str) -> None:
        self.xml.endElement(name)

    def empty(self, name: str, **attrs: str | None) -> None:
        self.start(name, **attrs)
        self.end(name)

    def narrative(self, text: str, lang: str | None = None) -> None:
        self.start("narrative", xml__lang=lang)
        self.xml.characters(text)
        self.end("narrative")

    def with_narrative(self, name: str, text: str, **attrs: str | None) -> None:
        self.start(name, **attrs)
        self.narrative(text)
        self.end(name)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _source_date(project: Project) -> date:
    document = project.source_document
    if document and document.edition_date:
        return document.edition_date
    return timezone.localdate(project.created_at)


def _activity(w: _Writer, project: Project, portal_url: str) -> None:
    org_id = settings.IATI_ORGANISATION_ID
    org_name = settings.IATI_ORGANISATION_NAME
    document = project.source_document
    start = _source_date(project)
    w.start(
        "iati-activity",
        last_updated_datetime=project.updated_at.isoformat(timespec="seconds"),
        xml__lang="en",
        default_currency="USD",
        hierarchy="2" if project.parent_id else "1",
    )
    w.start("iati-identifier")
    w.xml.characters(iati_identifier(project))
    w.end("iati-identifier")
    w.with_narrative("reporting-org", org_name, ref=org_id, type="40")
    w.with_narrative("title", project.title)
    description = strip_tags(project.description).strip() or project.title
    w.with_narrative("description", description, type="1")
    w.with_narrative("participating-org", org_name, ref=org_id, role=ROLE_ACCOUNTABLE, type="40")
    w.with_narrative("participating-org", org_name, ref=org_id, role=ROLE_IMPLEMENTING, type="40")
    donors = {p.donor_id: p.donor for p in project.pledges.all() if p.donor_id}
    for donor in sorted(donors.values(), key=lambda d: d.name):
        w.with_narrative(
            "participating-org",
            donor.name,
            role=ROLE_FUNDING,
            type=ORGANISATION_TYPES.get(donor.kind, "90"),
        )
    w.empty("activity-status", code=PIPELINE)
    w.start("activity-date", type="1", iso_date=start.isoformat())
    w.narrative("No start date is set: the date of the publication that lists this opportunity.")
    w.end("activity-date")
    for role in project.focal_roles.all():
        person = role.focal_point
        w.start("contact-info", type="1")
        w.with_narrative("organisation", org_name)
        if person.unit:
            w.with_narrative("department", person.unit)
        w.with_narrative("person-name", str(person))
        if person.position:
            w.with_narrative("job-title", person.position)
        if person.phone:
            w.start("telephone")
            w.xml.characters(person.phone)
            w.end("telephone")
        if person.email:
            w.start("email")
            w.xml.characters(person.email)
            w.end("email")
        w.end("contact-info")
    countries = list(project.countries.all())
    for country in countries:
        w.with_narrative("recipient-country", country.name, code=country.iso2)
    if not countries:
        w.with_narrative(
            "recipient-region",
            project.section.name,
            code=project.section.slug,
            vocabulary="99",
            vocabulary_uri=f"{portal_url}/regions/{project.section.slug}/",
        )
    for theme in project_themes(project):
        if theme not in THEME_SECTORS:
            continue
        code, name = THEME_SECTORS[theme]
        w.with_narrative("sector", name, code=code, vocabulary="1")
    if project.budget is not None:
        w.start("budget", type="1", status="1")
        w.empty("period-start", iso_date=start.isoformat())
        w.empty("period-end", iso_date=(start + timedelta(days=364)).isoformat())
        w.start("value", currency="USD", value_date=start.isoformat())
        w.xml.characters(_money(project.budget))
        w.end("value")
        w.end("budget")
    for pledge in project.pledges.all():
        w.start("transaction")
        w.empty("transaction-type", code=INCOMING_PLEDGE)
        w.empty("transaction-date", iso_date=start.isoformat())
        w.start("value", currency="USD", value_date=start.isoformat())
        w.xml.characters(_money(pledge.amount))
        w.end("value")
        if pledge.donor_id:
            w.with_narrative("provider-org", pledge.donor.name)
        w.with_narrative("receiver-org", org_name, ref=org_id)
        w.end("transaction")
    if document:
        w.start(
            "document-link",
            url=f"{portal_url}{project.get_absolute_url()}",
            format="text/html",
        )
        w.with_narrative("title", f"{document.title} ({document.edition})")
        w.empty("category", code="A02")
        w.empty("language", code="en")
        if document.edition_date:
            w.empty("document-date", iso_date=document.edition_date.isoformat())
        w.end("document-link")
    w.end("iati-activity")


class _Chunks(io.BytesIO):
    def take(self) -> bytes:
        data = self.getvalue()
        self.seek(0)
        self.truncate()
        return data


def iter_activities(portal_url: str, projects: Iterable[Project] | None = None) -> Iterator[bytes]:
    """An <iati-activities> document for `projects` (default: every published one), in chunks
    of a hundred activities so that a response or a file can stream it. Links start with
    `portal_url` (the request's own address, or PORTAL_BASE_URL from the command line)."""
    portal_url = portal_url.rstrip("/")
    buffer = _Chunks()
    w = _Writer(buffer)
    w.xml.startDocument()
    generated = datetime.now(tz=timezone.get_current_timezone()).isoformat(timespec="seconds")
    w.start("iati-activities", version=IATI_VERSION, generated_datetime=generated)
    if projects is None:
        projects = activities_queryset().iterator(chunk_size=200)
    for index, project in enumerate(projects):
        _activity(w, project, portal_url)
        if index % 100 == 99:
            yield buffer.take()
    w.end("iati-activities")
    w.xml.endDocument()
    yield buffer.take()
