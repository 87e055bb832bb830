"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: Chromium comes from apt (`/usr/bin/chromium`, or PORTAL_CHROMIUM)
and axe-core from npm (`npm ci` in `make test`). When either is missing the browser tests are
skipped with the reason, unless PORTAL_REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in the test thread. Django sees that
# loop and would refuse the ORM calls the test makes (factories, live_server's setup and flush)
# with SynchronousOnlyOperation, although they are plain synchronous code: allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def missing(what: Path, how: str) -> None:
    if what.exists():
        return
    message = f"{what} is missing: {how}"
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    missing(CHROMIUM, "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_tab(browser, live_server):
    """Opens a tab on the live server; console errors (CSP refusals among them) are collected."""
    contexts = []

    def open_tab(width: int = 1280, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
        )
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        tab.console_errors = []
        tab.on(
            "console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None
        )
        tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    missing(AXE_SOURCE, "run `npm ci` (make test does)")
    return AXE_SOURCE.read_text()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def load_countries() -> None:
    """Put back the countries the migrations load: each transactional test ends by emptying
    the database. (A serialized rollback cannot do it here: once Playwright's loop runs, Django
    hands this thread a fresh connection that does not hold the serialized data.)"""
    from ingest.parsers.countries import all_countries
    from projects.models import Country

    Country.objects.bulk_create(
        [Country(iso3=iso3, iso2=iso2, name=name) for iso3, iso2, name in all_countries()],
        ignore_conflicts=True,
    )


@pytest.fixture
def portal(transactional_db) -> Iterator[dict]:
    """A small portal the live server reads, written outside any test transaction."""
    from tests import factories

    load_countries()

    brochure = factories.source_document(
        title="Partnership Opportunities", edition_date=date(2010, 1, 1)
    )
    report = factories.source_document(
        "activity_report", "2016-06", title="Report on UNODC activities"
    )
    africa = factories.section("Africa and Middle East", order=1)
    east = factories.subregion(africa, "East Africa")
    asia = factories.section("South and East Asia", order=2)
    norway, sweden = factories.donor("Norway"), factories.donor("Sweden")
    kenya = factories.project(
        "Strengthening the criminal justice response to trafficking in Kenya",
        code="KENT01",
        budget="1250000",
        pledges=((norway, "250000"), (sweden, "100000.50")),
        countries=("KEN", "ETH"),
        section=africa,
        subregion=east,
        stated_shortfall="900000",
        shortfall_text="US$ 900,000",
        source_document=brochure,
        source_page=21,
        duration="3 years",
        description="<p>Training for <strong>judges and prosecutors</strong> in Kenya.</p>",
    )
    factories.data_issue(
        kenya, message="The shortfall printed is not budget minus pledges (899,999.50)."
    )
    factories.focal_point(kenya, name="Ana Example", phone="+254 20 7624 000")
    factories.project(
        "Example 1: Victim shelters in Nairobi", budget="300000", section=africa, parent=kenya
    )
    factories.project(
        "Border training for Ethiopian officers",
        budget="800000",
        pledges=((norway, "800000"),),
        countries=("ETH",),
        section=africa,
        subregion=east,
        source_document=brochure,
    )
    factories.project(
        "Data collection in Nepal",
        budget="450000",
        countries=("NPL",),
        section=asia,
        source_document=brochure,
    )
    factories.report_paragraph(
        57, ("KEN",), document=report, text="UNODC trained 40 Kenyan prosecutors."
    )
    return {"kenya": kenya, "norway": norway}
