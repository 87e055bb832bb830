"""Ingest from the admin: checked, previewed as a dry run, applied only when asked."""

import re
import tempfile
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingest.models import PendingUpload, SourceDocument
from projects.models import Project

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
UPLOAD = reverse("admin:ingest_upload")


def upload(client, name: str, content: bytes):
    return client.post(UPLOAD, {"document": SimpleUploadedFile(name, content)})


def test_preview_writes_nothing_then_apply_ingests(staff_client):
    text = (FIXTURES / "partnership-opportunities-2010.txt").read_bytes()
    response = upload(staff_client, "brochure.txt", text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "created 48, updated 0, unchanged 0" in page
    assert "nothing has been written yet" in page
    assert Project.objects.count() == 0
    pending = PendingUpload.objects.get()
    response = staff_client.post(reverse("admin:ingest_upload_apply", args=[pending.pk]))
    assert response.status_code == 302
    assert Project.objects.count() == 48
    assert SourceDocument.objects.get().file_name == "brochure.txt"
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"PK\x03\x04", "only PDF or text files"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "not a readable PDF"),
        ("minutes.txt", b"Minutes of a meeting\n", "minutes.txt, line 1: not a Partnership"),
    ],
)
def test_bad_files_are_refused_cleanly(staff_client, name, content, message):
    response = upload(staff_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PendingUpload.objects.exists()
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


def test_applying_twice_ingests_once(staff_client):
    text = (FIXTURES / "partnership-opportunities-2010.txt").read_bytes()
    upload(staff_client, "brochure.txt", text)
    apply_url = reverse("admin:ingest_upload_apply", args=[PendingUpload.objects.get().pk])
    staff_client.post(apply_url)
    second = staff_client.post(apply_url, follow=True)
    assert "already applied" in second.content.decode()
    assert Project.objects.count() == 48


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
    staff_client, name, content
):
    response = upload(staff_client, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page, re.S)
    assert errors, page[-2000:]
    message = unescape(re.sub(r"<[^>]+>", " ", " ".join(errors)))
    assert not LEAKS.search(message), message
    assert not LEAKS.search(unescape(re.sub(r"<[^>]+>", " ", page))), message
    assert not PendingUpload.objects.exists()


def test_the_preview_names_the_upload_not_where_it_was_staged(staff_client):
    text = (FIXTURES / "partnership-opportunities-2010.txt").read_bytes()
    page = upload(staff_client, "brochure.txt", text).content.decode()
    assert "brochure.txt (text):" in page
    assert not LEAKS.search(unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_failed_apply_names_the_upload_only(staff_client, monkeypatch):
    text = (FIXTURES / "partnership-opportunities-2010.txt").read_bytes()
    upload(staff_client, "brochure.txt", text)
    pending = PendingUpload.objects.get()
    PendingUpload.objects.filter(pk=pending.pk).update(content=b"Minutes of a meeting\n")
    response = staff_client.post(
        reverse("admin:ingest_upload_apply", args=[pending.pk]), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("Nothing was written: brochure.txt, line 1" in m for m in messages), messages
    assert not any(LEAKS.search(m) for m in messages), messages
    assert Project.objects.count() == 0
