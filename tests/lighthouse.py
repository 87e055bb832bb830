"""`make lighthouse`: Lighthouse's four scores for the pages donors use, as production serves them.

The fixtures are ingested into a scratch SQLite database (var/lighthouse/), served by gunicorn
with production settings (DJANGO_DEBUG=0, WhiteNoise, collected static files) on a free port,
and Lighthouse (npm, pinned in package-lock.json) drives Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium; no browser is downloaded) with its default mobile emulation and throttling.

Performance, accessibility and best practices must be 100 on every page; SEO 100 on the pages
meant for search engines (a page that says noindex, such as the interest form, is reported but
not held to it). Reports (JSON and HTML) are kept in var/lighthouse/. Too slow for `make test`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "var" / "lighthouse"
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-quic",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 100
# Lighthouse's own advice on variance: run several times and keep the median run.
RUNS = max(1, int(os.environ.get("LIGHTHOUSE_RUNS", "3")))
ONLY = {name.strip() for name in os.environ.get("LIGHTHOUSE_PAGES", "").split(",") if name.strip()}


@dataclass
class Page:
    name: str
    path: str
    cookie: str = ""


@dataclass
class Result:
    page: Page
    scores: dict[str, int]
    indexable: bool
    shortfalls: list[str]
    report: Path
    benchmark: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def environment() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    return keep | {
        "DATABASE_URL": f"sqlite:///{SCRATCH / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on localhost: no TLS proxy in front
        "DJANGO_STATIC_ROOT": str(SCRATCH / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_PAGE_CACHE_SECONDS": "0",
        "CACHE_URL": "",
        "REDIS_URL": "",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }


def prepare(env: dict[str, str]) -> None:
    """A fresh scratch database with the fixtures ingested, and the static files collected."""
    if SCRATCH.exists():
        shutil.rmtree(SCRATCH)
    SCRATCH.mkdir(parents=True)
    manage = [sys.executable, "manage.py"]
    fixtures = sorted(str(p) for p in (ROOT / "fixtures").glob("*.txt"))
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["ingest", *fixtures],
        ["collectstatic", "--no-input", "-v", "0"],
    ):
        result = subprocess.run([*manage, *command], cwd=ROOT, env=env, capture_output=True)
        if result.returncode:
            sys.exit(f"manage.py {command[0]} failed:\n{result.stderr.decode()}")


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://localhost:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn did not start")
        try:
            if fetch(f"{base}/healthz")[0] == 200:
                return server, base
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 30 s")


def pages(base: str) -> tuple[list[Page], list[str]]:
    """The pages to score, found by following the portal's own links; and what was skipped."""
    skipped = []
    _, _, listing = fetch(f"{base}/projects/")
    slugs = re.findall(r'href="/projects/([\w-]+)/"', listing)
    if not slugs:
        sys.exit("the project list links to no project: did the ingest work?")
    project = f"/projects/{slugs[0]}/"
    _, _, project_page = fetch(base + project)
    interest = re.search(r'href="(/projects/[\w-]+/interest/)"', project_page)
    preview_image(base, project_page)
    found = [
        Page("overview", "/"),
        Page("list", "/projects/"),
        Page("project", project),
    ]
    status, _, _ = fetch(f"{base}/shortlist/")
    if status == 200:
        cookie = shortlisted(base, listing)
        if not cookie:
            skipped.append("shortlist: no Add button on the list to fill it (scored empty)")
        found.append(Page("shortlist", "/shortlist/", cookie))
    else:
        skipped.append(f"shortlist: /shortlist/ answers {status} (not on this branch yet)")
    found.append(Page("interest form", interest.group(1) if interest else "/interest/"))
    return found, skipped


def preview_image(base: str, project_page: str) -> None:
    """The image a shared project link shows is served (hashed, by WhiteNoise) and a PNG."""
    image = re.search(r'<meta property="og:image" content="([^"]+)"', project_page)
    if not image:
        sys.exit("the project page has no og:image")
    url = image.group(1).replace("&amp;", "&")
    request = urllib.request.Request(url)
    with urllib.request.urlopen(request, timeout=30) as response:
        body, kind = response.read(), response.headers.get("Content-Type")
    if kind != "image/png" or not body.startswith(b"\x89PNG"):
        sys.exit(f"the link preview image {url} is not a PNG ({kind})")
    print(f"Link preview image: {urllib.parse.urlsplit(url).path} ({len(body):,} bytes, PNG)")


def shortlisted(base: str, listing: str, count: int = 3) -> str:
    """A session cookie whose shortlist holds the list's first `count` projects, added with the
    list's own Add buttons (a form post). "" when the list offers no such buttons.

    The cookie is carried by hand: with DEBUG off it is Secure, which a cookie jar would not
    send over plain HTTP.
    """
    forms = [f for f in re.findall(r"<form\b[^>]*>", listing) if "shortlist" in f]
    action = re.search(r'action="([^"]+)"', forms[0]) if forms else None
    ids = re.findall(r'name="add" value="(\d+)"', listing)[:count]
    if not action or not ids:
        return ""
    cookie = ""
    for pk in ids:
        request = urllib.request.Request(
            urllib.parse.urljoin(f"{base}/projects/", action.group(1)),
            data=urllib.parse.urlencode({"add": pk, "next": "/shortlist/"}).encode(),
            headers={"Cookie": cookie} if cookie else {},
        )
        try:
            headers = urllib.request.build_opener(NoRedirect).open(request, timeout=30).headers
        except urllib.error.HTTPError as error:  # the redirect back after the post
            headers = error.headers
        for value in headers.get_all("Set-Cookie") or []:
            if value.startswith("sessionid="):
                cookie = value.split(";")[0]
    _, _, page = fetch(f"{base}/shortlist/", headers={"Cookie": cookie})
    print(f"Shortlist filled with {page.count('name="remove"')} projects for its run")
    return cookie


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def median_run(base: str, page: Page, env: dict[str, str]) -> Result:
    """The run with the median performance score of RUNS runs."""
    results = sorted(
        (run_lighthouse(base, page, env, run) for run in range(RUNS)),
        key=lambda result: result.scores["performance"],
    )
    return results[len(results) // 2]


# Lighthouse's own failure to record a page load's trace (its message: "Please run Lighthouse
# again"): a run of the tool lost, not a finding about the page, so that run is made again.
TRACE_LOST = "NO_NAVSTART"
TRACE_ATTEMPTS = 3


def run_lighthouse(base: str, page: Page, env: dict[str, str], run: int = 0) -> Result:
    stem = SCRATCH / f"{re.sub(r'\W+', '-', page.name)}-{run + 1}"
    command = [
        "node",
        str(LIGHTHOUSE),
        base + page.path,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={stem}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--max-wait-for-load=60000",
    ]
    if page.cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': page.cookie})}")
    for attempt in range(1, TRACE_ATTEMPTS + 1):
        result = subprocess.run(command, cwd=ROOT, env=env | {"CHROME_PATH": CHROME}, text=True,
                                capture_output=True, timeout=300)  # fmt: skip
        report_file = Path(f"{stem}.report.json")
        report = json.loads(report_file.read_text()) if report_file.exists() else {}
        error = result.stderr if result.returncode else str(report.get("runtimeError") or "")
        if TRACE_LOST not in error or attempt == TRACE_ATTEMPTS:
            break
        print(f"  ({page.path}: Lighthouse lost its trace ({TRACE_LOST}); run again)", flush=True)
    if result.returncode or not report_file.exists():
        sys.exit(f"Lighthouse failed on {page.path}:\n{result.stderr[-3000:]}")
    if report.get("runtimeError"):
        sys.exit(f"Lighthouse could not load {page.path}: {report['runtimeError']}")
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    crawlable = report["audits"].get("is-crawlable", {}).get("score")
    indexable = crawlable != 0
    shortfalls = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                shortfalls.append(f"{name}: {audit['title']}{value}")
    benchmark = round(report.get("environment", {}).get("benchmarkIndex") or 0)
    return Result(page, scores, indexable, shortfalls, Path(f"{stem}.report.html"), benchmark)


def main() -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` (make lighthouse does)")
        return 1
    if not Path(CHROME).exists():
        print(f"{CHROME} is missing: apt-get install chromium (or set CHROME_PATH)")
        return 1
    env = environment()
    print(f"Preparing a scratch portal in {SCRATCH.relative_to(ROOT)} (fixtures ingested)…")
    prepare(env)
    server, base = start_server(env)
    failed = []
    try:
        found, skipped = pages(base)
        if ONLY:
            found = [page for page in found if page.name in ONLY]
        version = subprocess.run(["node", str(LIGHTHOUSE), "--version"], capture_output=True,
                                 text=True).stdout.strip()  # fmt: skip
        print(
            f"Lighthouse {version}, {CHROME}, mobile emulation, on {base} (gunicorn, DEBUG off);"
            f" the median of {RUNS} run{'s' if RUNS > 1 else ''} per page"
        )
        header = f"{'page':<15}{'performance':>12}{'accessibility':>15}{'best practices':>16}"
        print(f"\n{header}{'SEO':>6}{'CPU index':>11}  path")
        for page in found:
            result = median_run(base, page, env)
            s = result.scores
            seo = f"{s['seo']}" + ("" if result.indexable else "*")
            print(
                f"{page.name:<15}{s['performance']:>12}{s['accessibility']:>15}"
                f"{s['best-practices']:>16}{seo:>6}{result.benchmark:>11}  {page.path}",
                flush=True,
            )  # fmt: skip
            held = ["performance", "accessibility", "best-practices"]
            held += ["seo"] if result.indexable else []
            if any(s[name] < TARGET for name in held):
                failed.append(result)
        print("\n* noindex page (not meant for search engines): SEO not held to 100")
        print(
            "CPU index: Lighthouse's benchmarkIndex of this machine during the run (a mid-range"
            " phone's emulation assumes about 1000 or more; lower means a loaded machine, whose"
            f" performance scores are pessimistic). Load average now: {os.getloadavg()[0]:.1f}"
        )
        for reason in skipped:
            print(f"skipped {reason}")
        for result in failed:
            print(f"\n{result.page.name} ({result.page.path}) is below {TARGET}: {result.report}")
            for line in result.shortfalls:
                print(f"  - {line}")
        print(f"\nReports: {SCRATCH.relative_to(ROOT)}/*.report.html")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
