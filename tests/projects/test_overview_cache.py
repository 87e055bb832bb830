"""The overview's figures are rendered once per data version and language and kept in the
cache: later visitors get them without a query, a change shows at once, and a failing cache
costs nothing but the render."""

import pytest
from django.core.cache import cache
from django.test.utils import override_settings
from django.urls import reverse

from projects.models import Project
from tests import factories
from tests.pages import counted_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    return factories.portfolio(30)


def test_later_visitors_get_the_figures_without_a_query(client, portfolio):
    cold, first = counted_get(client, reverse("overview"))
    warm, second = counted_get(client, reverse("overview"))
    assert cold >= 4 and warm == 0
    assert second == first


def test_the_figures_are_the_same_rendered_or_cached(client, portfolio):
    _, cached = counted_get(client, reverse("overview"))
    _, again = counted_get(client, reverse("overview"))
    with override_settings(OVERVIEW_CACHE_SECONDS=0):
        queries, rendered = counted_get(client, reverse("overview"))
    assert queries >= 4
    assert cached == again == rendered


def test_each_language_has_its_own_figures(client, portfolio):
    # Addresses as written: reverse() follows the language the last request left active.
    _, english = counted_get(client, "/")
    _, french = counted_get(client, "/fr/")
    _, english_again = counted_get(client, "/")
    assert 'lang="fr"' in french and "Budget" in english
    assert "Financement" in french or "Déficit" in french
    assert english_again == english and french != english


def test_a_change_saved_shows_at_once(client, portfolio):
    _, before = counted_get(client, reverse("overview"))
    project = (
        Project.objects.programmes().with_totals().order_by("-computed_shortfall", "pk").first()
    )
    assert project.title in before
    project.title = "A title saved a moment ago"
    project.save()
    queries, after = counted_get(client, reverse("overview"))
    assert queries > 0 and "A title saved a moment ago" in after


def test_a_failing_cache_is_skipped(client, portfolio, monkeypatch):
    _, expected = counted_get(client, reverse("overview"))
    cache.clear()

    def fails(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get", fails)
    monkeypatch.setattr(cache, "set", fails)
    queries, page = counted_get(client, reverse("overview"))
    assert queries >= 4 and page == expected


def test_the_worker_renders_the_figures_in_every_language_after_a_change(
    client, run_tasks, django_capture_on_commit_callbacks
):
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        factories.portfolio(20)
        project = Project.objects.filter(parent__isnull=True).first()
        project.title = "Renamed before the warming"
        project.save()
    assert DBTaskResult.objects.filter(task_path__endswith="warm_overview").count() == 1
    run_tasks()
    for prefix in ("/", "/fr/", "/es/"):
        queries, page = counted_get(client, prefix)
        assert queries == 0, prefix  # rendered by the worker
    assert len(settings.LANGUAGES) == 3


def test_threads_finding_the_cache_empty_render_the_figures_once(monkeypatch):
    import threading
    import time

    from projects import overview

    calls = []

    def slow_figures() -> dict:
        calls.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every other thread to find the cache empty
        return {"totals": {"projects": 0}, "sources": []}

    monkeypatch.setattr(overview, "figures_context", slow_figures)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(overview.rendered_figures()))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 4 and all(result == results[0] for result in results)
    assert "No projects have been published yet" in results[0]["content"]
