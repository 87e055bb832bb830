"""Text for what a page says about itself: meta descriptions and link previews."""

from __future__ import annotations

import html

from django import template
from django.utils.html import strip_tags

register = template.Library()


@register.filter
def plain_text(markup: str) -> str:
    """Sanitised description HTML as one line of plain text (escaped again on output)."""
    return " ".join(html.unescape(strip_tags(markup or "")).split())
