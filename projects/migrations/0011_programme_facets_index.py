# The columns the list's facet counts read of every published programme (projects/
# facet_counts.py: the CTE `filtered`), covered by one partial index on PostgreSQL, so the
# counts read the index alone, not the table's rows with their long texts. Not in the model's
# Meta: SQLite has no INCLUDE (and Django's check warns of an index with it there).

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS project_programme_facets ON projects_project (id)
    INCLUDE (section_id, subregion_id, budget, pledged_total)
    WHERE parent_id IS NULL AND published
"""
DROP = "DROP INDEX IF EXISTS project_programme_facets"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0010_pledge_project_donor_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
