"""Every facet's counts and the list's totals in one SQL statement.

The projects the list's other filters give (search, shortfall range) are computed once, in a
materialised CTE carrying what the facets group by: section, subregion, theme, funding status,
data issues, and one true/false column per active facet saying whether the project passes it.
Each facet then counts, from that CTE, the projects passing every active facet but its own
("with your other filters kept"): a GROUP BY per facet, joined to its labels, all in one
UNION ALL, with the totals of the projects passing every facet. Facets over a link table
(countries, donors, focal points) count distinct project–value pairs.

What the statement costs is mostly reading the links, so each is read once: the facets of a
project's own columns (section, subregion, status, data issues) count from one grouping of the
CTE (`cells`, a few hundred rows), and the country facet and the map share one pass over the
project–country pairs. On PostgreSQL each programme carries its links as arrays of distinct
values (donor_ids, focal_point_ids, country_ids, theme_ids: migration 0012, kept by triggers on
the link tables), which the CTE reads from the covering index with the other columns, so a link
facet unnests the arrays of the rows passing the other facets instead of joining a link table;
SQLite joins the link tables.

A facet's selection is a list of values: a project passes when it matches any of them (OR
within a facet, AND across facets).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Context, Decimal

from django.db import connections
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL

from donors.models import Donor
from projects.models import (
    Country,
    FocalPoint,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
    Theme,
)

CENTS = Decimal("0.01")
WORK_MEM = "32MB"


@dataclass(frozen=True)
class Counted:
    """One row of the statement: an option of a facet and how many projects it gives."""

    value: str
    label: str
    count: int
    group: str = ""  # subregions: the section they are listed under


# A row of the map, as ProjectQuerySet.funding_by_country() gives it; the amounts among them.
COUNTRY_ROW = (
    "iso3",
    "country_name",
    "budget_sum",
    "pledged_sum",
    "shortfall_sum",
    "project_count",
)
AMOUNTS = {"budget_sum", "pledged_sum", "shortfall_sum"}


class FacetCounts:
    """Every facet's options with their counts (`options`: facet name → its options, in
    display order), the totals (projects, budget, pledged, shortfall, pledged_unbudgeted) and
    the map's rows (`by_country`).

    Kept in the shared cache as plain tuples, amounts as text, pickled apart from the totals,
    and read back only when asked for: a list page whose facet panel and map come from the
    cache reads only the totals. Unpickling 700 options and 250 countries' amounts as objects
    took as long as the rest of that page's Python; even as tuples, 0.2 ms of it, and the
    garbage collector's passes over the thousand tuples as much again."""

    def __init__(
        self,
        options: dict[str, list[Counted]],
        totals: dict[str, Decimal | int],
        by_country: list[dict],
    ) -> None:
        self.totals = totals
        self._options: dict[str, list[Counted]] | None = options
        self._by_country: list[dict] | None = by_country
        self._rows = b""
        self._countries_on_map = len(by_country)

    def _kept_rows(self) -> tuple[dict[str, list[tuple]], list[tuple]]:
        """The options' rows and the map's, as __reduce__ pickled them apart."""
        return pickle.loads(self._rows)  # noqa: S301 — written by __reduce__, in our own cache

    @property
    def options(self) -> dict[str, list[Counted]]:
        if self._options is None:
            option_rows, _ = self._kept_rows()
            self._options = {
                facet: [Counted(*row) for row in rows] for facet, rows in option_rows.items()
            }
        return self._options

    @property
    def by_country(self) -> list[dict]:
        if self._by_country is None:
            _, country_rows = self._kept_rows()
            self._by_country = [
                {
                    key: Decimal(value) if key in AMOUNTS and value is not None else value
                    for key, value in zip(COUNTRY_ROW, row, strict=True)
                }
                for row in country_rows
            ]
        return self._by_country

    @property
    def countries_on_map(self) -> int:
        """How many rows by_country has, without reading them."""
        return self._countries_on_map

    @classmethod
    def from_rows(cls, totals: dict, rows: bytes, countries_on_map: int) -> FacetCounts:
        """As kept in the cache (__reduce__): the options' and the map's rows pickled apart."""
        counted = cls({}, totals, [])
        counted._options, counted._by_country = None, None
        counted._rows, counted._countries_on_map = rows, countries_on_map
        return counted

    def __reduce__(self) -> tuple[Callable[..., FacetCounts], tuple]:
        options = {
            facet: [tuple(getattr(o, name) for name in COUNTED) for o in found]
            for facet, found in self.options.items()
        }
        countries = [
            tuple(
                str(row[key]) if key in AMOUNTS and row[key] is not None else row[key]
                for key in COUNTRY_ROW
            )
            for row in self.by_country
        ]
        rows = pickle.dumps((options, countries), pickle.HIGHEST_PROTOCOL)
        return (FacetCounts.from_rows, (self.totals, rows, len(countries)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FacetCounts):
            return NotImplemented
        return (self.options, self.totals, self.by_country) == (
            other.options,
            other.totals,
            other.by_country,
        )

    def __repr__(self) -> str:
        options = {facet: len(found) for facet, found in self.options.items()}
        countries = len(self.by_country)
        return f"FacetCounts(options={options}, totals={self.totals}, countries={countries})"


# The fields of a Counted, in order, as the cache keeps them.
COUNTED = tuple(field.name for field in fields(Counted))
# How FacetCounts are kept in the cache, part of their key: a deployment that changes it never
# reads what one before wrote.


# Where the options' and the map's rows are kept: pickled apart from the totals.
ROWS_KEPT = "apart"


def kept_as(counted: tuple[str, ...], country_row: tuple[str, ...]) -> str:
    kept = (counted, country_row, sorted(AMOUNTS), ROWS_KEPT)
    return hashlib.sha256(repr(kept).encode()).hexdigest()[:8]


KEPT_AS = kept_as(COUNTED, COUNTRY_ROW)


def condition(facet: str, values: Sequence[str]) -> Q | None:
    """What passing `facet` with any of `values` means, as a condition on a project."""
    # Regions by id (a subquery on the small regions table), without joining every project
    # to its region.
    if facet == "section":
        return Q(section__in=Region.objects.filter(slug__in=values).values("pk"))
    if facet == "subregion":
        return Q(subregion__in=Region.objects.filter(slug__in=values).values("pk"))
    if facet == "country":
        through = Project.countries.through.objects.filter(country_id__in=values)
        return Q(pk__in=through.values("project_id"))
    if facet == "theme":
        themes = Project.themes.through.objects.filter(theme_id__in=values)
        return Q(pk__in=themes.values("project_id"))
    if facet == "status":
        return Q(funding_status__in=values)
    if facet == "donor":
        return Q(pk__in=Pledge.objects.filter(donor__slug__in=values).values("project_id"))
    if facet == "focal_point":
        roles = ProjectFocalPoint.objects.filter(focal_point_id__in=values)
        return Q(pk__in=roles.values("project_id"))
    if facet == "has_issue":
        wanted = {value == "yes" for value in values}
        return Q(has_issue=wanted.pop()) if len(wanted) == 1 else None
    raise ValueError(f"no facet called {facet!r}")


# The link facets' arrays on PostgreSQL's project rows (migration 0012).
ARRAYS = {
    "country": "country_ids",
    "theme": "theme_ids",
    "donor": "donor_ids",
    "focal_point": "focal_point_ids",
}

# The facets over a link table, besides the country facet (which the map shares).
LINK_FACETS = ("theme", "donor", "focal_point")

FACETS = [
    "section",
    "subregion",
    "country",
    "theme",
    "status",
    "donor",
    "focal_point",
    "has_issue",
]


def count_facets(
    projects: QuerySet, selected: Mapping[str, Sequence[str]], *, narrowed: bool = True
) -> FacetCounts:
    """Facet counts and totals for `projects` (the list's non-facet filters applied, with
    totals) under the facet selections `selected` (facet name → values; empty: not active).

    On SQLite, which joins the link tables, `narrowed` is False when `projects` are every
    project the list browses (no filter but the facets is active): the donor and focal-point
    pairs are then made distinct before they are matched to the projects, in the order of the
    link table's index, instead of by hashing every matched pair. PostgreSQL unnests each
    project's arrays of distinct values instead, whatever narrows the projects."""
    from ingest.models import DataIssue

    active = {facet: condition(facet, values) for facet, values in selected.items() if values}
    active = {facet: cond for facet, cond in active.items() if cond is not None}
    passes = {
        f"m_{facet}": ExpressionWrapper(cond, output_field=BooleanField())
        for facet, cond in active.items()
    }
    connection = connections[projects.db]
    quote = connection.ops.quote_name
    arrays = connection.vendor == "postgresql"
    programmes = quote(Project._meta.db_table)

    def where(*but: str) -> str:
        terms = [f"f.m_{facet}" for facet in active if facet not in but]
        return " AND ".join(terms) if terms else "1 = 1"

    carried = {}
    if arrays:
        carried = {
            column: RawSQL(f"{programmes}.{column}", (), output_field=TextField())
            for column in ARRAYS.values()
        }
    filtered = (
        projects.order_by()
        .annotate(has_issue=Exists(DataIssue.objects.filter(project=OuterRef("pk"))))
        .annotate(**passes)
        .annotate(**carried)
        .values(
            "id",
            "section_id",
            "subregion_id",
            "funding_status",
            "has_issue",
            "budget",
            "pledged_total",
            *passes,
            *carried,
        )
    )
    cte_sql, cte_params = filtered.query.sql_with_params()

    # The rows passing a condition, materialised once for every branch reading them: with no
    # link facet active, the totals, the map and the four link facets all read the rows
    # passing every facet (a tenth of the programmes for a section and a status), so they scan
    # those, not every programme five times.
    narrowed_by: dict[str, str] = {}

    def rows_passing(cond: str) -> str:
        """A FROM item (aliased f) of the filtered rows passing `cond`."""
        if cond == "1 = 1":
            return "filtered f"
        name = narrowed_by.setdefault(cond, f"passing_{len(narrowed_by)}")
        return f"{name} f"

    def chosen(facet: str, column: str) -> tuple[str, list]:
        values = list(selected.get(facet) or [])
        if not values:
            return "1 = 0", []
        return f"{column} IN ({', '.join(['%s'] * len(values))})", values

    branches: list[tuple[str, list]] = []
    # Columns: facet number, facet, value, label, group, position, count, then four sums.
    nothing = "NULL, NULL, NULL, NULL"
    number = {facet: i for i, facet in enumerate(["totals", *FACETS, "map"])}
    branches.append(
        (
            f"SELECT {number['totals']}, 'totals', NULL, NULL, '', 0, COUNT(*), SUM(f.budget),"
            " SUM(f.pledged_total) FILTER (WHERE f.budget IS NOT NULL),"
            " SUM(f.budget - f.pledged_total),"
            " SUM(f.pledged_total) FILTER (WHERE f.budget IS NULL)"
            f" FROM {rows_passing(where())}",
            [],
        )
    )
    # The projects by what the facets of their own columns group by, and which facets they
    # pass: each of those facets sums a few hundred of these rows, not every project.
    cells_key = ", ".join(
        [
            "f.section_id",
            "f.subregion_id",
            "f.funding_status",
            "f.has_issue",
            *(f"f.{name}" for name in passes),
        ]
    )
    cells = f"SELECT {cells_key}, COUNT(*) AS n FROM filtered f GROUP BY {cells_key}"
    # Their sums cast back to whole numbers: else the UNION's count column is a decimal.
    cell_count = "CAST(SUM(f.n) AS BIGINT)"
    region = quote(Region._meta.db_table)
    # Sections by name; subregions by name under their section's name.
    for facet, kind, column, group in (
        ("section", Region.Kind.SECTION, "section_id", "''"),
        ("subregion", Region.Kind.SUBREGION, "subregion_id", "COALESCE(p.name, '')"),
    ):
        shown, params = chosen(facet, "r.slug")
        branches.append(
            (
                f"SELECT {number[facet]}, '{facet}', r.slug, r.name, {group}, 0,"
                f" COALESCE(c.n, 0), {nothing}"
                f" FROM {region} r LEFT JOIN {region} p ON p.id = r.parent_id"
                f" LEFT JOIN (SELECT f.{column} AS key, {cell_count} AS n FROM cells f"
                f" WHERE {where(facet)} GROUP BY f.{column}) c ON c.key = r.id"
                f" WHERE r.kind = %s AND (c.n > 0 OR {shown})",
                [kind, *params],
            )
        )
    for facet, column in (("status", "funding_status"), ("has_issue", "has_issue")):
        branches.append(
            (
                f"SELECT {number[facet]}, '{facet}', CAST(f.{column} AS TEXT), NULL, '', 0,"
                f" {cell_count}, {nothing} FROM cells f WHERE {where(facet)} GROUP BY f.{column}",
                [],
            )
        )
    # The country facet and the map from one pass over the project–country pairs: the facet
    # counts the projects passing every other facet, the map sums those passing them all.
    through = quote(Project.countries.through._meta.db_table)
    everything = where()
    sums = (
        f"COUNT(*) AS n, COUNT(*) FILTER (WHERE {everything}) AS map_n,"
        f" SUM(f.budget) FILTER (WHERE {everything}) AS budget,"
        f" SUM(f.pledged_total) FILTER (WHERE f.budget IS NOT NULL AND {everything}) AS pledged,"
        f" SUM(f.budget - f.pledged_total) FILTER (WHERE {everything}) AS shortfall"
    )
    if arrays:
        kept = ", ".join(["f.budget", "f.pledged_total", *(f"f.{name}" for name in passes)])
        countries = (
            f"SELECT f.key, {sums} FROM (SELECT unnest(f.{ARRAYS['country']}) AS key, {kept}"
            f" FROM {rows_passing(where('country'))}) f GROUP BY f.key"
        )
    else:
        countries = (
            f"SELECT l.country_id AS key, {sums} FROM {through} l"
            f" JOIN filtered f ON f.id = l.project_id"
            f" WHERE {where('country')} GROUP BY l.country_id"
        )
    country = quote(Country._meta.db_table)
    shown, params = chosen("country", "CAST(o.iso3 AS TEXT)")
    branches.append(
        (
            f"SELECT {number['country']}, 'country', CAST(o.iso3 AS TEXT), o.name, '', 0,"
            f" COALESCE(c.n, 0), {nothing} FROM {country} o LEFT JOIN countries c"
            f" ON c.key = o.iso3 WHERE c.n > 0 OR {shown}",
            params,
        )
    )
    # Link tables whose project–value pairs are unique need no DISTINCT.
    links = (
        ("theme", Project.themes.through, "theme_id", Theme, "slug", "slug", False),
        ("donor", Pledge, "donor_id", Donor, "id", "slug", True),
        ("focal_point", ProjectFocalPoint, "focal_point_id", FocalPoint, "id", "id", True),
    )
    passing = ["COUNT(*) AS total"]
    for facet, link, key, labels, label_key, value, repeats in links:
        shown, params = chosen(facet, f"CAST(o.{value} AS TEXT)")
        table = quote(link._meta.db_table)
        others = where(facet)
        distinct = "DISTINCT" if repeats else ""
        if arrays:
            # Each project's distinct values, unnested from the rows passing the other facets.
            pairs = f"SELECT unnest(f.{ARRAYS[facet]}) AS key FROM {rows_passing(others)}"
        elif others != "1 = 1":
            # Another facet narrows the projects. Fewer than half of them left: their pairs
            # are looked up by project in the link table's index; more: the whole table is
            # hashed. PostgreSQL, with no statistics on the CTE, cannot choose: the statement
            # chooses when it runs, each way gated by a condition on `passing` (a one-time
            # filter: the way not taken is not run).
            passing.append(f"COUNT(*) FILTER (WHERE {others}) AS {facet}")
            few = f"(SELECT 2 * p.{facet} < p.total FROM passing p)"
            pairs = (
                f"SELECT {distinct} l.project_id, l.{key} AS key FROM {table} l"
                f" WHERE l.{key} IS NOT NULL AND {few}"
                f" AND l.project_id IN (SELECT f.id FROM filtered f WHERE {others})"
                f" UNION ALL SELECT {distinct} l.project_id, l.{key} AS key FROM {table} l"
                f" JOIN filtered f ON f.id = l.project_id"
                f" WHERE l.{key} IS NOT NULL AND NOT {few} AND {others}"
            )
        elif repeats and not narrowed:
            # Every pair of the table, made distinct in its index's order, then matched.
            pairs = (
                f"SELECT pair.project_id, pair.key FROM (SELECT l.project_id, l.{key} AS key"
                f" FROM {table} l WHERE l.{key} IS NOT NULL GROUP BY l.project_id, l.{key})"
                f" pair JOIN filtered f ON f.id = pair.project_id"
            )
        else:
            pairs = (
                f"SELECT {distinct} l.project_id, l.{key} AS key FROM {table} l"
                f" JOIN filtered f ON f.id = l.project_id WHERE l.{key} IS NOT NULL"
            )
        branches.append(
            (
                f"SELECT {number[facet]}, '{facet}', CAST(o.{value} AS TEXT), o.name, '', 0,"
                f" COALESCE(c.n, 0), {nothing} FROM {quote(labels._meta.db_table)} o LEFT JOIN"
                f" (SELECT pair.key, COUNT(*) AS n FROM ({pairs}) pair GROUP BY pair.key) c"
                f" ON c.key = o.{label_key} WHERE c.n > 0 OR {shown}",
                params,
            )
        )
    # The map: budget, pledged and shortfall per country of the projects passing every facet,
    # largest shortfall first (as ProjectQuerySet.funding_by_country()).
    branches.append(
        (
            f"SELECT {number['map']}, 'map', c.key, o.name, '',"
            f" ROW_NUMBER() OVER (ORDER BY c.shortfall DESC NULLS LAST, o.name), c.map_n,"
            f" c.budget, c.pledged, c.shortfall, NULL"
            f" FROM countries c JOIN {country} o ON o.iso3 = c.key WHERE c.map_n > 0",
            [],
        )
    )
    # Where only the cells and the narrowed rows read the filtered programmes, PostgreSQL
    # reads them for each (the narrowed ones through their filters, by index) instead of
    # writing every programme's row, arrays and all, to read it back twice; where branches
    # read them all, they are written once.
    read_whole = not arrays or any(where(facet) == "1 = 1" for facet in ("country", *LINK_FACETS))
    sql = (
        f"WITH filtered AS {'MATERIALIZED' if read_whole else 'NOT MATERIALIZED'} ({cte_sql}),"
        + "".join(
            f" {name} AS MATERIALIZED (SELECT * FROM filtered f WHERE {cond}),"
            for cond, name in narrowed_by.items()
        )
        + f" cells AS MATERIALIZED ({cells}), countries AS MATERIALIZED ({countries}),"
        f" passing AS MATERIALIZED (SELECT {', '.join(passing)} FROM filtered f) "
        + " UNION ALL ".join(branch for branch, _ in branches)
        + " ORDER BY 1, 5, 6, 4"
    )
    params = [*cte_params, *(p for _, branch_params in branches for p in branch_params)]
    if connection.vendor == "postgresql":
        # Room to hash 100,000 projects' links without spilling to disk, no JIT compilation
        # (its estimated cost passes jit_above_cost, but compiling the plan costs more than
        # running it), and the cost of a page read out of order as for data in memory, so
        # the CTE reads the covering index (with its arrays wider than the default cost of
        # random reads lets it be) instead of every row's description: for this statement
        # only, as SET LOCAL ends with the implicit transaction of this one query string
        # (and is safe behind PgBouncer's transaction pooling).
        sql = (
            f"SET LOCAL work_mem = '{WORK_MEM}'; SET LOCAL jit = off;"
            f" SET LOCAL random_page_cost = 1.1; {sql}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return read(rows)


def money(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):  # SQLite sums decimals as floats, as Django's converter reads
        return Context(prec=15).create_decimal_from_float(value).quantize(CENTS)
    return Decimal(value).quantize(CENTS)


def read(rows) -> FacetCounts:
    options: dict[str, list[Counted]] = {facet: [] for facet in FACETS}
    totals: dict[str, Decimal | int] = {}
    by_country = []
    zero = Decimal("0.00")
    for _, facet, value, label, group, _, count, budget, pledged, shortfall, unbudgeted in rows:
        if facet == "totals":
            totals = {
                "budget": money(budget) or zero,
                "pledged": money(pledged) or zero,
                "shortfall": money(shortfall) or zero,
                "pledged_unbudgeted": money(unbudgeted) or zero,
                "projects": count,
            }
            continue
        if facet == "map":
            by_country.append(
                {
                    "iso3": value,
                    "country_name": label,
                    "budget_sum": money(budget),
                    "pledged_sum": money(pledged),
                    "shortfall_sum": money(shortfall),
                    "project_count": count,
                }
            )
            continue
        if facet == "has_issue":
            value = "yes" if value in ("1", "true", "True") else "no"
        options[facet].append(Counted(str(value), label or "", int(count), group or ""))
    return FacetCounts(options, totals, by_country)
