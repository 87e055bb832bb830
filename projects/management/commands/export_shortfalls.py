"""Write the shortfall list as the portal's list exports it, for scheduled use.

The options are the list's filters (`--section`, `--subregion`, `--country`, `--status`,
`--donor`, `--theme`, `--sort`, …), applied by the list's own filterset, so the command and
the site select and sort the same projects. An unknown value is refused with the valid ones.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from donors.models import Donor
from projects import exports
from projects.filters import ProjectFilter, projects_to_browse
from projects.models import Country, Region, Theme

FORMATS = ("csv", "xlsx", "pdf")


def option(name: str) -> str:
    return "--" + name.replace("_", "-")


def listed() -> QuerySet:
    return projects_to_browse().order_by().values("pk")


def known_values(filterset: ProjectFilter, name: str) -> list[tuple[str, str]] | None:
    """(value, name) pairs a filter accepts — those with published programmes for the
    tables of choices — or None when any value is valid (search text, amounts)."""
    if name in ("section", "subregion"):
        regions = Region.objects.filter(kind=name, **{f"{name}_projects__in": listed()})
        return list(regions.distinct().order_by("order", "name").values_list("slug", "name"))
    if name == "country":
        countries = Country.objects.filter(projects__in=listed()).distinct().order_by("name")
        return list(countries.values_list("iso3", "name"))
    if name == "donor":
        donors = Donor.objects.filter(pledges__project__in=listed()).distinct().order_by("name")
        return list(donors.values_list("slug", "name"))
    if name == "theme":
        return list(Theme.objects.order_by("name").values_list("slug", "name"))
    choices = filterset.filters[name].extra.get("choices")
    return [(str(value), str(label)) for value, label in choices] if choices else None


def resolve(name: str, given: str, known: list[tuple[str, str]]) -> str:
    """The value the portal's URL uses for `given`, a value or a name in any case."""
    for value, label in known:
        if given.casefold() in (value.casefold(), label.casefold()):
            return value
    valid = "\n  ".join(f"{value}  ({label})" for value, label in known) or "(none)"
    raise CommandError(f"Unknown {option(name)} {given!r}. Valid values:\n  {valid}")


class Command(BaseCommand):
    help = (
        "Write the shortfall list (CSV, XLSX or a PDF brief) of published programmes, filtered"
        " and sorted as the portal's project list does (largest shortfall first by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="csv")
        for name in ProjectFilter.base_filters:
            parser.add_argument(
                option(name),
                dest=f"filter_{name}",
                action="append",
                default=[],
                metavar=name.upper(),
                help=f"The list's “{exports.FILTER_LABELS.get(name, name)}” filter.",
            )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="File to write; by default a name saying what it holds, in this directory.",
        )

    def handle(self, *args, format: str, output: Path | None, **options) -> None:
        filterset = self.filterset(options)
        projects = filterset.qs
        count = projects.count()
        if not count:
            raise CommandError("No published project matches these filters.")
        chosen = exports.selection(filterset)
        kind = "brief" if format == "pdf" else "shortfalls"
        output = output or Path(chosen.file_name(kind, format, timezone.localdate()))
        base_url = None  # settings.PORTAL_BASE_URL (DJANGO_PORTAL_URL)
        if format == "csv":
            with output.open("w", encoding="utf-8", newline="") as out:
                out.writelines(exports.csv_lines(projects, base_url))
        elif format == "xlsx":
            output.write_bytes(exports.xlsx_bytes(projects, chosen, base_url))
        else:
            from projects.brief import brief_pdf

            output.write_bytes(brief_pdf(projects, chosen, base_url))
        self.stdout.write(f"Wrote {count} projects to {output}")

    def filterset(self, options: dict) -> ProjectFilter:
        probe = ProjectFilter({})
        data = QueryDict(mutable=True)
        for name in ProjectFilter.base_filters:
            given = [value.strip() for value in options[f"filter_{name}"]]
            if not given:
                continue
            known = known_values(probe, name)
            if known is not None:
                given = [resolve(name, value, known) for value in given]
            data.setlist(name, given)
        filterset = ProjectFilter(data)
        if not filterset.is_valid():
            problems = "; ".join(
                f"{option(name)}: {' '.join(errors)}" for name, errors in filterset.errors.items()
            )
            raise CommandError(f"Invalid filters: {problems}")
        for name in ProjectFilter.base_filters:
            given = data.getlist(name)
            if len(given) > 1 and len(exports.as_list(filterset.form.cleaned_data[name])) < 2:
                raise CommandError(
                    f"{option(name)} takes one value, as on the portal's list"
                    f" ({len(given)} given: {', '.join(given)})."
                )
        return filterset
