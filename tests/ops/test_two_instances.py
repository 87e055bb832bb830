"""Past one machine: two gunicorn instances on one PostgreSQL database share every state.

The interest rate limit counts submissions in the database and sessions are database-backed,
so a donor cannot get round the limit by landing on another instance, and staff stay logged
in whichever instance the load balancer picks. The database is a fresh one on the machine's
PostgreSQL (PORTAL_OPS_POSTGRES, default postgres://postgres@127.0.0.1:5432/postgres), dropped
afterwards.
"""

from __future__ import annotations

import secrets

import pytest

from tests.ops.support import (
    MAIN_POSTGRES,
    Browser,
    Server,
    create_database,
    drop_database,
    form_fields,
    interest_form,
    portal_env,
    prepare,
    query,
)

# The ops tests start servers and clusters: one worker runs them one after another.
pytestmark = [pytest.mark.ops, pytest.mark.xdist_group("ops")]

PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture(scope="module")
def instances(static_root):
    name = f"portal_ops_{secrets.token_hex(4)}"
    url = create_database(MAIN_POSTGRES, name)
    servers = []
    try:
        env = portal_env(url, static_root, DJANGO_INTEREST_RATE_LIMIT="5")
        seeded = prepare(env | {"OPS_ADMIN_PASSWORD": PASSWORD})
        servers = [Server(env, workers=1, threads=2) for _ in "AB"]
        yield url, seeded, servers
    finally:
        for server in servers:
            server.stop()
        drop_database(MAIN_POSTGRES, name)


def test_the_interest_rate_limit_holds_across_instances(instances):
    url, seeded, (a, b) = instances
    slug = seeded["projects"][0]["slug"]
    via_a = Browser(a.base)
    for n in range(5):
        response = via_a.post(f"/projects/{slug}/interest/", interest_form(via_a, slug, f"A {n}"))
        assert response.status == 302, (n, response.status, response.text[:300])
    via_b = Browser(b.base)
    response = via_b.post(f"/projects/{slug}/interest/", interest_form(via_b, slug, "B"))
    assert response.status == 429
    assert "At most 5 registrations an hour" in response.text
    assert query(url, "SELECT count(*) FROM donors_interest") == [(5,)]


def test_a_session_opened_on_one_instance_is_valid_on_the_other(instances):
    _, _, (a, b) = instances
    staff = Browser(a.base)
    login = staff.get("/admin/login/?next=/admin/")
    assert login.status == 200
    fields = dict(form_fields(login.text))
    response = staff.post(
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "username": "ops-admin",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert response.status == 302 and response.location == "/admin/", response.text[:500]
    assert "sessionid" in staff.cookies

    on_b = Browser(b.base, cookies=dict(staff.cookies))
    page = on_b.get("/admin/")
    assert page.status == 200
    assert "Site administration" in page.text
    # And without the session cookie, B sends a stranger to the login page.
    assert Browser(b.base).get("/admin/").status == 302
