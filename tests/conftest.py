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
