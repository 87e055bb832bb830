"""The tags that draw HTML in Python escape exactly as Django's conditional_escape()."""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override
from hypothesis import given
from hypothesis import strategies as st

from projects.templatetags.html_text import escaped


@given(st.one_of(st.text(), st.integers(), st.decimals(allow_nan=False), st.none()))
def test_plain_values_are_escaped_as_django_escapes_them(value):
    assert escaped(value) == str(conditional_escape(value))


def test_html_stays_as_it_is_and_a_lazy_translation_is_translated_then_escaped():
    assert escaped(mark_safe("<b>bold</b>")) == "<b>bold</b>"
    with override("fr"):
        lazy = gettext_lazy("Find by name")
        assert escaped(lazy) == str(conditional_escape(lazy)) == "Chercher par nom"
        assert escaped(gettext_lazy("<%(n)s>")) == "&lt;%(n)s&gt;"
