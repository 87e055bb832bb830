"""A project table's rows, drawn in Python (projects/templatetags/tables.py), are exactly the
rows its template loop drew, in every language, with and without the shortlist buttons and a
donor's column."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from donors.views import pledged_by
from projects.models import Country, Project
from tests import factories

pytestmark = pytest.mark.django_db

# The rows as includes/project_table.html drew them before they were drawn in Python.
TEMPLATE_ROWS = '{% load i18n figures %}{% get_current_language as LANGUAGE_CODE %}{% for p in projects %}\n<tr>{% if shortlistable %}<td class="select-cell" id="row-{{ p.pk }}">{% include "includes/shortlist_button.html" with project=p %}</td>{% endif %}<th scope="row" class="project-cell"><a href="{{ p.get_absolute_url }}"{% if LANGUAGE_CODE != "en" %} lang="en"{% endif %}>{{ p.title }}</a>{% if p.code %} <span class="code">{{ p.code }}</span>{% endif %} <span class="where">{% if p.parent %}{% blocktranslate with title=p.parent.title %}Partnership example within <span lang="en">{{ title }}</span>{% endblocktranslate %} · {% endif %}{{ p.section.name }}{% if p.subregion %} › {{ p.subregion.name }}{% endif %}{% with countries=p.countries.all %}{% if countries %} · {% for c in countries|slice:":6" %}{{ c.local_name }}{% if not forloop.last %}, {% endif %}{% endfor %}{% if countries|length > 6 %} {% blocktranslate with more=countries|length|add:"-6" %}and {{ more }} more{% endblocktranslate %}{% endif %}{% endif %}{% endwith %}</span>{% if p.example_count or p.has_issues %} <span class="tags">{% if p.example_count %}<span class="tag">{% blocktranslate count counter=p.example_count %}{{ counter }} partnership example{% plural %}{{ counter }} partnership examples{% endblocktranslate %}</span>{% endif %}{% if p.has_issues %}<span class="tag tag-issue">{% translate "Data issue" %}</span>{% endif %}</span>{% endif %}</th>{% if donor %}<td class="num amount" data-label="{% blocktranslate with donor=donor.name %}{{ donor }} pledged{% endblocktranslate %}">{{ p.donor_pledged|money }}</td>{% endif %}<td class="num amount" data-label="{% translate "Budget" %}">{% if p.budget is None and p.budget_text %}<span{% if LANGUAGE_CODE != "en" %} lang="en"{% endif %}>{{ p.budget_text|printed }}</span>{% else %}{{ p.budget|money }}{% endif %}</td><td class="num amount" data-label="{% translate "Pledged" %}">{{ p.pledged|money }}</td><td class="num amount{% if p.computed_shortfall < 0 %} over-pledged{% endif %}" data-label="{% translate "Shortfall" %}">{% if p.computed_shortfall is None and p.stated_shortfall is not None %}{{ p.stated_shortfall|money }} <span class="note">{% translate "as published; the budget is not known" %}</span>{% else %}{{ p.computed_shortfall|shortfall }}{% if p.shortfall_differs %}<a class="footnote-sign" href="{{ p.get_absolute_url }}#shortfall-note" title="{% translate "The publication printed another figure" %}">*<span class="visually-hidden"> {% translate "the publication printed another figure" %}</span></a>{% endif %}{% endif %}</td><td data-label="{% translate "Funded" %}" class="funded-cell"><span class="status status-{{ p.funding_status }}">{{ p.funding_status|status_label }}</span>{% if p.percent_funded is not None %} <meter class="funded" min="0" max="100" low="34" high="99" optimum="100" value="{{ p.percent_funded|meter_value }}" aria-label="{% with percent=p.percent_funded|percent %}{% blocktranslate %}{{ percent }} funded{% endblocktranslate %}{% endwith %}"></meter> <span class="pct">{{ p.percent_funded|percent }}</span>{% endif %}</td></tr>\n{% endfor %}'  # noqa: E501
PYTHON_ROWS = "{% load tables %}{% project_rows projects shortlistable=shortlistable donor=donor %}"


@pytest.fixture
def projects():
    """A portfolio, and rows with what it lacks: many countries, several partnership
    examples, a printed budget without a figure, a stated shortfall without a budget,
    over-pledging, a title and a donor that need escaping."""
    factories.portfolio(30)
    donor = factories.donor('Donor <"&">')
    iso3s = tuple(Country.objects.order_by("iso3").values_list("iso3", flat=True)[:9])
    many = factories.project("Many countries & <more>", countries=iso3s, code="X<1>")
    for n in range(3):
        factories.project(f"Example {n} of many", parent=many, section=many.section)
    factories.project("Printed budget", budget=None, budget_text="US$ 1.2 million")
    factories.project("Stated only", budget=None, stated_shortfall=Decimal("5000"))
    factories.project("Over-pledged", budget="100", pledges=((donor, "250.5"),))
    Project.objects.all().refresh_pledged_totals()
    return donor


def rows(source: str, queryset, **context) -> str:
    return Template(source).render(Context({"projects": queryset, **context}))


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_rows_are_the_templates_rows(projects, language):
    listed = Project.objects.published().with_totals().for_listing().order_by("title", "pk")
    shortlisted = set(listed.values_list("pk", flat=True)[::3])
    donor = projects
    with translation.override(language):
        for context in (
            {},
            {"shortlistable": True, "shortlist_ids": shortlisted},
            {"shortlistable": True, "shortlist_ids": shortlisted, "form": "other-form"},
        ):
            expected = rows(TEMPLATE_ROWS, listed, **context)
            assert rows(PYTHON_ROWS, listed, **context) == expected
        for_donor = listed.annotate(donor_pledged=pledged_by(donor))
        assert rows(PYTHON_ROWS, for_donor, donor=donor) == rows(
            TEMPLATE_ROWS, for_donor, donor=donor
        )
    html = rows(PYTHON_ROWS, listed)
    for drawn in (
        "and 3 more",
        "3 partnership examples",
        "1 partnership example<",
        "Partnership example within",
        "Many countries &amp; &lt;more&gt;",
        "over-pledged",
        "as published; the budget is not known",
        "US$\u00a01.2 million",
    ):
        assert drawn in html
