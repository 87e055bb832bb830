"""A project page's lists that grow with the data, drawn in Python: its pledges, its focal
points and the report's paragraphs on its countries. Every project page drawn without the
cache renders them, and a template loop spent most of the page's own time resolving their
few variables each."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from projects.templatetags.figures import money
from projects.templatetags.html_text import escaped, in_english

register = template.Library()


@register.simple_tag
def pledge_rows(pledges: Iterable) -> SafeString:
    """The pledges table's rows: the donor (a link to its page, or "Donor not named"), the
    pledge's note as printed, and the amount."""
    english = in_english()
    unnamed = escaped(gettext("Donor not named"))
    rows = []
    for pledge in pledges:
        donor = pledge.donor
        name = (
            f'<a href="{escaped(donor.get_absolute_url())}">{escaped(donor.name)}</a>'
            if donor
            else unnamed
        )
        note = ""
        if pledge.note:
            note = f' <span class="note"{english}>({escaped(pledge.note)})</span>'
        rows.append(
            f'\n      <tr><th scope="row">{name}{note}</th>'
            f'<td class="num amount">{escaped(money(pledge.amount))}</td></tr>\n      '
        )
    return mark_safe("".join(rows))  # noqa: S308 — every value above is escaped


@register.simple_tag
def activity_paragraphs(paragraphs: Iterable) -> SafeString:
    """The report's paragraphs naming the project's countries: number, theme, document and
    edition, the countries each names (the project's own in bold), and the text as printed."""
    english = in_english()
    inferred = escaped(gettext("(number inferred)"))
    quotes = []
    for paragraph in paragraphs:
        recovered = f" {inferred}" if paragraph.number_recovered else ""
        countries = ", ".join(
            f"<strong>{escaped(name)}</strong>" if ours else escaped(name)
            for name, ours in paragraph.named_countries
        )
        quotes.append(
            '\n  <blockquote class="paragraph">\n'
            f'    <p class="paragraph-meta">¶ {escaped(localize(paragraph.number))}{recovered}'
            f" · {escaped(paragraph.theme)} · <cite{english}>"
            f"{escaped(paragraph.document.title)}</cite>, {escaped(paragraph.edition_words)}"
            f" · {countries}</p>\n"
            f"    <p{english}>{escaped(paragraph.text)}</p>\n"
            "  </blockquote>\n  "
        )
    return mark_safe("".join(quotes))  # noqa: S308 — every value above is escaped


@register.simple_tag
def focal_point_items(roles: Iterable) -> SafeString:
    """The project's focal points, each in their role: name, position and unit as printed
    (in English), telephone (a link where it can be dialled) and e-mail."""
    english = in_english()
    tel = escaped(gettext("Tel."))
    items = []
    for role in roles:
        person = role.focal_point
        where = ""
        if person.position or person.unit:
            comma = ", " if person.position and person.unit else ""
            where = (
                f"<br><span{english}>{escaped(person.position)}{comma}{escaped(person.unit)}</span>"
            )
        phone = ""
        if person.phone:
            number = escaped(person.phone)
            if person.phone_uri:
                number = f'<a href="{escaped(person.phone_uri)}">{number}</a>'
            phone = f"<br>{tel} {number}"
        email = ""
        if person.email:
            address = escaped(person.email)
            email = f'<br><a href="mailto:{address}">{address}</a>'
        items.append(
            "\n    <li>\n"
            f'      <strong>{escaped(person)}</strong> <span class="note">'
            f"{escaped(role.get_role_display())}</span>\n"
            f"      {where}\n      {phone}\n      {email}\n    </li>\n    "
        )
    return mark_safe("".join(items))  # noqa: S308 — every value above is escaped
