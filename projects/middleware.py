"""When PostgreSQL is down or restarting, pages answer 503 with a clear message, not a 500.

A view that cannot reach the database raises OperationalError or InterfaceError; this middleware
turns that into templates/503.html with status 503 and Retry-After, so load balancers, crawlers
and people know to come back. Nothing is kept in the process: as soon as the database answers
again, Django's connection health checks (CONN_HEALTH_CHECKS) drop the broken connection and the
next request reconnects, without restarting the server.

A form posted during the outage is refused as a whole: its transaction never committed, so
nothing of it was saved, and the page asks the visitor to send it again in a minute.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from projects.data_version import VERSION_KEY, data_version

logger = logging.getLogger("portal.database")

MESSAGE = "The database is unavailable; please try again in a minute."
RETRY_AFTER_SECONDS = 60
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, the plain 503 page for everything else."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": MESSAGE}, status=503)  # as the API's other errors
    else:
        try:
            # No context processors: they could query the database (request.user, messages).
            html = loader.render_to_string("503.html", {"request": request, "message": MESSAGE})
        except Exception:  # the page must not fail in turn: fall back to plain text
            logger.exception("Rendering 503.html failed")
            html = MESSAGE
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request: HttpRequest, error: Exception) -> HttpResponse:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, first_line
        )
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view (say, by a middleware saving the
    session) is a 503 too; anything else is Django's own 500 page."""
    from django.views import defaults

    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request)
    return defaults.server_error(request)


# --- Cached pages ---------------------------------------------------------------------------
#
# The donor-facing pages aggregate every programme's pledges, which takes hundreds of
# milliseconds on a portfolio of 10,000; they are the same for every anonymous visitor, so with
# DJANGO_PAGE_CACHE_SECONDS > 0 a rendered page is kept in the cache (Redis when CACHE_URL is
# set, shared by every instance) for that many seconds. Any change saved through the ORM (the
# admin) or by an ingest moves a data version that is part of every key
# (projects/data_version.py), so it shows at once where the cache is shared. Only anonymous GETs
# of the pages below are cached, never a response that sets a cookie or varies on it (a CSRF
# token), and a cache that fails is skipped, never an error.

CACHED_PAGES = {
    "overview",
    "project_list",
    "project_detail",
    "region_detail",
    "country_detail",
    "focal_point_list",
    "donor_list",
    "donor_detail",
}
# The data version (projects/data_version.py) is part of every key.
__all__ = ["VERSION_KEY", "PageCacheMiddleware"]


class PageCacheMiddleware:
    def __init__(self, get_response):
        from django.conf import settings
        from django.core.exceptions import MiddlewareNotUsed

        self.seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if self.seconds <= 0:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def cacheable_request(self, request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if self.session_cookie in request.COOKIES or "messages" in request.COOKIES:
            return False  # staff, or a message waiting: not the anonymous page
        from django.urls import Resolver404, resolve

        try:
            return resolve(request.path_info).url_name in CACHED_PAGES
        except Resolver404:
            return False

    def key(self, request: HttpRequest, version: int) -> str:
        import hashlib

        varying = "|".join(
            [
                request.get_full_path(),
                request.headers.get("HX-Request", ""),
                request.headers.get("HX-Target", ""),
            ]
        )
        digest = hashlib.sha256(varying.encode()).hexdigest()
        return f"portal:page:{version}:{digest}"

    @staticmethod
    def cacheable_response(response: HttpResponse) -> bool:
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
        control = response.get("Cache-Control", "").lower()
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "cookie" not in vary
            and "private" not in control
            and "no-store" not in control
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.cacheable_request(request):
            return self.get_response(request)
        from django.core.cache import cache

        try:
            key = self.key(request, data_version(cache))
            cached = cache.get(key)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            try:
                cache.set(key, (response.content, list(response.items())), self.seconds)
            except Exception:
                logger.warning("Could not store a page in the cache", exc_info=True)
        return response
