"""Spreadsheet-formula injection: text that a spreadsheet would run as a formula."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Text starting like a formula gets a leading apostrophe, so spreadsheets show it as text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
