"""Production settings, headers, admin brute-force protection and staff groups."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment |= {"DJANGO_SETTINGS_MODULE": "portal.settings"} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="partnerships.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x" * 60, "ab" * 40])
def test_production_refuses_a_weak_secret(key):
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a random value" in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client, django_user_model, settings):
    django_user_model.objects.create_superuser("admin", "a@example.org", "right-password-123")
    statuses = [
        client.post(
            "/admin/login/", {"username": "admin", "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form again with an error, until the last allowed failure locks the account.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post(
        "/admin/login/",
        {"username": "admin", "password": "right-password-123"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_groups_split_editing_from_cofinancing():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    cofinancing = set(
        Group.objects.get(name="Co-financing").permissions.values_list("codename", flat=True)
    )
    assert {"change_project", "add_pledge", "change_focalpoint"} <= editors
    assert not {"change_interest", "export_interest"} & editors
    assert {"change_interest", "export_interest", "view_project"} <= cofinancing
    assert not {"change_project", "change_pledge"} & cofinancing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_admin_login_with_an_unsafe_next_lands_on_the_admin_index(
    client, django_user_model, unsafe
):
    django_user_model.objects.create_superuser("admin", "a@example.org", "right-password-123")
    response = client.post(
        f"/admin/login/?next={unsafe}",
        {"username": "admin", "password": "right-password-123", "next": unsafe},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_admin_login_locks_an_address_whatever_usernames_it_tries(
    client, django_user_model, settings
):
    django_user_model.objects.create_superuser("admin", "a@example.org", "right-password-123")
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post(
            "/admin/login/",
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
        ).status_code
        for n in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429]
    # The address is locked even for the right password of a username it never tried...
    locked = client.post(
        "/admin/login/",
        {"username": "admin", "password": "right-password-123"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # ...while another address still logs in.
    other = client.post(
        "/admin/login/",
        {"username": "admin", "password": "right-password-123"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert other.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data", "where"),
    [
        ("get", "/alerts/confirm/ab\x00cd/", None, "the address"),
        ("get", "/projects/", {"q": "smuggling\x00"}, "the query parameter 'q'"),
        ("get", "/api/projects/", {"country\x00": "SEN"}, "the query parameter 'country'"),
        ("post", "/admin/login/", {"username": "a\x00", "password": "x"}, "the form field"),
        ("post", "/interest/", {"name": "A", "organisation": "B\x00"}, "'organisation'"),
    ],
)
def test_a_nul_character_anywhere_is_refused_with_a_400_saying_where(
    client, method, path, data, where
):
    """PostgreSQL cannot hold U+0000: a token or a login name carrying one would otherwise end
    in a 500 there (the fuzz tests found both)."""
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    body = response.json()["error"] if path.startswith("/api/") else response.text
    assert where in body
    assert "NUL character (U+0000)" in body


@pytest.mark.django_db
def test_a_login_name_longer_than_the_lockout_table_holds_is_refused_and_counted(client):
    from axes.models import AccessAttempt

    response = client.post(
        "/admin/login/", {"username": "x" * 1000, "password": "wrong"}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 200  # the login form again, with its error
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [255]
