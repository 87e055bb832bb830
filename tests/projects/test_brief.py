"""The PDF brief: one page per project, each with its figures, their sources, pledges,
countries, focal points and description — read back from the PDF with pdfplumber."""

import io
from decimal import Decimal

import pdfplumber
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from projects import brief
from projects.models import Project
from projects.templatetags.figures import money
from tests import factories

pytestmark = pytest.mark.django_db


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        # Words as laid out; line breaks inside a cell become spaces.
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def shown(amount) -> str:
    """An amount as the brief's text layer gives it back: its no-break space as a space."""
    return " ".join(money(amount).split())


@pytest.fixture
def africa():
    section = factories.section("Africa and Middle East")
    brochure = factories.source_document()
    germany, norway = factories.donor("Germany"), factories.donor("Norway")
    made = []
    for i in range(4):
        project = factories.project(
            title=f"Border protection programme {i}",
            code=f"XAM{i}T",
            budget=Decimal(750_000 + 125_000 * i) + (Decimal("0.50") if i == 2 else 0),
            pledges=((germany, Decimal(100_000 * (i + 1))), (norway, Decimal(25_000))),
            countries=("SEN", "MLI") if i % 2 else ("NER",),
            section=section,
            stated_shortfall=Decimal(600_000),
            source_document=brochure,
            source_page=20 + i,
            description=f"<p>Helps officers <strong>identify victims</strong> ({i}).</p>",
        )
        factories.focal_point(project, "hq", name=f"Person {i}", email=f"p{i}@unodc.example")
        made.append(project)
    factories.project(title="Elsewhere", budget="5000", section=factories.section("Global"))
    return section, made


def test_the_brief_has_a_page_per_project_with_its_figures(client, africa):
    section, made = africa
    response = client.get(reverse("project_brief"), {"section": section.slug})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'inline; filename="brief-africa-and-middle-east-{today}.pdf"'
    )
    pages = pages_text(response.content)
    assert len(pages) == len(made)
    # In the list's order: the largest shortfall first.
    by_shortfall = sorted(made, key=lambda p: p.budget - p.pledged_total, reverse=True)
    for page, project in zip(pages, by_shortfall, strict=True):
        project.refresh_from_db()
        pledged = sum(p.amount for p in project.pledges.all())
        assert project.title in page
        assert f"UNODC code {project.code}" in page
        assert shown(project.budget) in page
        assert shown(pledged) in page
        assert shown(project.budget - pledged) in page
        assert shown(project.stated_shortfall) in page
        for pledge in project.pledges.all():
            assert f"{pledge.donor.name} {shown(pledge.amount)}" in page
        for country in project.countries.all():
            assert country.name in page
        assert f"Person {project.code[3]}" in page and "unodc.example" in page
        assert "identify victims" in page
        assert f"Partnership Opportunities, January 2010, page {project.source_page}" in page
        assert "Budget − pledged, computed by the portal" in page
        assert f"/projects/{project.slug}/" in page
        assert "Section: Africa and Middle East" in page


def test_a_staff_update_says_so_beside_the_figure(client, africa):
    _, made = africa
    Project.objects.filter(pk=made[0].pk).update(edited_fields=["budget"])
    response = client.get(reverse("project_brief"), {"q": made[0].code})
    (page,) = pages_text(response.content)
    today = date_format(timezone.localdate(), "j F Y")
    assert f"UNODC update, {today}" in page
    assert "Updated by UNODC since publication: budget" in page


def test_a_long_project_still_takes_one_page(client):
    donors = [factories.donor(f"Donor number {i}") for i in range(40)]
    project = factories.project(
        title="A programme with everything " * 6,
        code="XLONG1",
        budget="90000000",
        pledges=tuple((d, Decimal(10_000 + i)) for i, d in enumerate(donors)),
        countries=tuple(
            ["AFG", "ALB", "DZA", "AGO", "ARG", "ARM", "AUS", "AUT", "AZE", "BHS", "BHR"]
            + ["BGD", "BRB", "BLR", "BEL", "BLZ", "BEN", "BTN", "BOL", "BIH", "BWA", "BRA"]
            + ["BRN", "BGR", "BFA", "BDI", "KHM", "CMR", "CAN", "CPV", "CAF", "TCD", "CHL"]
            + ["CHN", "COL", "COM", "COG", "CRI", "CIV", "HRV", "CUB", "CYP", "CZE", "DNK"]
        ),
        description="<p>" + "Victims are identified and protected. " * 400 + "</p>",
    )
    for i in range(12):
        factories.focal_point(project, "field" if i % 2 else "hq", position="Officer " * 8)
    factories.project(title="A short one", code="XSHORT", budget="1000")
    response = client.get(reverse("project_brief"))
    pages = pages_text(response.content)
    assert len(pages) == 2
    long_page = next(p for p in pages if "XLONG1" in p)
    assert shown(project.budget) in long_page
    assert "more pledges, on the portal" in long_page
    assert "The full description is on the portal." in long_page


def test_the_brief_refuses_what_it_cannot_make(client, africa):
    assert client.get(reverse("project_brief"), {"q": "nothing like this"}).status_code == 404
    assert client.get(reverse("project_brief"), {"min_shortfall": "lots"}).status_code == 400
    section = factories.section("Crowded")
    Project.objects.bulk_create(
        Project(title=f"P{i}", slug=f"crowded-{i}", section=section)
        for i in range(brief.BRIEF_MAX_PROJECTS + 1)
    )
    response = client.get(reverse("project_brief"), {"section": section.slug})
    assert response.status_code == 400
    assert f"at most {brief.BRIEF_MAX_PROJECTS} projects" in response.content.decode()


def test_pages_link_to_the_brief_of_their_programmes(client, africa):
    section, made = africa
    page = client.get(section.get_absolute_url()).content.decode()
    assert f'href="/projects/brief.pdf?section={section.slug}"' in page
    page = client.get(reverse("project_list"), {"section": section.slug}).content.decode()
    assert f'href="/projects/brief.pdf?section={section.slug}"' in page


def test_the_command_writes_the_same_brief(africa, tmp_path):
    section, made = africa
    call_command(
        "export_shortfalls", "--format", "pdf", "--section", section.slug, "-o", tmp_path / "b.pdf"
    )
    pages = pages_text((tmp_path / "b.pdf").read_bytes())
    assert len(pages) == len(made)
    assert all("Border protection programme" in page for page in pages)
