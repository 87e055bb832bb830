"""The focal-point and donor directories: sorted, indexed, filtered, one entry per person."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ingest.loader import load_brochure
from projects.models import FocalPoint, ProjectFocalPoint
from projects.people import index_letter, sort_key, surname
from tests import factories
from tests.ingest.test_focal_point_people import WITH_EMAIL, WITHOUT_EMAIL, brochure

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Silke Albert", "Albert"),
        ("Felipe De La Torre", "De La Torre"),
        ("Virginia de Abajo-Marques", "de Abajo-Marques"),
        ("Julie Platou Kvammen", "Kvammen"),
        ("Cher", "Cher"),
        ("", ""),
    ],
)
def test_surname_is_the_last_word_with_its_particles(name, expected):
    assert surname(name) == expected


def test_sort_key_files_a_name_under_its_surname_without_particles_or_accents():
    names = ["Felipe De La Torre", "Élodie Östberg", "Ana Zed", "Bo Abel", "Virginia de Abajo"]
    assert sorted(names, key=sort_key) == [
        "Virginia de Abajo",
        "Bo Abel",
        "Élodie Östberg",
        "Felipe De La Torre",
        "Ana Zed",
    ]
    assert [index_letter(n) for n in ("Élodie Östberg", "Ana 3rd", "Felipe De La Torre")] == [
        "O",
        "#",
        "T",
    ]


@pytest.fixture
def people():
    africa, asia = factories.section("Africa", 1), factories.section("Asia", 2)
    kenya = factories.project("Kenya work", section=africa)
    nepal = factories.project("Nepal work", section=asia)
    factories.focal_point(kenya, name="Zoe Zulu", email="zoe@unodc.org")
    factories.focal_point(nepal, name="Ana Brown", email="ana@unodc.org")
    adam = factories.focal_point(kenya, "field", name="Adam Young", email="adam@unodc.org")
    ProjectFocalPoint.objects.create(project=nepal, focal_point=adam.focal_point, role="hq")
    return {"africa": africa, "asia": asia}


def test_focal_points_are_sorted_by_surname_under_letters(client, people):
    response = client.get(reverse("focal_point_list"))
    page = text(response)
    assert page.index("Ana Brown") < page.index("Adam Young") < page.index("Zoe Zulu")
    html = response.content.decode()
    for letter in "BYZ":
        assert f'<a href="#letter-{letter}">{letter}</a>' in html
        assert f'<h2 id="letter-{letter}">{letter}</h2>' in html
    # Letters without anyone are shown but not linked.
    assert '<span aria-hidden="true">A</span>' in html and 'href="#letter-A"' not in html
    assert "3 people, by surname." in page


def test_the_section_filter_narrows_people_and_their_projects_without_javascript(client, people):
    response = client.get(reverse("focal_point_list"), {"section": "asia"})
    page = text(response)
    assert "Ana Brown" in page and "Adam Young" in page and "Zoe Zulu" not in page
    assert "Nepal work" in page and "Kenya work" not in page  # Adam's Kenya role is hidden
    html = response.content.decode()
    assert '<form method="get"' in html and '<option value="asia" selected>' in html
    assert "2 people, by surname." in page


def test_an_unknown_section_shows_everyone(client, people):
    page = text(client.get(reverse("focal_point_list"), {"section": "nowhere"}))
    assert "Zoe Zulu" in page and "Ana Brown" in page


def test_a_section_without_people_says_so(client, people):
    factories.section("Europe", 3)
    page = text(client.get(reverse("focal_point_list"), {"section": "europe"}))
    assert "No focal point is listed for this section." in page


def test_directory_and_list_facet_show_one_entry_per_person(client):
    load_brochure(brochure((WITH_EMAIL,), (WITHOUT_EMAIL,), (WITHOUT_EMAIL,)), file_hash="a")
    page = text(client.get(reverse("focal_point_list")))
    assert page.count("Ms. Ana Example") == 1
    assert page.count("Project 1") == page.count("Project 3") == 1
    facets = client.get(reverse("project_list")).context["facets"]
    focal = next(facet for facet in facets if facet.name == "focal_point")
    assert [(o.label, o.count) for o in focal.options] == [("Ana Example", 3)]
    assert FocalPoint.objects.count() == 1


def test_focal_point_directory_runs_three_queries(client, people, django_assert_num_queries):
    with django_assert_num_queries(3):  # sections, people, their roles
        client.get(reverse("focal_point_list"), {"section": "africa"})


def test_donors_are_sorted_by_name_with_total_pledged_and_projects(
    client, django_assert_num_queries
):
    norway = factories.donor("Norway")
    austria = factories.donor("Austria")
    factories.donor("Zeta Foundation")
    factories.project("One", pledges=((norway, "250000.50"), (norway, "100")))
    factories.project("Two", pledges=((norway, "1000"), (austria, "5")))
    factories.project("Hidden", pledges=((austria, "999"),), published=False)
    with django_assert_num_queries(2):  # the donors, then the freshness of their figures
        response = client.get(reverse("donor_list"))
    donors = list(response.context["donors"])
    assert [d.name for d in donors] == ["Austria", "Norway", "Zeta Foundation"]
    assert [(d.pledged, d.project_count) for d in donors] == [
        (Decimal("5"), 1),
        (Decimal("251100.50"), 2),
        (Decimal("0"), 0),
    ]
    page = text(response)
    assert re.search(r"Norway \w+ 2 US\$ 251,100\b", page)
