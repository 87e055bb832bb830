"""The list's facet panel, drawn in Python (projects/templatetags/facets.py), is exactly what
its template loop drew, in every language, for any facets: grouped, long, searched, refused,
single-choice, with options hidden and with none."""

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.filters import Facet, Option

# The panel as the partial "panel" of projects/project_list.html drew it before it was drawn
# in Python.
TEMPLATE_PANEL = '{% for facet in facets %}\n<details class="facet"{% if facet.open %} open{% endif %}><summary>{{ facet.label }}{% if facet.selected_count %} <span class="facet-selected">{% blocktranslate count counter=facet.selected_count %}({{ counter }} chosen){% plural %}({{ counter }} chosen){% endblocktranslate %}</span>{% endif %}</summary>\n<fieldset{% if facet.error %} aria-describedby="{{ facet.name }}-error"{% endif %}><legend class="visually-hidden">{{ facet.label }}</legend>{% if facet.error %}<p class="error" id="{{ facet.name }}-error">{{ facet.error }}</p>{% endif %}\n{% if facet.hidden or facet.find %}<p class="facet-find"><label for="find-{{ facet.name }}">{% translate "Find by name" %}</label><input type="search" name="find_{{ facet.name }}" id="find-{{ facet.name }}" value="{{ facet.find }}" autocomplete="off"></p>\n{% endif %}<ul class="facet-options{% if facet.long %} long{% endif %}">{% if facet.multiple %}{% for group, options in facet.groups %}{% if group %}<li class="facet-group"><span class="facet-group-name" id="g-{{ facet.name }}-{{ forloop.counter }}">{{ group }}</span><div role="group" aria-labelledby="g-{{ facet.name }}-{{ forloop.counter }}"><ul>{% endif %}\n{% facet_options facet.name options %}{% if group %}</ul></div></li>{% endif %}{% empty %}<li class="note">{% translate "No choice with these filters." %}</li>{% endfor %}{% else %}<li><label><input type="radio" name="{{ facet.name }}" value=""{% if not facet.selected_count %} checked{% endif %}> {{ facet.any_label }}</label></li>\n{% facet_options facet.name facet.options "radio" %}{% endif %}</ul>{% if facet.hidden %}<p class="note">{% blocktranslate count counter=facet.hidden %}{{ counter }} more not listed: find them by name.{% plural %}{{ counter }} more not listed: find them by name.{% endblocktranslate %}</p>{% endif %}</fieldset></details>{% endfor %}\n'  # noqa: E501

text = st.text(alphabet=st.sampled_from("aéZ &<>\"'#ô%"), max_size=10)
options = st.lists(
    st.builds(
        Option,
        value=text,
        label=text,
        count=st.integers(min_value=0, max_value=2000),
        selected=st.booleans(),
        group=st.sampled_from(["", "", "Africa & <the> Middle East", "Asia"]),
    ),
    max_size=16,
)
facets = st.lists(
    st.builds(
        Facet,
        name=st.sampled_from(["section", "country", "has_issue", "a<b>"]),
        label=text,
        any_label=text,
        options=options,
        multiple=st.booleans(),
        error=st.sampled_from(
            ["", "Select a valid choice. <x> is not one. This filter was ignored."]
        ),
        findable=st.booleans(),
        find=st.sampled_from(["", "ke", "<&>"]),
        hidden=st.integers(min_value=0, max_value=1500),
    ),
    max_size=4,
)


def drawn(source: str, facets: list[Facet]) -> str:
    return Template(source).render(Context({"facets": facets}))


@settings(max_examples=150)
@given(facets=facets, language=st.sampled_from(["en", "fr", "es"]))
def test_the_panel_is_the_templates(facets, language):
    with translation.override(language):
        python = drawn("{% load facets %}{% facet_panel facets %}", facets)
        assert python == drawn("{% load i18n facets %}" + TEMPLATE_PANEL, facets)
