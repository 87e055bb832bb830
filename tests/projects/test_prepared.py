import pytest
from django.conf import settings

from projects.models import Country, Pledge, Project, Theme
from projects.prepared import PreparedQuery
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_prepared_query_gives_what_its_queryset_gives_for_each_value():
    countries = PreparedQuery(
        lambda pk: Country.objects.filter(projects=pk), ("name_es", "iso3", "name")
    )
    assert countries.fields == ("iso3", "name", "name_es")  # in the model's order
    first = factories.project(countries=("KEN", "NGA", "BRA"))
    second = factories.project(countries=("FRA",))
    none = factories.project()
    for project in (first, second, none, first):
        expected = list(project.countries.values_list("iso3", "name", "name_es"))
        assert countries.rows(project.pk) == expected
        found = countries.instances(project.pk)
        assert found == list(project.countries.all())
        assert [c.name_es for c in found] == [c.name_es for c in project.countries.all()]
    assert [c.iso3 for c in countries.instances(first.pk)] == ["BRA", "KEN", "NGA"]


def test_a_prepared_query_asks_for_text_only_and_its_value_once():
    with pytest.raises(TypeError, match="Pledge.amount is not a text field"):
        PreparedQuery(lambda pk: Pledge.objects.filter(project=pk), ("amount",))
    twice = PreparedQuery(
        lambda pk: Theme.objects.filter(projects=pk).filter(projects=pk), ("slug",)
    )
    with pytest.raises(ValueError, match="once"):
        twice.rows(1)


def test_prepared_objects_are_what_the_queryset_gives_with_related_rows_and_annotations():
    from django.db.models import Count, F

    from projects.prepared import PreparedObjects

    pledges = PreparedObjects(
        lambda pk: (
            Pledge.objects.filter(project=pk)
            .select_related("donor", "project__section")
            .defer("note")
            .annotate(project_title=F("project__title"), donors=Count("project__pledges"))
            .order_by("order", "pk")
        )
    )
    kenya = factories.donor("Kenya")
    first = factories.project(pledges=((kenya, "1000.50"), (None, "20")))
    second = factories.project(pledges=((kenya, "7"),))
    none = factories.project()
    for project in (first, second, none, first):
        expected = list(
            Pledge.objects.filter(project=project.pk)
            .select_related("donor", "project__section")
            .defer("note")
            .annotate(project_title=F("project__title"), donors=Count("project__pledges"))
            .order_by("order", "pk")
        )
        found = pledges.objects(project.pk)
        assert found == expected
        for got, want in zip(found, expected, strict=True):
            assert got.amount == want.amount and type(got.amount) is type(want.amount)
            assert got.donor == want.donor
            assert got.project.section.name == want.project.section.name
            assert (got.project_title, got.donors) == (want.project_title, want.donors)
            assert got.get_deferred_fields() == {"note"}
    by_slug = PreparedObjects(lambda slug: Theme.objects.filter(slug=slug))
    assert by_slug.objects("trafficking") == [Theme.objects.get(slug="trafficking")]
    assert by_slug.objects("nothing") == []


def test_prepared_objects_refuse_what_they_cannot_give():
    from projects.prepared import PreparedObjects

    twice = PreparedObjects(lambda pk: Theme.objects.filter(projects=pk).filter(projects=pk))
    with pytest.raises(ValueError, match="once"):
        twice.objects(1)
    prefetching = PreparedObjects(
        lambda pk: Theme.objects.filter(projects=pk).prefetch_related("projects")
    )
    with pytest.raises(ValueError, match="plain model instances"):
        prefetching.objects(1)


def test_prepared_objects_in_a_list_of_values_compile_once_per_length():
    from projects.prepared import PreparedObjects

    countries = PreparedObjects(
        lambda iso3s: Country.objects.filter(iso3__in=iso3s).order_by("name"), many=True
    )
    for chosen in (["KEN"], ["NGA", "KEN"], ["BRA", "FRA"], ["FRA"], []):
        expected = list(Country.objects.filter(iso3__in=chosen).order_by("name"))
        assert countries.objects_in(chosen) == expected
    assert countries.objects_in(["KEN", "KEN", "XXX"]) == [Country.objects.get(iso3="KEN")]


def test_compiled_queries_read_the_data_as_it_is_now(django_assert_num_queries):
    from projects.models import Project
    from projects.prepared import CompiledQueries

    first = factories.project(budget="100")
    compiled = CompiledQueries(Project)

    def build():
        return Project.objects.filter(budget__gte=50).order_by("pk")

    assert compiled.objects("budget>=50", build) == [first]
    second = factories.project(budget="70")
    with django_assert_num_queries(1):
        assert compiled.objects("budget>=50", lambda: pytest.fail("compiled again")) == [
            first,
            second,
        ]
    Project.objects.filter(pk=first.pk).update(budget=10)
    assert compiled.objects("budget>=50", build) == [second]


# PostgreSQL sessions: the lookups by key are prepared on each (ServerStatement).
on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="statements are PREPAREd on PostgreSQL only: these tests run in make test's "
    "PostgreSQL pass (SQLite runs the SQL as it is, tested above)",
)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a FROM t WHERE b = %s", "SELECT a FROM t WHERE b = $1"),
        (
            "WHERE a IN (%s, %s) AND b LIKE 'x%%' AND c = %s",
            "WHERE a IN ($1, $2) AND b LIKE 'x%' AND c = $3",
        ),
        ("SELECT '%%s' , %s", "SELECT '%s' , $1"),
        ("SELECT 1", "SELECT 1"),
    ],
)
def test_psycopg2_placeholders_become_positional_parameters(sql, expected):
    from projects.prepared import positional

    assert positional(sql) == expected


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_lookups_run_prepared_on_each_session_and_again_after_a_reconnect():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.prepared import PreparedObjects

    with_countries("KEN", "NGA")
    connection.close()  # a session of its own: another test may have dropped its statements
    countries = PreparedQuery(lambda pk: Country.objects.filter(projects=pk), ("iso3",))
    programmes = PreparedObjects(lambda slug: Project.objects.filter(slug=slug))
    first = factories.project(countries=("KEN", "NGA"))
    for _ in range(2):  # a second session: the connection closed between requests
        with CaptureQueriesContext(connection) as queries:
            assert countries.rows(first.pk) == [("KEN",), ("NGA",)]
            assert programmes.objects(first.slug) == [first]
            assert programmes.objects("no-such-slug") == []
        # Three queries, each an EXECUTE; the PREPAREs are not among them.
        assert [q["sql"].split("(")[0] for q in queries.captured_queries] == [
            f"EXECUTE {countries._sql('default')[0].name}",
            *[f"EXECUTE {programmes_name(programmes)}"] * 2,
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements")
            names = {name for (name,) in cursor.fetchall()}
        assert {countries._sql("default")[0].name, programmes_name(programmes)} <= names
        connection.close()


def with_countries(*iso3s: str) -> None:
    """The countries (a test whose transactions commit starts without the migrations' data
    when one before it flushed the tables)."""
    for iso3 in iso3s:
        Country.objects.get_or_create(iso3=iso3, defaults={"name": iso3, "iso2": iso3[:2]})


def programmes_name(prepared) -> str:
    (compiled,) = prepared.compiled.local.compiled.values()
    return compiled.statement.name


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_each_thread_prepares_on_its_own_session():
    import threading

    from django.db import connection

    countries = PreparedQuery(lambda pk: Country.objects.filter(projects=pk), ("iso3",))
    with_countries("BRA")
    project = factories.project(countries=("BRA",))
    found, failed = [], []

    def look_up():
        try:
            found.append(countries.rows(project.pk))
            found.append(countries.rows(project.pk))
        except Exception as error:  # reported below, with the thread's failure
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=look_up) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed
    assert found == [[("BRA",)]] * 6


@on_postgresql
def test_with_prepared_statements_off_the_sql_runs_as_it_is(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PREPARED_STATEMENTS = False
    countries = PreparedQuery(lambda pk: Country.objects.filter(projects=pk), ("iso3",))
    project = factories.project(countries=("BRA",))
    with CaptureQueriesContext(connection) as queries:
        assert countries.rows(project.pk) == [("BRA",)]
    assert queries.captured_queries[0]["sql"].startswith("SELECT ")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_session_that_lost_its_statements_prepares_them_again():
    """A pooler's DISCARD ALL (or DEALLOCATE ALL) leaves the session without the statements it
    had: the next lookup prepares its own again instead of failing the page."""
    from django.db import connection

    with_countries("KEN")
    countries = PreparedQuery(lambda pk: Country.objects.filter(projects=pk), ("iso3",))
    project = factories.project(countries=("KEN",))
    assert countries.rows(project.pk) == [("KEN",)]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert countries.rows(project.pk) == [("KEN",)]
    connection.close()


@on_postgresql
def test_inside_a_transaction_a_lost_statement_is_prepared_again_and_the_transaction_goes_on():
    from django.db import connection

    countries = PreparedQuery(lambda pk: Country.objects.filter(projects=pk), ("iso3",))
    project = factories.project(countries=("BRA",))
    assert countries.rows(project.pk) == [("BRA",)]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert countries.rows(project.pk) == [("BRA",)]
    # The transaction was not aborted: it still writes and reads.
    other = factories.project(countries=("BRA",))
    assert countries.rows(other.pk) == [("BRA",)]


@pytest.mark.parametrize(
    ("environment", "prepared"),
    [
        ({}, True),
        ({"DJANGO_DISABLE_SERVER_SIDE_CURSORS": "1"}, False),  # behind PgBouncer
        ({"DJANGO_CONN_MAX_AGE": "0"}, False),  # a session per request
        ({"DJANGO_CONN_MAX_AGE": "0", "DJANGO_PREPARED_STATEMENTS": "1"}, True),
        ({"DJANGO_PREPARED_STATEMENTS": "0"}, False),
    ],
)
def test_statements_are_prepared_by_default_only_where_sessions_last(environment, prepared):
    import os
    import subprocess
    import sys

    kept = {
        name: value
        for name, value in os.environ.items()
        if name
        not in (
            "DJANGO_DISABLE_SERVER_SIDE_CURSORS",
            "DJANGO_CONN_MAX_AGE",
            "DJANGO_PREPARED_STATEMENTS",
        )
    }
    shown = subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.PREPARED_STATEMENTS)"],
        env=kept | environment | {"DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == str(prepared)
