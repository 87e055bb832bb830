import pytest

from projects.models import Country, Pledge, Theme
from projects.prepared import PreparedQuery
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_prepared_query_gives_what_its_queryset_gives_for_each_value():
    countries = PreparedQuery(
        lambda pk: Country.objects.filter(projects=pk), ("name_es", "iso3", "name")
    )
    assert countries.fields == ("iso3", "name", "name_es")  # in the model's order
    first = factories.project(countries=("KEN", "NGA", "BRA"))
    second = factories.project(countries=("FRA",))
    none = factories.project()
    for project in (first, second, none, first):
        expected = list(project.countries.values_list("iso3", "name", "name_es"))
        assert countries.rows(project.pk) == expected
        found = countries.instances(project.pk)
        assert found == list(project.countries.all())
        assert [c.name_es for c in found] == [c.name_es for c in project.countries.all()]
    assert [c.iso3 for c in countries.instances(first.pk)] == ["BRA", "KEN", "NGA"]


def test_a_prepared_query_asks_for_text_only_and_its_value_once():
    with pytest.raises(TypeError, match="Pledge.amount is not a text field"):
        PreparedQuery(lambda pk: Pledge.objects.filter(project=pk), ("amount",))
    twice = PreparedQuery(
        lambda pk: Theme.objects.filter(projects=pk).filter(projects=pk), ("slug",)
    )
    with pytest.raises(ValueError, match="once"):
        twice.rows(1)
