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


def test_prepared_objects_are_what_the_queryset_gives_with_related_rows_and_annotations():
    from django.db.models import Count, F

    from projects.prepared import PreparedObjects

    pledges = PreparedObjects(
        lambda pk: (
            Pledge.objects.filter(project=pk)
            .select_related("donor", "project__section")
            .defer("note")
            .annotate(project_title=F("project__title"), donors=Count("project__pledges"))
            .order_by("order", "pk")
        )
    )
    kenya = factories.donor("Kenya")
    first = factories.project(pledges=((kenya, "1000.50"), (None, "20")))
    second = factories.project(pledges=((kenya, "7"),))
    none = factories.project()
    for project in (first, second, none, first):
        expected = list(
            Pledge.objects.filter(project=project.pk)
            .select_related("donor", "project__section")
            .defer("note")
            .annotate(project_title=F("project__title"), donors=Count("project__pledges"))
            .order_by("order", "pk")
        )
        found = pledges.objects(project.pk)
        assert found == expected
        for got, want in zip(found, expected, strict=True):
            assert got.amount == want.amount and type(got.amount) is type(want.amount)
            assert got.donor == want.donor
            assert got.project.section.name == want.project.section.name
            assert (got.project_title, got.donors) == (want.project_title, want.donors)
            assert got.get_deferred_fields() == {"note"}
    by_slug = PreparedObjects(lambda slug: Theme.objects.filter(slug=slug))
    assert by_slug.objects("trafficking") == [Theme.objects.get(slug="trafficking")]
    assert by_slug.objects("nothing") == []


def test_prepared_objects_refuse_what_they_cannot_give():
    from projects.prepared import PreparedObjects

    twice = PreparedObjects(lambda pk: Theme.objects.filter(projects=pk).filter(projects=pk))
    with pytest.raises(ValueError, match="once"):
        twice.objects(1)
    prefetching = PreparedObjects(
        lambda pk: Theme.objects.filter(projects=pk).prefetch_related("projects")
    )
    with pytest.raises(ValueError, match="plain model instances"):
        prefetching.objects(1)


def test_prepared_objects_in_a_list_of_values_compile_once_per_length():
    from projects.prepared import PreparedObjects

    countries = PreparedObjects(
        lambda iso3s: Country.objects.filter(iso3__in=iso3s).order_by("name"), many=True
    )
    for chosen in (["KEN"], ["NGA", "KEN"], ["BRA", "FRA"], ["FRA"], []):
        expected = list(Country.objects.filter(iso3__in=chosen).order_by("name"))
        assert countries.objects_in(chosen) == expected
    assert countries.objects_in(["KEN", "KEN", "XXX"]) == [Country.objects.get(iso3="KEN")]


def test_compiled_queries_read_the_data_as_it_is_now(django_assert_num_queries):
    from projects.models import Project
    from projects.prepared import CompiledQueries

    first = factories.project(budget="100")
    compiled = CompiledQueries(Project)

    def build():
        return Project.objects.filter(budget__gte=50).order_by("pk")

    assert compiled.objects("budget>=50", build) == [first]
    second = factories.project(budget="70")
    with django_assert_num_queries(1):
        assert compiled.objects("budget>=50", lambda: pytest.fail("compiled again")) == [
            first,
            second,
        ]
    Project.objects.filter(pk=first.pk).update(budget=10)
    assert compiled.objects("budget>=50", build) == [second]
