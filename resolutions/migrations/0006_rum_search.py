"""Ranked search inside the index, where PostgreSQL has the RUM extension.

A GIN index finds the matching rows but knows nothing of where the words stand in them, so
ranking a search reads every match from the table: tens of thousands of rows for a common
phrase in a register of a million directives. A RUM index keeps the words' positions and
returns the matches best first (``search_vector <=> query``), so the first page reads only
its own rows. RUM answers ``@@`` as well, so it replaces the GIN index.

Where the extension is not installed (Debian: ``apt-get install postgresql-15-rum``), this
migration leaves the GIN indexes in place and the search ranks as before, only slower on a
large register; ``manage.py check`` says so.
"""

from django.db import migrations

TABLES = ("resolutions_directive", "resolutions_indicator", "resolutions_finding")


def _rum_available(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


def create_rum(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not _rum_available(connection):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX {table}_search_rum ON {table} USING rum (search_vector rum_tsvector_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_vector")


def drop_rum(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_rum")


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0005_follow_up")]

    operations = [migrations.RunPython(create_rum, drop_rum, elidable=False)]
