"""The project list's facet options, drawn in Python: the panel has hundreds of them (every
country, donor and focal point with projects), and a template loop spends most of the panel's
time resolving each option's few variables."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from projects.filters import Option

register = template.Library()


@register.simple_tag
def facet_options(name: str, options: Iterable[Option], kind: str = "checkbox") -> SafeString:
    """One `<li>` a line: a label around its checkbox (or radio button), the option's name
    and the number of projects it would give; chosen options checked, empty ones disabled."""
    name = escape(name)
    lines = []
    for option in options:
        state = " checked" if option.selected else "" if option.count else " disabled"
        lines.append(
            f'<li><label><input type="{kind}" name="{name}" value="{escape(option.value)}"'
            f'{state}> {escape(option.label)} <span class="count">({option.count:d})</span>'
            "</label></li>\n"
        )
    return mark_safe("".join(lines))  # noqa: S308 — every value above is escaped
