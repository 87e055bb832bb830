"""Every admin changelist and change page loads with a bounded number of queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from donors.models import Donor
from ingest.models import DataIssue, ReportFact, ReportParagraph, SourceDocument
from projects.models import Country, FocalPoint, Pledge, Project, Region
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = [
    Project,
    Region,
    Country,
    FocalPoint,
    Pledge,
    Donor,
    SourceDocument,
    DataIssue,
    ReportParagraph,
    ReportFact,
]


@pytest.fixture
def populated():
    sections = [factories.section(f"Section {n}", order=n) for n in range(3)]
    donors = [factories.donor(f"Donor {n}", kind=Donor.Kind.GOVERNMENT) for n in range(5)]
    document = SourceDocument.objects.create(title="Brochure", kind="brochure", edition="2010-01")
    projects = []
    for n in range(30):
        p = factories.project(
            title=f"Project {n}",
            budget=str(1000 * (n + 1)),
            pledges=tuple((donors[(n + k) % 5], "100") for k in range(3)),
            countries=("KEN", "EGY"),
            section=sections[n % 3],
            subregion=factories.subregion(sections[n % 3], f"Sub {n % 3}"),
            source_document=document,
        )
        factories.focal_point(p, "hq")
        factories.focal_point(p, "field")
        DataIssue.objects.create(
            document=document, project=p, code="shortfall_mismatch", message="m"
        )
        paragraph = ReportParagraph.objects.create(
            document=document, number=n + 1, outline="II. A.", theme="normative work", text="t"
        )
        paragraph.countries.set(["KEN", "EGY"])
        ReportFact.objects.create(
            document=document, label="parties", value=169, unit="parties", paragraph_number=n + 1
        )
        projects.append(p)
    return projects


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelists_load_with_bounded_queries(
    staff_client, populated, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    # Every row of the table is there: the count counted here, a link to each object shown.
    html = response.content.decode()
    total = model.objects.count()
    assert total > 0
    name = model._meta.verbose_name if total == 1 else model._meta.verbose_name_plural
    assert re.search(rf"{total}\s+{re.escape(str(name))}", html), (total, name)
    shown = model.objects.order_by("pk")[:100] if total > 100 else model.objects.all()
    linked = set(
        re.findall(rf'href="{re.escape(admin_url(model, "changelist"))}([^/"]+)/change/', html)
    )
    if total <= 100:
        assert linked == {str(obj.pk) for obj in shown}
    else:
        assert len(linked) == 100


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_pages_load_with_bounded_queries(
    staff_client, populated, model, django_assert_max_num_queries
):
    obj = model.objects.first()
    # The project page renders three pledge rows, two focal-point rows and their widgets.
    with django_assert_max_num_queries(30):
        response = staff_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    # The page is this object's: its name as heading, its own values in the form.
    assert f"<h2>{escape(str(obj))}</h2>" in response.content.decode()
    form = response.context["adminform"].form
    assert form.instance.pk == obj.pk
    for field in form.fields:
        model_field = getattr(obj, field, None)
        if isinstance(model_field, str | int | Decimal) and not isinstance(model_field, bool):
            assert form[field].value() == model_field, field


def test_project_changelist_shows_computed_figures(staff_client, populated):
    response = staff_client.get(admin_url(Project, "changelist"), {"q": "Project 7"})
    (row,) = [r for r in response.context["cl"].result_list if r.title == "Project 7"]
    assert row.pledged == 300
    assert row.computed_shortfall == 8000 - 300
    assert b"Partly funded" in response.content


def test_project_changelist_filters_by_funding_status(staff_client, populated):
    unfunded = factories.project(title="Nothing pledged yet", budget="10")
    response = staff_client.get(admin_url(Project, "changelist"), {"funding_status": "unfunded"})
    assert list(response.context["cl"].result_list) == [unfunded]


def test_staff_edit_is_recorded_so_ingest_keeps_it(staff_client, populated):
    project = populated[0]
    url = admin_url(Project, "change", project.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["countries"] = [c.pk for c in project.countries.all()]
    data["title"] = "Edited by staff"
    for prefix, manager in (
        ("pledges", project.pledges),
        ("focal_roles", project.focal_roles),
        ("phases", project.phases),
    ):
        rows = list(manager.all())
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-project"] = project.pk
            for field in ("donor", "amount", "note", "order", "focal_point", "role", "label"):
                if hasattr(row, f"{field}_id"):
                    data[f"{prefix}-{i}-{field}"] = getattr(row, f"{field}_id") or ""
                elif hasattr(row, field):
                    data[f"{prefix}-{i}-{field}"] = getattr(row, field)
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.title == "Edited by staff"
    assert project.edited_fields == ["title"]
