"""A synthetic portfolio the size the portal should handle, built in SQL on PostgreSQL.

For `programmes` published programmes (10,000 and 100,000 in `make bench`): a tenth as many
partnership examples under them, about five pledges per programme from 60 donors, one to four
countries each, two focal points each (from 400 people), 5 sections with 4 subregions each,
budget phases, data issues and 600 report paragraphs naming countries. About a quarter of the
programmes have no pledge, one in 37 has no known budget, some are over-funded.

The large tables are filled with `INSERT … SELECT … FROM generate_series` (100,000 programmes in
seconds, not minutes of bulk_create). Values are deterministic: "random" choices come from a
multiplicative hash of the row number. Columns the statements do not name take their model
field's default, so a new field with a default needs no change here.
"""

from __future__ import annotations

from decimal import Decimal

PROGRAMMES = 10_000
DONORS = 60
PEOPLE = 400
PARAGRAPHS = 600
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


def h(expression: str, stream: int) -> str:
    """SQL for a deterministic pseudo-random integer in [0, 2^31) from an integer expression."""
    factor, offset = 2654435761 + 2 * stream, 97 * stream
    return f"(mod(({expression})::bigint * {factor}::bigint + {offset}, 2147483647)::int)"


def sql_array(values, cast: str) -> str:
    items = ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values)
    return f"ARRAY[{items}]::{cast}[]"


def insert_select(
    cursor, model, columns: dict[str, str], source: str, unmodelled: dict[str, str] | None = None
) -> int:
    """INSERT INTO model's table SELECT `columns` FROM `source`; other columns get defaults.
    `unmodelled`: columns the model does not know (the link arrays of migration 0012)."""
    from django.db import connection
    from django.db.models import DateTimeField

    names = [connection.ops.quote_name(column) for column in unmodelled or {}]
    expressions = [expression.replace("%", "%%") for expression in (unmodelled or {}).values()]
    params = []
    for field in model._meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        names.append(connection.ops.quote_name(field.column))
        if field.column in columns:
            expressions.append(columns[field.column].replace("%", "%%"))
        elif isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add):
            expressions.append("now()")
        elif field.has_default() or field.null or field.get_default() is not None:
            expressions.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
        else:
            raise ValueError(
                f"the synthetic portfolio gives no value for {model.__name__}.{field.name}"
            )
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(expressions)} "
        f"FROM {source.replace('%', '%%')}",
        params,
    )
    return cursor.rowcount


def build(
    programmes: int = PROGRAMMES,
    most_pledges: int = 12,
    most_countries: int = 4,
    check_references: bool = True,
) -> dict[str, int]:
    """Create the portfolio in an empty, migrated PostgreSQL database; returns what was created.

    Each programme with pledges has 1 to `most_pledges` of them, and 1 to `most_countries`
    countries (smaller for a quicker build, as in tests/projects/test_query_plans.py).
    `check_references=False` skips PostgreSQL's foreign key checks for the transaction (as
    pg_restore does; it needs a superuser): the ids written are the ones just read.
    """
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            # The projects' arrays of links (projects/migrations/0012) are written with the
            # programmes, not by the link tables' triggers after each INSERT (a rewrite of
            # every project row per link table); the refresh at the end checks them.
            cursor.execute("SET LOCAL projects.defer_links = on")
            if not check_references:
                cursor.execute("SET LOCAL session_replication_role = replica")
        created = _build(programmes, most_pledges, most_countries)
        with connection.cursor() as cursor:
            if not check_references:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            cursor.execute("SET LOCAL projects.defer_links = off")
            cursor.execute("SELECT projects_refresh_links(NULL)")
            stale = cursor.fetchone()[0]
        assert stale == 0, f"{stale} projects' link arrays disagreed with their links"
        return created


def _build(n: int, most_pledges: int, most_countries: int) -> dict[str, int]:
    from django.db import connection
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
    countries = list(Country.objects.order_by("iso3").values_list("iso3", flat=True))
    donors = Donor.objects.bulk_create(
        Donor(
            name=f"Donor {i:02d}",
            slug=f"donor-{i:02d}",
            kind=Donor.Kind.values[i % 4],
            country_id=countries[(7 * i) % len(countries)],
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
    paragraphs = ReportParagraph.objects.bulk_create(
        ReportParagraph(
            document=report,
            number=k + 1,
            outline="Protection > Victims",
            theme="Protection",
            text=" ".join(WORDS[(k * 7 + j) % len(WORDS)] for j in range(80)),
        )
        for k in range(PARAGRAPHS)
    )
    ReportParagraph.countries.through.objects.bulk_create(
        ReportParagraph.countries.through(
            reportparagraph=para, country_id=countries[(k * 11 + j * 5) % len(countries)]
        )
        for k, para in enumerate(paragraphs)
        for j in range(2)
    )

    words = sql_array(WORDS, "text")
    text = " ".join(WORDS * 3)
    subregion_ids = sql_array([s.pk for s in subregions], "bigint")
    section_ids = sql_array([s.parent_id for s in subregions], "bigint")
    country_codes = sql_array(countries, "text")
    donor_ids = sql_array([d.pk for d in donors], "bigint")
    people_ids = sql_array([p.pk for p in people], "bigint")
    i = "i"
    budget = f"(CASE WHEN {i} % 37 = 0 THEN NULL ELSE (50 + {h(i, 1)} % 4950) * 1000 END)"
    # Pledges add up to between a tenth and 120 % of the budget (500,000 when it varies).
    pledge_count = (
        f"(CASE WHEN {h(i, 3)} % 100 < 25 THEN 0 ELSE 1 + {h(i, 4)} % {most_pledges} END)"
    )
    share = f"(10 + {h(i, 5)} % 110) / 100.0"
    each = f"round(coalesce({budget}, 500000) * {share} / greatest({pledge_count}, 1))"
    # Each link of programme i: its k-th pledge's donor, its k-th country, its r.k-th person.
    donor_of_pledge = (
        f"CASE WHEN {h('i * 13 + k', 12)} % 100 < 5 THEN NULL "
        f"ELSE ({donor_ids})[1 + {h('i * 13 + k', 13)} % {DONORS}] END"
    )
    country_k = f"({country_codes})[1 + ({h(i, 14)} + 7 * k) % {len(countries)}]"
    countries_of = f"generate_series(0, {h(i, 15)} % {most_countries}) AS k"
    person_of_role = f"({people_ids})[1 + {h('i * 2 + r.k', 16)} % {PEOPLE}]"
    themes_of = (
        "(VALUES (0, 'trafficking'), (1, 'smuggling'), (2, 'trafficking'), (2, 'smuggling'))"
        " AS t(k, slug)"
    )
    # The programmes' arrays of distinct link values (projects/migrations/0012) written with
    # them, from the same expressions as the links below: the final refresh finds nothing to
    # change, and no project row is written twice.
    link_arrays = {
        "donor_ids": f"ARRAY(SELECT DISTINCT d FROM (SELECT {donor_of_pledge} AS d"
        f" FROM generate_series(1, {pledge_count}) AS k) AS x WHERE d IS NOT NULL ORDER BY 1)",
        "focal_point_ids": f"ARRAY(SELECT DISTINCT {person_of_role}"
        " FROM (VALUES (0), (1)) AS r(k) ORDER BY 1)",
        "country_ids": f"ARRAY(SELECT DISTINCT {country_k} FROM {countries_of} ORDER BY 1)",
        "theme_ids": f"ARRAY(SELECT t.slug FROM {themes_of} WHERE t.k = {i} % 3 ORDER BY 1)",
    }
    with connection.cursor() as cursor:
        created = insert_select(
            cursor,
            Project,
            {
                "title": f"initcap(({words})[1 + {h(i, 6)} % {len(WORDS)}]) || ' ' || "
                f"({words})[1 + {h(i, 7)} % {len(WORDS)}] || ' programme ' || {i}",
                "slug": f"'programme-' || {i}",
                "code": f"'BNC' || lpad({i}::text, 6, '0')",
                "section_id": f"CASE WHEN {i} % 9 = 0 THEN {sections[-1].pk} "
                f"ELSE ({section_ids})[1 + {i} % 20] END",
                "subregion_id": f"CASE WHEN {i} % 9 = 0 THEN NULL "
                f"ELSE ({subregion_ids})[1 + {i} % 20] END",
                "budget": budget,
                "budget_text": f"CASE WHEN {i} % 37 = 0 THEN 'Varies' ELSE '' END",
                "pledged_total": f"{pledge_count} * {each}",
                "stated_shortfall": f"CASE WHEN {i} % 10 = 0 THEN coalesce({budget}, 0) + 1 END",
                "description": f"'<p>Programme ' || {i} || ' <strong>aims</strong> at ' || "
                f"substr('{text}', 1 + {h(i, 8)} % 200, 400) || '.</p>'",
                "duration": f"(1 + {i} % 5) || ' years'",
                "source_document_id": str(brochure.pk),
                "source_page": f"1 + {i} % 120",
                "published": "true",
            },
            f"generate_series(0, {n - 1}) AS i",
            unmodelled=link_arrays,
        )
        assert created == n
        cursor.execute("SELECT min(id) FROM projects_project WHERE slug = 'programme-0'")
        first = cursor.fetchone()[0]
        programme = f"projects_project AS p CROSS JOIN LATERAL (SELECT p.id - {first} AS i) AS n"
        top = "p.parent_id IS NULL AND p.slug LIKE 'programme-%'"
        examples = insert_select(
            cursor,
            Project,
            {
                "title": f"'Example ' || k || ': ' || ({words})[1 + {h('k', 9)} % {len(WORDS)}] "
                "|| ' in ' || p.title",
                "slug": "p.slug || '-example-' || k",
                "section_id": "p.section_id",
                "subregion_id": "p.subregion_id",
                "parent_id": "p.id",
                "budget": f"(10 + {h('k', 10)} % 490) * 1000",
                "published": "true",
            },
            f"generate_series(0, {n // 10 - 1}) AS k JOIN projects_project AS p "
            f"ON p.id = {first} + {h('k', 11)} % {n}",
        )
        pledges = insert_select(
            cursor,
            Pledge,
            {
                "project_id": "p.id",
                "donor_id": donor_of_pledge,
                "amount": each.replace(budget, "p.budget"),
                "order": "k - 1",
            },
            f"{programme} CROSS JOIN LATERAL generate_series(1, {pledge_count}) AS k WHERE {top}",
        )
        # Trafficking, smuggling, or both: a set per programme.
        insert_select(
            cursor,
            Project.themes.through,
            {"project_id": "p.id", "theme_id": "t.slug"},
            f"{programme} JOIN {themes_of} ON t.k = i % 3 WHERE {top}",
        )
        countries_set = insert_select(
            cursor,
            Project.countries.through,
            {
                "project_id": "p.id",
                "country_id": country_k,
            },
            f"{programme} CROSS JOIN LATERAL {countries_of} WHERE {top}",
        )
        insert_select(
            cursor,
            ProjectFocalPoint,
            {
                "project_id": "p.id",
                "focal_point_id": person_of_role,
                "role": "r.role",
                "order": "0",
            },
            f"{programme} CROSS JOIN (VALUES (0, 'hq'), (1, 'field')) AS r(k, role) WHERE {top}",
        )
        insert_select(
            cursor,
            BudgetPhase,
            {
                "project_id": "p.id",
                "label": "'Phase ' || k",
                "amount": "p.budget / 2",
                "order": "k",
            },
            f"{programme} CROSS JOIN generate_series(1, 2) AS k "
            f"WHERE {top} AND p.budget IS NOT NULL AND i % 5 = 0",
        )
        issues = insert_select(
            cursor,
            DataIssue,
            {
                "project_id": "p.id",
                "document_id": str(brochure.pk),
                "code": "'shortfall_mismatch'",
                "field": "'shortfall'",
                "message": "'The shortfall printed is not budget minus pledges.'",
            },
            f"{programme} WHERE {top} AND i % 10 = 0",
        )
    # The totals were written with the programmes: a refresh finds nothing to change.
    stale = Project.objects.refresh_pledged_totals()
    assert stale == 0, f"{stale} pledged totals disagreed with the pledges"
    assert Project.objects.filter(pledged_total__lt=Decimal(0)).count() == 0
    return {
        "programmes": created,
        "examples": examples,
        "pledges": pledges,
        "country links": countries_set,
        "data issues": issues,
        "donors": len(donors),
        "focal points": len(people),
        "regions": len(sections) + len(subregions),
    }
