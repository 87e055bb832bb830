"""One number that moves whenever the data donors see changes: the key of every cached page
and facet panel.

Kept in the cache itself (Redis where CACHE_URL is set, so every instance sees a change at
once). Saves and deletes through the ORM (the admin) move it by signal; bulk writers (the
ingest) call `data_changed()` themselves. After each change the worker warms the facet panels
most visitors open (projects.filters.warm_facet_cache) and the overview's figures
(projects.overview.warm_overview), once per committed transaction.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction

logger = logging.getLogger("portal.cache")

VERSION_KEY = "portal:data-version"
# Models whose changes show on donor pages (interests and their notes do not).
DATA_APPS = {"projects", "donors", "ingest"}
NOT_SHOWN = {
    ("donors", "interest"),
    ("donors", "interest_projects"),
    ("donors", "interestnote"),
    ("donors", "alert"),
    ("ingest", "pendingupload"),
}


def data_version(cache) -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def data_changed() -> None:
    """Move the data version, and have the worker warm the facet cache once this commits."""
    from django.core.cache import cache

    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted)
        cache.add(VERSION_KEY, 2, timeout=None)
    except Exception:
        logger.warning("Could not move the data version", exc_info=True)
    pending = connection.run_on_commit if connection.in_atomic_block else []
    if not any(callback is warm_after_commit for _, callback, _ in pending):
        transaction.on_commit(warm_after_commit, robust=True)


def warm_after_commit() -> None:
    from django.conf import settings
    from django.core.cache import cache

    from projects.filters import warm_facet_cache
    from projects.overview import warm_overview

    for seconds, warm in (
        (settings.FACET_CACHE_SECONDS, warm_facet_cache),
        (settings.OVERVIEW_CACHE_SECONDS, warm_overview),
    ):
        if seconds <= 0:
            continue
        try:
            warm.enqueue(data_version(cache))
        except Exception:
            logger.warning("Could not queue %s", warm.name, exc_info=True)


def on_model_change(sender, **kwargs) -> None:
    """post_save, post_delete and m2m_changed: a change to what donors see moves the version."""
    from django.apps import apps

    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in DATA_APPS:
        return
    if meta.apps is not apps:  # a migration's historical model: the database is being built
        return
    if (meta.app_label, meta.model_name) in NOT_SHOWN:
        return
    data_changed()
