"""System checks of what Django's own checks cannot see.

The search's PostgreSQL schema is written in migrations as raw SQL (a trigger per searched
table fills ``search_vector`` from the columns it watches; migration 0003), and the folded
``search_text`` is filled in Python from each model's ``searched_fields``. The two must name
the same columns in the same order (the first is weighted highest): a field added to one and
not the other would be searched on SQLite and not on PostgreSQL, or the reverse.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.core.checks import Error, Tags, register

# Where the triggers' columns are written. A migration that changes a trigger adds itself
# here (the last one that names a table wins).
TRIGGER_MIGRATIONS = ("resolutions.migrations.0003_search",)
# The migration that keeps each searched row's meeting day and the register's word list.
RECENCY_MIGRATION = "resolutions.migrations.0006_search_recency_and_words"


def trigger_columns() -> dict[str, list[str]]:
    """Each searched table and the columns its search_vector trigger watches, in order."""
    columns: dict[str, list[str]] = {}
    for name in TRIGGER_MIGRATIONS:
        for table, weighted in import_module(name).SEARCHED.items():
            columns[table] = [column for column, _ in weighted]
    return columns


@register(Tags.models)
def check_search_triggers(app_configs=None, **kwargs) -> list[Error]:
    from .models import Searchable
    from .search import SEARCHED_TABLES

    searchable = {
        model._meta.db_table: model
        for model in apps.get_models()
        if issubclass(model, Searchable) and model._meta.app_label == "resolutions"
    }
    triggers = trigger_columns()
    errors = []
    for table, model in sorted(searchable.items()):
        fields = [
            model._meta.get_field(name).column  # type: ignore[union-attr]  # concrete fields
            for name in model.searched_fields
        ]
        if triggers.get(table) != fields:
            errors.append(
                Error(
                    f"{model.__name__}.searched_fields names the columns {fields}, but the "
                    f"search trigger of {table} watches {triggers.get(table)}.",
                    hint="Add a migration that rewrites the trigger (see migration 0003) and "
                    "name it in resolutions.checks.TRIGGER_MIGRATIONS.",
                    obj=model,
                    id="resolutions.E001",
                )
            )
    recency = set(import_module(RECENCY_MIGRATION).SEARCHED)
    for name, tables in (
        ("the search triggers", set(triggers)),
        ("the recency and word triggers", recency),
        ("search.SEARCHED_TABLES", set(SEARCHED_TABLES)),
    ):
        if tables != set(searchable):
            errors.append(
                Error(
                    f"{name} cover {sorted(tables)}, but the searchable tables are "
                    f"{sorted(searchable)}.",
                    id="resolutions.E002",
                )
            )
    return errors
