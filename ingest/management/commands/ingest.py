import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.parsers.types import ParseError
from ingest.pipeline import ingest_files


def progress_bar(done: int, total: int) -> None:
    filled = round(30 * done / total)
    end = "\n" if done == total else ""
    sys.stderr.write(f"\r  reading PDF [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{end}")


class Command(BaseCommand):
    help = "Ingest UNODC documents (PDF or text): the brochure or the activity report."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and report; write nothing."
        )
        parser.add_argument("--report-json", type=Path, help="Write what was read to this file.")
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="Replace fields that staff edited in the admin.",
        )

    def handle(self, *args, files, dry_run, report_json, overwrite_edits, **options):
        if not files:
            self.stdout.write("No files given: nothing was ingested.")
            return
        try:
            outcome = ingest_files(
                files,
                dry_run=dry_run,
                overwrite_edits=overwrite_edits,
                progress=progress_bar if options["verbosity"] else None,
            )
        except ParseError as error:
            raise CommandError(f"{error} — nothing was written.") from error
        for line in outcome.lines():
            self.stdout.write(line)
        if report_json:
            report_json.write_text(json.dumps(outcome.report(), indent=2, ensure_ascii=False))
