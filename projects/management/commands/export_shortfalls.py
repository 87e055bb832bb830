from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from projects.exports import csv_lines, xlsx_bytes
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Write the shortfall list (CSV or XLSX) for published projects, as the portal exports it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--section", action="append", default=[], help="Section name or slug.")
        parser.add_argument("--country", action="append", default=[], help="ISO alpha-3 code.")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, format, section, country, output, **options):
        # The same projects as the portal's list: programmes, not their partnership examples.
        projects = Project.objects.programmes()
        filters = []
        if section:
            projects = projects.filter(Q(section__slug__in=section) | Q(section__name__in=section))
            filters.append(("section", ", ".join(section)))
        if country:
            projects = projects.filter(countries__iso3__in=[c.upper() for c in country]).distinct()
            filters.append(("country", ", ".join(country)))
        if not projects.exists():
            raise CommandError("No published project matches these filters.")
        if format == "csv":
            with output.open("w", encoding="utf-8", newline="") as out:
                out.writelines(csv_lines(projects))
        else:
            output.write_bytes(xlsx_bytes(projects, filters))
        self.stdout.write(f"Wrote {projects.count()} projects to {output}")
