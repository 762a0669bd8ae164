"""The table of the cache every process shares (settings.CACHES["shared"]: the API's rate
counts), made by migrate as Django's createcachetable makes it, whatever CACHE_URL says."""

from django.core.management.commands.createcachetable import Command
from django.db import migrations

from resolutions.db_router import SHARED_CACHE_TABLE


def create_table(apps, schema_editor):
    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, SHARED_CACHE_TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    name = schema_editor.quote_name(SHARED_CACHE_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0013_source_files"),
    ]

    operations = [migrations.RunPython(create_table, drop_table)]
