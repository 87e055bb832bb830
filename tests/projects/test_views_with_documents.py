"""The pages on the real documents: the brochure and the activity report ingested together."""

from pathlib import Path

import pytest
from django.core.management import call_command

from ingest.models import ReportParagraph
from projects.models import Pledge, Project

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def documents(db):
    call_command(
        "ingest",
        str(FIXTURES / "partnership-opportunities-2010.txt"),
        str(FIXTURES / "tip-protocol-activities-report-2016.txt"),
        verbosity=0,
    )


def test_the_trust_fund_opportunity_cites_the_report(client, documents):
    fund = Project.objects.get(source_document__kind="activity_report")
    page = client.get(fund.get_absolute_url()).content.decode()
    assert "US$\u00a0500,000" in page
    assert "paragraph 72" in page
    assert fund.source_document.title in page
    assert "June 2016" in page


def test_a_project_page_shows_the_report_paragraphs_naming_its_countries(
    client, documents, django_assert_max_num_queries
):
    project = Project.objects.get(code="XAMT14")  # Morocco, Algeria, Tunisia, Libya, Egypt
    expected = set(
        ReportParagraph.objects.filter(countries__in=project.countries.all()).values_list(
            "number", flat=True
        )
    )
    assert expected
    with django_assert_max_num_queries(12):
        response = client.get(project.get_absolute_url())
    page = response.content.decode()
    assert "UNODC activity in these countries (2014–2016)" in page
    for number in expected:
        assert f"¶ {number}" in page
    assert "January 2010" in page  # the brochure's figures say which edition they are from


def test_a_country_page_lists_projects_and_paragraphs(client, documents):
    page = client.get("/countries/EGY/").content.decode()
    numbers = ReportParagraph.objects.filter(countries="EGY").values_list("number", flat=True)
    assert numbers
    for number in numbers:
        assert f"¶ {number}" in page
    for project in Project.objects.filter(countries="EGY", published=True, parent=None):
        assert project.title in page


def test_the_overview_counts_every_programme_of_both_documents(client, documents):
    response = client.get("/")
    totals = response.context["totals"]
    assert totals["projects"] == 43  # 42 brochure programmes and the Trust Fund
    # Summed here in Python from the rows, independently of the QuerySet figures.
    budgeted = [p for p in Project.objects.filter(published=True, parent=None) if p.budget]
    budget = sum(p.budget for p in budgeted)
    pledged = sum(pl.amount for pl in Pledge.objects.filter(project__in=budgeted))
    assert totals["budget"] == budget
    assert totals["pledged"] == pledged
    assert totals["shortfall"] == budget - pledged


def test_the_list_shows_a_stated_need_where_no_budget_is_known(client, documents):
    fund = Project.objects.get(source_document__kind="activity_report")
    page = client.get("/projects/", {"q": "Trust Fund"}).content.decode()
    assert fund.title in page
    assert (
        'US$\u00a0500,000 <span class="note">as published; the budget is not known</span>' in page
    )
