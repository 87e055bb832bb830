"""Ingest from the admin: check an uploaded file, preview what it would change, then apply.

The request only checks and stores the upload; the task worker reads it (in a child process
with CPU-time and memory limits) and dry-runs the load for the preview, then applies it when
asked. The preview is a dry run of the same loader as `manage.py ingest`, so what staff see is
exactly what applying will write.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.tasks import task
from django.utils import timezone

from ingest.models import PendingUpload
from ingest.parsers.layout import count_pdf_pages
from ingest.parsers.types import ParseError
from ingest.pipeline import load_files
from ingest.preview import diff_report
from ingest.sandbox import parse_limited

ALLOWED_SUFFIXES = {".pdf", ".txt"}
logger = logging.getLogger(__name__)


def safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).name).strip(".-")
    return stem[:150] or "upload"


def check_upload(upload: UploadedFile) -> bytes:
    """The file's bytes, or a ValidationError saying what is wrong with it."""
    name = safe_name(upload.name or "")
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(f"{name}: only PDF or text files can be ingested.")
    limit = settings.INGEST_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"{name}: {upload.size:,} bytes is more than the {limit:,} allowed.")
    content = upload.read()
    if suffix == ".pdf" and not content.startswith(b"%PDF-"):
        raise ValidationError(f"{name}: this is not a PDF (it does not start with %PDF-).")
    if suffix == ".pdf":
        with staged(name, content) as path:
            try:
                pages = count_pdf_pages(path)
            except ParseError as error:
                raise ValidationError(str(error)) from error
        if pages > settings.INGEST_UPLOAD_MAX_PAGES:
            limit = settings.INGEST_UPLOAD_MAX_PAGES
            raise ValidationError(f"{name}: {pages} pages is more than the {limit} allowed.")
    return content


@contextmanager
def staged(name: str, content: bytes) -> Iterator[Path]:
    """The bytes written under their own name (so messages name it) in a private folder."""
    with tempfile.TemporaryDirectory(prefix="ingest-") as folder:
        path = Path(folder) / safe_name(name)
        path.write_bytes(content)
        yield path


def start(name: str, content: bytes, user) -> PendingUpload:
    """Store a checked upload and queue its dry run on the worker; the request returns."""
    stale = timezone.now() - datetime.timedelta(days=1)
    PendingUpload.objects.filter(uploaded_at__lt=stale).exclude(
        state__in=[PendingUpload.State.PREVIEWING, PendingUpload.State.APPLYING]
    ).delete()
    upload = PendingUpload.objects.create(
        name=safe_name(name),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    preview_upload.enqueue(upload.pk)  # a row beside the upload's: the worker sees both
    return upload


def request_apply(pk: int, user, *, overwrite_edits: bool) -> bool:
    """Queue a previewed upload to be applied, once: a second click finds it taken."""
    taken = PendingUpload.objects.filter(
        pk=pk, uploaded_by=user, state=PendingUpload.State.PREVIEWED
    ).update(state=PendingUpload.State.APPLY_QUEUED, overwrite_edits=overwrite_edits)
    if taken:
        apply_upload.enqueue(pk)
    return bool(taken)


@task(queue_name="ingest")
def preview_upload(pk: int) -> str:
    """Read the file (in a child process with limits) and dry-run the load: the diff."""
    State = PendingUpload.State
    return run_upload(pk, waiting=State.QUEUED, working=State.PREVIEWING, done=State.PREVIEWED)


@task(queue_name="ingest")
def apply_upload(pk: int) -> str:
    """Read the file again and load it for real, in one transaction."""
    State = PendingUpload.State
    return run_upload(pk, waiting=State.APPLY_QUEUED, working=State.APPLYING, done=State.APPLIED)


def run_upload(pk: int, *, waiting: str, working: str, done: str) -> str:
    rows = PendingUpload.objects.filter(pk=pk)
    if not rows.filter(state=waiting).update(state=working, pages_read=0, error=""):
        return "not waiting"  # already taken, applied or deleted
    upload = rows.get()
    dry_run = done == PendingUpload.State.PREVIEWED

    def progress(read: int, total: int) -> None:
        rows.update(pages_read=read, pages_total=total)

    with staged(upload.name, bytes(upload.content)) as path:
        try:
            parsed = parse_limited(
                path,
                cpu_seconds=settings.INGEST_PARSE_CPU_SECONDS,
                memory_bytes=settings.INGEST_PARSE_MEMORY_BYTES,
                progress=progress,
            )
            outcome = load_files([parsed], dry_run=dry_run, overwrite_edits=upload.overwrite_edits)
        except Exception as error:  # refused whole: say why, never where on the server
            message = str(error).replace(f"{path.parent}/", "").replace(str(path.parent), "")
            if not isinstance(error, ParseError):  # a bug: the detail goes to the log
                logger.exception("Ingest of upload %s failed", pk)
                message = (
                    f"{upload.name}: the ingest stopped on an internal error, which is logged "
                    "for the developers; it says nothing about the file."
                )
            rows.update(state=PendingUpload.State.FAILED, error=f"Nothing was written. {message}")
            return PendingUpload.State.FAILED
    report = diff_report(outcome)
    if dry_run:
        rows.update(state=done, preview=report)
    else:
        rows.update(state=done, result=report, content=b"")
    return done
