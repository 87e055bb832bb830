"""Donor pages read from a PostgreSQL streaming replica; the interest form stays on the primary.

A private primary (initdb) and a hot standby made from it with `pg_basebackup -R`, each in a
temporary directory on ports of their own; the portal runs under gunicorn with
DATABASE_URL on the primary and DATABASE_REPLICA_URL on the replica. Pausing the replica's
replay shows which database a page read: a change on the primary is not on a donor page until
replay resumes, yet a registration of interest is confirmed at once.
"""

from __future__ import annotations

import time

import pytest

from tests.ops.support import (
    Browser,
    PrivateCluster,
    Server,
    StreamingReplica,
    create_database,
    interest_form,
    portal_env,
    prepare,
    query,
)

# The ops tests start servers and clusters: one worker runs them one after another.
pytestmark = [pytest.mark.ops, pytest.mark.xdist_group("ops")]

REPLICATION_WAIT_SECONDS = 10


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} within {timeout} s")


@pytest.fixture(scope="module")
def deployment(static_root):
    primary = PrivateCluster()
    replica = None
    server = None
    try:
        primary.start()
        url = create_database(primary.url(), "portal")
        seeded = prepare(portal_env(url, static_root))
        replica = StreamingReplica(primary)
        replica.start()
        replica_url = replica.url("portal")
        wait_for(
            lambda: query(replica_url, "SELECT pg_is_in_recovery()") == [(True,)],
            30,
            "the replica did not start streaming",
        )
        env = portal_env(url, static_root, DATABASE_REPLICA_URL=replica_url)
        server = Server(env, workers=2, threads=2)
        yield primary, replica, server, seeded
    finally:
        if server is not None:
            server.stop()
        if replica is not None:
            replica.destroy()
        primary.destroy()


def portal_connections(url: str) -> int:
    others = "datname = 'portal' AND pid <> pg_backend_pid()"
    return query(url, f"SELECT count(*) FROM pg_stat_activity WHERE {others}")[0][0]


def test_donor_pages_read_from_the_replica_and_a_donor_sees_what_they_sent(deployment):
    primary, replica, server, seeded = deployment
    slug = seeded["projects"][0]["slug"]
    browser = Browser(server.base)
    assert browser.get(f"/projects/{slug}/").status == 200
    assert portal_connections(replica.url("portal")) >= 1  # a page was read from the replica

    # A write on the primary shows on the replica, and so on the donor page, within a bound.
    query_primary = primary.url("portal")
    run(
        query_primary,
        "UPDATE projects_project SET title = 'Renamed on the primary' WHERE slug = %s",
        slug,
    )
    wait_for(
        lambda: "Renamed on the primary" in browser.get(f"/projects/{slug}/").text,
        REPLICATION_WAIT_SECONDS,
        "a change on the primary did not reach the donor page",
    )

    # With replay paused, the replica lags: donor pages show the old title…
    run(replica.url("portal"), "SELECT pg_wal_replay_pause()")
    try:
        run(
            query_primary,
            "UPDATE projects_project SET title = 'Lagging title' WHERE slug = %s",
            slug,
        )
        time.sleep(0.5)
        assert "Lagging title" not in browser.get(f"/projects/{slug}/").text
        assert "Lagging title" not in browser.get(f"/api/projects/{slug}/").text
        # …but a registration of interest is saved on the primary and confirmed at once.
        response = browser.post(
            f"/projects/{slug}/interest/", interest_form(browser, slug, "Lag Ltd")
        )
        assert response.status == 302, response.text[:500]
        confirmation = browser.get(response.location.replace(server.base, ""))
        assert confirmation.status == 200, confirmation.text[:500]
        reference = response.location.rstrip("/").rsplit("/", 1)[-1]
        assert reference in confirmation.text
        assert "Lagging title" in confirmation.text  # the project as the primary has it
        assert query(query_primary, "SELECT count(*) FROM donors_interest")[0][0] == 1
    finally:
        run(replica.url("portal"), "SELECT pg_wal_replay_resume()")
    wait_for(
        lambda: "Lagging title" in browser.get(f"/projects/{slug}/").text,
        REPLICATION_WAIT_SECONDS,
        "the replica did not catch up after replay resumed",
    )


def test_pages_answer_from_the_primary_when_the_replica_is_down(deployment):
    primary, replica, server, seeded = deployment
    slug = seeded["projects"][1]["slug"]
    browser = Browser(server.base)
    paths = ["/", "/projects/", f"/projects/{slug}/", "/api/projects/", "/donors/"]
    for path in paths:
        assert browser.get(path).status == 200, path
    replica.stop()
    try:
        # Several rounds, so that every worker thread meets the stopped replica.
        for _ in range(4):
            for path in paths:
                response = browser.get(path)
                assert response.status == 200, (path, response.status, response.text[:300])
        run(
            primary.url("portal"),
            "UPDATE projects_project SET title = 'Seen without replica' WHERE slug = %s",
            slug,
        )
        assert "Seen without replica" in browser.get(f"/projects/{slug}/").text
    finally:
        replica.start()


def run(url: str, sql: str, *params) -> None:
    import psycopg2

    connection = psycopg2.connect(url, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        connection.close()
