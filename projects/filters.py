"""The project list's filters and the facet counts shown beside each option.

A facet's counts come from the filtered projects minus that facet's own filter, so each
option says how many projects choosing it would give with the other filters kept. Every
facet's options, the list's totals and its map come from one query (projects/facet_counts.py),
cached per filter set; an unknown value filters to nothing. Facets take several values
(`?country=SEN&country=MLI`): OR within a facet, AND across.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.tasks import task
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from projects.data_version import data_version
from projects.facet_counts import FACETS, KEPT_AS, FacetCounts, count_facets
from projects.models import (
    FundingStatus,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
    theme_label,
)
from projects.numbers import AmountField, IntegerField
from projects.querysets import ProjectQuerySet, funding_totals
from projects.templatetags.figures import money
from projects.un_names import un_name

logger = logging.getLogger("portal.cache")

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
    ("-shortfall", _("Largest shortfall first")),
    ("shortfall", _("Smallest shortfall first")),
    ("-budget", _("Largest budget first")),
    ("budget", _("Smallest budget first")),
    ("percent_funded", _("Least funded first")),
    ("-percent_funded", _("Best funded first")),
    ("title", _("Title A–Z")),
]
DEFAULT_SORT = "-shortfall"
HAS_ISSUE_CHOICES = [("yes", _("With data issues")), ("no", _("Without data issues"))]


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
    findable: bool = False  # long: a few options shown, the others found by name
    find: str = ""  # the name asked for
    hidden: int = 0  # options with projects not shown

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)

    @property
    def open(self) -> bool:
        """Unfolded when chosen from, searched, wrong, or short."""
        return bool(self.selected_count or self.find or self.error or len(self.options) <= 8)

    @property
    def long(self) -> bool:
        """A long list of checkboxes scrolls in a box of its own."""
        return self.multiple and len(self.options) > 12

    @property
    def groups(self) -> list[tuple[str, list[Option]]]:
        """The options in runs of the same group (subregions under their section)."""
        runs: list[tuple[str, list[Option]]] = []
        for option in self.options:
            if not runs or runs[-1][0] != option.group:
                runs.append((option.group, []))
            runs[-1][1].append(option)
        return runs


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
            raise forms.ValidationError(_("Choose at most %(n)s values.") % {"n": self.MAX_VALUES})
        cleaned = []
        for raw in values:
            item = self.item.clean(raw)
            if item not in cleaned:
                cleaned.append(item)
        return cleaned


class CopiedShallowly:
    """A filter that each filter set copies shallowly. django-filter deep-copies every filter
    of a FilterSet class for each filter set made (one per list page), which took a quarter of
    a millisecond of every list page copying what no filter set changes (labels, choices, the
    form field of each value): a filter set sets only its own `model` and `parent` on its
    copies, and a filter with a `method` gets a FilterMethod of its own, calling its own
    filter set."""

    def __deepcopy__(self, memo: dict) -> CopiedShallowly:
        copied = copy.copy(self)
        if self.method is not None:
            copied.method = self.method
        return copied


class ManyFilter(CopiedShallowly, django_filters.Filter):
    """OR within the filter: a project matching any of the values."""

    field_class = ManyValuesField

    def __init__(self, *args, item: forms.Field | None = None, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, item=item, **kwargs)


class AmountFilter(CopiedShallowly, django_filters.NumberFilter):
    """An amount in US$, read by the portal's one rule for numbers (projects/numbers.py)."""

    field_class = AmountField


class SearchFilter(CopiedShallowly, django_filters.CharFilter):
    """Words to look for, as django-filter's CharFilter."""


class OneOfFilter(CopiedShallowly, django_filters.ChoiceFilter):
    """One of the choices, as django-filter's ChoiceFilter."""


@dataclass(frozen=True)
class Chip:
    """An active filter, shown above the results with a link that removes it."""

    label: str
    value: str
    remove_query: str


# The form class of each filter set class (ProjectFilter.get_form_class).
FORM_CLASSES: dict[type, type[forms.Form]] = {}


def projects_to_browse() -> ProjectQuerySet:
    """The published programmes (`programmes()`: no join to a parent they cannot have), with
    their funding figures."""
    return Project.objects.programmes().with_totals()


class ProjectFilter(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label=_("Search"))
    section = ManyFilter(field_name="section__slug", label=_("Section"))
    subregion = ManyFilter(field_name="subregion__slug", label=_("Subregion"))
    country = ManyFilter(
        method="filter_country", item=UpperCaseField(max_length=3), label=_("Country")
    )
    # The UN's geographic regions (M49), such as "Western Africa" or "Africa".
    area = ManyFilter(
        method="filter_area", item=forms.CharField(max_length=60), label=_("UN region")
    )
    theme = ManyFilter(method="filter_theme", item=forms.SlugField(max_length=40), label=_("Theme"))
    status = ManyFilter(
        field_name="funding_status", choices=FundingStatus.choices, label=_("Funding status")
    )
    donor = ManyFilter(method="filter_donor", label=_("Donor"))
    focal_point = ManyFilter(
        method="filter_focal_point", item=IntegerField(), label=_("Focal point")
    )
    min_shortfall = AmountFilter(
        field_name="computed_shortfall", lookup_expr="gte", label=_("Shortfall at least")
    )
    max_shortfall = AmountFilter(
        field_name="computed_shortfall", lookup_expr="lte", label=_("Shortfall at most")
    )
    has_issue = OneOfFilter(
        choices=HAS_ISSUE_CHOICES, method="filter_has_issue", label=_("Data issues")
    )
    sort = OneOfFilter(choices=SORT_CHOICES, method="sort_projects", label=_("Sort by"))

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        chosen = queryset if queryset is not None else Project.objects.all()
        super().__init__(data, chosen, **kwargs)
        if queryset is None:
            self._queryset = None  # projects_to_browse(), built when first filtered

    def get_form_class(self) -> type[forms.Form]:
        """The same form class for every filter set of a class: its fields depend on the
        filters' definitions alone (every label given, lazily translated), and building it
        for each request took half a millisecond of every list page."""
        built = FORM_CLASSES.get(type(self))
        if built is None:
            built = FORM_CLASSES[type(self)] = super().get_form_class()
        return built

    @property
    def queryset(self) -> QuerySet:
        """The projects filtered. A list page whose rows and counts are already compiled or
        cached does not build it."""
        if self._queryset is None:
            self._queryset = projects_to_browse()
        return self._queryset

    @queryset.setter
    def queryset(self, value: QuerySet) -> None:
        self._queryset = value

    def filter_search(self, queryset: ProjectQuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_country(self, queryset: QuerySet, name: str, values: list[str]) -> QuerySet:
        through = Project.countries.through.objects.filter(
            project=OuterRef("pk"), country_id__in=values
        )
        return queryset.filter(Exists(through))

    def filter_area(self, queryset: QuerySet, name: str, values: list[str]) -> QuerySet:
        in_area = Q(country__m49_subregion__in=values) | Q(country__m49_region__in=values)
        through = Project.countries.through.objects.filter(in_area, project=OuterRef("pk"))
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
        known = self.__dict__.setdefault("_values", {})
        if name not in known:
            known[name] = self._values_of(name)
        return list(known[name])

    def _values_of(self, name: str) -> list[str]:
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
        if "_active" not in self.__dict__:
            self.__dict__["_active"] = [
                name for name in self.filters if name != "sort" and self.values(name)
            ]
        return list(self.__dict__["_active"])

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

    def without(self, *facets: str) -> QuerySet:
        """The projects every active filter but `facets` (and the sort) gives."""
        self.errors  # noqa: B018 — validates the form once
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in (*facets, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def ignored(self, name: str) -> str:
        """Why the page ignored the value given for filter `name`; "" when it did not."""
        errors = self.errors.get(name)
        return f"{errors[0]} This filter was ignored." if errors else ""

    def selections(self) -> dict[str, list[str]]:
        """Each facet's selected values (a list, empty when the facet is not active)."""
        return {name: self.values(name) for name in FACETS}

    def facets_and_totals(self) -> tuple[list[Facet], dict, list[dict]]:
        """The facets with their counts, the totals of the filtered projects and their figures
        per country (the map), from one query (projects/facet_counts.py) or the cache."""
        counted = self.counts()
        return self.facets_of(counted), funding_totals(counted.totals), counted.by_country

    def counts(self) -> FacetCounts:
        """Every facet's counts, the totals and the map's figures, through the facet cache;
        read once per filter set."""
        if "_counts" not in self.__dict__:
            self.__dict__["_counts"] = self.cached_counts(self.selections())
        return self.__dict__["_counts"]

    def facets_of(self, counted: FacetCounts) -> list[Facet]:
        """The facets drawn from their counts: each option chosen or not, in the page's
        language, with why a value was ignored."""
        selections = self.selections()

        def options(name: str) -> list[Option]:
            chosen = set(selections[name])
            found = [
                Option(o.value, o.label, o.count, o.value in chosen, o.group)
                for o in counted.options[name]
            ]
            return in_page_language(name, found)

        statuses = {o.value: o.count for o in counted.options["status"]}
        issues = {o.value: o.count for o in counted.options["has_issue"]}
        facets = [
            Facet("section", _("Section"), _("Any section"), options("section")),
            Facet("subregion", _("Subregion"), _("Any subregion"), options("subregion")),
            Facet("country", _("Country"), _("Any country"), options("country")),
            Facet("theme", _("Theme"), _("Any theme"), options("theme")),
            # In the order of the scale (unfunded → funded), not alphabetical.
            Facet(
                "status",
                _("Funding status"),
                _("Any"),
                [
                    Option(value, text, statuses.get(value, 0), value in selections["status"])
                    for value, text in FundingStatus.choices
                ],
            ),
            Facet("donor", _("Donor"), _("Any donor"), options("donor")),
            Facet("focal_point", _("Focal point"), _("Anyone"), options("focal_point")),
            Facet(
                "has_issue",
                _("Data issues"),
                _("Any"),
                [
                    Option(value, text, issues.get(value, 0), value == self.value("has_issue"))
                    for value, text in HAS_ISSUE_CHOICES
                ],
                multiple=False,
            ),
        ]
        return [replace(facet, error=self.ignored(facet.name)) for facet in facets]

    def facets(self) -> list[Facet]:
        return self.facets_of(self.counts())

    def cache_key(self, selections: dict[str, list[str]], version: int) -> str:
        """The filter set, normalised: each facet's values sorted, the other filters as
        cleaned; not the sort or the page, which do not change the counts."""
        chosen = [(name, sorted(set(values))) for name, values in sorted(selections.items())]
        others = [
            (name, sorted(self.values(name)))
            for name in sorted(self.active_filters)
            if name not in FACETS
        ]
        digest = hashlib.sha256(json.dumps([chosen, others]).encode()).hexdigest()
        return f"portal:facets:{KEPT_AS}:{version}:{digest}"

    @property
    def version(self) -> int | None:
        """The data version this page's cached parts are keyed by, read once per filter set;
        None when the cache is off or unavailable."""
        if "_version" not in self.__dict__:
            version = None
            if settings.FACET_CACHE_SECONDS > 0:
                try:
                    version = data_version(cache)
                except Exception:
                    logger.warning("Facet cache unavailable", exc_info=True)
            self.__dict__["_version"] = version
        return self.__dict__["_version"]

    def counts_key(self) -> str | None:
        """The cache key of this filter set's counts; None when the cache is off. Worked out
        once per filter set (the page's cached parts are keyed by it too)."""
        if "_counts_key" not in self.__dict__:
            version = self.version
            key = None if version is None else self.cache_key(self.selections(), version)
            self.__dict__["_counts_key"] = key
        return self.__dict__["_counts_key"]

    def use_counts(self, counted: FacetCounts) -> None:
        """Counts read from the cache under counts_key() (with other parts of the page, in
        one round trip): counts() gives them without reading the cache again."""
        self.__dict__["_counts"] = counted

    def cached_counts(self, selections: dict[str, list[str]]) -> FacetCounts:
        """count_facets() through the shared cache, under the data version: the first
        visitor of a combination pays once, and a change to the data shows at once."""
        narrowed = any(name not in FACETS for name in self.active_filters)

        def count() -> FacetCounts:
            return count_facets(self.without(*FACETS), selections, narrowed=narrowed)

        if self.version is None:
            return count()
        return through_cache(self.cache_key(selections, self.version), count)

    def fragment_key(self, part: str) -> str | None:
        # A long facet's "Find" field changes the panel, not the counts: part names it.
        """The cache key of a part of the page drawn from this filter set's counts alone (the
        facet panel, the map), in the page's language; None when it is not to be cached: the
        cache is off, or a value was refused (its message shows in the panel)."""
        if self.version is None or self.errors:
            return None
        return f"{self.counts_key()}:{part}:{get_language() or ''}"

    def chips(self, facets: list[Facet]) -> list[Chip]:
        """One chip per active value; its link removes that value and keeps the rest."""
        labels = {option.value: option.label for facet in facets for option in facet.options}
        facet_labels = {facet.name: facet.label for facet in facets}
        amounts = {
            "min_shortfall": _("Shortfall at least"),
            "max_shortfall": _("Shortfall at most"),
        }
        chips = []
        for name in self.active_filters:
            for value in self.values(name):
                if name in amounts:
                    label, shown = amounts[name], money(value)
                elif name == "q":
                    label, shown = _("Search"), value
                else:
                    label = facet_labels.get(name) or self.filters[name].label or name
                    shown = labels.get(value, value)
                query = self.data.copy()
                query.setlist(name, [v for v in query.getlist(name) if not same(name, v, value)])
                query.pop("page", None)
                chips.append(Chip(label, shown, query.urlencode()))
        return chips


# Countries and focal points: hundreds in a large portfolio. Their facets list the options with
# the most projects in the results, the chosen ones and those whose name (or code) matches what
# is typed in the facet's "Find" field (a plain form field: it works without JavaScript).
FINDABLE = {"country": "find_country", "focal_point": "find_focal_point"}
FEW = 12


def with_find(facet: Facet, find: str) -> Facet:
    """`facet` shortened to its FEW options with the most projects (ties by name), the chosen
    ones and those whose label contains `find` (any case, any accents), in the facet's order."""
    find = " ".join(find.split())[:100]
    wanted = strxfrm_key(find)
    if wanted:
        shown = {
            o.value
            for o in facet.options
            if o.selected or wanted in strxfrm_key(o.label) or wanted == o.value.casefold()
        }
    else:
        ranked = sorted(facet.options, key=lambda o: (-o.count, strxfrm_key(o.label)))
        shown = {o.value for o in ranked[:FEW]} | {o.value for o in facet.options if o.selected}
    options = [o for o in facet.options if o.value in shown]
    hidden = sum(1 for o in facet.options if o.value not in shown and o.count)
    return replace(facet, options=options, findable=True, find=find, hidden=hidden)


def findable_facets(facets: list[Facet], query) -> list[Facet]:
    """The facets as the panel shows them: long ones shortened (FINDABLE), `query` the page's
    query string."""
    return [
        with_find(facet, query.get(FINDABLE[facet.name], "")) if facet.name in FINDABLE else facet
        for facet in facets
    ]


def cached_many(keys: list[str | None]) -> dict[str, object]:
    """What the shared cache holds under these keys (None ones skipped), in one round trip;
    nothing when it cannot be reached."""
    wanted = [key for key in keys if key is not None]
    if not wanted:
        return {}
    try:
        return cache.get_many(wanted)
    except Exception:
        logger.warning("Facet cache unavailable", exc_info=True)
        return {}


def keep(key: str, value: object) -> None:
    """`value` in the shared cache under `key` for FACET_CACHE_SECONDS, if it can be reached."""
    try:
        cache.set(key, value, settings.FACET_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not store %s in the cache", key, exc_info=True)


def through_cache[T](key: str, compute: Callable[[], T]) -> T:
    """`compute()` kept in the shared cache under `key` for FACET_CACHE_SECONDS; computed
    without the cache when it cannot be reached."""
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("Facet cache unavailable", exc_info=True)
        return compute()
    if found is None:
        found = compute()
        keep(key, found)
    return found


def in_page_language(facet: str, options: list[Option]) -> list[Option]:
    """Countries by their UN name and themes by their name in the page's language, countries
    sorted by the name shown (the counts come from the database in English)."""
    language = (get_language() or "en")[:2]
    if facet == "theme":
        return [replace(o, label=theme_label(o.value, o.label)) for o in options]
    if facet != "country" or language == "en":
        return options
    named = [replace(o, label=un_name(o.value, language) or o.label) for o in options]
    return sorted(named, key=lambda o: strxfrm_key(o.label))


def strxfrm_key(text: str) -> str:
    """Accents after their letter: "Égypte" sorts beside "Egypte", not after "Zambie"."""
    return folded(str(text))


@functools.lru_cache(maxsize=4096)
def folded(text: str) -> str:
    """`text` in lower case without its accents. Kept per label: a list request ranks
    hundreds of country and focal point names (with_find), the same ones every time, and
    folding them took a twentieth of the request's Python time at 10,000 programmes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def same(name: str, raw: str, cleaned: str) -> bool:
    """A raw URL value is the cleaned one (country codes are read in any case)."""
    return raw.strip().upper() == cleaned if name == "country" else raw.strip() == cleaned


@task
def warm_facet_cache(version: int) -> int:
    """After a data change: count the facets of the unfiltered list and of each section, so
    the pages most visitors open never pay a cold count. Skipped when the data moved on
    again meanwhile (a later task warms that version). Returns the panels counted."""
    if settings.FACET_CACHE_SECONDS <= 0 or data_version(cache) != version:
        return 0
    sections = Region.objects.filter(kind=Region.Kind.SECTION).order_by("order", "name")
    filter_sets = [{}, *({"section": slug} for slug in sections.values_list("slug", flat=True))]
    for data in filter_sets:
        ProjectFilter(data).counts()  # counted and cached; the facets are not drawn
    return len(filter_sets)
