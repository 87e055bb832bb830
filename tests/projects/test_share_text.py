"""A project's one line for its meta description and link preview, drawn in Python
(projects.templatetags.sharing.share_text), is exactly what its template drew, in every
language, for any figures and description."""

from dataclasses import dataclass
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.templatetags.sharing import share_text

# includes/share_text.html before the line was drawn in Python.
TEMPLATE = '{% load i18n figures sharing %}{% translate "Budget" %} {{ project.budget|money }} · {% translate "pledged" %} {{ project.pledged|money }}{% if project.computed_shortfall is not None %} · {% translate "shortfall" %} {{ project.computed_shortfall|shortfall }}{% elif project.stated_shortfall is not None %} · {% translate "shortfall" %} {{ project.stated_shortfall|shortfall }} {% translate "as published" %}{% endif %}.{% if project.description %} {{ project.description|plain_text|truncatewords:18 }}{% endif %}'  # noqa: E501


@dataclass
class Project:
    budget: Decimal | None
    pledged: Decimal | None
    computed_shortfall: Decimal | None
    stated_shortfall: Decimal | None
    description: str


amounts = st.none() | st.decimals(
    min_value=-(10**9), max_value=10**10, places=2, allow_nan=False, allow_infinity=False
)
words = st.text(alphabet=st.sampled_from("aéZ &<>\"'#/ô;\n\t"), max_size=6)
descriptions = st.lists(
    st.one_of(words, st.sampled_from(["<p>", "</p>", "<b>", "&amp;", "&lt;x&gt;", " ", "…"])),
    max_size=40,
).map(" ".join)
projects = st.builds(Project, amounts, amounts, amounts, amounts, descriptions)


@settings(max_examples=150)
@given(project=projects, language=st.sampled_from(["en", "fr", "es"]))
def test_the_line_is_the_templates(project, language):
    with translation.override(language):
        assert share_text(project) == Template(TEMPLATE).render(Context({"project": project}))
