import pytest
from django_tasks_db.management.commands import db_worker


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-staff-123")
    client.force_login(user)
    return client


@pytest.fixture
def run_tasks(monkeypatch):
    """Run the real database worker (django-tasks-db) in this process until no task is ready.

    The worker's per-loop connection check is turned off: it would close the connection that
    holds the test's transaction.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(queues: str = "*") -> None:
        db_worker.Worker(
            queue_names=queues.split(","),
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (process memory in tests): no facet panel or page
    cached by another test's data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def english_outside_requests():
    """A request to /fr/… leaves French active in the test's thread: start every test in
    English, as a new request to an unprefixed address would."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}
_DATABASE_FREE: list[str] = []


def _touches_the_database(item: pytest.Item) -> bool:
    """pytest-django refuses a test the database unless it asks for it (marker or fixture), and
    the ops tests start servers and clusters of their own: anything else reads no database."""
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db")
        or item.get_closest_marker("ops")
        or fixtures & DATABASE_FIXTURES
    )


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, `make test`'s second pass, run only the tests that touch a database: the
    others (parsers, layout, money reading) already ran, identically, in the SQLite pass."""
    from django.db import connection

    whole_suite = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if connection.vendor != "postgresql" or not whole_suite:
        return
    free = [item for item in items if not _touches_the_database(item)]
    if free:
        _DATABASE_FREE.extend(item.nodeid for item in free)
        config.hook.pytest_deselected(items=free)
        items[:] = [item for item in items if _touches_the_database(item)]


_TYPESETTING_COSTS: list[str] = []


def pytest_runtest_logreport(report):
    properties = report.user_properties
    _TYPESETTING_COSTS.extend(value for name, value in properties if name == "typesetting")


def pytest_terminal_summary(terminalreporter):
    if _TYPESETTING_COSTS:
        terminalreporter.write_line(_TYPESETTING_COSTS[-1])
    if _DATABASE_FREE:
        terminalreporter.write_line(
            f"PostgreSQL pass: {len(_DATABASE_FREE)} tests that touch no database left to the "
            "SQLite pass"
        )
