"""The project list's facet panel, drawn in Python: it has hundreds of options (every country,
donor and focal point with projects) and is drawn for every filter set the facet cache does
not hold; a template loop spent most of the panel's time resolving each option's and each
facet's few variables."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from projects.filters import Facet, Option
from projects.templatetags.html_text import escaped

register = template.Library()


@register.simple_tag
def facet_options(name: str, options: Iterable[Option], kind: str = "checkbox") -> SafeString:
    """One `<li>` a line: a label around its checkbox (or radio button), the option's name
    and the number of projects it would give; chosen options checked, empty ones disabled."""
    name = escaped(name)
    lines = []
    for option in options:
        state = " checked" if option.selected else "" if option.count else " disabled"
        lines.append(
            f'<li><label><input type="{kind}" name="{name}" value="{escaped(option.value)}"'
            f'{state}> {escaped(option.label)} <span class="count">({option.count:d})</span>'
            "</label></li>\n"
        )
    return mark_safe("".join(lines))  # noqa: S308 — every value above is escaped


def counted(words: str, count: int) -> str:
    """`words` (ngettext's, for `count`) with the number, as {% blocktranslate count
    counter=… %} gives them: the words are not escaped, the number is."""
    return words % {"counter": escaped(localize(count))}


def facet_details(facet: Facet, words: dict[str, str]) -> str:
    """One facet: a disclosure with its name (and how many of its options are chosen), a
    search box when it is long, its options, and why a value asked for was ignored."""
    name = escaped(facet.name)
    label = escaped(facet.label)
    selected = facet.selected_count
    chosen = ""
    if selected:
        # Outside the f-string, where xgettext finds the words to translate.
        how_many = ngettext("(%(counter)s chosen)", "(%(counter)s chosen)", selected)
        chosen = f' <span class="facet-selected">{counted(how_many, selected)}</span>'
    parts = [
        f'\n<details class="facet"{" open" if facet.open else ""}><summary>{label}{chosen}'
        "</summary>\n"
    ]
    if facet.error:
        parts.append(
            f'<fieldset aria-describedby="{name}-error"><legend class="visually-hidden">'
            f'{label}</legend><p class="error" id="{name}-error">{escaped(facet.error)}</p>\n'
        )
    else:
        parts.append(f'<fieldset><legend class="visually-hidden">{label}</legend>\n')
    if facet.hidden or facet.find:
        parts.append(
            f'<p class="facet-find"><label for="find-{name}">{words["find"]}</label>'
            f'<input type="search" name="find_{name}" id="find-{name}"'
            f' value="{escaped(facet.find)}" autocomplete="off"></p>\n'
        )
    parts.append(f'<ul class="facet-options{" long" if facet.long else ""}">')
    if facet.multiple:
        groups = facet.groups
        for number, (group, options) in enumerate(groups, start=1):
            if group:
                parts.append(
                    f'<li class="facet-group"><span class="facet-group-name"'
                    f' id="g-{name}-{number}">{escaped(group)}</span>'
                    f'<div role="group" aria-labelledby="g-{name}-{number}"><ul>'
                )
            parts.append("\n" + facet_options(facet.name, options))
            if group:
                parts.append("</ul></div></li>")
        if not groups:
            parts.append(f'<li class="note">{words["none"]}</li>')
    else:
        parts.append(
            f'<li><label><input type="radio" name="{name}" value=""'
            f"{'' if selected else ' checked'}> {escaped(facet.any_label)}</label></li>\n"
            + facet_options(facet.name, facet.options, "radio")
        )
    parts.append("</ul>")
    if facet.hidden:
        more = ngettext(
            "%(counter)s more not listed: find them by name.",
            "%(counter)s more not listed: find them by name.",
            facet.hidden,
        )
        parts.append(f'<p class="note">{counted(more, facet.hidden)}</p>')
    parts.append("</fieldset></details>")
    return "".join(parts)


@register.simple_tag
def facet_panel(facets: Iterable[Facet]) -> SafeString:
    """Every facet of the list's filters (projects.filters.Facet, as findable_facets gives
    them), each in its disclosure."""
    words = {
        "find": escaped(gettext("Find by name")),
        "none": escaped(gettext("No choice with these filters.")),
    }
    drawn = "".join(facet_details(facet, words) for facet in facets)
    return mark_safe(drawn + "\n")  # noqa: S308 — every value above is escaped
