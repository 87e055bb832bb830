"""Web figures (the second part of `make bench`): the portal under load, as deployed.

For each size in BENCH_SIZES (default 10,000 and 100,000 programmes) a synthetic portfolio
(tests/bench/dataset.py, built in SQL) goes into a scratch PostgreSQL database, which gunicorn
serves with production settings (DJANGO_DEBUG=0, WhiteNoise's compressed, hashed static files)
and the page cache off. wrk loads the static file (the ceiling), the overview, the list
unfiltered and filtered, a project page and a filtered CSV export, first on a server whose facet
cache is off (every request counts the facets), then on one whose facet cache is warm (the
overview's rendered figures are kept under the data version on both). Each page
gets requests per second, p50 and p99 latency and its p50 as a multiple of the static file's in
the same run. In process, Django's test client counts each page's queries; the CSV export of
every programme is timed and its peak memory traced, and the XLSX of every programme and a PDF
brief as large as the site makes are timed (smallest size). The goals are printed last as yes/NO.

Environment: BENCH_SIZES (comma-separated programme counts), BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/portal_bench; dropped and re-created, so its name must
contain "bench"), BENCH_CONNECTIONS (wrk connections, default 4, as issue 15 measured),
BENCH_DURATION (seconds per page, default 10), BENCH_KEEP_DB=1 to keep the database afterwards,
BENCH_CACHE_URL (default redis://127.0.0.1:6379/15); gunicorn's own WEB_CONCURRENCY and
GUNICORN_THREADS apply.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
# Four connections to gunicorn's 2 × 4 threads: the conditions issue 15 set its goals under.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
# Behind the load balancer, which terminates TLS; browsers accept compressed responses.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"}
GOAL_CSV_SECONDS = 2
GOAL_XLSX_SECONDS = 10


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses and socket errors


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"BENCH_DATABASE_URL must name a scratch database with 'bench' in it: {name!r}")
    try:
        admin = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=5,
        )
    except psycopg2.OperationalError as error:
        sys.exit(f"PostgreSQL at {parts.hostname}:{parts.port or 5432} cannot be reached: {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def shared_cache() -> str:
    """BENCH_CACHE_URL, by default Redis database 15 on this machine when it answers ("" when
    not: each gunicorn process then caches in its own memory). Pages cached by an earlier run
    are left behind by starting from a new data version."""
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.set("portal:1:portal:data-version", secrets.randbelow(10**9) + 1)
    except Exception:
        return ""
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def start_gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_LOG_LEVEL": "warning"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn did not start")
        try:
            if fetch(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                server.base = f"http://127.0.0.1:{port}"
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 30 s")


def settle() -> None:
    """Wait until the statements of the requests wrk left in flight (a slow page's, when its
    run ends) have finished, so they do not slow the next page's run."""
    from django.db import connection

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND state = 'active'"
                " AND pid <> pg_backend_pid()"
            )
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.2)


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output: str) -> Load:
    percentile = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    if not requests:  # nothing answered within the run: no latency to report
        return Load(0.0, float("inf"), float("inf"), 0, 1)
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=milliseconds(percentile["50"]),
        p99_ms=milliseconds(percentile["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        errors=(int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    )


def wrk(url: str, connections: int, duration: int) -> Load:
    headers = [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "60s"]
    result = subprocess.run([*command, *headers, url], capture_output=True, text=True, check=True)
    return parse_wrk(result.stdout)


def median_ms(work, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def in_process_figures(pages: dict[str, str]) -> dict[str, tuple[int, float]]:
    """Queries and render time of one request to each page, in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"X-Forwarded-Proto": "https"})
    figures = {}
    for name, path in pages.items():
        client.get(path)  # warm: templates compiled, connection open
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, (path, response.status_code)
        count = len(queries)

        def get(path=path):
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)

        figures[name] = (count, median_ms(get, 3 if response.streaming else 5))
    return figures


def export_figures() -> tuple[int, float, float, float, float]:
    """The CSV of every programme: rows, seconds, MB written, and the peak traced memory in MB
    of exporting all of them and of exporting a tenth of them. A streamed export's peak does
    not grow with the number of rows."""
    from projects import exports
    from projects.filters import ProjectFilter
    from projects.models import Project

    def stream(projects) -> tuple[int, int]:
        lines = size = 0
        for line in exports.csv_lines(projects, "https://portal.example.org/"):
            lines += 1
            size += len(line.encode())
        return lines - 1, size

    def peak(projects) -> float:
        tracemalloc.start()
        stream(projects)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak / 1e6

    everything = ProjectFilter({}).qs
    start = time.perf_counter()
    rows, size = stream(everything)
    seconds = time.perf_counter() - start
    tenth = Project.objects.top_level().order_by("pk").values("pk")[: rows // 10]
    return rows, seconds, size / 1e6, peak(everything), peak(everything.filter(pk__in=tenth))


def other_export_figures() -> list[str]:
    """The XLSX of every programme (openpyxl's write-only mode) and a PDF brief of as many
    programmes as the site allows, timed."""
    from projects import brief, exports
    from projects.filters import ProjectFilter

    everything = ProjectFilter({})
    chosen = exports.selection(everything)
    start, cpu = time.perf_counter(), time.process_time()
    data = exports.xlsx_bytes(everything.qs, chosen, "https://portal.example.org/")
    xlsx_seconds, xlsx_cpu = time.perf_counter() - start, time.process_time() - cpu
    programmes = everything.qs.values("pk")[: brief.BRIEF_MAX_PROJECTS]
    some = ProjectFilter({}, queryset=everything.qs.model.objects.filter(pk__in=programmes))
    start = time.perf_counter()
    pdf = brief.brief_pdf(some.qs, exports.selection(some), "https://portal.example.org/")
    pdf_seconds = time.perf_counter() - start
    return [
        f"XLSX export of all programmes: {xlsx_seconds:.2f} s ({xlsx_cpu:.2f} s of CPU),"
        f" {len(data) / 1e6:.1f} MB;"
        f" under {GOAL_XLSX_SECONDS} s: {yes(xlsx_seconds < GOAL_XLSX_SECONDS)}",
        f"PDF brief of {brief.BRIEF_MAX_PROJECTS} programmes (the most the site makes):"
        f" {pdf_seconds:.2f} s, {len(pdf) / 1e6:.2f} MB",
    ]


@dataclass
class SizeResult:
    programmes: int
    static: Load
    cold: dict[str, Load]  # page cache off, facet cache off (every count computed)
    warm: dict[str, Load]  # page cache off, facet cache warm
    list_bytes: int  # the list page gzip-compressed, as it goes on the wire
    warmed: tuple[bool, str]  # whether the worker warmed the panels after a change, and how


def pages_to_load() -> dict[str, str]:
    section = "africa-and-middle-east"
    return {
        "overview": "/",
        "list, unfiltered": "/projects/",
        "list, section + status": f"/projects/?section={section}&status=partly",
        "project page": "/projects/programme-4242/",
        "CSV export, section + status": f"/projects/export.csv?section={section}&status=partly",
    }


def bench_size(url: str, programmes: int, env: dict[str, str]) -> SizeResult:
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test.utils import override_settings

    from tests.bench import dataset

    connections.close_all()
    recreate_database(url)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    created = dataset.build(programmes)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by the time of use
    print(
        f"\n{programmes:,} programmes: "
        + ", ".join(f"{n:,} {what}" for what, n in created.items())
        + f" (built in {time.perf_counter() - start:.1f} s)"
    )
    pages = pages_to_load()
    print("\n  In process (one request at a time, Django's test client, facet cache off)")
    for name, (queries, ms) in in_process_figures(pages).items():
        print(f"    {name:<30} {queries:3d} queries   {ms:8.1f} ms")
    # What the first overview after a data change costs (the worker usually pays it).
    with override_settings(OVERVIEW_CACHE_SECONDS=0):
        queries, ms = in_process_figures({"overview": pages["overview"]})["overview"]
    print(f"    {'overview, figures rendered':<30} {queries:3d} queries   {ms:8.1f} ms")
    if programmes == min(SIZES):
        rows, seconds, size_mb, peak_mb, tenth_mb = export_figures()
        growth = peak_mb / tenth_mb
        print(
            f"    CSV export of all {rows:,} programmes, streamed: {seconds:.2f} s,"
            f" {size_mb:.1f} MB written; peak traced memory {peak_mb:.1f} MB"
            f" ({tenth_mb:.1f} MB for a tenth of the rows); streams without holding every row:"
            f" {yes(growth < 3)} (10× the rows, {growth:.1f}× the peak)"
        )
        fast_csv = seconds < GOAL_CSV_SECONDS
        print(f"    CSV of all programmes under {GOAL_CSV_SECONDS} s: {yes(fast_csv)}")
        for line in other_export_figures():
            print(f"    {line}")

    warmed = warming_figures()
    cache_url = shared_cache()  # a new data version: nothing cached for another size is read
    static_path = staticfiles_storage.url("css/portal.css")
    servers = []
    try:
        # Nothing of a project page is cached on this server either: the goal for the project
        # page is the page as a visitor opening it first (of thousands) meets it.
        cold_env = env | {"DJANGO_FACET_CACHE_SECONDS": "0", "DJANGO_PROJECT_CACHE_SECONDS": "0"}
        cold = start_gunicorn(free_port(), cold_env)
        servers.append(cold)
        warm_env = env | {"DJANGO_FACET_CACHE_SECONDS": "3600", "CACHE_URL": cache_url}
        warm = start_gunicorn(free_port(), warm_env)
        servers.append(warm)
        for name, path in {"static file": static_path, **pages}.items():
            for server in servers:
                status = fetch(server.base + path)[0]  # on `warm`, this fills the facet cache
                if status != 200:
                    sys.exit(f"{name}: {path} answered {status}, not 200")
        list_bytes = len(fetch(cold.base + pages["list, unfiltered"])[2])
        print(
            f"\n  Under load: wrk, {CONNECTIONS} connections, {DURATION} s per page;"
            f" gunicorn {settings_summary()}; page cache off"
        )
        print(
            f"    {'':<32} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9} {'× static':>9} {'errors':>7}"
        )
        static = wrk(warm.base + static_path, CONNECTIONS, DURATION)
        show("static file (the ceiling)", static, static)
        results = {}
        for label, server in (("facet cache off", cold), ("facet cache warm", warm)):
            print(f"    {label}")
            results[label] = {}
            for name, path in pages.items():
                export = "export" in name
                load = wrk(server.base + path, 2 if export else CONNECTIONS, DURATION)
                results[label][name] = load
                settle()
                show(f"  {name}", load, static, "   (2 connections)" if export else "")
        return SizeResult(
            programmes,
            static,
            results["facet cache off"],
            results["facet cache warm"],
            list_bytes,
            warmed,
        )
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def warming_figures() -> tuple[bool, str]:
    """Change a project as the admin would, run the task worker once, and check that the
    facet panels of the unfiltered list and of every section are in the cache."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    from projects.data_version import data_version
    from projects.filters import ProjectFilter
    from projects.models import Project, Region

    settings.FACET_CACHE_SECONDS = 3600
    try:
        project = Project.objects.programmes().order_by("pk").first()
        project.save()  # autocommit: the warming task is queued at once
        start = time.perf_counter()
        call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)
        seconds = time.perf_counter() - start
        version = data_version(cache)
        sections = Region.objects.filter(kind=Region.Kind.SECTION).values_list("slug", flat=True)
        filter_sets = [{}, *({"section": slug} for slug in sections)]
        warm = [
            cache.get(f.cache_key(f.selections(), version)) is not None
            for f in map(ProjectFilter, filter_sets)
        ]
        return all(warm), f"{sum(warm)} of {len(warm)} panels warmed in {seconds:.1f} s"
    finally:
        settings.FACET_CACHE_SECONDS = 0
        cache.clear()


def show(name: str, load: Load, static: Load, note: str = "") -> None:
    ratio = load.p50_ms / static.p50_ms if static.p50_ms else float("inf")
    print(
        f"    {name:<32} {load.requests_per_second:8.1f} {load.p50_ms:9.2f}"
        f" {load.p99_ms:9.2f} {ratio:8.1f}× {load.errors:7d}{note}"
    )


def goals(results: dict[int, SizeResult]) -> list[tuple[str, bool, str]]:
    """The issue's goals (README "Deploying"), each with whether it holds and the figure."""
    checks = []

    def ratio(result: SizeResult, load: Load) -> float:
        return load.p50_ms / result.static.p50_ms

    def at(size: int) -> SizeResult | None:
        return results.get(size)

    small, large = at(10_000), at(100_000)
    if small:
        p50 = small.cold["list, unfiltered"].p50_ms
        checks.append(("list p50 at 10k ≤ 150 ms, caches off", p50 <= 150, f"{p50:.0f} ms"))
        p50 = small.cold["list, section + status"].p50_ms
        checks.append(
            ("filtered list p50 at 10k ≤ 100 ms, caches off", p50 <= 100, f"{p50:.0f} ms")
        )
    if large:
        p50 = large.cold["list, section + status"].p50_ms
        checks.append(("filtered list p50 at 100k ≤ 1 s, caches off", p50 <= 1000, f"{p50:.0f} ms"))
    for result, factor in ((small, 20), (large, 40)):
        if result:
            r = ratio(result, result.warm["list, unfiltered"])
            checks.append(
                (
                    f"list p50 at {result.programmes // 1000}k ≤ {factor}× static, "
                    "facet cache warm",
                    r <= factor,
                    f"{r:.1f}×",
                )
            )
    if small:
        for page in ("overview", "project page"):
            r = ratio(small, small.cold[page])
            checks.append((f"{page} p50 at 10k ≤ 10× static", r <= 10, f"{r:.1f}×"))
    for result in results.values():
        kb = result.list_bytes / 1024
        checks.append(
            (f"list page at {result.programmes // 1000}k ≤ 12 KB gzipped", kb <= 12, f"{kb:.1f} KB")
        )
    for result in results.values():
        ok, how = result.warmed
        checks.append(
            (
                f"after a data change the worker warms the list and each section"
                f" ({result.programmes // 1000}k)",
                ok,
                how,
            )
        )
    errors = sum(
        load.errors
        for result in results.values()
        for load in [result.static, *result.cold.values(), *result.warm.values()]
    )
    checks.append(("no errors under load", errors == 0, f"{errors} non-2xx or socket errors"))
    return checks


SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",") if n.strip()]


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (make bench does it when it can)")
        return 1
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    scratch = Path(tempfile.mkdtemp(prefix="bench-web-"))
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_STATIC_ROOT": str(scratch / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # Every request renders: the page cache is off throughout; the facet cache is off in
        # process and on the first server, on (and warmed) on the second.
        "DJANGO_PAGE_CACHE_SECONDS": "0",
        "DJANGO_FACET_CACHE_SECONDS": "0",
        "CACHE_URL": "",
        "REDIS_URL": "",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(
        f"\nWeb (PostgreSQL {urlsplit(url).hostname}:{urlsplit(url).port or 5432}, "
        f"production settings; sizes {', '.join(f'{n:,}' for n in SIZES)})"
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        recreate_database(url)
        call_command("collectstatic", interactive=False, verbosity=0)
        cache_url = shared_cache()
        where = f"Redis {urlsplit(cache_url).netloc}" if cache_url else "each process's memory"
        print(f"  facet cache, when on: {where}")
        results = {size: bench_size(url, size, env) for size in SIZES}
        print("\nGoals")
        for text, ok, figure in goals(results):
            print(f"  {text}: {yes(ok)} ({figure})")
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            drop_database(url)
        shutil.rmtree(scratch, ignore_errors=True)


def settings_summary() -> str:
    sys.path.insert(0, str(ROOT))
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    return f"{namespace['workers']} workers × {namespace['threads']} threads"


def yes(ok: bool) -> str:
    return "yes" if ok else "NO"


if __name__ == "__main__":
    sys.exit(main())
