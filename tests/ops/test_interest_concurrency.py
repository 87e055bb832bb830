"""The interest rate limit holds when one address sends many registrations at the same moment.

Sixteen registrations from one address reach gunicorn's threads together (two workers of eight
threads each, on PostgreSQL). The count of recent interests was read before the insert without
a lock, so 5 to 8 of them used to be saved against a limit of 5; each submission now holds its
address's row lock from the count to the commit. The database is a fresh one on the machine's
PostgreSQL (PORTAL_OPS_POSTGRES), dropped afterwards.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ops.support import (
    MAIN_POSTGRES,
    Browser,
    Server,
    create_database,
    drop_database,
    interest_form,
    portal_env,
    prepare,
    query,
)

# The ops tests start servers and clusters: one worker runs them one after another.
pytestmark = [pytest.mark.ops, pytest.mark.xdist_group("ops")]

SIMULTANEOUS = 16
LIMIT = 5


@pytest.fixture(scope="module")
def server(static_root):
    name = f"portal_ops_{secrets.token_hex(4)}"
    url = create_database(MAIN_POSTGRES, name)
    portal = None
    try:
        env = portal_env(url, static_root, DJANGO_INTEREST_RATE_LIMIT=str(LIMIT))
        seeded = prepare(env)
        portal = Server(env, workers=2, threads=SIMULTANEOUS // 2)
        yield url, seeded, portal
    finally:
        if portal:
            portal.stop()
        drop_database(MAIN_POSTGRES, name)


def test_simultaneous_registrations_from_one_address_save_exactly_the_limit(server):
    url, seeded, portal = server
    slug = seeded["projects"][0]["slug"]
    donors = [Browser(portal.base) for _ in range(SIMULTANEOUS)]
    forms = [interest_form(b, slug, f"Donor {n}") for n, b in enumerate(donors)]
    start = threading.Barrier(SIMULTANEOUS)

    def register(n: int):
        start.wait()
        return donors[n].post(f"/projects/{slug}/interest/", forms[n])

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        answers = list(pool.map(register, range(SIMULTANEOUS)))

    statuses = Counter(answer.status for answer in answers)
    assert statuses == {302: LIMIT, 429: SIMULTANEOUS - LIMIT}, statuses
    for answer in answers:
        if answer.status == 429:
            assert f"At most {LIMIT} registrations an hour" in answer.text
    # Exactly the limit saved, each whole: its project, its reference, its own token.
    assert query(url, "SELECT count(*), count(DISTINCT submission_token) FROM donors_interest") == [
        (LIMIT, LIMIT)
    ]
    assert query(
        url,
        "SELECT count(*) FROM donors_interest i WHERE NOT EXISTS "
        "(SELECT 1 FROM donors_interest_projects p WHERE p.interest_id = i.id)",
    ) == [(0,)]
    assert query(url, "SELECT count(*) FROM donors_interest_projects") == [(LIMIT,)]
