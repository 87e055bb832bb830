"""Ingest from the admin: checked, previewed as a dry run, applied only when asked."""

import re
import resource
import tempfile
import time
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingest.models import PendingUpload, SourceDocument
from ingest.pipeline import ingest_files
from ingest.sandbox import WALL_CLOCK_MARGIN
from projects.models import Project
from tests.ingest.pdf_bomb import content_stream_bomb

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
UPLOAD = reverse("admin:ingest_upload")


def upload(client, name: str, content: bytes):
    return client.post(UPLOAD, {"document": SimpleUploadedFile(name, content)})


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_preview_runs_on_the_worker_writes_nothing_then_apply_ingests(staff_client, run_tasks):
    text = (FIXTURES / "partnership-opportunities-2010.txt").read_bytes()
    response = upload(staff_client, "brochure.txt", text)
    pending = PendingUpload.objects.get()
    assert response["Location"] == reverse("admin:ingest_upload_progress", args=[pending.pk])
    waiting = staff_client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="2">' in waiting.content.decode()
    assert "Waiting for the worker" in page_text(waiting)

    run_tasks()
    page = page_text(staff_client.get(response["Location"]))
    assert "48 new, 0 changed, 0 unchanged, 0 withdrawn" in page
    assert "nothing has been written yet" in page
    assert "/tmp" not in page and "ingest-" not in page  # no server paths
    assert Project.objects.count() == 0
    apply_url = reverse("admin:ingest_upload_apply", args=[pending.pk])
    response = staff_client.post(apply_url)
    assert response.status_code == 302
    assert Project.objects.count() == 0  # applying is the worker's job too
    second = staff_client.post(apply_url, follow=True)  # a second click
    assert "already applied" in second.content.decode()
    run_tasks()
    assert Project.objects.count() == 48
    assert SourceDocument.objects.get().file_name == "brochure.txt"
    pending.refresh_from_db()
    assert pending.state == PendingUpload.State.APPLIED
    assert bytes(pending.content) == b""


def test_the_preview_is_a_diff_and_offers_to_replace_staff_edits(staff_client, run_tasks):
    text = (FIXTURES / "partnership-opportunities-2010.txt").read_bytes()
    ingest_files([FIXTURES / "partnership-opportunities-2010.txt"])
    edited = Project.objects.exclude(budget=None).exclude(code="").order_by("pk").first()
    printed_budget = edited.budget
    Project.objects.filter(pk=edited.pk).update(
        budget=printed_budget + 1000, edited_fields=["budget"]
    )
    other = Project.objects.exclude(pk=edited.pk).exclude(code="").order_by("pk").first()
    Project.objects.filter(pk=other.pk).update(title="An old title")

    response = upload(staff_client, "again.txt", text)
    run_tasks()
    progress = staff_client.get(response["Location"])
    page = page_text(progress)
    assert "1 changed" in page
    # The renamed project, by title and code, field by field.
    assert other.code in other.title  # the title names the code: not repeated
    assert f"Changed projects {other.title}, page" in page
    assert "Renamed from “An old title”" in page or "Renamed from An old title" in page
    assert f"Title An old title {other.title}" in page
    # The kept staff edit, with the choice to replace it.
    assert "Staff edits that will be kept" in page
    assert "Budget (US$)" not in page
    assert "Replace the staff edits listed above" in page
    assert "Budget: kept US$" in page and "the document says US$" in page
    # Data issues grouped by kind, with where they were read.
    assert "Data issues by kind" in page
    pending = PendingUpload.objects.filter(state="previewed").get()
    staff_client.post(
        reverse("admin:ingest_upload_apply", args=[pending.pk]), {"overwrite_edits": "on"}
    )
    run_tasks()
    edited.refresh_from_db()
    assert edited.budget == printed_budget
    assert edited.edited_fields == []


def test_the_admin_index_links_to_the_ingest(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert f'href="{UPLOAD}"' in html


def test_a_content_stream_bomb_is_refused_within_the_limits_off_the_web(
    staff_client, run_tasks, settings
):
    """A 10 KB PDF whose page expands to 5 MB of drawing operators: the request only stores
    it; the worker's child process runs out of its CPU time and is refused with a message."""
    settings.INGEST_PARSE_CPU_SECONDS = 2
    settings.INGEST_PARSE_MEMORY_BYTES = 1024 * 2**20
    bomb = content_stream_bomb(megabytes=5)
    assert len(bomb) < 16 * 1024
    started = time.monotonic()
    response = upload(staff_client, "bomb.pdf", bomb)
    assert time.monotonic() - started < 1  # the web request never reads the pages
    assert response.status_code == 302
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    run_tasks()
    elapsed = time.monotonic() - started
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    pending = PendingUpload.objects.get()
    assert pending.state == PendingUpload.State.FAILED
    assert "bomb.pdf: too complex to read" in pending.error
    assert "more than 2 s of processor time (the limit)" in pending.error
    assert elapsed < 2 + WALL_CLOCK_MARGIN
    assert used.ru_utime + used.ru_stime - before.ru_utime - before.ru_stime < 2 + 3
    assert used.ru_maxrss * 1024 < settings.INGEST_PARSE_MEMORY_BYTES
    page = page_text(staff_client.get(response["Location"]))
    assert "Nothing was written. bomb.pdf: too complex to read" in page
    assert Project.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"PK\x03\x04", "only PDF or text files"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "not a readable PDF"),
        ("minutes.txt", b"Minutes of a meeting\n", "minutes.txt, line 1: not a Partnership"),
    ],
)
def test_bad_files_are_refused_cleanly(staff_client, run_tasks, name, content, message):
    response = upload(staff_client, name, content)
    if response.status_code == 302:  # refused by the worker, which reads the file
        run_tasks()
        response = staff_client.get(response["Location"])
        assert PendingUpload.objects.get().state == PendingUpload.State.FAILED
    else:
        assert not PendingUpload.objects.exists()
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert "/tmp" not in response.content.decode()
    assert Project.objects.count() == 0


def test_size_and_page_limits(staff_client, settings):
    pdf = (FIXTURES / "partnership-opportunities-2010.pdf").read_bytes()
    settings.INGEST_UPLOAD_MAX_PAGES = 10
    assert (
        "56 pages is more than the 10 allowed"
        in upload(staff_client, "b.pdf", pdf).content.decode()
    )
    settings.INGEST_UPLOAD_MAX_BYTES = 1000
    assert "more than the 1,000 allowed" in upload(staff_client, "b.pdf", pdf).content.decode()
    assert not PendingUpload.objects.exists()


def test_only_staff_allowed_to_ingest_reach_the_upload(client, django_user_model):
    assert client.get(UPLOAD).status_code == 302  # to the admin login
    cofinancing = django_user_model.objects.create_user(
        "cf", password="pw-cf-123456", is_staff=True
    )
    cofinancing.groups.add(Group.objects.get(name="Co-financing"))
    client.force_login(cofinancing)
    assert client.get(UPLOAD).status_code == 403
    editor = django_user_model.objects.create_user("ed", password="pw-ed-123456", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(UPLOAD).status_code == 200


LEAKS = re.compile(
    rf"{re.escape(tempfile.gettempdir())}|ingest-\w|Traceback|File \"|\b\w+(Error|Exception|EOF)\b"
)
HOSTILE = [
    ("minutes.txt", b"Minutes of a meeting\n"),
    ("latin1.txt", "Résumé des activités\n".encode("latin-1")),
    ("binary.txt", b"\x00\x01\x02\xff" * 64),
    ("empty.txt", b"   \n"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
    ("truncated.pdf", b"%PDF-1.4\n" + b"0" * 2000),
    ("../../etc/passwd.txt", b"root:x:0:0\n"),
    ("brochure.pdf.txt", b"%PDF-1.4 but named text\n"),
]


@pytest.mark.parametrize(("name", "content"), HOSTILE)
def test_refusals_name_the_upload_never_the_servers_folder_or_exception(
    staff_client, run_tasks, name, content
):
    response = upload(staff_client, name, content)
    if response.status_code == 302:  # refused by the worker, which reads the file
        run_tasks()
        response = staff_client.get(response["Location"])
        assert PendingUpload.objects.get().state == PendingUpload.State.FAILED
    assert response.status_code == 200
    text = page_text(response)
    assert "Nothing was written" in text or "errorlist" in response.content.decode()
    assert not LEAKS.search(text), text[-600:]
    assert Project.objects.count() == 0
