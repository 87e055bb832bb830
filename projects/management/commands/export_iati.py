from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from projects.iati import iter_activities


class Command(BaseCommand):
    help = "Write every published project as IATI 2.03 activities (XML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", default="-", help="File to write; - for stdout.")

    def handle(self, *args, output: str, **options) -> None:
        chunks = iter_activities(settings.PORTAL_BASE_URL)
        if output == "-":
            for chunk in chunks:
                self.stdout.write(chunk.decode(), ending="")
            return
        with open(output, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        self.stderr.write(f"Wrote {output}")
