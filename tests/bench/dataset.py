"""A synthetic portfolio the size the portal should handle: bulk-created, deterministic.

10,000 published programmes (plus 1,000 partnership examples under them), 50,000 pledges from
60 donors, one to four countries each, two focal points each (from 400 people), 5 sections with
4 subregions each, budget phases, data issues and report paragraphs naming the countries.
About a quarter of the programmes have no pledge, a few have no known budget, some are funded.
"""

from __future__ import annotations

import random
from decimal import Decimal

PROGRAMMES = 10_000
EXAMPLES = 1_000
PLEDGES = 50_000
DONORS = 60
PEOPLE = 400
PARAGRAPHS = 600
BATCH = 2_000
SECTIONS = [
    "Africa and Middle East",
    "South and East Asia and the Pacific",
    "Europe and Central Asia",
    "Latin America and the Caribbean",
    "Global",
]
WORDS = [
    *("strengthening", "criminal", "justice", "response", "trafficking", "smuggling"),
    *("migrants", "victims", "protection", "prosecution", "border", "officers", "training"),
    *("shelters", "data", "collection", "legislation", "cooperation", "regional", "capacity"),
    *("prevention", "awareness"),
]


def pledge_counts(rng: random.Random) -> list[int]:
    """How many pledges each programme has: a quarter none, the rest adding up to PLEDGES."""
    counts = [0 if rng.random() < 0.25 else rng.randint(1, 12) for _ in range(PROGRAMMES)]
    funded = [i for i, n in enumerate(counts) if n]
    while (total := sum(counts)) != PLEDGES:
        i = rng.choice(funded)
        counts[i] = max(1, counts[i] + (1 if total < PLEDGES else -1))
    return counts


def build() -> dict[str, int]:
    """Create the portfolio in an empty, migrated database; returns what was created."""
    from django.db import transaction

    with transaction.atomic():
        return _build(random.Random(2010))


def _build(rng: random.Random) -> dict[str, int]:
    from django.utils.text import slugify

    from donors.models import Donor
    from ingest.models import DataIssue, ReportParagraph, SourceDocument
    from projects.models import (
        BudgetPhase,
        Country,
        FocalPoint,
        Pledge,
        Project,
        ProjectFocalPoint,
        Region,
    )

    brochure = SourceDocument.objects.create(
        kind=SourceDocument.Kind.BROCHURE, edition="2010-01", title="Partnership Opportunities"
    )
    report = SourceDocument.objects.create(
        kind=SourceDocument.Kind.ACTIVITY_REPORT, edition="2016-06", title="Report on activities"
    )
    sections = Region.objects.bulk_create(
        Region(kind=Region.Kind.SECTION, name=name, slug=slugify(name), order=i)
        for i, name in enumerate(SECTIONS)
    )
    subregions = Region.objects.bulk_create(
        Region(
            kind=Region.Kind.SUBREGION,
            parent=section,
            name=f"{section.name} subregion {k + 1}",
            slug=f"{section.slug}-subregion-{k + 1}",
            order=k,
        )
        for section in sections
        for k in range(4)
    )
    countries = list(Country.objects.order_by("iso3"))
    donors = Donor.objects.bulk_create(
        Donor(
            name=f"Donor {i:02d}",
            slug=f"donor-{i:02d}",
            kind=Donor.Kind.values[i % 4],
            country=countries[(7 * i) % len(countries)],
        )
        for i in range(DONORS)
    )
    people = FocalPoint.objects.bulk_create(
        FocalPoint(
            name=f"Focal Person {i:03d}",
            email=f"focal{i:03d}@unodc.example",
            phone=f"+43 1 26060 {4000 + i}",
            position="Crime Prevention Officer",
        )
        for i in range(PEOPLE)
    )

    def description(i: int) -> str:
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        return f"<p>Programme {i} <strong>aims</strong> at {words}.</p><p>{words}.</p>"

    budgets = []
    programmes = []
    for i in range(PROGRAMMES):
        sub = subregions[i % len(subregions)]
        budget = None if i % 37 == 0 else Decimal(rng.randrange(50, 5000) * 1000)
        budgets.append(budget)
        programmes.append(
            Project(
                title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} programme {i}",
                slug=f"programme-{i}",
                code=f"BNC{i:05d}",
                section=sub.parent if i % 9 else sections[-1],
                subregion=sub if i % 9 else None,
                budget=budget,
                budget_text="" if budget else "Varies",
                stated_shortfall=None,
                description=description(i),
                duration=f"{1 + i % 5} years",
                source_document=brochure,
                source_page=1 + i % 120,
            )
        )
    programmes = Project.objects.bulk_create(programmes, batch_size=BATCH)
    examples = Project.objects.bulk_create(
        (
            Project(
                title=f"Example {k + 1}: {rng.choice(WORDS)} in programme {i}",
                slug=f"programme-{i}-example-{k + 1}",
                section=programmes[i].section,
                subregion=programmes[i].subregion,
                parent=programmes[i],
                budget=Decimal(rng.randrange(10, 500) * 1000),
            )
            for i, k in ((rng.randrange(PROGRAMMES), k) for k in range(EXAMPLES))
        ),
        batch_size=BATCH,
    )

    pledges = []
    for project, budget, count in zip(programmes, budgets, pledge_counts(rng), strict=True):
        # Pledges add up to between a tenth and 120 % of the budget: some programmes are funded.
        share = Decimal(rng.randrange(10, 120)) / 100
        each = ((budget or Decimal(500_000)) * share / max(count, 1)).quantize(Decimal("1"))
        pledges += [
            Pledge(
                project=project,
                donor=donors[rng.randrange(DONORS)] if rng.random() > 0.05 else None,
                amount=each,
                order=k,
            )
            for k in range(count)
        ]
    Pledge.objects.bulk_create(pledges, batch_size=BATCH)
    Project.objects.refresh_pledged_totals()

    Project.themes.through.objects.bulk_create(
        (
            Project.themes.through(project=project, theme_id=slug)
            for i, project in enumerate(programmes)
            for slug in (("trafficking",), ("smuggling",), ("trafficking", "smuggling"))[i % 3]
        ),
        batch_size=BATCH,
    )
    Through = Project.countries.through
    Through.objects.bulk_create(
        (
            Through(project=project, country=country)
            for project in programmes
            for country in rng.sample(countries, rng.randint(1, 4))
        ),
        batch_size=BATCH,
    )
    ProjectFocalPoint.objects.bulk_create(
        (
            ProjectFocalPoint(project=project, focal_point=person, role=role, order=0)
            for project in programmes
            for role, person in (("hq", rng.choice(people)), ("field", rng.choice(people)))
        ),
        batch_size=BATCH,
    )
    BudgetPhase.objects.bulk_create(
        (
            BudgetPhase(project=p, label=f"Phase {k}", amount=b / 2, order=k)
            for p, b in zip(programmes, budgets, strict=True)
            if b and p.pk % 5 == 0
            for k in (1, 2)
        ),
        batch_size=BATCH,
    )
    for project in programmes[::10]:
        project.stated_shortfall = (project.budget or Decimal(0)) + 1
    Project.objects.bulk_update(programmes[::10], ["stated_shortfall"], batch_size=BATCH)
    DataIssue.objects.bulk_create(
        (
            DataIssue(
                project=p,
                document=brochure,
                code="shortfall_mismatch",
                field="shortfall",
                message="The shortfall printed is not budget minus pledges.",
            )
            for p in programmes[::10]
        ),
        batch_size=BATCH,
    )
    paragraphs = ReportParagraph.objects.bulk_create(
        ReportParagraph(
            document=report,
            number=n + 1,
            outline="Protection > Victims",
            theme="Protection",
            text=" ".join(rng.choice(WORDS) for _ in range(80)),
        )
        for n in range(PARAGRAPHS)
    )
    ReportParagraph.countries.through.objects.bulk_create(
        (
            ReportParagraph.countries.through(reportparagraph=para, country=country)
            for para in paragraphs
            for country in rng.sample(countries, 2)
        ),
        batch_size=BATCH,
    )
    return {
        "programmes": len(programmes),
        "examples": len(examples),
        "pledges": len(pledges),
        "donors": len(donors),
        "focal points": len(people),
        "regions": len(sections) + len(subregions),
    }
