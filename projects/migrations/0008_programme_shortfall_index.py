# The list's default order (largest shortfall first) read from an index on PostgreSQL: budget
# minus pledges, the expression with_totals() annotates as computed_shortfall, partial on the
# projects donors browse (published programmes). It is not in the model's Meta: SQLite cannot
# say NULLS LAST in an index, and rebuilds tables from the model's indexes.

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS project_programme_shortfall ON projects_project
    ((budget - pledged_total) DESC NULLS LAST, title, id)
    WHERE parent_id IS NULL AND published
"""
DROP = "DROP INDEX IF EXISTS project_programme_shortfall"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0007_merge_20261129_1932"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
