"""Cached pages (DJANGO_PAGE_CACHE_SECONDS): the same page for every anonymous visitor, never
anyone's cookies or CSRF token, and a change saved in the admin shows at once."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from projects.middleware import VERSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching():
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield Client()
    cache.clear()


def test_an_anonymous_page_is_served_from_the_cache_with_the_same_content(
    caching, django_assert_num_queries
):
    factories.project("Border training", budget="1000")
    first = caching.get("/projects/")
    with django_assert_num_queries(0):
        second = caching.get("/projects/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_change_saved_through_the_orm_shows_at_once(caching):
    project = factories.project("Border training", budget="1000")
    assert b"Border training" in caching.get("/projects/").content
    version = cache.get(VERSION_KEY)
    project.title = "Shelters for victims"
    project.save()
    assert cache.get(VERSION_KEY) == version + 1
    page = caching.get("/projects/").content
    assert b"Shelters for victims" in page and b"Border training" not in page
    factories.project("Data collection", budget="500", pledges=((None, Decimal(100)),))
    assert b"Data collection" in caching.get("/projects/").content


def test_htmx_fragments_and_full_pages_are_kept_apart(caching):
    factories.project("Border training", budget="1000")
    full = caching.get("/projects/").content
    fragment = caching.get("/projects/", headers={"HX-Request": "true", "HX-Target": "results"})
    assert fragment.content != full
    assert caching.get("/projects/").content == full


def test_pages_with_a_session_a_form_or_an_error_are_not_cached(caching, staff_client):
    project = factories.project("Border training", budget="1000")
    # Staff (a session cookie) get their own page, every time.
    assert staff_client.get("/projects/").status_code == 200
    # The interest form holds a CSRF token: never shared.
    assert caching.get(f"/projects/{project.slug}/interest/").status_code == 200
    assert caching.get("/projects/no-such-project/").status_code == 404
    assert caching.get("/projects/export.csv").status_code == 200
    assert [key for key in cache._cache if ":page:" in key] == []  # locmem's own store


def test_a_cache_that_fails_is_skipped(caching, monkeypatch):
    factories.project("Border training", budget="1000")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    response = caching.get("/projects/")
    assert response.status_code == 200
    assert b"Border training" in response.content
