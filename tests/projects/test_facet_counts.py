"""The facet counts and totals from one statement give the very page the per-facet queries gave.

`ReferenceFilter` keeps the list's facets as they were computed before projects/facet_counts.py:
one GROUP BY query per facet over the filtered ids, and the totals from `summary()`. Each filter
combination below is rendered both ways and the HTML must be byte for byte the same, both when
the page draws its facet panel and map afresh and when it takes them from the cache.
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donors.models import Donor
from projects import views
from projects.facet_counts import FacetCounts
from projects.filters import HAS_ISSUE_CHOICES, Facet, Option, ProjectFilter
from projects.models import (
    Country,
    FocalPoint,
    FundingStatus,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
    Theme,
)
from tests import factories

pytestmark = pytest.mark.django_db


class ReferenceFilter(ProjectFilter):
    """The facets as computed before: a query per facet, and the totals and map apart."""

    def facets_and_totals(self):
        return self.reference_facets(), self.qs.summary(), self.qs.funding_by_country()

    def counts(self) -> FacetCounts:
        """The totals and the map as the list computed them apart (the options are drawn by
        facets_of() below, from a query per facet)."""
        return FacetCounts({}, self.qs.summary(), list(self.qs.funding_by_country()))

    def facets_of(self, counted: FacetCounts) -> list[Facet]:
        return self.reference_facets()

    def reference_facets(self) -> list[Facet]:
        facets = [
            self.section_facet(),
            self.subregion_facet(),
            self.country_facet(),
            self.theme_facet(),
            self.status_facet(),
            self.donor_facet(),
            self.focal_point_facet(),
            self.issue_facet(),
        ]
        return [replace(facet, error=self.ignored(facet.name)) for facet in facets]

    def matching_ids(self, facet: str) -> QuerySet:
        return self.without(facet).order_by().values("pk")

    def dimension_options(self, facet: str, rows: QuerySet, count_path: str) -> list[Option]:
        """Options from a table of choices: those with projects, and the selected ones."""
        selected = set(self.values(facet))
        in_results = Q(**{f"{count_path}__in": self.matching_ids(facet)})
        shown = Q(n__gt=0) | Q(option_value__in=selected) if selected else Q(n__gt=0)
        if "option_group" not in rows.query.annotations:
            rows = rows.annotate(option_group=Value(""))
        counted = rows.annotate(n=Count(count_path, filter=in_results, distinct=True)).filter(shown)
        return [
            Option(str(value), label, n, str(value) in selected, group)
            for value, label, group, n in counted.values_list(
                "option_value", "option_label", "option_group", "n"
            )
        ]

    def section_facet(self) -> Facet:
        rows = Region.objects.filter(kind=Region.Kind.SECTION).annotate(
            option_value=F("slug"), option_label=F("name")
        )
        options = self.dimension_options("section", rows.order_by("name"), "section_projects")
        return Facet("section", "Section", "Any section", options)

    def subregion_facet(self) -> Facet:
        """Subregions grouped under their section, both in alphabetical order."""
        rows = Region.objects.filter(kind=Region.Kind.SUBREGION).annotate(
            option_value=F("slug"),
            option_label=F("name"),
            option_group=Coalesce(F("parent__name"), Value("")),
        )
        options = self.dimension_options(
            "subregion", rows.order_by("option_group", "name"), "subregion_projects"
        )
        return Facet("subregion", "Subregion", "Any subregion", options)

    def country_facet(self) -> Facet:
        rows = Country.objects.annotate(option_value=F("iso3"), option_label=F("name"))
        options = self.dimension_options("country", rows.order_by("name"), "projects")
        return Facet("country", "Country", "Any country", options)

    def theme_facet(self) -> Facet:
        rows = Theme.objects.annotate(option_value=F("slug"), option_label=F("name"))
        options = self.dimension_options("theme", rows.order_by("name"), "projects")
        return Facet("theme", "Theme", "Any theme", options)

    def donor_facet(self) -> Facet:
        rows = Donor.objects.annotate(option_value=F("slug"), option_label=F("name"))
        options = self.dimension_options("donor", rows.order_by("name"), "pledges__project")
        return Facet("donor", "Donor", "Any donor", options)

    def focal_point_facet(self) -> Facet:
        rows = FocalPoint.objects.annotate(option_value=F("pk"), option_label=F("name"))
        options = self.dimension_options("focal_point", rows.order_by("name"), "roles__project")
        return Facet("focal_point", "Focal point", "Anyone", options)

    def status_facet(self) -> Facet:
        """In the order of the scale (unfunded → funded), not alphabetical."""
        counts = dict(
            self.without("status").order_by().values_list("funding_status").annotate(n=Count("pk"))
        )
        selected = set(self.values("status"))
        options = [
            Option(value, text, counts.get(value, 0), value in selected)
            for value, text in FundingStatus.choices
        ]
        return Facet("status", "Funding status", "Any", options)

    def issue_facet(self) -> Facet:
        from ingest.models import DataIssue

        counts = self.without("has_issue").aggregate(
            yes=Count("pk", filter=Exists(DataIssue.objects.filter(project=OuterRef("pk")))),
            total=Count("pk"),
        )
        selected = self.value("has_issue")
        by_value = {"yes": counts["yes"], "no": counts["total"] - counts["yes"]}
        options = [
            Option(value, text, by_value[value], value == selected)
            for value, text in HAS_ISSUE_CHOICES
        ]
        return Facet("has_issue", "Data issues", "Any", options, multiple=False)


@pytest.fixture
def portfolio():
    programmes = factories.portfolio(60)
    first, second, third = programmes[:3]
    # Two pledges from one donor to one project, a person in both roles of one project.
    Pledge.objects.create(project=first, donor=first.pledges.first().donor, amount=Decimal(5))
    person = FocalPoint.objects.filter(roles__project=second).first()
    ProjectFocalPoint.objects.create(project=second, focal_point=person, role="field")
    # A programme whose budget varies, with a pledge; an unpublished one; a pledge of no donor.
    Project.objects.filter(pk=third.pk).update(budget=None, budget_text="Varies")
    Pledge.objects.create(project=third, donor=None, amount=Decimal("70.25"))
    Project.objects.filter(pk=programmes[4].pk).update(published=False)
    factories.donor("Donor without pledges")
    return programmes


def combinations() -> list[str]:
    programmes = Project.objects.filter(parent__isnull=True, published=True).order_by("pk")
    programme, other = programmes[1], programmes[2]
    donor = Donor.objects.filter(pledges__project=programme).first()
    country, second_country = programme.countries.first(), other.countries.first()
    person = FocalPoint.objects.filter(roles__project=programme).first()
    section, subregion = programme.section.slug, programme.subregion.slug
    return [
        "",
        f"section={section}",
        f"section={section}&section={other.section.slug}&status=partly",
        f"subregion={subregion}&theme=smuggling",
        "theme=trafficking&theme=smuggling&status=partly&status=funded",
        f"country={country.iso3.lower()}&country={second_country.iso3}",
        f"donor={donor.slug}&theme=trafficking&sort=title",
        # A link facet alone: its pairs are made distinct before they are matched.
        f"donor={donor.slug}",
        f"focal_point={person.pk}",
        f"focal_point={person.pk}&has_issue=no",
        "has_issue=yes&status=funded",
        "q=programme 1&min_shortfall=100&max_shortfall=90000",
        f"donor=donor-without-pledges&section={section}",
        "section=no-such-section&status=bogus&focal_point=0",
        "page=2&sort=-budget",
    ]


def test_the_list_page_is_the_same_as_with_a_query_per_facet(
    client, portfolio, monkeypatch, settings
):
    seconds = settings.FACET_CACHE_SECONDS
    assert seconds > 0
    for n, query in enumerate(combinations()):
        url = reverse("project_list") + "?" + query
        # Every third time as htmx asks for it: the results, and the facets out of band.
        headers = {"HX-Request": "true", "HX-Target": "results"} if n % 3 == 2 else {}
        cache.clear()
        new = client.get(url, headers=headers)  # counted, and the panel and map drawn and kept
        with CaptureQueriesContext(connection) as again_queries:
            again = client.get(url, headers=headers)  # counts, panel and map from the cache
        cache.clear()
        # Nothing cached, nothing read from the cache: every part from the reference.
        settings.FACET_CACHE_SECONDS = 0
        with monkeypatch.context() as patch, CaptureQueriesContext(connection) as old_queries:
            patch.setattr(views, "ProjectFilter", ReferenceFilter)
            old = client.get(url, headers=headers)
        # The reference really was the old way: no statement of facet_counts.py ran.
        assert not any("'totals'" in q["sql"] for q in old_queries.captured_queries), query
        settings.FACET_CACHE_SECONDS = seconds
        assert new.status_code == again.status_code == old.status_code == 200
        assert new.context["facets"] == old.context["facets"], query
        assert new.context["totals"] == old.context["totals"], query
        assert type(new.context["totals"]["projects"]) is int, query
        assert new.content.decode() == old.content.decode(), query
        assert again.content.decode() == old.content.decode(), query
        if "bogus" not in query:  # a refused value is shown in the panel, never cached
            assert not any("'totals'" in q["sql"] for q in again_queries.captured_queries)


def test_the_list_page_takes_at_most_four_queries(client, portfolio, django_assert_max_num_queries):
    for query in combinations():
        with django_assert_max_num_queries(4):
            response = client.get(reverse("project_list") + "?" + query)
        assert response.status_code == 200


def test_counts_are_distinct_projects_per_option(client, portfolio):
    facets = {f.name: f for f in ProjectFilter({}).facets()}
    for option in facets["donor"].options:
        expected = (
            Project.objects.programmes()
            .filter(pledges__donor__slug=option.value)
            .distinct()
            .count()
        )
        assert option.count == expected, option
    for option in facets["focal_point"].options:
        expected = (
            Project.objects.programmes()
            .filter(focal_roles__focal_point_id=option.value)
            .distinct()
            .count()
        )
        assert option.count == expected, option
