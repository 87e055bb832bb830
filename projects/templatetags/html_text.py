"""Escaping for the tags that draw HTML in Python (tables, facets, the world map).

Django's conditional_escape() gives the same text, but every call first checks whether any
argument is a lazy translation (keep_lazy): on a list page drawn without the cache that check
alone, a thousand times over, cost more than the escaping."""

from __future__ import annotations

import html

from django.utils.translation import get_language


def escaped(value: object) -> str:
    """As conditional_escape(value), as plain text: HTML (anything with __html__) as it is,
    anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def in_english() -> str:
    """The lang attribute of text printed in English (titles, notes, the report's paragraphs)
    on a page in another language; nothing on an English page."""
    return "" if (get_language() or "en") == "en" else ' lang="en"'
