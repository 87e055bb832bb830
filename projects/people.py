"""Focal points as people: one entry per person, sorted by surname, indexed by letter.

Documents print a person on every project they look after, sometimes with an e-mail and
sometimes without; the ingest matches them (ingest/upserts.py) and `merge_duplicate_people`
folds together those an earlier ingest recorded twice.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

# Words that belong to the surname that follows them ("De La Torre", "van der Berg").
SURNAME_PARTICLES = frozenset(
    [
        "al",
        "bin",
        "da",
        "das",
        "de",
        "del",
        "della",
        "der",
        "des",
        "di",
        "dos",
        "du",
        "el",
        "ibn",
        "la",
        "le",
        "st",
        "ten",
        "ter",
        "van",
        "von",
    ]
)


def surname(name: str) -> str:
    """The last word of a name with the particles before it ("de Abajo-Marques")."""
    words = name.split()
    if not words:
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[start:])


def folded(text: str) -> str:
    """Text for sorting and indexing: accents dropped, case folded ("Ö" files under "O")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_key(name: str) -> tuple[str, str]:
    """Surname first, particles aside ("De La Torre" under T), then the whole name."""
    last = surname(name).split()
    core = [w for w in last if w.casefold() not in SURNAME_PARTICLES] or last
    return (folded(" ".join(core)), folded(name))


def index_letter(name: str) -> str:
    """The A–Z letter a person is filed under; "#" for a surname not starting with A–Z."""
    key = sort_key(name)[0]
    letter = key[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


def merge_duplicate_people(focal_point_model, role_model) -> int:
    """Folds into one person each group recorded twice: the same e-mail (any case), and a
    person without e-mail into the one person of the same name who has one (or, when nobody of
    that name has one, into the first of them). The kept person gets the details only the
    other had and all its project roles. Returns how many records were folded away.

    Takes the model classes so that a data migration can run it on its historical models.
    """
    merged = 0
    people = list(focal_point_model.objects.order_by("pk"))
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for person in people:
        if person.email:
            groups[("email", person.email.casefold())].append(person)
    with_email_by_name: dict[str, list] = defaultdict(list)
    for group in groups.values():
        with_email_by_name[folded(" ".join(group[0].name.split()))].append(group[0])
    for person in people:
        if person.email:
            continue
        name = folded(" ".join(person.name.split()))
        namesakes = with_email_by_name.get(name, [])
        if len(namesakes) == 1:
            groups[("email", namesakes[0].email.casefold())].append(person)
        elif not namesakes:
            groups[("name", name)].append(person)
    for group in groups.values():
        keep, *others = group
        for other in others:
            fold_person(keep, other, role_model)
            merged += 1
    return merged


def fold_person(keep, other, role_model) -> None:
    """Moves `other`'s roles and missing details onto `keep`, then deletes `other`."""
    filled = []
    for field in ("honorific", "position", "unit", "phone", "email"):
        if not getattr(keep, field) and getattr(other, field):
            setattr(keep, field, getattr(other, field))
            filled.append(field)
    held = set(role_model.objects.filter(focal_point=keep).values_list("project_id", "role"))
    for role in role_model.objects.filter(focal_point=other).order_by("pk"):
        if (role.project_id, role.role) in held:
            role.delete()
        else:
            role.focal_point = keep
            role.save(update_fields=["focal_point"])
            held.add((role.project_id, role.role))
    other.delete()  # first: an e-mail moving to `keep` must be free (it is unique)
    if filled:
        keep.save(update_fields=filled)
