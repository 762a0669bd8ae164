"""System checks (``manage.py check``) for what the register needs from its database."""

from django.core.checks import Tags, Warning, register
from django.db import connection
from django.db.utils import DatabaseError


@register(Tags.database)
def rum_index(app_configs=None, databases=None, **kwargs):
    """On PostgreSQL, searching a large register fast needs the RUM extension (migration
    0006); without it the search still works, reading every match to rank it."""
    if not databases or "default" not in databases or connection.vendor != "postgresql":
        return []
    from django.db.migrations.recorder import MigrationRecorder

    from .search import ranks_in_index

    try:
        applied = MigrationRecorder(connection).applied_migrations()
        if ("resolutions", "0006_rum_search") not in applied:
            return []  # migrate has not reached it yet
        if ranks_in_index("resolutions_directive"):
            return []
    except DatabaseError:
        return []
    return [
        Warning(
            "PostgreSQL has no RUM index on directives: searches rank every match, which is "
            "slow on a large register.",
            hint="Install the extension (Debian: apt-get install postgresql-15-rum), then "
            "run `manage.py migrate resolutions 0005` and `manage.py migrate`.",
            id="resolutions.W001",
        )
    ]
