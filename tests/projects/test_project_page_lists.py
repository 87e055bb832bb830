"""A project page's pledges and the report's paragraphs, drawn in Python
(projects/templatetags/project_page.py), are exactly what its template loops drew, in every
language, for any donors, notes, amounts, paragraphs and countries."""

from dataclasses import dataclass
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

# The loops as projects/project_detail.html drew them before they were drawn in Python.
TEMPLATE_PLEDGES = '      {% for pledge in pledges %}\n      <tr><th scope="row">{% if pledge.donor %}<a href="{{ pledge.donor.get_absolute_url }}">{{ pledge.donor.name }}</a>{% else %}{% translate "Donor not named" %}{% endif %}{% if pledge.note %} <span class="note"{% if LANGUAGE_CODE != "en" %} lang="en"{% endif %}>({{ pledge.note }})</span>{% endif %}</th><td class="num amount">{{ pledge.amount|money }}</td></tr>\n      {% endfor %}'  # noqa: E501
TEMPLATE_PARAGRAPHS = '  {% for paragraph in paragraphs %}\n  <blockquote class="paragraph">\n    <p class="paragraph-meta">¶ {{ paragraph.number }}{% if paragraph.number_recovered %} {% translate "(number inferred)" %}{% endif %} · {{ paragraph.theme }} · <cite{% if LANGUAGE_CODE != "en" %} lang="en"{% endif %}>{{ paragraph.document.title }}</cite>, {{ paragraph.edition_words }} · {% for name, ours in paragraph.named_countries %}{% if ours %}<strong>{{ name }}</strong>{% else %}{{ name }}{% endif %}{% if not forloop.last %}, {% endif %}{% endfor %}</p>\n    <p{% if LANGUAGE_CODE != "en" %} lang="en"{% endif %}>{{ paragraph.text }}</p>\n  </blockquote>\n  {% endfor %}'  # noqa: E501
TEMPLATE_ROLES = '    {% for role in roles %}{% with person=role.focal_point %}\n    <li>\n      <strong>{{ person }}</strong> <span class="note">{{ role.get_role_display }}</span>\n      {% if person.position or person.unit %}<br><span{% if LANGUAGE_CODE != "en" %} lang="en"{% endif %}>{{ person.position }}{% if person.position and person.unit %}, {% endif %}{{ person.unit }}</span>{% endif %}\n      {% if person.phone %}<br>{% translate "Tel." %} {% if person.phone_uri %}<a href="{{ person.phone_uri }}">{{ person.phone }}</a>{% else %}{{ person.phone }}{% endif %}{% endif %}\n      {% if person.email %}<br><a href="mailto:{{ person.email }}">{{ person.email }}</a>{% endif %}\n    </li>\n    {% endwith %}{% endfor %}'  # noqa: E501
BEFORE = "{% load i18n figures %}{% get_current_language as LANGUAGE_CODE %}"


@dataclass
class Donor:
    name: str
    slug: str

    def get_absolute_url(self) -> str:
        return f"/donors/{self.slug}/"


@dataclass
class Pledge:
    donor: Donor | None
    note: str
    amount: Decimal | None


@dataclass
class Document:
    title: str


@dataclass
class Paragraph:
    number: int
    number_recovered: bool
    theme: str
    document: Document
    edition_words: str
    named_countries: list[tuple[str, bool]]
    text: str


@dataclass
class Person:
    name: str
    position: str
    unit: str
    phone: str
    phone_uri: str
    email: str

    def __str__(self) -> str:
        return self.name


@dataclass
class Role:
    focal_point: Person
    role: str

    def get_role_display(self) -> str:
        return {"hq": "HQ focal point", "field": "Field office"}[self.role]


text = st.text(alphabet=st.sampled_from("aéZ &<>\"'#/ô"), max_size=10)
amounts = st.none() | st.decimals(
    min_value=-(10**9), max_value=10**10, places=2, allow_nan=False, allow_infinity=False
)
pledges = st.lists(
    st.builds(
        Pledge, st.none() | st.builds(Donor, text, st.sampled_from(["a", "b-c"])), text, amounts
    ),
    max_size=5,
)
paragraphs = st.lists(
    st.builds(
        Paragraph,
        st.integers(min_value=0, max_value=99999),
        st.booleans(),
        text,
        st.builds(Document, text),
        text,
        st.lists(st.tuples(text, st.booleans()), max_size=4),
        text,
    ),
    max_size=4,
)
languages = st.sampled_from(["en", "fr", "es"])


def drawn(source: str, **context) -> str:
    return Template(source).render(Context(context))


roles = st.lists(
    st.builds(
        Role,
        st.builds(Person, text, text, text, text, text, text),
        st.sampled_from(["hq", "field"]),
    ),
    max_size=4,
)


def assert_drawn_as_before(tag: str, template: str, language: str, **context) -> None:
    with translation.override(language):
        python = drawn("{% load project_page %}" + tag, **context)
        assert python == drawn(BEFORE + template.strip(), **context)


@settings(max_examples=80)
@given(pledges=pledges, language=languages)
def test_the_pledge_rows_are_the_templates(pledges, language):
    assert_drawn_as_before("{% pledge_rows pledges %}", TEMPLATE_PLEDGES, language, pledges=pledges)


@settings(max_examples=80)
@given(paragraphs=paragraphs, language=languages)
def test_the_paragraphs_are_the_templates(paragraphs, language):
    assert_drawn_as_before(
        "{% activity_paragraphs paragraphs %}", TEMPLATE_PARAGRAPHS, language, paragraphs=paragraphs
    )


@settings(max_examples=80)
@given(roles=roles, language=languages)
def test_the_focal_points_are_the_templates(roles, language):
    assert_drawn_as_before("{% focal_point_items roles %}", TEMPLATE_ROLES, language, roles=roles)
