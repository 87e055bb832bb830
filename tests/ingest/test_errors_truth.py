"""Errors tell the truth: a bug in our code is never reported as a fault of the file.

Only pdfplumber/pdfminer's own failures become "cannot be read"/"truncated" messages; a
bug anywhere in the layout, the blocks or a grammar propagates as itself from the parser, the
command and the reader's child process, and the admin reports it as an internal error.
"""

import logging
import multiprocessing
from pathlib import Path

import pytest
from django.core.management import call_command

from ingest import sandbox, uploads
from ingest.models import PendingUpload
from ingest.parsers.files import parse_file
from ingest.parsers.types import ParseError
from projects.models import Project

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BROCHURE_PDF = FIXTURES / "partnership-opportunities-2010.pdf"
BROCHURE_TXT = FIXTURES / "partnership-opportunities-2010.txt"
REPORT_PDF = FIXTURES / "tip-protocol-activities-report-2016.pdf"
FILE_FAULTS = ("cannot be read", "truncated", "corrupt", "not a readable", "not a PDF")


class Bug(TypeError):
    """What a slip in our code raises (a TypeError, as a wrong argument would)."""


def broken(*args, **kwargs):
    raise Bug("a bug in our code")


# Our code at each layer of the PDF path: layout, blocks, grammar (money reader included).
LAYERS = [
    (BROCHURE_PDF, "ingest.parsers.layout._glyphs"),
    (BROCHURE_PDF, "ingest.parsers.layout._line"),
    (BROCHURE_PDF, "ingest.parsers.layout.split_furniture"),
    (BROCHURE_PDF, "ingest.parsers.brochure.layout_blocks"),
    (BROCHURE_PDF, "ingest.parsers.brochure.build_brochure"),
    (BROCHURE_PDF, "ingest.parsers.brochure_project.read_money"),
    (REPORT_PDF, "ingest.parsers.activity_report.report_blocks"),
]


@pytest.mark.parametrize(("path", "target"), LAYERS, ids=[t for _, t in LAYERS])
def test_a_bug_in_any_layer_propagates_as_itself(path, target, monkeypatch):
    monkeypatch.setattr(target, broken)
    with pytest.raises(Bug, match="a bug in our code") as caught:
        parse_file(path)
    assert not isinstance(caught.value, ParseError)


@pytest.mark.django_db
def test_the_command_does_not_call_a_bug_an_unreadable_pdf(monkeypatch):
    monkeypatch.setattr("ingest.parsers.brochure.layout_blocks", broken)
    with pytest.raises(Bug):
        call_command("ingest", str(BROCHURE_PDF), verbosity=0)
    assert Project.objects.count() == 0


def test_the_pdf_readers_own_failure_is_still_reported_as_the_files(tmp_path):
    """The other side: what pdfminer refuses is the file's fault, and said so."""
    data = BROCHURE_PDF.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError, match="truncated or corrupt"):
        parse_file(path)


def run_child(path: Path) -> tuple[str, object]:
    """The sandbox's child, forked so that this test's monkeypatches reach it."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=sandbox.child, args=(str(path), 60, 2**31, sender))
    process.start()
    sender.close()
    messages = []
    try:
        while True:
            messages.append(receiver.recv())
    except EOFError:
        pass
    process.join(10)
    return messages[-1]


def test_a_bug_in_the_readers_child_comes_back_as_a_bug(monkeypatch):
    monkeypatch.setattr("ingest.parsers.brochure.build_brochure", broken)
    kind, payload = run_child(BROCHURE_TXT)
    assert kind == "bug"
    assert "Bug: a bug in our code" in payload  # the child's traceback, for the log
    with pytest.raises(sandbox.IngestBug, match="failed in the ingest's code") as caught:
        sandbox.outcome_of(kind, payload, path=BROCHURE_TXT, megabytes="1")
    assert not isinstance(caught.value, ParseError)
    assert not any(fault in str(caught.value).split("\n")[0] for fault in FILE_FAULTS)


def test_a_refusal_in_the_child_stays_a_refusal(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of a meeting\n")
    kind, payload = run_child(path)
    assert kind == "refused"
    with pytest.raises(ParseError, match="minutes.txt, line 1: not a Partnership"):
        sandbox.outcome_of(kind, payload, path=path, megabytes="1")


@pytest.mark.django_db
def test_the_admin_reports_a_bug_as_an_internal_error(monkeypatch, caplog, django_user_model):
    user = django_user_model.objects.create_superuser("s", "s@example.org", "pw-s-123456")
    upload = PendingUpload.objects.create(
        name="b.txt", content=BROCHURE_TXT.read_bytes(), sha256="x", uploaded_by=user
    )

    def bug_in_child(path, **limits):
        raise sandbox.IngestBug("reading b.txt failed in the ingest's code:\nTraceback …")

    monkeypatch.setattr(uploads, "parse_limited", bug_in_child)
    State = PendingUpload.State
    with caplog.at_level(logging.ERROR, logger="ingest.uploads"):
        state = uploads.run_upload(
            upload.pk, waiting=State.QUEUED, working=State.PREVIEWING, done=State.PREVIEWED
        )
    upload.refresh_from_db()
    assert state == State.FAILED == upload.state
    assert "internal error" in upload.error
    assert "says nothing about the file" in upload.error
    assert not any(fault in upload.error for fault in FILE_FAULTS)
    assert "Traceback" not in upload.error
    assert "failed in the ingest's code" in caplog.text  # the detail is in the log
    assert Project.objects.count() == 0
