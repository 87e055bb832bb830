"""Small builders for test data: each returns a saved object with sensible defaults."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils.text import slugify

from donors.models import Donor
from projects.models import (
    BudgetPhase,
    Country,
    FocalPoint,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
    Theme,
    themes_of,
)

_sequence = itertools.count(1)


def section(name: str = "", order: int = 0) -> Region:
    name = name or f"Section {next(_sequence)}"
    region, _ = Region.objects.get_or_create(
        kind=Region.Kind.SECTION,
        name=name,
        defaults={"slug": slugify(name), "order": order},
    )
    return region


def subregion(parent: Region, name: str = "", order: int = 0) -> Region:
    name = name or f"Subregion {next(_sequence)}"
    region, _ = Region.objects.get_or_create(
        kind=Region.Kind.SUBREGION,
        parent=parent,
        name=name,
        defaults={"slug": slugify(f"{parent.slug} {name}"), "order": order},
    )
    return region


def donor(name: str = "", **fields) -> Donor:
    name = name or f"Donor {next(_sequence)}"
    fields.setdefault("slug", slugify(name))
    return Donor.objects.create(name=name, **fields)


def project(
    title: str = "",
    budget: Decimal | str | None = "1000",
    pledges: tuple[tuple[Donor | None, Decimal | str], ...] = (),
    countries: tuple[str, ...] = (),
    theme: str = "trafficking",
    **fields,
) -> Project:
    """`theme` as a document prints it: "trafficking", "smuggling" or "both"."""
    title = title or f"Project {next(_sequence)}"
    fields.setdefault("section", section("Global"))
    fields.setdefault("slug", slugify(title)[:100] + f"-{next(_sequence)}")
    obj = Project.objects.create(
        title=title, budget=None if budget is None else Decimal(budget), **fields
    )
    for order, (pledge_donor, amount) in enumerate(pledges):
        Pledge.objects.create(project=obj, donor=pledge_donor, amount=Decimal(amount), order=order)
    if countries:
        obj.countries.set(Country.objects.filter(iso3__in=countries))
    obj.themes.set(themes(*themes_of(theme)))
    return obj


THEME_NAMES = {"trafficking": "Trafficking in persons", "smuggling": "Smuggling of migrants"}


def themes(*slugs: str) -> list[Theme]:
    """The themes, made again if a transactional test emptied the table the migration fills."""
    return [
        Theme.objects.get_or_create(slug=slug, defaults={"name": THEME_NAMES.get(slug, slug)})[0]
        for slug in slugs
    ]


def focal_point(project_obj: Project, role: str = "hq", **fields) -> ProjectFocalPoint:
    n = next(_sequence)
    fields.setdefault("name", f"Person {n}")
    fields.setdefault("email", f"person{n}@example.org")
    person = FocalPoint.objects.create(**fields)
    return ProjectFocalPoint.objects.create(project=project_obj, focal_point=person, role=role)


def source_document(kind: str = "brochure", edition: str = "2010-01", **fields):
    from ingest.models import SourceDocument

    fields.setdefault("title", "Partnership Opportunities")
    if kind == "activity_report":
        fields.setdefault("period_start", "2014-10")
        fields.setdefault("period_end", "2016-04")
    document, _ = SourceDocument.objects.get_or_create(kind=kind, edition=edition, defaults=fields)
    return document


def data_issue(project_obj: Project, code: str = "shortfall_mismatch", **fields):
    from ingest.models import DataIssue

    fields.setdefault("message", f"{code} on {project_obj.title}")
    return DataIssue.objects.create(project=project_obj, code=code, **fields)


def report_paragraph(number: int, countries: tuple[str, ...] = (), **fields):
    from ingest.models import ReportParagraph

    fields.setdefault("document", source_document("activity_report", "2016-06", title="Report"))
    fields.setdefault("theme", "Prosecution")
    fields.setdefault("text", f"Paragraph {number} on UNODC activity.")
    paragraph = ReportParagraph.objects.create(number=number, **fields)
    if countries:
        paragraph.countries.set(Country.objects.filter(iso3__in=countries))
    return paragraph


def portfolio(n: int = 200) -> list[Project]:
    """`n` published programmes with everything a page shows, in a few bulk queries.

    Each has two pledges, up to three countries, a focal point, and every fifth a
    partnership example, a budget phase and a data issue; report paragraphs name the
    countries used.
    """
    from ingest.models import DataIssue, ReportParagraph

    batch = next(_sequence)
    brochure = source_document()
    report = source_document("activity_report", "2016-06", title="Report on activities")
    sections = [section(f"Portfolio section {i}", order=i) for i in range(4)]
    subregions = [subregion(s, f"Portfolio subregion {s.order}") for s in sections]
    donors = [donor(f"Portfolio donor {batch}-{i}") for i in range(6)]
    people = FocalPoint.objects.bulk_create(
        FocalPoint(name=f"Portfolio person {i}", email=f"portfolio{batch}-{i}@example.org")
        for i in range(8)
    )
    countries = list(Country.objects.order_by("iso3")[:30])
    programmes = Project.objects.bulk_create(
        Project(
            title=f"Programme {i}",
            slug=f"programme-{batch}-{i}",
            code=f"P{batch}X{i}",
            section=sections[i % 4],
            subregion=subregions[i % 4],
            budget=Decimal(1000 * (i + 1)) + Decimal("0.50") * (i % 2),
            stated_shortfall=Decimal(900 * (i + 1)),
            description=f"<p>Programme {i} <strong>description</strong></p>",
            source_document=brochure,
            source_page=i + 1,
        )
        for i in range(n)
    )
    examples = Project.objects.bulk_create(
        Project(
            title=f"Example of programme {i}",
            slug=f"example-{batch}-{i}",
            section=sections[i % 4],
            parent=parent,
            budget=Decimal(100),
        )
        for i, parent in enumerate(programmes)
        if i % 5 == 0
    )
    Pledge.objects.bulk_create(
        Pledge(project=p, donor=donors[(i + k) % 6], amount=Decimal(100 * (k + 1)), order=k)
        for i, p in enumerate(programmes)
        for k in range(2)
    )
    Project.objects.filter(pk__in=[p.pk for p in programmes]).refresh_pledged_totals()
    themes(*THEME_NAMES)
    Project.themes.through.objects.bulk_create(
        Project.themes.through(project=p, theme_id=slug)
        for i, p in enumerate(programmes)
        for slug in themes_of(("trafficking", "smuggling", "both")[i % 3])
    )
    Project.countries.through.objects.bulk_create(
        Project.countries.through(project=p, country=countries[(i + k) % len(countries)])
        for i, p in enumerate(programmes)
        for k in range(1 + i % 3)
    )
    ProjectFocalPoint.objects.bulk_create(
        ProjectFocalPoint(project=p, focal_point=people[i % 8], role="hq")
        for i, p in enumerate(programmes)
    )
    BudgetPhase.objects.bulk_create(
        BudgetPhase(project=p, label="Phase I", amount=p.budget)
        for i, p in enumerate(programmes)
        if i % 5 == 0
    )
    DataIssue.objects.bulk_create(
        DataIssue(project=p, document=brochure, code="shortfall_mismatch", message="Differs")
        for i, p in enumerate(programmes)
        if i % 5 == 0
    )
    paragraphs = ReportParagraph.objects.bulk_create(
        ReportParagraph(document=report, number=1000 * batch + i, theme="Protection", text="Done.")
        for i in range(len(countries))
    )
    ReportParagraph.countries.through.objects.bulk_create(
        ReportParagraph.countries.through(reportparagraph=para, country=countries[i])
        for i, para in enumerate(paragraphs)
    )
    return programmes + examples


def interest_form_data(project_obj: Project, **changes) -> dict:
    """What a donor posts when registering interest in `project_obj`, with `changes` applied."""
    return {
        "organisation": "Ministry of Foreign Affairs",
        "donor_kind": "government",
        "country": "NOR",
        "contact_name": "Kari Nordmann",
        "email": "kari@mfa.example",
        "phone": "+47 22 24 36 00",
        "projects": [project_obj.pk],
        "amount": "250000",
        "currency": "USD",
        "message": "We would like to discuss phase II.",
        "consent": "on",
        "website": "",
        "token": "token-1",
    } | changes
