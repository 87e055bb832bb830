"""Another edition, made here from the 2010 text by edits: the parser must read what it says.

Nothing in the parser names a project, donor, country or figure; this edition changes
figures, donors and titles, drops a project (and its table of contents entry) and lays a
project out differently, and the parser must follow.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.parsers.brochure import parse_brochure_text
from ingest.parsers.donors import normalise_donor, parse_pledges

TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "partnership-opportunities-2010.txt"
D = Decimal


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) == count, old
    return text.replace(old, new)


def cut(text: str, start: str, end: str) -> str:
    """Remove from the line `start` up to (not including) the line `end`."""
    a = text.index(start)
    b = text.index(end, a)
    return text[:a] + text[b:]


BURUNDI_2011 = "\n".join(
    [
        "Strengthening the Criminal Justice Response",
        "to Human Trafficking in Burundi (BDIT42)",
        "",
        "Budget:       US$ 520,000",
        "Pledges:   US$ 300,000 from Japan   US$ 50,000 from the Kingdom of Denmark",
        "Country:  Burundi",
        "Shortfall:     US$ 170,000",
        "Region:   Africa & Middle East",
        "**Field Office:**\tMs. Jane Roe, Project Officer, UNODC Office in Bujumbura "
        "Tel.: +257 22 00 00 Email: jane.roe@unodc.org",
        "HQ Focal Point:  Ms. Silke Albert, Anti-Human Trafficking and Migrant Smuggling Unit "
        "Tel.: +43 1 26060 5698 Email: silke.albert@unodc.org",
        "",
        "The project helps <Burundi> & its partners to draft laws.",
        "",
        "",
    ]
)


def edition_text() -> str:
    """The 2010 text edited into a March 2011 edition (see the module docstring)."""
    text = TEXT.read_text(encoding="utf-8")
    text = edit(text, "January 2010", "March 2011")
    # figures and donors
    text = edit(text, "Budget:\tUS\\$ 3,010,320", "Budget:\tUS\\$ 3,100,000")
    text = edit(text, "Shortfall:\tUS\\$ 2,816,435", "Shortfall:\tUS\\$ 2,906,115")
    text = edit(text, "US\\$ 143,885 from France", "US\\$ 143,885 from the Kingdom of Denmark")
    text = edit(text, "Budget:\tUS\\$ 1,906.876", "Budget:\tUS\\$ 1,906,876")
    text = edit(
        text,
        "Total Pledges:\tUS\\$ 0\nShortfall:\tUS\\$ 1,921,050",
        ("Total Pledges:\tUS\\$ 21,050 from the Republic of Korea\nShortfall:\tUS\\$ 1,900,000"),
    )
    # a renamed project, in its table of contents and its heading
    text = edit(
        text,
        "The Andean Observatory on Human Trafficking",
        "The Andean Observatory on Trafficking in Persons",
        count=2,
    )
    # a project dropped, with its table of contents entry and subheading
    text = cut(
        text,
        "National Awareness Raising Campaign to Prevent",
        "The Arab Initiative to Combat Human Trafficking\n\nRegion:",
    )
    text = edit(
        text,
        "Egypt\n\nNational Awareness Campaign to Prevent and Combat Trafficking in Human Beings "
        "in Egypt..... 16\n\n",
        "",
    )
    # a project laid out differently
    start = text.index(
        "Strengthening the Criminal Justice Response to Human Trafficking in Burundi"
    )
    start = text.index("Strengthening the Criminal Justice Response", start + 100)
    end = text.index("The Arab Initiative to Combat Human Trafficking\n\nRegion:")
    return text[:start] + BURUNDI_2011 + text[end:]


@pytest.fixture(scope="module")
def edition():
    return parse_brochure_text(edition_text(), "edition-2011.txt")


def project(brochure, start):
    found = [p for p in brochure.projects if p.title.startswith(start)]
    assert len(found) == 1, start
    return found[0]


def test_edition_and_counts(edition):
    assert edition.edition == "2011-03"
    assert len([p for p in edition.projects if p.parent_title is None]) == 41
    assert len([p for p in edition.projects if p.parent_title is not None]) == 6
    assert not any(p.title.startswith("National Awareness") for p in edition.projects)
    africa = edition.sections[1]
    assert "Egypt" not in [s.name for s in africa.subregions]
    assert edition.warnings == ()


def test_new_figures_and_donors(edition):
    glot92 = project(edition, "Global Programme against Smuggling of Migrants")
    assert glot92.budget == D("3100000")
    assert [(p.donor, p.amount) for p in glot92.pledges] == [
        ("Türkiye", D("50000")),
        ("Denmark", D("143885")),
    ]
    assert glot92.stated_shortfall == D("2906115")
    assert glot92.issues == ()
    central_america = project(edition, "Regional Project against Trafficking")
    assert central_america.budget == D("1906876")
    assert central_america.issues == ()
    cambodia = project(edition, "Responding to Trafficking of Cambodian Males")
    assert [(p.donor, p.amount) for p in cambodia.pledges] == [("Republic of Korea", D("21050"))]
    assert [i.code for i in cambodia.issues] == []


def test_renamed_project_keeps_its_place(edition):
    andean = project(edition, "The Andean Observatory on Trafficking in Persons")
    assert (andean.subregion, andean.page) == ("Latin America", 55)
    assert "toc_mismatch" not in {i.code for i in andean.issues}


def test_project_laid_out_differently(edition):
    burundi = project(
        edition, "Strengthening the Criminal Justice Response to Human Trafficking in"
    )
    assert burundi.title == (
        "Strengthening the Criminal Justice Response to Human Trafficking in Burundi (BDIT42)"
    )
    assert burundi.code == "BDIT42"
    assert (burundi.subregion, burundi.page) == ("Burundi", 15)
    assert burundi.budget == D("520000")
    assert [(p.donor, p.amount) for p in burundi.pledges] == [
        ("Japan", D("300000")),
        ("Denmark", D("50000")),
    ]
    assert burundi.pledges_text.startswith("US$ 300,000 from Japan")
    assert burundi.stated_shortfall == D("170000")
    assert burundi.countries == ("BDI",)
    assert burundi.region_label == "Africa & Middle East"
    assert [(f.role, f.name, f.position, f.unit, f.email) for f in burundi.focal_points] == [
        (
            "hq",
            "Silke Albert",
            "",
            "Anti-Human Trafficking and Migrant Smuggling Unit",
            "silke.albert@unodc.org",
        ),
        ("field", "Jane Roe", "Project Officer", "UNODC Office in Bujumbura", "jane.roe@unodc.org"),
    ]
    assert burundi.issues == ()
    # whatever the text says is escaped
    assert burundi.description == (
        "<p>The project helps &lt;Burundi&gt; &amp; its partners to draft laws.</p>"
    )


def test_unchanged_projects_read_as_before(edition):
    au = project(edition, "Support to the Implementation of the AU Plan")
    assert au.budget == D("3500000")
    assert {i.code for i in au.issues} == {
        "malformed_amount",
        "phase_mismatch",
        "unnamed_donor",
        "shortfall_mismatch",
    }


def test_donor_names():
    assert normalise_donor("the United States of America") == "United States of America"
    assert normalise_donor("USA") == "United States of America"
    assert normalise_donor("the Republic of Korea") == "Republic of Korea"
    assert normalise_donor("South Korea") == "Republic of Korea"
    assert normalise_donor("Turkey") == "Türkiye"
    assert normalise_donor("Vietnam") == "Viet Nam"
    assert normalise_donor("Bolivia") == "Bolivia (Plurinational State of)"
    assert normalise_donor("the European Commission") == "European Commission"
    assert normalise_donor("the Netherlands") == "Netherlands"
    assert normalise_donor(" One UN ") == "One UN"
    assert normalise_donor("the Council of the Baltic Sea States") == (
        "Council of the Baltic Sea States"
    )


def test_pledge_lines():
    assert parse_pledges("US$0") == ((), ())
    assert parse_pledges("US\\$ 0") == ((), ())
    pledges, problems = parse_pledges(
        "US$ 1,000 from the United Kingdom US$ 2,5 million from Japan"
    )
    assert [(p.donor, p.amount) for p in pledges] == [
        ("United Kingdom of Great Britain and Northern Ireland", D("1000")),
        ("Japan", D("2500000")),
    ]
    assert [p.code for p in problems] == ["malformed_amount"]
    pledges, problems = parse_pledges("US$ 5,000 (pending)")
    assert [(p.donor, p.amount, p.note) for p in pledges] == [(None, D("5000"), "(pending)")]
    assert [p.code for p in problems] == ["unnamed_donor"]
    pledges, problems = parse_pledges("US$ 5,000 received so far")
    assert [(p.donor, p.amount, p.note) for p in pledges] == [(None, D("5000"), "received so far")]
    assert [p.code for p in problems] == ["unnamed_donor"]
