"""The world map's country links and table rows, drawn in Python
(projects/templatetags/world_map.py), are exactly what its template loops drew, in every
language, for any countries and figures."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.maps import CountryFigures, MapCountry

# The loops as includes/world_map.html drew them before they were drawn in Python.
TEMPLATE_BLANK = '{% for country in countries %}<a href="{{ country.url }}" tabindex="-1"><use href="{{ country.outline }}"/></a>{% endfor %}'  # noqa: E501
TEMPLATE_SHADED = '{% for country in countries %}<a href="{{ country.url }}" tabindex="-1" class="{{ country.shade }}"><use href="{{ country.outline }}"/></a>{% endfor %}'  # noqa: E501
TEMPLATE_TITLED = '{% for country in countries %}<a href="{{ country.url }}" tabindex="-1" class="{{ country.shade }}"><title>{{ country.title }}</title><use href="{{ country.outline }}"/></a>\n{% endfor %}'  # noqa: E501
TEMPLATE_ROWS = """{% load figures %}{% for row in rows %}<tr><th scope="row"><a href="{{ row.url }}">{{ row.name }}</a></th><td class="num">{{ row.projects }}</td><td class="num amount{% if row.shortfall < 0 %} over-pledged{% endif %}">{{ row.shortfall|shortfall }}</td></tr>
{% endfor %}"""  # noqa: E501

LOAD = "{% load world_map %}"
text = st.text(alphabet=st.sampled_from("aéZ &<>\"'#/.-ô"), max_size=12)
amount = st.none() | st.decimals(
    min_value=-(10**9), max_value=10**10, places=2, allow_nan=False, allow_infinity=False
)
country_figures = st.builds(
    CountryFigures,
    iso3=text,
    name=text,
    url=text,
    projects=st.integers(min_value=0, max_value=10**6),
    budget=amount,
    pledged=amount,
    shortfall=amount,
    shade=text,
    drawn=st.booleans(),
)
figures = st.lists(country_figures, max_size=6)
map_countries = st.lists(
    st.builds(MapCountry, text, text, text, text, st.none() | country_figures), max_size=6
)


def drawn(source: str, **context) -> str:
    return Template(source).render(Context(context))


@settings(max_examples=60)
@given(countries=map_countries, language=st.sampled_from(["en", "fr", "es"]))
def test_the_country_links_are_the_templates(countries, language):
    with translation.override(language):
        assert drawn(LOAD + "{% map_countries countries %}", countries=countries) == drawn(
            TEMPLATE_BLANK, countries=countries
        )
        shaded = LOAD + "{% map_countries countries shaded=True %}"
        assert drawn(shaded, countries=countries) == drawn(TEMPLATE_SHADED, countries=countries)
        titled = LOAD + "{% map_countries countries shaded=True titled=True %}"
        assert drawn(titled, countries=countries) == drawn(TEMPLATE_TITLED, countries=countries)


@settings(max_examples=60)
@given(rows=figures, language=st.sampled_from(["en", "fr", "es"]))
def test_the_table_rows_are_the_templates(rows, language):
    with translation.override(language):
        python = drawn(LOAD + "{% map_table_rows rows %}", rows=rows)
        assert python == drawn(TEMPLATE_ROWS, rows=rows)


def test_an_over_pledged_country_is_marked_and_a_missing_figure_is_not():
    def row(shortfall):
        return CountryFigures("KEN", "Kenya", "/k/", 1234, None, None, shortfall, "shade-1", True)

    rows = [row(Decimal("-5")), row(None), row(Decimal("0"))]
    with translation.override("en"):
        html = drawn(LOAD + "{% map_table_rows rows %}", rows=rows)
    assert html.count("over-pledged") == 2  # the class and the words of the first row only
    assert html.splitlines()[0].count("amount over-pledged") == 1
    assert "not stated" in html.splitlines()[1]
