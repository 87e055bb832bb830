"""The staff groups: who may edit what in the admin.

Kept in code and applied after every migrate, so a new deployment has the groups and a
new model's permissions join them without anyone clicking through the admin.
"""

from django.contrib.auth.models import Group, Permission

EDIT = ("add", "change", "delete", "view")
GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "Editors": {
        "projects.project": EDIT,
        "projects.pledge": EDIT,
        "projects.budgetphase": EDIT,
        "projects.focalpoint": EDIT,
        "projects.projectfocalpoint": EDIT,
        "projects.region": EDIT,
        "projects.country": ("view",),
        "donors.donor": EDIT,
        "ingest.sourcedocument": ("add", "view"),
        "ingest.dataissue": ("change", "delete", "view"),
        "ingest.reportparagraph": ("view",),
        "ingest.reportfact": ("view",),
    },
    "Co-financing": {
        "donors.interest": ("change", "view", "export"),
        "donors.interestnote": ("view",),
        "donors.donor": ("view",),
        "projects.project": ("view",),
        "projects.pledge": ("view",),
        "projects.focalpoint": ("view",),
    },
}


def ensure_staff_groups(**kwargs) -> None:
    for name, models in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for label, actions in models.items():
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.add(*wanted)
