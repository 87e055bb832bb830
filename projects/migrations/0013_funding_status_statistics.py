# Statistics on each project's funding status (PostgreSQL only), so the planner knows how many
# projects a status filter leaves.
#
# The status is not a column but an expression (ProjectQuerySet.with_totals()), and without
# statistics on it PostgreSQL guesses that a status keeps half a percent of the projects: for
# "partly funded" in one section it expected 2 rows of 1,052, joined and sorted all of them to
# show 20, where walking the shortfall index (0011) and stopping at the twentieth is cheaper.
# ANALYZE (and autovacuum) keep these statistics with the table's own. The expression is the
# one with_totals() writes, so that PostgreSQL matches the two; a test checks the planner's
# estimate against the real count.

from django.db import migrations

STATUS = (
    "(CASE WHEN budget IS NULL THEN 'unknown' WHEN pledged_total <= 0 THEN 'unfunded'"
    " WHEN pledged_total >= budget THEN 'funded' ELSE 'partly' END)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS projects_project_funding_status ON {STATUS}"
        " FROM projects_project"
    )
    schema_editor.execute("ANALYZE projects_project")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP STATISTICS IF EXISTS projects_project_funding_status")


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0012_project_link_arrays"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
