"""`python -m tests.ops.prepare`: migrate DATABASE_URL and add what the ops tests use.

Three published projects, and a superuser when OPS_ADMIN_PASSWORD is set. Prints a JSON line
with the project slugs and ids.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tests import factories

    call_command("migrate", verbosity=0)
    section = factories.section("Africa and Middle East", order=1)
    projects = [
        factories.project(f"Ops project {n}", code=f"OPS{n}", budget="100000", section=section)
        for n in (1, 2, 3)
    ]
    password = os.environ.get("OPS_ADMIN_PASSWORD")
    if password:
        get_user_model().objects.create_superuser("ops-admin", "ops@example.org", password)
    print(json.dumps({"projects": [{"slug": p.slug, "id": p.pk} for p in projects]}))


if __name__ == "__main__":
    main()
