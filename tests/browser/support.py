"""Helpers for the browser tests."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def screenshot(tab, name: str, full_page: bool = True) -> Path:
    """Saves var/screenshots/<name>.png, a test artefact to look at.

    Playwright styles the page inline while it takes the picture (hiding the caret), which
    the portal's CSP refuses with a console error: those errors are the screenshot's, not the
    page's, and are dropped.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    errors = len(tab.console_errors)
    tab.screenshot(path=str(path), full_page=full_page)
    tab.wait_for_timeout(300)
    del tab.console_errors[errors:]
    assert path.stat().st_size > 0
    return path
