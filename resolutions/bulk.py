"""Writing many new rows at once, as fast as the database takes them.

On PostgreSQL, new rows go in by COPY, with their ids drawn from the table's sequence first
so that the rows (and what links to them: tags, audit versions) know their ids at once.
An INSERT of thousands of rows spends most of its time building and quoting one huge
statement; COPY streams them. Elsewhere (SQLite), Django's bulk_create does it.
"""

from __future__ import annotations

from django.db import connections, router

BATCH = 5000


def insert_rows(model, instances: list, *, batch_size: int = BATCH) -> None:
    """Insert unsaved instances; their primary keys are set, as bulk_create does."""
    if not instances:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._base_manager.using(alias).bulk_create(instances, batch_size=batch_size)
        return
    opts = model._meta
    quote = connection.ops.quote_name
    with connection.wrap_database_errors, connection.cursor() as cursor:
        missing = [instance for instance in instances if instance.pk is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(missing)],
            )
            for instance, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(instance, opts.pk.attname, pk)
        fields = [f for f in opts.concrete_fields if not getattr(f, "generated", False)]
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
                )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = alias
