"""PostgreSQL goes down under load and comes back: the portal says so, loses nothing, recovers.

The portal runs under gunicorn with production settings against a private PostgreSQL cluster
(initdb in a temporary directory, never the machine's own). While pages are being loaded and
interest registrations posted, the cluster is stopped, then started again.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from tests.ops.support import (
    Browser,
    PrivateCluster,
    Server,
    create_database,
    interest_form,
    portal_env,
    prepare,
    query,
    submission_token,
)

# The ops tests start servers and clusters: one worker runs them one after another.
pytestmark = [pytest.mark.ops, pytest.mark.xdist_group("ops")]

MESSAGE = "The database is unavailable; please try again in a minute."


@pytest.fixture
def cluster():
    cluster = PrivateCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


class Load:
    """Threads requesting pages until stopped; every answer's status is counted."""

    def __init__(self, base: str, paths: list[str], threads: int = 4) -> None:
        self.base, self.paths = base, paths
        self.statuses: Counter = Counter()
        self.failures: list[str] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(threads)]
        for thread in self.threads:
            thread.start()

    def run(self, n: int) -> None:
        browser = Browser(self.base, timeout=15)
        i = n
        while not self.stopping.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            try:
                response = browser.get(path)
            except OSError as error:
                with self.lock:
                    self.failures.append(f"{path}: {error!r}")
                continue
            with self.lock:
                self.statuses[response.status] += 1
                if response.status == 503 and MESSAGE not in response.text:
                    self.failures.append(f"{path}: 503 without the message")
            time.sleep(0.01)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"not within {timeout} s: {what}")


def test_pages_answer_503_while_the_database_is_down_and_recover_losing_nothing(
    cluster, static_root
):
    database = create_database(cluster.url(), "portal")
    env = portal_env(database, static_root, DJANGO_INTEREST_RATE_LIMIT="100")
    seeded = prepare(env)
    slugs = [p["slug"] for p in seeded["projects"]]
    ids = {p["slug"]: p["id"] for p in seeded["projects"]}
    server = Server(env, workers=2, threads=2)
    try:
        browser = Browser(server.base)
        workers = server.worker_pids()
        pages = ["/", "/projects/", f"/projects/{slugs[0]}/", "/api/projects/", "/healthz"]
        for path in pages:
            assert browser.get(path).status == 200, path

        # submission token -> (confirmation token from the redirect, project id)
        answered: dict[str, tuple[str, int]] = {}

        def register(slug: str, organisation: str, fields=None) -> tuple[str, object]:
            fields = fields or interest_form(browser, slug, organisation)
            response = browser.post(f"/projects/{slug}/interest/", fields)
            if response.status == 302:
                confirmation = response.location.rstrip("/").rsplit("/", 1)[-1]
                answered[submission_token(fields)] = (confirmation, ids[slug])
            return submission_token(fields), response

        # Before: two registrations go through.
        for n in range(2):
            assert register(slugs[n], f"Before {n}")[1].status == 302

        # Forms opened before the outage, sent during it.
        pending = [interest_form(browser, slugs[n], f"During {n}") for n in range(2)]

        load = Load(server.base, pages)
        time.sleep(1)
        cluster.stop("fast")
        down_since = time.monotonic()
        project_page = f"/projects/{slugs[0]}/"
        wait_for(lambda: browser.get(project_page).status == 503, 10, "pages answer 503")
        during_tokens = []
        for path in pages:
            response = browser.get(path)
            if path == "/" and response.status == 200:
                # The overview's figures are kept in the cache under the data version: a
                # process that holds them answers without the database.
                assert "<h1" in response.text
                continue
            assert response.status == 503, (path, response.status)
            assert response.headers.get("Retry-After") == "60"
            assert MESSAGE in response.text
        for n, fields in enumerate(pending):
            token, response = register(slugs[n], f"During {n}", fields)
            assert response.status == 503, response.status
            assert MESSAGE in response.text
            during_tokens.append(token)
        time.sleep(max(0, 2 - (time.monotonic() - down_since)))

        cluster.start()
        # Recovers by itself: the same gunicorn processes, no restart.
        wait_for(lambda: browser.get(project_page).status == 200, 15, "pages answer 200 again")
        for path in pages:
            assert browser.get(path).status == 200, path
        time.sleep(1)
        load.stop()
        assert server.process.poll() is None
        assert server.worker_pids() == workers, "a worker was restarted"

        # After: registrations go through again, the refused forms too when sent again.
        for n in range(2):
            assert register(slugs[n + 1], f"After {n}")[1].status == 302
        assert register(slugs[0], "During 0, again", pending[0])[1].status == 302

        assert not load.failures, load.failures[:5]
        assert set(load.statuses) <= {200, 503}, load.statuses
        assert load.statuses[503] > 0 and load.statuses[200] > 0, load.statuses
    finally:
        server.stop()

    # Every registration answered with a redirect is saved whole, with its project; the one
    # refused during the outage and never sent again left nothing.
    saved = query(
        database,
        "SELECT i.submission_token, i.confirmation_token,"
        " array_agg(p.project_id ORDER BY p.project_id)"
        " FROM donors_interest i LEFT JOIN donors_interest_projects p ON p.interest_id = i.id"
        " GROUP BY i.id",
    )
    assert {token: (confirmation, ids_) for token, confirmation, ids_ in saved} == {
        token: (confirmation, [project]) for token, (confirmation, project) in answered.items()
    }
    assert len(saved) == 5
    assert during_tokens[1] not in {token for token, _, _ in saved}
