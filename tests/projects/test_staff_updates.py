"""Staff edits in the admin: only real changes count, each is kept in the project's history,
and the portal tells an update from what the document published."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.history import project_state, record_revision
from projects.models import Project, ProjectRevision
from tests import factories

pytestmark = pytest.mark.django_db

DESCRIPTION = "<p>Training for <strong>border</strong> officers.</p>\n<p>Second paragraph.</p>"


@pytest.fixture
def published():
    """A project as an ingest of the January 2010 brochure left it, page 26."""
    document = factories.source_document(title="Partnership Opportunities", edition="2010-01")
    project = factories.project(
        title="Border training",
        code="XAMT14",
        budget="1758800",
        budget_text="US$ 1.76 million",
        stated_shortfall="1758800",
        shortfall_text="US$ 1,758,800",
        description=DESCRIPTION,
        countries=("KEN",),
        source_document=document,
        source_page=26,
    )
    factories.focal_point(project, "hq", name="Ana Example", email="ana@unodc.example")
    record_revision(project, None, project_state(project), document=document, page=26)
    return project


def change_url(project) -> str:
    return reverse("admin:projects_project_change", args=[project.pk])


def form_data(response) -> dict:
    """What a browser sends back for the change form as shown: every form, every inline."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, str):
                value = value.replace("\n", "\r\n")  # as browsers send a textarea
            elif isinstance(value, Decimal):
                value = form.fields[name].widget.format_value(value)
            data[form.add_prefix(name)] = value
    return data


def add_pledge(data: dict, donor, amount: str) -> dict:
    n = int(data["pledges-TOTAL_FORMS"])
    return data | {
        "pledges-TOTAL_FORMS": n + 1,
        f"pledges-{n}-donor": donor.pk,
        f"pledges-{n}-amount": amount,
        f"pledges-{n}-order": n,
    }


def test_saving_without_a_change_records_no_edit(staff_client, published):
    response = staff_client.get(change_url(published))
    saved = staff_client.post(change_url(published), form_data(response))
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    published.refresh_from_db()
    assert published.edited_fields == []
    assert published.description == DESCRIPTION
    assert published.revisions.count() == 1  # only the ingest's


def test_a_real_change_is_an_edit_kept_in_the_history(staff_client, published):
    norway = factories.donor("Norway")
    data = form_data(staff_client.get(change_url(published)))
    data = add_pledge(data | {"budget": "2000000"}, norway, "500000")
    response = staff_client.post(change_url(published), data)
    published.refresh_from_db()
    assert sorted(published.edited_fields) == ["budget", "pledges"]
    staff_update = published.revisions.order_by("pk").last()
    assert staff_update.who == "staff" and staff_update.document is None
    assert staff_update.changes == [
        {
            "field": "budget",
            "label": "Budget",
            "old": "US$\u00a01,758,800",
            "new": "US$\u00a02,000,000",
        },
        {
            "field": "pledges",
            "label": "Pledges",
            "old": "none",
            "new": "Norway US$\u00a0500,000",
            "summary": "added Norway US$\u00a0500,000",
        },
    ]
    assert (staff_update.budget, staff_update.pledged) == (Decimal("2000000"), Decimal("500000"))
    # The published shortfall (1,758,800) no longer fits: staff are asked what to do with it.
    assert response["Location"] == reverse("admin:projects_project_shortfall", args=[published.pk])
    page = unescape(
        re.sub(r"<[^>]+>", " ", staff_client.get(response["Location"]).content.decode())
    )
    assert "Published shortfall: US$ 1,758,800" in " ".join(page.split())
    assert "Set it to budget − pledged (US$ 1,500,000)" in " ".join(page.split())

    staff_client.post(response["Location"], {"choice": "compute"})
    published.refresh_from_db()
    assert published.stated_shortfall == Decimal("1500000")
    assert "stated_shortfall" in published.edited_fields
    last = published.revisions.order_by("pk").last()
    assert last.changes[0]["old"] == "US$\u00a01,758,800"
    assert last.changes[0]["new"] == "US$\u00a01,500,000"

    staff_client.post(response["Location"], {"choice": "clear"})
    published.refresh_from_db()
    assert published.stated_shortfall is None


def test_countries_and_title_changes_are_kept_in_the_history(staff_client, published):
    data = form_data(staff_client.get(change_url(published)))
    data |= {"countries": ["KEN", "UGA"], "title": "Border training  "}
    staff_client.post(change_url(published), data)
    published.refresh_from_db()
    assert published.edited_fields == ["countries"]  # the title only gained a space
    assert published.title == "Border training"
    assert published.revisions.order_by("pk").last().changes == [
        {
            "field": "countries",
            "label": "Countries",
            "old": "Kenya",
            "new": "Kenya, Uganda",
            "summary": "added Uganda",
        }
    ]


def test_keeping_the_published_shortfall_changes_nothing(staff_client, published):
    data = form_data(staff_client.get(change_url(published))) | {"budget": "2000000"}
    response = staff_client.post(change_url(published), data)
    staff_client.post(response["Location"], {"choice": "keep"})
    published.refresh_from_db()
    assert published.stated_shortfall == Decimal("1758800")
    assert published.edited_fields == ["budget"]


def test_an_edit_that_keeps_the_shortfall_right_is_not_asked_about(staff_client, published):
    data = form_data(staff_client.get(change_url(published)))
    data |= {"budget": "2000000", "stated_shortfall": "2000000"}
    response = staff_client.post(change_url(published), data)
    assert response["Location"] == reverse("admin:projects_project_changelist")


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_public_page_tells_an_update_from_the_published_figures(
    client, staff_client, published
):
    before = page_text(client.get(published.get_absolute_url()))
    assert "Figures as published in Partnership Opportunities , January 2010, page 26" in before
    assert "Figures over time" not in before  # one edition, no update: nothing to compare
    assert "Printed as “US$ 1.76 million”" in before

    norway = factories.donor("Norway")
    data = add_pledge(
        form_data(staff_client.get(change_url(published))) | {"budget": "2000000"},
        norway,
        "500000",
    )
    staff_client.post(change_url(published), data)
    revision = published.revisions.order_by("pk").last()
    on = f"{timezone.localtime(revision.changed_at):%-d %B %Y}"  # the portal's time zone
    page = page_text(client.get(published.get_absolute_url()))
    # The update is not shown as the document's inconsistency...
    assert "does not match" not in page
    assert "Shortfall as published" not in page
    # ...each figure says where it comes from...
    assert f"Budget: UNODC update , {on}" in page
    assert f"Pledges: UNODC update , {on}" in page
    assert (
        "Stated shortfall: as published in Partnership Opportunities , January 2010, page 26"
        in (page)
    )
    assert "the document's own, US$ 1,758,800, predates the update" in page
    assert "Shortfall US$ 1,500,000" in page
    # ...and the figures over time list the edition, then the update.
    timeline = page[page.index("Figures over time") :]
    assert timeline.index("January 2010: as published") < timeline.index(f"{on}: UNODC update")
    assert "Budget US$ 1,758,800 · pledged US$ 0 · shortfall stated US$ 1,758,800" in timeline
    assert "Budget: US$ 1,758,800 → US$ 2,000,000" in timeline
    assert "Pledges: added Norway US$ 500,000" in timeline
    assert "Printed as" not in page  # the printed budget is not shown beside the updated one


def test_a_document_that_does_not_add_up_is_still_flagged(client):
    document = factories.source_document(edition="2010-01")
    project = factories.project(
        title="Inconsistent", budget="1000", stated_shortfall="900", source_document=document
    )
    page = page_text(client.get(project.get_absolute_url()))
    assert "printed US$ 900; US$ 1,000 budget less US$ 0 pledged gives US$ 1,000" in page


def test_the_admin_reads_like_the_portal(staff_client, published):
    factories.donor("Norway")
    published.pledges.create(donor=factories.donor("Sweden"), amount=Decimal("250000.00"))
    html = staff_client.get(change_url(published)).content.decode()
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert "Pledged: US$ 250,000" in text
    assert "Shortfall (budget − pledged): US$ 1,508,800" in text
    assert re.search(r'US\$</span><input type="text" name="budget" value="1758800"', html)
    assert "US$ 250,000 from Sweden" in text
    assert 'name="pledges-0-amount" value="250000"' in html
    # Pledges and phases right after the budget, before the shortfall and "Where".
    assert (
        html.index('id="pledges-group"') < html.index('id="phases-group"') < html.index(">Where<")
    )
    assert html.index(">Budget<") < html.index('id="pledges-group"')
    assert "exactly as the document printed it" in text  # budget as printed
    assert "The shortfall the document states." in text
    assert "History of the figures" in text


def test_history_is_recorded_by_ingests_and_each_new_edition():
    from dataclasses import replace

    from ingest.loader import load_brochure
    from tests.ingest.test_loader import brochure

    load_brochure(brochure())
    load_brochure(brochure())  # the same edition again: nothing new
    programme = Project.objects.get(code="ABCD12")
    assert programme.revisions.count() == 1
    first = programme.revisions.get()
    assert first.who == "ingest of Partnership Opportunities, 2010-01"
    assert {c["field"] for c in first.changes} >= {"title", "budget", "pledges", "focal_roles"}

    newer = brochure("2012-06")
    load_brochure(newer)  # a new edition with the same figures is still an entry
    changed = replace(newer.projects[0], budget=Decimal("2000"))
    load_brochure(replace(brochure("2014-01"), projects=(changed, *newer.projects[1:])))
    revisions = list(ProjectRevision.objects.filter(project=programme).order_by("pk"))
    assert [r.document.edition for r in revisions] == ["2010-01", "2012-06", "2014-01"]
    assert revisions[1].changes == []
    assert revisions[2].changes == [
        {"field": "budget", "label": "Budget", "old": "US$\u00a01,000", "new": "US$\u00a02,000"}
    ]
