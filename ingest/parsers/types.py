"""Plain records the parsers return and the loader reads.

They are Django-free and frozen so a parse can be compared, hashed and turned into
the JSON report without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Problem:
    """Something the document says that could not be read literally or does not add up.

    `code` is one of DataIssue's codes (malformed_amount, shortfall_mismatch,
    unknown_country, …); `raw` keeps the printed text; `where` says where it was
    read ("line 97", "page 5") and `field` which label it came from ("Budget").
    """

    code: str
    message: str
    raw: str = ""
    field: str = ""
    where: str = ""


@dataclass(frozen=True)
class ParsedPledge:
    donor: str | None
    amount: Decimal
    note: str | None = None
    raw: str = ""
    donor_as_printed: str = ""


@dataclass(frozen=True)
class ParsedPhase:
    label: str
    period: str
    amount: Decimal | None
    raw: str = ""


@dataclass(frozen=True)
class ParsedFocalPoint:
    role: str  # "hq" or "field"
    name: str
    honorific: str = ""
    position: str = ""
    unit: str = ""
    phone: str = ""
    email: str | None = None


@dataclass(frozen=True)
class ParsedProject:
    title: str
    section: str
    code: str | None = None
    subregion: str | None = None
    page: int | None = None
    country_label: str = ""
    region_label: str = ""
    countries: tuple[str, ...] = ()
    coverage_note: str = ""
    theme: str = "trafficking"  # trafficking / smuggling / both
    budget: Decimal | None = None
    budget_text: str = ""
    budget_note: str = ""
    phases: tuple[ParsedPhase, ...] = ()
    pledges: tuple[ParsedPledge, ...] = ()
    pledges_text: str = ""
    stated_shortfall: Decimal | None = None
    shortfall_text: str = ""
    duration: str = ""
    description: str = ""  # safe HTML: <p>, <ul>/<ol>/<li>, <strong>, <em>
    focal_points: tuple[ParsedFocalPoint, ...] = ()
    parent_code: str | None = None
    parent_title: str | None = None
    issues: tuple[Problem, ...] = ()
    where: str = ""  # "line 95" or "page 5"
    toc_title: str = ""  # the title as the section's table of contents prints it
    # table rows whose label the grammar does not know: (label, value) as printed
    extra_fields: tuple[tuple[str, str], ...] = ()

    @property
    def pledged(self) -> Decimal:
        return sum((p.amount for p in self.pledges), Decimal(0))

    @property
    def computed_shortfall(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.pledged


@dataclass(frozen=True)
class ParsedSubregion:
    name: str
    order: int


@dataclass(frozen=True)
class ParsedSection:
    name: str
    order: int
    page: int | None = None
    subregions: tuple[ParsedSubregion, ...] = ()


UNREADABLE_PROJECT = "unreadable_project"


@dataclass(frozen=True)
class UnreadableProject:
    """A project whose heading was found but whose figures could not be read.

    It is reported (`problem`, code ``unreadable_project``, `where` its heading's page or
    line) and the portal keeps what it had for it: the loader never withdraws, unpublishes
    or changes it. `code`, `parent_title` and `parent_code` find it in the portal.
    """

    title: str
    section: str
    problem: Problem
    code: str | None = None
    parent_title: str | None = None
    parent_code: str | None = None


@dataclass(frozen=True)
class ParsedBrochure:
    title: str
    edition: str  # "YYYY-MM"
    sections: tuple[ParsedSection, ...]
    projects: tuple[ParsedProject, ...]
    warnings: tuple[str, ...] = field(default=())
    kind: str = "brochure"
    source_format: str = "text"  # "text" or "pdf"
    unreadable: tuple[UnreadableProject, ...] = ()


class ParseError(ValueError):
    """The file is not a document we can read; the message names the file and where."""
