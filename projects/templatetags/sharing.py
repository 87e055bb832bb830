"""Text for what a page says about itself: meta descriptions and link previews."""

from __future__ import annotations

import html

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from projects.templatetags.figures import money, shortfall
from projects.templatetags.html_text import escaped

register = template.Library()

# The words of a project's description its one line keeps.
SHARED_WORDS = 18


@register.filter
def plain_text(markup: str) -> str:
    """Sanitised description HTML as one line of plain text (escaped again on output)."""
    return " ".join(html.unescape(strip_tags(markup or "")).split())


def share_text(project) -> SafeString:
    """A project's figures, then the start of its description, on one line (its page's meta
    description and link preview), escaped. Drawn in Python: rendering the template it
    replaces took three times as long, on every project page drawn without the cache. Its
    words are translated outside the f-strings, where makemessages finds them."""
    budget, pledged, short = gettext("Budget"), gettext("pledged"), gettext("shortfall")
    line = (
        f"{escaped(budget)} {escaped(money(project.budget))}"
        f" · {escaped(pledged)} {escaped(money(project.pledged))}"
    )
    if project.computed_shortfall is not None:
        line += f" · {escaped(short)} {escaped(shortfall(project.computed_shortfall))}"
    elif project.stated_shortfall is not None:
        as_published = gettext("as published")
        line += (
            f" · {escaped(short)} {escaped(shortfall(project.stated_shortfall))}"
            f" {escaped(as_published)}"
        )
    line += "."
    if project.description:
        words = Truncator(plain_text(project.description)).words(SHARED_WORDS, truncate=" …")
        line += f" {escaped(words)}"
    return mark_safe(line)  # noqa: S308 — every value above is escaped
