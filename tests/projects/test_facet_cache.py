"""Facet panels are cached per normalised filter set under the data version: a change to the
data, by the admin or by an ingest, shows at once, and the worker warms the panels most
visitors open."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.data_version import VERSION_KEY, data_version, warm_after_commit
from projects.filters import ProjectFilter
from projects.models import Project, Region
from tests import factories
from tests.pages import counted_get

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def portfolio():
    return factories.portfolio(40)


def test_the_second_visitor_of_a_combination_gets_the_counts_from_the_cache(client, portfolio):
    section = Region.objects.filter(kind="section").first()
    url = reverse("project_list") + f"?section={section.slug}&status=partly"
    cold, first = counted_get(client, url)
    warm, second = counted_get(client, url)
    assert warm == cold - 1  # the one statement that counts every facet
    assert second == first
    # The order of the parameters, the sort and the page do not make another combination.
    again, _ = counted_get(
        client, reverse("project_list") + f"?sort=title&status=partly&section={section.slug}"
    )
    assert again == warm


def test_a_change_saved_shows_at_once(client, portfolio):
    project = Project.objects.filter(parent__isnull=True, published=True).first()
    url = reverse("project_list") + f"?section={project.section.slug}"

    def section_count() -> int:
        facets = {f.name: f for f in client.get(url).context["facets"]}
        return next(o.count for o in facets["section"].options if o.selected)

    before = section_count()
    assert section_count() == before  # from the cache now
    project.published = False
    project.save()
    assert section_count() == before - 1


def test_an_ingest_moves_the_data_version(db):
    from ingest.pipeline import ingest_files

    version = data_version(cache)
    ingest_files([FIXTURES / "partnership-opportunities-2010.txt"])
    assert cache.get(VERSION_KEY) > version
    moved = cache.get(VERSION_KEY)
    ingest_files([FIXTURES / "partnership-opportunities-2010.txt"], dry_run=True)
    assert cache.get(VERSION_KEY) == moved  # a dry run changes nothing


def test_the_worker_warms_the_list_and_each_section_after_a_change(
    run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        factories.portfolio(40)  # many changes in one transaction…
        project = Project.objects.filter(parent__isnull=True).first()
        project.title = "Renamed"
        project.save()
    from django_tasks_db.models import DBTaskResult

    warmings = [c for c in callbacks if c is warm_after_commit]
    assert len(warmings) == 1  # …warmed once, after it commits
    queued = DBTaskResult.objects.filter(task_path__endswith="warm_facet_cache")
    assert [task.args_kwargs["args"] for task in queued] == [[data_version(cache)]]
    run_tasks()
    version = data_version(cache)
    sections = Region.objects.filter(kind="section").values_list("slug", flat=True)
    assert len(sections) == 4
    for data in [{}, *({"section": slug} for slug in sections)]:
        filterset = ProjectFilter(data)
        assert cache.get(filterset.cache_key(filterset.selections(), version)) is not None, data


def test_the_facet_panel_and_map_are_kept_as_html_and_follow_a_change_at_once(client, portfolio):
    project = Project.objects.filter(parent__isnull=True, published=True).first()
    url = reverse("project_list") + f"?section={project.section.slug}"
    slug = project.section.slug
    option = re.compile(rf'value="{slug}" checked> [^<]+<span class="count">\((\d+)\)')

    def shown() -> tuple[int, str]:
        html = client.get(url).content.decode()
        return int(option.search(html).group(1)), html

    before, first = shown()
    with CaptureQueriesContext(connection) as captured:
        again, second = shown()
    assert (again, second) == (before, first)  # the panel and the map from the cache…
    assert not any("'totals'" in q["sql"] for q in captured.captured_queries)  # …not recounted
    project.published = False
    project.save()
    assert shown()[0] == before - 1  # a change moves the data version: shown at once


def test_each_language_has_its_own_panel(client, portfolio):
    english = client.get(reverse("project_list")).content.decode()
    french = client.get("/fr" + reverse("project_list")).content.decode()
    assert "<summary>Funding status</summary>" in english
    assert "<summary>Funding status</summary>" not in french
    assert "Shortfall by country as a table" in english
    assert "Shortfall by country as a table" not in french


def test_a_warm_list_reads_the_cache_in_two_round_trips(client, portfolio, monkeypatch):
    """The data version, then the counts, the facet panel and the map together."""
    section = Region.objects.filter(kind="section").first()
    url = reverse("project_list") + f"?section={section.slug}"
    first = client.get(url)
    reads, inside = [], []
    for name in ("get", "get_many"):
        original = getattr(cache, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            if not inside:  # a cache without get_many of its own calls get() for each key
                reads.append(_name)
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, counted)
    second = client.get(url)
    assert reads == ["get", "get_many"]
    assert second.content == first.content


def test_counts_read_back_from_the_cache_are_the_counts_kept(portfolio):
    """The counts go into the cache as plain tuples and come back as the same options,
    totals and map rows (every amount an exact Decimal, missing ones None)."""
    import pickle
    from decimal import Decimal

    Project.objects.filter(pk=portfolio[0].pk).update(budget=None, budget_text="Varies")
    for data in ({}, {"status": "partly"}, {"section": portfolio[1].section.slug}):
        counted = ProjectFilter(data).counts()
        again = pickle.loads(pickle.dumps(counted, pickle.HIGHEST_PROTOCOL))
        assert again.totals == counted.totals
        assert again.by_country == counted.by_country
        assert again.options == counted.options
        assert again == counted
        unread = pickle.loads(pickle.dumps(counted))
        assert unread.countries_on_map == counted.countries_on_map == len(counted.by_country)
        amounts = [row[key] for row in again.by_country for key in ("budget_sum", "shortfall_sum")]
        assert amounts and all(a is None or type(a) is Decimal for a in amounts)
        # And once more from what came back (a panel warmed from the cache is kept again).
        assert pickle.loads(pickle.dumps(again)).options == counted.options


def test_counts_kept_another_way_by_an_earlier_deployment_are_never_read(portfolio, monkeypatch):
    from projects import filters

    key = ProjectFilter({}).counts_key()
    expected = ProjectFilter({}).counts().totals
    cache.set(key, {"written by": "an earlier deployment"})
    monkeypatch.setattr(filters, "KEPT_AS", filters.KEPT_AS + "-changed")
    assert ProjectFilter({}).counts_key() != key
    assert ProjectFilter({}).counts().totals == expected


def test_how_counts_are_kept_is_named_by_what_they_keep():
    """Adding or reordering a field of an option (or of a map row) changes the name of how
    counts are kept, so no deployment reads tuples another one wrote in another order."""
    from dataclasses import make_dataclass

    from projects import facet_counts

    def kept_as(counted_fields) -> str:
        counted = make_dataclass("Counted", counted_fields)
        names = tuple(field.name for field in facet_counts.fields(counted))
        return facet_counts.kept_as(names, facet_counts.COUNTRY_ROW)

    assert kept_as(["value", "label", "count", "group"]) == facet_counts.KEPT_AS
    assert kept_as(["value", "label", "group", "count"]) != facet_counts.KEPT_AS
    assert kept_as(["value", "label", "count", "group", "note"]) != facet_counts.KEPT_AS
