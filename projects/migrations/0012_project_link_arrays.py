# Each programme's donors, focal points, countries and themes as arrays on its own row
# (PostgreSQL only), so the list's facet counts (projects/facet_counts.py) unnest them from the
# rows the filters give instead of joining four link tables: a third less time for the whole
# statement at 10,000 programmes.
#
# The arrays hold distinct values in order, and the database keeps them right whoever writes
# the links (the admin, the ingest, the pledge refresh, raw SQL): statement-level triggers on
# the four link tables call projects_refresh_links() for the projects whose links changed. It
# locks those project rows first, so two transactions adding pledges to one project both see
# each other's, and rewrites a row only when one of its arrays changed. A bulk writer may set
# `projects.defer_links = on` for its transaction and call projects_refresh_links(NULL) (every
# project) once at the end, as tests/bench/dataset.py does.
#
# Not in the model: SQLite keeps counting from the link tables, and Django never reads them.
# The covering index of 0011 carries them, so the counts still read the index alone.

from django.db import migrations

LINKS = {
    # link table: (array column on the project, value column, type of the values)
    "projects_pledge": ("donor_ids", "donor_id", "bigint"),
    "projects_projectfocalpoint": ("focal_point_ids", "focal_point_id", "bigint"),
    "projects_project_countries": ("country_ids", "country_id", "text"),
    "projects_project_themes": ("theme_ids", "theme_id", "text"),
}
EVENTS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


def fresh(column: str, table: str, value: str, cast: str) -> str:
    return (
        f"ARRAY(SELECT DISTINCT CAST(l.{value} AS {cast}) FROM {table} l"
        f" WHERE l.project_id = q.id AND l.{value} IS NOT NULL ORDER BY 1)"
    )


COLUMNS = ", ".join(
    f"ADD COLUMN {column} {cast}[] NOT NULL DEFAULT '{{}}'"
    for column, _, cast in LINKS.values()
)
REFRESH = f"""
CREATE OR REPLACE FUNCTION projects_refresh_links(ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    IF ids IS NULL THEN  -- every project (one plan by id for both cases)
        ids := ARRAY(SELECT id FROM projects_project);
    END IF;
    -- The rows are locked before their links are read: a statement of this function that
    -- waited for another transaction's lock then sees what that transaction wrote.
    PERFORM 1 FROM projects_project WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
    UPDATE projects_project p
    SET {", ".join(f"{column} = n.{column}" for column, _, _ in LINKS.values())}
    FROM (
        SELECT q.id, {", ".join(
            f"{fresh(column, table, value, cast)} AS {column}"
            for table, (column, value, cast) in LINKS.items()
        )}
        FROM projects_project q WHERE q.id = ANY(ids)
    ) n
    WHERE p.id = n.id
      AND ({", ".join(f"p.{column}" for column, _, _ in LINKS.values())})
          IS DISTINCT FROM ({", ".join(f"n.{column}" for column, _, _ in LINKS.values())});
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

CREATE OR REPLACE FUNCTION projects_links_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('projects.defer_links', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM projects_refresh_links(ARRAY(SELECT DISTINCT project_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM projects_refresh_links(ARRAY(SELECT DISTINCT project_id FROM old_rows));
    ELSE
        PERFORM projects_refresh_links(ARRAY(
            SELECT project_id FROM old_rows UNION SELECT project_id FROM new_rows
        ));
    END IF;
    RETURN NULL;
END
$$;
"""
TRIGGERS = "\n".join(
    f"CREATE TRIGGER {table}_links_{event} AFTER {event.upper()} ON {table} {referencing}"
    " FOR EACH STATEMENT EXECUTE FUNCTION projects_links_changed();"
    for table in LINKS
    for event, referencing in EVENTS.items()
)
INDEX = """
DROP INDEX IF EXISTS project_programme_facets;
CREATE INDEX project_programme_facets ON projects_project (id)
    INCLUDE (section_id, subregion_id, budget, pledged_total,
             donor_ids, focal_point_ids, country_ids, theme_ids)
    WHERE parent_id IS NULL AND published;
"""
OLD_INDEX = """
DROP INDEX IF EXISTS project_programme_facets;
CREATE INDEX project_programme_facets ON projects_project (id)
    INCLUDE (section_id, subregion_id, budget, pledged_total)
    WHERE parent_id IS NULL AND published;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE projects_project {COLUMNS}")
    schema_editor.execute(REFRESH)
    schema_editor.execute(TRIGGERS)
    schema_editor.execute("SELECT projects_refresh_links(NULL)")
    schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "\n".join(
            f"DROP TRIGGER IF EXISTS {table}_links_{event} ON {table};"
            for table in LINKS
            for event in EVENTS
        )
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS projects_links_changed()")
    schema_editor.execute("DROP FUNCTION IF EXISTS projects_refresh_links(bigint[])")
    schema_editor.execute(OLD_INDEX)
    schema_editor.execute(
        "ALTER TABLE projects_project "
        + ", ".join(f"DROP COLUMN IF EXISTS {column}" for column, _, _ in LINKS.values())
    )


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0011_programme_facets_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
