"""`manage.py ingest` end to end on the documents in fixtures/."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingest.models import DataIssue, ReportParagraph, SourceDocument
from projects.models import FocalPoint, Pledge, Project, Region

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BROCHURE_TXT = FIXTURES / "partnership-opportunities-2010.txt"
BROCHURE_PDF = FIXTURES / "partnership-opportunities-2010.pdf"
REPORT_TXT = FIXTURES / "tip-protocol-activities-report-2016.txt"


def ingest(*files, **options):
    from io import StringIO

    out = StringIO()
    call_command("ingest", *map(str, files), stdout=out, verbosity=0, **options)
    return out.getvalue()


def database_state():
    return (
        sorted(Project.objects.values_list("slug", "title", "budget", "published")),
        sorted(Pledge.objects.values_list("project__slug", "donor__name", "amount")),
        FocalPoint.objects.count(),
        DataIssue.objects.count(),
        ReportParagraph.objects.count(),
        sorted(SourceDocument.objects.values_list("kind", "edition", "file_hash")),
    )


def test_brochure_text_creates_the_projects_then_a_second_run_changes_nothing():
    first = ingest(BROCHURE_TXT)
    assert "created 48, updated 0, unchanged 0" in first
    assert Project.objects.filter(parent__isnull=True).count() == 42
    assert Project.objects.filter(parent__isnull=False).count() == 6
    assert FocalPoint.objects.exclude(email="").count() == 36
    state = database_state()
    second = ingest(BROCHURE_TXT)
    assert "created 0, updated 0, unchanged 48" in second
    assert database_state() == state


def test_text_then_pdf_of_the_same_brochure_changes_no_figure():
    ingest(BROCHURE_TXT)
    figures = sorted(Project.objects.with_totals().values_list("slug", "budget", "pledged"))
    ingest(BROCHURE_PDF)
    assert sorted(Project.objects.with_totals().values_list("slug", "budget", "pledged")) == figures
    assert Project.objects.count() == 48


def test_pdf_and_text_give_the_same_report(tmp_path):
    ingest(BROCHURE_TXT, dry_run=True, report_json=tmp_path / "txt.json")
    ingest(BROCHURE_PDF, dry_run=True, report_json=tmp_path / "pdf.json")
    from_text = json.loads((tmp_path / "txt.json").read_text())
    from_pdf = json.loads((tmp_path / "pdf.json").read_text())
    for text_project, pdf_project in zip(from_text["projects"], from_pdf["projects"], strict=True):
        for field, value in text_project.items():
            assert pdf_project[field] == value, (text_project["title"], field)
    assert from_text["document"] == from_pdf["document"]


def test_dry_run_writes_the_report_and_nothing_else(tmp_path):
    output = ingest(BROCHURE_TXT, dry_run=True, report_json=tmp_path / "report.json")
    assert "Dry run: nothing was written." in output
    assert Project.objects.count() == 0
    report = json.loads((tmp_path / "report.json").read_text())
    # The title as the cover prints it: the name, then the subject over two lines.
    cover = " ".join(BROCHURE_TXT.read_text().split("UNITED NATIONS\nVienna, 2010")[0].split())
    assert "Partnership Opportunities Trafficking in Persons and Smuggling of Migrants" in cover
    assert report["document"] == {
        "kind": "brochure",
        "title": "Partnership Opportunities: Trafficking in Persons and Smuggling of Migrants",
        "edition": "2010-01",
    }
    assert len(report["projects"]) == 48
    by_code = {p["code"]: p for p in report["projects"] if p["code"]}
    programme = by_code["GLOT59"]
    assert programme["budget"] == "6576097"
    assert programme["stated_shortfall"] == "4475605"
    assert {
        "donor": "Norway",
        "donor_as_printed": "Norway",
        "amount": "1178122",
        "note": None,
    } in programme["pledges"]
    children = [p for p in report["projects"] if p["parent_code"] == "GLOT59"]
    assert [c["budget"] for c in children] == ["570000", "100000", "650000"]


def test_staff_edits_survive_a_reingest_unless_overwritten():
    ingest(BROCHURE_TXT)
    project = Project.objects.get(code="GLOT92")
    project.title = "Edited by staff"
    project.edited_fields = ["title"]
    project.save()
    output = ingest(BROCHURE_TXT)
    assert "kept staff edit" in output
    assert Project.objects.get(code="GLOT92").title == "Edited by staff"
    ingest(BROCHURE_TXT, overwrite_edits=True)
    assert Project.objects.get(code="GLOT92").title != "Edited by staff"


def truncated_pdf(tmp_path):
    path = tmp_path / "truncated.pdf"
    path.write_bytes(BROCHURE_PDF.read_bytes()[:40000])
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("not-a-pdf.pdf", b"\x00\x01\x02 binary junk" * 50, "not-a-pdf.pdf"),
        ("other.txt", b"Minutes of a meeting\nNothing about partnerships.\n", "line 1"),
    ],
)
def test_a_bad_file_is_refused_by_name_and_nothing_changes(tmp_path, name, content, message):
    ingest(BROCHURE_TXT)
    state = database_state()
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=message) as refused:
        ingest(BROCHURE_TXT, bad)
    assert name in str(refused.value)
    assert database_state() == state


def test_a_truncated_pdf_is_refused_naming_the_page(tmp_path):
    with pytest.raises(CommandError, match=r"truncated\.pdf.*page") as refused:
        ingest(truncated_pdf(tmp_path))
    assert "nothing was written" in str(refused.value)
    assert Project.objects.count() == 0


def test_a_pdf_of_something_else_is_refused(tmp_path):
    ingest(BROCHURE_TXT)
    state = database_state()
    other = tmp_path / "invoice.pdf"
    # A well-formed PDF that is neither a brochure nor an activity report.
    other.write_bytes(minimal_pdf("Invoice number 12345"))
    with pytest.raises(CommandError, match="invoice.pdf"):
        ingest(other)
    assert database_state() == state


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing `text`, written by hand so the test needs no PDF library."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_the_activity_report_adds_its_paragraphs_and_the_trust_fund_opportunity():
    output = ingest(REPORT_TXT)
    assert "created" in output
    assert ReportParagraph.objects.count() == 74
    fund = Project.objects.get(source_document__kind="activity_report")
    assert fund.stated_shortfall == 500000
    assert fund.source_paragraph == 72
    assert "Trust Fund" in fund.title
    state = database_state()
    assert "created 0, updated 0" in ingest(REPORT_TXT)
    assert database_state() == state


def test_a_later_edition_updates_renames_and_withdraws(tmp_path):
    from tests.ingest.test_brochure_editions import edition_text

    ingest(BROCHURE_TXT)
    later = tmp_path / "partnership-opportunities-2011.txt"
    later.write_text(edition_text(), encoding="utf-8")
    output = ingest(later)
    # 47 projects in the new edition: the renamed one is new (it has no code to match on);
    # the dropped one and the renamed one's old title are withdrawn, not deleted.
    assert "created 1," in output
    assert "withdrawn 2" in output
    assert Project.objects.get(code="GLOT92").budget == 3100000
    assert Project.objects.get(code="GLOT92").source_document.edition == "2011-03"
    withdrawn = Project.objects.filter(published=False)
    assert sorted(p.title[:28] for p in withdrawn) == [
        "National Awareness Raising C",
        "The Andean Observatory on Hu",
    ]
    assert Project.objects.published().filter(parent=None).count() == 41
    assert "created 0, updated 0, unchanged 47" in ingest(later)


def test_both_documents_together_twice_change_nothing_the_second_time():
    ingest(BROCHURE_TXT, REPORT_TXT)
    regions = sorted(Region.objects.values_list("kind", "name", "order", "slug"))
    state = database_state()
    output = ingest(REPORT_TXT, BROCHURE_TXT)  # the other order, too
    assert "created 0, updated 0, unchanged 48" in output
    assert "created 0, updated 0, unchanged 75" in output  # 74 paragraphs and the Trust Fund
    assert sorted(Region.objects.values_list("kind", "name", "order", "slug")) == regions
    assert database_state() == state


def test_the_activity_report_json_lists_paragraphs_facts_and_the_opportunity(tmp_path):
    ingest(REPORT_TXT, dry_run=True, report_json=tmp_path / "report.json")
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["document"]["kind"] == "activity_report"
    assert report["document"]["date"] == "2016-06-14"
    assert report["document"]["period"] == {"start": "2014-10", "end": "2016-04"}
    paragraphs = {p["number"]: p for p in report["paragraphs"]}
    assert sorted(paragraphs) == list(range(1, 75))
    assert sorted(n for n, p in paragraphs.items() if p["recovered"]) == [7, 65]
    assert paragraphs[2]["countries"] == ["BRB", "CZE", "KOR", "SGP", "LKA", "SDN"]
    # each paragraph's words as printed, its "(a)" items run on after one space
    assert paragraphs[2]["text"].startswith("The Trafficking in Persons Protocol has a total")
    assert "April 2016: (a) Thirty-six technical," in paragraphs[3]["text"]
    assert all(p["text"] == " ".join(p["text"].split()) for p in paragraphs.values())
    facts = {(f["paragraph"], f["unit"], f["value"]) for f in report["facts"]}
    assert (2, "parties", "169") in facts
    assert (3, "cases", "1311") in facts
    assert (3, "jurisdictions", "94") in facts
    (fund,) = report["projects"]
    assert fund["stated_shortfall"] == "500000"
    assert fund["budget"] is None
    assert ReportParagraph.objects.count() == 0  # a dry run


def test_each_document_records_the_format_it_was_read_from():
    ingest(BROCHURE_PDF, REPORT_TXT)
    formats = dict(SourceDocument.objects.values_list("kind", "file_format"))
    assert formats == {"brochure": "pdf", "activity_report": "text"}
