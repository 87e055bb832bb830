"""The project list's FilterSet: each filter, sorting and facet counts under combined filters."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from projects.filters import ProjectFilter
from projects.models import Region
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    africa = factories.section("Africa", order=1)
    asia = factories.section("Asia", order=2)
    east_africa = factories.subregion(africa, "East Africa")
    south_asia = factories.subregion(asia, "South Asia")
    norway, sweden = factories.donor("Norway"), factories.donor("Sweden")
    kenya = factories.project(
        "Kenya victims support",
        budget="1000",
        pledges=((norway, "1000"),),
        countries=("KEN", "ETH"),
        section=africa,
        subregion=east_africa,
    )
    ethiopia = factories.project(
        "Ethiopia border training",
        budget="2000",
        pledges=((sweden, "500"),),
        countries=("ETH",),
        section=africa,
        subregion=east_africa,
        theme="smuggling",
    )
    nepal = factories.project(
        "Nepal data collection",
        budget="5000",
        countries=("NPL",),
        section=asia,
        subregion=south_asia,
        code="NPLT12",
    )
    toolkit = factories.project(
        "Global toolkit",
        budget=None,
        pledges=((norway, "100"),),
        section=asia,
        description="<p>A <strong>manual</strong> for prosecutors</p>",
    )
    factories.project("Example: shelters", budget="300", section=africa, parent=kenya)
    factories.project("Hidden", budget="9", section=africa, countries=("KEN",), published=False)
    ana = factories.focal_point(kenya).focal_point
    factories.focal_point(nepal).focal_point.roles.all().update(focal_point=ana)
    factories.data_issue(ethiopia, message="Shortfall printed as 1,400")
    return {
        "kenya": kenya,
        "ethiopia": ethiopia,
        "nepal": nepal,
        "toolkit": toolkit,
        "ana": ana,
        "regions": (africa, asia, east_africa, south_asia),
    }


def titles(query: str) -> list[str]:
    return [p.title for p in ProjectFilter(QueryDict(query)).qs]


def facet(filterset: ProjectFilter, name: str) -> dict[str, int]:
    by_name = {f.name: f for f in filterset.facets()}
    return {option.value: option.count for option in by_name[name].options}


def test_lists_published_programmes_only_by_largest_shortfall_first(catalogue):
    assert titles("") == [
        "Nepal data collection",
        "Ethiopia border training",
        "Kenya victims support",
        "Global toolkit",  # no budget: no shortfall, last
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=kenya", {"Kenya victims support"}),
        ("q=NORWAY", {"Kenya victims support", "Global toolkit"}),
        ("q=ethiopia", {"Kenya victims support", "Ethiopia border training"}),
        ("q=nplt", {"Nepal data collection"}),
        ("q=prosecutors", {"Global toolkit"}),
        ("q=shelters", {"Kenya victims support"}),
        ("q=kenya+support", {"Kenya victims support"}),
        ("q=kenya+nepal", set()),
        ("section=africa", {"Kenya victims support", "Ethiopia border training"}),
        ("subregion=asia-south-asia", {"Nepal data collection"}),
        ("country=ETH", {"Kenya victims support", "Ethiopia border training"}),
        ("country=eth", {"Kenya victims support", "Ethiopia border training"}),
        ("country=KEN", {"Kenya victims support"}),
        ("theme=smuggling", {"Ethiopia border training"}),
        ("status=funded", {"Kenya victims support"}),
        ("status=partly", {"Ethiopia border training"}),
        ("status=unfunded", {"Nepal data collection"}),
        ("status=unknown", {"Global toolkit"}),
        ("donor=norway", {"Kenya victims support", "Global toolkit"}),
        ("donor=sweden", {"Ethiopia border training"}),
        ("min_shortfall=1500", {"Ethiopia border training", "Nepal data collection"}),
        ("max_shortfall=1500", {"Kenya victims support", "Ethiopia border training"}),
        ("min_shortfall=1000&max_shortfall=2000", {"Ethiopia border training"}),
        ("has_issue=yes", {"Ethiopia border training"}),
        ("has_issue=no", {"Kenya victims support", "Nepal data collection", "Global toolkit"}),
        ("section=nowhere", set()),
    ],
)
def test_each_filter(catalogue, query, expected):
    assert set(titles(query)) == expected


def test_focal_point_filter(catalogue):
    assert set(titles(f"focal_point={catalogue['ana'].pk}")) == {
        "Kenya victims support",
        "Nepal data collection",
    }


def test_invalid_values_are_ignored_not_errors(catalogue):
    filterset = ProjectFilter(QueryDict("status=bogus&min_shortfall=lots&sort=random"))
    assert len(filterset.qs) == 4
    assert "min_shortfall" in filterset.errors
    assert filterset.active_filters == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-shortfall", ["Nepal", "Ethiopia", "Kenya", "Global"]),
        ("shortfall", ["Kenya", "Ethiopia", "Nepal", "Global"]),
        ("-budget", ["Nepal", "Ethiopia", "Kenya", "Global"]),
        ("budget", ["Kenya", "Ethiopia", "Nepal", "Global"]),
        ("percent_funded", ["Nepal", "Ethiopia", "Kenya", "Global"]),
        ("-percent_funded", ["Kenya", "Ethiopia", "Nepal", "Global"]),
        ("title", ["Ethiopia", "Global", "Kenya", "Nepal"]),
    ],
)
def test_sorting(catalogue, sort, expected):
    assert [t.split()[0] for t in titles(f"sort={sort}")] == expected


def test_facet_counts_without_filters_count_every_programme(catalogue):
    filterset = ProjectFilter(QueryDict(""))
    assert facet(filterset, "section") == {"africa": 2, "asia": 2}
    assert facet(filterset, "country") == {"ETH": 2, "KEN": 1, "NPL": 1}
    assert facet(filterset, "status") == {"unfunded": 1, "partly": 1, "funded": 1, "unknown": 1}
    assert facet(filterset, "theme") == {"trafficking": 3, "smuggling": 1}
    assert facet(filterset, "donor") == {"norway": 2, "sweden": 1}
    assert facet(filterset, "focal_point") == {str(catalogue["ana"].pk): 2}
    assert facet(filterset, "has_issue") == {"yes": 1, "no": 3}


def test_facet_counts_apply_the_other_filters_but_not_their_own(catalogue):
    filterset = ProjectFilter(QueryDict("country=ETH&status=partly"))
    assert [p.title for p in filterset.qs] == ["Ethiopia border training"]
    # Country: what each country would give with status=partly kept.
    assert facet(filterset, "country") == {"ETH": 1}
    # Status: what each status would give with country=ETH kept.
    assert facet(filterset, "status") == {"unfunded": 0, "partly": 1, "funded": 1, "unknown": 0}
    # Other facets: both filters applied.
    assert facet(filterset, "section") == {"africa": 1}  # options with no project are left out
    assert facet(filterset, "donor") == {"sweden": 1}
    assert facet(filterset, "has_issue") == {"yes": 1, "no": 0}
    assert facet(filterset, "theme") == {"smuggling": 1}  # options with no project left out


def test_selected_option_with_no_match_stays_listed_with_zero(catalogue):
    filterset = ProjectFilter(QueryDict("country=NPL&donor=sweden"))
    assert list(filterset.qs) == []
    countries = {f.name: f for f in filterset.facets()}["country"].options
    nepal = next(o for o in countries if o.value == "NPL")
    assert (nepal.count, nepal.selected) == (0, True)


def test_subregion_facet_follows_the_section(catalogue):
    filterset = ProjectFilter(QueryDict("section=asia"))
    assert facet(filterset, "subregion") == {"asia-south-asia": 1}
    assert Region.objects.filter(kind="subregion").count() == 2


def test_chips_name_each_active_filter_and_the_query_without_it(catalogue):
    filterset = ProjectFilter(QueryDict("country=ETH&min_shortfall=1000.50&sort=title&page=2"))
    chips = filterset.chips(filterset.facets())
    assert [(c.label, c.value) for c in chips] == [
        ("Country", "Ethiopia"),
        ("Shortfall at least", "US$\u00a01,000.50"),
    ]
    assert QueryDict(chips[0].remove_query).dict() == {"min_shortfall": "1000.50", "sort": "title"}


def test_value_is_what_goes_back_in_the_url(catalogue):
    filterset = ProjectFilter(QueryDict("min_shortfall=1000.00&country=ken"))
    assert filterset.value("min_shortfall") == "1000"
    assert filterset.values("country") == ["KEN"]
    assert Decimal(filterset.value("min_shortfall")) == Decimal("1000")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # OR within a facet
        ("country=KEN&country=NPL", {"Kenya victims support", "Nepal data collection"}),
        ("section=africa&section=asia", {"Kenya", "Ethiopia", "Nepal", "Global"}),
        ("status=funded&status=unfunded", {"Kenya victims support", "Nepal data collection"}),
        ("donor=norway&donor=sweden", {"Kenya", "Ethiopia", "Global"}),
        # AND across facets
        ("country=KEN&country=NPL&section=asia", {"Nepal data collection"}),
        ("country=ETH&donor=sweden&donor=norway&status=partly", {"Ethiopia border training"}),
        # an empty value is no value; a repeated one counts once
        ("country=&country=eth&country=ETH", {"Kenya", "Ethiopia"}),
    ],
)
def test_facets_take_several_values(catalogue, query, expected):
    found = set(titles(query))
    assert {t.split()[0] for t in found} == {t.split()[0] for t in expected}


def test_focal_point_filter_takes_several_people(catalogue):
    other = factories.focal_point(catalogue["ethiopia"]).focal_point
    query = f"focal_point={catalogue['ana'].pk}&focal_point={other.pk}"
    assert {t.split()[0] for t in titles(query)} == {"Kenya", "Nepal", "Ethiopia"}


def test_a_project_about_both_themes_is_found_under_each(catalogue):
    both = factories.project(
        "Sahel route", budget="10", section=catalogue["regions"][0], theme="both"
    )
    assert set(both.themes.values_list("slug", flat=True)) == {"trafficking", "smuggling"}
    assert set(titles("theme=smuggling")) == {"Ethiopia border training", "Sahel route"}
    assert "Sahel route" in titles("theme=trafficking")
    assert titles("theme=smuggling&theme=trafficking").count("Sahel route") == 1
    filterset = ProjectFilter(QueryDict(""))
    assert facet(filterset, "theme") == {"trafficking": 4, "smuggling": 2}


def test_selected_values_are_marked_and_counts_ignore_their_own_facet(catalogue):
    filterset = ProjectFilter(QueryDict("country=KEN&country=NPL"))
    countries = {o.value: o for o in {f.name: f for f in filterset.facets()}["country"].options}
    assert {v for v, o in countries.items() if o.selected} == {"KEN", "NPL"}
    assert {v: o.count for v, o in countries.items()} == {"ETH": 2, "KEN": 1, "NPL": 1}
    assert facet(filterset, "section") == {"africa": 1, "asia": 1}


def test_options_are_sorted_by_name_and_subregions_grouped_under_their_section(catalogue):
    africa = catalogue["regions"][0]
    west = factories.subregion(africa, "West Africa")
    factories.subregion(africa, "Central Africa")
    factories.project("Senegal", section=africa, subregion=west, countries=("SEN", "MLI"))
    facets = {f.name: f for f in ProjectFilter(QueryDict("")).facets()}
    countries = [o.label for o in facets["country"].options]
    assert countries == sorted(countries)
    assert [(o.group, o.label) for o in facets["subregion"].options] == [
        ("Africa", "East Africa"),
        ("Africa", "West Africa"),
        ("Asia", "South Asia"),
    ]
    assert [o.label for o in facets["section"].options] == ["Africa", "Asia"]


def test_query_items_are_the_canonical_filters(catalogue):
    filterset = ProjectFilter(QueryDict("country=npl&country=KEN&status=bogus&sort=title&q=x"))
    assert filterset.query_items(sort=False) == [("q", "x"), ("country", "KEN"), ("country", "NPL")]
    assert filterset.query_items()[-1] == ("sort", "title")


def test_one_chip_per_value_removes_only_that_value(catalogue):
    filterset = ProjectFilter(QueryDict("country=KEN&country=npl&section=asia&page=3"))
    chips = filterset.chips(filterset.facets())
    assert [(c.label, c.value) for c in chips] == [
        ("Section", "Asia"),
        ("Country", "Kenya"),
        ("Country", "Nepal"),
    ]
    nepal_removed = QueryDict(chips[2].remove_query)
    assert nepal_removed.getlist("country") == ["KEN"] and "page" not in nepal_removed


def test_an_invalid_value_in_a_facet_is_an_error_the_page_ignores(catalogue):
    filterset = ProjectFilter(QueryDict("status=funded&status=bogus&focal_point=x"))
    assert "status" in filterset.errors and "focal_point" in filterset.errors
    assert len(filterset.qs) == 4


def test_the_form_class_is_built_once_and_speaks_the_pages_language():
    from django.utils import translation

    from projects.filters import ProjectFilter

    first, second = ProjectFilter({"status": "partly"}), ProjectFilter({})
    assert type(first.form) is type(second.form)
    # Every filter has its label: none is worked out (and frozen) in one request's language.
    assert all(name in first.declared_filters and f.label for name, f in first.filters.items())
    with translation.override("fr"):
        assert str(ProjectFilter({}).form["status"].label) == "État du financement"
    with translation.override("es"):
        assert str(ProjectFilter({}).form["status"].label) == "Situación de la financiación"
    assert first.is_valid() and first.form.cleaned_data["status"] == ["partly"]
    assert second.is_valid() and second.form.cleaned_data["status"] == []


def test_each_filter_set_has_filters_of_its_own_calling_it():
    # Filters are copied shallowly for each filter set (CopiedShallowly): none is shared, and
    # a filter's method is the method of the filter set it belongs to.
    first, second = ProjectFilter(QueryDict("q=water")), ProjectFilter(QueryDict(""))
    for name in ProjectFilter.base_filters:
        mine, theirs = first.filters[name], second.filters[name]
        assert mine is not theirs
        assert (mine.parent, theirs.parent) == (first, second)
        if mine.method is not None:
            assert mine.filter.method.__self__ is first
            assert theirs.filter.method.__self__ is second
