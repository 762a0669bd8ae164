"""Writing many new rows at once, as fast as the database takes them.

On PostgreSQL, new rows go in by COPY, with their ids drawn from the table's sequence first
so that the rows (and what links to them: tags, audit versions) know their ids at once.
An INSERT of thousands of rows spends most of its time building and quoting one huge
statement; COPY streams them. Elsewhere (SQLite), Django's bulk_create does it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from django.db import connections, models, router

BATCH = 5000

# Fields whose Python value is already what the database driver takes: no conversion per
# row. (Their values have been cleaned by full_clean or built by our own code.)
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
)


def _value_getter(field, connection):
    """How to read *field*'s database value from an instance, as cheaply as it allows."""
    plain = isinstance(field, _AS_IS) or (
        isinstance(field, models.ForeignKey) and isinstance(field.target_field, _AS_IS)
    )
    # A date without auto_now: psycopg adapts it, and Django's conversion is a no-op here.
    plain = plain or (
        type(field) is models.DateField and not (field.auto_now or field.auto_now_add)
    )
    if plain:
        return attrgetter(field.attname)
    # Times (auto_now, time zones), decimals, JSON, …: Django's own conversion.
    return lambda instance: field.get_db_prep_save(field.pre_save(instance, True), connection)


def insert_values(model, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert *rows* of database-ready values, in the order of *columns* (column names).

    For rows that need no model instance (audit versions); the database fills what is left
    out (an id from its sequence).
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def update_rows(model, instances: list, fields: Sequence[str], *, batch_size=None) -> None:
    """Write *fields* of saved instances in bulk, prepared as save() would prepare them, with
    the columns that preparation derives from others and the time of the change."""
    if not instances:
        return
    for instance in instances:
        instance.prepare_for_write()
    written = list(dict.fromkeys([*fields, *model.derived_columns(), "updated_at"]))
    model._base_manager.bulk_update(instances, written, batch_size=batch_size)


def insert_rows(model, instances: list, *, batch_size: int = BATCH) -> None:
    """Insert unsaved instances; their primary keys are set, as bulk_create does. Each is
    prepared as save() would prepare it (prepare_for_write), which bulk_create skips."""
    if not instances:
        return
    for instance in instances:
        instance.prepare_for_write()
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._base_manager.using(alias).bulk_create(instances, batch_size=batch_size)
        return
    opts = model._meta
    missing = [instance for instance in instances if instance.pk is None]
    if missing:
        with connection.wrap_database_errors, connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(missing)],
            )
            for instance, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(instance, opts.pk.attname, pk)
    fields = [f for f in opts.concrete_fields if not getattr(f, "generated", False)]
    getters = [_value_getter(f, connection) for f in fields]
    insert_values(
        model,
        [f.column for f in fields],
        ([get(instance) for get in getters] for instance in instances),
    )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = alias
