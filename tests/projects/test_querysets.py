from decimal import Decimal

import pytest

from projects.models import FundingStatus, Project
from tests import factories

pytestmark = pytest.mark.django_db


def figures(project):
    return Project.objects.with_totals().get(pk=project.pk)


def test_total_pledged_sums_every_pledge_exactly():
    gift = factories.donor("Norway")
    p = factories.project(
        budget="6576097", pledges=((gift, "125000"), (gift, "0.10"), (None, "12948"))
    )
    row = figures(p)
    assert row.pledged == Decimal("137948.10")
    assert row.computed_shortfall == Decimal("6438148.90")


def test_project_without_pledges_has_zero_pledged_and_full_shortfall():
    row = figures(factories.project(budget="358210"))
    assert row.pledged == Decimal("0")
    assert row.computed_shortfall == Decimal("358210")
    assert row.percent_funded == Decimal("0")
    assert row.funding_status == FundingStatus.UNFUNDED


def test_null_budget_gives_unknown_status_and_no_shortfall():
    row = figures(factories.project(budget=None, pledges=((factories.donor(), "700000"),)))
    assert row.pledged == Decimal("700000")
    assert row.computed_shortfall is None
    assert row.percent_funded is None
    assert row.funding_status == FundingStatus.UNKNOWN


def test_percent_funded_is_not_integer_division():
    # 1 / 3 of the budget: integer division in SQL would give 33 or 0, not 33.33.
    row = figures(factories.project(budget="3", pledges=((factories.donor(), "1"),)))
    assert row.percent_funded == Decimal("33.33")
    assert row.funding_status == FundingStatus.PARTLY_FUNDED


def test_fully_and_over_pledged_projects_are_funded():
    exact = figures(factories.project(budget="500", pledges=((factories.donor(), "500"),)))
    over = figures(factories.project(budget="500", pledges=((factories.donor(), "600"),)))
    assert exact.funding_status == over.funding_status == FundingStatus.FUNDED
    assert exact.computed_shortfall == Decimal("0")
    assert over.computed_shortfall == Decimal("-100")
    assert over.percent_funded == Decimal("120")


def test_zero_budget_has_no_percentage():
    row = figures(factories.project(budget="0"))
    assert row.percent_funded is None


def test_totals_stay_exact_when_joined_with_countries():
    donor = factories.donor()
    factories.project(
        budget="1000", pledges=((donor, "250"), (donor, "250")), countries=("KEN", "ETH", "EGY")
    )
    factories.project(budget="2000.50", pledges=((donor, "0.25"),))
    factories.project(budget=None, pledges=((donor, "99"),))
    qs = Project.objects.filter(countries__iso3__in=["KEN", "ETH", "EGY"]).distinct()
    assert qs.with_totals().get().pledged == Decimal("500")
    totals = Project.objects.totals()
    assert totals["budget"] == Decimal("3000.50")
    assert totals["pledged"] == Decimal("500.25")
    assert totals["shortfall"] == Decimal("2500.25")
    assert totals["pledged_unbudgeted"] == Decimal("99")
    assert totals["percent_funded"] == Decimal("16.67")


def test_filter_by_funding_status_in_sql():
    donor = factories.donor()
    unfunded = factories.project(budget="10")
    partly = factories.project(budget="10", pledges=((donor, "5"),))
    funded = factories.project(budget="10", pledges=((donor, "10"),))
    unknown = factories.project(budget=None)
    by_status = {
        status: set(
            Project.objects.with_totals().filter(funding_status=status).values_list("pk", flat=True)
        )
        for status in FundingStatus.values
    }
    assert by_status == {
        "unfunded": {unfunded.pk},
        "partly": {partly.pk},
        "funded": {funded.pk},
        "unknown": {unknown.pk},
    }


def test_published_hides_unpublished_projects():
    shown = factories.project()
    factories.project(published=False)
    assert list(Project.objects.published()) == [shown]


def test_examples_of_an_unpublished_programme_are_not_published():
    programme = factories.project(title="Programme", published=False)
    example = factories.project(title="Example", parent=programme)
    shown = factories.project(title="Example of a shown programme", parent=factories.project())
    assert example not in Project.objects.published()
    assert shown in Project.objects.published()


def test_the_stored_pledged_total_follows_every_pledge_change():
    donor = factories.donor()
    p = factories.project(budget="1000", pledges=((donor, "100"), (donor, "50.25")))
    assert figures(p).pledged == Decimal("150.25")
    pledge = p.pledges.first()
    pledge.amount = Decimal("300")
    pledge.save()
    assert figures(p).pledged == Decimal("350.25")
    pledge.delete()
    assert figures(p).pledged == Decimal("50.25")
    p.pledges.all().delete()
    assert figures(p).pledged == Decimal("0")
    assert figures(p).funding_status == FundingStatus.UNFUNDED


def test_refresh_recomputes_totals_after_bulk_writes():
    from projects.models import Pledge

    p = factories.project(budget="10")
    Pledge.objects.bulk_create([Pledge(project=p, amount=Decimal("4")) for _ in range(2)])
    assert figures(p).pledged == Decimal("0")  # bulk writes send no signals…
    Project.objects.filter(pk=p.pk).refresh_pledged_totals()
    assert figures(p).pledged == Decimal("8")  # …so their writers refresh the totals


def test_refresh_writes_only_the_rows_whose_total_changed():
    from projects.models import Pledge

    changed, unchanged, unpledged = (factories.project(budget="10") for _ in range(3))
    Pledge.objects.create(project=unchanged, amount=Decimal("3"))
    Pledge.objects.bulk_create([Pledge(project=changed, amount=Decimal("4"))])
    assert Project.objects.refresh_pledged_totals() == 1  # rows written: only `changed`
    assert figures(changed).pledged == Decimal("4")
    assert figures(unchanged).pledged == Decimal("3")
    assert figures(unpledged).pledged == Decimal("0")
    assert Project.objects.refresh_pledged_totals() == 0  # a second run writes nothing


BUDGETS = (None, "0", "1", "3", "7", "8", "800", "1234567.89", "6576097")
PLEDGED = ("0", "0.01", "1", "2.5", "137948.10", "1000000", "6576097", "7000000")


def test_a_projects_figures_computed_in_python_are_the_ones_sql_annotates():
    """A project's page computes its figures from the stored columns (with_figures); the
    lists, facets and exports annotate them in SQL (with_totals): every combination of a
    budget (unknown, zero, small, large) and a pledged total (none, under, equal, over, and
    percentages that round half a cent) gives the same figures both ways."""
    section = factories.section("Global")
    Project.objects.bulk_create(
        Project(
            title=f"Figures {budget} {pledged}",
            slug=f"figures-{i}-{j}",
            section=section,
            budget=None if budget is None else Decimal(budget),
            pledged_total=Decimal(pledged),
        )
        for i, budget in enumerate(BUDGETS)
        for j, pledged in enumerate(PLEDGED)
    )
    names = ("pledged", "computed_shortfall", "percent_funded", "funding_status")
    annotated = Project.objects.with_totals().filter(slug__startswith="figures-")
    assert len(annotated) == len(BUDGETS) * len(PLEDGED)
    for row in annotated:
        stored = Project.objects.get(pk=row.pk).with_figures()
        for name in names:
            assert getattr(stored, name) == getattr(row, name), (row.title, name)
    assert {row.funding_status for row in annotated} == set(FundingStatus.values)
