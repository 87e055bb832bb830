"""Folds together focal points an earlier ingest recorded twice (the same e-mail, or a name
printed once without its e-mail); their project roles move to the one person kept."""

from django.db import migrations

from projects.people import merge_duplicate_people


def merge(apps, schema_editor):
    merge_duplicate_people(
        apps.get_model("projects", "FocalPoint"), apps.get_model("projects", "ProjectFocalPoint")
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_programme_shortfall_index")]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
