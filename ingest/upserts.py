"""Rows found by their natural keys, created when missing: documents, regions, donors, people.

Natural keys: a source document by (kind, edition); a region by (kind, parent, name); a donor
by its normalised name; a focal point by e-mail (by name when it has none, or had none).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.text import slugify

from donors.models import Donor
from ingest.models import SourceDocument
from ingest.parsers.countries import resolve_country
from projects.models import Country, FocalPoint, Region

INTERGOVERNMENTAL_WORDS = ("commission", "union", "organization", "organisation", "community")


def edition_date(edition: str) -> datetime.date | None:
    try:
        year, month = edition.split("-")[:2]
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


def upsert_document(
    *, kind: str, title: str, edition: str, file_name: str, file_format: str, file_hash: str
) -> SourceDocument:
    document, created = SourceDocument.objects.get_or_create(
        kind=kind, edition=edition, defaults={"title": title}
    )
    wanted = {
        "title": title,
        "edition_date": edition_date(edition),
        "file_name": file_name,
        "file_format": file_format,
        "file_hash": file_hash,
    }
    if created or any(getattr(document, k) != v for k, v in wanted.items()):
        for key, value in wanted.items():
            setattr(document, key, value)
        document.ingested_at = timezone.now()
        document.save()
    return document


def unique_slug(model, base: str, max_length: int = 100) -> str:
    base = (slugify(base) or "item")[:max_length].rstrip("-")
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 4]}-{n}"
        n += 1
    return slug


def upsert_region(
    name: str, order: int, parent: Region | None = None, *, reorder: bool = True
) -> Region:
    """A region by its natural key; `reorder=False` leaves an existing region's order alone
    (for documents such as reports that do not define an order of their own)."""
    kind = Region.Kind.SUBREGION if parent else Region.Kind.SECTION
    region = Region.objects.filter(kind=kind, parent=parent, name=name).first()
    if region is None:
        slug_base = f"{parent.slug} {name}" if parent else name
        return Region.objects.create(
            kind=kind, parent=parent, name=name, order=order, slug=unique_slug(Region, slug_base)
        )
    if reorder and region.order != order:
        region.order = order
        region.save(update_fields=["order"])
    return region


def upsert_donor(name: str) -> Donor:
    """A government donor is found by its country, so a renamed country keeps its donor."""
    iso3 = resolve_country(name)
    donor = (
        Donor.objects.filter(country_id=iso3).first() if iso3 else None
    ) or Donor.objects.filter(name=name).first()
    if donor:
        return donor
    if iso3:
        kind = Donor.Kind.GOVERNMENT
    elif any(word in name.lower() for word in INTERGOVERNMENTAL_WORDS):
        kind = Donor.Kind.INTERGOVERNMENTAL
    else:
        kind = Donor.Kind.OTHER
    country = Country.objects.filter(iso3=iso3).first() if iso3 else None
    return Donor.objects.create(
        name=name, slug=unique_slug(Donor, name), kind=kind, country=country
    )


def find_focal_point(name: str, email: str) -> FocalPoint | None:
    """The person a document's focal point is: one e-mail is one person, and a name printed
    without an e-mail is the one person of that name who has one (else the one who has none).

    A person first seen without an e-mail and later with one is found by name, so the order in
    which projects print them does not make two people of one.
    """
    if email:
        found = FocalPoint.objects.filter(email__iexact=email).order_by("pk").first()
        if found:
            return found
        return FocalPoint.objects.filter(email="", name__iexact=name).order_by("pk").first()
    namesakes = list(FocalPoint.objects.filter(name__iexact=name).order_by("pk"))
    with_email = [person for person in namesakes if person.email]
    if len(with_email) == 1:
        return with_email[0]
    return next((person for person in namesakes if not person.email), None)


def upsert_focal_point(person) -> FocalPoint:
    name = " ".join(person.name.split())
    email = (person.email or "").strip()
    focal = find_focal_point(name, email)
    wanted = {
        "honorific": person.honorific,
        "name": name,
        "position": person.position,
        "unit": person.unit,
        "phone": person.phone,
        "email": email,
    }
    if focal is None:
        return FocalPoint.objects.create(**wanted)
    # A person printed several times keeps the fullest details seen.
    changed = {
        k: v for k, v in wanted.items() if v and getattr(focal, k) != v and not getattr(focal, k)
    }
    if changed:
        for key, value in changed.items():
            setattr(focal, key, value)
        focal.save(update_fields=list(changed))
    return focal
