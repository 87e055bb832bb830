"""Donor pages read from a PostgreSQL streaming replica when DATABASE_REPLICA_URL is set.

The middleware marks a request as replica-safe when it is a GET or HEAD of a donor page or of
the API (the names in REPLICA_PAGES); the router then sends that request's reads of the portal's
own data (projects, donors, ingest) to the "replica" database. Everything else uses the primary:
writes, the admin, sessions and logins, the interest form and its confirmation page (a donor
always sees what they just sent, however far the replica lags), tasks and commands.

If the replica cannot be reached, the request reads from the primary instead and the replica
is left alone for RETRY_SECONDS, so an outage costs one failed connection attempt per process
and interval (a short `connect_timeout`), not one per request.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("portal.database")

REPLICA = "replica"
RETRY_SECONDS = 10
# Pages whose reads may lag the primary by a moment: what donors browse, and the JSON API.
REPLICA_PAGES = {
    "overview",
    "project_list",
    "project_export",
    "project_detail",
    "region_detail",
    "country_detail",
    "focal_point_list",
    "donor_list",
    "donor_detail",
    "api_project_list",
    "api_project_detail",
    "api_region_list",
    "api_donor_list",
}
# Only the portal's published data: sessions, users and login attempts stay on the primary.
REPLICATED_APPS = {"projects", "donors", "ingest"}

reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
_unavailable_until = 0.0


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if reading_from_replica.get() and model._meta.app_label in REPLICATED_APPS:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def replica_available() -> bool:
    """Whether the replica answers now; a failure is remembered for RETRY_SECONDS."""
    global _unavailable_until
    if time.monotonic() < _unavailable_until:
        return False
    try:
        # Opens the connection, or health-checks the one kept from an earlier request.
        connections[REPLICA].cursor().close()
        return True
    except (OperationalError, InterfaceError) as error:
        _unavailable_until = time.monotonic() + RETRY_SECONDS
        connections[REPLICA].close()
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        logger.warning("Replica unavailable, reading from the primary: %s", first_line)
        return False


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        from django.conf import settings

        if REPLICA not in settings.DATABASES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                reading_from_replica.reset(token)
                del request._replica_token

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        match = request.resolver_match
        if (
            request.method in ("GET", "HEAD")
            and match is not None
            and match.url_name in REPLICA_PAGES
            and replica_available()
        ):
            request._replica_token = reading_from_replica.set(True)
        return None
