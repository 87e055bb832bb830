"""The rows of a project table (includes/project_table.html), drawn in Python: the list page
shows twenty on every request, and a template loop spent most of the page's time resolving
each row's few dozen variables and translating its cell labels again for every row."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from projects.templatetags.figures import meter_value, money, percent, printed, shortfall
from projects.templatetags.figures import status_label as status_in_words
from projects.templatetags.html_text import escaped, in_english

register = template.Library()


def shortlist_button(project, shortlist_ids, form: str) -> str:
    """As includes/shortlist_button.html draws it: Remove when shortlisted, Add otherwise."""
    title = escaped(project.title)
    if shortlist_ids is not None and project.pk in shortlist_ids:
        action = "remove"
        words = gettext(
            'Remove<span class="visually-hidden" lang="en"> %(title)s</span> from shortlist'
        )
    else:
        action = "add"
        words = gettext('Add<span class="visually-hidden" lang="en"> %(title)s</span> to shortlist')
    return (
        f'<button form="{escaped(form)}" name="{action}"'
        f' value="{localize(project.pk)}" class="button secondary shortlist-button">'
        f"{words % {'title': title}}</button>"
    )


class Labels:
    """The words every row repeats, translated once per table."""

    def __init__(self, donor) -> None:
        self.budget = escaped(gettext("Budget"))
        self.pledged = escaped(gettext("Pledged"))
        self.shortfall = escaped(gettext("Shortfall"))
        self.funded = escaped(gettext("Funded"))
        self.data_issue = escaped(gettext("Data issue"))
        self.as_published = escaped(gettext("as published; the budget is not known"))
        self.printed_another = escaped(gettext("The publication printed another figure"))
        self.printed_another_lower = escaped(gettext("the publication printed another figure"))
        self.donor_pledged = (
            gettext("%(donor)s pledged") % {"donor": escaped(donor.name)} if donor else ""
        )


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class ProjectUrls:
    """A project's page URL, as get_absolute_url() gives it, reversed once per table."""

    MARKER = "project-slug"

    def __init__(self) -> None:
        self.before, self.after = reverse("project_detail", args=[self.MARKER]).split(self.MARKER)

    def __call__(self, project) -> str:
        if SLUG.fullmatch(project.slug):  # nothing to quote
            return f"{self.before}{project.slug}{self.after}"
        return project.get_absolute_url()


def project_row(p, labels: Labels, english: str, select_cell: str, donor, urls=None) -> str:
    """One <tr> of the table, exactly as the template drew it."""
    url = escaped(urls(p) if urls else p.get_absolute_url())
    cells = [f"\n<tr>{select_cell}", f'<th scope="row" class="project-cell"><a href="{url}"']
    cells.append(f"{english}>{escaped(p.title)}</a>")
    if p.code:
        cells.append(f' <span class="code">{escaped(p.code)}</span>')
    cells.append(' <span class="where">')
    if p.parent:
        within = gettext('Partnership example within <span lang="en">%(title)s</span>')
        cells.append(within % {"title": escaped(p.parent.title)} + " · ")
    cells.append(escaped(p.section.name))
    if p.subregion:
        cells.append(f" › {escaped(p.subregion.name)}")
    # Read beside the rows (projects.views.ListedProjects) or prefetched.
    countries = getattr(p, "listed_countries", None)
    if countries is None:
        countries = p.countries.all()
    if countries:
        names = ", ".join(escaped(country.local_name) for country in countries[:6])
        cells.append(f" · {names}")
        if len(countries) > 6:
            more = gettext("and %(more)s more") % {"more": localize(len(countries) - 6)}
            cells.append(f" {more}")
    cells.append("</span>")
    if p.example_count or p.has_issues:
        cells.append(' <span class="tags">')
        if p.example_count:
            examples = ngettext(
                "%(counter)s partnership example",
                "%(counter)s partnership examples",
                p.example_count,
            ) % {"counter": localize(p.example_count)}
            cells.append(f'<span class="tag">{examples}</span>')
        if p.has_issues:
            cells.append(f'<span class="tag tag-issue">{labels.data_issue}</span>')
        cells.append("</span>")
    cells.append("</th>")
    if donor:
        cells.append(
            f'<td class="num amount" data-label="{labels.donor_pledged}">'
            f"{escaped(money(p.donor_pledged))}</td>"
        )
    cells.append(f'<td class="num amount" data-label="{labels.budget}">')
    if p.budget is None and p.budget_text:
        cells.append(f"<span{english}>{escaped(printed(p.budget_text))}</span>")
    else:
        cells.append(escaped(money(p.budget)))
    cells.append(f'</td><td class="num amount" data-label="{labels.pledged}">')
    cells.append(f"{escaped(money(p.pledged))}</td>")
    computed = p.computed_shortfall
    over = " over-pledged" if computed is not None and computed < 0 else ""
    cells.append(f'<td class="num amount{over}" data-label="{labels.shortfall}">')
    if computed is None and p.stated_shortfall is not None:
        cells.append(
            f'{escaped(money(p.stated_shortfall))} <span class="note">{labels.as_published}</span>'
        )
    else:
        cells.append(escaped(shortfall(computed)))
        if p.shortfall_differs:
            cells.append(
                f'<a class="footnote-sign" href="{url}#shortfall-note"'
                f' title="{labels.printed_another}">*<span class="visually-hidden">'
                f" {labels.printed_another_lower}</span></a>"
            )
    cells.append(
        f'</td><td data-label="{labels.funded}" class="funded-cell">'
        f'<span class="status status-{escaped(p.funding_status)}">'
        f"{escaped(status_in_words(p.funding_status))}</span>"
    )
    if p.percent_funded is not None:
        shown = escaped(percent(p.percent_funded))
        funded = gettext("%(percent)s funded") % {"percent": shown}
        cells.append(
            ' <meter class="funded" min="0" max="100" low="34" high="99" optimum="100"'
            f' value="{escaped(meter_value(p.percent_funded))}" aria-label="{funded}"></meter>'
            f' <span class="pct">{shown}</span>'
        )
    cells.append("</td></tr>\n")
    return "".join(cells)


@register.simple_tag(takes_context=True)
def project_rows(context, projects: Iterable, shortlistable=False, donor=None) -> SafeString:
    """The table's rows: projects from for_listing() with totals; donor: a column with that
    donor's pledge; shortlistable: an Add/Remove shortlist button per row."""
    labels = Labels(donor)
    english = in_english()
    shortlist_ids = context.get("shortlist_ids")
    form = context.get("form") or "shortlist-form"
    urls = ProjectUrls()
    rows = []
    for project in projects:
        select_cell = (
            f'<td class="select-cell" id="row-{localize(project.pk)}">'
            # The include ended with its file's newline.
            f"{shortlist_button(project, shortlist_ids, form)}\n</td>"
            if shortlistable
            else ""
        )
        rows.append(project_row(project, labels, english, select_cell, donor, urls))
    return mark_safe("".join(rows))  # noqa: S308 — every value above is escaped
