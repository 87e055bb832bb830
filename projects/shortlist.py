"""A donor's shortlist of projects, kept in the session (no account needed).

It is read only when the browser already has a session cookie: a visitor without one gets the
page every anonymous visitor gets (and the page cache can serve it), with no session query.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "shortlist"
MAX_PROJECTS = 50


def project_ids(request: HttpRequest) -> list[int]:
    """The shortlisted project ids, in the order they were added."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return []
    stored = request.session.get(SESSION_KEY, [])
    return [pk for pk in stored if isinstance(pk, int)]


def add(request: HttpRequest, pk: int) -> None:
    ids = project_ids(request)
    if pk not in ids and len(ids) < MAX_PROJECTS:
        request.session[SESSION_KEY] = [*ids, pk]


def remove(request: HttpRequest, pk: int) -> None:
    ids = project_ids(request)
    if pk in ids:
        request.session[SESSION_KEY] = [i for i in ids if i != pk]


def clear(request: HttpRequest) -> None:
    if project_ids(request):
        request.session[SESSION_KEY] = []


def context(request: HttpRequest) -> dict:
    """For every template: the shortlisted ids (a set, for "in"), and how many."""
    ids = project_ids(request)
    return {"shortlist_ids": set(ids), "shortlist_count": len(ids)}
