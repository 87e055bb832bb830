"""What the ops tests drive: a private PostgreSQL cluster, gunicorn servers, a small browser.

Nothing here touches the machine's own PostgreSQL cluster beyond creating and dropping a
scratch database in it (tests/ops/test_two_instances.py); the outage test stops and starts only
a cluster of its own, made with initdb in a temporary directory.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MAIN_POSTGRES = os.environ.get("PORTAL_OPS_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)),
    )
    found = shutil.which(name) or (candidates[-1] if candidates else None)
    if not found:
        pytest.fail(
            f"{name} is not installed: the ops tests start a private PostgreSQL cluster "
            "(apt-get install postgresql)",
            pytrace=False,
        )
    return found


class PrivateCluster:
    """A PostgreSQL cluster in a temporary directory, on a free port, for one test only."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
        self.port = free_port()
        # initdb refuses to run as root: the cluster then belongs to the postgres user.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                pytest.fail("runuser is needed to run initdb as postgres", pytrace=False)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.root = Path(tempfile.mkdtemp(prefix="portal-ops-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        self.run(
            self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync", "--no-instructions",
        )  # fmt: skip
        self.running = False

    def run(self, *args: str) -> None:
        result = subprocess.run([*self.as_user, *args], capture_output=True, text=True)
        if result.returncode:
            pytest.fail(f"{' '.join(args[:2])} failed: {result.stderr or result.stdout}")

    def start(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.root} -c fsync=off -c full_page_writes=off "
            "-c shared_buffers=16MB -c max_connections=60"
        )
        self.run(self.pg_ctl, "start", "-w", "-t", "30", "-D", str(self.data), "-l", str(self.log),
                 "-o", options)  # fmt: skip
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self.run(self.pg_ctl, "stop", "-w", "-t", "30", "-m", mode, "-D", str(self.data))
        self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        if self.running:
            subprocess.run([*self.as_user, self.pg_ctl, "stop", "-m", "immediate", "-D",
                            str(self.data)], capture_output=True)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


class StreamingReplica(PrivateCluster):
    """A hot standby of `primary`, copied with `pg_basebackup -R` into a directory of its own
    and streaming from it, on a port of its own."""

    def __init__(self, primary: PrivateCluster) -> None:
        self.initdb, self.pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
        self.port = free_port()
        self.as_user = primary.as_user
        self.root = Path(tempfile.mkdtemp(prefix="portal-ops-replica-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        self.run(
            postgres_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
            "-U", "postgres", "-D", str(self.data), "-R", "-X", "stream", "--no-sync",
            "--checkpoint=fast",
        )  # fmt: skip
        self.running = False


def create_database(admin_url: str, name: str) -> str:
    """Create `name` next to the database of `admin_url`; returns its URL."""
    import psycopg2

    try:
        admin = psycopg2.connect(admin_url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL at {admin_url} cannot be reached: {error}", pytrace=False)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(admin_url: str, name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(admin_url, connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def query(url: str, sql: str, *params) -> list[tuple]:
    import psycopg2

    connection = psycopg2.connect(url, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def portal_env(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """Production settings, as `make serve` runs them behind a TLS-terminating proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "WEB_CONCURRENCY", "PYTEST_"))
    }
    return env | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **extra,
    }


# One key for every server of a test run: a session made by one is valid on the others.
SECRET_KEY = secrets.token_urlsafe(60)


def prepare(env: dict[str, str]) -> dict:
    """Migrate the database of `env` and create a few projects (tests/ops/prepare.py)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.ops.prepare"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    if result.returncode:
        pytest.fail(f"preparing the database failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn serving the portal, as `make serve` does, on a free port."""

    def __init__(self, env: dict[str, str], workers: int = 2, threads: int = 2) -> None:
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="portal-ops-gunicorn-", suffix=".log")  # noqa: SIM115 - open while the server runs
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env
            | {
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_THREADS": str(threads),
                "GUNICORN_LOG_LEVEL": "warning",
                "GUNICORN_MAX_REQUESTS": "0",  # no planned worker restarts during a test
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.output()}")
            try:
                # Up when it answers and every worker has booted (the first answers alone).
                if (
                    Browser(self.base).get("/healthz").status == 200
                    and len(self.worker_pids()) == self.workers
                ):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not answer /healthz in {timeout} s:\n{self.output()}")

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Browser:
    """Keeps cookies itself (they are Secure: the proxy in front speaks HTTPS), sends what
    a browser behind the load balancer sends, and never follows redirects."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 20

    def request(self, method: str, path: str, data: dict | list | None = None) -> Response:
        host = urllib.parse.urlsplit(self.base).netloc
        headers = {"X-Forwarded-Proto": "https", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            headers["Origin"] = f"https://{host}"
            headers["Referer"] = f"https://{host}{path}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(data or {}, doseq=True).encode()
        request = urllib.request.Request(self.base + path, body, headers, method=method)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                status, message, content = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, message, content = error.code, error.headers, error.read()
        for cookie in message.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip().strip('"')
        return Response(status, dict(message.items()), content.decode(errors="replace"))

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict | list) -> Response:
        return self.request("POST", path, data)


class FormInputs(HTMLParser):
    """The values a browser would send from a page's POST form: hidden inputs and ticked boxes."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.in_post_form = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.in_post_form = (attributes.get("method") or "").lower() == "post"
        elif tag == "input" and self.in_post_form and attributes.get("name"):
            kind = (attributes.get("type") or "text").lower()
            if kind == "hidden" or (kind == "checkbox" and "checked" in attributes):
                self.fields.append((attributes["name"], attributes.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_post_form = False


def form_fields(html: str) -> list[tuple[str, str]]:
    parser = FormInputs()
    parser.feed(html)
    return parser.fields


def interest_form(browser: Browser, slug: str, organisation: str) -> list[tuple[str, str]]:
    """GET a project's interest form (token, CSRF token, the project ticked) and fill it in."""
    page = browser.get(f"/projects/{slug}/interest/")
    assert page.status == 200, page.text[:500]
    fields = form_fields(page.text)
    names = {name for name, _ in fields}
    assert {"token", "csrfmiddlewaretoken", "projects"} <= names, names
    return [
        *fields,
        ("organisation", organisation),
        ("donor_kind", "government"),
        ("country", "NOR"),
        ("contact_name", "Kari Nordmann"),
        ("email", "kari@mfa.example"),
        ("phone", ""),
        ("amount", "250000"),
        ("currency", "USD"),
        ("message", "We would like to discuss phase II."),
        ("consent", "on"),
        ("website", ""),
    ]


def submission_token(fields: list[tuple[str, str]]) -> str:
    return dict(fields)["token"]
