"""At 100,000 programmes, PostgreSQL's plans for the pages donors open most use indexes where
they should and never spill a sort to disk.

The portfolio is built in SQL (tests/bench/dataset.py) inside the test's transaction, so it is
gone afterwards; every query the overview, the list (plain and filtered) and a project page
run is then explained with EXPLAIN (ANALYZE, VERBOSE). Only PostgreSQL has these plans: on
SQLite the test is skipped.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bench import dataset

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="query plans are PostgreSQL's: this test runs in the PostgreSQL pass",
    ),
]

PROGRAMMES = 100_000
# A scan returning fewer rows than this share of the table should have used an index.
SELECTIVE = 0.01


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def explain(sql: str) -> dict:
    with connection.cursor() as cursor:
        # In production a statement's SET LOCAL ends with it; here the test's transaction
        # would keep it for the next statements.
        cursor.execute("SET LOCAL work_mem TO DEFAULT")
        cursor.execute("SET LOCAL jit TO DEFAULT")
        while sql.startswith("SET LOCAL "):  # settings for the statement that follows them
            setting, sql = sql.split("; ", 1)
            cursor.execute(setting)
        # A statement prepared on the session (projects.prepared) is planned for its values
        # five times, then with the plan PostgreSQL keeps for any values: that one is read.
        plan_cache = "force_generic_plan" if sql.startswith("EXECUTE ") else "auto"
        cursor.execute(f"SET LOCAL plan_cache_mode = {plan_cache}")
        cursor.execute(f"EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) {sql}")
        (result,) = cursor.fetchone()
    return (json.loads(result) if isinstance(result, str) else result)[0]["Plan"]


def problems(sql: str, plan: dict, table_rows: int) -> list[str]:
    """What is wrong with a plan: a full scan of the project table where an index serves,
    a sort or hash spilling to disk, a sort carrying descriptions."""
    found = []
    # A page of rows (LIMIT) or one project (by slug): never worth reading the whole table.
    # (A prepared lookup by slug, EXECUTE, returns one row: the share below catches it.)
    page_of_rows = plan["Node Type"] == "Limit" or '"projects_project"."slug" = ' in sql
    for node in nodes(plan):
        kind = node["Node Type"]
        if kind == "Seq Scan" and node.get("Relation Name") == "projects_project":
            rows = node["Actual Rows"] * node["Actual Loops"]
            if page_of_rows or rows < SELECTIVE * table_rows:
                found.append(f"sequential scan of projects_project returning {rows} rows")
        if node.get("Sort Space Type") == "Disk" or "external" in node.get("Sort Method", ""):
            found.append(f"sort spilled to disk ({node.get('Sort Space Used')} kB)")
        if node.get("Disk Usage", 0) > 0 or node.get("HashAgg Batches", 1) > 1:
            found.append(f"{kind} spilled to disk")
        if node.get("Hash Batches", 1) > 1:
            found.append(f"hash join spilled to disk ({node['Hash Batches']} batches)")
        if (
            kind in ("Sort", "Incremental Sort")
            and node["Actual Rows"] > 100
            and any("description" in column for column in node.get("Output", []))
        ):
            found.append(f"a sort of {node['Actual Rows']} rows carries project descriptions")
    return found


@pytest.fixture
def portfolio():
    created = dataset.build(PROGRAMMES, most_pledges=4, most_countries=2, check_references=False)
    with connection.cursor() as cursor:
        for table in (
            "projects_project",
            "projects_pledge",
            "projects_project_countries",
            "projects_projectfocalpoint",
            "ingest_dataissue",
        ):
            cursor.execute(f"ANALYZE {table}")
    return created


def test_pages_use_indexes_and_never_spill_at_100k(client, portfolio):
    from projects.models import Project

    table_rows = Project.objects.count()
    pages = {
        "overview": "/",
        "list": "/projects/",
        "list, section and status": "/projects/?section=africa-and-middle-east&status=partly",
        "list, page 40": "/projects/?page=40",
        "project page": "/projects/programme-4242/",
    }
    report = []
    list_rows_indexed = False
    prepared = 0
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        # The cache starts empty: the overview's figures are computed, so their queries are
        # explained too (sections, sources, the list's totals and map, the largest gaps).
        assert len(captured) >= (4 if name == "overview" else 1), (name, len(captured))
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH", "SET LOCAL", "EXECUTE")):
                continue
            plan = explain(sql)
            prepared += sql.startswith("EXECUTE ")
            report += [
                f"{name}: {problem}\n  {sql[:300]}" for problem in problems(sql, plan, table_rows)
            ]
            if name == "list" and " LIMIT " in sql and "computed_shortfall" in sql:
                list_rows_indexed = any(
                    node.get("Index Name") == "project_programme_shortfall" for node in nodes(plan)
                )
    assert not report, "\n".join(report)
    assert prepared >= 4, "the project page's lookups were not prepared (and explained)"
    assert list_rows_indexed, "the list's default order is not read from its index"


@pytest.fixture
def analysed_portfolio():
    dataset.build(5_000, check_references=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE projects_project")


def test_the_planner_knows_how_many_projects_a_funding_status_leaves(analysed_portfolio):
    """The status is an expression, not a column: without statistics on it (migration 0013)
    PostgreSQL expects any status to leave half a percent of the projects, and joins and
    sorts every row of a filtered list instead of walking the shortfall index."""
    from projects.models import FundingStatus, Project

    programmes = Project.objects.filter(parent__isnull=True, published=True).with_totals()
    for status in FundingStatus.values:
        chosen = programmes.filter(funding_status=status)
        actual = chosen.count()
        if actual < 100:
            continue
        sql, params = chosen.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            (result,) = cursor.fetchone()
        estimate = (json.loads(result) if isinstance(result, str) else result)[0]["Plan"][
            "Plan Rows"
        ]
        assert actual / 2 <= estimate <= actual * 2, (status, estimate, actual)
