"""The 2010 brochure, from its text rendition and from its PDF: expected values and equality.

Expected values are read by hand from the printed document.
"""

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.parsers.brochure import looks_like_brochure, parse_brochure_pdf, parse_brochure_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TEXT = FIXTURES / "partnership-opportunities-2010.txt"
PDF = FIXTURES / "partnership-opportunities-2010.pdf"

D = Decimal


@pytest.fixture(scope="module")
def text_brochure():
    return parse_brochure_text(TEXT.read_text(encoding="utf-8"), str(TEXT))


@pytest.fixture(scope="module")
def pdf_run():
    calls = []
    brochure = parse_brochure_pdf(PDF, progress=lambda done, total: calls.append((done, total)))
    return brochure, calls


@pytest.fixture(scope="module")
def pdf_brochure(pdf_run):
    return pdf_run[0]


def by_title(brochure, start):
    found = [p for p in brochure.projects if p.title.startswith(start)]
    assert len(found) == 1, (start, [p.title for p in found])
    return found[0]


def by_code(brochure, code):
    found = [p for p in brochure.projects if p.code == code]
    assert len(found) == 1, code
    return found[0]


def codes(project):
    return {i.code for i in project.issues}


def donors(project):
    return [(p.donor, p.amount) for p in project.pledges]


# ---------------------------------------------------------------- PDF == text


def _comparable(project):
    out = {}
    for f in dataclasses.fields(project):
        value = getattr(project, f.name)
        if f.name == "where":
            continue  # "line N" vs "page N"
        if f.name == "issues":
            value = tuple(dataclasses.replace(i, where="") for i in value)
        if f.name == "description":
            value = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", value))
        out[f.name] = value
    return out


def test_pdf_and_text_give_the_same_brochure(text_brochure, pdf_brochure):
    assert pdf_brochure.source_format == "pdf" and text_brochure.source_format == "text"
    assert pdf_brochure.title == text_brochure.title
    assert pdf_brochure.edition == text_brochure.edition
    assert pdf_brochure.sections == text_brochure.sections
    assert pdf_brochure.warnings == text_brochure.warnings
    assert len(pdf_brochure.projects) == len(text_brochure.projects)
    for from_text, from_pdf in zip(text_brochure.projects, pdf_brochure.projects, strict=True):
        a, b = _comparable(from_text), _comparable(from_pdf)
        for name in a:
            assert a[name] == b[name], (from_text.title, name)
    # the markup itself matches too, except where the PDF lost a nested list's indent
    same_markup = sum(
        a.description == b.description
        for a, b in zip(text_brochure.projects, pdf_brochure.projects, strict=True)
    )
    assert same_markup >= len(text_brochure.projects) - 1


def test_pdf_reports_progress_after_each_page(pdf_run):
    _, calls = pdf_run
    assert calls == [(n, 56) for n in range(1, 57)]


def test_pdf_where_names_the_page(pdf_brochure):
    assert by_code(pdf_brochure, "GLOT59").where == "page 5"
    assert by_code(pdf_brochure, "XCAS26").where == "page 51"


# ---------------------------------------------------------------- the document


def test_title_edition_and_counts(text_brochure):
    b = text_brochure
    assert b.title == "Partnership Opportunities: Trafficking in Persons and Smuggling of Migrants"
    assert b.edition == "2010-01"
    assert b.kind == "brochure"
    parents = [p for p in b.projects if p.parent_title is None]
    children = [p for p in b.projects if p.parent_title is not None]
    assert len(parents) == 42
    assert len(children) == 6
    assert b.warnings == ()


def test_36_people_with_an_email(text_brochure):
    people = {(f.name, f.email) for p in text_brochure.projects for f in p.focal_points if f.email}
    assert len(people) == 36
    assert len({email for _, email in people}) == 36


def test_sections_in_order_with_their_subregions(text_brochure):
    sections = text_brochure.sections
    assert [s.name for s in sections] == [
        "Global",
        "Africa & Middle East",
        "South & East Asia & the Pacific",
        "West & Central Asia",
        "Central & Eastern Europe",
        "Latin America & Caribbean",
    ]
    assert [s.page for s in sections] == [3, 11, 31, 40, 46, 52]
    assert [s.order for s in sections] == [1, 2, 3, 4, 5, 6]
    assert sections[0].subregions == ()
    africa = [s.name for s in sections[1].subregions]
    assert africa == [
        "Africa",
        "Burundi",
        "Egypt",
        "Middle East & Gulf Countries",
        "Middle East & North Africa",
        "North Africa",
        "South Africa",
        "Southern Africa",
        "West Central Africa",
    ]
    assert [s.name for s in sections[4].subregions] == [
        "Albania",
        "Baltic Sea Region",
        "Black Sea Region",
        "The Balkan Region",
    ]
    per_section = {}
    for p in text_brochure.projects:
        if p.parent_title is None:
            per_section[p.section] = per_section.get(p.section, 0) + 1
    assert list(per_section.values()) == [3, 17, 7, 4, 5, 6]


def test_section_subregion_and_toc_page(text_brochure):
    b = text_brochure
    glot59 = by_code(b, "GLOT59")
    assert (glot59.section, glot59.subregion, glot59.page) == ("Global", None, 4)
    burundi = by_code(b, "BDIT42")
    assert (burundi.section, burundi.subregion, burundi.page) == (
        "Africa & Middle East",
        "Burundi",
        15,
    )
    # entry wrapped over two paragraphs of the table of contents, under "Southern Africa"
    sadc = by_code(b, "XASS69")
    assert (sadc.subregion, sadc.page) == ("Southern Africa", 23)
    # a table of contents entry with no dot leaders before its page number
    asia = by_title(b, "Towards AsiaJust")
    assert (asia.section, asia.subregion, asia.page) == (
        "South & East Asia & the Pacific",
        "ASEAN Countries",
        32,
    )
    andean = by_title(b, "The Andean Observatory")
    assert (andean.section, andean.subregion, andean.page) == (
        "Latin America & Caribbean",
        "Latin America",
        55,
    )
    lao = by_title(b, "Strengthening Criminal Justice Responses to Human Trafficking and Organized")
    assert lao.subregion == "Lao People\u2019s Democratic Republic"


def test_titles_codes_durations(text_brochure):
    b = text_brochure
    mou = by_title(b, "Development of an African Model Memorandum")
    assert mou.title.endswith("Service Providers' (2 years)")  # as printed, stray quote kept
    assert mou.duration == "2 years"
    assert mou.code is None
    assert by_code(b, "VNMS79").title.startswith("Strengthening Viet Nam's Criminal Justice")
    found = sorted(p.code for p in b.projects if p.code)
    assert found == sorted(
        [
            "GLOT59",
            "GLOT92",
            "BDIT42",
            "XAMT14",
            "ZAFT54",
            "XASS69",
            "XAWS36",
            "XAWT24",
            "VNMS79",
            "AFGS54",
            "PAKT06",
            "UZBS20",
            "ALBS93",
            "ALBS94",
            "XCAS26",
            "COLR52",
        ]
    )


def test_toc_mismatches_are_recorded(text_brochure):
    mismatched = {
        p.code or p.title[:30] for p in text_brochure.projects if "toc_mismatch" in codes(p)
    }
    assert mismatched == {
        "National Awareness Raising Cam",
        "Comprehensive Support to Comba",
        "VNMS79",
        "UZBS20",
        "Strengthening Capacity to Comb",
    }
    vietnam = by_code(text_brochure, "VNMS79")
    assert vietnam.toc_title.startswith("Support Strengthening of Immigration Control")
    assert vietnam.page == 38
    # case, quote and dash differences are not mismatches
    assert "toc_mismatch" not in codes(by_title(text_brochure, "Enhancing multi-stakeholder"))
    assert "toc_mismatch" not in codes(by_code(text_brochure, "ALBS94"))


# ---------------------------------------------------------------- irregular figures


def test_stray_point_budget(text_brochure):
    p = by_code(text_brochure, "XCAS26")
    assert p.budget == D("1906876")
    assert p.budget_text == "US$ 1,906.876"
    problem = next(i for i in p.issues if i.code == "malformed_amount")
    assert problem.field == "Budget" and problem.where.startswith("line ")
    assert "1,906,876" in problem.message
    assert "shortfall_mismatch" not in codes(p)  # 1,906,876 − 1,479,159 = 427,717


def test_truncated_shortfall(text_brochure):
    p = by_code(text_brochure, "ALBS93")
    assert p.budget == D("756000")
    assert p.stated_shortfall == D("75600")
    assert p.shortfall_text == "US$ 756,00"
    assert codes(p) == {"malformed_amount", "shortfall_mismatch"}


def test_doubled_currency_sign(text_brochure):
    p = by_title(text_brochure, "Strengthening Criminal Justice Responses to Human Trafficking")
    assert p.budget == D("745574.00")
    assert p.stated_shortfall == D("745574.00")
    assert [i.field for i in p.issues if i.code == "malformed_amount"] == ["Budget", "Shortfall"]
    assert "shortfall_mismatch" not in codes(p)


def test_decimal_comma_budget_with_phases(text_brochure):
    p = by_title(text_brochure, "Support to the Implementation of the AU Plan of Action")
    assert p.budget == D("3500000")
    assert p.budget_text.startswith("US$ 3,5 million (phase I 2009-10")
    assert [(ph.label, ph.period, ph.amount) for ph in p.phases] == [
        ("phase I", "2009-10", D("368800")),
        ("phase II", "2011-12", D("3200000")),
    ]
    # pledge without a donor, with its note
    assert donors(p) == [(None, D("368800"))]
    assert p.pledges[0].note == "which has allowed for phase I to start"
    assert p.stated_shortfall == D("2831200")
    assert p.shortfall_text == "US$ 2,831,200 needed for phase II"
    assert codes(p) == {"malformed_amount", "phase_mismatch", "unnamed_donor", "shortfall_mismatch"}
    mismatch = next(i for i in p.issues if i.code == "shortfall_mismatch")
    assert "3,131,200" in mismatch.message and "2,831,200" in mismatch.message
    assert [f.name for f in p.focal_points] == ["Silke Albert", "Elisabet Sundstroem"]


def test_varies_by_programme(text_brochure):
    p = by_title(text_brochure, "UN.GIFT Joint Programmes")
    assert p.budget is None
    assert p.budget_text == "Varies by programme"
    assert p.budget_note == "Varies by programme"
    assert p.stated_shortfall is None
    assert p.shortfall_text == "Varies by programme"
    assert codes(p) == {"budget_varies"}
    assert donors(p) == [("Belgium", D("700000"))]
    assert p.pledges[0].note == "Serbia Joint Programme"
    assert p.countries == tuple(
        ["ARG", "BOL", "BDI", "RWA", "EGY", "KAZ", "KGZ", "TJK", "UZB", "PAK", "SRB"]
    )


def test_sum_shortfall_and_labelled_budget(text_brochure):
    p = by_title(text_brochure, "Feasibility Study (Phase I)")
    assert p.budget == D("2135600")
    assert [(ph.label, ph.amount) for ph in p.phases] == [
        ("feasibility study", D("135600")),
        ("implementation phase", D("2000000")),
    ]
    assert p.stated_shortfall == D("2135600")
    assert p.shortfall_text == "US$ 135,600 + US $ 2,000,000"
    assert [i.field for i in p.issues if i.code == "malformed_amount"] == ["Budget", "Shortfall"]
    assert "shortfall_mismatch" not in codes(p)
    assert p.countries == ("BIH", "MNE", "SRB")


def test_shortfall_mismatches(text_brochure):
    # budget − pledges ≠ printed shortfall, computed by hand:
    #   AU Plan of Action: 3,500,000 − 368,800 = 3,131,200 ≠ 2,831,200
    #   XAMT14: 2,705,000 − (2,144,559 + 132,626) = 427,815 ≠ 427,814
    #   Comprehensive Support …: 3,782,616 − 0 ≠ 797,703
    #   ALBS93: 756,000 − 0 ≠ 756,00 (read 75,600)
    flagged = {
        p.code or p.title[:40] for p in text_brochure.projects if "shortfall_mismatch" in codes(p)
    }
    assert flagged == {
        "Support to the Implementation of the AU ",
        "XAMT14",
        "Comprehensive Support to Combat Traffick",
        "ALBS93",
    }
    for p in text_brochure.projects:
        if p.budget is not None and p.stated_shortfall is not None:
            consistent = p.budget - p.pledged == p.stated_shortfall
            assert consistent == ("shortfall_mismatch" not in codes(p))


# ---------------------------------------------------------------- pledges


def test_every_multi_donor_line(text_brochure):
    b = text_brochure
    assert donors(by_code(b, "GLOT59")) == [
        ("Türkiye", D("125000")),
        ("France", D("178300")),
        ("Japan", D("60000")),
        ("Netherlands", D("12948")),
        ("Norway", D("1178122")),
        ("Sweden", D("331422")),
        ("United States of America", D("214700")),
    ]
    assert donors(by_code(b, "GLOT92")) == [("Türkiye", D("50000")), ("France", D("143885"))]
    assert donors(by_code(b, "XAMT14")) == [
        ("European Commission", D("2144559")),
        ("Greece", D("132626")),
    ]
    assert donors(by_code(b, "XASS69")) == [
        ("United States of America", D("272350")),
        ("Austria", D("160414")),
    ]
    assert donors(by_code(b, "VNMS79")) == [
        ("United Kingdom of Great Britain and Northern Ireland", D("432250")),
        ("One UN", D("163750")),
    ]
    assert donors(by_code(b, "UZBS20")) == [
        ("Norway", D("50000")),
        ("Sweden", D("178000")),
        ("Finland", D("229410")),
    ]
    assert donors(by_code(b, "XCAS26")) == [
        ("Norway", D("215000")),
        ("Canada", D("228025")),
        ("Sweden", D("117499")),
        ("Spain", D("918635")),
    ]
    assert donors(by_code(b, "COLR52")) == [
        ("Canada", D("95712")),
        ("Sweden", D("484480")),
        ("Colombia", D("570988")),
    ]


def test_single_donor_lines_and_zero(text_brochure):
    b = text_brochure
    assert donors(by_code(b, "BDIT42")) == [("United States of America", D("250000"))]
    assert donors(by_code(b, "ZAFT54")) == [("European Commission", D("2676611"))]
    assert donors(by_code(b, "XAWT24")) == [("European Commission", D("2800224"))]
    baltic = by_title(b, "Preparatory Regional Project")
    assert donors(baltic) == [("Council of the Baltic Sea States", D("171700"))]
    mou = by_title(b, "Development of an African Model")
    assert mou.pledges_text == "US$0" and mou.pledges == () and mou.issues == ()
    with_pledges = [p for p in b.projects if p.pledges]
    assert len(with_pledges) == 14


# ---------------------------------------------------------------- countries


def test_footnoted_country_line_is_expanded(text_brochure):
    p = by_title(
        text_brochure, "Strengthening Criminal Justice Response to Human Trafficking in the"
    )
    assert p.country_label == "Member States of BSEC Organization ²"
    assert p.countries == (
        "ALB",
        "ARM",
        "AZE",
        "BGR",
        "GEO",
        "GRC",
        "MDA",
        "ROU",
        "RUS",
        "SRB",
        "TUR",
        "UKR",
    )
    assert p.coverage_note == "Member States of BSEC Organization"
    assert p.description.endswith(
        '<p class="footnote">² Member States of the Organization of the Black Sea Economic '
        "Cooperation (BSEC): Albania, Armenia, Azerbaijan, Bulgaria, Georgia, Greece, Moldova, "
        "Romania, Russia, Serbia, Turkey and Ukraine.</p>"
    )


def test_country_spellings(text_brochure):
    b = text_brochure
    assert by_title(b, "Towards AsiaJust").countries == ("KHM", "CHN", "LAO", "MMR", "THA", "VNM")
    assert by_code(b, "VNMS79").countries == ("VNM",)
    western = "Measures to Prevent and Combat Trafficking in Persons in the Western African"
    first = by_title(b, f"{western} sub-region (I)")
    assert first.countries == ("CIV", "GIN", "MLI", "MRT", "SEN")  # Côte d'Ivoire
    second = by_title(b, f"{western} sub-region (II)")
    assert second.countries == ("CIV", "GIN", "SLE", "LBR")  # Côte D'Ivoire, Guinea Conakry
    sadc = by_code(b, "XASS69")
    assert sadc.countries == tuple(
        [
            "AGO",
            "BWA",
            "COD",
            "LSO",
            "MDG",
            "MWI",
            "MUS",
            "MOZ",
            "NAM",
            "ZAF",
            "SWZ",
            "TZA",
            "ZMB",
            "ZWE",
        ]
    )
    assert by_code(b, "XCAS26").countries == ("CRI", "SLV", "GTM", "HND", "NIC", "PAN")
    assert by_code(b, "XCAS26").country_label.endswith("Nicaragua and Panamá")


def test_coverage_notes(text_brochure):
    b = text_brochure
    glot59 = by_code(b, "GLOT59")
    assert (glot59.countries, glot59.coverage_note, glot59.region_label) == ((), "Global", "Global")
    assert by_title(b, "Development of an African").coverage_note == "Regional"
    nigeria = by_title(b, "Enhancing multi-stakeholder")
    assert nigeria.countries == ("NGA",)
    assert nigeria.coverage_note == "Nigeria and a maximum of six European countries"
    ecowas = by_code(b, "XAWS36")
    assert (ecowas.countries, ecowas.coverage_note) == ((), "Sub-Region – West Central Africa")
    baltic = by_title(b, "Preparatory Regional Project")
    assert (baltic.country_label, baltic.coverage_note) == ("Eastern Europe", "Eastern Europe")
    arab = by_title(b, "The Arab Initiative")
    assert (arab.country_label, arab.countries, arab.coverage_note) == ("", (), "")
    assert arab.region_label == "Middle East & North Africa"
    peru = by_title(b, "Strengthening Capacity to Combat Human Trafficking in Sub-Andean")
    assert peru.countries == ("PER", "ECU") and peru.coverage_note.startswith("Pilot countries")
    assert not any("unknown_country" in codes(p) for p in b.projects)


# ---------------------------------------------------------------- children


def test_partnership_examples_are_children(text_brochure):
    children = [p for p in text_brochure.projects if p.parent_title is not None]
    assert [(c.parent_code, c.budget, c.duration) for c in children] == [
        ("GLOT59", D("570000"), "2 years"),
        ("GLOT59", D("100000"), "2 years"),
        ("GLOT59", D("650000"), "2 years"),
        ("GLOT92", D("300000"), "2 years"),
        ("GLOT92", D("240000"), "2 years"),
        ("GLOT92", D("950000"), "2 years"),
    ]
    first = children[0]
    assert first.title == (
        "Strengthening Criminal Justice Capacity Through In-depth Anti-human Trafficking "
        "Training (2 years)"
    )
    assert first.parent_title == "Global Programme against Human Trafficking (GLOT59)"
    assert first.section == "Global" and first.code is None
    assert first.pledges == () and first.stated_shortfall is None
    assert first.budget_note == "no current pledges"
    assert first.description.startswith("<p>There is an urgent need for specialized training")
    # an example heading printed in bold over two lines
    assert children[3].title == (
        "Strengthening the Criminal Justice Capacity Through Anti-smuggling Training (2 years)"
    )
    assert children[3].theme == "smuggling"
    # the programme keeps its closing remark, the last example does not take it
    assert "please contact the focal point" not in children[2].description
    assert "please contact the focal point" in by_code(text_brochure, "GLOT59").description
    assert "Example 1" not in by_code(text_brochure, "GLOT59").description


# ---------------------------------------------------------------- focal points, theme, html


def test_focal_points(text_brochure):
    b = text_brochure
    glot59 = by_code(b, "GLOT59").focal_points
    assert [(f.role, f.honorific, f.name, f.unit, f.phone, f.email) for f in glot59] == [
        (
            "hq",
            "Ms.",
            "Riikka Puttonen",
            "Anti-Human Trafficking and Migrant Smuggling Unit",
            "+43 1 26060 4290",
            "riikka.puttonen@unodc.org",
        ),
        (
            "hq",
            "Mr.",
            "Martin Fowke",
            "Anti-Human Trafficking and Migrant Smuggling Unit",
            "+43 1 26060 5193",
            "martin.fowke@unodc.org",
        ),
    ]
    field = by_code(b, "VNMS79").focal_points[1]
    assert (field.role, field.name, field.position, field.unit, field.phone, field.email) == (
        "field",
        "Nguyen Tuong Dung",
        "National Programme Officer",
        "Viet Nam Country Office",
        "+84-4-3942 1495 (ext. 174)",
        "tuong.dung@unodc.org",
    )
    # "Email." and no comma between name and unit
    sadc = by_code(b, "XASS69").focal_points
    assert [(f.role, f.name, f.email) for f in sadc] == [
        ("hq", "Silke Albert", "silke.albert@unodc.org"),
        ("field", "Tumi Moche", "tumi.moche@unodc.org"),
        ("field", "Johan Kruger", "johan.kruger@unodc.org"),
    ]
    asia = by_title(b, "Towards AsiaJust").focal_points
    assert [(f.name, f.phone, f.email) for f in asia] == [
        ("Martin Fowke", "+43 1 26060 5193", None),
        ("Giovanni Broussard", "+66 2 288 2472", None),
    ]
    nigeria = by_title(b, "Enhancing multi-stakeholder").focal_points[0]
    assert (nigeria.honorific, nigeria.name) == ("", "Sandra Kozeschnik")
    feasibility = by_title(b, "Feasibility Study").focal_points
    assert [(f.name, f.position, f.unit) for f in feasibility[1:]] == [
        (
            "Carla Ciavarella",
            "Regional Programme Coordinator",
            "Regional Project Office for South Eastern Europe",
        ),
        ("Claudia Gioffre", "", "National Project Office in Belgrade, Serbia"),
    ]


def test_theme_rule(text_brochure):
    b = text_brochure
    assert by_code(b, "GLOT59").theme == "trafficking"
    assert by_code(b, "GLOT92").theme == "smuggling"
    assert by_code(b, "XAMT14").theme == "smuggling"
    assert by_code(b, "XCAS26").theme == "both"
    assert by_title(b, "Preventing Irregular Migration").theme == "smuggling"  # from the text
    assert {p.theme for p in b.projects} == {"trafficking", "smuggling", "both"}


def test_description_html(text_brochure):
    b = text_brochure
    glot92 = by_code(b, "GLOT92").description
    assert "<strong>GLOT92</strong>" in glot92
    nested = "relating to Smuggling of Migrants, such as:</em><ul><li><em>From smuggled migrant"
    assert nested in glot92
    india = by_title(b, "Preventing Irregular Migration").description
    assert "<ol><li>Training and capacity building" in india
    mou = by_title(b, "Development of an African Model").description
    assert "<strong>Outcome:</strong> Model MoU" in mou
    lao = by_title(b, "Strengthening Criminal Justice Responses to Human Trafficking").description
    assert "“<em>Strengthening Legal and Law Enforcement Institutions" in lao
    for p in b.projects:
        tags = set(re.findall(r"</?([a-z]+)", p.description))
        assert tags <= {"p", "ul", "ol", "li", "strong", "em"}, p.title
        assert p.description.startswith("<p>") or p.description.startswith("<ul>")


def test_looks_like_brochure():
    assert looks_like_brochure(TEXT.read_text(encoding="utf-8")[:5000])
    report = (FIXTURES / "tip-protocol-activities-report-2016.txt").read_text(encoding="utf-8")
    assert not looks_like_brochure(report)
    from ingest.parsers.layout import read_pdf

    assert looks_like_brochure(read_pdf(PDF, max_pages=2).first_pages_text())
