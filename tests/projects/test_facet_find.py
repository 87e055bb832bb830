"""A long facet (focal points: hundreds in a large portfolio) lists the people with the most
projects in the results, the chosen ones and those found by name; the others are a search away,
without JavaScript."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy, override

from projects.filters import FEW, Facet, Option, strxfrm_key, with_find
from projects.models import FocalPoint, Project, ProjectFocalPoint
from tests import factories

pytestmark = pytest.mark.django_db


def people_facet(counts: dict[str, int], chosen: str = "") -> Facet:
    options = [
        Option(str(n), name, count, name == chosen)
        for n, (name, count) in enumerate(sorted(counts.items()))
    ]
    return Facet("focal_point", "Focal point", "Anyone", options)


def test_the_people_with_most_projects_the_chosen_and_the_found_are_listed():
    counts = {f"Person {n:02d}": n for n in range(30)}
    counts["Zoë Émile"] = 1
    short = with_find(people_facet(counts, chosen="Person 01"), "")
    labels = [o.label for o in short.options]
    assert labels == sorted(labels)  # in the facet's order, not by count
    assert set(labels) == {f"Person {n:02d}" for n in range(30 - FEW, 30)} | {"Person 01"}
    assert short.hidden == len(counts) - len(labels) - 1  # Person 00 has no project
    found = with_find(people_facet(counts, chosen="Person 01"), "  zoe  EMILE ")
    assert [o.label for o in found.options] == ["Person 01", "Zoë Émile"]
    assert found.find == "zoe EMILE" and found.open
    few = with_find(people_facet({"Ana": 2, "Ben": 1}), "")
    assert [o.label for o in few.options] == ["Ana", "Ben"] and few.hidden == 0


def test_names_are_folded_the_same_however_often_and_in_whatever_language():
    # Folded labels are kept between requests: a lazy label is folded as the language it is
    # asked in reads it, not as it was read the first time.
    assert strxfrm_key("Égypte") == strxfrm_key("egypte") == "egypte"
    assert strxfrm_key("Égypte") == "egypte"  # a second time, from what was kept
    assert strxfrm_key("Zoë ÉMILE") == "zoe emile"
    anyone = gettext_lazy("Anyone")
    assert strxfrm_key(anyone) == "anyone"
    with override("fr"):
        assert strxfrm_key(anyone) == strxfrm_key(str(anyone)) != "anyone"


def options_shown(html: str) -> list[str]:
    return re.findall(r'name="focal_point" value="(\d+)"', html)


def test_the_list_finds_a_person_by_name_without_javascript(client):
    programmes = factories.portfolio(40)
    people = [FocalPoint.objects.create(name=f"Officer {n:02d}") for n in range(FEW + 8)]
    ProjectFocalPoint.objects.bulk_create(
        ProjectFocalPoint(project=programmes[n], focal_point=person, role="field")
        for n, person in enumerate(people)
    )
    with_projects = FocalPoint.objects.filter(roles__project__published=True).distinct().count()
    assert with_projects > FEW
    html = client.get(reverse("project_list")).content.decode()
    assert len(options_shown(html)) == FEW
    assert f"{with_projects - FEW} more not listed: find them by name." in html
    assert 'name="find_focal_point"' in html

    wanted = people[-1]
    url = reverse("project_list") + "?" + urlencode({"find_focal_point": wanted.name.lower()})
    found = client.get(url).content.decode()
    assert options_shown(found) == [str(wanted.pk)]
    assert f'value="{wanted.name.lower()}"' in found
    # Choosing the person found filters the list; the person stays listed and checked.
    chosen = client.get(reverse("project_list") + f"?focal_point={wanted.pk}")
    assert f'value="{wanted.pk}" checked' in chosen.content.decode()
    assert chosen.context["page"].paginator.count == (
        Project.objects.programmes().filter(focal_roles__focal_point=wanted).distinct().count()
    )
    # The search changes the panel, never the results or what is downloaded.
    assert client.get(url).context["export_query"] == ""


def test_countries_are_found_by_name_or_code():
    options = [
        Option("SEN", "Senegal", 3, False),
        Option("MLI", "Mali", 5, False),
        Option("CIV", "Côte d'Ivoire", 1, False),
    ]
    facet = Facet("country", "Country", "Any country", options)
    assert [o.value for o in with_find(facet, "cote").options] == ["CIV"]
    assert [o.value for o in with_find(facet, "MLI").options] == ["MLI"]  # by its code too
    assert [o.value for o in with_find(facet, "").options] == ["SEN", "MLI", "CIV"]  # few: all
