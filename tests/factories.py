"""Small builders for test data: each returns a saved object with sensible defaults."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils.text import slugify

from donors.models import Donor
from projects.models import (
    Country,
    FocalPoint,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
)

_sequence = itertools.count(1)


def section(name: str = "", order: int = 0) -> Region:
    name = name or f"Section {next(_sequence)}"
    region, _ = Region.objects.get_or_create(
        kind=Region.Kind.SECTION,
        name=name,
        defaults={"slug": slugify(name), "order": order},
    )
    return region


def subregion(parent: Region, name: str = "", order: int = 0) -> Region:
    name = name or f"Subregion {next(_sequence)}"
    region, _ = Region.objects.get_or_create(
        kind=Region.Kind.SUBREGION,
        parent=parent,
        name=name,
        defaults={"slug": slugify(f"{parent.slug} {name}"), "order": order},
    )
    return region


def donor(name: str = "", **fields) -> Donor:
    name = name or f"Donor {next(_sequence)}"
    fields.setdefault("slug", slugify(name))
    return Donor.objects.create(name=name, **fields)


def project(
    title: str = "",
    budget: Decimal | str | None = "1000",
    pledges: tuple[tuple[Donor | None, Decimal | str], ...] = (),
    countries: tuple[str, ...] = (),
    **fields,
) -> Project:
    title = title or f"Project {next(_sequence)}"
    fields.setdefault("section", section("Global"))
    fields.setdefault("slug", slugify(title)[:100] + f"-{next(_sequence)}")
    obj = Project.objects.create(
        title=title, budget=None if budget is None else Decimal(budget), **fields
    )
    for order, (pledge_donor, amount) in enumerate(pledges):
        Pledge.objects.create(project=obj, donor=pledge_donor, amount=Decimal(amount), order=order)
    if countries:
        obj.countries.set(Country.objects.filter(iso3__in=countries))
    return obj


def focal_point(project_obj: Project, role: str = "hq", **fields) -> ProjectFocalPoint:
    n = next(_sequence)
    fields.setdefault("name", f"Person {n}")
    fields.setdefault("email", f"person{n}@example.org")
    person = FocalPoint.objects.create(**fields)
    return ProjectFocalPoint.objects.create(project=project_obj, focal_point=person, role=role)
