"""Ingest from the admin: check an uploaded file, preview what it would change, then apply.

The preview is a dry run of the same pipeline as `manage.py ingest`, so what staff see is
exactly what applying will write.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ingest.models import PendingUpload
from ingest.parsers.layout import count_pdf_pages
from ingest.parsers.types import ParseError
from ingest.pipeline import IngestOutcome, ingest_files

ALLOWED_SUFFIXES = {".pdf", ".txt"}


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


def run(upload: PendingUpload, *, dry_run: bool) -> IngestOutcome:
    with staged(upload.name, bytes(upload.content)) as path:
        return ingest_files([path], dry_run=dry_run)


def preview(name: str, content: bytes, user) -> tuple[PendingUpload, IngestOutcome]:
    """Store the upload and dry-run it; a ParseError means it is refused and not stored."""
    upload = PendingUpload(
        name=safe_name(name),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    outcome = run(upload, dry_run=True)
    stale = timezone.now() - datetime.timedelta(days=1)
    PendingUpload.objects.filter(uploaded_at__lt=stale).delete()
    upload.save()
    return upload, outcome


def apply(pk: int, user) -> tuple[PendingUpload, IngestOutcome] | None:
    """Ingest a previewed upload once: a second click finds it gone and does nothing."""
    with transaction.atomic():
        upload = PendingUpload.objects.select_for_update().filter(pk=pk, uploaded_by=user).first()
        if upload is None:
            return None
        outcome = run(upload, dry_run=False)
        upload.delete()
    return upload, outcome
