"""The project list's filters and the facet counts shown beside each option.

A facet's counts come from the filtered projects minus that facet's own filter, so each
option says how many projects choosing it would give with the other filters kept.
Options are read with one GROUP BY query per facet; an unknown value filters to nothing.
Facets take several values (`?country=SEN&country=MLI`): OR within a facet, AND across.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from donors.models import Donor
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
from projects.numbers import AmountField, IntegerField
from projects.querysets import ProjectQuerySet
from projects.templatetags.figures import money

SORTS = {
    "-shortfall": (F("computed_shortfall").desc(nulls_last=True),),
    "shortfall": (F("computed_shortfall").asc(nulls_last=True),),
    "-budget": (F("budget").desc(nulls_last=True),),
    "budget": (F("budget").asc(nulls_last=True),),
    "percent_funded": (F("percent_funded").asc(nulls_last=True),),
    "-percent_funded": (F("percent_funded").desc(nulls_last=True),),
    "title": (),
}
SORT_CHOICES = [
    ("-shortfall", "Largest shortfall first"),
    ("shortfall", "Smallest shortfall first"),
    ("-budget", "Largest budget first"),
    ("budget", "Smallest budget first"),
    ("percent_funded", "Least funded first"),
    ("-percent_funded", "Best funded first"),
    ("title", "Title A–Z"),
]
DEFAULT_SORT = "-shortfall"
HAS_ISSUE_CHOICES = [("yes", "With data issues"), ("no", "Without data issues")]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool
    group: str = ""  # subregions: the section they are listed under


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    any_label: str
    options: list[Option]
    multiple: bool = True
    error: str = ""  # why the value asked for was ignored

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)


class UpperCaseField(forms.CharField):
    def to_python(self, value: str | None) -> str:
        return super().to_python(value).upper()


class ManyValuesField(forms.Field):
    """Repeated parameters (`?country=SEN&country=MLI`), each cleaned by `item`; empty ones
    dropped, duplicates kept once. One invalid value makes the whole filter invalid."""

    widget = forms.SelectMultiple
    MAX_VALUES = 100

    def __init__(self, *, item: forms.Field | None = None, choices=None, **kwargs):
        if choices is not None:
            item = forms.ChoiceField(choices=choices)
        self.item = item or forms.CharField(max_length=200)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value) -> list:
        if isinstance(value, str | int):  # a plain dict of filters, not a QueryDict
            value = [value]
        values = [v for v in (value or []) if str(v).strip()]
        if len(values) > self.MAX_VALUES:
            raise forms.ValidationError(f"Choose at most {self.MAX_VALUES} values.")
        cleaned = []
        for raw in values:
            item = self.item.clean(raw)
            if item not in cleaned:
                cleaned.append(item)
        return cleaned


class ManyFilter(django_filters.Filter):
    """OR within the filter: a project matching any of the values."""

    field_class = ManyValuesField

    def __init__(self, *args, item: forms.Field | None = None, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, item=item, **kwargs)


class AmountFilter(django_filters.NumberFilter):
    """An amount in US$, read by the portal's one rule for numbers (projects/numbers.py)."""

    field_class = AmountField


@dataclass(frozen=True)
class Chip:
    """An active filter, shown above the results with a link that removes it."""

    label: str
    value: str
    remove_query: str


def projects_to_browse() -> ProjectQuerySet:
    return Project.objects.published().top_level().with_totals()


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    section = ManyFilter(field_name="section__slug")
    subregion = ManyFilter(field_name="subregion__slug")
    country = ManyFilter(method="filter_country", item=UpperCaseField(max_length=3))
    theme = ManyFilter(method="filter_theme", item=forms.SlugField(max_length=40))
    status = ManyFilter(field_name="funding_status", choices=FundingStatus.choices)
    donor = ManyFilter(method="filter_donor")
    focal_point = ManyFilter(method="filter_focal_point", item=IntegerField())
    min_shortfall = AmountFilter(field_name="computed_shortfall", lookup_expr="gte")
    max_shortfall = AmountFilter(field_name="computed_shortfall", lookup_expr="lte")
    has_issue = django_filters.ChoiceFilter(choices=HAS_ISSUE_CHOICES, method="filter_has_issue")
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="sort_projects")

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset if queryset is not None else projects_to_browse(), **kwargs)

    def filter_search(self, queryset: ProjectQuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_country(self, queryset: QuerySet, name: str, values: list[str]) -> QuerySet:
        through = Project.countries.through.objects.filter(
            project=OuterRef("pk"), country_id__in=values
        )
        return queryset.filter(Exists(through))

    def filter_theme(self, queryset: QuerySet, name: str, values: list[str]) -> QuerySet:
        through = Project.themes.through.objects.filter(project=OuterRef("pk"), theme_id__in=values)
        return queryset.filter(Exists(through))

    def filter_donor(self, queryset: QuerySet, name: str, values: list[str]) -> QuerySet:
        return queryset.filter(
            Exists(Pledge.objects.filter(project=OuterRef("pk"), donor__slug__in=values))
        )

    def filter_focal_point(self, queryset: QuerySet, name: str, values: list[int]) -> QuerySet:
        roles = ProjectFocalPoint.objects.filter(project=OuterRef("pk"), focal_point_id__in=values)
        return queryset.filter(Exists(roles))

    def filter_has_issue(self, queryset: ProjectQuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_data_issues(present=value == "yes")

    def sort_projects(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, in filter_queryset, so that it always applies

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*SORTS[self.sort_order], "title", "pk")

    @property
    def sort_order(self) -> str:
        return self.value("sort") or DEFAULT_SORT

    def values(self, name: str) -> list[str]:
        """The valid, cleaned values of a filter as they go in a URL; [] when not active."""
        self.errors  # noqa: B018 — validates the form once
        value = self.form.cleaned_data.get(name)
        if value in (None, "", []):
            return []
        if isinstance(value, Decimal):
            return [f"{value.normalize():f}"]
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)]

    def value(self, name: str) -> str:
        """A single-valued filter's value as it goes in a URL; "" when not active."""
        values = self.values(name)
        return values[0] if values else ""

    @property
    def active_filters(self) -> list[str]:
        return [name for name in self.filters if name != "sort" and self.values(name)]

    def query_items(self, *, sort: bool = True) -> list[tuple[str, str]]:
        """The filters as the page applied them, in a stable order: an invalid value it
        ignored is not passed on; each facet's values sorted (the canonical URL)."""
        items = []
        for name in self.active_filters:
            values = self.values(name)
            if isinstance(self.filters[name], ManyFilter):
                values = sorted(values)
            items += [(name, value) for value in values]
        if sort and self.value("sort"):
            items.append(("sort", self.value("sort")))
        return items

    def without(self, facet: str) -> QuerySet:
        """The projects every active filter but `facet` (and the sort) gives."""
        self.errors  # noqa: B018 — validates the form once
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in (facet, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def ignored(self, name: str) -> str:
        """Why the page ignored the value given for filter `name`; "" when it did not."""
        errors = self.errors.get(name)
        return f"{errors[0]} This filter was ignored." if errors else ""

    def facets(self) -> list[Facet]:
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

    def chips(self, facets: list[Facet]) -> list[Chip]:
        """One chip per active value; its link removes that value and keeps the rest."""
        labels = {option.value: option.label for facet in facets for option in facet.options}
        facet_labels = {facet.name: facet.label for facet in facets}
        amounts = {"min_shortfall": "Shortfall at least", "max_shortfall": "Shortfall at most"}
        chips = []
        for name in self.active_filters:
            for value in self.values(name):
                if name in amounts:
                    label, shown = amounts[name], money(value)
                elif name == "q":
                    label, shown = "Search", value
                else:
                    label, shown = facet_labels.get(name, name), labels.get(value, value)
                query = self.data.copy()
                query.setlist(name, [v for v in query.getlist(name) if not same(name, v, value)])
                query.pop("page", None)
                chips.append(Chip(label, shown, query.urlencode()))
        return chips

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


def same(name: str, raw: str, cleaned: str) -> bool:
    """A raw URL value is the cleaned one (country codes are read in any case)."""
    return raw.strip().upper() == cleaned if name == "country" else raw.strip() == cleaned
