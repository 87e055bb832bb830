"""Shared by the page tests: a page fetched with its queries counted."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def counted_get(client, url: str) -> tuple[int, str]:
    """The number of queries a successful GET of `url` ran, and the page's HTML."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()
