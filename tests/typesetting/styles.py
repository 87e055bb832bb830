"""The typesetting dimensions, and Hypothesis strategies that draw them.

A `Style` is everything a typesetter may choose; the text is never one of them. Both
producers read the same Style, each as far as its engine can set it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from hypothesis import strategies as st

PAGES_MM = {"A4": (210, 297), "letter": (215.9, 279.4), "A5": (148, 210)}
FONTS = {
    "sans": ["DejaVu Sans", "Liberation Sans", "Noto Sans"],
    "serif": ["DejaVu Serif", "Liberation Serif", "Noto Serif"],
}
LEADERS = ("dots", "ellipsis", "middots", "spaces", "tab", "none")
LABEL_CONTAINERS = ("bordered", "shaded", "grid", "tabs", "runin")
PAGE_NUMBER_FORMATS = ("{n}", "Page {n}", "– {n} –", "{n} of {total}", "")
RUNNING_TEXTS = (
    "",
    "Partnership Opportunities",
    "UNODC — Trafficking in Persons and Smuggling of Migrants",
    "Co-financing and Partnership Section",
)
REPORT_SYMBOLS = ("CTOC/COP/2016/5", "CTOC/COP/WG.4/2016/2", "")


@dataclass(frozen=True)
class Style:
    producer: str  # "weasyprint" or "libreoffice"
    page: str
    margin_top: int  # mm
    margin_bottom: int
    margin_inner: int
    margin_outer: int
    font_family: str
    heading_font_family: str
    font_size: float  # pt
    line_height: float  # × font size
    justify: bool
    heading_scale: float  # section heading size / body size
    heading_case: str  # "as-is" | "upper"
    heading_weight: str  # "bold" | "regular"
    title_weight: str  # project titles: "bold" | "regular"
    title_scale: float
    label_weight: str  # "bold" | "regular"
    label_style: str  # "normal" | "italic" | "small-caps"
    label_case: str  # "as-is" | "upper" | "lower"
    label_colon: bool
    label_align: str  # "left" | "right"
    label_container: str
    contents: bool
    leader: str
    running_head: str
    running_foot: str
    page_number: str
    page_number_at: str  # "header" | "footer"
    page_number_align: str  # "left" | "center" | "right" | "outside"
    break_before_section: bool
    break_before_project: bool
    columns: int  # description text columns
    bullet: str
    footnote_marker: str  # "unicode" | "raised"
    # the report
    para_numbers: str  # "hanging" | "inline"
    report_heading: str  # "bold" | "small-caps"
    report_symbol: str  # "" or the document symbol its header prints
    job_in_footer: bool
    hyphenate: bool  # words broken at line ends, with a hyphen
    section_head: bool  # the running head names the current section (brochure)
    native_lists: bool  # bullets as the engine's own lists, not a character and a tab

    def describe(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def _fonts(draw) -> tuple[str, str]:
    body = draw(st.sampled_from(FONTS["sans"] + FONTS["serif"]))
    heading = draw(st.sampled_from([body, *FONTS["sans"]]))
    return body, heading


@st.composite
def styles(draw, producer: str | None = None, kind: str = "brochure") -> Style:
    body, heading = _fonts(draw)
    page = draw(st.sampled_from(["A4", "letter"] if kind == "report" else list(PAGES_MM)))
    small = page == "A5"
    return Style(
        producer=producer or draw(st.sampled_from(["weasyprint", "libreoffice"])),
        page=page,
        margin_top=draw(st.integers(12, 30)),
        margin_bottom=draw(st.integers(12, 30)),
        margin_inner=draw(st.integers(12, 22 if small else 32)),
        margin_outer=draw(st.integers(12, 22 if small else 32)),
        font_family=body,
        heading_font_family=heading,
        font_size=draw(st.sampled_from([8, 8.5, 9, 9.5, 10, 10.5, 11, 11.5, 12])),
        line_height=draw(st.sampled_from([1.0, 1.1, 1.2, 1.3, 1.45, 1.6])),
        justify=draw(st.booleans()),
        heading_scale=draw(st.sampled_from([1.0, 1.2, 1.4, 1.7, 2.0])),
        heading_case=draw(st.sampled_from(["as-is", "upper"])),
        heading_weight=draw(st.sampled_from(["bold", "regular"])),
        title_weight=draw(st.sampled_from(["bold", "bold", "regular"])),
        title_scale=draw(st.sampled_from([1.0, 1.1, 1.25, 1.4])),
        label_weight=draw(st.sampled_from(["bold", "regular"])),
        label_style=draw(st.sampled_from(["normal", "italic", "small-caps"])),
        label_case=draw(st.sampled_from(["as-is", "upper", "lower"])),
        label_colon=draw(st.booleans()),
        label_align=draw(st.sampled_from(["left", "right"])),
        label_container=draw(st.sampled_from(LABEL_CONTAINERS)),
        contents=draw(st.booleans()),
        leader=draw(st.sampled_from(LEADERS)),
        running_head=draw(st.sampled_from(RUNNING_TEXTS)),
        running_foot=draw(st.sampled_from(RUNNING_TEXTS)),
        page_number=draw(st.sampled_from(PAGE_NUMBER_FORMATS)),
        page_number_at=draw(st.sampled_from(["header", "footer"])),
        page_number_align=draw(st.sampled_from(["left", "center", "right", "outside"])),
        break_before_section=draw(st.booleans()),
        break_before_project=draw(st.booleans()),
        columns=draw(st.sampled_from([1, 1, 2])),
        bullet=draw(st.sampled_from(["•", "–", "▪", "-"])),
        footnote_marker=draw(st.sampled_from(["unicode", "raised"])),
        para_numbers=draw(st.sampled_from(["hanging", "inline"])),
        report_heading=draw(st.sampled_from(["bold", "small-caps"])),
        report_symbol=draw(st.sampled_from(REPORT_SYMBOLS)),
        job_in_footer=draw(st.booleans()),
        hyphenate=draw(st.booleans()),
        section_head=draw(st.booleans()),
        native_lists=draw(st.booleans()),
    )


def draw_style(seed: int, producer: str, kind: str) -> Style:
    """The style a seed gives, reproducibly (for CI's fixed seeds and the sweep)."""
    import random

    from hypothesis.control import BuildContext  # noqa: F401  (ensures hypothesis is loaded)

    rng = random.Random(seed)
    return _example(styles(producer=producer, kind=kind), rng)


def _example(strategy, rng):
    from hypothesis.internal.conjecture.data import ConjectureData

    data = ConjectureData(prefix=b"", random=rng, max_choices=10_000)
    return data.draw(strategy)
